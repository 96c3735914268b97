/* at-records.c — the records of one assessment, as canonical JSON */
#include "config.h"

#include <openssl/evp.h>
#include <string.h>

#include "at-error.h"
#include "at-records-private.h"
#include "at-store-private.h"
#include "at-util.h"

#define KEYS(...) ((const char * const[]) { __VA_ARGS__, NULL })
#define NONE ((const char * const[]) { NULL })

/* Order matters only for readability of manifests; keys are what identify a row. The
 * assessment's own row is keyed by its id; every other table by assessment_id plus its keys. */
static const AtEntityDesc entities[] = {
  { "assessment", "assessments", KEYS ("id"), KEYS ("state", "updated_at"), KEYS ("basis", "based_on"), FALSE },
  { "finding", "findings", KEYS ("clause"), NONE, NONE, FALSE },
  /* source: which of the organisation's data a measured value came from (schema 5) */
  { "measurement", "measurements", KEYS ("clause", "indicator"), NONE, KEYS ("source"), FALSE },
  { "evidence", "evidence", KEYS ("sha256"), NONE, KEYS ("origin"), TRUE },
  { "link", "evidence_links", KEYS ("sha256", "clause"), NONE, NONE, FALSE },
  /* who of the team takes which clause: how the work was split, not what was found */
  { "assignment", "assignments", KEYS ("clause"), KEYS ("*"), NONE, FALSE },
  { "nc", "nonconformities", KEYS ("id"),
    KEYS ("status", "response", "responded_by", "responded_at", "verified_by", "verified_at"), NONE, FALSE },
  /* follow-up after the sign-offs: corrective actions' evidence, and the recheck, which the
   * sign-offs sign separately (review-sha256) */
  { "nc-evidence", "nc_evidence", KEYS ("nc_id", "sha256"), KEYS ("*"), NONE, TRUE },
  { "review", "reviews", KEYS ("round", "clause"), KEYS ("*"), NONE, FALSE },
  { "signoff", "signoffs", KEYS ("id"), KEYS ("*"),
    KEYS ("review_digest", "voided_at", "voided_by", "void_reason"), FALSE },
  { "certificate", "certificates", KEYS ("assessment_id"), KEYS ("*"), NONE, FALSE },
};

const AtEntityDesc *
_at_records_entities (guint *n_entities)
{
  *n_entities = G_N_ELEMENTS (entities);
  return entities;
}

const AtEntityDesc *
_at_records_lookup (const char *entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_strcmp0 (entities[i].entity, entity) == 0)
      return &entities[i];
  return NULL;
}

static gboolean
keyed_by_own_id (const AtEntityDesc *desc)
{
  /* assessments (id) and certificates (assessment_id) are one row per assessment */
  return g_str_equal (desc->table, "assessments") || g_str_equal (desc->table, "certificates");
}

static char *
where_clause (const AtEntityDesc *desc)
{
  GString *sql = g_string_new (NULL);

  if (keyed_by_own_id (desc))
    g_string_append_printf (sql, "%s = ?1", desc->key_columns[0]);
  else
    {
      g_string_append (sql, "assessment_id = ?1");
      for (guint i = 0; desc->key_columns[i]; i++)
        g_string_append_printf (sql, " AND %s = ?%u", desc->key_columns[i], i + 2);
    }
  return g_string_free (sql, FALSE);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* A row as a JSON object with its members in name order: the same row always gives the same
 * bytes, whatever order the columns were added to the table in. */
static JsonObject *
row_to_object (const AtEntityDesc *desc,
               sqlite3_stmt       *stmt)
{
  JsonObject *object = json_object_new ();
  int n = sqlite3_column_count (stmt);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (int i = 0; i < n; i++)
    g_ptr_array_add (names, (gpointer) sqlite3_column_name (stmt, i));
  g_ptr_array_sort (names, compare_names);

  for (guint j = 0; j < names->len; j++)
    {
      int i;
      for (i = 0; i < n; i++)
        if (g_str_equal (sqlite3_column_name (stmt, i), names->pdata[j]))
          break;

      if (sqlite3_column_type (stmt, i) == SQLITE_NULL &&
          g_strv_contains (desc->late_columns, names->pdata[j]))
        continue;

      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_INTEGER:
          json_object_set_int_member (object, names->pdata[j], sqlite3_column_int64 (stmt, i));
          break;
        case SQLITE_FLOAT:
          json_object_set_double_member (object, names->pdata[j], sqlite3_column_double (stmt, i));
          break;
        case SQLITE_TEXT:
          json_object_set_string_member (object, names->pdata[j], _at_col_text (stmt, i));
          break;
        case SQLITE_BLOB:
          {
            const guchar *blob = sqlite3_column_blob (stmt, i);
            int len = sqlite3_column_bytes (stmt, i);
            g_autofree char *b64 = g_base64_encode (blob, len);
            json_object_set_string_member (object, names->pdata[j], b64);
          }
          break;
        default:
          json_object_set_null_member (object, names->pdata[j]);
        }
    }
  return object;
}

