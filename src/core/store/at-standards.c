/* at-standards.c — the catalogs a store knows: built in, and imported by the user
 *
 * Every catalog an assessment was ever made against stays in the database, byte for byte, so an
 * assessment is always read against the text it was assessed on. A changed catalog must carry a
 * new version once an assessment uses the old one.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <glib/gstdio.h>

#include "at-catalog-resources.h"
#include "at-error.h"
#include "at-standards-private.h"
#include "at-standards.h"
#include "at-store-private.h"

#define BUNDLED_PATH "/io/github/attestbench/Attest/catalogs"

/* Parsed catalogs by SHA-256, shared by every store in the process: a catalog never changes
 * once hashed, and QCS takes a few milliseconds to validate. */
static GHashTable *
catalog_cache (void)
{
  static GHashTable *cache;

  if (g_once_init_enter (&cache))
    g_once_init_leave (&cache, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref));
  return cache;
}

G_LOCK_DEFINE_STATIC (cache);

static AtCatalog *
load_cached (GBytes      *bytes,
             const char  *filename,
             const char  *sha256,
             GError     **error)
{
  AtCatalog *catalog;

  G_LOCK (cache);
  catalog = sha256 ? g_hash_table_lookup (catalog_cache (), sha256) : NULL;
  if (catalog != NULL)
    g_object_ref (catalog);
  G_UNLOCK (cache);

  if (catalog != NULL)
    return catalog;

  catalog = at_catalog_load_bytes (bytes, filename, NULL, error);
  if (catalog == NULL)
    return NULL;

  G_LOCK (cache);
  g_hash_table_replace (catalog_cache (), g_strdup (at_catalog_get_sha256 (catalog)), g_object_ref (catalog));
  G_UNLOCK (cache);
  return catalog;
}

static guint
count_uses (AtStore *store, gint64 catalog_id)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT count(*) FROM assessments WHERE catalog_id = ?", NULL);

  if (stmt == NULL)
    return G_MAXUINT;
  sqlite3_bind_int64 (stmt, 1, catalog_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int (stmt, 0) : G_MAXUINT;
}

/* Registers a catalog in the database (inside the caller's transaction). Same code, version and
 * bytes: nothing to do. Same code and version, other bytes: replaced only while no assessment
 * uses it, and never across origins — a built-in catalog is put back at every start, so an
 * import over it would be lost without a word, and a catalog the user imported stays theirs
 * when a later Attest happens to ship the same code and version. */
static gboolean
register_catalog (AtStore     *store,
                  AtCatalog   *catalog,
                  const char  *origin,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autofree char *now = at_now_iso8601 ();
  GBytes *bytes = at_catalog_get_bytes (catalog);

  find = _at_store_prepare (store, "SELECT id, sha256, origin FROM catalogs WHERE code = ? AND version = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, at_catalog_get_code (catalog), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (find, 2, at_catalog_get_version (catalog), -1, SQLITE_TRANSIENT);

  if (sqlite3_step (find) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (find, 0);
      guint uses;

      if (g_strcmp0 (_at_col_text (find, 1), at_catalog_get_sha256 (catalog)) == 0)
        return TRUE;

      if (g_strcmp0 (_at_col_text (find, 2), origin) != 0)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("catalog %s version %s is %s and differs from this file; "
                       "give the changed catalog a new “version” and import it again"),
                       at_catalog_get_code (catalog), at_catalog_get_version (catalog),
                       g_strcmp0 (_at_col_text (find, 2), "bundled") == 0 ? _("built into Attest") : _("already imported"));
          return FALSE;
        }

      uses = count_uses (store, id);
      if (uses > 0)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("catalog %s version %s is already used by %u assessment(s) and differs from this file; "
                       "give the changed catalog a new “version” and import it again"),
                       at_catalog_get_code (catalog), at_catalog_get_version (catalog), uses);
          return FALSE;
        }
      put = _at_store_prepare (store, "UPDATE catalogs SET sha256 = ?, origin = ?, json = ?, added_at = ? WHERE id = ?", error);
      if (put == NULL)
        return FALSE;
      sqlite3_bind_int64 (put, 5, id);
    }
  else
    {
      put = _at_store_prepare (store, "INSERT INTO catalogs (sha256, origin, json, added_at, code, version) "
                                      "VALUES (?, ?, ?, ?, ?, ?)", error);
      if (put == NULL)
        return FALSE;
      sqlite3_bind_text (put, 5, at_catalog_get_code (catalog), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 6, at_catalog_get_version (catalog), -1, SQLITE_TRANSIENT);
    }

  sqlite3_bind_text (put, 1, at_catalog_get_sha256 (catalog), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 2, origin, -1, SQLITE_STATIC);
  sqlite3_bind_text (put, 3, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 4, now, -1, SQLITE_TRANSIENT);
  return _at_store_step_done (store, put, error);
}

static gboolean
is_registered (AtStore    *store,
               const char *sha256)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT 1 FROM catalogs WHERE sha256 = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

