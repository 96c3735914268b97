/* at-registry-publish.c — bundles into the registry and back out of it
 *
 * Without a server of ours, the client that publishes is the one that checks: it runs the full
 * bundle verification (the checks an import runs) before it stores anything, and records the
 * bundle's SHA-256; a fetch compares that SHA-256 and then imports through the normal importer,
 * which checks everything again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <string.h>

#include "at-assessment.h"
#include "at-error.h"
#include "at-registry-private.h"
#include "at-workflow.h"

#define CHUNK_SIZE (1 << 20)

/* A scratch folder and what is in it (a store: its database, evidence and identities). */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
published_state (const char *state)
{
  return g_strcmp0 (state, "approved") == 0 || g_strcmp0 (state, "certified") == 0;
}

/* The SHA-256 and size of a file, read in pieces. */
static char *
file_sha256 (const char  *path,
             goffset     *size_out,
             GError     **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autofree guchar *buffer = g_malloc (CHUNK_SIZE);
  goffset size = 0;
  gssize got;

  if (in == NULL)
    return NULL;
  while ((got = g_input_stream_read (G_INPUT_STREAM (in), buffer, CHUNK_SIZE, NULL, error)) > 0)
    {
      g_checksum_update (sum, buffer, got);
      size += got;
    }
  if (got < 0)
    return NULL;
  *size_out = size;
  return g_strdup (g_checksum_get_string (sum));
}

/* Stores the file in pieces, hashing it again on the way: the bytes stored are the bytes that
 * were checked, or nothing is stored. */
static gboolean
upload_chunks (AtRegistry  *self,
               const char  *assessment_id,
               const char  *path,
               const char  *sha256,
               guint       *n_chunks,
               GError     **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autofree guchar *buffer = g_malloc (CHUNK_SIZE);
  const char *delete_values[] = { assessment_id };
  g_autoptr(PGresult) deleted = NULL;
  guint n = 0;
  gsize got = 0;

  if (in == NULL)
    return FALSE;
  deleted = _at_registry_query (self, "DELETE FROM bundle_chunks WHERE assessment_id = $1", 1, delete_values, NULL, error);
  if (deleted == NULL)
    return FALSE;
  for (;;)
    {
      g_autofree char *n_text = NULL;
      g_autoptr(PGresult) inserted = NULL;

      if (!g_input_stream_read_all (G_INPUT_STREAM (in), buffer, CHUNK_SIZE, &got, NULL, error))
        return FALSE;
      if (got == 0 && n > 0)
        break;
      g_checksum_update (sum, buffer, got);
      n_text = g_strdup_printf ("%u", n);
      {
        const char *values[] = { assessment_id, n_text, (const char *) buffer };
        const int lengths[] = { 0, 0, (int) got };
        const int binary[] = { 0, 0, 1 };

        inserted = _at_registry_query_full (self, "INSERT INTO bundle_chunks (assessment_id, n, data) VALUES ($1, $2, $3)",
                                            3, values, lengths, binary, FALSE, NULL, error);
      }
      if (inserted == NULL)
        return FALSE;
      n++;
      if (got < CHUNK_SIZE)
        break;
    }
  if (g_strcmp0 (g_checksum_get_string (sum), sha256) != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the bundle changed while it was being published; nothing was stored"));
      return FALSE;
    }
  *n_chunks = n;
  return TRUE;
}

static const char *
member (JsonObject *o,
        const char *name)
{
  return o ? json_object_get_string_member_with_default (o, name, NULL) : NULL;
}

/* The certificate the bundle carries, under its number. A number the registry gave is already
 * there for this assessment; a number given by a data directory on its own is taken if free. */
static gboolean
store_certificate (AtRegistry  *self,
                   JsonObject  *summary,
                   JsonObject  *cert,
                   GError     **error)
{
  const char *values[] = { member (cert, "number"), member (summary, "assessment_id"), member (cert, "issued_by"),
                           member (cert, "decided_at"), member (cert, "issued_on"), member (cert, "valid_until") };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(PGresult) owner = NULL;

  result = _at_registry_query (self, "INSERT INTO certificates (number, assessment_id, allocated_by, issued_by, decided_at, issued_on, "
                                     "  valid_until, published_at) "
                                     "VALUES ($1, $2, $3, $3, $4, $5, $6, now()) "
                                     "ON CONFLICT (number) DO UPDATE SET issued_by = excluded.issued_by, decided_at = excluded.decided_at, "
                                     "  issued_on = excluded.issued_on, valid_until = excluded.valid_until, published_at = now() "
                                     "WHERE certificates.assessment_id = excluded.assessment_id "
                                     "RETURNING number", 6, values, NULL, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    return TRUE;

  owner = _at_registry_query (self, "SELECT assessment_id FROM certificates WHERE number = $1", 1, values, NULL, error);
  if (owner == NULL)
    return FALSE;
  g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
               _("certificate number %s is already registered for assessment %s; a number belongs to one certificate only. "
                 "Reopen this assessment and issue its certificate again with the registry set up: the registry then gives it a free number"),
               values[0], PQntuples (owner) ? PQgetvalue (owner, 0, 0) : "?");
  return FALSE;
}