JsonObject *
_at_records_row (AtStore     *store,
                 const char  *entity,
                 const char  *assessment_id,
                 const char  *key,
                 GError     **error)
{
  const AtEntityDesc *desc = _at_records_lookup (entity);
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (desc != NULL, NULL);

  where = where_clause (desc);
  sql = g_strdup_printf ("SELECT * FROM %s WHERE %s", desc->table, where);
  stmt = _at_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  if (!keyed_by_own_id (desc))
    {
      parts = g_strsplit (key, "/", -1);
      for (guint i = 0; desc->key_columns[i]; i++)
        sqlite3_bind_text (stmt, i + 2, parts[i] ? parts[i] : "", -1, SQLITE_TRANSIENT);
    }

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return row_to_object (desc, stmt);
}

char *
_at_json_canonical (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

char *
_at_records_state (AtStore     *store,
                   const char  *entity,
                   const char  *assessment_id,
                   const char  *key,
                   GError     **error)
{
  g_autoptr(JsonObject) object = _at_records_row (store, entity, assessment_id, key, error);
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  return _at_json_canonical (node);
}

GPtrArray *
_at_records_keys (AtStore     *store,
                  const char  *entity,
                  const char  *assessment_id,
                  GError     **error)
{
  const AtEntityDesc *desc = _at_records_lookup (entity);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) cols = g_string_new (NULL);
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n_keys = 0;

  g_return_val_if_fail (desc != NULL, NULL);

  for (guint i = 0; desc->key_columns[i]; i++, n_keys++)
    g_string_append_printf (cols, "%s%s", i ? ", " : "", desc->key_columns[i]);
  sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s = ? ORDER BY %s", cols->str, desc->table,
                         g_str_equal (desc->table, "assessments") ? "id" : "assessment_id", cols->str);
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

gboolean
_at_records_foreach (AtStore       *store,
                     const char    *entity,
                     const char    *assessment_id,
                     AtRecordsFunc  func,
                     gpointer       user_data,
                     GError       **error)
{
  return _at_records_foreach_where (store, entity, assessment_id, NULL, NULL, func, user_data, error);
}

gboolean
_at_records_foreach_where (AtStore       *store,
                           const char    *entity,
                           const char    *assessment_id,
                           const char    *condition,
                           const char    *arg,
                           AtRecordsFunc  func,
                           gpointer       user_data,
                           GError       **error)
{
  const AtEntityDesc *desc = _at_records_lookup (entity);
  g_autoptr(GString) cols = g_string_new (NULL);
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree int *key_index = NULL;
  guint n_keys = 0;
  int rc;

  g_return_val_if_fail (desc != NULL, FALSE);

  for (guint i = 0; desc->key_columns[i]; i++, n_keys++)
    g_string_append_printf (cols, "%s%s", i ? ", " : "", desc->key_columns[i]);
  sql = g_strdup_printf ("SELECT * FROM %s WHERE %s = ?1%s%s ORDER BY %s", desc->table,
                         g_str_equal (desc->table, "assessments") ? "id" : "assessment_id",
                         condition ? " AND " : "", condition ? condition : "", cols->str);
  stmt = _at_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  if (condition != NULL)
    sqlite3_bind_text (stmt, 2, arg, -1, SQLITE_TRANSIENT);

  /* where the key columns are, looked up once rather than for every row */
  key_index = g_new0 (int, n_keys + 1);
  for (guint i = 0; i < n_keys; i++)
    for (int c = 0; c < sqlite3_column_count (stmt); c++)
      if (g_str_equal (sqlite3_column_name (stmt, c), desc->key_columns[i]))
        key_index[i] = c;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GString) key = g_string_new (NULL);
      g_autoptr(JsonObject) row = row_to_object (desc, stmt);

      for (guint i = 0; i < n_keys; i++)
        g_string_append_printf (key, "%s%s", i ? "/" : "", _at_col_text (stmt, key_index[i]));
      func (key->str, row, user_data);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, desc->table);
      return FALSE;
    }
  return TRUE;
}

