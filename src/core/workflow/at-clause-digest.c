/* at-clause-digest.c — what the reviewer judged on a clause, as a digest, and the digests kept
 *
 * A clause's digest is the SHA-256 of the records the reviewer judges on it, as one canonical
 * JSON array of {entity, key, record}: its finding, its measurements, each evidence link
 * followed by the evidence it links, and its nonconformities without their follow-up. A review
 * keeps the digest of its clause; a later digest that differs says the clause changed since.
 *
 * One clause is digested from its own rows (the indexes find them), so its cost follows the
 * clause, not the assessment. Every clause's digest at once — the recheck state of the whole
 * checklist, read each time the window shows it — is kept in clause_digests with the audit
 * entry it was computed at (clause_digests_at). Every change to records appends to the
 * hash-chained audit log, so the kept digests are current while the log ends at that entry;
 * when the log has grown past it (the entry still there, with its hash), only the clauses that
 * the later entries touched are digested again; anything else — a log that does not continue
 * the one the digests were made from (a bundle replaced it), an entry we cannot place — digests
 * every clause again. Keeping them is best effort: a store that is busy or read-only still gets
 * the right digests, computed.
 */
#include "config.h"

#include <string.h>

#include "at-clause-digest-private.h"
#include "at-records-private.h"
#include "at-store-private.h"
#include "at-util.h"

const char *
_at_clause_digest_empty (void)
{
  static char *digest = NULL;

  /* a clause with no records at all digests to the empty list */
  if (g_once_init_enter (&digest))
    g_once_init_leave (&digest, at_sha256_hex ("[]", 2));
  return digest;
}

/* ---- one clause ------------------------------------------------------------------------------ */

typedef struct
{
  AtDigestStream     *stream;
  const char         *entity;
  const char * const *unsigned_columns;
  GHashTable         *evidence;   /* sha256 → evidence row, for the links */
} ClauseRows;

static void
strip_unsigned (JsonObject         *row,
                const char * const *columns)
{
  for (guint i = 0; columns && columns[i]; i++)
    if (json_object_has_member (row, columns[i]))
      json_object_remove_member (row, columns[i]);
}

static void
keep_evidence (const char *key,
               JsonObject *row,
               gpointer    user_data)
{
  ClauseRows *c = user_data;

  strip_unsigned (row, c->unsigned_columns);
  g_hash_table_insert (c->evidence, g_strdup (key), json_object_ref (row));
}

static void
add_row (const char *key,
         JsonObject *row,
         gpointer    user_data)
{
  ClauseRows *c = user_data;

  strip_unsigned (row, c->unsigned_columns);
  _at_digest_stream_add (c->stream, c->entity, key, row);
  /* each link is followed by the evidence it links */
  if (g_str_equal (c->entity, "link"))
    {
      JsonObject *ev = g_hash_table_lookup (c->evidence, json_object_get_string_member (row, "sha256"));

      if (ev != NULL)
        _at_digest_stream_add (c->stream, "evidence", json_object_get_string_member (row, "sha256"), ev);
    }
}

char *
_at_clause_digest (AtStore     *store,
                   const char  *assessment_id,
                   const char  *clause,
                   GError     **error)
{
  static const char * const order[] = { "finding", "measurement", "link", "nc" };
  g_autoptr(GHashTable) evidence = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) json_object_unref);
  ClauseRows c = { _at_digest_stream_new (), "evidence", _at_records_lookup ("evidence")->unsigned_columns, evidence };

  if (!_at_records_foreach_where (store, "evidence", assessment_id,
                                  "sha256 IN (SELECT sha256 FROM evidence_links WHERE assessment_id = ?1 AND clause = ?2)",
                                  clause, keep_evidence, &c, error))
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      c.entity = order[i];
      c.unsigned_columns = _at_records_lookup (order[i])->unsigned_columns;
      if (!_at_records_foreach_where (store, order[i], assessment_id, "clause = ?2", clause, add_row, &c, error))
        goto fail;
    }
  return _at_digest_stream_finish (c.stream);

fail:
  _at_digest_stream_free (c.stream);
  return NULL;
}

/* ---- every clause, kept ---------------------------------------------------------------------- */

typedef struct
{
  gint64  n;
  char   *hash;
} Head;

/* n and hash of the one row sql selects (?1 the assessment, ?2 n when n >= 0) */
static gboolean
read_head (AtStore     *store,
           const char  *sql,
           const char  *assessment_id,
           gint64       n,
           Head        *head,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, sql, error);

  head->n = -1;
  head->hash = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  if (n >= 0)
    sqlite3_bind_int64 (stmt, 2, n);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      head->n = sqlite3_column_int64 (stmt, 0);
      head->hash = g_strdup (_at_col_text (stmt, 1));
    }
  return TRUE;
}

