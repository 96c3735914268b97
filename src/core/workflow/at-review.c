/* at-review.c — the recheck clause by clause (QCS 11.4) and its rework rounds
 *
 * Rounds are not stored on their own: the sign-offs are the rounds. The n-th submission opens
 * round n; the return or approval signed after it closes it. The reviews table holds one row
 * per clause and round; each row keeps the digest of the clause's records as the reviewer saw
 * them, which tells a carried agreement (nothing changed since) from a clause to look at again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-audit-private.h"
#include "at-clause-digest-private.h"
#include "at-error.h"
#include "at-finding.h"
#include "at-records-private.h"
#include "at-review.h"
#include "at-store-private.h"
#include "at-workflow-private.h"

static const char * const state_names[] = { "unreviewed", "agreed", "queried", NULL };

const char *
at_review_state_to_string (AtReviewState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names) - 1, NULL);
  return state_names[state];
}

gboolean
at_review_state_parse (const char     *name,
                       AtReviewState  *out,
                       GError        **error)
{
  for (guint i = 0; state_names[i]; i++)
    if (g_strcmp0 (state_names[i], name) == 0)
      {
        *out = i;
        return TRUE;
      }
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("unknown recheck state “%s”: use agreed or queried"), name ? name : "");
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* AtReviewItem                                                                               */

struct _AtReviewItem
{
  GObject        parent_instance;

  char          *clause;
  AtReviewState  state;
  guint          round;
  gboolean       carried;
  gboolean       changed;
  gboolean       awaiting;
  JsonObject    *latest;    /* the latest review row, or NULL */
  JsonArray     *history;   /* every review row, oldest round first */
};

G_DEFINE_FINAL_TYPE (AtReviewItem, at_review_item, G_TYPE_OBJECT)

static void
at_review_item_finalize (GObject *object)
{
  AtReviewItem *self = AT_REVIEW_ITEM (object);

  g_free (self->clause);
  g_clear_pointer (&self->latest, json_object_unref);
  g_clear_pointer (&self->history, json_array_unref);
  G_OBJECT_CLASS (at_review_item_parent_class)->finalize (object);
}

static void
at_review_item_class_init (AtReviewItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_review_item_finalize;
}

static void
at_review_item_init (AtReviewItem *self)
{
  self->history = json_array_new ();
}

static const char *
latest_string (AtReviewItem *self,
               const char   *member)
{
  if (self->latest == NULL || !json_object_has_member (self->latest, member) ||
      json_object_get_null_member (self->latest, member))
    return NULL;
  return json_object_get_string_member (self->latest, member);
}

const char   *at_review_item_get_clause      (AtReviewItem *self) { return self->clause; }
AtReviewState at_review_item_get_state       (AtReviewItem *self) { return self->state; }
guint         at_review_item_get_round       (AtReviewItem *self) { return self->round; }
gboolean      at_review_item_get_carried     (AtReviewItem *self) { return self->carried; }
gboolean      at_review_item_get_changed     (AtReviewItem *self) { return self->changed; }
gboolean      at_review_item_get_awaiting_answer (AtReviewItem *self) { return self->awaiting; }
JsonArray    *at_review_item_get_history     (AtReviewItem *self) { return self->history; }
const char   *at_review_item_get_comment     (AtReviewItem *self) { return latest_string (self, "comment"); }
const char   *at_review_item_get_reviewer    (AtReviewItem *self) { return latest_string (self, "reviewer"); }
const char   *at_review_item_get_reviewed_at (AtReviewItem *self) { return latest_string (self, "reviewed_at"); }
const char   *at_review_item_get_answer      (AtReviewItem *self) { return latest_string (self, "answer"); }
const char   *at_review_item_get_answered_by (AtReviewItem *self) { return latest_string (self, "answered_by"); }
const char   *at_review_item_get_answered_at (AtReviewItem *self) { return latest_string (self, "answered_at"); }

/* ------------------------------------------------------------------------------------------ */
/* Rounds, from the sign-offs                                                                 */

typedef struct
{
  guint  n;
  char  *submission;
  char  *submitted_by;
  char  *submitted_at;
  char  *decision;       /* the return or approval that closed it; NULL while open */
  char  *outcome;        /* "returned", "approved" */
  char  *decided_by;
  char  *decided_at;
  char  *conclusion;
  gboolean superseded;   /* a reopen voided its sign-offs */
  char  *voided_at;
  char  *void_reason;
} Round;