static gboolean
store_identities (AtRegistry  *self,
                  JsonArray   *identities,
                  GError     **error)
{
  for (guint i = 0; identities && i < json_array_get_length (identities); i++)
    {
      JsonObject *o = json_array_get_object_element (identities, i);
      JsonArray *roles = json_object_get_array_member (o, "roles");
      g_autoptr(GString) role_text = g_string_new (NULL);
      g_autoptr(PGresult) result = NULL;

      for (guint r = 0; roles && r < json_array_get_length (roles); r++)
        g_string_append_printf (role_text, "%s%s", r ? "," : "", json_array_get_string_element (roles, r));
      {
        const char *values[] = { member (o, "id"), member (o, "name"), member (o, "org"), role_text->str, member (o, "cert_pem") };

        result = _at_registry_query (self, "INSERT INTO identities (id, name, org, roles, cert_pem) VALUES ($1, $2, $3, $4, $5) "
                                           "ON CONFLICT (id) DO UPDATE SET name = excluded.name, org = excluded.org, "
                                           "  roles = excluded.roles, cert_pem = excluded.cert_pem",
                                     5, values, NULL, error);
      }
      if (result == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Inside the caller's transaction: a later export of the same assessment replaces an earlier
 * one; an earlier one never replaces a later. */
static gboolean
store_assessment (AtRegistry  *self,
                  const char  *path,
                  const char  *sha256,
                  goffset      size,
                  JsonObject  *summary,
                  GError     **error)
{
  JsonNode *cert_node = json_object_get_member (summary, "certificate");
  JsonObject *cert = cert_node && JSON_NODE_HOLDS_OBJECT (cert_node) ? json_node_get_object (cert_node) : NULL;
  const char *id = member (summary, "assessment_id");
  const char *id_values[] = { id };
  g_autoptr(PGresult) existing = NULL;
  g_autoptr(PGresult) upsert = NULL;
  g_autoptr(PGresult) logged = NULL;
  g_autofree char *size_text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) size);
  guint n_chunks = 0;

  existing = _at_registry_query (self, "SELECT a.exported_at, a.certificate_number, c.status FROM assessments a "
                                       "LEFT JOIN certificates c ON c.number = a.certificate_number WHERE a.id = $1 FOR UPDATE OF a",
                                 1, id_values, NULL, error);
  if (existing == NULL)
    return FALSE;
  if (PQntuples (existing) == 1 && g_strcmp0 (PQgetvalue (existing, 0, 0), member (summary, "exported_at")) > 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("the registry holds a later export of assessment %s (exported %s, this bundle %s): publish the assessment as it is now"),
                   id, PQgetvalue (existing, 0, 0), member (summary, "exported_at"));
      return FALSE;
    }
  /* A reissued certificate replaces the one published before; the registry would otherwise go on
   * telling anyone who asks that the earlier one is valid. Its withdrawal is a signed step of its
   * own, so it is asked for rather than done here. */
  if (PQntuples (existing) == 1 && _at_pg_text (existing, 0, 1) != NULL &&
      g_strcmp0 (_at_pg_text (existing, 0, 1), member (cert, "number")) != 0 &&
      g_strcmp0 (_at_pg_text (existing, 0, 2), "withdrawn") != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("the registry still shows certificate %s, published earlier for assessment %s, as %s: withdraw it first "
                     "(attest-cli registry withdraw %s --by ID --reason T), then publish again"),
                   _at_pg_text (existing, 0, 1), id, at_registry_status_label (_at_pg_text (existing, 0, 2)),
                   _at_pg_text (existing, 0, 1));
      return FALSE;
    }

  {
    const char *values[] = { id, member (summary, "org"), member (summary, "kind"), member (summary, "state"),
                             member (summary, "standard"), member (summary, "standard_version"), member (cert, "number"),
                             member (summary, "exported_by"), member (summary, "exported_by_name"), member (summary, "exported_at"),
                             sha256, size_text };

    upsert = _at_registry_query (self, "INSERT INTO assessments (id, org, kind, state, standard, standard_version, certificate_number, "
                                       "  exported_by, exported_by_name, exported_at, bundle_sha256, bundle_size, bundle_chunks) "
                                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0) "
                                       "ON CONFLICT (id) DO UPDATE SET org = excluded.org, kind = excluded.kind, state = excluded.state, "
                                       "  standard = excluded.standard, standard_version = excluded.standard_version, "
                                       "  certificate_number = excluded.certificate_number, exported_by = excluded.exported_by, "
                                       "  exported_by_name = excluded.exported_by_name, exported_at = excluded.exported_at, "
                                       "  bundle_sha256 = excluded.bundle_sha256, bundle_size = excluded.bundle_size, published_at = now()",
                                 12, values, NULL, error);
  }
  if (upsert == NULL || !upload_chunks (self, id, path, sha256, &n_chunks, error))
    return FALSE;
  {
    g_autofree char *n_text = g_strdup_printf ("%u", n_chunks);
    const char *values[] = { id, n_text };
    g_autoptr(PGresult) counted = _at_registry_query (self, "UPDATE assessments SET bundle_chunks = $2 WHERE id = $1", 2, values, NULL, error);

    if (counted == NULL)
      return FALSE;
    logged = _at_registry_query (self, "INSERT INTO publications (assessment_id, bundle_sha256, exported_by) VALUES ($1, $2, $3)",
                                 3, (const char *[]) { id, sha256, member (summary, "exported_by") }, NULL, error);
    if (logged == NULL)
      return FALSE;
  }
  if (cert != NULL && !store_certificate (self, summary, cert, error))
    return FALSE;
  return store_identities (self, json_object_get_array_member (summary, "identities"), error);
}

