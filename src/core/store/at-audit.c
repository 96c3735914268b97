/* at-audit.c — the hash-chained log of every change to an assessment
 *
 * Each entry holds the whole state of the entity it touched, after the change, and the hash of
 * the entry before it. Verifying recomputes every hash, then compares each record in the
 * database with the last state the log holds for it: a row edited with the sqlite3 shell no
 * longer matches, and one whose log entry was edited to match breaks the chain.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-audit-private.h"
#include "at-error.h"
#include "at-records-private.h"
#include "at-store-private.h"
#include "at-util.h"

#define GENESIS AT_AUDIT_GENESIS

char *
_at_audit_entry_hash (const char *prev_hash,
                      gint64      n,
                      const char *at,
                      const char *actor,
                      const char *action,
                      const char *entity,
                      const char *key,
                      const char *state)
{
  g_autofree char *text = g_strdup_printf ("attest-audit/1\n%s\n%" G_GINT64_FORMAT "\n%s\n%s\n%s\n%s\n%s\n%s",
                                           prev_hash, n, at, actor ? actor : "", action, entity, key,
                                           state ? state : "null");
  return at_sha256_hex (text, strlen (text));
}

gboolean
_at_audit_append (AtStore     *store,
                  const char  *assessment_id,
                  const char  *actor,
                  const char  *action,
                  const char  *entity,
                  const char  *key,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *state = _at_records_state (store, entity, assessment_id, key, &local_error);
  g_autofree char *at = at_now_iso8601 ();
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(sqlite3_stmt) last = NULL;
  g_autoptr(sqlite3_stmt) put = NULL;
  gint64 n = 1;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  last = _at_store_prepare (store, "SELECT n, hash FROM audit_log WHERE assessment_id = ? ORDER BY n DESC LIMIT 1", error);
  if (last == NULL)
    return FALSE;
  sqlite3_bind_text (last, 1, assessment_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (last) == SQLITE_ROW)
    {
      n = sqlite3_column_int64 (last, 0) + 1;
      prev = g_strdup (_at_col_text (last, 1));
    }
  else
    prev = g_strdup (GENESIS);

  hash = _at_audit_entry_hash (prev, n, at, actor, action, entity, key, state);
  put = _at_store_prepare (store, "INSERT INTO audit_log (assessment_id, n, at, actor, action, entity, entity_key, state, prev_hash, hash) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (put == NULL)
    return FALSE;
  sqlite3_bind_text (put, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (put, 2, n);
  sqlite3_bind_text (put, 3, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 4, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 5, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 6, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 7, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 8, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 9, prev, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 10, hash, -1, SQLITE_TRANSIENT);
  return _at_store_step_done (store, put, error);
}

static char *
describe (const char *entity,
          const char *key)
{
  if (g_str_equal (entity, "assessment"))
    return g_strdup (_("the assessment record"));
  if (g_str_equal (entity, "finding"))
    return g_strdup_printf (_("the finding on clause %s"), key);
  if (g_str_equal (entity, "measurement"))
    return g_strdup_printf (_("the measurement %s"), key);
  if (g_str_equal (entity, "evidence"))
    return g_strdup_printf (_("evidence %.12s…"), key);
  if (g_str_equal (entity, "link"))
    return g_strdup_printf (_("the evidence link %s"), key);
  if (g_str_equal (entity, "nc"))
    return g_strdup_printf (_("nonconformity %s"), key);
  if (g_str_equal (entity, "nc-evidence"))
    return g_strdup_printf (_("the corrective action's evidence %s"), key);
  if (g_str_equal (entity, "review"))
    return g_strdup_printf (_("the recheck record %s"), key);
  if (g_str_equal (entity, "assignment"))
    return g_strdup_printf (_("the assignment of clause %s"), key);
  if (g_str_equal (entity, "signoff"))
    return g_strdup_printf (_("sign-off %s"), key);
  return g_strdup_printf ("%s %s", entity, key);
}

/* A team member's log merged in (at-bundle-merge.c) is kept as they signed it: it must continue
 * this log at the entry it left it, chain in itself, and end with the head hash the merge entry
 * names. */
static gboolean
verify_branches (AtStore     *store,
                 const char  *assessment_id,
                 GPtrArray   *problems,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev = NULL;
  gint64 merge_n = -1, expected_n = 0;
  gboolean broken = FALSE;
  int rc;

  stmt = _at_store_prepare (store, "SELECT b.merge_n, b.n, b.at, b.actor, b.action, b.entity, b.entity_key, b.state, b.prev_hash, b.hash, "
                                   "(SELECT hash FROM audit_log WHERE assessment_id = b.assessment_id AND n = b.n - 1), "
                                   "(SELECT action FROM audit_log WHERE assessment_id = b.assessment_id AND n = b.merge_n), "
                                   "(SELECT max (idx) FROM audit_branches WHERE assessment_id = b.assessment_id AND merge_n = b.merge_n) = b.idx "
                                   "FROM audit_branches b WHERE b.assessment_id = ? ORDER BY b.merge_n, b.idx", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 1);
      const char *prev_hash = _at_col_text (stmt, 8);
      const char *hash = _at_col_text (stmt, 9);
      const char *merge_action = _at_col_text (stmt, 11);
      g_autofree char *recomputed = _at_audit_entry_hash (prev_hash, n, _at_col_text (stmt, 2), _at_col_text (stmt, 3),
                                                          _at_col_text (stmt, 4), _at_col_text (stmt, 5), _at_col_text (stmt, 6),
                                                          _at_col_text (stmt, 7));

      if (sqlite3_column_int64 (stmt, 0) != merge_n)
        {
          /* a new branch: it starts right after the entry it left this log at */
          merge_n = sqlite3_column_int64 (stmt, 0);
          broken = FALSE;
          g_free (prev);
          prev = g_strdup (_at_col_text (stmt, 10));
          expected_n = n;
          if (merge_action == NULL || !g_str_has_prefix (merge_action, "merge:"))
            {
              g_ptr_array_add (problems, g_strdup_printf (_("a merged team member's log is kept for audit entry %lld, which is no merge"),
                                                          (long long) merge_n));
              broken = TRUE;
            }
        }
      if (broken)
        continue;
      if (n != expected_n || g_strcmp0 (prev_hash, prev) != 0 || g_strcmp0 (recomputed, hash) != 0)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("the team member's log merged at audit entry %lld is broken at its entry %lld: "
                                                        "it does not continue this log, or it was altered"),
                                                      (long long) merge_n, (long long) n));
          broken = TRUE;
          continue;
        }
      if (sqlite3_column_int (stmt, 12) && strstr (merge_action, hash) == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("the team member's log merged at audit entry %lld does not end where the merge says"),
                                                      (long long) merge_n));
          broken = TRUE;
        }
      g_free (prev);
      prev = g_strdup (hash);
      expected_n = n + 1;
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the audit trail"));
      return FALSE;
    }
  return TRUE;
}

