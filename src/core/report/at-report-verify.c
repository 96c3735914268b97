/* at-report-verify.c — reading a report back: checking its signatures, its QR code's digest
 * and its content against the records, and adding the issuer's signature */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "at-assessment.h"
#include "at-error.h"
#include "at-identity.h"
#include "at-report-private.h"
#include "at-report.h"
#include "at-workflow-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Reading a report back                                                                       */

typedef struct
{
  GBytes      *file;
  AtPdfReader *reader;
  GPtrArray   *fields;      /* AtPdfSigInfo */
  char        *assessment;  /* /AttestAssessment */
  char        *qr;
  char        *lang;
  char        *format;      /* /AttestFormat */
  GBytes      *content;     /* the attachment */
} Report;

static void
report_clear (Report *r)
{
  g_clear_pointer (&r->file, g_bytes_unref);
  g_clear_pointer (&r->reader, _at_pdf_reader_free);
  g_clear_pointer (&r->fields, g_ptr_array_unref);
  g_clear_pointer (&r->assessment, g_free);
  g_clear_pointer (&r->qr, g_free);
  g_clear_pointer (&r->lang, g_free);
  g_clear_pointer (&r->format, g_free);
  g_clear_pointer (&r->content, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Report, report_clear)

static char *
info_text (Report     *r,
           AtPv       *info,
           const char *key)
{
  return _at_pv_dup_text (_at_pv_get (info, key));
}

static GBytes *
find_attachment (Report  *r,
                 GError **error)
{
  AtPdfReader *reader = r->reader;
  g_autoptr(AtPv) catalog = _at_pdf_reader_resolve (reader, _at_pv_get (_at_pdf_reader_trailer (reader), "Root"), error);
  g_autoptr(AtPv) names = NULL;
  g_autoptr(AtPv) tree = NULL;
  g_autoptr(AtPv) list = NULL;

  if (catalog == NULL || _at_pv_get (catalog, "Names") == NULL)
    return NULL;
  names = _at_pdf_reader_resolve (reader, _at_pv_get (catalog, "Names"), error);
  if (names == NULL || _at_pv_get (names, "EmbeddedFiles") == NULL)
    return NULL;
  tree = _at_pdf_reader_resolve (reader, _at_pv_get (names, "EmbeddedFiles"), error);
  if (tree == NULL || _at_pv_get (tree, "Names") == NULL)
    return NULL;
  list = _at_pdf_reader_resolve (reader, _at_pv_get (tree, "Names"), error);
  for (guint i = 0; list && list->kind == AT_PV_ARRAY && i + 1 < list->items->len; i += 2)
    {
      g_autofree char *name = _at_pv_dup_text (list->items->pdata[i]);
      g_autoptr(AtPv) spec = NULL;
      g_autoptr(AtPv) ef = NULL;
      g_autoptr(AtPv) stream = NULL;

      if (g_strcmp0 (name, AT_REPORT_ATTACHMENT) != 0)
        continue;
      spec = _at_pdf_reader_resolve (reader, list->items->pdata[i + 1], error);
      ef = spec ? _at_pdf_reader_resolve (reader, _at_pv_get (spec, "EF"), error) : NULL;
      stream = ef ? _at_pdf_reader_resolve (reader, _at_pv_get (ef, "F"), error) : NULL;
      return stream ? _at_pdf_reader_stream (reader, stream, error) : NULL;
    }
  return NULL;
}

static gboolean
report_open (Report      *r,
             const char  *path,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(AtPv) info = NULL;
  char *contents = NULL;
  gsize len = 0;
  AtPv *info_ref;

  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("could not read the report: %s"), local->message);
      return FALSE;
    }
  r->file = g_bytes_new_take (contents, len);
  r->reader = _at_pdf_reader_new (r->file, error);
  if (r->reader == NULL)
    return FALSE;
  info_ref = _at_pv_get (_at_pdf_reader_trailer (r->reader), "Info");
  info = info_ref ? _at_pdf_reader_resolve (r->reader, info_ref, NULL) : NULL;
  r->format = info_text (r, info, "AttestFormat");
  r->assessment = info_text (r, info, "AttestAssessment");
  r->qr = info_text (r, info, "AttestQR");
  r->lang = info_text (r, info, "AttestLang");
  if ((g_strcmp0 (r->format, AT_REPORT_FORMAT) != 0 && g_strcmp0 (r->format, AT_REPORT_FORMAT_1) != 0) ||
      r->assessment == NULL || r->qr == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("%s is not a report written by Attest"), path);
      return FALSE;
    }
  r->fields = _at_pdf_reader_fields (r->reader, error);
  if (r->fields == NULL)
    return FALSE;
  r->content = find_attachment (r, error);
  if (r->content == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the report's content (%s) is missing"), AT_REPORT_ATTACHMENT);
      return FALSE;
    }
  return TRUE;
}

