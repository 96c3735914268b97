/* at-report-certificate.c — the certificate page (ISO/IEC 17065 7.7, ISO/IEC 17021-1 8.2.2):
 * the body, the organisation, scope and standard, number, dates, the signatures and the QR code
 */
#include "config.h"

#include "at-report-render-private.h"

/* Centred text of at most max_lines lines (the last one ellipsized); with page NULL it only
 * measures. Returns the height. */
static double
capped_block (Render           *r,
              HPDF_Page         page,
              double            top,
              const char       *text,
              const AtPdfStyle *s,
              guint             max_lines)
{
  g_autoptr(GPtrArray) lines = NULL;
  double lh = _at_pdf_line_height (s);
  guint n;

  if (text == NULL || *text == '\0')
    return 0;
  lines = _at_pdf_wrap (r->pdf, text, s->size, W - 20);
  n = MIN (lines->len, max_lines);
  for (guint i = 0; page != NULL && i < n; i++)
    {
      g_autofree char *line = NULL;
      if (i == n - 1 && lines->len > max_lines)
        {
          g_autofree char *more = g_strconcat (lines->pdata[i], " …", NULL);
          line = _at_pdf_ellipsize (r->pdf, more, s->size, W - 20);
        }
      _at_pdf_show_box (r->pdf, page, X0 + 10, top - i * lh, W - 20, line ? line : lines->pdata[i], s);
    }
  return n * lh;
}

/* Like capped_block, but the text first gets smaller (down to min_size) to fit in max_lines:
 * a certificate names the organisation in full whenever it can. */
static double
fitted_block (Render     *r,
              HPDF_Page   page,
              double      top,
              const char *text,
              AtPdfStyle  s,
              guint       max_lines,
              double      min_size)
{
  double leading = s.leading;

  if (text == NULL || *text == '\0')
    return 0;
  for (; s.size > min_size; s.size -= 0.5)
    {
      g_autoptr(GPtrArray) lines = _at_pdf_wrap (r->pdf, text, s.size, W - 20);
      if (lines->len <= max_lines)
        break;
    }
  s.leading = leading;
  return capped_block (r, page, top, text, &s, max_lines);
}

/* Who, what and against which standard: the middle of the certificate, its gaps between the
 * parts scaled by gap. With page NULL it only measures, so the block can be spaced and
 * centred in the room it has. */
static double
certificate_middle (Render    *r,
                    HPDF_Page  page,
                    double     top,
                    double     gap)
{
  JsonObject *cert = jobj (r->records, "certificate");
  JsonArray *site_list = jarr (r->records, "sites");
  g_autofree char *std = standard_title (r);
  g_autofree char *quoted = r->lang == AT_LANG_ZH_CN ? g_strdup_printf ("《%s》", std) : g_strdup (std);
  g_autofree char *std_line = g_strdup_printf (L ("%s, version %s", "%s，版本 %s"), or_dash (jstr (r->records, "standard")),
                                               or_dash (jstr (r->records, "catalog_version")));
  g_autofree char *issued = fmt_date (jstr (cert, "issued_on"));
  g_autofree char *until = fmt_date (jstr (cert, "valid_until"));
  g_autoptr(GString) sites = g_string_new (NULL);
  double y = top;
  AtPdfStyle s;

  for (guint i = 0; i < jlen (site_list); i++)
    g_string_append_printf (sites, "%s%s", i ? L ("; ", "；") : "", json_array_get_string_element (site_list, i));

  s = centered (10, FALSE, GREY);
  y -= capped_block (r, page, y, L ("This is to certify that the services of", "兹证明"), &s, 1) + 4 * gap;
  s = centered (19, TRUE, NAVY);
  s.leading = 1.3;
  /* the organisation is named in full: on up to three lines at a stately size, else smaller on
   * up to six before anything is cut */
  {
    AtPdfStyle probe = s;
    g_autoptr(GPtrArray) lines = NULL;

    probe.size = 12;
    lines = _at_pdf_wrap (r->pdf, r->org, probe.size, W - 20);
    if (lines->len <= 3)
      y -= fitted_block (r, page, y, r->org, s, 3, 12);
    else
      {
        s.size = 12;
        y -= fitted_block (r, page, y, r->org, s, 6, 9);
      }
  }
  s = centered (9.5, FALSE, INK);
  y -= capped_block (r, page, y, jstr (r->records, "address"), &s, 2) + 12 * gap;
  s = centered (10, FALSE, GREY);
  y -= capped_block (r, page, y, L ("within the scope", "在以下范围内提供的服务"), &s, 1);
  s = centered (11, TRUE, INK);
  y -= fitted_block (r, page, y, or_dash (jstr (r->records, "scope")), s, 4, 7.5);
  if (sites->len > 0)
    {
      g_autofree char *text = g_strdup_printf (L ("Sites: %s", "服务场所：%s"), sites->str);
      s = centered (8.5, FALSE, GREY);
      y -= capped_block (r, page, y, text, &s, 2);
    }
  y -= 12 * gap;
  s = centered (10, FALSE, GREY);
  y -= capped_block (r, page, y, L ("conform to the requirements of", "符合以下标准的要求"), &s, 1);
  s = centered (14, TRUE, NAVY);
  y -= capped_block (r, page, y, quoted, &s, 2);
  s = centered (9.5, FALSE, INK);
  y -= capped_block (r, page, y, std_line, &s, 1) + 22 * gap;

  {
    AtPdfStyle k = centered (8.5, FALSE, GREY);
    AtPdfStyle v = centered (12, TRUE, INK);
    double col = W / 2;

    if (page != NULL)
      {
        _at_pdf_show_box (r->pdf, page, X0, y, col, L ("Issued on", "发证日期"), &k);
        _at_pdf_show_box (r->pdf, page, X0 + col, y, col, L ("Valid until", "有效期至"), &k);
        _at_pdf_show_box (r->pdf, page, X0, y - _at_pdf_line_height (&k), col, issued, &v);
        _at_pdf_show_box (r->pdf, page, X0 + col, y - _at_pdf_line_height (&k), col, until, &v);
      }
    y -= _at_pdf_line_height (&k) + _at_pdf_line_height (&v);
  }
  return top - y;
}

