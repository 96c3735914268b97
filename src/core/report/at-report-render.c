/* at-report-render.c — the assessment report, laid out from content
 *
 * Everything shown comes from the content (AtReportSpec.content, the JSON the digest covers)
 * and the catalog (clause titles and texts, fixed by catalog_sha256 in the content). Members
 * may be missing — records written by an older Attest, or pieces not recorded yet — and are
 * then shown as “—” rather than failing the report.
 *
 * The report's language is chosen per report, not per user interface, so its strings are
 * kept here in both languages (L (en, zh)) rather than going through gettext.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <hpdf_doc.h>
#include <math.h>
#include <string.h>

#include "at-report-render-private.h"

const char *
person_name (Render     *r,
             const char *id)
{
  const char *name = jstr (jobj (r->people, id ? id : ""), "name");

  return name ? name : or_dash (id);
}

const char *
person_org (Render     *r,
            const char *id)
{
  return jstr (jobj (r->people, id ? id : ""), "org");
}

char *
fmt_date (const char *iso)
{
  if (iso == NULL || *iso == '\0')
    return g_strdup ("—");
  return g_strndup (iso, MIN (strlen (iso), 10));
}

char *
fmt_datetime (const char *iso)
{
  if (iso == NULL || strlen (iso) < 16 || iso[10] != 'T')
    return fmt_date (iso);
  return g_strdup_printf ("%.10s %.5s UTC", iso, iso + 11);
}

char *
fmt_number (double v)
{
  char *s = g_strdup_printf ("%.3f", v);
  char *end = s + strlen (s) - 1;

  while (end > s && *end == '0')
    *end-- = '\0';
  if (end > s && *end == '.')
    *end = '\0';
  return s;
}

/* ------------------------------------------------------------------------------------------ */
/* Vocabulary                                                                                  */

const char *
verdict_label (Render     *r,
               const char *verdict)
{
  if (g_strcmp0 (verdict, "conform") == 0) return L ("Conform", "符合");
  if (g_strcmp0 (verdict, "partial") == 0) return L ("Partially conform", "部分符合");
  if (g_strcmp0 (verdict, "nonconform") == 0) return L ("Nonconform", "不符合");
  if (g_strcmp0 (verdict, "na") == 0) return L ("Not applicable", "不适用");
  return L ("Not assessed", "未评价");
}

AtRgb
verdict_color (const char *verdict)
{
  if (g_strcmp0 (verdict, "conform") == 0) return GREEN;
  if (g_strcmp0 (verdict, "partial") == 0) return AMBER;
  if (g_strcmp0 (verdict, "nonconform") == 0) return RED;
  if (g_strcmp0 (verdict, "na") == 0) return NA_GREY;
  return LIGHT;
}

const char *
method_label (Render     *r,
              const char *method)
{
  if (g_strcmp0 (method, "document") == 0) return L ("document review", "文件审查");
  if (g_strcmp0 (method, "observation") == 0) return L ("observation", "现场观察");
  if (g_strcmp0 (method, "interview") == 0) return L ("interview", "访谈");
  if (g_strcmp0 (method, "demonstration") == 0) return L ("demonstration", "演示验证");
  return or_dash (method);
}

const char *
grade_label (Render     *r,
             const char *grade)
{
  if (g_strcmp0 (grade, "major") == 0) return L ("Major nonconformity", "严重不符合");
  if (g_strcmp0 (grade, "minor") == 0) return L ("Minor nonconformity", "一般不符合");
  if (g_strcmp0 (grade, "observation") == 0) return L ("Observation", "观察项");
  return or_dash (grade);
}

const char *
nc_status_label (Render     *r,
                 const char *status)
{
  if (g_strcmp0 (status, "open") == 0) return L ("Open — awaiting corrective action", "待整改");
  if (g_strcmp0 (status, "responded") == 0) return L ("Responded — awaiting verification", "已答复，待验证");
  if (g_strcmp0 (status, "closed") == 0) return L ("Closed — verified", "已验证关闭");
  return or_dash (status);
}

static const char *
state_label (Render     *r,
             const char *state)
{
  if (g_strcmp0 (state, "draft") == 0) return L ("Draft", "草稿");
  if (g_strcmp0 (state, "in-progress") == 0) return L ("In progress", "评价中");
  if (g_strcmp0 (state, "submitted") == 0) return L ("Submitted for recheck", "已提交复核");
  if (g_strcmp0 (state, "returned") == 0) return L ("Returned for rework", "已退回修改");
  if (g_strcmp0 (state, "approved") == 0) return L ("Approved by the recheck", "复核通过");
  if (g_strcmp0 (state, "certified") == 0) return L ("Certified", "已发证");
  return or_dash (state);
}

