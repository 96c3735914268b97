/* at-report.c — the certificate report: its content, who signs it when, and checking it */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-assessment.h"
#include "at-error.h"
#include "at-identity.h"
#include "at-report-private.h"
#include "at-report.h"
#include "at-store-private.h"
#include "at-settings.h"
#include "at-workflow.h"
#include "at-workflow-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Canonical JSON                                                                              */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static JsonNode *
sorted_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *in = json_node_get_object (node);
      JsonObject *out = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (in);
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

      for (GList *l = names; l; l = l->next)
        g_ptr_array_add (sorted, l->data);
      g_ptr_array_sort (sorted, compare_strings);
      JsonNode *node;

      for (guint i = 0; i < sorted->len; i++)
        json_object_set_member (out, sorted->pdata[i], sorted_copy (json_object_get_member (in, sorted->pdata[i])));
      node = json_node_init_object (json_node_alloc (), out);
      json_object_unref (out);
      return node;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *in = json_node_get_array (node);
      JsonArray *out = json_array_sized_new (json_array_get_length (in));

      JsonNode *node;

      for (guint i = 0; i < json_array_get_length (in); i++)
        json_array_add_element (out, sorted_copy (json_array_get_element (in, i)));
      node = json_node_init_array (json_node_alloc (), out);
      json_array_unref (out);
      return node;
    }
  return json_node_copy (node);
}

/* Members sorted by name at every level, no whitespace: the same content always gives the
 * same bytes, whatever order the pieces were built in. */
char *
_at_json_canonical_sorted (JsonNode *node)
{
  g_autoptr(JsonNode) sorted = sorted_copy (node);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, sorted);
  return json_generator_to_data (gen, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* The content                                                                                 */

static void
set_string_or_null (JsonObject *o,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

const char *
_at_report_approving_reviewer (JsonObject *rec)
{
  JsonArray *signoffs = _at_jarr (rec, "signoffs");
  const char *who = NULL;

  for (guint i = 0; signoffs && i < json_array_get_length (signoffs); i++)
    {
      JsonObject *s = json_array_get_object_element (signoffs, i);
      JsonNode *valid = json_object_get_member (s, "valid");

      if (g_strcmp0 (_at_jstr (s, "kind"), "approval") == 0 &&
          !(valid && JSON_NODE_HOLDS_VALUE (valid) && !json_node_get_boolean (valid)))
        who = _at_jstr (s, "signer");
    }
  return who;
}

static void
collect_ids (JsonObject *rec,
             GHashTable *ids)
{
  static const struct { const char *array, *member; } refs[] = {
    { "findings", "recorded_by" }, { "evidence", "added_by" }, { "nonconformities", "raised_by" },
    { "nonconformities", "responded_by" }, { "nonconformities", "verified_by" }, { "signoffs", "signer" },
  };
  JsonArray *team = _at_jarr (rec, "team");
  JsonArray *findings = _at_jarr (rec, "findings");

  if (_at_jstr (rec, "lead"))
    g_hash_table_add (ids, (gpointer) _at_jstr (rec, "lead"));
  if (_at_jstr (_at_jobj (rec, "certificate"), "issued_by"))
    g_hash_table_add (ids, (gpointer) _at_jstr (_at_jobj (rec, "certificate"), "issued_by"));
  for (guint r = 0; r < G_N_ELEMENTS (refs); r++)
    {
      JsonArray *a = _at_jarr (rec, refs[r].array);
      for (guint i = 0; a && i < json_array_get_length (a); i++)
        {
          JsonNode *n = json_array_get_element (a, i);
          const char *id = JSON_NODE_HOLDS_OBJECT (n) ? _at_jstr (json_node_get_object (n), refs[r].member) : NULL;
          if (id)
            g_hash_table_add (ids, (gpointer) id);
        }
    }
  for (guint i = 0; findings && i < json_array_get_length (findings); i++)
    {
      JsonNode *fn = json_array_get_element (findings, i);
      JsonArray *m = JSON_NODE_HOLDS_OBJECT (fn) ? _at_jarr (json_node_get_object (fn), "measurements") : NULL;
      for (guint k = 0; m && k < json_array_get_length (m); k++)
        {
          JsonNode *mn = json_array_get_element (m, k);
          const char *id = JSON_NODE_HOLDS_OBJECT (mn) ? _at_jstr (json_node_get_object (mn), "recorded_by") : NULL;
          if (id)
            g_hash_table_add (ids, (gpointer) id);
        }
    }
  for (guint i = 0; team && i < json_array_get_length (team); i++)
    {
      JsonNode *n = json_array_get_element (team, i);
      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        g_hash_table_add (ids, (gpointer) json_node_get_string (n));
    }
}

static const char *
identity_org (AtStore    *store,
              const char *id,
              GHashTable *keep)
{
  AtIdentity *who;

  if (id == NULL)
    return NULL;
  who = at_identity_lookup (store, id, NULL);
  if (who == NULL)
    return NULL;
  g_hash_table_add (keep, who);
  return at_identity_get_org (who);
}

/* The content a report is built from and its digest covers (see at-report.h). */
JsonNode *
_at_report_build_content (AtStore       *store,
               AtAssessment  *a,
               GError       **error)
{
  g_autoptr(JsonNode) rec_node = at_assessment_to_json_full (a, store);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) keep = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  JsonObject *rec = json_node_get_object (rec_node);

  /* another assessment's records, read live: shown beside these, not part of this report */
  json_object_remove_member (rec, "reference");
  JsonObject *content = json_object_new ();
  JsonObject *people = json_object_new ();
  JsonObject *body = json_object_new ();
  JsonObject *cert = _at_jobj (rec, "certificate");
  g_autofree char *body_name = at_settings_get (store, "body.name", NULL);
  g_autofree char *body_address = at_settings_get (store, "body.address", "");
  GHashTableIter iter;
  gpointer key;

  collect_ids (rec, ids);
  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(AtIdentity) who = at_identity_lookup (store, key, NULL);
      JsonObject *p = json_object_new ();

      set_string_or_null (p, "name", who ? at_identity_get_name (who) : key);
      set_string_or_null (p, "org", who ? at_identity_get_org (who) : NULL);
      json_object_set_object_member (people, key, p);
    }

  /* without a configured name, the body is the organisation its issuer (or reviewer, or lead
   * assessor) belongs to */
  if (body_name == NULL || *body_name == '\0')
    {
      const char *org = identity_org (store, _at_jstr (cert, "issued_by"), keep);
      if (org == NULL)
        org = identity_org (store, _at_report_approving_reviewer (rec), keep);
      if (org == NULL)
        org = identity_org (store, _at_jstr (rec, "lead"), keep);
      g_free (body_name);
      body_name = g_strdup (org);
    }
  set_string_or_null (body, "name", body_name);
  set_string_or_null (body, "address", body_address);

  json_object_set_string_member (content, "format", AT_REPORT_FORMAT);
  json_object_set_string_member (content, "assessment_id", at_assessment_get_id (a));
  set_string_or_null (content, "certificate_number", _at_jstr (cert, "number"));
  json_object_set_object_member (content, "body", body);
  json_object_set_object_member (content, "people", people);
  json_object_set_member (content, "records", g_steal_pointer (&rec_node));
  {
    JsonNode *node = json_node_init_object (json_node_alloc (), content);
    json_object_unref (content);
    return node;
  }
}

