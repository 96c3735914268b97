/* at-window.h — the main window: the assessments list and one assessment's clauses */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_WINDOW (at_window_get_type ())
G_DECLARE_FINAL_TYPE (AtWindow, at_window, AT, WINDOW, AdwApplicationWindow)

AtWindow *at_window_new             (AtApplication *app);
void      at_window_show_assessment (AtWindow      *self,
                                     const char    *id);

G_END_DECLS