/* The sign-offs the bundle carries, against its records: what the registry tells the public
 * ("certified") rests on them. A bundle can be consistent in itself and signed by its exporter
 * and still carry records changed after the reviewer approved them; it is applied to a store of
 * its own, which is then removed, and every sign-off in force is checked there. */
static gboolean
check_signoffs (const char  *path,
                const char  *assessment_id,
                GPtrArray   *lines_out,
                GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AtStore) store = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *scratch = g_dir_make_tmp ("attest-registry-XXXXXX", error);
  g_autofree char *id = NULL;
  gboolean ok = FALSE;

  if (scratch == NULL)
    return FALSE;
  store = at_store_open (scratch, &local);
  if (store != NULL)
    id = at_bundle_import (store, path, AT_BUNDLE_IMPORT_NONE, NULL, NULL, NULL, NULL, &local);
  if (id != NULL)
    ok = at_signoffs_verify (store, assessment_id, lines, &local);
  g_clear_object (&store);
  remove_tree (scratch);

  if (!ok && local == NULL)
    {
      /* every sign-off in a line: the one that fails says why */
      g_autofree char *all = NULL;

      g_ptr_array_add (lines, NULL);
      all = g_strjoinv ("; ", (char **) lines->pdata);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("a sign-off does not hold (%s)"), all);
      return FALSE;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  for (guint i = 0; lines_out != NULL && i < lines->len; i++)
    g_ptr_array_add (lines_out, g_strdup_printf (_("sign-off: %s"), (const char *) lines->pdata[i]));
  return TRUE;
}