char *
_at_report_qr_payload (const char *certificate_number,
                       const char *assessment_id,
                       const char *digest)
{
  if (certificate_number != NULL)
    return g_strdup_printf ("Attest certificate %s\nSHA-256 %s", certificate_number, digest);
  return g_strdup_printf ("Attest report %s\nSHA-256 %s", assessment_id, digest);
}

char *
_at_report_qr_digest (const char *payload)
{
  const char *p = payload ? strstr (payload, "SHA-256 ") : NULL;

  if (p == NULL || strlen (p + 8) < 64 || strspn (p + 8, "0123456789abcdef") < 64)
    return NULL;
  return g_strndup (p + 8, 64);
}

/* ------------------------------------------------------------------------------------------ */
/* Who signs                                                                                   */

static const char *
signer_name (AtSigner *signer)
{
  return at_identity_get_name (at_signer_get_identity (signer));
}

/* Decides whether signer may sign a new report of these records as its first revision: the
 * field it signs, and the fields the report lays out. */
static gboolean
check_first_signer (AtStore      *store,
                    JsonObject   *rec,
                    AtSigner     *signer,
                    const char  **field,
                    GStrv        *fields,
                    GError      **error)
{
  AtIdentity *who = at_signer_get_identity (signer);
  const char *id = _at_jstr (rec, "id");
  const char *state = _at_jstr (rec, "state");
  const char *reviewer;

  if (g_strcmp0 (_at_jstr (rec, "kind"), "self") == 0)
    {
      if (!at_identity_has_role (who, AT_ROLE_ORGANISATION))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("%s cannot sign the self-assessment report of %s: only an identity with the organisation role signs it"),
                       at_identity_get_name (who), _at_jstr (rec, "org"));
          return FALSE;
        }
      if (_at_state_is_editable (state))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("self-assessment %s is %s: the organisation signs its report once it has submitted it "
                       "(--draft makes an unsigned preview in any state)"), id, _at_state_label (state));
          return FALSE;
        }
      *field = "organisation";
      *fields = g_strsplit ("organisation", ",", -1);
      return TRUE;
    }

  if (g_strcmp0 (state, "approved") != 0 && g_strcmp0 (state, "certified") != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("assessment %s is %s: its report is signed only once the recheck has approved it "
                   "(--draft makes an unsigned preview in any state)"), id, _at_state_label (state));
      return FALSE;
    }
  reviewer = _at_report_approving_reviewer (rec);
  if (reviewer == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("assessment %s has no recheck approval in force to sign the report"), id);
      return FALSE;
    }
  if (g_strcmp0 (reviewer, at_identity_get_id (who)) != 0)
    {
      g_autoptr(AtIdentity) expected = at_identity_lookup (store, reviewer, NULL);
      const char *expected_name = expected ? at_identity_get_name (expected) : reviewer;

      if (at_identity_has_role (who, AT_ROLE_ISSUER) && !at_identity_has_role (who, AT_ROLE_REVIEWER))
        g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                     _("%s cannot sign before the reviewer: %s, who approved the recheck, signs the report first; "
                     "the issuer then adds a signature with “attest-cli report sign FILE.pdf”"),
                     at_identity_get_name (who), expected_name);
      else
        g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                     _("%s did not approve assessment %s: its report is signed first by the reviewer who approved it, %s"),
                     at_identity_get_name (who), id, expected_name);
      return FALSE;
    }
  *field = "reviewer";
  if (g_strcmp0 (state, "certified") == 0 && _at_jobj (rec, "certificate") != NULL)
    *fields = g_strsplit ("reviewer,issuer", ",", -1);
  else
    *fields = g_strsplit ("reviewer", ",", -1);
  return TRUE;
}

