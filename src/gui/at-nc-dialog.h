/* at-nc-dialog.h — raise a nonconformity on a clause, with its rectification suggestion */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_NC_DIALOG (at_nc_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtNcDialog, at_nc_dialog, AT, NC_DIALOG, AdwWindow)

GtkWidget *at_nc_dialog_new (GtkWindow  *parent,
                             AtStore    *store,
                             const char *assessment_id,
                             AtClause   *clause,
                             const char *actor,
                             const char *prefill);

G_END_DECLS
