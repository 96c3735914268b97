/* test-report.c — the certificate report: layout from hand-written content, the signing
 * workflow, verification, and tampering */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "at-core.h"
#include "at-test-util.h"
#include "at-report-private.h"
#include "at-report.h"

#define PASS "correct horse battery"

/* the error first: a failure then says why */
#define CHECK(expr) G_STMT_START { gboolean ok_ = (expr); g_assert_no_error (error); g_assert_true (ok_); } G_STMT_END

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  return out;
}

static gboolean
have (const char *tool)
{
  g_autofree char *path = g_find_program_in_path (tool);
  return path != NULL;
}

static char *
text_of (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  return run (argv);
}

/* The text between the page header and footer, so a text running over pages reads on. */
static char *
body_text_of (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "60", "-W", "596", "-H", "720", pdf, "-", NULL };
  return run (argv);
}

/* Whitespace falls where lines wrap; compare without it. */
static char *
squash (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (s, g_utf8_get_char (p));
  return g_string_free (s, FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = squash (haystack);
  g_autofree char *n = squash (needle);

  if (strstr (h, n) == NULL)
    g_error ("the report's text lacks “%.80s”", needle);
}

/* pdftotext cuts the diagonal watermark into pieces of its word */
static gboolean
is_watermark (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *p = word; *p; p = g_utf8_next_char (p))
    if (strchr ("DRAFT", *p) == NULL && !g_str_has_prefix (p, "草") && !g_str_has_prefix (p, "稿"))
      return FALSE;
  return TRUE;
}

/* Every word pdftotext finds lies inside the page, 10 mm from each edge, and between the
 * left and right margins of the text. */