const char *
signoff_label (Render     *r,
               const char *kind)
{
  if (g_strcmp0 (kind, "submission") == 0) return L ("Submission for recheck", "提交复核");
  if (g_strcmp0 (kind, "approval") == 0) return L ("Recheck approval", "复核通过");
  if (g_strcmp0 (kind, "return") == 0) return L ("Returned for rework", "复核退回");
  if (g_strcmp0 (kind, "certificate") == 0) return L ("Certificate decision", "发证决定");
  return or_dash (kind);
}

const char *
evidence_kind_label (Render     *r,
                     const char *kind)
{
  if (g_strcmp0 (kind, "document") == 0) return L ("Document", "文件");
  if (g_strcmp0 (kind, "photo") == 0) return L ("Photo", "照片");
  if (g_strcmp0 (kind, "audio") == 0) return L ("Audio", "录音");
  if (g_strcmp0 (kind, "video") == 0) return L ("Video", "视频");
  return L ("Other", "其他");
}

const char *
_at_report_field_label (const char *field,
                        AtLang      lang)
{
  gboolean zh = lang == AT_LANG_ZH_CN;

  if (g_strcmp0 (field, "reviewer") == 0) return zh ? "复核专家" : "Recheck expert";
  if (g_strcmp0 (field, "issuer") == 0) return zh ? "签发人" : "Issued by";
  if (g_strcmp0 (field, "organisation") == 0) return zh ? "组织代表" : "For the organisation";
  return field;
}

char **
_at_report_signed_lines (AtLang      lang,
                         const char *name,
                         GDateTime  *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
  char **lines = g_new0 (char *, 4);

  lines[0] = g_strdup (lang == AT_LANG_ZH_CN ? "已数字签名" : "Digitally signed");
  lines[1] = g_strdup (name);
  lines[2] = g_date_time_format (utc, "%Y-%m-%d %H:%M UTC");
  return lines;
}

/* ------------------------------------------------------------------------------------------ */
/* Page furniture                                                                              */

static void
on_new_page (AtPdf     *pdf,
             HPDF_Page  page,
             gpointer   data)
{
  Render *r = data;
  AtPdfStyle s = style (7.5, FALSE, GREY);
  gboolean self = g_strcmp0 (jstr (r->records, "kind"), "self") == 0;
  const char *left = !self && jstr (r->body, "name") ? jstr (r->body, "name") : r->org;
  g_autofree char *right_text = g_strdup_printf ("%s · %s", r->title, r->org);
  g_autofree char *l = NULL;
  g_autofree char *rt = NULL;

  l = _at_pdf_ellipsize (pdf, left, s.size, W * 0.42);
  rt = _at_pdf_ellipsize (pdf, right_text, s.size, W * 0.55);
  _at_pdf_show (pdf, page, X0, AT_PDF_HEIGHT - 44, W, l, &s);
  s.align = AT_ALIGN_RIGHT;
  _at_pdf_show (pdf, page, X0, AT_PDF_HEIGHT - 44, W, rt, &s);
  _at_pdf_hline (page, X0, X0 + W, AT_PDF_HEIGHT - 50, 0.6, NAVY);
}

static void
draw_watermark (Render    *r,
                HPDF_Page  page)
{
  HPDF_Doc doc = _at_pdf_doc (r->pdf);
  HPDF_ExtGState gs = HPDF_CreateExtGState (doc);
  const char *word = L ("DRAFT", "草稿");
  double width_1 = _at_pdf_width (r->pdf, word, 1);
  double size = MIN (400 / width_1, 190);
  double tw = width_1 * size, cap = 0.7 * size;
  double c = cos (G_PI / 4), s = sin (G_PI / 4);
  double cx = AT_PDF_WIDTH / 2, cy = AT_PDF_HEIGHT / 2;

  HPDF_ExtGState_SetAlphaFill (gs, 0.13);
  HPDF_Page_GSave (page);
  HPDF_Page_SetExtGState (page, gs);
  HPDF_Page_BeginText (page);
  HPDF_Page_SetFontAndSize (page, _at_pdf_font (r->pdf), size);
  HPDF_Page_SetRGBFill (page, 0.75, 0.10, 0.10);
  HPDF_Page_SetTextMatrix (page, c, s, -s, c, cx - (c * tw / 2 - s * cap / 2), cy - (s * tw / 2 + c * cap / 2));
  HPDF_Page_ShowText (page, word);
  HPDF_Page_EndText (page);
  HPDF_Page_GRestore (page);
}

