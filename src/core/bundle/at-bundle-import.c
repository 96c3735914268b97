/* at-bundle-import.c — importing a bundle into a store, verifying one alone, and both in a
 * worker thread
 *
 * An import reads the bundle into a temporary folder inside the data directory (so evidence
 * moves into place by rename), applies it, and removes the folder whatever happened. The folder
 * is locked while its import lives (at-temp.h): one left by a killed import is removed by the
 * next import or the next opening of the store, one still being filled is left alone.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "at-bundle-private.h"
#include "at-error.h"
#include "at-records-private.h"
#include "at-store-private.h"
#include "at-temp.h"
#include "at-workflow-private.h"

#define AREA_PREFIX _AT_STORE_IMPORT_PREFIX
#define VERIFY_PREFIX "attest-verify-"

/* A bundle is unpacked into a folder of the data directory (the evidence is renamed from there
 * into place), locked for as long as this process uses it: a dead import's folder is swept by
 * the next one, a live one's never. */
char *
_at_bundle_area_new (AtStore  *store,
                     int      *lock_fd,
                     GError  **error)
{
  at_temp_sweep (at_store_get_data_dir (store), AREA_PREFIX);
  return at_temp_dir_new (at_store_get_data_dir (store), AREA_PREFIX, lock_fd, error);
}

void
_at_bundle_area_remove (const char *area,
                        int         lock_fd)
{
  at_temp_dir_remove (area, lock_fd);
}

char *
at_bundle_import (AtStore             *store,
                  const char          *path,
                  AtBundleImportFlags  flags,
                  AtBundleOutcome     *outcome_out,
                  AtProgressFunc       progress,
                  gpointer             progress_data,
                  GCancellable        *cancellable,
                  GError             **error)
{
  return _at_bundle_import_checked (store, path, flags, NULL, NULL, outcome_out, progress, progress_data,
                                    cancellable, error);
}

char *
_at_bundle_import_checked (AtStore             *store,
                           const char          *path,
                           AtBundleImportFlags  flags,
                           AtBundleCheckFunc    check,
                           gpointer             check_data,
                           AtBundleOutcome     *outcome_out,
                           AtProgressFunc       progress,
                           gpointer             progress_data,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_autoptr(AtBundleContents) contents = NULL;
  g_autofree char *area = NULL;
  AtBundleOutcome outcome = AT_BUNDLE_IMPORTED;
  char *id = NULL;
  int lock_fd = -1;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  area = _at_bundle_area_new (store, &lock_fd, error);
  if (area == NULL)
    return NULL;

  contents = _at_bundle_read (path, area, progress, progress_data, cancellable, error);
  if (contents != NULL && (check == NULL || check (contents, check_data, error)))
    id = _at_bundle_apply (store, contents, flags, FALSE, &outcome, error);

  g_clear_pointer (&contents, _at_bundle_contents_free);
  _at_bundle_area_remove (area, lock_fd);
  if (id != NULL && outcome_out != NULL)
    *outcome_out = outcome;
  return id;
}