static void
assert_within_margins (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *html = run (argv);
  g_autoptr(GRegex) page_re = g_regex_new ("<page width=\"([0-9.]+)\" height=\"([0-9.]+)\">", 0, 0, NULL);
  g_autoptr(GRegex) word_re = g_regex_new ("<word xMin=\"([0-9.-]+)\" yMin=\"([0-9.-]+)\" xMax=\"([0-9.-]+)\" yMax=\"([0-9.-]+)\">([^<]*)</word>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  double width = 595.276, height = 841.89;
  guint words = 0;

  if (g_regex_match (page_re, html, 0, &match))
    {
      g_autofree char *w = g_match_info_fetch (match, 1);
      g_autofree char *h = g_match_info_fetch (match, 2);
      width = g_ascii_strtod (w, NULL);
      height = g_ascii_strtod (h, NULL);
    }
  g_clear_pointer (&match, g_match_info_unref);
  g_regex_match (word_re, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *x0 = g_match_info_fetch (match, 1);
      g_autofree char *y0 = g_match_info_fetch (match, 2);
      g_autofree char *x1 = g_match_info_fetch (match, 3);
      g_autofree char *y1 = g_match_info_fetch (match, 4);
      g_autofree char *word = g_match_info_fetch (match, 5);
      double xmin = g_ascii_strtod (x0, NULL), ymin = g_ascii_strtod (y0, NULL);
      double xmax = g_ascii_strtod (x1, NULL), ymax = g_ascii_strtod (y1, NULL);
      gboolean watermark = is_watermark (word);

      if (!watermark && (xmin < AT_PDF_MARGIN_X - 1 || xmax > width - AT_PDF_MARGIN_X + 1 || ymin < 28.3 || ymax > height - 28.3))
        g_error ("%s: “%s” lies outside the margins (%.1f, %.1f)–(%.1f, %.1f)", pdf, word, xmin, ymin, xmax, ymax);
      if (watermark && (xmin < 28.3 || xmax > width - 28.3 || ymin < 28.3 || ymax > height - 28.3))
        g_error ("%s: the watermark lies outside the page (%.1f, %.1f)–(%.1f, %.1f)", pdf, xmin, ymin, xmax, ymax);
      words++;
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (words, >, 100);
}

static void
assert_fonts_embedded (const char *pdf)
{
  const char *argv[] = { "pdffonts", pdf, NULL };
  g_autofree char *out = run (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint fonts = 0;

  for (guint i = 2; lines[i]; i++)
    {
      if (*lines[i] == '\0')
        continue;
      g_auto(GStrv) columns = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      for (guint c = 0; columns[c]; c++)
        if (*columns[c] != '\0')
          g_ptr_array_add (words, columns[c]);
      /* name type [type] encoding emb sub uni object generation: emb is the fifth from the end */
      g_assert_cmpuint (words->len, >=, 7);
      if (!g_str_equal (words->pdata[words->len - 5], "yes"))
        g_error ("%s: a font is not embedded: %s", pdf, lines[i]);
      fonts++;
    }
  g_assert_cmpuint (fonts, >=, 1);
}

static JsonNode *
load_content (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "report-content.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static AtCatalog *
load_mini (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "mini.json", NULL);
  g_autoptr(GError) error = NULL;
  AtCatalog *catalog = at_catalog_load_file (path, NULL, &error);

  g_assert_no_error (error);
  return catalog;
}

static char *
repeat (const char *piece,
        guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, piece);
  return g_string_free (s, FALSE);
}

static char *
render_to_file (JsonNode   *content,
                AtCatalog  *catalog,
                AtLang      lang,
                gboolean    draft,
                const char *dir,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = _at_json_canonical_sorted (content);
  g_autofree char *digest = at_sha256_hex (text, strlen (text));
  g_autofree char *qr = _at_report_qr_payload ("MINI-2025-0007", NULL, digest);
  const char *fields[] = { "reviewer", "issuer", NULL };
  AtReportSpec spec = { json_node_get_object (content), catalog, lang, draft, TRUE, NULL, digest, qr,
                        draft ? NULL : fields, NULL, NULL };
  g_autoptr(AtPdf) pdf = _at_report_render (&spec, &error);
  g_autoptr(GBytes) bytes = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  bytes = _at_pdf_save_signed (pdf, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  return path;
}

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("attest-report-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  if (g_getenv ("ATTEST_KEEP_TEST_OUTPUT") == NULL)
    g_assert_cmpint (system (cmd), ==, 0);
  else
    g_printerr ("# kept %s\n", f->dir);
  g_free (f->dir);
}

/* ------------------------------------------------------------------------------------------ */
/* Layout from hand-written content                                                            */

static void
test_layout_handwritten (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) content = load_content ();
  g_autoptr(AtCatalog) catalog = load_mini ();
  g_autofree char *en = NULL;
  g_autofree char *zh = NULL;
  g_autofree char *en_text = NULL;
  g_autofree char *zh_text = NULL;

  en = render_to_file (content, catalog, AT_LANG_EN, FALSE, f->dir, "en.pdf");
  zh = render_to_file (content, catalog, AT_LANG_ZH_CN, TRUE, f->dir, "zh.pdf");
  if (!have ("pdftotext") || !have ("pdffonts"))
    {
      g_test_skip ("poppler-utils (pdftotext, pdffonts) are not installed");
      return;
    }
  en_text = text_of (en);
  zh_text = text_of (zh);
  for (guint i = 0; i < 2; i++)
    {
      const char *t = i ? zh_text : en_text;
      assert_contains (t, "示例电信股份有限公司 Example Telecom Co., Ltd.");
      assert_contains (t, "1.1");
      assert_contains (t, "1.2");
      assert_contains (t, "MINI-2025-0007");
      assert_contains (t, "晚班时段 15 秒内接通的比例为 80%，低于标准要求的 85%。");
      assert_contains (t, "在 18:00–22:00 增加两名座席，并每周复核接通率。");
      assert_contains (t, "记录与证据充分，结论可信；NC-1 的整改措施有效性待跟踪验证。");
    }
  assert_contains (en_text, "Certificate of Conformity");
  assert_contains (en_text, "Assessment report");
  assert_contains (zh_text, "评价报告");
  assert_contains (zh_text, "认 证 证 书");
  g_assert_null (strstr (en_text, "DRAFT"));
  g_assert_nonnull (strstr (zh_text, "草稿"));
  assert_fonts_embedded (en);
  assert_fonts_embedded (zh);
  assert_within_margins (en);
  assert_within_margins (zh);
}

/* Very long notes, names and unbroken tokens wrap; nothing runs off the page. */
static void
test_layout_long_texts (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) content = load_content ();
  g_autoptr(AtCatalog) catalog = load_mini ();
  JsonObject *root = json_node_get_object (content);
  JsonObject *rec = json_object_get_object_member (root, "records");
  JsonObject *finding = json_array_get_object_element (json_object_get_array_member (rec, "findings"), 0);
  JsonObject *nc = json_array_get_object_element (json_object_get_array_member (rec, "nonconformities"), 0);
  JsonObject *ev = json_array_get_object_element (json_object_get_array_member (rec, "evidence"), 0);
  JsonObject *reviewer = json_object_get_object_member (json_object_get_object_member (root, "people"), "reviewer-1");
  g_autofree char *note = repeat ("晚班话务高峰期间，座席排班不足导致接通延迟，现场观察到多次排队超过三十秒的情况。"
                                  "Evening peak staffing was short, callers queued for more than thirty seconds. ", 40);
  g_autofree char *token = repeat ("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 12);
  g_autofree char *long_note = g_strconcat (note, token, "\n\n", note, NULL);
  g_autofree char *org = repeat ("超长名称的示例电信股份有限公司华东区域分公司客户服务中心 Extremely Long Name Telecom ", 6);
  g_autofree char *name = repeat ("Maximilian-Alexander von Wolkenstein-Trostburg 王", 5);
  g_autofree char *file = g_strconcat (token, ".jpg", NULL);
  g_autofree char *en = NULL;
  g_autofree char *zh = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (finding, "note", long_note);
  json_object_set_string_member (nc, "text", note);
  json_object_set_string_member (nc, "suggestion", note);
  json_object_set_string_member (rec, "org", org);
  json_object_set_string_member (rec, "scope", note);
  json_object_set_string_member (reviewer, "name", name);
  json_object_set_string_member (ev, "original_name", file);

  en = render_to_file (content, catalog, AT_LANG_EN, FALSE, f->dir, "long-en.pdf");
  zh = render_to_file (content, catalog, AT_LANG_ZH_CN, TRUE, f->dir, "long-zh.pdf");
  if (!have ("pdftotext"))
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  assert_within_margins (en);
  assert_within_margins (zh);
  text = body_text_of (en);
  assert_contains (text, long_note);
  assert_contains (text, org);
}

/* Records with members missing (an older Attest, pieces not recorded yet) still make a report. */
static void
test_layout_missing_members (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) content = json_from_string ("{\"records\": {\"id\": \"x\", \"org\": \"Bare Org\", "
                                                  "\"findings\": [{\"clause\": \"9.9\"}, {\"verdict\": 3}], "
                                                  "\"evidence\": [{}], \"nonconformities\": [{\"text\": null}], "
                                                  "\"signoffs\": [{}], \"certificate\": {}}}", NULL);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (content);
  path = render_to_file (content, NULL, AT_LANG_EN, TRUE, f->dir, "bare.pdf");
  if (!have ("pdftotext"))
    return;
  text = text_of (path);
  assert_contains (text, "Bare Org");
  assert_contains (text, "9.9");
}

static void
test_wrap (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtPdf) pdf = _at_pdf_new (&error);
  g_autoptr(GPtrArray) lines = NULL;

  g_assert_no_error (error);
  lines = _at_pdf_wrap (pdf, "评价员在现场观察到，服务台的礼貌用语符合要求。Polite words were used throughout.", 10, 120);
  g_assert_cmpuint (lines->len, >, 2);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = lines->pdata[i];
      g_assert_cmpfloat (_at_pdf_width (pdf, line, 10), <=, 120.01);
      /* closing punctuation never starts a line */
      if (i > 0)
        g_assert_false (g_str_has_prefix (line, "，") || g_str_has_prefix (line, "。"));
    }
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = _at_pdf_wrap (pdf, "first\nsecond\n\nfourth", 10, 400);
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (lines->pdata[2], ==, "");
  g_clear_pointer (&lines, g_ptr_array_unref);
  /* no break opportunity at all: broken inside, still within the width */
  lines = _at_pdf_wrap (pdf, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 10, 100);
  g_assert_cmpuint (lines->len, >=, 3);
  for (guint i = 0; i < lines->len; i++)
    g_assert_cmpfloat (_at_pdf_width (pdf, lines->pdata[i], 10), <=, 100.01);
}