static void
round_free (Round *r)
{
  g_free (r->submission);
  g_free (r->submitted_by);
  g_free (r->submitted_at);
  g_free (r->decision);
  g_free (r->outcome);
  g_free (r->decided_by);
  g_free (r->decided_at);
  g_free (r->conclusion);
  g_free (r->voided_at);
  g_free (r->void_reason);
  g_free (r);
}

static GPtrArray *
load_rounds (AtStore     *store,
             const char  *assessment_id,
             GError     **error)
{
  g_autoptr(GPtrArray) rounds = g_ptr_array_new_with_free_func ((GDestroyNotify) round_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  /* rowid keeps the order within one second; bundles insert sign-offs in the order written */
  stmt = _at_store_prepare (store, "SELECT id, kind, signer, signed_at, conclusion, valid, voided_at, void_reason "
                                   "FROM signoffs WHERE assessment_id = ? AND kind IN ('submission', 'approval', 'return') "
                                   "ORDER BY signed_at, rowid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = _at_col_text (stmt, 1);
      Round *r;

      if (g_str_equal (kind, "submission"))
        {
          r = g_new0 (Round, 1);
          r->n = rounds->len + 1;
          r->submission = g_strdup (_at_col_text (stmt, 0));
          r->submitted_by = g_strdup (_at_col_text (stmt, 2));
          r->submitted_at = g_strdup (_at_col_text (stmt, 3));
          g_ptr_array_add (rounds, r);
        }
      else if (rounds->len > 0 && ((Round *) g_ptr_array_index (rounds, rounds->len - 1))->decision == NULL)
        {
          r = g_ptr_array_index (rounds, rounds->len - 1);
          r->decision = g_strdup (_at_col_text (stmt, 0));
          r->outcome = g_strdup (g_str_equal (kind, "approval") ? "approved" : "returned");
          r->decided_by = g_strdup (_at_col_text (stmt, 2));
          r->decided_at = g_strdup (_at_col_text (stmt, 3));
          r->conclusion = g_strdup (_at_col_text (stmt, 4));
        }
      else
        continue;

      if (sqlite3_column_int (stmt, 5) == 0)
        {
          r->superseded = TRUE;
          g_free (r->voided_at);
          g_free (r->void_reason);
          r->voided_at = g_strdup (_at_col_text (stmt, 6));
          r->void_reason = g_strdup (_at_col_text (stmt, 7));
        }
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the sign-offs"));
      return NULL;
    }
  return g_steal_pointer (&rounds);
}

guint
at_review_current_round (AtStore    *store,
                         const char *assessment_id)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT count(*) FROM signoffs WHERE assessment_id = ? AND kind = 'submission'", NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int (stmt, 0) : 0;
}

static void
strip_unsigned (JsonObject         *row,
                const char * const *columns)
{
  for (guint i = 0; columns && columns[i]; i++)
    if (json_object_has_member (row, columns[i]))
      json_object_remove_member (row, columns[i]);
}

static const char *
digest_of_clause (GHashTable *digests,
                  const char *clause)
{
  const char *d = g_hash_table_lookup (digests, clause);

  return d ? d : _at_clause_digest_empty ();
}

/* ------------------------------------------------------------------------------------------ */
/* Status                                                                                     */

typedef struct
{
  AtAssessment *assessment;
  GPtrArray    *rounds;
  GHashTable   *digests;
  GHashTable   *reviews;   /* clause → JsonArray of rows, oldest round first */
  guint         current;
  gboolean      returned;  /* the assessment waits for answers to the current round */
} Status;