static void
draw_footers (Render *r)
{
  guint n = _at_pdf_n_pages (r->pdf);
  const char *number = jstr (r->spec->content, "certificate_number");
  const char *id = jstr (r->spec->content, "assessment_id");
  g_autofree char *left = number ? g_strdup_printf (L ("Certificate No. %s", "证书编号 %s"), number)
                                 : g_strdup_printf (L ("Assessment %s", "评价编号 %s"), or_dash (id));
  g_autofree char *digest = g_strdup_printf (L ("Content SHA-256 %.16s…", "内容摘要 SHA-256 %.16s…"), r->spec->digest);

  for (guint i = 0; i < n; i++)
    {
      HPDF_Page page = _at_pdf_nth_page (r->pdf, i);
      AtPdfStyle s = style (7.5, FALSE, GREY);
      g_autofree char *count = g_strdup_printf (L ("Page %u of %u", "第 %u 页 / 共 %u 页"), i + 1, n);

      if (!(i == 0 && r->spec->certificate))
        {
          g_autofree char *l = _at_pdf_ellipsize (r->pdf, left, s.size, W * 0.34);
          _at_pdf_hline (page, X0, X0 + W, 54, 0.4, LIGHT);
          _at_pdf_show (r->pdf, page, X0, 42, W, l, &s);
          s.align = AT_ALIGN_CENTER;
          _at_pdf_show (r->pdf, page, X0, 42, W, digest, &s);
          s.align = AT_ALIGN_RIGHT;
          _at_pdf_show (r->pdf, page, X0, 42, W, count, &s);
        }
      if (r->spec->draft)
        draw_watermark (r, page);
    }
}

HPDF_Outline
section (Render     *r,
         const char *title)
{
  g_autofree char *text = g_strdup_printf ("%u  %s", ++r->n_sections, title);
  AtPdfStyle s = style (13, TRUE, NAVY);
  HPDF_Outline outline;

  _at_pdf_space (r->pdf, 10);
  /* a heading keeps company with what follows it: its rule, a table's header and first rows */
  _at_pdf_need (r->pdf, 110);
  outline = _at_pdf_bookmark (r->pdf, r->outline, text);
  _at_pdf_paragraph (r->pdf, X0, W, text, &s);
  _at_pdf_hline (_at_pdf_page (r->pdf), X0, X0 + W, _at_pdf_y (r->pdf) - 1, 0.8, GOLD);
  _at_pdf_space (r->pdf, 7);
  return outline;
}

void
para (Render     *r,
      const char *text,
      double      size,
      AtRgb       color)
{
  AtPdfStyle s = style (size, FALSE, color);

  _at_pdf_paragraph (r->pdf, X0, W, text, &s);
}

/* The largest size (down to min_size) at which text fits on one line of width. */
double
fitted_size (Render     *r,
             const char *text,
             double      size,
             double      min_size,
             double      width)
{
  while (size > min_size && _at_pdf_width (r->pdf, text, size) > width)
    size -= 0.5;
  return size;
}