gboolean
at_registry_publish_file (AtRegistry  *self,
                          const char  *bundle_path,
                          GPtrArray   *lines_out,
                          GError     **error)
{
  g_autoptr(JsonNode) summary_node = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *sha256 = NULL;
  JsonObject *summary;
  goffset size = 0;

  g_return_val_if_fail (AT_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (bundle_path != NULL, FALSE);

  sha256 = file_sha256 (bundle_path, &size, &local);
  if (sha256 == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("could not read the bundle: %s"), local->message);
      return FALSE;
    }
  /* exactly what an import checks, before anything goes into the registry */
  summary_node = at_bundle_verify_summary (bundle_path, lines_out, &local);
  if (summary_node == NULL)
    {
      g_set_error (error, AT_ERROR, local->code == AT_ERROR_FAILED ? AT_ERROR_FAILED : AT_ERROR_INVALID,
                   _("the registry refuses the bundle, nothing was stored: %s"), local->message);
      return FALSE;
    }
  summary = json_node_get_object (summary_node);
  if (!check_signoffs (bundle_path, member (summary, "assessment_id"), lines_out, &local))
    {
      g_set_error (error, AT_ERROR, local->code == AT_ERROR_FAILED ? AT_ERROR_FAILED : AT_ERROR_INVALID,
                   _("the registry refuses the bundle, nothing was stored: %s"), local->message);
      return FALSE;
    }
  if (!published_state (member (summary, "state")))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("assessment %s is %s: only an approved or certified assessment is published to the registry"),
                   member (summary, "assessment_id"), member (summary, "state"));
      return FALSE;
    }

  if (!_at_registry_exec (self, "BEGIN", error))
    return FALSE;
  if (!store_assessment (self, bundle_path, sha256, size, summary, error) ||
      !_at_registry_exec (self, "COMMIT", error))
    {
      _at_registry_rollback (self);
      return FALSE;
    }
  if (lines_out != NULL)
    g_ptr_array_add (lines_out, g_strdup_printf (_("registry: assessment %s published (bundle SHA-256 %s)"),
                                                 member (summary, "assessment_id"), sha256));
  return TRUE;
}

/* A file of our own in the data directory, so that nothing of an assessment lands in /tmp. */
static char *
scratch_path (AtStore     *store,
              const char  *what,
              GError     **error)
{
  g_autofree char *name = g_strdup_printf (".registry-%s-XXXXXX", what);
  g_autofree char *path = at_store_get_path (store, name, NULL);
  int fd = g_mkstemp_full (path, O_RDWR, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not create a temporary file in %s: %s"),
                   at_store_get_data_dir (store), g_strerror (saved));
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&path);
}

gboolean
at_registry_publish (AtRegistry    *self,
                     AtStore       *store,
                     const char    *assessment_id,
                     AtSigner      *signer,
                     GPtrArray     *lines_out,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autofree char *path = NULL;
  gboolean ok;

  g_return_val_if_fail (AT_IS_REGISTRY (self), FALSE);

  a = at_assessment_lookup (store, assessment_id, error);
  if (a == NULL)
    return FALSE;
  /* said before the bundle is made, in the words a person uses */
  if (!published_state (at_assessment_get_state (a)))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("assessment %s is %s: only an approved or certified assessment is published to the registry"),
                   assessment_id, at_assessment_get_state (a));
      return FALSE;
    }
  path = scratch_path (store, "publish", error);
  if (path == NULL)
    return FALSE;
  checks = g_ptr_array_new_with_free_func (g_free);
  ok = at_bundle_export (store, assessment_id, path, signer, NULL, NULL, cancellable, error) &&
       at_registry_publish_file (self, path, checks, error);
  g_unlink (path);
  /* the first check names the file, a temporary one nobody will see again */
  for (guint i = 1; lines_out != NULL && i < checks->len; i++)
    g_ptr_array_add (lines_out, g_strdup (checks->pdata[i]));
  return ok;
}

/* ---- fetching ------------------------------------------------------------------------------ */

static gboolean
download (AtRegistry   *self,
          const char   *id,
          int           n_chunks,
          const char   *sha256,
          const char   *path,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);

  if (out == NULL)
    return FALSE;
  for (int n = 0; n < n_chunks; n++)
    {
      g_autofree char *n_text = g_strdup_printf ("%d", n);
      const char *values[] = { id, n_text };
      g_autoptr(PGresult) chunk = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      chunk = _at_registry_query_full (self, "SELECT data FROM bundle_chunks WHERE assessment_id = $1 AND n = $2",
                                       2, values, NULL, NULL, TRUE, NULL, error);
      if (chunk == NULL)
        return FALSE;
      if (PQntuples (chunk) != 1)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("part %d of the bundle of assessment %s is missing from the registry; nothing was imported"), n + 1, id);
          return FALSE;
        }
      g_checksum_update (sum, (const guchar *) PQgetvalue (chunk, 0, 0), PQgetlength (chunk, 0, 0));
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), PQgetvalue (chunk, 0, 0), PQgetlength (chunk, 0, 0),
                                      NULL, cancellable, error))
        return FALSE;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    return FALSE;
  if (g_strcmp0 (g_checksum_get_string (sum), sha256) != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the bundle of assessment %s in the registry does not match the SHA-256 recorded when it was published: "
                     "it was altered in the database; nothing was imported"), id);
      return FALSE;
    }
  return TRUE;
}