/* ------------------------------------------------------------------------------------------ */
/* The workflow against a store                                                                */

typedef struct
{
  AtStore *store;
  char    *assessor;
  char    *reviewer;
  char    *issuer;
  char    *organisation;
  char    *assessment;
} Flow;

static void
flow_clear (Flow *fl)
{
  g_clear_object (&fl->store);
  g_free (fl->assessor);
  g_free (fl->reviewer);
  g_free (fl->issuer);
  g_free (fl->organisation);
  g_free (fl->assessment);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Flow, flow_clear)

static char *
make_identity (AtStore    *store,
               const char *name,
               AtRoles     roles,
               const char *org)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtIdentity) id = at_identity_create (store, name, roles, org, PASS, &error);

  g_assert_no_error (error);
  return g_strdup (at_identity_get_id (id));
}

static AtSigner *
unlock (Flow       *fl,
        const char *id)
{
  g_autoptr(GError) error = NULL;
  AtSigner *signer = at_signer_unlock (fl->store, id, PASS, &error);

  g_assert_no_error (error);
  return signer;
}

static void
flow_set_up (Flow       *fl,
             const char *dir,
             AtKind      kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mini = g_test_build_filename (G_TEST_DIST, "data", "mini.json", NULL);
  g_autoptr(AtCatalog) catalog = NULL;
  g_autoptr(AtAssessment) a = NULL;
  const char * const sites[] = { "Pudong contact centre", NULL };
  AtAssessmentSpec spec = { "MINI", NULL, "Example Telecom 示例电信", NULL, kind, "Hotline 10000", sites };

  fl->store = at_store_open (dir, &error);
  g_assert_no_error (error);
  catalog = at_standards_import (fl->store, mini, NULL, &error);
  g_assert_no_error (error);
  fl->assessor = make_identity (fl->store, "Li Assessor", AT_ROLE_ASSESSOR, "Huaxin Certification");
  fl->reviewer = make_identity (fl->store, "Wang Reviewer", AT_ROLE_REVIEWER, "Independent experts");
  fl->issuer = make_identity (fl->store, "陈签发", AT_ROLE_ISSUER, "华信认证中心");
  fl->organisation = make_identity (fl->store, "Liu Org", AT_ROLE_ORGANISATION, "Example Telecom 示例电信");
  spec.lead = kind == AT_KIND_SELF ? fl->organisation : fl->assessor;
  a = at_assessment_create (fl->store, &spec, &error);
  g_assert_no_error (error);
  fl->assessment = g_strdup (at_assessment_get_id (a));
}

