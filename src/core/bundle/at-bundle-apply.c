/* at-bundle-apply.c — a checked bundle into a store
 *
 * The bundle is read and checked whole (at-bundle-read.c) before the store is touched. Then one
 * transaction: the catalog and the people are registered, the rows are inserted generically
 * (each column checked against the table as this store has it), the audit log is carried over,
 * and at_audit_verify must find the records and the log in agreement — else nothing is kept.
 * Evidence files move into the content-addressed store just before the commit: should the
 * commit fail, they are harmless files named by their own hash.
 *
 * The same assessment twice is decided by the audit chains: a bundle whose chain extends this
 * store's is a later revision and replaces it; one this store's chain extends is older and is
 * refused, as is one that forked; AT_BUNDLE_IMPORT_AS_COPY keeps a bundle as a new assessment
 * whose log starts with where it was copied from.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "at-audit-private.h"
#include "at-bundle-private.h"
#include "at-clause-digest-private.h"
#include "at-catalog.h"
#include "at-error.h"
#include "at-util.h"
#include "at-records-private.h"
#include "at-review.h"
#include "at-store-private.h"
#include "at-workflow.h"
#include "at-workflow-private.h"

typedef enum { MODE_FRESH, MODE_UPDATE, MODE_COPY } Mode;

typedef struct
{
  AtStore          *store;
  AtBundleContents *c;
  Mode              mode;
  gboolean          scratch;     /* a throwaway store (verify): renumber freely, keep nothing */
  char             *target_id;
  gint64            catalog_id;
  GHashTable       *id_map;      /* copies: old nonconformity and sign-off ids → new */
} Apply;

typedef struct
{
  char affinity;   /* 'I'nteger, 'R'eal, 'T'ext, 'B'lob */
} Column;

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      AtError      code,
      const char  *fmt,
      ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, fmt);
  msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error_literal (error, AT_ERROR, code, msg);
  return FALSE;
}

static gint64
query_int (AtStore    *store,
           const char *sql,
           const char *text,
           gint64      fallback)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, sql, NULL);

  if (stmt == NULL)
    return fallback;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
         ? sqlite3_column_int64 (stmt, 0) : fallback;
}

static gint64
catalog_uses (AtStore *store,
              gint64   catalog_id)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT count(*) FROM assessments WHERE catalog_id = ?", NULL);

  if (stmt == NULL)
    return G_MAXINT64;
  sqlite3_bind_int64 (stmt, 1, catalog_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : G_MAXINT64;
}

static gboolean
catalog_id_taken (AtStore *store,
                  gint64   id)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT 1 FROM catalogs WHERE id = ?", NULL);

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
exec_int2 (AtStore     *store,
           const char  *sql,
           gint64       a,
           gint64       b,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return _at_store_step_done (store, stmt, error);
}

/* ---- which revision ---------------------------------------------------------------------- */

static char *
describe_entry (const char *action,
                const char *entity,
                const char *key,
                const char *at)
{
  return g_strdup_printf (_("“%s” on %s %s at %s"), action, entity, key, at);
}

/* Decides the mode from the audit chains; *unchanged when the bundle is this store's revision. */
static gboolean
choose_mode (Apply                *ap,
             AtBundleImportFlags   flags,
             gboolean             *unchanged,
             GError              **error)
{
  AtBundleContents *c = ap->c;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint theirs = json_array_get_length (c->audit);
  guint ours = 0;
  gboolean exists;

  *unchanged = FALSE;
  if (flags & AT_BUNDLE_IMPORT_AS_COPY)
    {
      ap->mode = MODE_COPY;
      return TRUE;
    }

  exists = query_int (ap->store, "SELECT count(*) FROM assessments WHERE id = ?", c->assessment_id, 0) > 0 ||
           query_int (ap->store, "SELECT count(*) FROM audit_log WHERE assessment_id = ?", c->assessment_id, 0) > 0;
  if (!exists)
    {
      ap->mode = MODE_FRESH;
      return TRUE;
    }

  stmt = _at_store_prepare (ap->store, "SELECT hash, action, entity, entity_key, at FROM audit_log "
                                       "WHERE assessment_id = ? ORDER BY n", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->assessment_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *entry;

      if (ours < theirs)
        {
          entry = json_array_get_object_element (c->audit, ours);
          if (!g_str_equal (_at_col_text (stmt, 0), json_object_get_string_member (entry, "hash")))
            {
              g_autofree char *here = describe_entry (_at_col_text (stmt, 1), _at_col_text (stmt, 2),
                                                      _at_col_text (stmt, 3), _at_col_text (stmt, 4));
              g_autofree char *there = describe_entry (json_object_get_string_member (entry, "action"),
                                                       json_object_get_string_member (entry, "entity"),
                                                       json_object_get_string_member (entry, "entity_key"),
                                                       json_object_get_string_member (entry, "at"));
              return fail (error, AT_ERROR_REFUSED,
                           _("assessment %s has diverged: audit entry %u differs — this store has %s, the bundle has %s. "
                           "Nothing was imported; import it as a copy (--as-copy) to keep the bundle's version beside this one"),
                           c->assessment_id, ours + 1, here, there);
            }
        }
      ours++;
    }

  if (ours == theirs)
    *unchanged = TRUE;
  else if (ours > theirs)
    return fail (error, AT_ERROR_REFUSED,
                 _("this store has a later revision of assessment %s (%u audit entries; the bundle has the first %u of them): nothing was imported"),
                 c->assessment_id, ours, theirs);
  else
    ap->mode = MODE_UPDATE;
  return TRUE;
}