static void
status_clear (Status *s)
{
  g_clear_object (&s->assessment);
  g_clear_pointer (&s->rounds, g_ptr_array_unref);
  g_clear_pointer (&s->digests, g_hash_table_unref);
  g_clear_pointer (&s->reviews, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Status, status_clear)

static void
collect_review (const char *key,
                JsonObject *row,
                gpointer    user_data)
{
  GHashTable *reviews = user_data;
  const char *clause = json_object_get_string_member (row, "clause");
  JsonArray *rows = g_hash_table_lookup (reviews, clause);

  if (rows == NULL)
    {
      rows = json_array_new ();
      g_hash_table_insert (reviews, g_strdup (clause), rows);
    }
  json_object_remove_member (row, "assessment_id");
  json_array_add_object_element (rows, json_object_ref (row));
}

/* The digests are the store's kept ones, brought up to date: reading them is cheap however
 * many records the assessment has (at-clause-digest.c). */
static gboolean
status_load (Status      *s,
             AtStore     *store,
             const char  *assessment_id,
             GError     **error)
{
  s->assessment = at_assessment_lookup (store, assessment_id, error);
  if (s->assessment == NULL)
    return FALSE;
  s->rounds = load_rounds (store, assessment_id, error);
  if (s->rounds == NULL)
    return FALSE;
  s->current = s->rounds->len;
  s->returned = g_strcmp0 (at_assessment_get_state (s->assessment), "returned") == 0;
  s->digests = _at_clause_digests (store, assessment_id, error);
  if (s->digests == NULL)
    return FALSE;
  s->reviews = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);
  /* keys order by round, then clause: each clause's rows come oldest round first */
  return _at_records_foreach (store, "review", assessment_id, collect_review, s->reviews, error);
}

static AtReviewItem *
status_item (Status     *s,
             const char *clause)
{
  AtReviewItem *item = g_object_new (AT_TYPE_REVIEW_ITEM, NULL);
  JsonArray *rows = g_hash_table_lookup (s->reviews, clause);
  guint n = rows ? json_array_get_length (rows) : 0;
  JsonObject *latest;
  gboolean same;

  item->clause = g_strdup (clause);
  if (n == 0)
    return item;

  for (guint i = 0; i < n; i++)
    json_array_add_element (item->history, json_array_dup_element (rows, i));
  latest = json_array_get_object_element (rows, n - 1);
  item->latest = json_object_ref (latest);
  same = g_strcmp0 (json_object_get_string_member (latest, "clause_digest"), digest_of_clause (s->digests, clause)) == 0;
  item->changed = !same;

  if ((guint) json_object_get_int_member (latest, "round") == s->current)
    {
      at_review_state_parse (json_object_get_string_member (latest, "state"), &item->state, NULL);
      item->round = s->current;
      item->awaiting = s->returned && item->state == AT_REVIEW_QUERIED && same &&
                       latest_string (item, "answer") == NULL;
    }
  else if (g_strcmp0 (json_object_get_string_member (latest, "state"), "agreed") == 0 && same)
    {
      item->state = AT_REVIEW_AGREED;
      item->round = (guint) json_object_get_int_member (latest, "round");
      item->carried = TRUE;
    }
  return item;
}

GPtrArray *
at_review_status (AtStore           *store,
                  const char        *assessment_id,
                  AtReviewProgress  *progress_out,
                  GError           **error)
{
  g_auto(Status) s = { 0 };
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  AtReviewProgress progress = { 0 };
  GPtrArray *all;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);

  if (!status_load (&s, store, assessment_id, error))
    return NULL;
  progress.round = s.current;
  all = at_catalog_get_all_clauses (at_assessment_get_catalog (s.assessment));
  for (guint i = 0; i < all->len; i++)
    {
      AtReviewItem *item;

      if (!at_clause_get_assessable (all->pdata[i]))
        continue;
      item = status_item (&s, at_clause_get_number (all->pdata[i]));
      progress.assessable++;
      progress.reviewed += item->state != AT_REVIEW_UNREVIEWED;
      progress.agreed += item->state == AT_REVIEW_AGREED;
      progress.queried += item->state == AT_REVIEW_QUERIED;
      progress.changed += item->changed;
      progress.awaiting += item->awaiting;
      g_ptr_array_add (items, item);
    }
  if (progress_out)
    *progress_out = progress;
  return g_steal_pointer (&items);
}

AtReviewItem *
at_review_status_for (AtStore     *store,
                      const char  *assessment_id,
                      const char  *clause,
                      GError     **error)
{
  g_auto(Status) s = { 0 };

  if (!status_load (&s, store, assessment_id, error) ||
      at_finding_check_clause (at_assessment_get_catalog (s.assessment), clause, error) == NULL)
    return NULL;
  return status_item (&s, clause);
}

/* ------------------------------------------------------------------------------------------ */
/* Independence                                                                               */

