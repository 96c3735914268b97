/* at-review.h — the recheck clause by clause (QCS 11.4) and its rework rounds
 *
 * Every submission opens a round. In it the reviewer marks each assessable clause agreed or
 * queried, with a comment; returning the assessment sends the queries back, and the assessors
 * answer each (a reply, a changed finding, new evidence) before the lead resubmits, which opens
 * the next round. A clause agreed in an earlier round stays agreed while its records are
 * unchanged (compared by a digest of the clause's finding, measurements, evidence and
 * nonconformities); a changed one must be reviewed again. Approval needs every assessable
 * clause agreed in the current round. The recheck records are signed by each sign-off beside
 * the assessment's records.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-store.h"

G_BEGIN_DECLS

typedef enum
{
  AT_REVIEW_UNREVIEWED,
  AT_REVIEW_AGREED,
  AT_REVIEW_QUERIED,
} AtReviewState;

const char *at_review_state_to_string (AtReviewState  state);
gboolean    at_review_state_parse     (const char    *name,
                                       AtReviewState *out,
                                       GError       **error);

#define AT_TYPE_REVIEW_ITEM (at_review_item_get_type ())
G_DECLARE_FINAL_TYPE (AtReviewItem, at_review_item, AT, REVIEW_ITEM, GObject)

/* One assessable clause's recheck as it stands in the current round. */
const char   *at_review_item_get_clause      (AtReviewItem *self);
AtReviewState at_review_item_get_state       (AtReviewItem *self);
/* the round of the review that gives the state; 0 when never reviewed */
guint         at_review_item_get_round       (AtReviewItem *self);
/* agreed in an earlier round and unchanged since: no new review needed */
gboolean      at_review_item_get_carried     (AtReviewItem *self);
/* the records changed since the clause's last review (the reviewer looks again) */
gboolean      at_review_item_get_changed     (AtReviewItem *self);
/* the latest review of the clause, in whatever round; NULL when never reviewed */
const char   *at_review_item_get_comment     (AtReviewItem *self);
const char   *at_review_item_get_reviewer    (AtReviewItem *self);
const char   *at_review_item_get_reviewed_at (AtReviewItem *self);
const char   *at_review_item_get_answer      (AtReviewItem *self);
const char   *at_review_item_get_answered_by (AtReviewItem *self);
const char   *at_review_item_get_answered_at (AtReviewItem *self);
/* the query of the last returned round that still waits for an answer */
gboolean      at_review_item_get_awaiting_answer (AtReviewItem *self);
/* every review of the clause, oldest round first: objects with round, state, comment,
 * reviewer, reviewed_at, answer, answered_by, answered_at */
JsonArray    *at_review_item_get_history     (AtReviewItem *self);

typedef struct
{
  guint round;       /* the current round (the number of submissions); 0 before the first */
  guint assessable;
  guint reviewed;    /* agreed or queried in the current round (carried agreements count) */
  guint agreed;
  guint queried;
  guint changed;     /* changed since their last review */
  guint awaiting;    /* queries of the last returned round not answered yet */
} AtReviewProgress;

/* The number of submissions so far: the round the recheck is in (0 before the first). Cheap. */
guint         at_review_current_round (AtStore         *store,
                                       const char      *assessment_id);

/* One item per assessable clause, in catalog order. */
GPtrArray    *at_review_status      (AtStore           *store,
                                     const char        *assessment_id,
                                     AtReviewProgress  *progress_out,
                                     GError           **error);
AtReviewItem *at_review_status_for  (AtStore           *store,
                                     const char        *assessment_id,
                                     const char        *clause,
                                     GError           **error);

/* The reviewer marks one clause of a submitted assessment agreed or queried (a query needs a
 * comment). The reviewer may change the mark until the round is returned or approved. */
gboolean      at_review_comment     (AtStore           *store,
                                     const char        *assessment_id,
                                     const char        *clause,
                                     const char        *reviewer,
                                     AtReviewState      state,
                                     const char        *comment,
                                     GError           **error);
/* An assessor answers a query of the last returned round (a reply, besides or instead of
 * changing the records). */
gboolean      at_review_answer      (AtStore           *store,
                                     const char        *assessment_id,
                                     const char        *clause,
                                     const char        *actor,
                                     const char        *answer,
                                     GError           **error);

/* Why identity_id may not recheck the assessment (“is the lead assessor”, “added evidence in
 * it”), or NULL when they are independent of it (QCS 11.4). */
char         *at_review_dependence  (AtStore           *store,
                                     const char        *assessment_id,
                                     const char        *identity_id);

/* What changed on one clause since round `since` was submitted, one sentence each, oldest
 * first (empty when nothing did). */
GPtrArray    *at_review_changes     (AtStore           *store,
                                     const char        *assessment_id,
                                     const char        *clause,
                                     guint              since,
                                     GError           **error);

G_END_DECLS
