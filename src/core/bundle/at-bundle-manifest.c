/* at-bundle-manifest.c — checking a bundle's manifest.json, trusting nothing in it
 *
 * Structure and types first (every member the importer will read is there and of its type,
 * every row belongs to the bundle's assessment under its own key, the evidence list and the
 * evidence records agree, the limits hold), then the signature over the exact bytes, then that
 * the audit log's chain holds and the records are what it last recorded. Each problem is one
 * sentence.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "at-audit-private.h"
#include "at-bundle-private.h"
#include "at-error.h"
#include "at-identity.h"
#include "at-records-private.h"
#include "at-signature.h"

/* The manifest nests five levels deep; anything much deeper is an attack on the parser. */
#define MAX_JSON_DEPTH 32

gboolean
_at_bundle_is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

char *
_at_bundle_evidence_path (AtStore    *store,
                          const char *sha256)
{
  char prefix[3] = { sha256[0], sha256[1], '\0' };

  return at_store_get_path (store, "evidence", prefix, sha256, NULL);
}

char *
_at_bundle_format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

char *
_at_bundle_cert_id (const char  *cert_pem,
                    char       **fingerprint_out,
                    GError     **error)
{
  BIO *bio = BIO_new_mem_buf (cert_pem, -1);
  X509 *cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  guchar md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  GString *id;

  BIO_free (bio);
  if (cert == NULL || !X509_digest (cert, EVP_sha256 (), md, &len) || len < 8)
    {
      ERR_clear_error ();
      X509_free (cert);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the certificate is not a PEM X.509 certificate"));
      return NULL;
    }
  X509_free (cert);

  id = g_string_new (NULL);
  for (unsigned int i = 0; i < 8; i++)
    g_string_append_printf (id, "%02x", md[i]);
  if (fingerprint_out != NULL)
    {
      GString *fp = g_string_new (NULL);
      for (unsigned int i = 0; i < len; i++)
        g_string_append_printf (fp, "%02x", md[i]);
      *fingerprint_out = g_string_free (fp, FALSE);
    }
  return g_string_free (id, FALSE);
}