char *
at_review_dependence (AtStore    *store,
                      const char *assessment_id,
                      const char *identity_id)
{
  static const struct { const char *sql; const char *what; } checks[] = {
    { "SELECT 1 FROM findings WHERE assessment_id = ?1 AND recorded_by = ?2", N_("recorded findings in it") },
    { "SELECT 1 FROM measurements WHERE assessment_id = ?1 AND recorded_by = ?2", N_("recorded measurements in it") },
    { "SELECT 1 FROM evidence WHERE assessment_id = ?1 AND added_by = ?2", N_("added evidence in it") },
    { "SELECT 1 FROM nonconformities WHERE assessment_id = ?1 AND raised_by = ?2", N_("raised nonconformities in it") },
    { "SELECT 1 FROM reviews WHERE assessment_id = ?1 AND answered_by = ?2", N_("answered the recheck's queries in it") },
    /* a record someone else later overwrote or removed still counts: the audit trail keeps it */
    { "SELECT 1 FROM audit_log WHERE assessment_id = ?1 AND actor = ?2 AND (action IN "
      "('record', 'measure', 'clear', 'add-evidence', 'remove-evidence', 'raise', 'update', 'start', 'answer') "
      "OR (action LIKE 'merge: %' AND action NOT LIKE 'merge: the work of%' AND action <> 'merge: kept this store''s record'))",
      N_("recorded in it earlier (see the audit trail)") },
  };
  g_autoptr(AtAssessment) a = at_assessment_lookup (store, assessment_id, NULL);

  if (a == NULL)
    return g_strdup (_("could not be checked"));
  if (g_strcmp0 (at_assessment_get_lead (a), identity_id) == 0)
    return g_strdup (_("is the lead assessor"));
  if (g_strv_contains (at_assessment_get_team (a), identity_id))
    return g_strdup (_("is on the assessment team"));
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, checks[i].sql, NULL);
      if (stmt == NULL)
        return g_strdup (_("could not be checked"));
      sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, identity_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return g_strdup (_(checks[i].what));
    }
  return NULL;
}

gboolean
_at_review_check_independent (AtStore     *store,
                              const char  *assessment_id,
                              AtIdentity  *who,
                              GError     **error)
{
  g_autofree char *took_part = at_review_dependence (store, assessment_id, at_identity_get_id (who));

  if (took_part == NULL)
    return TRUE;
  g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
               _("%s %s, so cannot recheck it: the recheck must be done by an independent expert (QCS 11.4)"),
               at_identity_get_name (who), took_part);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Comments and answers                                                                       */

static char *
clean_text (const char *text)
{
  char *clean = g_strstrip (g_strdup (text ? text : ""));

  if (*clean == '\0')
    g_clear_pointer (&clean, g_free);
  return clean;
}