/* A box for one signature: who signs in what role, and the widget the signature shows in. */
void
signature_box (Render     *r,
               HPDF_Page   page,
               double      x,
               double      top,
               double      w,
               double      h,
               const char *field,
               const char *person,
               gboolean    with_widget)
{
  AtPdfStyle label = style (7.5, TRUE, GREY);
  AtPdfStyle name = style (10.5, TRUE, INK);
  AtPdfStyle org = style (7.5, FALSE, GREY);
  const char *who = person ? person_name (r, person) : r->spec->signer_name ? r->spec->signer_name : "—";
  const char *where = person ? person_org (r, person) : r->spec->signer_org;
  g_autofree char *o = _at_pdf_ellipsize (r->pdf, or_dash (where), org.size, w - 12);
  g_autoptr(GPtrArray) names = NULL;
  double y = top - 6;

  /* the signer is named in full when two lines of a smaller size can hold the name */
  name.size = fitted_size (r, who, name.size, 8.5, w - 12);
  if (_at_pdf_width (r->pdf, who, name.size) > w - 12)
    {
      name.leading = 1.25;
      for (name.size = 9.5; name.size > 7.5; name.size -= 0.5)
        {
          g_clear_pointer (&names, g_ptr_array_unref);
          names = _at_pdf_wrap (r->pdf, who, name.size, w - 12);
          if (names->len <= 2)
            break;
        }
    }
  g_clear_pointer (&names, g_ptr_array_unref);
  names = _at_pdf_wrap (r->pdf, who, name.size, w - 12);
  if (names->len > 2)
    {
      g_autofree char *rest = g_strconcat (names->pdata[1], " …", NULL);
      g_free (names->pdata[1]);
      names->pdata[1] = _at_pdf_ellipsize (r->pdf, rest, name.size, w - 12);
      g_ptr_array_set_size (names, 2);
    }

  _at_pdf_fill_rect (page, x, top - h, w, h, (AtRgb) { 0.975, 0.978, 0.985 });
  _at_pdf_stroke_rect (page, x, top - h, w, h, 0.5, LIGHT);
  _at_pdf_show_box (r->pdf, page, x + 6, y, w - 12, _at_report_field_label (field, r->lang), &label);
  y -= _at_pdf_line_height (&label);
  for (guint i = 0; i < names->len; i++)
    {
      _at_pdf_show_box (r->pdf, page, x + 6, y, w - 12, names->pdata[i], &name);
      y -= _at_pdf_line_height (&name);
    }
  _at_pdf_show_box (r->pdf, page, x + 6, y, w - 12, o, &org);

  if (with_widget)
    {
      _at_pdf_add_sig_field (r->pdf, page, x + 6, top - h + 6, w - 12, 34, field,
                             L ("Awaiting digital signature", "待数字签名"));
      _at_pdf_mark_glyphs (r->pdf, who);
      _at_pdf_mark_glyphs (r->pdf, L ("Digitally signed", "已数字签名"));
    }
  else
    {
      AtPdfStyle s = style (8, FALSE, GREY);
      _at_pdf_stroke_rect (page, x + 6, top - h + 6, w - 12, 34, 0.4, LIGHT);
      _at_pdf_show_box (r->pdf, page, x + 12, top - h + 30, w - 24,
                        r->spec->draft ? L ("Draft — not signed", "草稿，未签署") : L ("Not signed", "未签署"), &s);
    }
}

gboolean
wants_field (Render     *r,
             const char *field)
{
  return r->spec->fields != NULL && g_strv_contains (r->spec->fields, field);
}

const char *
approving_reviewer (Render *r)
{
  JsonArray *signoffs = jarr (r->records, "signoffs");
  const char *who = NULL;

  for (guint i = 0; i < jlen (signoffs); i++)
    {
      JsonObject *s = jat (signoffs, i);
      if (g_strcmp0 (jstr (s, "kind"), "approval") == 0 && jbool (s, "valid") != 0)
        who = jstr (s, "signer");
    }
  return who;
}

char *
standard_title (Render *r)
{
  const char *title = r->catalog ? at_text_get (at_catalog_get_title (r->catalog), r->lang) : NULL;

  return g_strdup (title ? title : or_dash (jstr (r->records, "standard")));
}

/* ------------------------------------------------------------------------------------------ */
/* The report (ISO 19011 6.5.1)                                                                */

static void
facts_row (AtPdfTable *t,
           const char *label,
           const char *value)
{
  const char *cells[] = { label, or_dash (value) };
  AtRgb colors[] = { GREY, DEFAULT };

  _at_pdf_table_row (t, cells, colors, NULL, NULL);
}

