/* at-evidence.c — files that prove a finding, stored by their SHA-256
 *
 * A file is kept once per data directory, at evidence/<aa>/<sha256>; each assessment that uses
 * it has its own record and clause links. This file reads those records, removes them and
 * sweeps up files nothing refers to; at-evidence-add.c brings files in.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "at-audit-private.h"
#include "at-error.h"
#include "at-evidence-private.h"
#include "at-temp.h"
#include "at-thumbnail.h"
#include "at-store-private.h"
#include "at-change-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Kinds                                                                                        */

static const char * const kind_names[] = { "document", "photo", "audio", "video", "other", NULL };

const char *
at_evidence_kind_to_string (AtEvidenceKind kind)
{
  g_return_val_if_fail (kind <= AT_EVIDENCE_OTHER, "other");
  return kind_names[kind];
}

AtEvidenceKind
at_evidence_kind_parse (const char  *name,
                        GError     **error)
{
  for (guint i = 0; kind_names[i]; i++)
    if (g_strcmp0 (kind_names[i], name) == 0)
      return i;
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
               _("unknown evidence kind “%s”: use document, photo, audio, video or other"), name ? name : "");
  return AT_EVIDENCE_OTHER;
}

static gboolean
is_document_type (const char *type,
                  const char *mime)
{
  static const char * const documents[] = {
    "application/pdf", "application/msword", "application/rtf", "application/epub+zip", NULL,
  };
  static const char * const families[] = {
    "application/vnd.ms-", "application/vnd.openxmlformats-officedocument.",
    "application/vnd.oasis.opendocument.", "application/wps-office.", NULL,
  };

  if (g_str_has_prefix (mime, "text/") || g_content_type_is_a (type, "text/plain"))
    return TRUE;
  if (g_strv_contains (documents, mime))
    return TRUE;
  for (guint i = 0; families[i]; i++)
    if (g_str_has_prefix (mime, families[i]))
      return TRUE;
  return FALSE;
}

AtEvidenceKind
at_evidence_kind_guess (const char   *filename,
                        const guchar *data,
                        gsize         len)
{
  g_autofree char *type = g_content_type_guess (filename, data, len, NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);

  if (mime == NULL)
    return AT_EVIDENCE_OTHER;
  if (g_str_has_prefix (mime, "image/"))
    return AT_EVIDENCE_PHOTO;
  if (g_str_has_prefix (mime, "audio/"))
    return AT_EVIDENCE_AUDIO;
  if (g_str_has_prefix (mime, "video/"))
    return AT_EVIDENCE_VIDEO;
  if (is_document_type (type, mime))
    return AT_EVIDENCE_DOCUMENT;
  return AT_EVIDENCE_OTHER;
}

/* ------------------------------------------------------------------------------------------ */
/* AtEvidence: one file as recorded in one assessment                                          */

struct _AtEvidence
{
  GObject         parent_instance;

  char           *sha256;
  AtEvidenceKind  kind;
  gint64          size;
  char           *original_name;
  char           *note;
  char           *captured_at;
  char           *added_by;
  char           *added_at;
  char           *origin;
  GStrv           clauses;
};

