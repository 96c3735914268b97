/* at-bundle-export.c — writing one assessment as a signed .attest file
 *
 * The manifest is built from one read transaction (a consistent snapshot), signed, and written
 * first; the evidence files follow, streamed from the data directory through SHA-256 and zstd
 * in fixed-size chunks (at-bundle-writer.c), so memory stays flat however large the evidence
 * is. The output appears under its real name only once it is complete and on disk.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "at-assessment.h"
#include "at-audit.h"
#include "at-bundle-private.h"
#include "at-temp.h"
#include "at-error.h"
#include "at-util.h"
#include "at-identity.h"
#include "at-records-private.h"
#include "at-store-private.h"

const char *
at_bundle_outcome_to_string (AtBundleOutcome outcome)
{
  switch (outcome)
    {
    case AT_BUNDLE_IMPORTED: return "imported";
    case AT_BUNDLE_UPDATED: return "updated";
    case AT_BUNDLE_UNCHANGED: return "unchanged";
    case AT_BUNDLE_COPIED: return "copied";
    default: return "unknown";
    }
}

GPtrArray *
_at_bundle_identity_columns (AtStore     *store,
                             const char  *table,
                             GError     **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = g_strdup_printf ("PRAGMA foreign_key_list(%s)", table);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, sql, error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (g_strcmp0 (_at_col_text (stmt, 2), "identities") == 0)
      g_ptr_array_add (columns, g_strdup (_at_col_text (stmt, 3)));
  return g_steal_pointer (&columns);
}

static void
add_identity_id (GHashTable *ids,
                 JsonNode   *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_hash_table_add (ids, g_strdup (json_node_get_string (node)));
}

/* The team column is a JSON array of identity ids (or of objects with an "id"). */
static void
add_team (GHashTable *ids,
          JsonObject *assessment_row)
{
  const char *text = json_object_get_string_member_with_default (assessment_row, "team", NULL);
  g_autoptr(JsonNode) team = text ? json_from_string (text, NULL) : NULL;

  if (team == NULL || !JSON_NODE_HOLDS_ARRAY (team))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (team)); i++)
    {
      JsonNode *member = json_array_get_element (json_node_get_array (team), i);
      if (JSON_NODE_HOLDS_OBJECT (member))
        add_identity_id (ids, json_object_get_member (json_node_get_object (member), "id"));
      else
        add_identity_id (ids, member);
    }
}

/* The keys of an entity's rows in the order they were written (rowid): what reads "the
 * latest" by rowid (sign-offs made in the same second) reads the same after an import. */
static GPtrArray *
keys_in_written_order (AtStore            *store,
                       const AtEntityDesc *desc,
                       const char         *assessment_id,
                       GError            **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) cols = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  guint n_keys = 0;

  for (; desc->key_columns[n_keys]; n_keys++)
    g_string_append_printf (cols, "%s%s", n_keys ? ", " : "", desc->key_columns[n_keys]);
  sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s = ? ORDER BY rowid", cols->str, desc->table,
                         g_str_equal (desc->table, "assessments") ? "id" : "assessment_id");
  stmt = _at_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *key = g_string_new (NULL);
      for (guint i = 0; i < n_keys; i++)
        g_string_append_printf (key, "%s%s", i ? "/" : "", _at_col_text (stmt, i));
      g_ptr_array_add (keys, g_string_free (key, FALSE));
    }
  return g_steal_pointer (&keys);
}