static void
title_block (Render *r)
{
  gboolean self = g_strcmp0 (jstr (r->records, "kind"), "self") == 0;
  JsonObject *cert = jobj (r->records, "certificate");
  AtPdfStyle s = style (22, TRUE, NAVY);
  AtPdfTable t = { r->pdf, 2, { { 118, NULL, FALSE, TRUE }, { W - 118, NULL, FALSE, FALSE } }, 9, X0, 0, 0 };
  g_autofree char *std = standard_title (r);
  g_autofree char *std_line = g_strdup_printf (L ("%s (%s %s)", "《%s》（%s %s）"), std, or_dash (jstr (r->records, "standard")),
                                               or_dash (jstr (r->records, "catalog_version")));
  g_autofree char *dates = NULL;
  g_autofree char *created = fmt_date (jstr (r->records, "created_at"));
  g_autoptr(GString) sites = g_string_new (NULL);
  JsonArray *site_list = jarr (r->records, "sites");
  double text_w = r->spec->certificate ? W : W - 100;
  double top;

  _at_pdf_set_page_func (r->pdf, on_new_page, r);
  _at_pdf_new_page (r->pdf);
  top = _at_pdf_y (r->pdf);
  r->outline = _at_pdf_bookmark (r->pdf, NULL, r->title);
  HPDF_Outline_SetOpened (r->outline, HPDF_TRUE);
  if (!r->spec->certificate)
    {
      /* without a certificate page, the QR code leads the report */
      _at_pdf_draw_qr (_at_pdf_page (r->pdf), r->spec->qr_payload, X0 + W - 86, top - 86, 86);
    }
  _at_pdf_paragraph (r->pdf, X0, text_w, r->title, &s);
  _at_pdf_space (r->pdf, 2);
  s = style (14, TRUE, INK);
  _at_pdf_paragraph (r->pdf, X0, text_w, r->org, &s);
  s = style (9.5, FALSE, GREY);
  _at_pdf_paragraph (r->pdf, X0, text_w, std_line, &s);
  if (r->spec->draft)
    {
      s = style (9.5, TRUE, RED);
      _at_pdf_paragraph (r->pdf, X0, text_w, L ("Draft — an unsigned preview, not a report of record.",
                                                "草稿：未签署的预览，不作为正式报告。"), &s);
    }
  if (!r->spec->certificate)
    _at_pdf_set_y (r->pdf, MIN (_at_pdf_y (r->pdf), top - 92));
  _at_pdf_space (r->pdf, 10);

  for (guint i = 0; i < jlen (site_list); i++)
    g_string_append_printf (sites, "%s%s", i ? "\n" : "", json_array_get_string_element (site_list, i));
  if (jstr (r->records, "start_date"))
    {
      g_autofree char *a = fmt_date (jstr (r->records, "start_date"));
      g_autofree char *b = fmt_date (jstr (r->records, "end_date"));
      dates = g_strdup_printf ("%s – %s", a, b);
    }

  facts_row (&t, L ("Organisation", "受评组织"), r->org);
  facts_row (&t, L ("Address", "地址"), jstr (r->records, "address"));
  facts_row (&t, L ("Standard", "评价标准"), std_line);
  facts_row (&t, L ("Kind", "评价类型"), self ? L ("Self-assessment", "自我评价") : L ("Third-party assessment", "第三方评价"));
  facts_row (&t, L ("State", "状态"), state_label (r, jstr (r->records, "state")));
  facts_row (&t, L ("Scope", "评价范围"), jstr (r->records, "scope"));
  facts_row (&t, L ("Sites", "评价场所"), sites->str);
  facts_row (&t, L ("Dates", "评价日期"), dates ? dates : created);
  facts_row (&t, self ? L ("Lead (self-assessment)", "自评负责人") : L ("Lead assessor", "评价组长"),
             person_name (r, jstr (r->records, "lead")));
  if (!self)
    facts_row (&t, L ("Certification body", "认证机构"), jstr (r->body, "name"));
  if (cert)
    facts_row (&t, L ("Certificate No.", "证书编号"), jstr (cert, "number"));
  facts_row (&t, L ("Assessment ID", "评价编号"), jstr (r->spec->content, "assessment_id"));
  facts_row (&t, L ("Content SHA-256", "报告内容摘要"), r->spec->digest);
}

static void
objectives (Render *r)
{
  gboolean self = g_strcmp0 (jstr (r->records, "kind"), "self") == 0;
  g_autofree char *std = standard_title (r);
  g_autofree char *text = NULL;

  section (r, L ("Objectives", "评价目的"));
  if (self)
    text = g_strdup_printf (L ("A self-assessment by %s of its services within the scope below against %s (%s): "
                               "to find where its services fall short of the standard and what to rectify before a "
                               "third-party assessment.",
                               "%s对照《%s》（%s）对下述范围内提供的服务进行自我评价，识别与标准要求之间的差距及应整改的事项，"
                               "为第三方评价做好准备。"),
                            r->org, std, or_dash (jstr (r->records, "standard")));
  else
    text = g_strdup_printf (L ("To determine whether the services %s provides within the scope below conform to the "
                               "requirements of %s (%s), to identify nonconformities and the rectifications they call "
                               "for, and to give the certification body the evidence for its decision (QCS 11.5).",
                               "确定%s在下述范围内提供的服务是否符合《%s》（%s）的要求，识别不符合项并提出整改建议，"
                               "为认证机构的认证决定提供依据（标准 11.5）。"),
                            r->org, std, or_dash (jstr (r->records, "standard")));
  para (r, text, BODY, INK);
}