/* A failed check: a sentence among the others, and counted as a problem. */
static void
add_problem (GPtrArray *lines,
             GPtrArray *problems,
             char      *sentence)
{
  g_ptr_array_add (lines, g_strdup (sentence));
  g_ptr_array_add (problems, sentence);
}

static int
compare_coverage (gconstpointer a,
                  gconstpointer b)
{
  const AtPdfSigInfo *x = *(const AtPdfSigInfo * const *) a;
  const AtPdfSigInfo *y = *(const AtPdfSigInfo * const *) b;
  gsize ex = x->range[2] + x->range[3], ey = y->range[2] + y->range[3];

  return ex < ey ? -1 : ex > ey;
}

static char *
common_name (const char *pem)
{
  BIO *bio = BIO_new_mem_buf (pem, -1);
  X509 *cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  char *out = NULL;

  BIO_free (bio);
  if (cert != NULL)
    {
      X509_NAME *name = X509_get_subject_name (cert);
      int i = X509_NAME_get_index_by_NID (name, NID_commonName, -1);
      unsigned char *utf8 = NULL;

      if (i >= 0 && ASN1_STRING_to_UTF8 (&utf8, X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, i))) >= 0)
        {
          out = g_strdup ((const char *) utf8);
          OPENSSL_free (utf8);
        }
      else
        {
          /* no CN: say what the subject does name */
          BIO *text = BIO_new (BIO_s_mem ());
          char *data = NULL;
          long len;

          X509_NAME_print_ex (text, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
          len = BIO_get_mem_data (text, &data);
          out = g_strdup_printf (_("a certificate without a name (%.*s)"), (int) len, data);
          BIO_free (text);
        }
      X509_free (cert);
    }
  return out ? out : g_strdup (_("an unreadable certificate"));
}

/* No signature covers the certificate inside a CMS: a self-issued one (as Attest makes them)
 * at least carries its own signature, so a byte changed in it shows. A certificate a CA issued
 * is checked against the data directory's identities instead. */
static gboolean
certificate_intact (const char *pem)
{
  BIO *bio = BIO_new_mem_buf (pem, -1);
  X509 *cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  gboolean ok = cert != NULL;

  BIO_free (bio);
  /* by name, not X509_check_issued: that also wants keyCertSign, which a signer's lacks */
  if (cert != NULL && X509_NAME_cmp (X509_get_issuer_name (cert), X509_get_subject_name (cert)) == 0)
    ok = X509_verify (cert, X509_get0_pubkey (cert)) == 1;
  X509_free (cert);
  return ok;
}