char *
_at_report_reason (const char *field,
            JsonObject *rec)
{
  if (g_strcmp0 (field, "issuer") == 0)
    return g_strdup_printf ("Certificate %s issued for assessment %s", _at_jstr (_at_jobj (rec, "certificate"), "number"),
                            _at_jstr (rec, "id"));
  if (g_strcmp0 (field, "organisation") == 0)
    return g_strdup_printf ("Self-assessment report %s", _at_jstr (rec, "id"));
  return g_strdup_printf ("Recheck approval of assessment %s", _at_jstr (rec, "id"));
}

static void
remove_members (JsonObject         *o,
                const char * const *names)
{
  for (guint i = 0; o != NULL && names[i]; i++)
    if (json_object_has_member (o, names[i]))
      json_object_remove_member (o, names[i]);
}

static void
remove_in_each (JsonObject         *rec,
                const char         *array,
                const char * const *names)
{
  JsonArray *items = _at_jarr (rec, array);

  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      JsonNode *n = json_array_get_element (items, i);
      if (JSON_NODE_HOLDS_OBJECT (n))
        remove_members (json_node_get_object (n), names);
    }
}

void
_at_report_content_as_format (JsonNode   *content,
                              const char *format)
{
  JsonObject *c = json_node_get_object (content);
  JsonObject *rec = _at_jobj (c, "records");

  if (g_strcmp0 (format, AT_REPORT_FORMAT_1) != 0)
    return;
  json_object_set_string_member (c, "format", format);
  remove_members (rec, (const char * const[]) { "basis", "based_on", "rounds", "review", "assignments", NULL });
  remove_in_each (rec, "nonconformities", (const char * const[]) { "history", "evidence", NULL });
  remove_in_each (rec, "evidence", (const char * const[]) { "origin", NULL });
  remove_in_each (rec, "measurements", (const char * const[]) { "source", NULL });
  remove_in_each (rec, "signoffs", (const char * const[]) { "superseded_at", "superseded_by", "superseded_because", NULL });
}

GPtrArray *
at_report_default_signers (AtStore     *store,
                           const char  *assessment_id,
                           GError     **error)
{
  g_autoptr(AtAssessment) a = at_assessment_lookup (store, assessment_id, error);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  JsonObject *rec;
  JsonObject *cert;
  const char *state;
  const char *reviewer;

  if (a == NULL)
    return NULL;
  state = at_assessment_get_state (a);
  if (at_assessment_get_kind (a) == AT_KIND_SELF)
    {
      g_autoptr(AtIdentity) lead = at_identity_lookup (store, at_assessment_get_lead (a), NULL);

      /* the organisation answers for its self-assessment once it has submitted it */
      if (!_at_state_is_editable (state) && lead != NULL && at_identity_has_role (lead, AT_ROLE_ORGANISATION))
        g_ptr_array_add (ids, g_strdup (at_assessment_get_lead (a)));
      return g_steal_pointer (&ids);
    }
  if (g_strcmp0 (state, "approved") != 0 && g_strcmp0 (state, "certified") != 0)
    return g_steal_pointer (&ids);

  root = at_assessment_to_json_full (a, store);
  rec = json_node_get_object (root);
  reviewer = _at_report_approving_reviewer (rec);
  if (reviewer == NULL)
    return g_steal_pointer (&ids);
  g_ptr_array_add (ids, g_strdup (reviewer));
  cert = _at_jobj (rec, "certificate");
  if (g_strcmp0 (state, "certified") == 0 && cert != NULL && _at_jstr (cert, "issued_by") != NULL)
    g_ptr_array_add (ids, g_strdup (_at_jstr (cert, "issued_by")));
  return g_steal_pointer (&ids);
}