gboolean
at_review_comment (AtStore        *store,
                   const char     *assessment_id,
                   const char     *clause,
                   const char     *reviewer,
                   AtReviewState   state,
                   const char     *comment,
                   GError        **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(AtIdentity) who = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autofree char *text = clean_text (comment);
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  guint round;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);

  if (state != AT_REVIEW_AGREED && state != AT_REVIEW_QUERIED)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("a clause is marked agreed or queried"));
      return FALSE;
    }
  if (state == AT_REVIEW_QUERIED && text == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("a query needs a comment that says what the assessors should look at"));
      return FALSE;
    }

  if (!_at_change_begin (store, assessment_id, reviewer, AT_CHANGE_REVIEW, &a, &who, error))
    return FALSE;
  if (!_at_review_check_independent (store, assessment_id, who, error) ||
      at_finding_check_clause (at_assessment_get_catalog (a), clause, error) == NULL ||
      !(digest = _at_clause_digest (store, assessment_id, clause, error)))
    goto fail;

  round = at_review_current_round (store, assessment_id);
  now = at_now_iso8601 ();
  put = _at_store_prepare (store, "INSERT INTO reviews (assessment_id, round, clause, state, comment, clause_digest, reviewer, reviewed_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id, round, clause) DO UPDATE SET "
                                  "state = excluded.state, comment = excluded.comment, clause_digest = excluded.clause_digest, "
                                  "reviewer = excluded.reviewer, reviewed_at = excluded.reviewed_at", error);
  if (put == NULL)
    goto fail;
  sqlite3_bind_text (put, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (put, 2, round);
  sqlite3_bind_text (put, 3, clause, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 4, at_review_state_to_string (state), -1, SQLITE_STATIC);
  sqlite3_bind_text (put, 5, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 6, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 7, at_identity_get_id (who), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 8, now, -1, SQLITE_TRANSIENT);
  key = g_strdup_printf ("%u/%s", round, clause);
  if (!_at_store_step_done (store, put, error) ||
      !_at_audit_append (store, assessment_id, at_identity_get_id (who),
                         state == AT_REVIEW_AGREED ? "agree" : "query", "review", key, error) ||
      !_at_change_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}

gboolean
at_review_answer (AtStore     *store,
                  const char  *assessment_id,
                  const char  *clause,
                  const char  *actor,
                  const char  *answer,
                  GError     **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(AtIdentity) who = NULL;
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autofree char *text = clean_text (answer);
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  guint round;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);

  if (text == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the answer to a query must not be empty"));
      return FALSE;
    }
  if (!_at_change_begin (store, assessment_id, actor, AT_CHANGE_RECORD, &a, &who, error))
    return FALSE;
  if (at_finding_check_clause (at_assessment_get_catalog (a), clause, error) == NULL)
    goto fail;
  if (g_strcmp0 (at_assessment_get_state (a), "returned") != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("assessment %s is %s: queries are answered while the recheck has returned it for rework"),
                   assessment_id, _at_state_label (at_assessment_get_state (a)));
      goto fail;
    }

  round = at_review_current_round (store, assessment_id);
  find = _at_store_prepare (store, "SELECT state FROM reviews WHERE assessment_id = ? AND round = ? AND clause = ?", error);
  if (find == NULL)
    goto fail;
  sqlite3_bind_text (find, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (find, 2, round);
  sqlite3_bind_text (find, 3, clause, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (find) != SQLITE_ROW || g_strcmp0 (_at_col_text (find, 0), "queried") != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("the reviewer did not query clause %s in round %u: there is nothing to answer"),
                   clause, round);
      goto fail;
    }

  now = at_now_iso8601 ();
  put = _at_store_prepare (store, "UPDATE reviews SET answer = ?, answered_by = ?, answered_at = ? "
                                  "WHERE assessment_id = ? AND round = ? AND clause = ?", error);
  if (put == NULL)
    goto fail;
  sqlite3_bind_text (put, 1, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 2, at_identity_get_id (who), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 4, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (put, 5, round);
  sqlite3_bind_text (put, 6, clause, -1, SQLITE_TRANSIENT);
  key = g_strdup_printf ("%u/%s", round, clause);
  if (!_at_store_step_done (store, put, error) ||
      !_at_audit_append (store, assessment_id, at_identity_get_id (who), "answer", "review", key, error) ||
      !_at_change_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* The rules the sign-offs apply                                                              */

static char *
list_clauses (GPtrArray *clauses)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < MIN (clauses->len, 8); i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", (const char *) clauses->pdata[i]);
  if (clauses->len > 8)
    g_string_append (list, ", …");
  return g_string_free (g_steal_pointer (&list), FALSE);
}

gboolean
_at_review_check_approval (AtStore     *store,
                           const char  *assessment_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) unreviewed = g_ptr_array_new ();
  g_autoptr(GPtrArray) queried = g_ptr_array_new ();
  AtReviewProgress p;

  items = at_review_status (store, assessment_id, &p, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      AtReviewItem *item = items->pdata[i];
      if (item->state == AT_REVIEW_UNREVIEWED)
        g_ptr_array_add (unreviewed, item->clause);
      else if (item->state == AT_REVIEW_QUERIED)
        g_ptr_array_add (queried, item->clause);
    }

  if (unreviewed->len > 0)
    {
      g_autofree char *list = list_clauses (unreviewed);
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u of %u clauses has not been reviewed in round %u (%s): agree or query every clause before approving",
                                "%u of %u clauses have not been reviewed in round %u (%s): agree or query every clause before approving",
                                unreviewed->len),
                   unreviewed->len, p.assessable, p.round, list);
      return FALSE;
    }
  if (queried->len > 0)
    {
      g_autofree char *list = list_clauses (queried);
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u clause is queried (%s): return the assessment for rework, or agree it before approving",
                                "%u clauses are queried (%s): return the assessment for rework, or agree them before approving",
                                queried->len),
                   queried->len, list);
      return FALSE;
    }
  return TRUE;
}