static char *
squash (const char *pem)
{
  GString *s = g_string_new (NULL);

  for (const char *p = pem; p && *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static AtIdentity *
identity_by_cert (AtStore    *store,
                  const char *pem)
{
  g_autoptr(GPtrArray) all = store ? at_identity_list (store, NULL) : NULL;
  g_autofree char *want = squash (pem);

  for (guint i = 0; all && i < all->len; i++)
    {
      g_autofree char *have = squash (at_identity_get_cert_pem (all->pdata[i]));
      if (g_str_equal (have, want))
        return g_object_ref (all->pdata[i]);
    }
  return NULL;
}

static const char *
role_of (const char *field)
{
  /* Translators: in “Signature 1 (the reviewer's)” and “The report still waits for the issuer's signature” */
  if (g_strcmp0 (field, "reviewer") == 0) return _("the reviewer's");
  if (g_strcmp0 (field, "issuer") == 0) return _("the issuer's");
  if (g_strcmp0 (field, "organisation") == 0) return _("the organisation's");
  return _("an unexpected");
}

/* D:20250314102200+00'00' → 2025-03-14 10:22:00 UTC */
static char *
pdf_date_text (const char *date)
{
  if (date == NULL || strlen (date) < 16 || !g_str_has_prefix (date, "D:"))
    return g_strdup (date ? date : _("at an unknown time"));
  return g_strdup_printf ("%.4s-%.2s-%.2s %.2s:%.2s:%.2s UTC", date + 2, date + 6, date + 8, date + 10, date + 12,
                          strlen (date) >= 16 ? date + 14 : "00");
}

static guint
count_revisions (const guchar *data,
                 gsize         len)
{
  guint n = 0;

  for (gsize i = 0; i + 5 <= len; i++)
    if (data[i] == '%' && memcmp (data + i, "%%EOF", 5) == 0)
      n++;
  return n;
}

/* Checks the signatures already in the report. Each one gets a sentence in lines; problems
 * (sentences too) go to problems. The signed fields are left in signing order in signed_out;
 * pems_out gets each one's certificate. */
static void
check_signatures (Report     *r,
                  AtStore    *store,
                  GPtrArray  *lines,
                  GPtrArray  *problems,
                  GPtrArray  *signed_out,
                  GPtrArray  *pems_out)
{
  gsize len;
  const guchar *data = _at_pdf_reader_data (r->reader, &len);
  guint total_revisions = count_revisions (data, len);

  for (guint i = 0; i < r->fields->len; i++)
    if (((AtPdfSigInfo *) r->fields->pdata[i])->is_signed)
      g_ptr_array_add (signed_out, r->fields->pdata[i]);
  g_ptr_array_sort (signed_out, compare_coverage);

  for (guint i = 0; i < signed_out->len; i++)
    {
      AtPdfSigInfo *s = signed_out->pdata[i];
      g_autoptr(GError) local = NULL;
      g_autofree char *pem = NULL;
      g_autofree char *who = NULL;
      g_autoptr(AtIdentity) identity = NULL;
      const char *role = role_of (s->name);
      g_autofree char *when = pdf_date_text (s->signed_at);
      gsize end = s->range[2] + s->range[3];
      g_autoptr(GByteArray) signed_bytes = NULL;

      /* the gap must be exactly /Contents, and the ranges inside the file */
      if (s->range[0] != 0 || s->range[1] != s->contents_start || s->range[2] != s->contents_end ||
          end > len || s->range[1] > s->range[2])
        {
          add_problem (lines, problems, g_strdup_printf (_("Signature %u (%s): INVALID — its byte range does not cover the document "
                                                      "around its own signature value."), i + 1, role));
          g_ptr_array_add (pems_out, NULL);
          continue;
        }
      if (!s->padding_clean)
        {
          add_problem (lines, problems, g_strdup_printf (_("Signature %u (%s): INVALID — the space reserved for its "
                                                         "signature value holds bytes that signing did not write."),
                                                         i + 1, role));
          g_ptr_array_add (pems_out, NULL);
          continue;
        }
      pem = at_signature_signer_pem (s->cms, &local);
      if (pem == NULL)
        {
          add_problem (lines, problems, g_strdup_printf (_("Signature %u (%s): INVALID — %s."), i + 1, role, local->message));
          g_ptr_array_add (pems_out, NULL);
          continue;
        }
      identity = identity_by_cert (store, pem);
      who = identity ? g_strdup (at_identity_get_name (identity)) : common_name (pem);
      if (!certificate_intact (pem))
        {
          add_problem (lines, problems, g_strdup_printf (_("Signature %u (%s) by %s: INVALID — the signer's certificate in it "
                                                         "was altered."), i + 1, role, who));
          g_ptr_array_add (pems_out, NULL);
          continue;
        }
      signed_bytes = g_byte_array_sized_new (s->range[1] + s->range[3]);
      g_byte_array_append (signed_bytes, data, s->range[1]);
      g_byte_array_append (signed_bytes, data + s->range[2], s->range[3]);
      if (!at_signature_verify (s->cms, signed_bytes->data, signed_bytes->len, pem, &local))
        {
          add_problem (lines, problems, g_strdup_printf (_("Signature %u (%s) by %s: INVALID — %s."), i + 1, role, who, local->message));
          g_ptr_array_add (pems_out, NULL);
          continue;
        }
      g_ptr_array_add (pems_out, g_steal_pointer (&pem));
      if (end == len)
        g_ptr_array_add (lines, g_strdup_printf (_("Signature %u (%s) by %s, %s: valid; it covers the whole document."),
                                                 i + 1, role, who, when));
      else
        g_ptr_array_add (lines, g_strdup_printf (_("Signature %u (%s) by %s, %s: valid; it covers revision %u of %u."),
                                                 i + 1, role, who, when, count_revisions (data, end), total_revisions));
    }

  if (signed_out->len == 0)
    add_problem (lines, problems, g_strdup (_("The report carries no signature: it is an unsigned draft.")));
  else
    {
      AtPdfSigInfo *last = signed_out->pdata[signed_out->len - 1];
      gsize end = last->range[2] + last->range[3];
      if (end < len)
        add_problem (lines, problems, g_strdup_printf (_("The document was changed after its last signature: %zu"
                                                    " bytes were added that no signature covers."), (size_t) (len - end)));
    }
}

/* The first differing top-level parts of two contents, for a sentence. */
static char *
describe_difference (const char *a_text,
                     const char *b_text)
{
  g_autoptr(JsonNode) a = json_from_string (a_text, NULL);
  g_autoptr(JsonNode) b = json_from_string (b_text, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  JsonObject *ra, *rb;
  g_autoptr(GList) names = NULL;

  if (a == NULL || b == NULL || !JSON_NODE_HOLDS_OBJECT (a) || !JSON_NODE_HOLDS_OBJECT (b))
    return g_strdup (_("its content"));
  ra = _at_jobj (json_node_get_object (a), "records");
  rb = _at_jobj (json_node_get_object (b), "records");
  if (ra && rb)
    {
      names = json_object_get_members (rb);
      for (GList *l = names; l; l = l->next)
        {
          g_autofree char *x = json_object_has_member (ra, l->data) ? _at_json_canonical_sorted (json_object_get_member (ra, l->data)) : NULL;
          g_autofree char *y = _at_json_canonical_sorted (json_object_get_member (rb, l->data));
          if (g_strcmp0 (x, y) != 0)
            g_string_append_printf (out, "%s%s", out->len ? ", " : "", (char *) l->data);
        }
    }
  for (const char *const *k = (const char * const[]) { "body", "people", "certificate_number", NULL }; *k; k++)
    {
      g_autofree char *x = json_object_has_member (json_node_get_object (a), *k) ? _at_json_canonical_sorted (json_object_get_member (json_node_get_object (a), *k)) : NULL;
      g_autofree char *y = json_object_has_member (json_node_get_object (b), *k) ? _at_json_canonical_sorted (json_object_get_member (json_node_get_object (b), *k)) : NULL;
      if (g_strcmp0 (x, y) != 0)
        g_string_append_printf (out, "%s%s", out->len ? ", " : "", *k);
    }
  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : g_strdup (_("its content"));
}

/* Compares the report's content with the records in store; NULL when they match, else a
 * sentence. */
static char *
compare_with_store (Report        *r,
                    AtStore       *store,
                    AtAssessment  *a,
                    JsonNode     **content_out)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) now = _at_report_build_content (store, a, &local);
  g_autofree char *text = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *qr_digest = _at_report_qr_digest (r->qr);
  g_autofree char *embedded = NULL;
  g_autofree char *what = NULL;

  if (now == NULL)
    return g_strdup_printf (_("The records of assessment %s could not be read: %s"), r->assessment, local->message);
  _at_report_content_as_format (now, r->format);
  text = _at_json_canonical_sorted (now);
  digest = at_sha256_hex (text, strlen (text));
  if (content_out)
    *content_out = json_node_ref (now);
  if (g_strcmp0 (digest, qr_digest) == 0)
    return NULL;
  embedded = g_strndup (g_bytes_get_data (r->content, NULL), g_bytes_get_size (r->content));
  what = describe_difference (embedded, text);
  return g_strdup_printf (_("The report does not match the records of assessment %s as they are now (changed since: %s): "
                            "generate it again."), r->assessment, what);
}

gboolean
at_report_verify (AtStore     *store,
                  const char  *pdf_path,
                  GPtrArray   *lines,
                  GError     **error)
{
  g_auto(Report) r = { 0 };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) signed_fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) pems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) own_lines = NULL;
  g_autofree char *qr_digest = NULL;
  g_autofree char *content_digest = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (store == NULL || AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (pdf_path != NULL, FALSE);

  if (lines == NULL)
    lines = own_lines = g_ptr_array_new_with_free_func (g_free);

  if (!report_open (&r, pdf_path, &local))
    {
      g_ptr_array_add (lines, g_strdup_printf (_("The report cannot be read: %s."), local->message));
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the report did not verify: %s"), local->message);
      return FALSE;
    }

  check_signatures (&r, store, lines, problems, signed_fields, pems);
  for (guint i = 0; i < r.fields->len; i++)
    {
      AtPdfSigInfo *f = r.fields->pdata[i];
      if (!f->is_signed && signed_fields->len > 0)
        g_ptr_array_add (lines, g_strdup_printf (_("The report still waits for %s signature (attest-cli report sign)."),
                                                 role_of (f->name)));
    }

  /* the QR code's digest against the content the report carries */
  qr_digest = _at_report_qr_digest (r.qr);
  content_digest = at_sha256_hex (g_bytes_get_data (r.content, NULL), g_bytes_get_size (r.content));
  if (qr_digest == NULL)
    add_problem (lines, problems, g_strdup (_("The report's QR code carries no content digest.")));
  else if (g_strcmp0 (qr_digest, content_digest) != 0)
    add_problem (lines, problems, g_strdup_printf (_("The QR code's digest (SHA-256 %s) does not match the content the report "
                                                "carries (SHA-256 %s)."), qr_digest, content_digest));
  else
    g_ptr_array_add (lines, g_strdup_printf (_("The QR code's digest (SHA-256 %s) matches the content the report carries."),
                                             qr_digest));

  if (store != NULL)
    {
      g_autoptr(AtAssessment) a = at_assessment_lookup (store, r.assessment, NULL);

      if (a == NULL)
        g_ptr_array_add (lines, g_strdup_printf (_("Assessment %s is not in this data directory: the report was checked on its own."),
                                                 r.assessment));
      else
        {
          g_autoptr(JsonNode) now = NULL;
          g_autofree char *mismatch = compare_with_store (&r, store, a, &now);
          JsonObject *rec = now ? _at_jobj (json_node_get_object (now), "records") : NULL;

          if (mismatch)
            add_problem (lines, problems, g_steal_pointer (&mismatch));
          else
            g_ptr_array_add (lines, g_strdup_printf (_("The report matches the records of assessment %s in this data directory."),
                                                     r.assessment));
          /* and the people who signed are the ones the workflow says sign */
          for (guint i = 0; rec && i < signed_fields->len; i++)
            {
              AtPdfSigInfo *s = signed_fields->pdata[i];
              const char *pem = pems->pdata[i];
              g_autoptr(AtIdentity) who = pem ? identity_by_cert (store, pem) : NULL;
              const char *expected = NULL;

              if (pem == NULL)
                continue;
              if (g_strcmp0 (s->name, "reviewer") == 0)
                expected = _at_report_approving_reviewer (rec);
              else if (g_strcmp0 (s->name, "issuer") == 0)
                expected = _at_jstr (_at_jobj (rec, "certificate"), "issued_by");
              if (who == NULL)
                add_problem (lines, problems, g_strdup_printf (_("Signature %u was made with a certificate that belongs to no "
                                                            "identity of this data directory."), i + 1));
              else if (expected && g_strcmp0 (expected, at_identity_get_id (who)) != 0)
                add_problem (lines, problems, g_strdup_printf (_("Signature %u (%s) is by %s, who is not the %s the records name."),
                                                            i + 1, role_of (s->name),
                                                            at_identity_get_name (who),
                                                            g_strcmp0 (s->name, "issuer") == 0 ? _("issuer of the certificate")
                                                                                                : _("reviewer who approved the recheck")));
              else if (g_strcmp0 (s->name, "organisation") == 0 && !at_identity_has_role (who, AT_ROLE_ORGANISATION))
                add_problem (lines, problems, g_strdup_printf (_("Signature %u is by %s, who does not have the organisation role."),
                                                            i + 1, at_identity_get_name (who)));
            }
        }
    }

  if (problems->len > 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the report did not verify: %s"), (char *) problems->pdata[0]);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The next signature                                                                          */

gboolean
at_report_sign (AtStore     *store,
                const char  *pdf_path,
                AtSigner    *signer,
                GError     **error)
{
  g_auto(Report) r = { 0 };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) signed_fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) pems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(JsonNode) now = NULL;
  g_autoptr(GBytes) signed_file = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_now_utc ();
  g_auto(GStrv) appearance = NULL;
  g_autofree char *mismatch = NULL;
  g_autofree char *reason = NULL;
  AtIdentity *who;
  AtPdfSigInfo *next = NULL;
  JsonObject *rec, *cert;
  AtLang lang;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (AT_IS_SIGNER (signer), FALSE);
  who = at_signer_get_identity (signer);

  if (!report_open (&r, pdf_path, error))
    return FALSE;
  if (r.fields->len == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s is an unsigned draft: the reviewer who approved the assessment signs the report first "
                   "(attest-cli report %s -o FILE.pdf --by REVIEWER), then the issuer signs that file"),
                   pdf_path, r.assessment);
      return FALSE;
    }
  check_signatures (&r, store, lines, problems, signed_fields, pems);
  if (signed_fields->len > 0 && problems->len > 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the report cannot be signed: %s"), (char *) problems->pdata[0]);
      return FALSE;
    }
  for (guint i = 0; i < r.fields->len && next == NULL; i++)
    if (!((AtPdfSigInfo *) r.fields->pdata[i])->is_signed)
      next = r.fields->pdata[i];
  if (next == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("every signature this report takes is already there: nothing is left to sign"));
      return FALSE;
    }
  if (signed_fields->len == 0)
    {
      if (g_strcmp0 (next->name, "organisation") == 0)
        g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                     _("the organisation has not signed this report yet: it is signed first when it is made "
                       "(attest-cli report %s -o FILE.pdf --by ID)"), r.assessment);
      else
        g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                     _("the reviewer has not signed this report yet: it is signed first when it is made "
                       "(attest-cli report %s -o FILE.pdf --by ID)"), r.assessment);
      return FALSE;
    }
  if (g_strcmp0 (next->name, "issuer") != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("the “%s” signature of this report is made when the report is generated"), next->name);
      return FALSE;
    }

  a = at_assessment_lookup (store, r.assessment, NULL);
  if (a == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("assessment %s is not in this data directory: the issuer signs with the data directory that holds it"),
                   r.assessment);
      return FALSE;
    }
  mismatch = compare_with_store (&r, store, a, &now);
  if (mismatch != NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, "%s", mismatch);
      return FALSE;
    }
  rec = _at_jobj (json_node_get_object (now), "records");
  cert = _at_jobj (rec, "certificate");
  if (g_strcmp0 (_at_jstr (rec, "state"), "certified") != 0 || cert == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("assessment %s is %s: the issuer signs only the report of a certified assessment"),
                   r.assessment, _at_state_label (_at_jstr (rec, "state")));
      return FALSE;
    }
  if (!at_identity_has_role (who, AT_ROLE_ISSUER) || g_strcmp0 (_at_jstr (cert, "issued_by"), at_identity_get_id (who)) != 0)
    {
      g_autoptr(AtIdentity) issuer = at_identity_lookup (store, _at_jstr (cert, "issued_by"), NULL);
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s did not issue certificate %s: its issuer, %s, signs the report after the reviewer"),
                   at_identity_get_name (who), _at_jstr (cert, "number"),
                   issuer ? at_identity_get_name (issuer) : _at_jstr (cert, "issued_by"));
      return FALSE;
    }

  lang = at_lang_parse (r.lang, NULL);
  appearance = _at_report_signed_lines (lang, at_identity_get_name (who), when);
  reason = _at_report_reason ("issuer", rec);
  signed_file = _at_pdf_append_signature (r.file, "issuer", signer, reason, (const char * const *) appearance, error);
  if (signed_file == NULL)
    return FALSE;
  return at_write_file_atomic (pdf_path, g_bytes_get_data (signed_file, NULL), g_bytes_get_size (signed_file), 0644, error);
}

/* ------------------------------------------------------------------------------------------ */
/* The number on the certificate page                                                          */

char *
at_report_certificate_number (const char  *pdf_path,
                              GError     **error)
{
  g_auto(Report) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  const char *number = NULL;

  g_return_val_if_fail (pdf_path != NULL, NULL);

  if (!report_open (&r, pdf_path, error))
    return NULL;
  /* the content the QR code's digest covers: the number is read from what the signatures sign */
  if (!json_parser_load_from_data (parser, g_bytes_get_data (r.content, NULL), g_bytes_get_size (r.content), NULL) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the report's content (%s) is not valid JSON"), AT_REPORT_ATTACHMENT);
      return NULL;
    }
  number = json_object_get_string_member_with_default (json_node_get_object (root), "certificate_number", NULL);
  if (number == NULL || *number == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("the report carries no certificate number: it is not a certificate report"));
      return NULL;
    }
  return g_strdup (number);
}