static void
flow_record (Flow *fl)
{
  g_autoptr(GError) error = NULL;
  const char *actor = fl->assessor;
  double samples[] = { 3, 8, 12, 20, 9 };
  AtFindingInput one = { AT_VERDICT_PARTIAL, (const char * const[]) { "document", NULL }, "Evening shift sampled." };
  AtFindingInput two = { AT_VERDICT_CONFORM, (const char * const[]) { "observation", NULL }, "礼貌用语规范。" };
  AtNonconformitySpec nc = { AT_GRADE_MINOR, "Share answered within 15 s is 80 %.", "Add two agents on the evening shift.", "2030-06-30" };
  g_autofree char *nc_id = NULL;

  one.indicator = "answer-15s";
  one.samples = samples;
  one.n_samples = G_N_ELEMENTS (samples);
  CHECK (at_finding_set (fl->store, fl->assessment, "1.1", actor, &one, &error));
  CHECK (at_finding_set (fl->store, fl->assessment, "1.2", actor, &two, &error));
  nc_id = at_nonconformity_add (fl->store, fl->assessment, "1.1", actor, &nc, &error);
  g_assert_no_error (error);
}

static void
flow_approve (Flow *fl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) lead = unlock (fl, fl->assessor);
  g_autoptr(AtSigner) reviewer = unlock (fl, fl->reviewer);

  CHECK (at_assessment_submit (fl->store, fl->assessment, lead, &error));
  at_test_agree_all (fl->store, fl->assessment, at_identity_get_id (at_signer_get_identity (reviewer)));
  g_assert_true (at_assessment_review (fl->store, fl->assessment, reviewer, TRUE,
                                       "Records and evidence are sufficient; NC-1 to be followed up.", &error));
  g_assert_no_error (error);
}