static void
scope_section (Render *r)
{
  JsonArray *sites = jarr (r->records, "sites");

  section (r, L ("Scope", "评价范围"));
  para (r, or_dash (jstr (r->records, "scope")), BODY, INK);
  _at_pdf_space (r->pdf, 4);
  para (r, L ("Sites:", "评价场所："), BODY, GREY);
  if (jlen (sites) == 0)
    para (r, "—", BODY, INK);
  for (guint i = 0; i < jlen (sites); i++)
    {
      g_autofree char *line = g_strdup_printf ("• %s", json_array_get_string_element (sites, i));
      AtPdfStyle s = style (BODY, FALSE, INK);
      _at_pdf_paragraph (r->pdf, X0 + 8, W - 8, line, &s);
    }
}

static void
add_person (GPtrArray  *ids,
            const char *id)
{
  if (id == NULL || *id == '\0')
    return;
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (ids->pdata[i], id))
      return;
  g_ptr_array_add (ids, (gpointer) id);
}

static void
team_section (Render *r)
{
  AtPdfTable t = { r->pdf, 3, { { 130, L ("Role", "角色") }, { 170, L ("Name", "姓名") }, { W - 300, L ("Organisation", "所属机构") } }, 9, X0, 0, 0 };
  g_autoptr(GPtrArray) assessors = g_ptr_array_new ();
  const char *lead = jstr (r->records, "lead");
  const char *reviewer = approving_reviewer (r);
  JsonArray *team = jarr (r->records, "team");
  JsonArray *findings = jarr (r->records, "findings");
  JsonArray *evidence = jarr (r->records, "evidence");
  JsonArray *ncs = jarr (r->records, "nonconformities");
  JsonObject *cert = jobj (r->records, "certificate");
  gboolean self = g_strcmp0 (jstr (r->records, "kind"), "self") == 0;

  for (guint i = 0; i < jlen (team); i++)
    {
      JsonNode *n = json_array_get_element (team, i);
      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        add_person (assessors, json_node_get_string (n));
      else if (JSON_NODE_HOLDS_OBJECT (n))
        add_person (assessors, jstr (json_node_get_object (n), "id"));
    }
  for (guint i = 0; i < jlen (findings); i++)
    add_person (assessors, jstr (jat (findings, i), "recorded_by"));
  for (guint i = 0; i < jlen (evidence); i++)
    add_person (assessors, jstr (jat (evidence, i), "added_by"));
  for (guint i = 0; i < jlen (ncs); i++)
    add_person (assessors, jstr (jat (ncs, i), "raised_by"));

  section (r, L ("Assessment team", "评价组"));
  _at_pdf_table_header (&t);
  {
    const char *cells[] = { self ? L ("Lead (self-assessment)", "自评负责人") : L ("Lead assessor", "评价组长"),
                            person_name (r, lead), or_dash (person_org (r, lead)) };
    _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
  }
  for (guint i = 0; i < assessors->len; i++)
    {
      const char *id = assessors->pdata[i];
      const char *cells[] = { self ? L ("Self-assessor", "自评人员") : L ("Assessor", "评价员"), person_name (r, id),
                              or_dash (person_org (r, id)) };
      if (g_strcmp0 (id, lead) == 0)
        continue;
      _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
    }
  if (reviewer)
    {
      const char *cells[] = { L ("Recheck expert (independent)", "复核专家（独立）"), person_name (r, reviewer),
                              or_dash (person_org (r, reviewer)) };
      _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
    }
  if (jstr (cert, "issued_by"))
    {
      const char *cells[] = { L ("Certificate issuer", "发证人"), person_name (r, jstr (cert, "issued_by")),
                              or_dash (person_org (r, jstr (cert, "issued_by"))) };
      _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
    }
}