static void
corner (HPDF_Page page,
        double    x,
        double    y,
        double    dx,
        double    dy)
{
  HPDF_Page_SetLineWidth (page, 1.2);
  HPDF_Page_SetRGBStroke (page, GOLD.r, GOLD.g, GOLD.b);
  HPDF_Page_MoveTo (page, x, y + dy * 22);
  HPDF_Page_LineTo (page, x, y);
  HPDF_Page_LineTo (page, x + dx * 22, y);
  HPDF_Page_Stroke (page);
  _at_pdf_fill_rect (page, x + dx * 4 - 2, y + dy * 4 - 2, 4, 4, GOLD);
}

void
certificate_page (Render *r)
{
  JsonObject *cert = jobj (r->records, "certificate");
  HPDF_Page page;
  AtPdfStyle s;
  double y = AT_PDF_HEIGHT - 70;
  g_autofree char *number = NULL;
  double box_w, box_top = 222, middle_h = 0, space_top, gap;

  _at_pdf_set_page_func (r->pdf, NULL, NULL);
  page = _at_pdf_new_page (r->pdf);
  _at_pdf_bookmark (r->pdf, NULL, L ("Certificate", "认证证书"));

  /* a double frame with corner marks, as printed certificates have */
  _at_pdf_stroke_rect (page, 26, 26, AT_PDF_WIDTH - 52, AT_PDF_HEIGHT - 52, 2.4, NAVY);
  _at_pdf_stroke_rect (page, 32, 32, AT_PDF_WIDTH - 64, AT_PDF_HEIGHT - 64, 0.6, GOLD);
  corner (page, 38, 38, 1, 1);
  corner (page, AT_PDF_WIDTH - 38, 38, -1, 1);
  corner (page, 38, AT_PDF_HEIGHT - 38, 1, -1);
  corner (page, AT_PDF_WIDTH - 38, AT_PDF_HEIGHT - 38, -1, -1);

  s = centered (14, TRUE, NAVY);
  y -= capped_block (r, page, y, or_dash (jstr (r->body, "name")), &s, 2);
  s = centered (8.5, FALSE, GREY);
  y -= capped_block (r, page, y, jstr (r->body, "address"), &s, 2);

  y -= 26;
  s = centered (32, TRUE, NAVY);
  s.leading = 1.2;
  y -= capped_block (r, page, y, L ("Certificate of Conformity", "认 证 证 书"), &s, 1);
  s = centered (9, FALSE, GOLD);
  y -= capped_block (r, page, y, L ("SERVICE CERTIFICATION", "CERTIFICATE OF CONFORMITY"), &s, 1) + 8;
  number = g_strdup_printf (L ("Certificate No. %s", "证书编号：%s"), or_dash (jstr (cert, "number")));
  s = centered (11.5, TRUE, INK);
  y -= capped_block (r, page, y, number, &s, 1);
  _at_pdf_hline (page, AT_PDF_WIDTH / 2 - 70, AT_PDF_WIDTH / 2 + 70, y - 8, 0.8, GOLD);
  y -= 24;

  /* the middle, centred between the title and the signatures */
  /* airy when the texts are short, tight when they are long; never into the signatures */
  for (gap = 1.8; gap > 0.5; gap -= 0.2)
    {
      middle_h = certificate_middle (r, NULL, y, gap);
      if (middle_h + 40 <= y - (box_top + 24))
        break;
    }
  space_top = (y - (box_top + 24) - middle_h) / 2;
  certificate_middle (r, page, y - MAX (0, space_top), gap);

  /* signatures and the QR code along the bottom */
  box_w = (W - 104) / 2 - 4;
  signature_box (r, page, X0, box_top, box_w, 96, "reviewer", approving_reviewer (r), wants_field (r, "reviewer"));
  signature_box (r, page, X0 + box_w + 8, box_top, box_w, 96, "issuer", jstr (cert, "issued_by"),
                 wants_field (r, "issuer"));
  _at_pdf_draw_qr (page, r->spec->qr_payload, X0 + W - 96, box_top - 96, 96);

  {
    AtPdfStyle k = style (7.5, FALSE, GREY);
    AtPdfStyle m = style (7.5, FALSE, INK);
    double ty = box_top - 96 - 10;

    ty -= _at_pdf_text_block (r->pdf, page, X0, ty, W,
                              L ("The QR code carries the certificate number and the SHA-256 of the report's content:",
                                 "二维码载有证书编号和报告内容的 SHA-256 摘要："), &k);
    ty -= _at_pdf_text_block (r->pdf, page, X0, ty, W, r->spec->digest, &m);
    _at_pdf_text_block (r->pdf, page, X0, ty, W,
                        L ("This certificate is valid only together with the assessment report that follows it, "
                           "and only while its digital signatures are valid.",
                           "本证书须与其后所附评价报告一并使用，且仅在其数字签名有效时有效。"), &k);
  }
}