char *
_at_bundle_row_key (const char *entity,
                    JsonObject *row)
{
  const AtEntityDesc *desc = _at_records_lookup (entity);
  GString *key = g_string_new (NULL);

  for (guint i = 0; desc->key_columns[i]; i++)
    {
      JsonNode *node = json_object_get_member (row, desc->key_columns[i]);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        {
          g_string_free (key, TRUE);
          return NULL;
        }
      if (i > 0)
        g_string_append_c (key, '/');
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append (key, json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        g_string_append_printf (key, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        {
          g_string_free (key, TRUE);
          return NULL;
        }
    }
  return g_string_free (key, FALSE);
}

/* ---- the manifest ---------------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (2, 3)
malformed (GError     **error,
           const char  *fmt,
           ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, fmt);
  msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the bundle's manifest is not valid: %s"), msg);
  return FALSE;
}

/* json-glib parses recursively: refuse deep nesting before it can exhaust the stack. */
static gboolean
json_depth_ok (const char *data,
               gsize       len)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return TRUE;
}

static gboolean
get_member (JsonObject  *object,
            const char  *where,
            const char  *name,
            JsonNode   **out,
            GError     **error)
{
  *out = json_object_get_member (object, name);
  if (*out == NULL)
    return malformed (error, _("“%s%s” is missing"), where, name);
  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *where,
            const char  *name,
            gboolean     nullable,
            const char **out,
            GError     **error)
{
  JsonNode *node;

  if (!get_member (object, where, name, &node, error))
    return FALSE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return nullable ? malformed (error, _("“%s%s” must be a string or null"), where, name)
                    : malformed (error, _("“%s%s” must be a string"), where, name);
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *where,
         const char  *name,
         gint64      *out,
         GError     **error)
{
  JsonNode *node;

  if (!get_member (object, where, name, &node, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return malformed (error, _("“%s%s” must be a whole number"), where, name);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_object (JsonObject  *object,
            const char  *where,
            const char  *name,
            JsonObject **out,
            GError     **error)
{
  JsonNode *node;

  if (!get_member (object, where, name, &node, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed (error, _("“%s%s” must be an object"), where, name);
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *where,
           const char  *name,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node;

  if (!get_member (object, where, name, &node, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return malformed (error, _("“%s%s” must be an array"), where, name);
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
element_object (JsonArray   *array,
                guint        i,
                const char  *where,
                JsonObject **out,
                GError     **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed (error, _("“%s[%u]” must be an object"), where, i);
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
check_catalog (AtBundleContents  *c,
               GError           **error)
{
  const char *code, *version, *sha256, *text;
  g_autofree char *actual = NULL;

  if (!get_object (c->manifest, "", "catalog", &c->catalog, error) ||
      !get_string (c->catalog, "catalog.", "code", FALSE, &code, error) ||
      !get_string (c->catalog, "catalog.", "version", FALSE, &version, error) ||
      !get_string (c->catalog, "catalog.", "sha256", FALSE, &sha256, error) ||
      !get_string (c->catalog, "catalog.", "json", FALSE, &text, error))
    return FALSE;
  if (strlen (text) > AT_BUNDLE_MAX_CATALOG_SIZE)
    {
      g_autofree char *human = _at_bundle_format_size (strlen (text));
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the bundle's catalog %s %s is %s, over the limit of 1 MiB for a catalog"), code, version, human);
      return FALSE;
    }
  actual = at_sha256_hex (text, strlen (text));
  if (!g_str_equal (actual, sha256))
    return malformed (error, _("the text of catalog %s %s does not match its SHA-256"), code, version);
  return TRUE;
}

static gboolean
check_identities (AtBundleContents  *c,
                  GError           **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!get_array (c->manifest, "", "identities", &c->identities, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (c->identities); i++)
    {
      g_autofree char *where = g_strdup_printf ("identities[%u].", i);
      g_autofree char *derived = NULL;
      g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
      g_auto(GStrv) roles = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *id, *name, *org, *pem;
      JsonObject *identity = NULL;
      JsonArray *role_array;

      if (!element_object (c->identities, i, "identities", &identity, error) ||
          !get_string (identity, where, "id", FALSE, &id, error) ||
          !get_string (identity, where, "name", FALSE, &name, error) ||
          !get_string (identity, where, "org", TRUE, &org, error) ||
          !get_string (identity, where, "cert_pem", FALSE, &pem, error) ||
          !get_array (identity, where, "roles", &role_array, error))
        return FALSE;
      for (guint r = 0; r < json_array_get_length (role_array); r++)
        {
          JsonNode *node = json_array_get_element (role_array, r);
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            return malformed (error, _("“%sroles[%u]” must be a string"), where, r);
          g_strv_builder_add (names, json_node_get_string (node));
        }
      roles = g_strv_builder_end (names);
      if (at_roles_parse ((const char * const *) roles, &local_error) == 0)
        return malformed (error, _("identity %s: %s"), id,
                          local_error ? local_error->message : _("it has no role"));

      /* The id is the certificate's fingerprint: a bundle cannot pass one person's
       * certificate off under another person's id. */
      derived = _at_bundle_cert_id (pem, NULL, NULL);
      if (derived == NULL)
        return malformed (error, _("the certificate of identity %s cannot be read"), id);
      if (!g_str_equal (derived, id))
        return malformed (error, _("identity %s carries the certificate of identity %s"), id, derived);
      if (!g_hash_table_add (seen, (gpointer) id))
        return malformed (error, _("identity %s is listed twice"), id);
      if (g_str_equal (id, c->exported_by))
        c->exporter = identity;
    }

  if (c->exporter == NULL)
    return malformed (error, _("the exporting identity %s is not among its identities"), c->exported_by);
  return TRUE;
}

static gboolean
check_row_values (JsonObject  *row,
                  const char  *where,
                  GError     **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, row);
  while (json_object_iter_next (&iter, &name, &value))
    {
      GType type;

      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (value))
        return malformed (error, _("“%s.%s” must be a string, a number or null"), where, name);
      type = json_node_get_value_type (value);
      if (type != G_TYPE_STRING && type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        return malformed (error, _("“%s.%s” must be a string, a number or null"), where, name);
    }
  return TRUE;
}

static gboolean
check_records (AtBundleContents  *c,
               GError           **error)
{
  JsonObjectIter iter;
  const char *entity;
  JsonNode *node;
  guint n_assessments = 0;

  if (!get_object (c->manifest, "", "records", &c->records, error))
    return FALSE;

  json_object_iter_init (&iter, c->records);
  while (json_object_iter_next (&iter, &entity, &node))
    {
      const AtEntityDesc *desc = _at_records_lookup (entity);
      g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *list_where = g_strdup_printf ("records.%s", entity);
      JsonArray *items;

      if (desc == NULL)
        return malformed (error, _("it holds “%s” records, which this version of Attest does not know"), entity);
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return malformed (error, _("“records.%s” must be an array"), entity);
      items = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          g_autofree char *where = g_strdup_printf ("records.%s[%u]", entity, i);
          g_autofree char *where_dot = g_strconcat (where, ".", NULL);
          g_autofree char *row_where = g_strconcat (where, ".row", NULL);
          g_autofree char *derived = NULL;
          const char *owner_column = g_str_equal (entity, "assessment") ? "id" : "assessment_id";
          const char *key;
          JsonObject *item = NULL, *row = NULL;
          JsonNode *owner;

          if (!element_object (items, i, list_where, &item, error) ||
              !get_string (item, where_dot, "key", FALSE, &key, error) ||
              !get_object (item, where_dot, "row", &row, error) ||
              !check_row_values (row, row_where, error))
            return FALSE;

          /* Every row belongs to the bundle's assessment, under the key it is listed with. */
          owner = json_object_get_member (row, owner_column);
          if (owner == NULL || !JSON_NODE_HOLDS_VALUE (owner) || json_node_get_value_type (owner) != G_TYPE_STRING ||
              !g_str_equal (json_node_get_string (owner), c->assessment_id))
            return malformed (error, _("“%s” does not belong to assessment %s"), where, c->assessment_id);
          derived = _at_bundle_row_key (entity, row);
          if (derived == NULL || !g_str_equal (derived, key))
            return malformed (error, _("“%s” is listed under the key “%s”, which its row does not have"), where, key);
          if (!g_hash_table_add (keys, (gpointer) key))
            return malformed (error, _("%s %s is listed twice"), entity, key);
          if (g_str_equal (entity, "assessment"))
            n_assessments++;
        }
    }

  if (n_assessments != 1)
    return malformed (error, _("it must hold exactly one assessment record, not %u"), n_assessments);
  return TRUE;
}

/* The chain, recomputed: an importer that already has this assessment compares the bundle's
 * log with its own by the hashes alone, so they must be what the entries hash to — else a
 * bundle whose records and log states were both rewritten would pass as "unchanged". */
static gboolean
check_chain (AtBundleContents  *c,
             GError           **error)
{
  const char *prev = AT_AUDIT_GENESIS;

  for (guint i = 0; i < json_array_get_length (c->audit); i++)
    {
      JsonObject *entry = json_array_get_object_element (c->audit, i);
      g_autofree char *hash = _at_audit_entry_hash (json_object_get_string_member (entry, "prev_hash"),
                                                    json_object_get_int_member (entry, "n"),
                                                    json_object_get_string_member (entry, "at"),
                                                    json_object_get_string_member_with_default (entry, "actor", NULL),
                                                    json_object_get_string_member (entry, "action"),
                                                    json_object_get_string_member (entry, "entity"),
                                                    json_object_get_string_member (entry, "entity_key"),
                                                    json_object_get_string_member_with_default (entry, "state", NULL));

      if (!g_str_equal (json_object_get_string_member (entry, "prev_hash"), prev))
        return malformed (error, _("audit entry %u does not follow entry %u: its audit log's chain is broken"), i + 1, i);
      if (!g_str_equal (hash, json_object_get_string_member (entry, "hash")))
        return malformed (error, _("audit entry %u (%s %s) was altered: its hash does not match"),
                          i + 1, json_object_get_string_member (entry, "entity"),
                          json_object_get_string_member (entry, "entity_key"));
      prev = json_object_get_string_member (entry, "hash");
    }
  return TRUE;
}

static gboolean
check_audit (AtBundleContents  *c,
             GError           **error)
{
  guint n_entries;

  if (!get_array (c->manifest, "", "audit", &c->audit, error))
    return FALSE;
  n_entries = json_array_get_length (c->audit);
  if (n_entries == 0)
    return malformed (error, _("its audit log is empty"));

  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *where = g_strdup_printf ("audit[%u].", i);
      const char *text, *prev_hash, *hash;
      JsonObject *entry = NULL;
      gint64 n = 0;

      if (!element_object (c->audit, i, "audit", &entry, error) ||
          !get_int (entry, where, "n", &n, error) ||
          !get_string (entry, where, "at", FALSE, &text, error) ||
          !get_string (entry, where, "actor", TRUE, &text, error) ||
          !get_string (entry, where, "action", FALSE, &text, error) ||
          !get_string (entry, where, "entity", FALSE, &text, error) ||
          !get_string (entry, where, "entity_key", FALSE, &text, error) ||
          !get_string (entry, where, "state", TRUE, &text, error) ||
          !get_string (entry, where, "prev_hash", FALSE, &prev_hash, error) ||
          !get_string (entry, where, "hash", FALSE, &hash, error))
        return FALSE;
      if (n != (gint64) i + 1)
        return malformed (error, _("audit entry %u is numbered %lld"), i + 1, (long long) n);
      if (!_at_bundle_is_sha256 (prev_hash) || !_at_bundle_is_sha256 (hash))
        return malformed (error, _("the hashes of audit entry %u are not SHA-256 values"), i + 1);
    }
  return TRUE;
}

/* The logs of team members merged into this one (optional: older bundles have none). Their
 * chains are checked once they are in a store, against the log (at_audit_verify). */
static gboolean
check_branches (AtBundleContents  *c,
                GError           **error)
{
  JsonNode *node = json_object_get_member (c->manifest, "audit_branches");

  if (node == NULL)
    return TRUE;
  if (!get_array (c->manifest, "", "audit_branches", &c->branches, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (c->branches); i++)
    {
      g_autofree char *where = g_strdup_printf ("audit_branches[%u].", i);
      const char *text, *prev_hash, *hash;
      JsonObject *entry = NULL;
      gint64 v = 0;

      if (!element_object (c->branches, i, "audit_branches", &entry, error) ||
          !get_int (entry, where, "merge_n", &v, error) ||
          !get_int (entry, where, "idx", &v, error) ||
          !get_int (entry, where, "n", &v, error) ||
          !get_string (entry, where, "at", FALSE, &text, error) ||
          !get_string (entry, where, "actor", TRUE, &text, error) ||
          !get_string (entry, where, "action", FALSE, &text, error) ||
          !get_string (entry, where, "entity", FALSE, &text, error) ||
          !get_string (entry, where, "entity_key", FALSE, &text, error) ||
          !get_string (entry, where, "state", TRUE, &text, error) ||
          !get_string (entry, where, "prev_hash", FALSE, &prev_hash, error) ||
          !get_string (entry, where, "hash", FALSE, &hash, error))
        return FALSE;
      if (!_at_bundle_is_sha256 (prev_hash) || !_at_bundle_is_sha256 (hash))
        return malformed (error, _("the hashes of %s are not SHA-256 values"), where);
    }
  return TRUE;
}

static gboolean
check_evidence (AtBundleContents  *c,
                GError           **error)
{
  JsonArray *list;
  JsonNode *rows_node;
  guint n_files;

  if (!get_array (c->manifest, "", "evidence", &list, error))
    return FALSE;
  n_files = json_array_get_length (list);
  /* the manifest and its signature are entries too */
  if (n_files > AT_BUNDLE_MAX_ENTRIES - 2)
    return malformed (error, _("it lists %u evidence files; a bundle holds at most %u entries"),
                      n_files, AT_BUNDLE_MAX_ENTRIES);

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *where = g_strdup_printf ("evidence[%u].", i);
      const char *sha256;
      JsonObject *item = NULL;
      AtBundleFile *file;
      gint64 size = 0;

      if (!element_object (list, i, "evidence", &item, error) ||
          !get_string (item, where, "sha256", FALSE, &sha256, error) ||
          !get_int (item, where, "size", &size, error))
        return FALSE;
      if (!_at_bundle_is_sha256 (sha256))
        return malformed (error, _("“%ssha256” is not a SHA-256 in lowercase hex"), where);
      if (size < 0)
        return malformed (error, _("“%ssize” is negative"), where);
      if ((guint64) size > AT_BUNDLE_MAX_ENTRY_SIZE)
        {
          g_autofree char *human = _at_bundle_format_size (size);
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("evidence %s is %s, over the limit of 4 GiB for one file"), sha256, human);
          return FALSE;
        }
      if (g_hash_table_contains (c->files, sha256))
        return malformed (error, _("evidence %s is listed twice"), sha256);

      file = g_new0 (AtBundleFile, 1);
      file->sha256 = g_strdup (sha256);
      file->size = size;
      g_hash_table_insert (c->files, file->sha256, file);
      g_ptr_array_add (c->file_order, file);
      c->evidence_bytes += size;
    }

  /* The list and the records that name files (evidence, corrective actions' evidence) name
   * the same files, with the same sizes. */
  {
    g_autoptr(GHashTable) recorded = g_hash_table_new (g_str_hash, g_str_equal);
    const AtEntityDesc *descs;
    guint n_descs;

    descs = _at_records_entities (&n_descs);
    for (guint d = 0; d < n_descs; d++)
      {
        JsonArray *rows;

        if (!descs[d].files)
          continue;
        rows_node = json_object_get_member (c->records, descs[d].entity);
        rows = rows_node ? json_node_get_array (rows_node) : NULL;
        for (guint i = 0; rows && i < json_array_get_length (rows); i++)
          {
            JsonObject *row = json_object_get_object_member (json_array_get_object_element (rows, i), "row");
            g_autofree char *where = g_strdup_printf ("records.%s[%u].row.", descs[d].entity, i);
            const char *sha256;
            AtBundleFile *file;
            gint64 size;

            if (!get_string (row, where, "sha256", FALSE, &sha256, error) ||
                !get_int (row, where, "size", &size, error))
              return FALSE;
            file = g_hash_table_lookup (c->files, sha256);
            if (file == NULL)
              return malformed (error, _("the evidence record %s has no file in the evidence list"), sha256);
            if (file->size != (guint64) size)
              return malformed (error, _("the evidence record %s gives a size of %lld bytes, the evidence list %llu"),
                                sha256, (long long) size, (unsigned long long) file->size);
            g_hash_table_add (recorded, (gpointer) sha256);
          }
      }
    for (guint i = 0; i < c->file_order->len; i++)
      {
        AtBundleFile *file = c->file_order->pdata[i];
        if (!g_hash_table_contains (recorded, file->sha256))
          return malformed (error, _("evidence %s is listed but no evidence record uses it"), file->sha256);
      }
  }
  return TRUE;
}

/* The audit log's chain holds, and the records are the states it last recorded for them, and
 * nothing else: the checks at_audit_verify makes once they are in a store, made here already
 * so that a bundle is judged whole even when it turns out to change nothing. */
gboolean
_at_bundle_check_records (AtBundleContents  *c,
                           GError           **error)
{
  g_autoptr(GHashTable) last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObjectIter iter;
  const char *entity;
  JsonNode *node;
  GHashTableIter left;
  gpointer map_key, state;

  if (!check_chain (c, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (c->audit); i++)
    {
      JsonObject *entry = json_array_get_object_element (c->audit, i);
      g_hash_table_replace (last, g_strconcat (json_object_get_string_member (entry, "entity"), "\x1f",
                                               json_object_get_string_member (entry, "entity_key"), NULL),
                            (gpointer) json_object_get_string_member_with_default (entry, "state", NULL));
    }

  json_object_iter_init (&iter, c->records);
  while (json_object_iter_next (&iter, &entity, &node))
    {
      JsonArray *items = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *key = json_object_get_string_member (item, "key");
          g_autofree char *k = g_strconcat (entity, "\x1f", key, NULL);
          g_autofree char *now = _at_json_canonical (json_object_get_member (item, "row"));
          const char *logged = NULL;

          if (!g_hash_table_lookup_extended (last, k, NULL, (gpointer *) &logged) || logged == NULL)
            return malformed (error, _("its %s %s is not in its audit log"), entity, key);
          if (!g_str_equal (now, logged))
            return malformed (error, _("its %s %s differs from what its audit log last recorded for it"), entity, key);
          g_hash_table_remove (last, k);
        }
    }

  g_hash_table_iter_init (&left, last);
  while (g_hash_table_iter_next (&left, &map_key, &state))
    if (state != NULL)
      {
        g_auto(GStrv) parts = g_strsplit (map_key, "\x1f", 2);
        return malformed (error, _("its audit log records %s %s, which its records lack"), parts[0], parts[1]);
      }
  return TRUE;
}

gboolean
_at_bundle_check_manifest (AtBundleContents  *c,
                GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (c->manifest_bytes, &len);
  const char *format;

  if (!g_utf8_validate (data, len, NULL))
    return malformed (error, _("manifest.json is not UTF-8 text"));
  if (!json_depth_ok (data, len))
    return malformed (error, _("manifest.json nests deeper than %d levels"), MAX_JSON_DEPTH);
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    return malformed (error, _("manifest.json is not JSON: %s"), local_error->message);

  c->root = json_parser_steal_root (parser);
  if (c->root == NULL || !JSON_NODE_HOLDS_OBJECT (c->root))
    return malformed (error, _("manifest.json must hold a JSON object"));
  c->manifest = json_node_get_object (c->root);

  if (!get_string (c->manifest, "", "format", FALSE, &format, error))
    return FALSE;
  if (!g_str_equal (format, AT_BUNDLE_FORMAT))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the bundle's format is “%s”; this version of Attest reads %s"), format, AT_BUNDLE_FORMAT);
      return FALSE;
    }
  if (!get_string (c->manifest, "", "exported_at", FALSE, &c->exported_at, error) ||
      !get_string (c->manifest, "", "exported_by", FALSE, &c->exported_by, error) ||
      !get_string (c->manifest, "", "assessment_id", FALSE, &c->assessment_id, error))
    return FALSE;
  if (*c->assessment_id == '\0' || strlen (c->assessment_id) > 128)
    return malformed (error, _("“assessment_id” must be between 1 and 128 characters"));

  return check_catalog (c, error) &&
         check_identities (c, error) &&
         check_records (c, error) &&
         check_audit (c, error) &&
         check_branches (c, error) &&
         check_evidence (c, error);
}

gboolean
_at_bundle_check_signature (AtBundleContents  *c,
                 GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const guchar *data = g_bytes_get_data (c->manifest_bytes, &len);
  const char *pem = json_object_get_string_member (c->exporter, "cert_pem");

  if (!at_signature_verify (c->signature, data, len, pem, &local_error))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the bundle's signature is broken: manifest.json is not what %s (%s) signed: %s"),
                   json_object_get_string_member (c->exporter, "name"), c->exported_by, local_error->message);
      return FALSE;
    }
  return TRUE;
}