char *
at_registry_fetch (AtRegistry          *self,
                   AtStore             *store,
                   const char          *id_or_number,
                   AtBundleImportFlags  flags,
                   AtBundleOutcome     *outcome_out,
                   GCancellable        *cancellable,
                   GError             **error)
{
  const char *values[] = { id_or_number };
  g_autoptr(PGresult) found = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  char *imported = NULL;

  g_return_val_if_fail (AT_IS_REGISTRY (self), NULL);

  found = _at_registry_query (self, "SELECT a.id, a.bundle_sha256, a.bundle_chunks FROM assessments a "
                                    "WHERE a.id = $1 OR a.id = (SELECT assessment_id FROM certificates WHERE number = $1 AND published_at IS NOT NULL)",
                              1, values, NULL, error);
  if (found == NULL)
    return NULL;
  if (PQntuples (found) == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("the registry has no published assessment or certificate “%s”"), id_or_number);
      return NULL;
    }
  id = g_strdup (PQgetvalue (found, 0, 0));
  path = scratch_path (store, "fetch", error);
  if (path == NULL)
    return NULL;
  if (download (self, id, atoi (PQgetvalue (found, 0, 2)), PQgetvalue (found, 0, 1), path, cancellable, error))
    imported = at_bundle_import (store, path, flags, outcome_out, NULL, NULL, cancellable, error);
  g_unlink (path);
  return imported;
}

/* ---- in a thread --------------------------------------------------------------------------- */

typedef struct
{
  char               *url;
  char               *what;   /* org, id or number, or the assessment id */
  char               *state;
  AtStore            *store;
  AtSigner           *signer;
  AtBundleImportFlags flags;
  AtBundleOutcome     outcome;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->url);
  g_free (job->what);
  g_free (job->state);
  g_clear_object (&job->store);
  g_clear_object (&job->signer);
  g_free (job);
}

static GTask *
job_task (const char          *url,
          const char          *what,
          gpointer             tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          Job                **job_out)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->url = g_strdup (url);
  job->what = g_strdup (what);
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, job, job_free);
  *job_out = job;
  return task;
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtRegistry) registry = at_registry_connect (job->url, &error);
  JsonNode *list = registry ? at_registry_list (registry, job->what, job->state, &error) : NULL;

  if (list == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, list, (GDestroyNotify) json_node_unref);
}

void
at_registry_list_async (const char          *url,
                        const char          *org,
                        const char          *state,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Job *job;
  g_autoptr(GTask) task = job_task (url, org, at_registry_list_async, cancellable, callback, user_data, &job);

  job->state = g_strdup (state);
  g_task_run_in_thread (task, list_thread);
}

JsonNode *
at_registry_list_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fetch_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtRegistry) registry = at_registry_connect (job->url, &error);
  char *id = registry ? at_registry_fetch (registry, job->store, job->what, job->flags, &job->outcome, cancellable, &error) : NULL;

  if (id == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, id, g_free);
}

void
at_registry_fetch_async (const char          *url,
                         AtStore             *store,
                         const char          *id_or_number,
                         AtBundleImportFlags  flags,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  Job *job;
  g_autoptr(GTask) task = job_task (url, id_or_number, at_registry_fetch_async, cancellable, callback, user_data, &job);

  job->store = g_object_ref (store);
  job->flags = flags;
  g_task_run_in_thread (task, fetch_thread);
}

char *
at_registry_fetch_finish (GAsyncResult     *result,
                          AtBundleOutcome  *outcome_out,
                          GError          **error)
{
  char *id;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  id = g_task_propagate_pointer (G_TASK (result), error);
  if (id != NULL && outcome_out != NULL)
    *outcome_out = ((Job *) g_task_get_task_data (G_TASK (result)))->outcome;
  return id;
}

static void
publish_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtRegistry) registry = at_registry_connect (job->url, &error);

  if (registry == NULL || !at_registry_publish (registry, job->store, job->what, job->signer, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
at_registry_publish_async (const char          *url,
                           AtStore             *store,
                           const char          *assessment_id,
                           AtSigner            *signer,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Job *job;
  g_autoptr(GTask) task = job_task (url, assessment_id, at_registry_publish_async, cancellable, callback, user_data, &job);

  job->store = g_object_ref (store);
  job->signer = g_object_ref (signer);
  g_task_run_in_thread (task, publish_thread);
}

gboolean
at_registry_publish_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
