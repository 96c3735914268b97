/* at-window.h — the main window: first-run profile, the assessments, one assessment */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_WINDOW (at_window_get_type ())
G_DECLARE_FINAL_TYPE (AtWindow, at_window, AT, WINDOW, AdwApplicationWindow)

AtWindow *at_window_new             (AtApplication *app);
void      at_window_show_assessment (AtWindow      *self,
                                     const char    *id);
/* Asks nothing before reading; checks the whole bundle, then imports it (or explains). */
void      at_window_import_bundle   (AtWindow      *self,
                                     GFile         *file);

G_END_DECLS