/* Every clause that has records of its own. */
static GPtrArray *
clauses_with_records (AtStore     *store,
                      const char  *assessment_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) clauses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _at_store_prepare (store, "SELECT clause FROM findings WHERE assessment_id = ?1 "
                                   "UNION SELECT clause FROM measurements WHERE assessment_id = ?1 "
                                   "UNION SELECT clause FROM evidence_links WHERE assessment_id = ?1 "
                                   "UNION SELECT clause FROM nonconformities WHERE assessment_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (clauses, g_strdup (_at_col_text (stmt, 0)));
  return g_steal_pointer (&clauses);
}

static void
add_column_values (AtStore     *store,
                   const char  *sql,
                   const char  *assessment_id,
                   const char  *arg,
                   GHashTable  *into,
                   gboolean    *found)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, sql, NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, arg, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_hash_table_add (into, g_strdup (_at_col_text (stmt, 0)));
      if (found)
        *found = TRUE;
    }
}

/* The clauses whose digest one audit entry may have changed, added to touched; FALSE when the
 * entry cannot be placed (every clause must be digested again). */
static gboolean
touched_by (AtStore     *store,
            const char  *assessment_id,
            const char  *entity,
            const char  *key,
            GHashTable  *touched)
{
  static const char * const outside[] = { "assessment", "nc-evidence", "review", "signoff", "certificate", NULL };
  const char *slash = strchr (key, '/');
  gboolean found = FALSE;

  if (g_strv_contains (outside, entity))
    return TRUE;
  if (g_str_equal (entity, "finding"))
    g_hash_table_add (touched, g_strdup (key));
  else if (g_str_equal (entity, "measurement") && slash != NULL)      /* clause/indicator */
    g_hash_table_add (touched, g_strndup (key, slash - key));
  else if (g_str_equal (entity, "link") && slash != NULL)             /* sha256/clause */
    g_hash_table_add (touched, g_strdup (slash + 1));
  else if (g_str_equal (entity, "evidence"))
    /* the clauses it is linked to now; links made or removed have entries of their own */
    add_column_values (store, "SELECT clause FROM evidence_links WHERE assessment_id = ?1 AND sha256 = ?2",
                       assessment_id, key, touched, NULL);
  else if (g_str_equal (entity, "nc"))
    {
      add_column_values (store, "SELECT clause FROM nonconformities WHERE assessment_id = ?1 AND id = ?2",
                         assessment_id, key, touched, &found);
      return found;
    }
  else
    return FALSE;
  return TRUE;
}

/* The clauses touched by the entries after n; NULL: digest them all again. */
static GHashTable *
touched_since (AtStore     *store,
               const char  *assessment_id,
               gint64       n)
{
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _at_store_prepare (store, "SELECT entity, entity_key FROM audit_log WHERE assessment_id = ? AND n > ? ORDER BY n", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, n);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!touched_by (store, assessment_id, _at_col_text (stmt, 0), _at_col_text (stmt, 1), touched))
      return NULL;
  return rc == SQLITE_DONE ? g_steal_pointer (&touched) : NULL;
}

/* Writes what changed (clause → digest, NULL to forget) and the entry it is current at.
 * Inside a caller's write transaction, as part of it; inside a caller's read transaction, not
 * at all (the snapshot may already be behind); on its own, in our read transaction, which
 * fails without waiting if another writer came first — the next reader will try again. */
