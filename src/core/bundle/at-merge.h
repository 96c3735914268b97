/* at-merge.h — a team member's bundle merged into the lead's assessment, record by record
 *
 * The lead hands each member a bundle of the assessment; members work on their laptops; their
 * bundles come back. Both logs start the same: what each side changed since they diverged is
 * in its audit log. A record only one side changed is taken as it is; evidence is a union by
 * hash; a record both sides changed differently is a conflict, decided by the lead (this
 * store's, the member's, or an edited finding). Nothing is written until every conflict is
 * decided, and then all of it in one transaction; the member's log is kept as they signed it,
 * and each merged record is logged under the name of the person whose change it is.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-store.h"
#include "at-util.h"

G_BEGIN_DECLS

typedef enum
{
  AT_MERGE_UNCHANGED,     /* this store already has everything the bundle has */
  AT_MERGE_NEW,           /* the assessment is not here: a plain import */
  AT_MERGE_FAST_FORWARD,  /* the bundle continues this store's history: a plain update */
  AT_MERGE_DIVERGED,      /* both sides changed it since they parted: a merge */
} AtMergeKind;

typedef enum
{
  AT_MERGE_UNDECIDED,
  AT_MERGE_TAKE_MINE,     /* keep this store's record */
  AT_MERGE_TAKE_THEIRS,   /* take the bundle's */
  AT_MERGE_TAKE_EDITED,   /* a finding written anew by the lead (verdict and note) */
} AtMergeChoice;

#define AT_TYPE_MERGE_CONFLICT (at_merge_conflict_get_type ())
G_DECLARE_FINAL_TYPE (AtMergeConflict, at_merge_conflict, AT, MERGE_CONFLICT, GObject)

const char   *at_merge_conflict_get_entity     (AtMergeConflict *self);  /* "finding", "nc", … */
const char   *at_merge_conflict_get_key        (AtMergeConflict *self);  /* "7.4.2.2" */
/* “the finding on clause 7.4.2.2”, in the user's language */
const char   *at_merge_conflict_get_label      (AtMergeConflict *self);
/* the record on each side (NULL: that side removed it), who changed it last and when */
JsonObject   *at_merge_conflict_get_mine       (AtMergeConflict *self);
const char   *at_merge_conflict_get_mine_by    (AtMergeConflict *self);
const char   *at_merge_conflict_get_mine_at    (AtMergeConflict *self);
JsonObject   *at_merge_conflict_get_theirs     (AtMergeConflict *self);
const char   *at_merge_conflict_get_theirs_by  (AtMergeConflict *self);
const char   *at_merge_conflict_get_theirs_at  (AtMergeConflict *self);
/* the people's names (this store's identities, or the bundle's) */
const char   *at_merge_conflict_get_mine_name  (AtMergeConflict *self);
const char   *at_merge_conflict_get_theirs_name (AtMergeConflict *self);
/* the evidence linked to the clause on each side (file names), for a finding */
const char * const *at_merge_conflict_get_mine_evidence   (AtMergeConflict *self);
const char * const *at_merge_conflict_get_theirs_evidence (AtMergeConflict *self);
AtMergeChoice at_merge_conflict_get_choice     (AtMergeConflict *self);
void          at_merge_conflict_choose         (AtMergeConflict *self,
                                                AtMergeChoice    choice);
/* For a finding only: the verdict (at_verdict_to_string) and note the lead writes instead. */
gboolean      at_merge_conflict_edit           (AtMergeConflict *self,
                                                const char      *verdict,
                                                const char      *note,
                                                GError         **error);

#define AT_TYPE_MERGE (at_merge_get_type ())
G_DECLARE_FINAL_TYPE (AtMerge, at_merge, AT, MERGE, GObject)

/* Reads and checks the bundle (as an import does) and works out the merge, writing nothing.
 * Refuses (AT_ERROR_REFUSED) an assessment that is submitted or later on either side — a merge
 * never crosses the workflow — and (AT_ERROR_INVALID) a bundle whose history does not continue
 * a revision handed out from this store, or that claims changes by anyone but its signer. */
AtMerge     *at_merge_prepare          (AtStore         *store,
                                        const char      *path,
                                        AtProgressFunc   progress,
                                        gpointer         progress_data,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* The same in a worker thread; the store must not be used from another thread meanwhile. */
void         at_merge_prepare_async    (AtStore             *store,
                                        const char          *path,
                                        AtProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
AtMerge     *at_merge_prepare_finish   (AtStore             *store,
                                        GAsyncResult        *result,
                                        GError             **error);
AtMergeKind  at_merge_get_kind         (AtMerge         *self);
const char  *at_merge_get_assessment_id (AtMerge        *self);
/* the member who signed the bundle */
const char  *at_merge_get_signer_name  (AtMerge         *self);
/* records the bundle changes that this store did not: taken as they are */
guint        at_merge_get_n_taken      (AtMerge         *self);
/* AtMergeConflict, in record order */
GPtrArray   *at_merge_get_conflicts    (AtMerge         *self);
void         at_merge_choose_all       (AtMerge         *self,
                                        AtMergeChoice    choice);
/* Applies it in one transaction once every conflict is decided (else AT_ERROR_REFUSED with
 * the list); actor, when given, is who decided (logged on the edited records and the merge). */
gboolean     at_merge_apply            (AtMerge         *self,
                                        const char      *actor,
                                        GError         **error);

G_END_DECLS