G_DEFINE_FINAL_TYPE (AtEvidence, at_evidence, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SHA256,
  PROP_KIND,
  PROP_SIZE,
  PROP_ORIGINAL_NAME,
  PROP_NOTE,
  PROP_CAPTURED_AT,
  PROP_ADDED_BY,
  PROP_ADDED_AT,
  PROP_CLAUSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
at_evidence_finalize (GObject *object)
{
  AtEvidence *self = AT_EVIDENCE (object);

  g_free (self->sha256);
  g_free (self->original_name);
  g_free (self->note);
  g_free (self->captured_at);
  g_free (self->added_by);
  g_free (self->added_at);
  g_free (self->origin);
  g_strfreev (self->clauses);

  G_OBJECT_CLASS (at_evidence_parent_class)->finalize (object);
}

static void
at_evidence_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  AtEvidence *self = AT_EVIDENCE (object);

  switch (prop_id)
    {
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case PROP_KIND:
      g_value_set_string (value, at_evidence_kind_to_string (self->kind));
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_ORIGINAL_NAME:
      g_value_set_string (value, self->original_name);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case PROP_CAPTURED_AT:
      g_value_set_string (value, self->captured_at);
      break;
    case PROP_ADDED_BY:
      g_value_set_string (value, self->added_by);
      break;
    case PROP_ADDED_AT:
      g_value_set_string (value, self->added_at);
      break;
    case PROP_CLAUSES:
      g_value_set_boxed (value, self->clauses);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
at_evidence_class_init (AtEvidenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = at_evidence_finalize;
  object_class->get_property = at_evidence_get_property;

  /* Read-only: a record changes by adding or removing evidence, which makes new objects. The
   * properties are there for GtkExpression bindings in list views. */
  properties[PROP_SHA256] = g_param_spec_string ("sha256", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ORIGINAL_NAME] = g_param_spec_string ("original-name", NULL, NULL, NULL, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  properties[PROP_CAPTURED_AT] = g_param_spec_string ("captured-at", NULL, NULL, NULL, flags);
  properties[PROP_ADDED_BY] = g_param_spec_string ("added-by", NULL, NULL, NULL, flags);
  properties[PROP_ADDED_AT] = g_param_spec_string ("added-at", NULL, NULL, NULL, flags);
  properties[PROP_CLAUSES] = g_param_spec_boxed ("clauses", NULL, NULL, G_TYPE_STRV, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
at_evidence_init (AtEvidence *self)
{
}

const char *at_evidence_get_sha256 (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL); return self->sha256; }
AtEvidenceKind at_evidence_get_kind (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), AT_EVIDENCE_OTHER); return self->kind; }
gint64 at_evidence_get_size (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), 0); return self->size; }
const char *at_evidence_get_original_name (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL); return self->original_name; }
const char *at_evidence_get_note (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL); return self->note; }
const char *at_evidence_get_captured_at (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL); return self->captured_at; }
const char *at_evidence_get_added_by (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL); return self->added_by; }
const char *at_evidence_get_added_at (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL); return self->added_at; }
const char *at_evidence_get_origin (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL); return self->origin; }
const char * const *at_evidence_get_clauses (AtEvidence *self) { g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL); return (const char * const *) self->clauses; }