gboolean
_at_standards_sync_bundled (AtStore  *store,
                            GError  **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_object_unref);

  names = g_resource_enumerate_children (at_catalogs_get_resource (), BUNDLED_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return FALSE;

  /* Every open (every attest-cli run) comes here: once these very bytes are registered there is
   * nothing to do, and hashing them costs far less than validating them. What is missing is
   * parsed before the write lock is taken, so a first start on a slow machine does not hold
   * every other program of the data directory back for the seconds a catalog takes. */
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *path = g_strconcat (BUNDLED_PATH "/", names[i], NULL);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (at_catalogs_get_resource (), path,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      g_autofree char *sha256 = NULL;
      AtCatalog *catalog;

      if (bytes == NULL)
        return FALSE;
      sha256 = at_sha256_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (is_registered (store, sha256))
        continue;
      if (!(catalog = load_cached (bytes, names[i], sha256, error)))
        return FALSE;
      g_ptr_array_add (missing, catalog);
    }
  if (missing->len == 0)
    return TRUE;

  if (!_at_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < missing->len; i++)
    {
      AtCatalog *catalog = missing->pdata[i];
      g_autoptr(GError) local_error = NULL;

      /* another program may have registered it while we parsed */
      if (is_registered (store, at_catalog_get_sha256 (catalog)))
        continue;
      /* A bundled catalog that an older build shipped under the same version and that is in use
       * stays as it was: the assessments made on it keep their text. */
      if (!register_catalog (store, catalog, "bundled", &local_error) &&
          !g_error_matches (local_error, AT_ERROR, AT_ERROR_REFUSED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          _at_store_rollback (store);
          return FALSE;
        }
    }
  return _at_store_commit (store, error);
}

static AtCatalog *
catalog_from_row (AtStore       *store,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  /* columns: code, version, sha256, json */
  g_autofree char *name = g_strdup_printf ("%s %s", _at_col_text (stmt, 0), _at_col_text (stmt, 1));
  g_autoptr(GBytes) bytes = g_bytes_new (sqlite3_column_text (stmt, 3), sqlite3_column_bytes (stmt, 3));

  return load_cached (bytes, name, _at_col_text (stmt, 2), error);
}

GPtrArray *
at_standards_list (AtStore  *store,
                   GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);

  stmt = _at_store_prepare (store, "SELECT code, version, sha256, json FROM catalogs ORDER BY code, id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AtCatalog *catalog = catalog_from_row (store, stmt, error);
      if (catalog == NULL)
        return NULL;
      g_ptr_array_add (list, catalog);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the catalogs"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

AtCatalog *
at_standards_get (AtStore     *store,
                  const char  *code,
                  const char  *version,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  /* Without a version, the one added last: importing a new version makes it the default. */
  stmt = _at_store_prepare (store, version
                            ? "SELECT code, version, sha256, json FROM catalogs WHERE code = ? AND version = ?"
                            : "SELECT code, version, sha256, json FROM catalogs WHERE code = ? ORDER BY id DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  if (version)
    sqlite3_bind_text (stmt, 2, version, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (version)
        g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("no standard “%s” version “%s” (see “attest-cli standards list”)"), code, version);
      else
        g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("no standard “%s” (see “attest-cli standards list”)"), code);
      return NULL;
    }
  return catalog_from_row (store, stmt, error);
}

AtCatalog *
at_standards_get_by_id (AtStore     *store,
                        gint64       id,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT sha256 FROM catalogs WHERE id = ?", error);
  AtCatalog *catalog = NULL;

  if (stmt == NULL)
    return NULL;
  /* every assessment looked up asks for its catalog: the loaded one is used again without
   * reading its text (a few hundred KB) out of the database first */
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      G_LOCK (cache);
      catalog = g_hash_table_lookup (catalog_cache (), _at_col_text (stmt, 0));
      if (catalog != NULL)
        g_object_ref (catalog);
      G_UNLOCK (cache);
      if (catalog != NULL)
        return catalog;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = _at_store_prepare (store, "SELECT code, version, sha256, json FROM catalogs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("the catalog of this assessment (%lld) is missing"), (long long) id);
      return NULL;
    }
  return catalog_from_row (store, stmt, error);
}

gint64
at_standards_lookup_id (AtStore    *store,
                        AtCatalog  *catalog,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT id FROM catalogs WHERE sha256 = ?", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, at_catalog_get_sha256 (catalog), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("catalog %s %s is not in this store"),
                   at_catalog_get_code (catalog), at_catalog_get_version (catalog));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
at_standards_is_bundled (AtStore   *store,
                         AtCatalog *catalog)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT origin FROM catalogs WHERE sha256 = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, at_catalog_get_sha256 (catalog), -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW && g_strcmp0 (_at_col_text (stmt, 0), "bundled") == 0;
}

AtCatalog *
at_standards_import (AtStore     *store,
                     const char  *path,
                     GPtrArray   *warnings,
                     GError     **error)
{
  g_autoptr(AtCatalog) catalog = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *base = NULL;
  GBytes *bytes;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);

  catalog = at_catalog_load_file (path, warnings, error);
  if (catalog == NULL)
    return NULL;

  if (!_at_store_begin (store, error))
    return NULL;
  if (!register_catalog (store, catalog, "imported", error))
    {
      _at_store_rollback (store);
      return NULL;
    }

  /* The copy in the data directory is for people (and backups); the database row is what
   * Attest reads. Write the copy before committing so a failure leaves neither. */
  dir = at_store_get_path (store, "catalogs", NULL);
  base = g_strdup_printf ("%s-%s.json", at_catalog_get_code (catalog), at_catalog_get_version (catalog));
  g_strdelimit (base, "/\\", '_');
  file = g_build_filename (dir, base, NULL);
  bytes = at_catalog_get_bytes (catalog);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !at_write_file_atomic (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 0644, error))
    {
      if (error && *error == NULL)
        g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not create %s"), dir);
      _at_store_rollback (store);
      return NULL;
    }

  if (!_at_store_commit (store, error))
    return NULL;

  return g_steal_pointer (&catalog);
}
