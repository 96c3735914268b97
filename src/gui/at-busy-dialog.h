/* at-busy-dialog.h — long work in progress: what is happening, how far, and a way to stop */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_BUSY_DIALOG (at_busy_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtBusyDialog, at_busy_dialog, AT, BUSY_DIALOG, AdwWindow)

AtBusyDialog  *at_busy_dialog_new             (GtkWindow    *parent,
                                               const char   *title,
                                               const char   *description);
GCancellable  *at_busy_dialog_get_cancellable (AtBusyDialog *self);
/* An AtProgressFunc: core calls it from its worker thread with the busy dialog as user_data. */
void           at_busy_dialog_progress        (guint64       done,
                                               guint64       total,
                                               gpointer      user_data);
void           at_busy_dialog_finish          (AtBusyDialog *self);

G_END_DECLS