static gboolean
add_records (AtStore     *store,
             const char  *assessment_id,
             JsonObject  *manifest,
             GHashTable  *identity_ids,
             JsonArray   *evidence,
             GPtrArray   *files,
             GArray      *sizes,
             guint64     *evidence_bytes,
             GError     **error)
{
  JsonObject *records = json_object_new ();
  const AtEntityDesc *descs;
  guint n_descs;

  json_object_set_object_member (manifest, "records", records);
  descs = _at_records_entities (&n_descs);
  for (guint i = 0; i < n_descs; i++)
    {
      g_autoptr(GPtrArray) keys = keys_in_written_order (store, &descs[i], assessment_id, error);
      g_autoptr(GPtrArray) id_columns = _at_bundle_identity_columns (store, descs[i].table, error);
      JsonArray *rows = json_array_new ();

      json_object_set_array_member (records, descs[i].entity, rows);
      if (keys == NULL || id_columns == NULL)
        return FALSE;

      for (guint k = 0; k < keys->len; k++)
        {
          JsonObject *row = _at_records_row (store, descs[i].entity, assessment_id, keys->pdata[k], error);
          JsonObject *item;

          if (row == NULL)
            {
              if (error && *error == NULL)
                g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("%s %s vanished while it was read"), descs[i].entity,
                             (char *) keys->pdata[k]);
              return FALSE;
            }
          for (guint c = 0; c < id_columns->len; c++)
            add_identity_id (identity_ids, json_object_get_member (row, id_columns->pdata[c]));
          if (g_str_equal (descs[i].entity, "assessment"))
            add_team (identity_ids, row);
          /* a file both evidence and a corrective action's evidence travels once */
          if (descs[i].files && !g_ptr_array_find_with_equal_func (files, json_object_get_string_member (row, "sha256"),
                                                                    g_str_equal, NULL))
            {
              JsonObject *file = json_object_new ();
              const char *sha256 = json_object_get_string_member (row, "sha256");
              gint64 size = json_object_get_int_member (row, "size");

              json_object_set_string_member (file, "sha256", sha256);
              json_object_set_int_member (file, "size", size);
              json_array_add_object_element (evidence, file);
              g_ptr_array_add (files, g_strdup (sha256));
              g_array_append_val (sizes, size);
              *evidence_bytes += size;
            }

          item = json_object_new ();
          json_object_set_string_member (item, "key", keys->pdata[k]);
          json_object_set_object_member (item, "row", row);
          json_array_add_object_element (rows, item);
        }
    }
  return TRUE;
}

static gboolean
add_audit (AtStore     *store,
           const char  *assessment_id,
           JsonObject  *manifest,
           GHashTable  *identity_ids,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonArray *audit = json_array_new ();
  int rc;

  json_object_set_array_member (manifest, "audit", audit);
  stmt = _at_store_prepare (store, "SELECT n, at, actor, action, entity, entity_key, state, prev_hash, hash "
                                   "FROM audit_log WHERE assessment_id = ? ORDER BY n", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *entry = json_object_new ();
      static const char * const names[] = { "at", "actor", "action", "entity", "entity_key", "state", "prev_hash", "hash" };

      json_object_set_int_member (entry, "n", sqlite3_column_int64 (stmt, 0));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          const char *value = _at_col_text (stmt, i + 1);
          if (value != NULL)
            json_object_set_string_member (entry, names[i], value);
          else
            json_object_set_null_member (entry, names[i]);
        }
      if (_at_col_text (stmt, 2) != NULL)
        g_hash_table_add (identity_ids, g_strdup (_at_col_text (stmt, 2)));
      json_array_add_object_element (audit, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the audit log"));
      return FALSE;
    }
  return TRUE;
}

