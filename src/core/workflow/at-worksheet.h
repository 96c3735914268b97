/* at-worksheet.h — one assessment's checklist as a live model for a view
 *
 * A worksheet holds one item per clause of the assessment's catalog, in the catalog's tree, with
 * what a checklist shows beside each clause: the verdict, how much evidence and how many
 * nonconformities it has, and for headings the progress of the clauses under them. After a
 * change, at_worksheet_refresh() reloads the counts in three queries and notifies only the items
 * that changed, so a list bound to it redraws only those rows. Once the assessment has been
 * submitted, each clause also carries its recheck state (agreed, queried, changed since). Filtering and searching live here
 * too, so every front end (and the tests) find the same clauses.
 */
#pragma once

#include "at-assessment.h"
#include "at-finding.h"
#include "at-review.h"
#include "at-store.h"

G_BEGIN_DECLS

typedef enum
{
  AT_WORKSHEET_ALL,
  AT_WORKSHEET_NOT_ASSESSED,     /* verdict still open */
  AT_WORKSHEET_NONCONFORM,       /* nonconform or partially conform */
  AT_WORKSHEET_WITH_NC,          /* at least one nonconformity raised */
  AT_WORKSHEET_WITHOUT_EVIDENCE, /* assessable and no evidence linked */
  AT_WORKSHEET_NOT_REVIEWED,     /* not agreed or queried in the current recheck round */
  AT_WORKSHEET_QUERIED,          /* queried by the reviewer in the current round */
  AT_WORKSHEET_CHANGED,          /* the records changed since the clause was last reviewed */
  AT_WORKSHEET_MINE,             /* assigned to the person set with at_worksheet_set_me() */
} AtWorksheetFilter;

#define AT_TYPE_WORKSHEET_ITEM (at_worksheet_item_get_type ())
G_DECLARE_FINAL_TYPE (AtWorksheetItem, at_worksheet_item, AT, WORKSHEET_ITEM, GObject)

AtClause   *at_worksheet_item_get_clause           (AtWorksheetItem *self);
AtVerdict   at_worksheet_item_get_verdict          (AtWorksheetItem *self);
guint       at_worksheet_item_get_n_evidence       (AtWorksheetItem *self);
guint       at_worksheet_item_get_n_nonconformities (AtWorksheetItem *self);
guint       at_worksheet_item_get_n_open_nonconformities (AtWorksheetItem *self);
/* for a heading: its assessable descendants; for a clause: 1 or 0 */
guint       at_worksheet_item_get_n_assessable     (AtWorksheetItem *self);
guint       at_worksheet_item_get_n_assessed       (AtWorksheetItem *self);
/* the recheck of an assessable clause in the current round (see at-review.h) */
AtReviewState at_worksheet_item_get_review_state   (AtWorksheetItem *self);
gboolean    at_worksheet_item_get_review_changed   (AtWorksheetItem *self);
gboolean    at_worksheet_item_get_awaiting_answer  (AtWorksheetItem *self);
/* the team member the lead assigned the clause to, or NULL */
const char *at_worksheet_item_get_assignee         (AtWorksheetItem *self);
GListModel *at_worksheet_item_get_children         (AtWorksheetItem *self);
AtWorksheetItem *at_worksheet_item_get_parent      (AtWorksheetItem *self);
gboolean    at_worksheet_item_matches              (AtWorksheetItem  *self,
                                                    AtWorksheetFilter filter,
                                                    const char       *search);

/* The same search for a clause outside any assessment (the catalog browser). */
gboolean    at_clause_matches_search               (AtClause         *clause,
                                                    const char       *search);

#define AT_TYPE_WORKSHEET (at_worksheet_get_type ())
G_DECLARE_FINAL_TYPE (AtWorksheet, at_worksheet, AT, WORKSHEET, GObject)

AtWorksheet     *at_worksheet_new             (AtStore      *store,
                                               const char   *assessment_id,
                                               GError      **error);
gboolean         at_worksheet_refresh         (AtWorksheet  *self,
                                               GError      **error);
AtAssessment    *at_worksheet_get_assessment  (AtWorksheet  *self);
AtStore         *at_worksheet_get_store       (AtWorksheet  *self);
GListModel      *at_worksheet_get_roots       (AtWorksheet  *self);
GPtrArray       *at_worksheet_get_items       (AtWorksheet  *self);
AtWorksheetItem *at_worksheet_lookup          (AtWorksheet  *self,
                                               const char   *number);
guint            at_worksheet_get_n_assessable (AtWorksheet *self);
/* The items that at_worksheet_item_matches() keeps, all at once (a set of AtWorksheetItem):
 * one pass over the worksheet, the search folded once, instead of a walk per row. */
GHashTable      *at_worksheet_select          (AtWorksheet      *self,
                                               AtWorksheetFilter filter,
                                               const char       *search);
guint            at_worksheet_get_n_assessed  (AtWorksheet  *self);
/* the recheck's progress in the current round; round 0 before the first submission */
const AtReviewProgress *at_worksheet_get_review_progress (AtWorksheet *self);
/* Who works on the checklist, for AT_WORKSHEET_MINE; and how many clauses are theirs. */
void             at_worksheet_set_me          (AtWorksheet  *self,
                                               const char   *identity_id);
guint            at_worksheet_get_n_mine      (AtWorksheet  *self);

G_END_DECLS