static void
flow_certify (Flow *fl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) issuer = unlock (fl, fl->issuer);
  g_autofree char *number = at_certificate_issue (fl->store, fl->assessment, issuer, 3, &error);

  g_assert_no_error (error);
  g_assert_nonnull (number);
}

static gboolean
verify (AtStore    *store,
        const char *path,
        GPtrArray **lines_out)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean ok = at_report_verify (store, path, lines, &error);

  if (g_test_verbose ())
    for (guint i = 0; i < lines->len; i++)
      g_printerr ("# %s\n", (char *) lines->pdata[i]);
  g_assert_true (ok == (error == NULL));
  if (!ok)
    g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  if (lines_out)
    *lines_out = g_steal_pointer (&lines);
  return ok;
}

static void
flip_byte (const char *path,
           gsize       at)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (at, <, len);
  data[at] ^= 0x01;
  g_assert_true (g_file_set_contents (path, data, len, NULL));
}

static void
test_flow_third_party (Fixture *f, gconstpointer data)
{
  g_auto(Flow) fl = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) reviewer = NULL;
  g_autoptr(AtSigner) issuer = NULL;
  g_autoptr(AtSigner) assessor = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *store_dir = g_build_filename (f->dir, "data", NULL);
  g_autofree char *draft = g_build_filename (f->dir, "draft.pdf", NULL);
  g_autofree char *signed_pdf = g_build_filename (f->dir, "signed.pdf", NULL);
  g_autofree char *copy = g_build_filename (f->dir, "tampered.pdf", NULL);
  g_autofree char *contents = NULL;
  gsize len;

  flow_set_up (&fl, store_dir, AT_KIND_THIRD_PARTY);
  flow_record (&fl);
  reviewer = unlock (&fl, fl.reviewer);
  issuer = unlock (&fl, fl.issuer);
  assessor = unlock (&fl, fl.assessor);

  /* a draft at any state; not signable, and verify says it is unsigned */
  CHECK (at_report_write (fl.store, fl.assessment, draft, AT_LANG_EN, TRUE, NULL, &error));
  g_assert_false (verify (fl.store, draft, NULL));
  g_assert_false (at_report_write (fl.store, fl.assessment, signed_pdf, AT_LANG_EN, FALSE, reviewer, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "in-progress"));
  g_clear_error (&error);
  g_assert_false (g_file_test (signed_pdf, G_FILE_TEST_EXISTS));

  flow_approve (&fl);
  flow_certify (&fl);
  g_assert_false (at_report_sign (fl.store, draft, issuer, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  /* the issuer and an assessor may not sign first */
  g_assert_false (at_report_write (fl.store, fl.assessment, signed_pdf, AT_LANG_ZH_CN, FALSE, issuer, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "before the reviewer"));
  g_clear_error (&error);
  g_assert_false (at_report_write (fl.store, fl.assessment, signed_pdf, AT_LANG_ZH_CN, FALSE, assessor, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  CHECK (at_report_write (fl.store, fl.assessment, signed_pdf, AT_LANG_ZH_CN, FALSE, reviewer, &error));
  g_assert_true (verify (fl.store, signed_pdf, &lines));
  g_clear_pointer (&lines, g_ptr_array_unref);
  /* only the issuer adds the second signature */
  g_assert_false (at_report_sign (fl.store, signed_pdf, reviewer, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  CHECK (at_report_sign (fl.store, signed_pdf, issuer, &error));
  g_assert_true (verify (fl.store, signed_pdf, &lines));
  g_assert_cmpuint (lines->len, >=, 4);
  g_assert_nonnull (strstr (lines->pdata[0], "reviewer"));
  g_assert_nonnull (strstr (lines->pdata[1], "whole document"));
  g_clear_pointer (&lines, g_ptr_array_unref);
  /* without the store: the signatures and the content still check */
  g_assert_true (verify (NULL, signed_pdf, NULL));
  g_assert_false (at_report_sign (fl.store, signed_pdf, issuer, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  /* one changed byte anywhere breaks it: at 64 places through the file (on its own, the
   * quick check), in the records check too, and in the zero padding after the last
   * signature's value — the only bytes no signature covers */
  g_assert_true (g_file_get_contents (signed_pdf, &contents, &len, NULL));
  for (guint k = 0; k < 64; k++)
    {
      g_assert_true (g_file_set_contents (copy, contents, len, NULL));
      flip_byte (copy, len * k / 64 + k);
      g_assert_false (verify (k % 16 ? NULL : fl.store, copy, NULL));
    }
  {
    const char *last = NULL;
    const char *end;

    /* the file holds binary streams: search it as bytes */
    for (gsize i = len - 11; last == NULL && i > 0; i--)
      if (memcmp (contents + i, "/Contents <", 11) == 0)
        last = contents + i;
    end = last ? memchr (last, '>', len - (last - contents)) : NULL;

    g_assert_nonnull (end);
    g_assert_cmpint (end[-8], ==, '0');
    g_assert_true (g_file_set_contents (copy, contents, len, NULL));
    flip_byte (copy, end - 8 - contents);
    g_assert_false (verify (NULL, copy, &lines));
    g_assert_nonnull (strstr (lines->pdata[1], "signing did not write"));
    g_clear_pointer (&lines, g_ptr_array_unref);
  }
  /* and bytes appended after the last signature too */
  {
    g_autoptr(GByteArray) more = g_byte_array_new ();
    g_byte_array_append (more, (const guint8 *) contents, len);
    g_byte_array_append (more, (const guint8 *) "\n% appended\n", 12);
    g_assert_true (g_file_set_contents (copy, (const char *) more->data, more->len, NULL));
    g_assert_false (verify (fl.store, copy, &lines));
    {
      gboolean said = FALSE;
      for (guint i = 0; i < lines->len; i++)
        said |= strstr (lines->pdata[i], "after its last signature") != NULL;
      g_assert_true (said);
    }
    g_clear_pointer (&lines, g_ptr_array_unref);
  }
}

static void
test_flow_stale_report (Fixture *f, gconstpointer data)
{
  g_auto(Flow) fl = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) reviewer = NULL;
  g_autoptr(AtSigner) issuer = NULL;
  g_autofree char *store_dir = g_build_filename (f->dir, "data", NULL);
  g_autofree char *approved = g_build_filename (f->dir, "approved.pdf", NULL);

  flow_set_up (&fl, store_dir, AT_KIND_THIRD_PARTY);
  flow_record (&fl);
  flow_approve (&fl);
  reviewer = unlock (&fl, fl.reviewer);
  issuer = unlock (&fl, fl.issuer);
  /* signed while approved: no certificate page, no issuer field */
  CHECK (at_report_write (fl.store, fl.assessment, approved, AT_LANG_EN, FALSE, reviewer, &error));
  g_assert_true (verify (fl.store, approved, NULL));
  flow_certify (&fl);
  /* the records moved on (certified): the report no longer matches them */
  g_assert_false (verify (fl.store, approved, NULL));
  g_assert_false (at_report_sign (fl.store, approved, issuer, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
}

static void
test_flow_self (Fixture *f, gconstpointer data)
{
  g_auto(Flow) fl = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) organisation = NULL;
  g_autoptr(AtSigner) reviewer = NULL;
  g_autofree char *store_dir = g_build_filename (f->dir, "data", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "self.pdf", NULL);
  g_autofree char *text = NULL;

  flow_set_up (&fl, store_dir, AT_KIND_SELF);
  organisation = unlock (&fl, fl.organisation);
  reviewer = unlock (&fl, fl.reviewer);
  /* a self-assessment's report is signed once the organisation has submitted it */
  g_assert_false (at_report_write (fl.store, fl.assessment, pdf, AT_LANG_ZH_CN, FALSE, organisation, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_free (fl.assessor);
  fl.assessor = g_strdup (fl.organisation);
  flow_record (&fl);
  CHECK (at_assessment_submit (fl.store, fl.assessment, organisation, &error));
  g_assert_false (at_report_write (fl.store, fl.assessment, pdf, AT_LANG_ZH_CN, FALSE, reviewer, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  CHECK (at_report_write (fl.store, fl.assessment, pdf, AT_LANG_ZH_CN, FALSE, organisation, &error));
  g_assert_true (verify (fl.store, pdf, NULL));
  if (have ("pdftotext"))
    {
      text = text_of (pdf);
      assert_contains (text, "自评报告");
      g_assert_null (strstr (text, "认 证 证 书"));
    }
}

/* A photo that is not an image becomes a placeholder, never a failed report; a real one a
 * thumbnail. */
static void
test_evidence_images (Fixture *f, gconstpointer data)
{
  g_auto(Flow) fl = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *store_dir = g_build_filename (f->dir, "data", NULL);
  g_autofree char *broken = g_build_filename (f->dir, "broken.jpg", NULL);
  g_autofree char *good = g_build_filename (f->dir, "good.png", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "images.pdf", NULL);
  g_autofree char *sha1 = NULL;
  g_autofree char *sha2 = NULL;
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  const char * const clauses[] = { "1.1", NULL };

  flow_set_up (&fl, store_dir, AT_KIND_THIRD_PARTY);
  g_assert_true (g_file_set_contents (broken, "\xff\xd8\xff\xe0 this is not really a JPEG", -1, NULL));
  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert_true (gdk_pixbuf_save (pixbuf, good, "png", &error, NULL));
  sha1 = at_evidence_add (fl.store, fl.assessment, broken, fl.assessor, clauses, "photo", "broken", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sha2 = at_evidence_add (fl.store, fl.assessment, good, fl.assessor, clauses, "photo", "a blue wall", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  CHECK (at_report_write (fl.store, fl.assessment, pdf, AT_LANG_EN, TRUE, NULL, &error));
  if (have ("pdftotext"))
    {
      g_autofree char *text = text_of (pdf);
      assert_contains (text, sha1);
      assert_contains (text, sha2);
      assert_contains (text, "no preview");
    }
  /* the kept preview goes in as it is, a JPEG (DCT), not decoded and compressed again */
  if (have ("pdfimages"))
    {
      const char *argv[] = { "pdfimages", "-list", pdf, NULL };
      g_autofree char *list = run (argv);
      g_auto(GStrv) lines = g_strsplit (list, "\n", -1);
      guint images = 0;

      for (guint i = 2; lines[i] != NULL; i++)
        {
          g_auto(GStrv) cols = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          g_autoptr(GPtrArray) words = g_ptr_array_new ();

          for (guint k = 0; cols[k] != NULL; k++)
            if (*cols[k])
              g_ptr_array_add (words, cols[k]);
          /* page num type width height color comp bpc enc … */
          if (words->len < 9 || !g_str_equal (words->pdata[2], "image"))
            continue;
          images++;
          g_assert_cmpstr (words->pdata[3], ==, "64");
          g_assert_cmpstr (words->pdata[4], ==, "48");
          g_assert_cmpstr (words->pdata[8], ==, "jpeg");
        }
      g_assert_cmpuint (images, ==, 1);
    }
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} AsyncResult;

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncResult *r = data;

  r->ok = at_report_write_finish (AT_STORE (source), result, &r->error);
  g_main_loop_quit (r->loop);
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_auto(Flow) fl = { 0 };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *store_dir = g_build_filename (f->dir, "data", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "async.pdf", NULL);
  AsyncResult r = { loop, FALSE, NULL };

  flow_set_up (&fl, store_dir, AT_KIND_THIRD_PARTY);
  at_report_write_async (fl.store, fl.assessment, pdf, AT_LANG_EN, TRUE, NULL, NULL, on_written, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/report/wrap", test_wrap);
  ADD ("/report/layout/handwritten", test_layout_handwritten);
  ADD ("/report/layout/long-texts", test_layout_long_texts);
  ADD ("/report/layout/missing-members", test_layout_missing_members);
  ADD ("/report/flow/third-party", test_flow_third_party);
  ADD ("/report/flow/stale", test_flow_stale_report);
  ADD ("/report/flow/self", test_flow_self);
  ADD ("/report/evidence-images", test_evidence_images);
  ADD ("/report/async", test_async);
  return g_test_run ();
}