/* ---- catalog and people ------------------------------------------------------------------ */

static gboolean
resolve_catalog (Apply   *ap,
                 gint64   wanted,
                 GError **error)
{
  AtStore *store = ap->store;
  JsonObject *cat = ap->c->catalog;
  const char *code = json_object_get_string_member (cat, "code");
  const char *version = json_object_get_string_member (cat, "version");
  const char *sha256 = json_object_get_string_member (cat, "sha256");
  const char *text = json_object_get_string_member (cat, "json");
  g_autofree char *name = g_strdup_printf (_("the bundle's catalog %s %s"), code, version);
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autofree char *now = at_now_iso8601 ();
  gint64 local;

  /* the same bytes as a catalog this store has: validated when they came in */
  local = query_int (store, "SELECT id FROM catalogs WHERE sha256 = ?", sha256, -1);
  if (local < 0)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GError) local_error = NULL;
      g_autoptr(AtCatalog) parsed = at_catalog_load_bytes (bytes, name, NULL, &local_error);
      g_autoptr(sqlite3_stmt) put = NULL;
      gint64 other;

      if (parsed == NULL)
        return fail (error, AT_ERROR_INVALID, _("%s is not a valid catalog: %s"), name, local_error->message);
      if (g_strcmp0 (at_catalog_get_code (parsed), code) != 0 || g_strcmp0 (at_catalog_get_version (parsed), version) != 0)
        return fail (error, AT_ERROR_INVALID, _("%s is in fact %s %s"), name, at_catalog_get_code (parsed),
                     at_catalog_get_version (parsed));

      find = _at_store_prepare (store, "SELECT id, origin FROM catalogs WHERE code = ? AND version = ?", error);
      if (find == NULL)
        return FALSE;
      sqlite3_bind_text (find, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (find, 2, version, -1, SQLITE_TRANSIENT);
      other = sqlite3_step (find) == SQLITE_ROW ? sqlite3_column_int64 (find, 0) : -1;

      if (other >= 0)
        {
          /* An assessment is always read against the text it was made on: never swap it. */
          if (!ap->scratch && (catalog_uses (store, other) > 0 || g_strcmp0 (_at_col_text (find, 1), "bundled") == 0))
            return fail (error, AT_ERROR_REFUSED,
                         _("this store's catalog %s version %s is not the one the bundle's assessment was made on "
                         "(the texts differ) and %s; the catalog's author must give the changed text a new version"),
                         code, version, catalog_uses (store, other) > 0 ? _("assessments here use it") : _("it is built into Attest"));
          put = _at_store_prepare (store, "UPDATE catalogs SET sha256 = ?1, origin = 'imported', json = ?2, added_at = ?3 WHERE id = ?4", error);
          if (put == NULL)
            return FALSE;
          sqlite3_bind_int64 (put, 4, other);
          local = other;
        }
      else
        {
          put = _at_store_prepare (store, "INSERT INTO catalogs (sha256, json, added_at, id, code, version, origin) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'imported')", error);
          if (put == NULL)
            return FALSE;
          if (wanted > 0 && !catalog_id_taken (store, wanted))
            sqlite3_bind_int64 (put, 4, wanted);
          else
            sqlite3_bind_null (put, 4);
          sqlite3_bind_text (put, 5, code, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (put, 6, version, -1, SQLITE_TRANSIENT);
        }
      sqlite3_bind_text (put, 1, sha256, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 2, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 3, now, -1, SQLITE_TRANSIENT);
      if (!_at_store_step_done (store, put, error))
        return FALSE;
      if (local < 0)
        local = sqlite3_last_insert_rowid (_at_store_get_db (store));
    }

  /* The assessment row, and so its audit log, names the catalog by this store's row number
   * (catalog_id). Keep the bundle's number where that is possible without touching anything
   * in use; a copy gets a new log and may take any number. */
  if (wanted > 0 && local != wanted && ap->mode != MODE_COPY)
    {
      if (ap->scratch && catalog_id_taken (store, wanted))
        {
          gint64 spare = query_int (store, "SELECT max(id) + 1 FROM catalogs", NULL, 1);
          if (!exec_int2 (store, "UPDATE catalogs SET id = ?1 WHERE id = ?2", spare, wanted, error))
            return FALSE;
        }
      if (catalog_id_taken (store, wanted) || catalog_uses (store, local) > 0)
        return fail (error, AT_ERROR_REFUSED,
                     _("catalog %s %s has number %lld in this store but %lld"
                     " in the bundle's audit log, and the number cannot be changed here; import the bundle as a copy (--as-copy)"),
                     code, version, (long long) local, (long long) wanted);
      if (!exec_int2 (store, "UPDATE catalogs SET id = ?1 WHERE id = ?2", wanted, local, error))
        return FALSE;
      local = wanted;
    }
  ap->catalog_id = local;
  return TRUE;
}