static void
keep (AtStore     *store,
      const char  *assessment_id,
      GHashTable  *changed,
      const Head  *head,
      gboolean     replace_all)
{
  sqlite3 *db = _at_store_get_db (store);
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autoptr(sqlite3_stmt) drop = NULL;
  g_autoptr(sqlite3_stmt) at = NULL;
  GHashTableIter iter;
  gpointer clause, digest;
  gboolean ok;

  if (sqlite3_db_readonly (db, "main") == 1 || !_at_store_exec (store, "SAVEPOINT clause_digests", NULL))
    return;
  sqlite3_busy_timeout (db, 0);
  ok = TRUE;
  if (replace_all)
    {
      drop = _at_store_prepare (store, "DELETE FROM clause_digests WHERE assessment_id = ?", NULL);
      ok = drop != NULL;
      if (ok)
        {
          sqlite3_bind_text (drop, 1, assessment_id, -1, SQLITE_TRANSIENT);
          ok = sqlite3_step (drop) == SQLITE_DONE;
        }
      g_clear_pointer (&drop, sqlite3_finalize);
    }
  put = _at_store_prepare (store, "INSERT OR REPLACE INTO clause_digests (assessment_id, clause, digest) VALUES (?, ?, ?)", NULL);
  drop = _at_store_prepare (store, "DELETE FROM clause_digests WHERE assessment_id = ? AND clause = ?", NULL);
  at = _at_store_prepare (store, "INSERT OR REPLACE INTO clause_digests_at (assessment_id, n, hash) VALUES (?, ?, ?)", NULL);
  ok = ok && put && drop && at;

  g_hash_table_iter_init (&iter, changed);
  while (ok && g_hash_table_iter_next (&iter, &clause, &digest))
    {
      sqlite3_stmt *stmt = digest ? put : drop;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clause, -1, SQLITE_TRANSIENT);
      if (digest)
        sqlite3_bind_text (stmt, 3, digest, -1, SQLITE_TRANSIENT);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  if (ok)
    {
      sqlite3_bind_text (at, 1, assessment_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (at, 2, head->n);
      sqlite3_bind_text (at, 3, head->hash, -1, SQLITE_TRANSIENT);
      ok = sqlite3_step (at) == SQLITE_DONE;
    }
  sqlite3_busy_timeout (db, AT_STORE_BUSY_TIMEOUT_MS);
  if (!ok)
    _at_store_exec (store, "ROLLBACK TO clause_digests", NULL);
  _at_store_exec (store, "RELEASE clause_digests", NULL);
}

static gboolean
digest_into (AtStore     *store,
             const char  *assessment_id,
             const char  *clause,
             GHashTable  *digests,
             GHashTable  *changed,
             GError     **error)
{
  g_autofree char *digest = _at_clause_digest (store, assessment_id, clause, error);

  if (digest == NULL)
    return FALSE;
  /* a clause left without records is not kept: its digest is the empty one */
  if (g_str_equal (digest, _at_clause_digest_empty ()))
    {
      g_hash_table_remove (digests, clause);
      g_hash_table_insert (changed, g_strdup (clause), NULL);
    }
  else
    {
      g_hash_table_insert (digests, g_strdup (clause), g_strdup (digest));
      g_hash_table_insert (changed, g_strdup (clause), g_steal_pointer (&digest));
    }
  return TRUE;
}

static GHashTable *
compute (AtStore     *store,
         const char  *assessment_id,
         gboolean     may_keep,
         GError     **error)
{
  g_autoptr(GHashTable) digests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) touched = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Head head = { 0 }, kept = { 0 }, then = { 0 };
  gboolean ok = FALSE;

  if (!read_head (store, "SELECT n, hash FROM audit_log WHERE assessment_id = ?1 ORDER BY n DESC LIMIT 1",
                  assessment_id, -1, &head, error) ||
      !read_head (store, "SELECT n, hash FROM clause_digests_at WHERE assessment_id = ?1", assessment_id, -1, &kept, error))
    goto out;

  if (kept.hash != NULL && kept.n <= head.n)
    {
      /* is the entry the digests were made at still there, with the same hash? */
      if (!read_head (store, "SELECT n, hash FROM audit_log WHERE assessment_id = ?1 AND n = ?2",
                      assessment_id, kept.n, &then, error))
        goto out;
      if (g_strcmp0 (then.hash, kept.hash) == 0)
        touched = touched_since (store, assessment_id, kept.n);
    }

  if (touched != NULL)
    {
      GHashTableIter iter;
      gpointer clause;

      stmt = _at_store_prepare (store, "SELECT clause, digest FROM clause_digests WHERE assessment_id = ?", error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_insert (digests, g_strdup (_at_col_text (stmt, 0)), g_strdup (_at_col_text (stmt, 1)));
      g_hash_table_iter_init (&iter, touched);
      while (g_hash_table_iter_next (&iter, &clause, NULL))
        if (!digest_into (store, assessment_id, clause, digests, changed, error))
          goto out;
      if (may_keep && head.n != kept.n)
        keep (store, assessment_id, changed, &head, FALSE);
    }
  else
    {
      all = clauses_with_records (store, assessment_id, error);
      if (all == NULL)
        goto out;
      for (guint i = 0; i < all->len; i++)
        if (!digest_into (store, assessment_id, all->pdata[i], digests, changed, error))
          goto out;
      if (may_keep && head.hash != NULL)
        keep (store, assessment_id, changed, &head, TRUE);
    }
  ok = TRUE;

out:
  g_free (head.hash);
  g_free (kept.hash);
  g_free (then.hash);
  return ok ? g_steal_pointer (&digests) : NULL;
}

GHashTable *
_at_clause_digests (AtStore     *store,
                    const char  *assessment_id,
                    GError     **error)
{
  sqlite3 *db = _at_store_get_db (store);
  gboolean own = sqlite3_get_autocommit (db);
  GHashTable *digests;

  /* one snapshot: the log's last entry and the records digested agree. Inside a caller's
   * write transaction the digests are kept as part of it; inside a caller's read transaction
   * not at all (its snapshot may be behind, and it did not ask to write). */
  if (own && !_at_store_exec (store, "BEGIN", error))
    return NULL;
  digests = compute (store, assessment_id, own || sqlite3_txn_state (db, "main") == SQLITE_TXN_WRITE, error);
  if (own && (digests == NULL || !_at_store_exec (store, "COMMIT", NULL)))
    _at_store_rollback (store);
  return digests;
}
