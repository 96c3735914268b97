/* at-import-dialog.h — an indicator's samples from a call-record export (CSV or XLSX) */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_IMPORT_DIALOG (at_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtImportDialog, at_import_dialog, AT, IMPORT_DIALOG, AdwWindow)

/* Reads @path (in a thread) and lets the person choose the column, the unit conversion, the
 * filters and a stratified sample; Import records the measurement with the file as evidence and
 * emits "imported" (with the outcome as a JsonNode *) before the dialog closes. @indicator
 * belongs to the catalog @clause is from; both must outlive the dialog (it holds the clause). */
GtkWidget *at_import_dialog_new (GtkWindow         *parent,
                                 AtStore           *store,
                                 const char        *assessment_id,
                                 AtClause          *clause,
                                 const AtIndicator *indicator,
                                 const char        *actor,
                                 const char        *path);

G_END_DECLS
