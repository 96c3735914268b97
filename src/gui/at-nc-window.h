/* at-nc-window.h — every nonconformity of an assessment, with its follow-up */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_NC_WINDOW (at_nc_window_get_type ())
G_DECLARE_FINAL_TYPE (AtNcWindow, at_nc_window, AT, NC_WINDOW, AdwWindow)

GtkWidget *at_nc_window_new    (GtkWindow     *parent,
                                AtApplication *app,
                                AtWorksheet   *worksheet);
/* focus_id (may be NULL): the nonconformity to show expanded */
void       at_nc_window_reload (AtNcWindow    *self,
                                const char    *focus_id);

G_END_DECLS
