/* at-recheck-panel.h — the recheck on a clause page: the reviewer's mark, the assessors' answer
 *
 * For an independent reviewer on a submitted assessment: agree or query the clause, with a
 * comment, seeing what changed since the clause was last reviewed. For the assessors of a
 * returned assessment: the query and a field to answer it. For anyone afterwards: the clause's
 * recheck history. Hidden before the first submission.
 */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_RECHECK_PANEL (at_recheck_panel_get_type ())
G_DECLARE_FINAL_TYPE (AtRecheckPanel, at_recheck_panel, AT, RECHECK_PANEL, GtkWidget)

void     at_recheck_panel_set_context (AtRecheckPanel *self,
                                       AtApplication  *app,
                                       AtWorksheet    *worksheet);
/* Shows the recheck of clause (NULL, or a heading: nothing). */
void     at_recheck_panel_set_clause  (AtRecheckPanel *self,
                                       const char     *clause);
/* Marks the clause as the reviewer, with what the comment field holds; FALSE (and a word in
 * a toast) when the panel is not the reviewer's or core refuses. */
gboolean at_recheck_panel_mark        (AtRecheckPanel *self,
                                       AtReviewState   state);

G_END_DECLS