JsonNode *
at_evidence_to_json (AtEvidence *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (AT_IS_EVIDENCE (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, self->sha256);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, at_evidence_kind_to_string (self->kind));
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, self->size);
  json_builder_set_member_name (b, "original_name");
  json_builder_add_string_value (b, self->original_name);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, self->note);
  json_builder_set_member_name (b, "captured_at");
  json_builder_add_string_value (b, self->captured_at);
  json_builder_set_member_name (b, "added_by");
  json_builder_add_string_value (b, self->added_by);
  json_builder_set_member_name (b, "added_at");
  json_builder_add_string_value (b, self->added_at);
  /* where it came from, when not recorded here: "application:<id>" (added when it was) */
  if (self->origin != NULL)
    {
      json_builder_set_member_name (b, "origin");
      json_builder_add_string_value (b, self->origin);
    }
  json_builder_set_member_name (b, "clauses");
  json_builder_begin_array (b);
  for (guint i = 0; self->clauses[i]; i++)
    json_builder_add_string_value (b, self->clauses[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                      */

gboolean
_at_evidence_is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return TRUE;
}

/* Clause numbers in reading order: 1.2 before 1.10. */
static int
compare_clause_numbers (const char *a,
                        const char *b)
{
  while (*a && *b)
    {
      if (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          guint64 na = g_ascii_strtoull (a, (char **) &a, 10);
          guint64 nb = g_ascii_strtoull (b, (char **) &b, 10);
          if (na != nb)
            return na < nb ? -1 : 1;
        }
      else
        {
          if (*a != *b)
            return (guchar) *a - (guchar) *b;
          a++, b++;
        }
    }
  return (guchar) *a - (guchar) *b;
}

static int
compare_clause_ptrs (gconstpointer a,
                     gconstpointer b)
{
  return compare_clause_numbers (*(const char * const *) a, *(const char * const *) b);
}

/* sha256 → GPtrArray of clause numbers, sorted, for one assessment (or one file in it). */
static GHashTable *
links_by_sha (AtStore     *store,
              const char  *assessment_id,
              const char  *sha256,
              const char  *clause,
              GError     **error)
{
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  /* every link of the files that are linked to clause (when given), not only that one link;
   * one statement for each case, so that each is planned on its index */
  g_autoptr(sqlite3_stmt) stmt =
    _at_store_prepare (store, sha256 != NULL ? "SELECT sha256, clause FROM evidence_links WHERE assessment_id = ?1 AND sha256 = ?2"
                              : clause != NULL ? "SELECT sha256, clause FROM evidence_links WHERE assessment_id = ?1 AND sha256 IN "
                                                 "(SELECT sha256 FROM evidence_links WHERE assessment_id = ?1 AND clause = ?3)"
                              : "SELECT sha256, clause FROM evidence_links WHERE assessment_id = ?1", error);
  GHashTableIter iter;
  gpointer value;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  if (sha256 != NULL)
    sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
  else if (clause != NULL)
    sqlite3_bind_text (stmt, 3, clause, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GPtrArray *clauses = g_hash_table_lookup (links, _at_col_text (stmt, 0));

      if (clauses == NULL)
        {
          clauses = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (links, g_strdup (_at_col_text (stmt, 0)), clauses);
        }
      g_ptr_array_add (clauses, g_strdup (_at_col_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the evidence links"));
      return NULL;
    }

  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_sort (value, compare_clause_ptrs);
  return g_steal_pointer (&links);
}

static AtEvidence *
evidence_from_row (sqlite3_stmt *stmt,
                   GHashTable   *links)
{
  AtEvidence *self = g_object_new (AT_TYPE_EVIDENCE, NULL);
  GPtrArray *clauses;
  GStrvBuilder *builder = g_strv_builder_new ();

  self->sha256 = g_strdup (_at_col_text (stmt, 0));
  self->kind = at_evidence_kind_parse (_at_col_text (stmt, 1), NULL);
  self->size = sqlite3_column_int64 (stmt, 2);
  self->original_name = g_strdup (_at_col_text (stmt, 3));
  self->note = g_strdup (_at_col_text (stmt, 4));
  self->captured_at = g_strdup (_at_col_text (stmt, 5));
  self->added_by = g_strdup (_at_col_text (stmt, 6));
  self->added_at = g_strdup (_at_col_text (stmt, 7));
  self->origin = g_strdup (_at_col_text (stmt, 8));

  clauses = g_hash_table_lookup (links, self->sha256);
  for (guint i = 0; clauses && i < clauses->len; i++)
    g_strv_builder_add (builder, clauses->pdata[i]);
  self->clauses = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return self;
}

#define SELECT_EVIDENCE \
  "SELECT sha256, kind, size, original_name, note, captured_at, added_by, added_at, origin FROM evidence "

/* An assessment's evidence, or only what is linked to clause, in the order it was added. */
static GPtrArray *
list_evidence (AtStore     *store,
               const char  *assessment_id,
               const char  *clause,
               GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) links = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  links = links_by_sha (store, assessment_id, NULL, clause, error);
  if (links == NULL)
    return NULL;
  /* rowid: the order they were added in, even within one second */
  stmt = _at_store_prepare (store, clause != NULL
                                   ? SELECT_EVIDENCE "WHERE assessment_id = ?1 AND sha256 IN "
                                     "(SELECT sha256 FROM evidence_links WHERE assessment_id = ?1 AND clause = ?2) "
                                     "ORDER BY added_at, rowid"
                                   : SELECT_EVIDENCE "WHERE assessment_id = ?1 ORDER BY added_at, rowid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  if (clause != NULL)
    sqlite3_bind_text (stmt, 2, clause, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, evidence_from_row (stmt, links));
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the evidence"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
at_evidence_list (AtStore     *store,
                  const char  *assessment_id,
                  GError     **error)
{
  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (assessment_id != NULL, NULL);

  return list_evidence (store, assessment_id, NULL, error);
}

/* What a clause page shows, without reading the assessment's thousands of other files. */
GPtrArray *
at_evidence_list_for_clause (AtStore     *store,
                             const char  *assessment_id,
                             const char  *clause,
                             GError     **error)
{
  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (assessment_id != NULL && clause != NULL, NULL);

  return list_evidence (store, assessment_id, clause, error);
}

AtEvidence *
at_evidence_lookup (AtStore     *store,
                    const char  *assessment_id,
                    const char  *sha256,
                    GError     **error)
{
  g_autoptr(GHashTable) links = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (assessment_id != NULL, NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  links = links_by_sha (store, assessment_id, sha256, NULL, error);
  if (links == NULL)
    return NULL;
  stmt = _at_store_prepare (store, SELECT_EVIDENCE "WHERE assessment_id = ? AND sha256 = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND,
                   _("assessment %s has no evidence %s (see “attest-cli evidence list %s”)"),
                   assessment_id, sha256, assessment_id);
      return NULL;
    }
  return evidence_from_row (stmt, links);
}

char *
at_evidence_get_path (AtStore    *store,
                      const char *sha256)
{
  char prefix[3];

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (_at_evidence_is_sha256 (sha256), NULL);

  memcpy (prefix, sha256, 2);
  prefix[2] = '\0';
  return at_store_get_path (store, "evidence", prefix, sha256, NULL);
}

GHashTable *
at_evidence_count_by_clause (AtStore     *store,
                             const char  *assessment_id,
                             GError     **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);

  stmt = _at_store_prepare (store, "SELECT clause, count(*) FROM evidence_links WHERE assessment_id = ? GROUP BY clause", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup (_at_col_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int64 (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not count the evidence"));
      return NULL;
    }
  return g_steal_pointer (&counts);
}

guint
at_evidence_count_for_clause (AtStore    *store,
                              const char *assessment_id,
                              const char *clause)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), 0);

  stmt = _at_store_prepare (store, "SELECT count(*) FROM evidence_links WHERE assessment_id = ? AND clause = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, clause, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
}

void
_at_evidence_to_json (AtStore      *store,
                      AtAssessment *assessment,
                      JsonBuilder  *builder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = at_evidence_list (store, at_assessment_get_id (assessment), &error);

  if (list == NULL)
    g_warning ("evidence of %s left out: %s", at_assessment_get_id (assessment), error->message);

  json_builder_set_member_name (builder, "evidence");
  json_builder_begin_array (builder);
  for (guint i = 0; list && i < list->len; i++)
    json_builder_add_value (builder, at_evidence_to_json (list->pdata[i]));
  json_builder_end_array (builder);
}

/* ------------------------------------------------------------------------------------------ */
/* Housekeeping                                                                                 */

/* Removes the temporary files of ingests that never finished (the program was killed, the
 * machine lost power): those whose lock died with their process. A live ingest's, in this
 * process or another, holds its lock and is left alone. Returns how many were removed. */
guint
at_evidence_clean_temporary (AtStore *store)
{
  g_autofree char *dir_path = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), 0);

  dir_path = at_store_get_path (store, "evidence", NULL);
  return at_temp_sweep (dir_path, _AT_EVIDENCE_TEMP_PREFIX);
}

static gboolean
sha_is_referenced (AtStore     *store,
                   const char  *sha256,
                   gboolean    *referenced,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT 1 FROM evidence WHERE sha256 = ?1 UNION ALL SELECT 1 FROM nc_evidence WHERE sha256 = ?1 LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the evidence"));
      return FALSE;
    }
  *referenced = rc == SQLITE_ROW;
  return TRUE;
}