gboolean
_at_review_check_answers (AtStore     *store,
                          const char  *assessment_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) waiting = g_ptr_array_new ();
  g_autofree char *list = NULL;
  AtReviewProgress p;

  items = at_review_status (store, assessment_id, &p, error);
  if (items == NULL)
    return FALSE;
  if (p.awaiting == 0)
    return TRUE;
  for (guint i = 0; i < items->len; i++)
    if (((AtReviewItem *) items->pdata[i])->awaiting)
      g_ptr_array_add (waiting, ((AtReviewItem *) items->pdata[i])->clause);
  list = list_clauses (waiting);
  g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
               g_dngettext (GETTEXT_PACKAGE,
                            "%u query of round %u has no answer yet (%s): reply to it, or change the finding or its evidence, before resubmitting",
                            "%u queries of round %u have no answer yet (%s): reply to each, or change the finding or its evidence, before resubmitting",
                            waiting->len),
               waiting->len, p.round, list);
  return FALSE;
}

char *
_at_review_digest (AtStore     *store,
                   const char  *assessment_id,
                   GError     **error)
{
  return _at_records_entity_digest (store, "review", assessment_id, error);
}

/* ------------------------------------------------------------------------------------------ */
/* What changed since a round                                                                 */

typedef struct
{
  char *entity;
  char *key;
  char *before;   /* state at the round's submission; NULL: did not exist */
  char *after;    /* state now; NULL: gone */
  char *actor;
  char *at;
} Change;

static void
change_free (Change *c)
{
  g_free (c->entity);
  g_free (c->key);
  g_free (c->before);
  g_free (c->after);
  g_free (c->actor);
  g_free (c->at);
  g_free (c);
}