/* “3 findings”, in the sentence's language */
static char *
count_entity (const char *entity,
              guint       n)
{
  if (g_str_equal (entity, "finding"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u finding", "%u findings", n), n);
  if (g_str_equal (entity, "measurement"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u measurement", "%u measurements", n), n);
  if (g_str_equal (entity, "evidence"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u evidence record", "%u evidence records", n), n);
  if (g_str_equal (entity, "link"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u evidence link", "%u evidence links", n), n);
  if (g_str_equal (entity, "nc"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u nonconformity", "%u nonconformities", n), n);
  if (g_str_equal (entity, "nc-evidence"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u corrective action's evidence file", "%u corrective actions' evidence files", n), n);
  if (g_str_equal (entity, "review"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u recheck record", "%u recheck records", n), n);
  if (g_str_equal (entity, "assignment"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u assigned clause", "%u assigned clauses", n), n);
  if (g_str_equal (entity, "signoff"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sign-off", "%u sign-offs", n), n);
  if (g_str_equal (entity, "certificate"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u certificate", "%u certificates", n), n);
  return g_strdup_printf ("%u %s", n, entity);
}

/* “records: 3 findings, 1 sign-off” (or none besides the assessment) */
static char *
count_records (AtBundleContents *c)
{
  g_autoptr(GString) list = g_string_new (NULL);
  const AtEntityDesc *descs;
  guint n_descs;

  descs = _at_records_entities (&n_descs);
  for (guint i = 0; i < n_descs; i++)
    {
      JsonNode *node = json_object_get_member (c->records, descs[i].entity);
      guint n = node ? json_array_get_length (json_node_get_array (node)) : 0;
      g_autofree char *count = NULL;

      if (n == 0 || g_str_equal (descs[i].entity, "assessment"))
        continue;
      count = count_entity (descs[i].entity, n);
      /* Translators: between the items of a list such as “3 findings, 2 sign-offs” */
      g_string_append_printf (list, "%s%s", list->len ? C_("list separator", ", ") : "", count);
    }
  if (list->len == 0)
    return g_strdup (_("records: none besides the assessment"));
  return g_strdup_printf (_("records: %s"), list->str);
}

/* What the registry keeps beside a bundle: who and what it is about, from the checked manifest. */
static JsonNode *
summary_of (AtBundleContents *c,
            JsonObject       *assessment_row)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonNode *certificates = json_object_get_member (c->records, "certificate");
  JsonArray *cert_rows = certificates ? json_node_get_array (certificates) : NULL;
  static const char * const row_members[] = { "org", "kind", "state", "scope", "address" };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "assessment_id");
  json_builder_add_string_value (b, c->assessment_id);
  for (guint i = 0; i < G_N_ELEMENTS (row_members); i++)
    {
      json_builder_set_member_name (b, row_members[i]);
      if (json_object_get_string_member_with_default (assessment_row, row_members[i], NULL))
        json_builder_add_string_value (b, json_object_get_string_member (assessment_row, row_members[i]));
      else
        json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "standard");
  json_builder_add_string_value (b, json_object_get_string_member (c->catalog, "code"));
  json_builder_set_member_name (b, "standard_version");
  json_builder_add_string_value (b, json_object_get_string_member (c->catalog, "version"));
  json_builder_set_member_name (b, "exported_by");
  json_builder_add_string_value (b, c->exported_by);
  json_builder_set_member_name (b, "exported_by_name");
  json_builder_add_string_value (b, json_object_get_string_member (c->exporter, "name"));
  json_builder_set_member_name (b, "exported_at");
  json_builder_add_string_value (b, c->exported_at);
  json_builder_set_member_name (b, "evidence_bytes");
  json_builder_add_int_value (b, (gint64) c->evidence_bytes);
  json_builder_set_member_name (b, "certificate");
  if (cert_rows != NULL && json_array_get_length (cert_rows) == 1)
    json_builder_add_value (b, json_node_copy (json_object_get_member (json_array_get_object_element (cert_rows, 0), "row")));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "identities");
  json_builder_add_value (b, json_node_copy (json_object_get_member (c->manifest, "identities")));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
at_bundle_verify (const char  *path,
                  GPtrArray   *lines_out,
                  GError     **error)
{
  g_autoptr(JsonNode) summary = at_bundle_verify_summary (path, lines_out, error);

  return summary != NULL;
}

JsonNode *
at_bundle_verify_summary (const char  *path,
                          GPtrArray   *lines_out,
                          GError     **error)
{
  g_autoptr(AtBundleContents) c = NULL;
  g_autoptr(AtStore) store = NULL;
  g_autofree char *scratch = NULL;
  g_autofree char *id = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *size = NULL;
  AtBundleOutcome outcome;
  JsonObject *assessment_row;
  int lock_fd = -1;

  g_return_val_if_fail (path != NULL, NULL);

  c = _at_bundle_read (path, NULL, NULL, NULL, NULL, error);
  if (c == NULL)
    return NULL;

  /* The records against the audit log, by the very code an import runs, in a store that is
   * thrown away. */
  at_temp_sweep (g_get_tmp_dir (), VERIFY_PREFIX);
  scratch = at_temp_dir_new (g_get_tmp_dir (), VERIFY_PREFIX, &lock_fd, error);
  if (scratch == NULL)
    return NULL;
  store = at_store_open (scratch, error);
  if (store != NULL)
    id = _at_bundle_apply (store, c, AT_BUNDLE_IMPORT_NONE, TRUE, &outcome, error);
  g_clear_object (&store);
  at_temp_dir_remove (scratch, lock_fd);
  if (id == NULL)
    return NULL;

  assessment_row = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (c->records, "assessment"), 0), "row");
  if (lines_out == NULL)
    return summary_of (c, assessment_row);
  g_free (_at_bundle_cert_id (json_object_get_string_member (c->exporter, "cert_pem"), &fingerprint, NULL));
  size = _at_bundle_format_size (c->evidence_bytes);

  g_ptr_array_add (lines_out, g_strdup_printf (_("%s: an Attest bundle (%s) of assessment %s, exported %s"),
                                               path, AT_BUNDLE_FORMAT, c->assessment_id, c->exported_at));
  g_ptr_array_add (lines_out, g_strdup_printf (_("signature: valid — manifest.json was signed by %s (identity %s)"),
                                               json_object_get_string_member (c->exporter, "name"), c->exported_by));
  g_ptr_array_add (lines_out, g_strdup_printf (_("signer's certificate: the one the bundle carries, SHA-256 %s; no authority vouches "
                                               "for it, so compare it with the certificate you know for this person"), fingerprint));
  g_ptr_array_add (lines_out, g_strdup_printf (_("assessment: %s, %s %s, %s"),
                                               json_object_get_string_member_with_default (assessment_row, "org", "?"),
                                               json_object_get_string_member (c->catalog, "code"),
                                               json_object_get_string_member (c->catalog, "version"),
                                               _at_state_label (json_object_get_string_member_with_default (assessment_row, "state", "?"))));
  g_ptr_array_add (lines_out, count_records (c));
  g_ptr_array_add (lines_out, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "evidence: %u file, %s, every SHA-256 and size as listed",
                                                            "evidence: %u files, %s, every SHA-256 and size as listed",
                                                            c->file_order->len),
                                               c->file_order->len, size));
  g_ptr_array_add (lines_out, g_strdup_printf (_("audit log: %u entries, the chain is intact and the records match it"),
                                               json_array_get_length (c->audit)));
  return summary_of (c, assessment_row);
}

/* ---- in a thread ------------------------------------------------------------------------ */

typedef struct
{
  char               *path;
  AtBundleImportFlags flags;
  AtProgressFunc      progress;
  gpointer            progress_data;
  AtBundleOutcome     outcome;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *d = data;

  g_free (d->path);
  g_free (d);
}

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *d = task_data;
  GError *error = NULL;
  char *id = at_bundle_import (source, d->path, d->flags, &d->outcome, d->progress, d->progress_data, cancellable, &error);

  if (id != NULL)
    g_task_return_pointer (task, id, g_free);
  else
    g_task_return_error (task, error);
}

void
at_bundle_import_async (AtStore             *store,
                        const char          *path,
                        AtBundleImportFlags  flags,
                        AtProgressFunc       progress,
                        gpointer             progress_data,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  ImportData *d = g_new0 (ImportData, 1);

  g_return_if_fail (AT_IS_STORE (store));

  d->path = g_strdup (path);
  d->flags = flags;
  d->progress = progress;
  d->progress_data = progress_data;
  g_task_set_source_tag (task, at_bundle_import_async);
  g_task_set_task_data (task, d, import_data_free);
  g_task_run_in_thread (task, import_thread);
}

char *
at_bundle_import_finish (AtStore          *store,
                         GAsyncResult     *result,
                         AtBundleOutcome  *outcome_out,
                         GError          **error)
{
  char *id;

  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  id = g_task_propagate_pointer (G_TASK (result), error);
  if (id != NULL && outcome_out != NULL)
    *outcome_out = ((ImportData *) g_task_get_task_data (G_TASK (result)))->outcome;
  return id;
}

static void
verify_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  if (at_bundle_verify (task_data, lines, &error))
    g_task_return_pointer (task, g_steal_pointer (&lines), (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
at_bundle_verify_async (const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, at_bundle_verify_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, verify_thread);
}

GPtrArray *
at_bundle_verify_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