/* Previews whose evidence is gone (a removal whose preview outlived it). */
static void
prune_thumbnails (AtStore *store)
{
  g_autofree char *root = at_store_get_path (store, "thumbnails", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *prefix;

  while (dir != NULL && (prefix = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub_path = g_build_filename (root, prefix, NULL);
      g_autoptr(GDir) sub = strlen (prefix) == 2 ? g_dir_open (sub_path, 0, NULL) : NULL;
      const char *name;

      while (sub != NULL && (name = g_dir_read_name (sub)) != NULL)
        {
          g_autofree char *sha = g_strndup (name, 64);
          g_autofree char *evidence = NULL;

          if (!g_str_has_suffix (name, ".jpg") || strlen (name) != 68 || !_at_evidence_is_sha256 (sha))
            continue;
          evidence = at_evidence_get_path (store, sha);
          if (!g_file_test (evidence, G_FILE_TEST_EXISTS))
            at_thumbnail_forget (at_store_get_data_dir (store), sha);
        }
    }
}

/* Deletes the stored files no assessment refers to: those left by a crash between placing a
 * file and committing its rows, or by a removal interrupted before it deleted the file. The
 * write lock is held throughout so no add can start referring to a file being deleted. */
gboolean
at_evidence_prune (AtStore  *store,
                   guint    *n_removed,
                   GError  **error)
{
  g_autofree char *root = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *prefix;
  guint removed = 0;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);

  root = at_store_get_path (store, "evidence", NULL);
  dir = g_dir_open (root, 0, NULL);
  if (dir == NULL)
    {
      if (n_removed)
        *n_removed = 0;
      return TRUE;
    }

  if (!_at_store_begin (store, error))
    return FALSE;
  while ((prefix = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub_path = g_build_filename (root, prefix, NULL);
      g_autoptr(GDir) sub = NULL;
      const char *name;
      gboolean removed_here = FALSE;

      if (strlen (prefix) != 2 || (sub = g_dir_open (sub_path, 0, NULL)) == NULL)
        continue;
      while ((name = g_dir_read_name (sub)) != NULL)
        {
          gboolean referenced = TRUE;

          if (!_at_evidence_is_sha256 (name) || strncmp (name, prefix, 2) != 0)
            continue;
          if (!sha_is_referenced (store, name, &referenced, error))
            {
              _at_store_rollback (store);
              return FALSE;
            }
          if (!referenced)
            {
              g_autofree char *path = g_build_filename (sub_path, name, NULL);
              if (g_unlink (path) == 0)
                removed++, removed_here = TRUE;
              at_thumbnail_forget (at_store_get_data_dir (store), name);
            }
        }
      g_clear_pointer (&sub, g_dir_close);
      if (removed_here && g_rmdir (sub_path) != 0)
        at_fsync_dir (sub_path, NULL);
    }
  at_fsync_dir (root, NULL);
  prune_thumbnails (store);
  /* nothing was written: ending the transaction only releases the lock */
  _at_store_rollback (store);

  if (n_removed)
    *n_removed = removed;
  return TRUE;
}

/* After a removal has committed: deletes the file if no assessment refers to it any more. A
 * failure here loses nothing; the file stays until at_evidence_prune() finds it. */
static void
collect_file (AtStore    *store,
              const char *sha256)
{
  gboolean referenced = TRUE;

  if (!_at_store_begin (store, NULL))
    return;
  if (sha_is_referenced (store, sha256, &referenced, NULL) && !referenced)
    {
      g_autofree char *path = at_evidence_get_path (store, sha256);
      g_autofree char *dir = g_path_get_dirname (path);

      at_thumbnail_forget (at_store_get_data_dir (store), sha256);
      if (g_unlink (path) == 0)
        {
          g_autofree char *root = at_store_get_path (store, "evidence", NULL);

          /* an emptied evidence/<aa> goes too; rmdir refuses one that is still in use, and no
           * add can be placing a file in it while we hold the write lock */
          if (g_rmdir (dir) == 0)
            at_fsync_dir (root, NULL);
          else
            at_fsync_dir (dir, NULL);
        }
    }
  _at_store_rollback (store);
}

/* ------------------------------------------------------------------------------------------ */
/* Removing                                                                                     */

/**
 * at_evidence_remove:
 *
 * Takes the file out of one assessment, with its clause links. The stored file is deleted once
 * no assessment refers to it any more.
 */
gboolean
at_evidence_remove (AtStore     *store,
                    const char  *assessment_id,
                    const char  *sha256,
                    const char  *actor,
                    GError     **error)
{
  g_autofree char *sha = NULL;
  g_autoptr(AtEvidence) evidence = NULL;
  g_autoptr(sqlite3_stmt) drop_links = NULL;
  g_autoptr(sqlite3_stmt) drop = NULL;
  const char * const *clauses;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (assessment_id != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  sha = g_ascii_strdown (sha256, -1);
  if (!_at_evidence_is_sha256 (sha))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is not a SHA-256: it has 64 hexadecimal digits"), sha256);
      return FALSE;
    }

  if (!_at_change_begin (store, assessment_id, actor, AT_CHANGE_RECORD, NULL, NULL, error))
    return FALSE;

  evidence = at_evidence_lookup (store, assessment_id, sha, error);
  if (evidence == NULL)
    goto fail;
  clauses = at_evidence_get_clauses (evidence);

  drop_links = _at_store_prepare (store, "DELETE FROM evidence_links WHERE assessment_id = ? AND sha256 = ?", error);
  drop = _at_store_prepare (store, "DELETE FROM evidence WHERE assessment_id = ? AND sha256 = ?", error);
  if (drop_links == NULL || drop == NULL)
    goto fail;
  sqlite3_bind_text (drop_links, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (drop_links, 2, sha, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (drop, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (drop, 2, sha, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, drop_links, error) || !_at_store_step_done (store, drop, error))
    goto fail;

  for (guint i = 0; clauses[i]; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s/%s", sha, clauses[i]);
      if (!_at_audit_append (store, assessment_id, actor, "remove-evidence", "link", key, error))
        goto fail;
    }
  if (!_at_audit_append (store, assessment_id, actor, "remove-evidence", "evidence", sha, error) ||
      !_at_change_commit (store, error))
    goto fail;

  /* only after the commit: a crash before it must still find the file the rows refer to */
  collect_file (store, sha);
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}