/* ------------------------------------------------------------------------------------------ */
/* Writing                                                                                     */

gboolean
at_report_write (AtStore     *store,
                 const char  *assessment_id,
                 const char  *out_path,
                 AtLang       lang,
                 gboolean     draft,
                 AtSigner    *signer,
                 GError     **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(JsonNode) content = NULL;
  g_autoptr(AtPdf) pdf = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *text = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *qr = NULL;
  JsonObject *rec;
  const char *field = NULL;
  gboolean certificate;
  AtReportSpec spec = { 0 };

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (signer == NULL || AT_IS_SIGNER (signer), FALSE);

  a = at_assessment_lookup (store, assessment_id, error);
  if (a == NULL)
    return FALSE;
  content = _at_report_build_content (store, a, error);
  if (content == NULL)
    return FALSE;
  rec = _at_jobj (json_node_get_object (content), "records");
  text = _at_json_canonical_sorted (content);
  digest = at_sha256_hex (text, strlen (text));

  draft = draft || signer == NULL;
  if (!draft && !check_first_signer (store, rec, signer, &field, &fields, error))
    return FALSE;
  certificate = _at_jobj (rec, "certificate") != NULL && g_strcmp0 (_at_jstr (rec, "state"), "certified") == 0 &&
                g_strcmp0 (_at_jstr (rec, "kind"), "self") != 0;

  qr = _at_report_qr_payload (certificate ? _at_jstr (_at_jobj (rec, "certificate"), "number") : NULL,
                              at_assessment_get_id (a), digest);
  spec.content = json_node_get_object (content);
  spec.catalog = at_assessment_get_catalog (a);
  spec.lang = lang;
  spec.draft = draft;
  spec.certificate = certificate;
  spec.data_dir = at_store_get_data_dir (store);
  spec.digest = digest;
  spec.qr_payload = qr;
  spec.fields = (const char * const *) fields;
  if (signer != NULL)
    {
      spec.signer_name = at_identity_get_name (at_signer_get_identity (signer));
      spec.signer_org = at_identity_get_org (at_signer_get_identity (signer));
    }
  pdf = _at_report_render (&spec, error);
  if (pdf == NULL)
    return FALSE;

  _at_pdf_set_info (pdf, "AttestFormat", AT_REPORT_FORMAT);
  _at_pdf_set_info (pdf, "AttestAssessment", at_assessment_get_id (a));
  _at_pdf_set_info (pdf, "AttestQR", qr);
  _at_pdf_set_info (pdf, "AttestLang", at_lang_to_string (lang));
  _at_pdf_set_info (pdf, "AttestDraft", draft ? "yes" : "no");
  _at_pdf_attach (pdf, AT_REPORT_ATTACHMENT, "The content this report was built from; its SHA-256 is in the QR code",
                  text, strlen (text));

  if (!draft)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_auto(GStrv) lines = _at_report_signed_lines (lang, signer_name (signer), now);
      g_autofree char *reason = _at_report_reason (field, rec);

      _at_pdf_prepare_sig (pdf, field, signer, reason, (const char * const *) lines);
    }
  bytes = _at_pdf_save_signed (pdf, draft ? NULL : signer, error);
  if (bytes == NULL)
    return FALSE;
  return at_write_file_atomic (out_path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 0644, error);
}

typedef struct
{
  char     *assessment_id;
  char     *out_path;
  AtLang    lang;
  gboolean  draft;
  AtSigner *signer;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *d = data;

  g_free (d->assessment_id);
  g_free (d->out_path);
  g_clear_object (&d->signer);
  g_free (d);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  WriteData *d = task_data;
  GError *error = NULL;

  if (at_report_write (source, d->assessment_id, d->out_path, d->lang, d->draft, d->signer, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
at_report_write_async (AtStore             *store,
                       const char          *assessment_id,
                       const char          *out_path,
                       AtLang               lang,
                       gboolean             draft,
                       AtSigner            *signer,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  WriteData *d = g_new0 (WriteData, 1);

  d->assessment_id = g_strdup (assessment_id);
  d->out_path = g_strdup (out_path);
  d->lang = lang;
  d->draft = draft;
  d->signer = signer ? g_object_ref (signer) : NULL;
  g_task_set_source_tag (task, at_report_write_async);
  g_task_set_task_data (task, d, write_data_free);
  g_task_run_in_thread (task, write_in_thread);
}

gboolean
at_report_write_finish (AtStore       *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