static JsonObject *
parse_state (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
member_text (JsonObject *o,
             const char *name)
{
  JsonNode *n = o && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

static gboolean
concerns_clause (Change     *c,
                 const char *clause)
{
  g_autoptr(JsonObject) before = parse_state (c->before);
  g_autoptr(JsonObject) after = parse_state (c->after);

  if (g_str_equal (c->entity, "finding"))
    return g_str_equal (c->key, clause);
  if (g_str_equal (c->entity, "measurement") || g_str_equal (c->entity, "link") || g_str_equal (c->entity, "nc"))
    return g_strcmp0 (member_text (after ? after : before, "clause"), clause) == 0;
  return FALSE;
}

static char *
person (AtStore    *store,
        const char *id)
{
  g_autoptr(AtIdentity) who = id ? at_identity_lookup (store, id, NULL) : NULL;

  return g_strdup (who ? at_identity_get_name (who) : id ? id : "?");
}

static char *
describe_change (AtStore    *store,
                 const char *assessment_id,
                 Change     *c)
{
  g_autoptr(JsonObject) before = parse_state (c->before);
  g_autoptr(JsonObject) after = parse_state (c->after);
  g_autofree char *who = person (store, c->actor);
  g_autofree char *what = NULL;

  if (g_str_equal (c->entity, "finding"))
    {
      AtVerdict v0 = AT_VERDICT_OPEN, v1 = AT_VERDICT_OPEN;
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      JsonNode *m0 = before ? json_object_get_member (before, "methods") : NULL;
      JsonNode *m1 = after ? json_object_get_member (after, "methods") : NULL;

      if (member_text (before, "verdict"))
        at_verdict_parse (member_text (before, "verdict"), &v0, NULL);
      if (member_text (after, "verdict"))
        at_verdict_parse (member_text (after, "verdict"), &v1, NULL);
      if (v0 != v1)
        g_ptr_array_add (parts, g_strdup_printf (_("verdict %s → %s"), at_verdict_label (v0), at_verdict_label (v1)));
      if (g_strcmp0 (member_text (before, "note"), member_text (after, "note")) != 0)
        g_ptr_array_add (parts, g_strdup (_("note changed")));
      if ((m0 == NULL) != (m1 == NULL) || (m0 && m1 && !json_node_equal (m0, m1)))
        g_ptr_array_add (parts, g_strdup (_("methods changed")));
      g_ptr_array_add (parts, NULL);
      what = g_strjoinv (_("; "), (char **) parts->pdata);
    }
  else if (g_str_equal (c->entity, "measurement"))
    {
      const char *indicator = member_text (after ? after : before, "indicator");

      if (after == NULL)
        what = g_strdup_printf (_("measurement %s cleared"), indicator);
      else
        what = g_strdup_printf (_("measurement %s recorded"), indicator);
    }
  else if (g_str_equal (c->entity, "link"))
    {
      const char *sha = member_text (after ? after : before, "sha256");
      g_autoptr(JsonObject) ev = NULL;
      g_autofree char *state = _at_records_state (store, "evidence", assessment_id, sha, NULL);
      const char *name;

      ev = parse_state (state);
      name = member_text (ev, "original_name");
      if (after != NULL)
        what = g_strdup_printf (_("evidence added: %s"), name ? name : sha);
      else
        what = g_strdup_printf (_("evidence removed: %s"), name ? name : sha);
    }
  else
    {
      gint64 seq = after && json_object_has_member (after, "seq") ? json_object_get_int_member (after, "seq") : 0;

      /* the number as text first: a G_GINT64_FORMAT inside the message would hide it from xgettext */
      g_autofree char *number = g_strdup_printf ("NC-%" G_GINT64_FORMAT, seq);

      what = before == NULL ? g_strdup_printf (_("%s raised"), number)
                            : g_strdup_printf (_("%s changed"), number);
    }
  {
    /* the audit trail's UTC time, as the person reading reads a clock */
    g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (c->at, NULL);
    g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
    g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (c->at);

    return g_strdup_printf (_("%s (%s, %s)"), what, who, when);
  }
}

GPtrArray *
at_review_changes (AtStore     *store,
                   const char  *assessment_id,
                   const char  *clause,
                   guint        since,
                   GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) change_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint submits = 0;
  gboolean after_round = FALSE;
  int rc;

  stmt = _at_store_prepare (store, "SELECT action, entity, entity_key, state, actor, at FROM audit_log "
                                   "WHERE assessment_id = ? ORDER BY n", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);

  /* states before the round's submission are "before"; the last one after it is "after" */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *action = _at_col_text (stmt, 0);
      const char *entity = _at_col_text (stmt, 1);
      g_autofree char *id = g_strdup_printf ("%s\n%s", entity, _at_col_text (stmt, 2));
      Change *c;

      if (g_str_equal (entity, "assessment") && g_strcmp0 (action, "submit") == 0 && ++submits == since)
        {
          after_round = TRUE;
          continue;
        }
      if (!g_str_equal (entity, "finding") && !g_str_equal (entity, "measurement") &&
          !g_str_equal (entity, "link") && !g_str_equal (entity, "nc"))
        continue;

      c = g_hash_table_lookup (changes, id);
      if (c == NULL)
        {
          c = g_new0 (Change, 1);
          c->entity = g_strdup (entity);
          c->key = g_strdup (_at_col_text (stmt, 2));
          g_hash_table_insert (changes, g_strdup (id), c);
        }
      if (!after_round)
        {
          g_free (c->before);
          c->before = g_strdup (_at_col_text (stmt, 3));
          g_free (c->after);
          c->after = g_strdup (_at_col_text (stmt, 3));
          continue;
        }
      g_free (c->after);
      c->after = g_strdup (_at_col_text (stmt, 3));
      g_free (c->actor);
      c->actor = g_strdup (_at_col_text (stmt, 4));
      g_free (c->at);
      c->at = g_strdup (_at_col_text (stmt, 5));
      if (!g_ptr_array_find (order, c, NULL))
        g_ptr_array_add (order, c);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the audit trail"));
      return NULL;
    }

  for (guint i = 0; i < order->len; i++)
    {
      Change *c = order->pdata[i];

      /* an NC's follow-up (status, response) is not what the reviewer judged */
      if (g_str_equal (c->entity, "nc") && c->before != NULL && c->after != NULL)
        {
          g_autoptr(JsonObject) b = parse_state (c->before);
          g_autoptr(JsonObject) a = parse_state (c->after);
          const AtEntityDesc *desc = _at_records_lookup ("nc");
          g_autoptr(JsonNode) bn = NULL;
          g_autoptr(JsonNode) an = NULL;
          g_autofree char *bt = NULL;
          g_autofree char *at = NULL;

          strip_unsigned (b, desc->unsigned_columns);
          strip_unsigned (a, desc->unsigned_columns);
          bn = json_node_init_object (json_node_alloc (), b);
          an = json_node_init_object (json_node_alloc (), a);
          bt = _at_json_canonical (bn);
          at = _at_json_canonical (an);
          if (g_str_equal (bt, at))
            continue;
        }
      if (g_strcmp0 (c->before, c->after) == 0 || !concerns_clause (c, clause))
        continue;
      g_ptr_array_add (lines, describe_change (store, assessment_id, c));
    }
  return g_steal_pointer (&lines);
}