/* ---- digests, streamed ------------------------------------------------------------------- */

/* A digest of a JSON array is the SHA-256 of its canonical text, “[a,b,…]” with each element
 * canonical too: fed element by element, so that memory holds one record at a time however
 * many there are, and the bytes hashed are exactly those of the whole array written at once. */
struct _AtDigestStream
{
  EVP_MD_CTX *md;
  gboolean    empty;
};

AtDigestStream *
_at_digest_stream_new (void)
{
  AtDigestStream *self = g_new0 (AtDigestStream, 1);

  self->md = EVP_MD_CTX_new ();
  self->empty = TRUE;
  if (self->md == NULL || !EVP_DigestInit_ex (self->md, EVP_sha256 (), NULL))
    g_error ("OpenSSL could not start SHA-256");
  EVP_DigestUpdate (self->md, "[", 1);
  return self;
}

void
_at_digest_stream_add (AtDigestStream *self,
                       const char     *entity,
                       const char     *key,
                       JsonObject     *record)
{
  g_autoptr(JsonObject) item = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (item, "entity", entity);
  json_object_set_string_member (item, "key", key);
  json_object_set_object_member (item, "record", json_object_ref (record));
  node = json_node_init_object (json_node_alloc (), item);
  text = _at_json_canonical (node);
  if (!self->empty)
    EVP_DigestUpdate (self->md, ",", 1);
  EVP_DigestUpdate (self->md, text, strlen (text));
  self->empty = FALSE;
}

char *
_at_digest_stream_finish (AtDigestStream *self)
{
  guchar digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  char *hex;

  EVP_DigestUpdate (self->md, "]", 1);
  EVP_DigestFinal_ex (self->md, digest, &len);
  hex = g_malloc (len * 2 + 1);
  for (unsigned int i = 0; i < len; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", digest[i]);
  EVP_MD_CTX_free (self->md);
  g_free (self);
  return hex;
}

void
_at_digest_stream_free (AtDigestStream *self)
{
  if (self == NULL)
    return;
  EVP_MD_CTX_free (self->md);
  g_free (self);
}

typedef struct
{
  AtDigestStream     *stream;
  const AtEntityDesc *desc;
  gboolean            strip_unsigned;
} DigestRows;

static void
digest_row (const char *key,
            JsonObject *row,
            gpointer    user_data)
{
  DigestRows *d = user_data;

  for (guint c = 0; d->strip_unsigned && d->desc->unsigned_columns[c]; c++)
    json_object_remove_member (row, d->desc->unsigned_columns[c]);
  _at_digest_stream_add (d->stream, d->desc->entity, key, row);
}

char *
_at_records_entity_digest (AtStore     *store,
                           const char  *entity,
                           const char  *assessment_id,
                           GError     **error)
{
  DigestRows d = { _at_digest_stream_new (), _at_records_lookup (entity), FALSE };

  g_return_val_if_fail (d.desc != NULL, NULL);
  if (!_at_records_foreach (store, entity, assessment_id, digest_row, &d, error))
    {
      _at_digest_stream_free (d.stream);
      return NULL;
    }
  return _at_digest_stream_finish (d.stream);
}

/* The digest a sign-off signs: every record of the assessment except the workflow's own
 * bookkeeping (state, NC follow-up, sign-offs, certificate), which moves on after signing
 * without changing what was assessed. */
char *
_at_records_digest (AtStore     *store,
                    const char  *assessment_id,
                    GError     **error)
{
  AtDigestStream *stream = _at_digest_stream_new ();

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      DigestRows d = { stream, &entities[i], TRUE };

      if (entities[i].unsigned_columns[0] && g_str_equal (entities[i].unsigned_columns[0], "*"))
        continue;
      if (!_at_records_foreach (store, entities[i].entity, assessment_id, digest_row, &d, error))
        {
          _at_digest_stream_free (stream);
          return NULL;
        }
    }
  return _at_digest_stream_finish (stream);
}