static void
dates_section (Render *r)
{
  AtPdfTable t = { r->pdf, 2, { { 200, L ("Event", "事项") }, { W - 200, L ("Date", "日期") } }, 9, X0, 0, 0 };
  JsonArray *findings = jarr (r->records, "findings");
  JsonArray *signoffs = jarr (r->records, "signoffs");
  JsonObject *cert = jobj (r->records, "certificate");
  const char *first = NULL, *last = NULL;

  for (guint i = 0; i < jlen (findings); i++)
    {
      const char *at = jstr (jat (findings, i), "recorded_at");
      if (at && (first == NULL || strcmp (at, first) < 0))
        first = at;
      if (at && (last == NULL || strcmp (at, last) > 0))
        last = at;
    }

  section (r, L ("Dates and sites", "评价日期与地点"));
  _at_pdf_table_header (&t);
  {
    g_autofree char *d = fmt_datetime (jstr (r->records, "created_at"));
    const char *cells[] = { L ("Assessment set up", "评价立项"), d };
    _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
  }
  if (jstr (r->records, "start_date"))
    {
      g_autofree char *a = fmt_date (jstr (r->records, "start_date"));
      g_autofree char *b = fmt_date (jstr (r->records, "end_date"));
      g_autofree char *d = g_strdup_printf ("%s – %s", a, b);
      const char *cells[] = { L ("On-site evaluation", "现场评价"), d };
      _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
    }
  if (first)
    {
      g_autofree char *a = fmt_datetime (first);
      g_autofree char *b = fmt_datetime (last);
      g_autofree char *d = g_strdup_printf ("%s – %s", a, b);
      const char *cells[] = { L ("Findings recorded", "评价记录时间"), d };
      _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
    }
  for (guint i = 0; i < jlen (signoffs); i++)
    {
      JsonObject *so = jat (signoffs, i);
      g_autofree char *d = fmt_datetime (jstr (so, "signed_at"));
      const char *cells[] = { signoff_label (r, jstr (so, "kind")), d };
      if (jbool (so, "valid") == 0)
        continue;
      _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
    }
  if (cert)
    {
      g_autofree char *a = fmt_date (jstr (cert, "issued_on"));
      g_autofree char *b = fmt_date (jstr (cert, "valid_until"));
      g_autofree char *d = g_strdup_printf (L ("%s, valid until %s", "%s，有效期至 %s"), a, b);
      const char *cells[] = { L ("Certificate issued", "证书签发"), d };
      _at_pdf_table_row (&t, cells, NULL, NULL, NULL);
    }
  _at_pdf_space (r->pdf, 6);
  {
    JsonArray *sites = jarr (r->records, "sites");
    g_autoptr(GString) list = g_string_new (NULL);
    g_autofree char *text = NULL;

    for (guint i = 0; i < jlen (sites); i++)
      g_string_append_printf (list, "%s%s", i ? L ("; ", "；") : "", json_array_get_string_element (sites, i));
    text = g_strdup_printf (L ("Sites visited: %s", "评价场所：%s"), list->len ? list->str : "—");
    para (r, text, BODY, INK);
  }
}

static void
criteria_section (Render *r)
{
  g_autofree char *std = standard_title (r);
  g_autofree char *text = NULL;
  g_autofree char *hash = NULL;
  JsonArray *findings = jarr (r->records, "findings");
  static const char * const methods[] = { "document", "observation", "interview", "demonstration" };
  guint counts[G_N_ELEMENTS (methods)] = { 0 };
  g_autoptr(GString) used = g_string_new (NULL);

  for (guint i = 0; i < jlen (findings); i++)
    {
      JsonArray *m = jarr (jat (findings, i), "methods");
      for (guint j = 0; j < jlen (m); j++)
        for (guint k = 0; k < G_N_ELEMENTS (methods); k++)
          if (g_strcmp0 (json_array_get_string_element (m, j), methods[k]) == 0)
            counts[k]++;
    }
  for (guint k = 0; k < G_N_ELEMENTS (methods); k++)
    g_string_append_printf (used, L ("%s%s (%u clauses)", "%s%s（%u 项）"), k ? L ("; ", "；") : "",
                            method_label (r, methods[k]), counts[k]);

  section (r, L ("Criteria and methods", "评价准则与方法"));
  text = g_strdup_printf (L ("The requirements of %s, code %s, version %s, as Attest's catalog of the standard "
                             "(catalog SHA-256 below). Each assessable clause was evaluated as conform, partially "
                             "conform, nonconform or not applicable; measured indicators were compared with their limits.",
                             "《%s》（代号 %s，版本 %s）的要求，以 Attest 的标准目录为准（目录 SHA-256 见下）。"
                             "每个可评价条款评定为符合、部分符合、不符合或不适用；测量指标与其限值比较。"),
                          std, or_dash (jstr (r->records, "standard")), or_dash (jstr (r->records, "catalog_version")));
  para (r, text, BODY, INK);
  _at_pdf_space (r->pdf, 3);
  hash = g_strdup_printf (L ("Catalog SHA-256: %s", "目录 SHA-256：%s"), or_dash (jstr (r->records, "catalog_sha256")));
  para (r, hash, 8, GREY);
  _at_pdf_space (r->pdf, 3);
  {
    g_autofree char *m = g_strdup_printf (L ("Methods used: %s.", "评价方法：%s。"), used->str);
    para (r, m, BODY, INK);
  }
}