/* The team members' logs merged into this one, as they signed them (at-bundle-merge.c). */
static gboolean
add_branches (AtStore     *store,
              const char  *assessment_id,
              JsonObject  *manifest,
              GHashTable  *identity_ids,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonArray *branches = json_array_new ();
  int rc;

  json_object_set_array_member (manifest, "audit_branches", branches);
  stmt = _at_store_prepare (store, "SELECT merge_n, idx, n, at, actor, action, entity, entity_key, state, prev_hash, hash "
                                   "FROM audit_branches WHERE assessment_id = ? ORDER BY merge_n, idx", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *entry = json_object_new ();
      static const char * const names[] = { "at", "actor", "action", "entity", "entity_key", "state", "prev_hash", "hash" };

      json_object_set_int_member (entry, "merge_n", sqlite3_column_int64 (stmt, 0));
      json_object_set_int_member (entry, "idx", sqlite3_column_int64 (stmt, 1));
      json_object_set_int_member (entry, "n", sqlite3_column_int64 (stmt, 2));
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          const char *value = _at_col_text (stmt, i + 3);
          if (value != NULL)
            json_object_set_string_member (entry, names[i], value);
          else
            json_object_set_null_member (entry, names[i]);
        }
      if (_at_col_text (stmt, 4) != NULL)
        g_hash_table_add (identity_ids, g_strdup (_at_col_text (stmt, 4)));
      json_array_add_object_element (branches, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the audit log"));
      return FALSE;
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static gboolean
add_identities (AtStore     *store,
                JsonObject  *manifest,
                GHashTable  *identity_ids,
                GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonArray *identities = json_array_new ();
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, identity_ids);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (ids, id);

  json_object_set_array_member (manifest, "identities", identities);
  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(AtIdentity) identity = at_identity_lookup (store, ids->pdata[i], &local_error);
      g_autofree char *role_text = NULL;
      g_auto(GStrv) roles = NULL;
      JsonObject *object;
      JsonArray *role_array;

      if (identity == NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_FAILED,
                       _("the records name identity %s, which is missing from this store"), (char *) ids->pdata[i]);
          return FALSE;
        }

      object = json_object_new ();
      json_object_set_string_member (object, "id", at_identity_get_id (identity));
      json_object_set_string_member (object, "name", at_identity_get_name (identity));
      role_array = json_array_new ();
      role_text = at_roles_to_string (at_identity_get_roles (identity));
      roles = g_strsplit (role_text, ",", -1);
      for (guint r = 0; roles[r]; r++)
        json_array_add_string_element (role_array, roles[r]);
      json_object_set_array_member (object, "roles", role_array);
      if (at_identity_get_org (identity) != NULL)
        json_object_set_string_member (object, "org", at_identity_get_org (identity));
      else
        json_object_set_null_member (object, "org");
      /* Public certificates only: the private key never leaves its PKCS#12 file. */
      json_object_set_string_member (object, "cert_pem", at_identity_get_cert_pem (identity));
      json_array_add_object_element (identities, object);
    }
  return TRUE;
}

/* The manifest, from one snapshot of the database. files receives the evidence SHA-256s. */
static GBytes *
build_manifest (AtStore     *store,
                const char  *assessment_id,
                AtSigner    *signer,
                const char  *exported_at,
                GPtrArray   *files,
                GArray      *sizes,
                guint64     *evidence_bytes,
                GError     **error)
{
  g_autoptr(AtAssessment) assessment = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) identity_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonObject) manifest = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonObject) catalog = json_object_new ();
  g_autoptr(JsonArray) evidence = json_array_new ();
  const char *exporter = at_identity_get_id (at_signer_get_identity (signer));
  AtCatalog *cat;
  GBytes *catalog_bytes;
  gsize len = 0;
  char *text;

  assessment = at_assessment_lookup (store, assessment_id, error);
  if (assessment == NULL)
    return NULL;

  /* A bundle of a tampered assessment would be refused by every importer: say so here. */
  if (!at_audit_verify (store, assessment_id, problems, NULL, error))
    return NULL;
  if (problems->len > 0)
    {
      g_autofree char *all = NULL;

      g_ptr_array_add (problems, NULL);
      all = g_strjoinv ("\n", (char **) problems->pdata);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("assessment %s fails its audit check, so no one could import a bundle of it:\n%s"),
                   assessment_id, all);
      return NULL;
    }

  json_object_set_string_member (manifest, "format", AT_BUNDLE_FORMAT);
  json_object_set_string_member (manifest, "exported_at", exported_at);
  json_object_set_string_member (manifest, "exported_by", exporter);
  json_object_set_string_member (manifest, "assessment_id", assessment_id);

  cat = at_assessment_get_catalog (assessment);
  catalog_bytes = at_catalog_get_bytes (cat);
  json_object_set_string_member (catalog, "code", at_catalog_get_code (cat));
  json_object_set_string_member (catalog, "version", at_catalog_get_version (cat));
  json_object_set_string_member (catalog, "sha256", at_catalog_get_sha256 (cat));
  {
    g_autofree char *catalog_text = g_strndup (g_bytes_get_data (catalog_bytes, NULL), g_bytes_get_size (catalog_bytes));
    json_object_set_string_member (catalog, "json", catalog_text);
  }
  json_object_set_object_member (manifest, "catalog", g_steal_pointer (&catalog));

  g_hash_table_add (identity_ids, g_strdup (exporter));
  /* identities are filled in last, once every record has named its people */
  json_object_set_null_member (manifest, "identities");
  if (!add_records (store, assessment_id, manifest, identity_ids, evidence, files, sizes, evidence_bytes, error) ||
      !add_audit (store, assessment_id, manifest, identity_ids, error) ||
      !add_branches (store, assessment_id, manifest, identity_ids, error) ||
      !add_identities (store, manifest, identity_ids, error))
    return NULL;
  json_object_set_array_member (manifest, "evidence", g_steal_pointer (&evidence));

  root = json_node_init_object (json_node_alloc (), manifest);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 1);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static gboolean
