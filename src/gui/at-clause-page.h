/* at-clause-page.h — one clause of an assessment: requirement, verdict, methods, measurements,
 * notes, evidence and nonconformities */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_CLAUSE_PAGE (at_clause_page_get_type ())
G_DECLARE_FINAL_TYPE (AtClausePage, at_clause_page, AT, CLAUSE_PAGE, GtkWidget)

void             at_clause_page_set_context     (AtClausePage    *self,
                                                 AtApplication   *app,
                                                 AtWorksheet     *worksheet);
void             at_clause_page_set_item        (AtClausePage    *self,
                                                 AtWorksheetItem *item);
AtWorksheetItem *at_clause_page_get_item        (AtClausePage    *self);
/* Re-reads the clause's records and whether they may change (after a state change or a
 * change of identity); keeps what is being typed. */
void             at_clause_page_reload          (AtClausePage    *self);
/* Saves what is being typed (a note, samples) now rather than after the pause. */
void             at_clause_page_flush           (AtClausePage    *self);
void             at_clause_page_set_verdict     (AtClausePage    *self,
                                                 AtVerdict        verdict);
void             at_clause_page_add_evidence    (AtClausePage    *self);
void             at_clause_page_paste_evidence  (AtClausePage    *self);
void             at_clause_page_new_nonconformity (AtClausePage  *self);
gboolean         at_clause_page_is_busy         (AtClausePage    *self);
/* The reviewer marks the clause (Ctrl+Shift+A / Ctrl+Shift+Q) with the comment typed. */
void             at_clause_page_recheck         (AtClausePage    *self,
                                                 AtReviewState    state);

G_END_DECLS