/* ------------------------------------------------------------------------------------------ */

static void
index_records (Render *r)
{
  JsonArray *findings = jarr (r->records, "findings");
  JsonArray *evidence = jarr (r->records, "evidence");
  JsonArray *ncs = jarr (r->records, "nonconformities");

  for (guint i = 0; i < jlen (findings); i++)
    if (jstr (jat (findings, i), "clause"))
      g_hash_table_insert (r->findings, (gpointer) jstr (jat (findings, i), "clause"), jat (findings, i));
  for (guint i = 0; i < jlen (evidence); i++)
    {
      JsonObject *e = jat (evidence, i);
      JsonArray *clauses = jarr (e, "clauses");
      char *id = g_strdup_printf ("E%u", i + 1);

      if (jstr (e, "sha256") == NULL)
        {
          g_free (id);
          continue;
        }
      g_hash_table_insert (r->evidence_ids, (gpointer) jstr (e, "sha256"), id);
      for (guint k = 0; k < jlen (clauses); k++)
        {
          const char *c = json_array_get_string_element (clauses, k);
          GString *list = g_hash_table_lookup (r->clause_evidence, c);
          if (list == NULL)
            g_hash_table_insert (r->clause_evidence, (gpointer) c, g_string_new (id));
          else
            g_string_append_printf (list, ", %s", id);
        }
    }
  for (guint i = 0; i < jlen (ncs); i++)
    {
      JsonObject *nc = jat (ncs, i);
      const char *c = jstr (nc, "clause");
      GString *list;

      if (c == NULL)
        continue;
      list = g_hash_table_lookup (r->clause_ncs, c);
      if (list == NULL)
        g_hash_table_insert (r->clause_ncs, (gpointer) c, g_string_new (or_dash (jstr (nc, "label"))));
      else
        g_string_append_printf (list, ", %s", or_dash (jstr (nc, "label")));
    }
}

static void
string_free (gpointer s)
{
  g_string_free (s, TRUE);
}

AtPdf *
_at_report_render (const AtReportSpec  *spec,
                   GError             **error)
{
  g_autoptr(AtPdf) pdf = _at_pdf_new (error);
  gboolean self;
  Render rr = { 0 }, *r = &rr;
  g_autofree char *subject = NULL;

  if (pdf == NULL)
    return NULL;
  r->spec = spec;
  r->pdf = pdf;
  r->lang = spec->lang;
  r->catalog = spec->catalog;
  r->records = jobj (spec->content, "records");
  r->people = jobj (spec->content, "people");
  r->body = jobj (spec->content, "body");
  r->org = or_dash (jstr (r->records, "org"));
  self = g_strcmp0 (jstr (r->records, "kind"), "self") == 0;
  r->title = self ? L ("Self-assessment report", "自评报告") : L ("Assessment report", "评价报告");
  r->findings = g_hash_table_new (g_str_hash, g_str_equal);
  r->evidence_ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  r->clause_evidence = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, string_free);
  r->clause_ncs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, string_free);
  index_records (r);

  if (spec->certificate)
    certificate_page (r);
  title_block (r);
  objectives (r);
  scope_section (r);
  team_section (r);
  dates_section (r);
  criteria_section (r);
  summary_section (r);
  clauses_section (r);
  nc_section (r);
  evidence_section (r);
  recheck_section (r);
  signoff_section (r);
  draw_footers (r);

  subject = g_strdup_printf ("%s — %s", r->title, r->org);
  _at_pdf_set_info (pdf, "Title", subject);
  _at_pdf_set_info (pdf, "Subject", or_dash (jstr (r->records, "scope")));
  _at_pdf_set_info (pdf, "Author", spec->certificate ? or_dash (jstr (r->body, "name")) : r->org);

  g_hash_table_unref (r->findings);
  g_hash_table_unref (r->evidence_ids);
  g_hash_table_unref (r->clause_evidence);
  g_hash_table_unref (r->clause_ncs);
  if (!_at_pdf_check (pdf, _("lay out the report"), error))
    return NULL;
  return g_steal_pointer (&pdf);
}