write_archive (AtStore      *store,
               int           fd,
               const char   *out_path,
               GBytes       *manifest,
               GBytes       *signature,
               GPtrArray    *files,
               GArray       *sizes,
               time_t        mtime,
               AtProgressFunc progress,
               gpointer       progress_data,
               guint64        total,
               GCancellable  *cancellable,
               GError       **error)
{
  AtBundleWriter *w = _at_bundle_writer_open (fd, out_path, error);
  guint64 done = 0;
  gboolean ok;

  if (w == NULL)
    return FALSE;
  ok = _at_bundle_writer_bytes (w, AT_BUNDLE_MANIFEST, manifest, mtime, error) &&
       _at_bundle_writer_bytes (w, AT_BUNDLE_SIGNATURE, signature, mtime, error);
  if (ok)
    {
      done = g_bytes_get_size (manifest) + g_bytes_get_size (signature);
      if (progress)
        progress (done, total, progress_data);
    }
  ok = ok && _at_bundle_writer_evidence (w, store, files, sizes, mtime, progress, progress_data, &done, total,
                                         cancellable, error);
  ok = ok && _at_bundle_writer_close (w, error);
  _at_bundle_writer_free (w);
  return ok;
}

/* The revision handed out: a team member's bundle merged back later must continue one of them
 * (at-bundle-merge.c). Recorded before the file is written, so that a crash after the rename
 * cannot leave a bundle out there that this store does not know it handed out (a revision
 * recorded but never written is still this store's own history); an export that fails in words
 * takes its record back (forget_handout), so the store is as it was. *rowid: the record, or 0. */
static gboolean
record_handout (AtStore     *store,
                const char  *assessment_id,
                GBytes      *manifest,
                AtSigner    *signer,
                const char  *exported_at,
                gint64      *rowid,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonArray *audit;
  JsonObject *last;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (manifest, NULL), g_bytes_get_size (manifest), error))
    return FALSE;
  audit = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "audit");
  if (audit == NULL || json_array_get_length (audit) == 0)
    return TRUE;
  last = json_array_get_object_element (audit, json_array_get_length (audit) - 1);
  stmt = _at_store_prepare (store, "INSERT INTO bundle_exports (assessment_id, head_n, head_hash, exported_by, exported_at) "
                                   "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, json_object_get_int_member (last, "n"));
  sqlite3_bind_text (stmt, 3, json_object_get_string_member (last, "hash"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, at_identity_get_id (at_signer_get_identity (signer)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, exported_at, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, stmt, error))
    return FALSE;
  *rowid = sqlite3_last_insert_rowid (_at_store_get_db (store));
  return TRUE;
}

static void
forget_handout (AtStore *store,
                gint64   rowid)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (rowid == 0)
    return;
  stmt = _at_store_prepare (store, "DELETE FROM bundle_exports WHERE id = ?", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, rowid);
  _at_store_step_done (store, stmt, NULL);
}

