/* at-clause-row.h — a clause in the checklist: verdict mark, number, title, evidence, NC */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_CLAUSE_ROW (at_clause_row_get_type ())
G_DECLARE_FINAL_TYPE (AtClauseRow, at_clause_row, AT, CLAUSE_ROW, GtkListBoxRow)

GtkWidget       *at_clause_row_new      (AtWorksheetItem *item);
AtWorksheetItem *at_clause_row_get_item (AtClauseRow     *self);
/* a heading's fold: “toggled” (item) asks the list to fold or unfold it */
void             at_clause_row_set_expanded (AtClauseRow *self,
                                             gboolean     expanded);

G_END_DECLS
