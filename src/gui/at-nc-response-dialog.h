/* at-nc-response-dialog.h — the corrective action for a nonconformity, with its evidence */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_NC_RESPONSE_DIALOG (at_nc_response_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtNcResponseDialog, at_nc_response_dialog, AT, NC_RESPONSE_DIALOG, AdwWindow)

/* “recorded” (nc id, complete): complete once the files are attached and the response is
 * recorded, and the dialog then closes; a failure keeps it open with a sentence and what is left
 * to do, and if files went in before it, “recorded” comes with complete FALSE when the dialog
 * is closed. */
GtkWidget *at_nc_response_dialog_new (GtkWindow       *parent,
                                      AtApplication   *app,
                                      AtNonconformity *nc);

G_END_DECLS