gboolean
at_bundle_export (AtStore       *store,
                  const char    *assessment_id,
                  const char    *out_path,
                  AtSigner      *signer,
                  AtProgressFunc progress,
                  gpointer       progress_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) manifest = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *exported_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 handout = 0;
  guint64 evidence_bytes = 0;
  gboolean ok;
  int fd;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (assessment_id != NULL, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (AT_IS_SIGNER (signer), FALSE);

  /* One read transaction: the records, the audit log and the evidence list agree. */
  if (!_at_store_begin_read (store, error))
    return FALSE;
  manifest = build_manifest (store, assessment_id, signer, exported_at, files, sizes, &evidence_bytes, error);
  _at_store_rollback (store);
  if (manifest == NULL)
    return FALSE;
  signature = at_signer_sign_detached (signer, g_bytes_get_data (manifest, NULL), g_bytes_get_size (manifest), error);
  if (signature == NULL || !record_handout (store, assessment_id, manifest, signer, exported_at, &handout, error))
    return FALSE;

  /* written to a temporary beside it, locked while we live (at-temp.h): what a killed export
   * of the same file left is removed first */
  dir = g_path_get_dirname (out_path);
  base = g_path_get_basename (out_path);
  prefix = g_strdup_printf (".%s.tmp-", base);
  at_temp_sweep (dir, prefix);
  fd = at_temp_file_new (dir, prefix, 0644, &tmp, &local_error);
  if (fd < 0)
    {
      /* a folder that cannot take the file is the -o the caller chose: bad input */
      g_set_error_literal (error, AT_ERROR, AT_ERROR_INVALID, local_error->message);
      forget_handout (store, handout);
      return FALSE;
    }

  ok = write_archive (store, fd, out_path, manifest, signature, files, sizes, g_date_time_to_unix (now), progress,
                      progress_data, g_bytes_get_size (manifest) + g_bytes_get_size (signature) + evidence_bytes,
                      cancellable, error);
  if (ok && fsync (fd) != 0)
    {
      int saved = errno;
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not write %s: %s"), out_path, at_strerror (saved));
      ok = FALSE;
    }
  if (ok && g_rename (tmp, out_path) != 0)
    {
      int saved = errno;
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not rename into %s: %s"), out_path, at_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  /* the lock goes only now, with the temporary renamed or removed */
  if (close (fd) != 0 && ok)
    {
      int saved = errno;
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not write %s: %s"), out_path, at_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      forget_handout (store, handout);
      return FALSE;
    }
  return at_fsync_dir (dir, error);
}

/* ---- in a thread ------------------------------------------------------------------------ */

typedef struct
{
  char          *assessment_id;
  char          *out_path;
  AtSigner      *signer;
  AtProgressFunc progress;
  gpointer       progress_data;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  g_free (d->assessment_id);
  g_free (d->out_path);
  g_clear_object (&d->signer);
  g_free (d);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *d = task_data;
  GError *error = NULL;

  if (at_bundle_export (source, d->assessment_id, d->out_path, d->signer, d->progress, d->progress_data,
                        cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
at_bundle_export_async (AtStore            *store,
                        const char         *assessment_id,
                        const char         *out_path,
                        AtSigner           *signer,
                        AtProgressFunc      progress,
                        gpointer            progress_data,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  ExportData *d = g_new0 (ExportData, 1);

  g_return_if_fail (AT_IS_STORE (store));
  g_return_if_fail (AT_IS_SIGNER (signer));

  d->assessment_id = g_strdup (assessment_id);
  d->out_path = g_strdup (out_path);
  d->signer = g_object_ref (signer);
  d->progress = progress;
  d->progress_data = progress_data;
  g_task_set_source_tag (task, at_bundle_export_async);
  g_task_set_task_data (task, d, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
at_bundle_export_finish (AtStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