gboolean
at_audit_verify (AtStore     *store,
                 const char  *assessment_id,
                 GPtrArray   *problems,
                 guint       *n_entries,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) last_state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) last_n = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *prev = g_strdup (GENESIS);
  const AtEntityDesc *descs;
  guint n_descs;
  gint64 expected_n = 1;
  gboolean chain_ok = TRUE;

  g_return_val_if_fail (problems != NULL, FALSE);

  stmt = _at_store_prepare (store, "SELECT n, at, actor, action, entity, entity_key, state, prev_hash, hash "
                                   "FROM audit_log WHERE assessment_id = ? ORDER BY n", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 0);
      const char *entity = _at_col_text (stmt, 4);
      const char *key = _at_col_text (stmt, 5);
      const char *state = _at_col_text (stmt, 6);
      g_autofree char *hash = NULL;
      g_autofree char *what = describe (entity, key);

      if (chain_ok && n != expected_n)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("audit entry %lld is missing: the log jumps from entry %lld to %lld"),
                                                      (long long) expected_n, (long long) (expected_n - 1), (long long) n));
          chain_ok = FALSE;
        }
      hash = _at_audit_entry_hash (_at_col_text (stmt, 7), n, _at_col_text (stmt, 1), _at_col_text (stmt, 2),
                                   _at_col_text (stmt, 3), entity, key, state);
      if (chain_ok && g_strcmp0 (_at_col_text (stmt, 7), prev) != 0)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("audit entry %lld (%s) does not follow entry %lld: the chain is broken"),
                                                      (long long) n, what, (long long) (n - 1)));
          chain_ok = FALSE;
        }
      else if (chain_ok && g_strcmp0 (hash, _at_col_text (stmt, 8)) != 0)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("audit entry %lld (%s, %s) was altered: its hash does not match"),
                                                      (long long) n, what, _at_col_text (stmt, 1)));
          chain_ok = FALSE;
        }

      g_free (prev);
      prev = g_strdup (_at_col_text (stmt, 8));
      expected_n = n + 1;

      {
        g_autofree char *map_key = g_strconcat (entity, "\x1f", key, NULL);
        g_hash_table_replace (last_state, g_strdup (map_key), g_strdup (state));
        g_hash_table_replace (last_n, g_steal_pointer (&map_key), GSIZE_TO_POINTER ((gsize) n));
      }
    }
  if (n_entries)
    *n_entries = (guint) (expected_n - 1);

  if (!verify_branches (store, assessment_id, problems, error))
    return FALSE;

  /* Today's records against the states the log last recorded for them. */
  descs = _at_records_entities (&n_descs);
  for (guint i = 0; i < n_descs; i++)
    {
      g_autoptr(GPtrArray) keys = _at_records_keys (store, descs[i].entity, assessment_id, error);

      if (keys == NULL)
        return FALSE;
      for (guint k = 0; k < keys->len; k++)
        {
          g_autofree char *map_key = g_strconcat (descs[i].entity, "\x1f", keys->pdata[k], NULL);
          g_autofree char *now = _at_records_state (store, descs[i].entity, assessment_id, keys->pdata[k], error);
          g_autofree char *what = describe (descs[i].entity, keys->pdata[k]);
          const char *logged;

          if (now == NULL)
            return FALSE;
          if (!g_hash_table_lookup_extended (last_state, map_key, NULL, (gpointer *) &logged) || logged == NULL)
            g_ptr_array_add (problems, g_strdup_printf (_("%s is not in the audit log: it was added outside Attest"), what));
          else if (!g_str_equal (now, logged))
            g_ptr_array_add (problems, g_strdup_printf (_("%s differs from what audit entry %zu recorded: it was changed outside Attest"), what,
                                                        GPOINTER_TO_SIZE (g_hash_table_lookup (last_n, map_key))));
          g_hash_table_remove (last_state, map_key);
        }
    }

  /* What the log says exists but the database no longer has. */
  {
    GHashTableIter iter;
    gpointer k, v;

    g_hash_table_iter_init (&iter, last_state);
    while (g_hash_table_iter_next (&iter, &k, &v))
      if (v != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (k, "\x1f", 2);
          g_autofree char *what = describe (parts[0], parts[1]);
          g_ptr_array_add (problems, g_strdup_printf (_("%s was deleted outside Attest"), what));
        }
  }
  return TRUE;
}