/* ------------------------------------------------------------------------------------------ */
/* JSON                                                                                       */

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
_at_review_to_json (AtStore      *store,
                    AtAssessment *assessment,
                    JsonBuilder  *b)
{
  g_auto(Status) s = { 0 };
  g_autoptr(GPtrArray) items = NULL;
  const char *id = at_assessment_get_id (assessment);

  json_builder_set_member_name (b, "rounds");
  json_builder_begin_array (b);
  if (status_load (&s, store, id, NULL))
    for (guint i = 0; i < s.rounds->len; i++)
      {
        Round *r = s.rounds->pdata[i];
        guint agreed = 0, queried = 0, answered = 0;
        GHashTableIter iter;
        gpointer rows;

        g_hash_table_iter_init (&iter, s.reviews);
        while (g_hash_table_iter_next (&iter, NULL, &rows))
          for (guint k = 0; k < json_array_get_length (rows); k++)
            {
              JsonObject *row = json_array_get_object_element (rows, k);
              if ((guint) json_object_get_int_member (row, "round") != r->n)
                continue;
              agreed += g_strcmp0 (json_object_get_string_member (row, "state"), "agreed") == 0;
              queried += g_strcmp0 (json_object_get_string_member (row, "state"), "queried") == 0;
              answered += member_text (row, "answer") != NULL;
            }

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "round");
        json_builder_add_int_value (b, r->n);
        add_string_or_null (b, "submission", r->submission);
        add_string_or_null (b, "submitted_by", r->submitted_by);
        add_string_or_null (b, "submitted_at", r->submitted_at);
        add_string_or_null (b, "outcome", r->outcome);
        add_string_or_null (b, "decision", r->decision);
        add_string_or_null (b, "decided_by", r->decided_by);
        add_string_or_null (b, "decided_at", r->decided_at);
        add_string_or_null (b, "conclusion", r->conclusion);
        json_builder_set_member_name (b, "agreed");
        json_builder_add_int_value (b, agreed);
        json_builder_set_member_name (b, "queried");
        json_builder_add_int_value (b, queried);
        json_builder_set_member_name (b, "answered");
        json_builder_add_int_value (b, answered);
        json_builder_set_member_name (b, "superseded");
        json_builder_add_boolean_value (b, r->superseded);
        add_string_or_null (b, "superseded_at", r->voided_at);
        add_string_or_null (b, "superseded_because", r->void_reason);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);

  /* per clause, once there has been a recheck to speak of */
  json_builder_set_member_name (b, "review");
  json_builder_begin_array (b);
  if (s.rounds != NULL && s.rounds->len > 0)
    items = at_review_status (store, id, NULL, NULL);
  for (guint i = 0; items && i < items->len; i++)
    {
      AtReviewItem *item = items->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clause");
      json_builder_add_string_value (b, item->clause);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, at_review_state_to_string (item->state));
      json_builder_set_member_name (b, "round");
      if (item->round > 0)
        json_builder_add_int_value (b, item->round);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "carried");
      json_builder_add_boolean_value (b, item->carried);
      json_builder_set_member_name (b, "changed");
      json_builder_add_boolean_value (b, item->changed);
      json_builder_set_member_name (b, "comments");
      json_builder_begin_array (b);
      for (guint k = 0; k < json_array_get_length (item->history); k++)
        {
          JsonObject *row = json_array_get_object_element (item->history, k);
          static const char * const names[] = { "state", "comment", "reviewer", "reviewed_at", "answer", "answered_by", "answered_at" };

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "round");
          json_builder_add_int_value (b, json_object_get_int_member (row, "round"));
          for (guint n = 0; n < G_N_ELEMENTS (names); n++)
            add_string_or_null (b, names[n], member_text (row, names[n]));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}