static gboolean
insert_identities (Apply   *ap,
                   GError **error)
{
  JsonArray *identities = ap->c->identities;
  g_autofree char *now = at_now_iso8601 ();

  for (guint i = 0; i < json_array_get_length (identities); i++)
    {
      JsonObject *identity = json_array_get_object_element (identities, i);
      const char *id = json_object_get_string_member (identity, "id");
      const char *pem = json_object_get_string_member (identity, "cert_pem");
      g_autoptr(sqlite3_stmt) find = _at_store_prepare (ap->store, "SELECT cert_pem FROM identities WHERE id = ?", error);
      g_autoptr(sqlite3_stmt) put = NULL;
      g_autoptr(GString) roles = g_string_new (NULL);
      JsonArray *role_array = json_object_get_array_member (identity, "roles");

      if (find == NULL)
        return FALSE;
      sqlite3_bind_text (find, 1, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (find) == SQLITE_ROW)
        {
          /* Someone this store knows keeps the row it has (and their key, if it is here). */
          if (g_strcmp0 (_at_col_text (find, 0), pem) != 0)
            return fail (error, AT_ERROR_INVALID, _("identity %s in the bundle has another certificate than the one this store has"), id);
          continue;
        }

      /* Public only: no key file, so they can be shown and checked, never signed as. */
      for (guint r = 0; r < json_array_get_length (role_array); r++)
        g_string_append_printf (roles, "%s%s", r ? "," : "", json_array_get_string_element (role_array, r));
      put = _at_store_prepare (ap->store, "INSERT INTO identities (id, name, roles, org, cert_pem, created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
      if (put == NULL)
        return FALSE;
      sqlite3_bind_text (put, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 2, json_object_get_string_member (identity, "name"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 3, roles->str, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 4, json_object_get_string_member_with_default (identity, "org", NULL), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 5, pem, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (put, 6, now, -1, SQLITE_TRANSIENT);
      if (!_at_store_step_done (ap->store, put, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- rows --------------------------------------------------------------------------------- */

static GHashTable *
table_columns (AtStore     *store,
               const char  *table,
               GError     **error)
{
  g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info(%s)", table);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, sql, error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *type = g_ascii_strup (_at_col_text (stmt, 2) ? _at_col_text (stmt, 2) : "", -1);
      Column *column = g_new0 (Column, 1);

      /* SQLite's affinity rules, in its order */
      if (strstr (type, "INT"))
        column->affinity = 'I';
      else if (strstr (type, "CHAR") || strstr (type, "CLOB") || strstr (type, "TEXT"))
        column->affinity = 'T';
      else if (*type == '\0' || strstr (type, "BLOB"))
        column->affinity = 'B';
      else
        column->affinity = 'R';
      g_hash_table_insert (columns, g_strdup (_at_col_text (stmt, 1)), column);
    }
  return g_steal_pointer (&columns);
}

static gboolean
is_base64 (const char *text)
{
  gsize len = strlen (text);
  gsize pad = 0;

  if (len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char ch = text[i];
      if (ch == '=')
        pad++;
      else if (pad > 0 || !(g_ascii_isalnum (ch) || ch == '+' || ch == '/'))
        return FALSE;
    }
  return pad <= 2;
}

static const char *
mapped_id (Apply      *ap,
           const char *id)
{
  char *to = g_hash_table_lookup (ap->id_map, id);

  if (to == NULL)
    {
      to = g_uuid_string_random ();
      g_hash_table_insert (ap->id_map, g_strdup (id), to);
    }
  return to;
}

/* The value stored for one column: the bundle's, except where this store or a copy must
 * differ. Returns a new node, or NULL to store the bundle's. */
static JsonNode *
override (Apply              *ap,
          const AtEntityDesc *desc,
          const char         *column,
          JsonNode           *value)
{
  gboolean assessment = g_str_equal (desc->entity, "assessment");

  if ((assessment && g_str_equal (column, "id")) || g_str_equal (column, "assessment_id"))
    return json_node_init_string (json_node_alloc (), ap->target_id);
  if (assessment && g_str_equal (column, "catalog_id"))
    return json_node_init_int (json_node_alloc (), ap->catalog_id);
  if (ap->mode != MODE_COPY)
    return NULL;

  /* A copy is a working copy: the sign-offs signed the original's records, so they are kept on
   * file but void, and the copy is back in progress. */
  if (assessment && g_str_equal (column, "state") && JSON_NODE_HOLDS_VALUE (value))
    {
      const char *state = json_node_get_string (value);
      if (g_strcmp0 (state, "submitted") == 0 || g_strcmp0 (state, "approved") == 0 || g_strcmp0 (state, "certified") == 0)
        return json_node_init_string (json_node_alloc (), "in-progress");
    }
  if ((g_str_equal (desc->entity, "nc") || g_str_equal (desc->entity, "signoff")) && g_str_equal (column, "id") &&
      JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return json_node_init_string (json_node_alloc (), mapped_id (ap, json_node_get_string (value)));
  if (g_str_equal (desc->entity, "signoff") && g_str_equal (column, "previous") &&
      JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return json_node_init_string (json_node_alloc (), mapped_id (ap, json_node_get_string (value)));
  if (g_str_equal (desc->entity, "signoff") && g_str_equal (column, "valid"))
    return json_node_init_int (json_node_alloc (), 0);
  return NULL;
}

static gboolean
bind_value (Apply              *ap,
            sqlite3_stmt       *stmt,
            int                 index,
            const AtEntityDesc *desc,
            const char         *key,
            const char         *column,
            const Column       *info,
            JsonNode           *value,
            GError            **error)
{
  GType type = JSON_NODE_HOLDS_NULL (value) ? G_TYPE_NONE : json_node_get_value_type (value);
  static const char * const kinds[] = { "I", N_("a whole number"), "R", N_("a number"), "T", N_("text"), "B", N_("base64 data") };
  const char *wants = NULL;

  if (type == G_TYPE_NONE)
    {
      sqlite3_bind_null (stmt, index);
      return TRUE;
    }
  switch (info->affinity)
    {
    case 'I':
      if (type == G_TYPE_INT64)
        {
          sqlite3_bind_int64 (stmt, index, json_node_get_int (value));
          return TRUE;
        }
      break;
    case 'R':
      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        {
          sqlite3_bind_double (stmt, index, json_node_get_double (value));
          return TRUE;
        }
      break;
    case 'T':
      if (type == G_TYPE_STRING)
        {
          sqlite3_bind_text (stmt, index, json_node_get_string (value), -1, SQLITE_TRANSIENT);
          return TRUE;
        }
      break;
    default:
      /* _at_records_row writes blobs as base64 */
      if (type == G_TYPE_STRING && is_base64 (json_node_get_string (value)))
        {
          gsize len = 0;
          guchar *data = g_base64_decode (json_node_get_string (value), &len);
          sqlite3_bind_blob (stmt, index, data, (int) len, g_free);
          return TRUE;
        }
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i += 2)
    if (kinds[i][0] == info->affinity)
      wants = kinds[i + 1];
  return fail (error, AT_ERROR_INVALID, _("the bundle's %s %s has a “%s” that is not %s"), desc->entity, key, column, _(wants));
}

static gboolean
insert_row (Apply              *ap,
            const AtEntityDesc *desc,
            GHashTable         *columns,
            const char         *key,
            JsonObject         *row,
            GError            **error)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) marks = g_string_new (NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) column_names = g_ptr_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  JsonObjectIter iter;
  const char *column;
  JsonNode *value;
  int rc;

  json_object_iter_init (&iter, row);
  while (json_object_iter_next (&iter, &column, &value))
    {
      JsonNode *replaced;

      if (!g_hash_table_contains (columns, column))
        return fail (error, AT_ERROR_INVALID,
                     _("the bundle's %s records have a column “%s” that this version of Attest does not know "
                     "(was the bundle made by a newer Attest?)"), desc->entity, column);
      replaced = override (ap, desc, column, value);
      g_ptr_array_add (values, replaced ? replaced : json_node_ref (value));
      g_ptr_array_add (column_names, (gpointer) column);
      g_string_append_printf (names, "%s\"%s\"", names->len ? ", " : "", column);
      g_string_append_printf (marks, "%s?", marks->len ? ", " : "");
    }

  sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)", desc->table, names->str, marks->str);
  stmt = _at_store_prepare (ap->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < values->len; i++)
    if (!bind_value (ap, stmt, i + 1, desc, key, column_names->pdata[i],
                     g_hash_table_lookup (columns, column_names->pdata[i]), values->pdata[i], error))
      return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return fail (error, rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ? AT_ERROR_REFUSED : AT_ERROR_INVALID,
                     _("the bundle's %s %s cannot be stored here: %s"), desc->entity, key,
                     sqlite3_errmsg (_at_store_get_db (ap->store)));
      _at_store_set_error (ap->store, error, _("could not save"));
      return FALSE;
    }
  return TRUE;
}

/* Every person a record names must be known here by now (from the bundle or before). */
static gboolean
check_people (Apply              *ap,
              const AtEntityDesc *desc,
              GPtrArray          *id_columns,
              const char         *key,
              JsonObject         *row,
              GError            **error)
{
  for (guint i = 0; i < id_columns->len; i++)
    {
      JsonNode *node = json_object_get_member (row, id_columns->pdata[i]);
      const char *id;

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      id = json_node_get_string (node);
      if (query_int (ap->store, "SELECT count(*) FROM identities WHERE id = ?", id, 0) == 0)
        return fail (error, AT_ERROR_INVALID, _("the bundle's %s %s names identity %s (as %s), but the bundle does not carry that identity"),
                     desc->entity, key, id, (char *) id_columns->pdata[i]);
    }
  return TRUE;
}

/* An assessment that has been submitted is rechecked next: its clause digests are kept with it
 * now, in the import's transaction, so that the reviewer's checklist does not read every record
 * on first opening it. Best effort: never a reason to refuse the import. */
static gboolean
keep_clause_digests (Apply *ap)
{
  if (at_review_current_round (ap->store, ap->target_id) > 0)
    {
      g_autoptr(GHashTable) digests = _at_clause_digests (ap->store, ap->target_id, NULL);
    }
  return TRUE;
}

static gboolean
delete_assessment (Apply   *ap,
                   GError **error)
{
  const AtEntityDesc *descs;
  guint n_descs;

  /* dependants first: the entity table lists owners before what hangs off them */
  descs = _at_records_entities (&n_descs);
  for (guint i = n_descs; i-- > 0;)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s = ?", descs[i].table,
                                              g_str_equal (descs[i].entity, "assessment") ? "id" : "assessment_id");
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (g_str_equal (descs[i].entity, "assessment"))
        {
          g_autoptr(sqlite3_stmt) log = _at_store_prepare (ap->store, "DELETE FROM audit_log WHERE assessment_id = ?", error);
          g_autoptr(sqlite3_stmt) branches = _at_store_prepare (ap->store, "DELETE FROM audit_branches WHERE assessment_id = ?", error);
          if (log == NULL || branches == NULL)
            return FALSE;
          sqlite3_bind_text (log, 1, ap->target_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (branches, 1, ap->target_id, -1, SQLITE_TRANSIENT);
          if (!_at_store_step_done (ap->store, log, error) || !_at_store_step_done (ap->store, branches, error))
            return FALSE;
        }
      stmt = _at_store_prepare (ap->store, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, ap->target_id, -1, SQLITE_TRANSIENT);
      if (!_at_store_step_done (ap->store, stmt, error))
        {
          g_prefix_error (error, _("could not replace the earlier revision: "));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
insert_records (Apply   *ap,
                GError **error)
{
  const AtEntityDesc *descs;
  guint n_descs;

  descs = _at_records_entities (&n_descs);
  for (guint i = 0; i < n_descs; i++)
    {
      JsonNode *node = json_object_get_member (ap->c->records, descs[i].entity);
      g_autoptr(GHashTable) columns = NULL;
      g_autoptr(GPtrArray) id_columns = NULL;
      JsonArray *items;

      /* a bundle from an Attest that had fewer tables simply has none of these */
      if (node == NULL)
        continue;
      /* a copy is not certified: the certificate number belongs to the original */
      if (ap->mode == MODE_COPY && g_str_equal (descs[i].entity, "certificate"))
        continue;

      items = json_node_get_array (node);
      if (json_array_get_length (items) == 0)
        continue;
      columns = table_columns (ap->store, descs[i].table, error);
      id_columns = _at_bundle_identity_columns (ap->store, descs[i].table, error);
      if (columns == NULL || id_columns == NULL)
        return FALSE;

      for (guint k = 0; k < json_array_get_length (items); k++)
        {
          JsonObject *item = json_array_get_object_element (items, k);
          const char *key = json_object_get_string_member (item, "key");
          JsonObject *row = json_object_get_object_member (item, "row");

          if (!check_people (ap, &descs[i], id_columns, key, row, error) ||
              !insert_row (ap, &descs[i], columns, key, row, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---- the audit log ------------------------------------------------------------------------ */

/* Team members' logs merged in travel with the log they were merged into; at_audit_verify
 * (check_agreement) checks them against it. */
static gboolean
insert_branches (Apply   *ap,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  static const char * const names[] = { "at", "actor", "action", "entity", "entity_key", "state", "prev_hash", "hash" };

  if (ap->c->branches == NULL || json_array_get_length (ap->c->branches) == 0)
    return TRUE;
  stmt = _at_store_prepare (ap->store, "INSERT INTO audit_branches (assessment_id, merge_n, idx, n, at, actor, action, entity, "
                                       "entity_key, state, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (ap->c->branches); i++)
    {
      JsonObject *entry = json_array_get_object_element (ap->c->branches, i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, ap->target_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, json_object_get_int_member (entry, "merge_n"));
      sqlite3_bind_int64 (stmt, 3, json_object_get_int_member (entry, "idx"));
      sqlite3_bind_int64 (stmt, 4, json_object_get_int_member (entry, "n"));
      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        sqlite3_bind_text (stmt, j + 5, json_object_get_string_member_with_default (entry, names[j], NULL), -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return fail (error, AT_ERROR_INVALID, _("the bundle's merged logs cannot be stored: %s"),
                     sqlite3_errmsg (_at_store_get_db (ap->store)));
    }
  return TRUE;
}

static gboolean
insert_audit (Apply   *ap,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  static const char * const names[] = { "at", "actor", "action", "entity", "entity_key", "state", "prev_hash", "hash" };

  stmt = _at_store_prepare (ap->store, "INSERT INTO audit_log (assessment_id, n, at, actor, action, entity, entity_key, state, prev_hash, hash) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (ap->c->audit); i++)
    {
      JsonObject *entry = json_array_get_object_element (ap->c->audit, i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, ap->target_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, json_object_get_int_member (entry, "n"));
      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        sqlite3_bind_text (stmt, j + 3, json_object_get_string_member_with_default (entry, names[j], NULL), -1, SQLITE_TRANSIENT);
      if (!_at_store_step_done (ap->store, stmt, error))
        return FALSE;
    }
  return insert_branches (ap, error);
}

/* A copy's log starts over: first where it came from, then every record as it now is. */
static gboolean
rebuild_audit (Apply   *ap,
               GError **error)
{
  JsonArray *audit = ap->c->audit;
  guint n = json_array_get_length (audit);
  JsonObject *last = json_array_get_object_element (audit, n - 1);
  g_autofree char *origin = g_strdup_printf ("copy: of assessment %s as of its audit entry %u (%s)",
                                             ap->c->assessment_id, n, json_object_get_string_member (last, "hash"));
  const AtEntityDesc *descs;
  guint n_descs;

  if (!_at_audit_append (ap->store, ap->target_id, NULL, origin, "assessment", ap->target_id, error))
    return FALSE;

  descs = _at_records_entities (&n_descs);
  for (guint i = 0; i < n_descs; i++)
    {
      g_autoptr(GPtrArray) keys = NULL;

      if (g_str_equal (descs[i].entity, "assessment"))
        continue;
      keys = _at_records_keys (ap->store, descs[i].entity, ap->target_id, error);
      if (keys == NULL)
        return FALSE;
      for (guint k = 0; k < keys->len; k++)
        if (!_at_audit_append (ap->store, ap->target_id, NULL, "copy", descs[i].entity, keys->pdata[k], error))
          return FALSE;
    }
  return TRUE;
}

static gboolean
check_agreement (Apply   *ap,
                 GError **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *all = NULL;
  guint n_entries = 0;

  if (!at_audit_verify (ap->store, ap->target_id, problems, &n_entries, error))
    return FALSE;
  if (problems->len == 0)
    return TRUE;
  g_ptr_array_add (problems, NULL);
  all = g_strjoinv ("\n", (char **) problems->pdata);
  return fail (error, AT_ERROR_INVALID,
               _("the bundle's records do not agree with its audit log (%u entries), so nothing was imported:\n%s"),
               n_entries, all);
}

/* A bundle whose records and log were rewritten consistently, and signed again by whoever
 * exported it, passes the checks above: the sign-offs are what the exporter cannot redo. Every
 * sign-off in force must still sign these records. */
static gboolean
check_signoffs (Apply   *ap,
                GError **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) bad = g_string_new (NULL);

  if (ap->mode == MODE_COPY)
    return TRUE;  /* a copy's sign-offs are on file, void */
  if (_at_signoffs_verify_full (ap->store, ap->target_id, lines, failed, error))
    return TRUE;
  if (error && *error)
    return FALSE;
  for (guint i = 0; i < failed->len; i++)
    g_string_append_printf (bad, "\n%s", (const char *) failed->pdata[i]);
  return fail (error, AT_ERROR_INVALID,
               _("the bundle's sign-offs do not sign its records, so nothing was imported:%s"), bad->str);
}

/* ---- evidence files ----------------------------------------------------------------------- */

static gboolean
move_evidence (Apply   *ap,
               GError **error)
{
  g_autoptr(GHashTable) dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer dir;

  for (guint i = 0; i < ap->c->file_order->len; i++)
    {
      AtBundleFile *file = ap->c->file_order->pdata[i];
      g_autofree char *dest = _at_bundle_evidence_path (ap->store, file->sha256);
      g_autofree char *parent = g_path_get_dirname (dest);

      /* content-addressed: a file already here is this very file */
      if (g_file_test (dest, G_FILE_TEST_EXISTS))
        continue;
      if (g_mkdir_with_parents (parent, 0700) != 0)
        {
          int saved = errno;
          return fail (error, AT_ERROR_FAILED, _("could not create %s: %s"), parent, at_strerror (saved));
        }
      if (g_rename (file->tmp_path, dest) != 0)
        {
          int saved = errno;
          return fail (error, AT_ERROR_FAILED, _("could not move evidence into %s: %s"), dest, at_strerror (saved));
        }
      g_clear_pointer (&file->tmp_path, g_free);
      g_hash_table_add (dirs, g_steal_pointer (&parent));
    }

  if (g_hash_table_size (dirs) > 0)
    g_hash_table_add (dirs, at_store_get_path (ap->store, "evidence", NULL));
  g_hash_table_iter_init (&iter, dirs);
  while (g_hash_table_iter_next (&iter, &dir, NULL))
    if (!at_fsync_dir (dir, error))
      return FALSE;
  return TRUE;
}

/* ---- the whole -------------------------------------------------------------------------- */

char *
_at_bundle_apply (AtStore             *store,
                  AtBundleContents    *c,
                  AtBundleImportFlags  flags,
                  gboolean             scratch,
                  AtBundleOutcome     *outcome,
                  GError             **error)
{
  Apply ap = { store, c, MODE_FRESH, scratch, NULL, 0, NULL };
  JsonObject *assessment_row;
  gboolean unchanged = FALSE;
  gboolean ok;

  assessment_row = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (c->records, "assessment"), 0), "row");

  if (!_at_store_begin (store, error))
    return NULL;
  if (!choose_mode (&ap, flags, &unchanged, error))
    {
      _at_store_rollback (store);
      return NULL;
    }
  if (unchanged)
    {
      _at_store_rollback (store);
      *outcome = AT_BUNDLE_UNCHANGED;
      return g_strdup (c->assessment_id);
    }

  ap.target_id = ap.mode == MODE_COPY ? g_uuid_string_random () : g_strdup (c->assessment_id);
  ap.id_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  ok = resolve_catalog (&ap, json_object_get_int_member_with_default (assessment_row, "catalog_id", -1), error) &&
       insert_identities (&ap, error) &&
       (ap.mode != MODE_UPDATE || delete_assessment (&ap, error)) &&
       insert_records (&ap, error) &&
       (ap.mode == MODE_COPY ? rebuild_audit (&ap, error) : insert_audit (&ap, error)) &&
       check_agreement (&ap, error) &&
       check_signoffs (&ap, error);

  if (ok && scratch)
    {
      /* verifying only: everything checked, nothing kept */
      _at_store_rollback (store);
    }
  else if (!ok || !move_evidence (&ap, error) || !keep_clause_digests (&ap) || !_at_store_commit (store, error))
    {
      _at_store_rollback (store);
      g_hash_table_unref (ap.id_map);
      g_free (ap.target_id);
      return NULL;
    }

  *outcome = ap.mode == MODE_COPY ? AT_BUNDLE_COPIED : ap.mode == MODE_UPDATE ? AT_BUNDLE_UPDATED : AT_BUNDLE_IMPORTED;
  g_hash_table_unref (ap.id_map);
  return ap.target_id;
}

/* ---- for a merge (at-bundle-merge.c) ------------------------------------------------------ */

gboolean
_at_bundle_put_identities (AtStore           *store,
                           AtBundleContents  *c,
                           GError           **error)
{
  Apply ap = { store, c, MODE_UPDATE, FALSE, (char *) c->assessment_id, 0, NULL };

  return insert_identities (&ap, error);
}

gboolean
_at_bundle_put_files (AtStore           *store,
                      AtBundleContents  *c,
                      GError           **error)
{
  Apply ap = { store, c, MODE_UPDATE, FALSE, (char *) c->assessment_id, 0, NULL };

  return move_evidence (&ap, error);
}

/* One row of the bundle's assessment into this store's, replacing the row of the same key in
 * place (an UPDATE: a delete would cascade to the rows that hang off it), or inserting it;
 * with row NULL, deleting it. Columns are checked as on import; people must be known. */
gboolean
_at_bundle_put_row (AtStore             *store,
                    AtBundleContents    *c,
                    gint64               catalog_id,
                    const AtEntityDesc  *desc,
                    const char          *key,
                    JsonObject          *row,
                    GError             **error)
{
  Apply ap = { store, c, MODE_UPDATE, FALSE, (char *) c->assessment_id, catalog_id, NULL };
  g_autoptr(GHashTable) columns = table_columns (store, desc->table, error);
  g_autoptr(GPtrArray) id_columns = _at_bundle_identity_columns (store, desc->table, error);
  g_auto(GStrv) parts = g_strsplit (key, "/", -1);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GString) sets = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean own = g_str_equal (desc->entity, "assessment");
  guint n_keys = 0;
  int rc;

  if (columns == NULL || id_columns == NULL)
    return FALSE;
  if (row != NULL && !check_people (&ap, desc, id_columns, key, row, error))
    return FALSE;

  /* the key: the assessment's own row by its id, every other by assessment_id and its keys */
  if (own)
    g_string_append (where, "id = ?1");
  else
    {
      g_string_append (where, "assessment_id = ?1");
      for (guint i = 0; desc->key_columns[i]; i++, n_keys++)
        g_string_append_printf (where, " AND \"%s\" = ?%u", desc->key_columns[i], i + 2);
    }
  if (!own && g_strv_length (parts) != n_keys)
    return fail (error, AT_ERROR_INVALID, _("the bundle's %s has a malformed key “%s”"), desc->entity, key);

  if (row == NULL)
    sql = g_strdup_printf ("DELETE FROM %s WHERE %s", desc->table, where->str);
  else
    {
      GHashTableIter iter;
      gpointer name;
      gboolean exists;

      sql = g_strdup_printf ("SELECT 1 FROM %s WHERE %s", desc->table, where->str);
      stmt = _at_store_prepare (store, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, c->assessment_id, -1, SQLITE_TRANSIENT);
      for (guint i = 0; i < n_keys; i++)
        sqlite3_bind_text (stmt, i + 2, parts[i], -1, SQLITE_TRANSIENT);
      exists = sqlite3_step (stmt) == SQLITE_ROW;
      g_clear_pointer (&stmt, sqlite3_finalize);
      g_clear_pointer (&sql, g_free);
      if (!exists)
        return insert_row (&ap, desc, columns, key, row, error);

      /* every column of the table: one the row leaves out (a late column) is NULL */
      g_hash_table_iter_init (&iter, columns);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        {
          g_string_append_printf (sets, "%s\"%s\" = ?%u", sets->len ? ", " : "", (char *) name, 2 + n_keys + names->len);
          g_ptr_array_add (names, g_strdup (name));
        }
      {
        JsonObjectIter it;
        const char *column;
        JsonNode *value;

        json_object_iter_init (&it, row);
        while (json_object_iter_next (&it, &column, &value))
          if (!g_hash_table_contains (columns, column))
            return fail (error, AT_ERROR_INVALID,
                         _("the bundle's %s records have a column “%s” that this version of Attest does not know "
                         "(was the bundle made by a newer Attest?)"), desc->entity, column);
      }
      sql = g_strdup_printf ("UPDATE %s SET %s WHERE %s", desc->table, sets->str, where->str);
    }

  stmt = _at_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->assessment_id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < n_keys; i++)
    sqlite3_bind_text (stmt, i + 2, parts[i], -1, SQLITE_TRANSIENT);
  for (guint i = 0; row != NULL && i < names->len; i++)
    {
      const char *column = names->pdata[i];
      JsonNode *value = json_object_has_member (row, column) ? json_object_get_member (row, column) : NULL;
      g_autoptr(JsonNode) null = json_node_new (JSON_NODE_NULL);
      g_autoptr(JsonNode) replaced = value ? override (&ap, desc, column, value) : NULL;

      if (!bind_value (&ap, stmt, 2 + n_keys + i, desc, key, column, g_hash_table_lookup (columns, column),
                       replaced ? replaced : value ? value : null, error))
        return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return fail (error, AT_ERROR_REFUSED, _("the bundle's %s %s cannot be stored here: %s"), desc->entity, key,
                     sqlite3_errmsg (_at_store_get_db (store)));
      _at_store_set_error (store, error, _("could not save"));
      return FALSE;
    }
  return TRUE;
}
