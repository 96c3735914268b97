/* at-pdf-writer.c — page layout over libharu: the CJK font, wrapped text, pages, tables */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <fontconfig/fontconfig.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <string.h>

#include "at-error.h"
#include "at-pdf-private.h"

/* WenQuanYi Micro Hei has TrueType outlines, which libharu 2.3.0 can embed; the OpenType/CFF
 * CJK fonts (Noto CJK) it cannot load. The TTC's first face is the proportional one. */
#define FONT_FAMILY "WenQuanYi Micro Hei"

static const char * const font_fallbacks[] = {
  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  /* Debian, Ubuntu: fonts-wqy-microhei */
  "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",  /* Fedora */
  "/app/share/fonts/wqy-microhei.ttc",               /* our Flatpak module */
  NULL
};

/* The font's vertical metrics, in 1/1000 em, for placing baselines in line boxes. */
#define ASCENT  0.936
#define DESCENT 0.235

char *
_at_pdf_find_font (int     *index,
                   GError **error)
{
  const char *env = g_getenv ("ATTEST_REPORT_FONT");
  g_autofree char *found = NULL;
  FcPattern *pattern;
  FcPattern *match;
  FcResult result;

  *index = 0;
  if (env != NULL && *env != '\0')
    {
      if (!g_file_test (env, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("ATTEST_REPORT_FONT names %s, which does not exist"), env);
          return NULL;
        }
      return g_strdup (env);
    }

  pattern = FcNameParse ((const FcChar8 *) FONT_FAMILY);
  FcConfigSubstitute (NULL, pattern, FcMatchPattern);
  FcDefaultSubstitute (pattern);
  match = FcFontMatch (NULL, pattern, &result);
  if (match != NULL)
    {
      FcChar8 *family = NULL;
      FcChar8 *file = NULL;
      int i = 0;

      /* fontconfig always answers with something; only the family asked for will do */
      if (FcPatternGetString (match, FC_FAMILY, 0, &family) == FcResultMatch &&
          g_ascii_strcasecmp ((const char *) family, FONT_FAMILY) == 0 &&
          FcPatternGetString (match, FC_FILE, 0, &file) == FcResultMatch)
        {
          found = g_strdup ((const char *) file);
          if (FcPatternGetInteger (match, FC_INDEX, 0, &i) == FcResultMatch)
            *index = i;
        }
      FcPatternDestroy (match);
    }
  FcPatternDestroy (pattern);
  if (found != NULL)
    return g_steal_pointer (&found);

  for (guint i = 0; font_fallbacks[i]; i++)
    if (g_file_test (font_fallbacks[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (font_fallbacks[i]);

  g_set_error (error, AT_ERROR, AT_ERROR_FAILED,
               _("no font for the report: the CJK TrueType font “%s” is not installed "
               "(on Debian: apt install fonts-wqy-microhei), or set ATTEST_REPORT_FONT to a TrueType font file"),
               FONT_FAMILY);
  return NULL;
}

static void
on_hpdf_error (HPDF_STATUS  error_no,
               HPDF_STATUS  detail_no,
               void        *user_data)
{
  AtPdf *pdf = user_data;

  if (pdf->error_no == 0)
    {
      pdf->error_no = error_no;
      pdf->detail_no = detail_no;
    }
}

static void
sig_field_free (gpointer data)
{
  AtPdfSigField *field = data;

  g_free (field->name);
  g_free (field->awaiting);
  g_free (field);
}

AtPdf *
_at_pdf_new (GError **error)
{
  g_autoptr(AtPdf) pdf = g_new0 (AtPdf, 1);
  g_autofree char *path = NULL;
  const char *name;
  int index = 0;

  pdf->widths = g_hash_table_new (NULL, NULL);
  pdf->pages = g_ptr_array_new ();
  pdf->sig_fields = g_ptr_array_new_with_free_func (sig_field_free);

  path = _at_pdf_find_font (&index, error);
  if (path == NULL)
    return NULL;

  pdf->doc = HPDF_New (on_hpdf_error, pdf);
  if (pdf->doc == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not start a PDF document"));
      return NULL;
    }
  /* compression before the font is loaded, or the font program is stored uncompressed */
  HPDF_SetCompressionMode (pdf->doc, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings (pdf->doc);
  HPDF_SetCurrentEncoder (pdf->doc, "UTF-8");
  if (g_str_has_suffix (path, ".ttc") || g_str_has_suffix (path, ".TTC"))
    name = HPDF_LoadTTFontFromFile2 (pdf->doc, path, index, HPDF_TRUE);
  else
    name = HPDF_LoadTTFontFromFile (pdf->doc, path, HPDF_TRUE);
  if (name != NULL)
    pdf->font = HPDF_GetFont (pdf->doc, name, "UTF-8");
  if (pdf->font == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED,
                   _("could not load the font %s (libharu error 0x%04X): it must be a TrueType font"),
                   path, (unsigned) pdf->error_no);
      return NULL;
    }
  pdf->font_path = g_steal_pointer (&path);
  pdf->doc->pdf_version = HPDF_VER_17;
  HPDF_SetPageMode (pdf->doc, HPDF_PAGE_MODE_USE_OUTLINE);
  return g_steal_pointer (&pdf);
}

void
_at_pdf_free (AtPdf *pdf)
{
  if (pdf == NULL)
    return;
  if (pdf->doc)
    HPDF_Free (pdf->doc);
  g_hash_table_unref (pdf->widths);
  g_free (pdf->font_path);
  g_ptr_array_unref (pdf->pages);
  g_ptr_array_unref (pdf->sig_fields);
  g_free (pdf->sign_field);
  g_free (pdf->sign_name);
  g_free (pdf->sign_reason);
  g_strfreev (pdf->sign_lines);
  g_clear_pointer (&pdf->sign_time, g_date_time_unref);
  g_free (pdf);
}

HPDF_Doc  _at_pdf_doc (AtPdf *pdf) { return pdf->doc; }
HPDF_Font _at_pdf_font (AtPdf *pdf) { return pdf->font; }

gboolean
_at_pdf_check (AtPdf       *pdf,
               const char  *what,
               GError     **error)
{
  if (pdf->error_no == 0)
    return TRUE;
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not %s: libharu error 0x%04X (detail %u)"),
               what, (unsigned) pdf->error_no, (unsigned) pdf->detail_no);
  return FALSE;
}

void
_at_pdf_set_page_func (AtPdf         *pdf,
                       AtPdfPageFunc  func,
                       gpointer       data)
{
  pdf->page_func = func;
  pdf->page_data = data;
}

HPDF_Page
_at_pdf_new_page (AtPdf *pdf)
{
  HPDF_Page page = HPDF_AddPage (pdf->doc);

  HPDF_Page_SetSize (page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  g_ptr_array_add (pdf->pages, page);
  pdf->page = page;
  pdf->y = AT_PDF_HEIGHT - AT_PDF_MARGIN_TOP;
  if (pdf->page_func)
    pdf->page_func (pdf, page, pdf->page_data);
  return page;
}

HPDF_Page _at_pdf_page (AtPdf *pdf) { return pdf->page; }
guint     _at_pdf_n_pages (AtPdf *pdf) { return pdf->pages->len; }
HPDF_Page _at_pdf_nth_page (AtPdf *pdf, guint index) { return pdf->pages->pdata[index]; }
double    _at_pdf_y (AtPdf *pdf) { return pdf->y; }
void      _at_pdf_set_y (AtPdf *pdf, double y) { pdf->y = y; }
void      _at_pdf_space (AtPdf *pdf, double height) { pdf->y -= height; }

/* Starts a new page unless height fits above the bottom margin. */
gboolean
_at_pdf_need (AtPdf  *pdf,
              double  height)
{
  if (pdf->page != NULL && pdf->y - height >= AT_PDF_MARGIN_BOTTOM)
    return FALSE;
  _at_pdf_new_page (pdf);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Text                                                                                        */

/* Text from the records can hold anything; what reaches libharu is valid UTF-8 of the Basic
 * Multilingual Plane (its UTF-8 encoder and the CID font stop there), without control
 * characters other than the newline. */
char *
_at_pdf_clean_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\r')
        {
          if (p[1] != '\n')
            g_string_append_c (out, '\n');
        }
      else if (c == '\n')
        g_string_append_c (out, '\n');
      else if (c == '\t')
        g_string_append_c (out, ' ');
      else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029)
        continue;
      else if (c > 0xffff)
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static double
char_width (AtPdf    *pdf,
            gunichar  c)
{
  gpointer cached = g_hash_table_lookup (pdf->widths, GUINT_TO_POINTER (c));
  char buf[8];
  int len;
  HPDF_TextWidth tw;

  if (cached != NULL)
    return GPOINTER_TO_UINT (cached) - 1;
  len = g_unichar_to_utf8 (c, buf);
  tw = HPDF_Font_TextWidth (pdf->font, (const HPDF_BYTE *) buf, len);
  g_hash_table_insert (pdf->widths, GUINT_TO_POINTER (c), GUINT_TO_POINTER (tw.width + 1));
  return tw.width;
}

double
_at_pdf_width (AtPdf      *pdf,
               const char *text,
               double      size)
{
  double w = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    w += char_width (pdf, g_utf8_get_char (p));
  return w * size / 1000.0;
}

/* Measuring a glyph makes libharu embed it: a later revision (the issuer's signature
 * appearance) may then use text the first revision never showed. */
void
_at_pdf_mark_glyphs (AtPdf      *pdf,
                     const char *text)
{
  g_autofree char *clean = _at_pdf_clean_text (text);

  _at_pdf_width (pdf, clean, 10);
}

static gboolean
is_ideographic (gunichar c)
{
  GUnicodeBreakType t = g_unichar_break_type (c);

  return t == G_UNICODE_BREAK_IDEOGRAPHIC || t == G_UNICODE_BREAK_CONDITIONAL_JAPANESE_STARTER ||
         t == G_UNICODE_BREAK_HANGUL_L_JAMO || t == G_UNICODE_BREAK_HANGUL_LV_SYLLABLE ||
         t == G_UNICODE_BREAK_HANGUL_LVT_SYLLABLE || g_unichar_iswide (c);
}

/* Characters a line may not start with (closing punctuation: ，。、）」) … */
static gboolean
no_line_start (gunichar c)
{
  switch (g_unichar_break_type (c))
    {
    case G_UNICODE_BREAK_CLOSE_PUNCTUATION:
    case G_UNICODE_BREAK_CLOSE_PARANTHESIS:
    case G_UNICODE_BREAK_EXCLAMATION:
    case G_UNICODE_BREAK_INFIX_SEPARATOR:
    case G_UNICODE_BREAK_NON_STARTER:
    case G_UNICODE_BREAK_SPACE:
      return TRUE;
    default:
      return c == 0x3001 || c == 0x3002 || c == 0xff0c || c == 0xff1a || c == 0xff1b || c == 0x201d;
    }
}

/* … and may not end with (opening punctuation: （「“). */
static gboolean
no_line_end (gunichar c)
{
  return g_unichar_break_type (c) == G_UNICODE_BREAK_OPEN_PUNCTUATION || c == 0x201c;
}

static gboolean
can_break_before (gunichar prev,
                  gunichar c)
{
  if (no_line_start (c) || no_line_end (prev))
    return FALSE;
  if (prev == ' ')
    return TRUE;
  if (is_ideographic (prev) || is_ideographic (c))
    return TRUE;
  /* long identifiers, paths and addresses break after their separators */
  if ((prev == '-' || prev == '/' || prev == '_' || prev == '.' || prev == ',') && g_unichar_isalnum (c))
    return TRUE;
  return FALSE;
}

static void
emit_line (GPtrArray  *lines,
           const char *start,
           const char *end)
{
  char *line = g_strndup (start, end - start);

  g_ptr_array_add (lines, g_strchomp (line));
}

static void
wrap_paragraph (AtPdf      *pdf,
                const char *para,
                const char *para_end,
                double      size,
                double      width,
                GPtrArray  *lines)
{
  const char *start = para;
  const char *last_break = NULL;
  double line_w = 0;
  gunichar prev = 0;

  /* width is in text space units; work in 1/1000 em to avoid a multiplication per char */
  width = width * 1000.0 / size;

  for (const char *p = para; p < para_end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      double cw;

      if (p == start && c == ' ')
        {
          start = g_utf8_next_char (p);
          continue;
        }
      if (p > start && can_break_before (prev, c))
        last_break = p;

      cw = char_width (pdf, c);
      while (line_w + cw > width && p > start)
        {
          if (c == ' ')
            {
              emit_line (lines, start, p);
              start = p;
              line_w = 0;
              last_break = NULL;
              break;
            }
          if (last_break != NULL && last_break > start)
            {
              emit_line (lines, start, last_break);
              start = last_break;
              while (*start == ' ' && start < p)
                start++;
              line_w = 0;
              for (const char *q = start; q < p; q = g_utf8_next_char (q))
                line_w += char_width (pdf, g_utf8_get_char (q));
            }
          else
            {
              emit_line (lines, start, p);
              start = p;
              line_w = 0;
            }
          last_break = NULL;
        }
      if (p == start && c == ' ')
        {
          start = g_utf8_next_char (p);
          prev = c;
          continue;
        }
      line_w += cw;
      prev = c;
    }
  emit_line (lines, start, para_end);
}

/* The lines text takes at size within width; paragraphs (newlines) are kept, and nothing is
 * ever wider than width: a word too long for a line is broken inside. */
GPtrArray *
_at_pdf_wrap (AtPdf      *pdf,
              const char *text,
              double      size,
              double      width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *clean = _at_pdf_clean_text (text);
  const char *p = clean;

  for (;;)
    {
      const char *nl = strchr (p, '\n');
      const char *end = nl ? nl : p + strlen (p);

      wrap_paragraph (pdf, p, end, size, width, lines);
      if (nl == NULL)
        break;
      p = nl + 1;
    }
  return lines;
}

char *
_at_pdf_ellipsize (AtPdf      *pdf,
                   const char *text,
                   double      size,
                   double      width)
{
  g_autofree char *clean = _at_pdf_clean_text (text);
  double ell = _at_pdf_width (pdf, "…", size);
  double w = 0;

  for (char *p = clean; *p; p = g_utf8_next_char (p))
    if (*p == '\n')
      *p = ' ';
  if (_at_pdf_width (pdf, clean, size) <= width)
    return g_steal_pointer (&clean);
  for (const char *p = clean; *p; p = g_utf8_next_char (p))
    {
      double cw = char_width (pdf, g_utf8_get_char (p)) * size / 1000.0;
      if (w + cw + ell > width)
        {
          g_autofree char *head = g_strndup (clean, p - clean);
          return g_strconcat (head, "…", NULL);
        }
      w += cw;
    }
  return g_steal_pointer (&clean);
}

double
_at_pdf_line_height (const AtPdfStyle *style)
{
  return style->size * (style->leading > 0 ? style->leading : 1.45);
}

/* One line, already wrapped, with its baseline at baseline and aligned within width. */
void
_at_pdf_show (AtPdf            *pdf,
              HPDF_Page         page,
              double            x,
              double            baseline,
              double            width,
              const char       *line,
              const AtPdfStyle *style)
{
  g_autofree char *clean = _at_pdf_clean_text (line);

  if (*clean == '\0')
    return;
  if (style->align != AT_ALIGN_LEFT)
    {
      double w = _at_pdf_width (pdf, clean, style->size);
      x += style->align == AT_ALIGN_CENTER ? (width - w) / 2 : width - w;
    }
  if (style->bold)
    {
      /* one face only: bold is the outline stroked over the fill */
      HPDF_Page_SetLineWidth (page, style->size * 0.04);
      HPDF_Page_SetRGBStroke (page, style->color.r, style->color.g, style->color.b);
    }
  HPDF_Page_BeginText (page);
  HPDF_Page_SetFontAndSize (page, pdf->font, style->size);
  HPDF_Page_SetRGBFill (page, style->color.r, style->color.g, style->color.b);
  HPDF_Page_SetTextRenderingMode (page, style->bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
  HPDF_Page_TextOut (page, x, baseline, clean);
  HPDF_Page_EndText (page);
}

/* One line in a line box whose top is at top. */
void
_at_pdf_show_box (AtPdf            *pdf,
                  HPDF_Page         page,
                  double            x,
                  double            top,
                  double            width,
                  const char       *line,
                  const AtPdfStyle *style)
{
  double lh = _at_pdf_line_height (style);
  double baseline = top - (lh + (ASCENT - DESCENT) * style->size) / 2;

  _at_pdf_show (pdf, page, x, baseline, width, line, style);
}

/* Wrapped text at a fixed place (no page breaks); returns the height it took. */
double
_at_pdf_text_block (AtPdf            *pdf,
                    HPDF_Page         page,
                    double            x,
                    double            top,
                    double            width,
                    const char       *text,
                    const AtPdfStyle *style)
{
  g_autoptr(GPtrArray) lines = _at_pdf_wrap (pdf, text, style->size, width);
  double lh = _at_pdf_line_height (style);

  for (guint i = 0; i < lines->len; i++)
    _at_pdf_show_box (pdf, page, x, top - i * lh, width, lines->pdata[i], style);
  return lines->len * lh;
}

/* Wrapped text in the flow, breaking pages between lines; returns the height it took. */
double
_at_pdf_paragraph (AtPdf            *pdf,
                   double            x,
                   double            width,
                   const char       *text,
                   const AtPdfStyle *style)
{
  g_autoptr(GPtrArray) lines = _at_pdf_wrap (pdf, text, style->size, width);
  double lh = _at_pdf_line_height (style);

  for (guint i = 0; i < lines->len; i++)
    {
      _at_pdf_need (pdf, lh);
      _at_pdf_show_box (pdf, pdf->page, x, pdf->y, width, lines->pdata[i], style);
      pdf->y -= lh;
    }
  return lines->len * lh;
}

static guint16
be16 (const guchar *p)
{
  return p[0] << 8 | p[1];
}

/* libharu 2.3.0 embeds the glyphs the document uses, but not the components of composite
 * glyphs — and WenQuanYi builds many ideographs from components, which would then render
 * blank (while still extracting as text). Mark every component, recursively, before saving. */
static void
include_glyph_components (AtPdf *pdf)
{
  HPDF_FontAttr font_attr = pdf->font->attr;
  HPDF_FontDef def = font_attr ? font_attr->fontdef : NULL;
  HPDF_TTFontDefAttr tt = def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE ? def->attr : NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GArray) todo = g_array_new (FALSE, FALSE, sizeof (guint));
  const guchar *data;
  gsize len;

  if (tt == NULL || tt->glyph_tbl.flgs == NULL || tt->glyph_tbl.offsets == NULL)
    return;
  mapped = g_mapped_file_new (pdf->font_path, FALSE, NULL);
  if (mapped == NULL)
    return;
  data = (const guchar *) g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);

  for (guint g = 0; g < tt->num_glyphs; g++)
    if (tt->glyph_tbl.flgs[g])
      g_array_append_val (todo, g);
  while (todo->len > 0)
    {
      guint g = g_array_index (todo, guint, todo->len - 1);
      gsize start = (gsize) tt->glyph_tbl.base_offset + tt->glyph_tbl.offsets[g];
      gsize end = (gsize) tt->glyph_tbl.base_offset + tt->glyph_tbl.offsets[g + 1];
      gsize p;

      g_array_set_size (todo, todo->len - 1);
      /* a composite glyph has a negative number of contours */
      if (end > len || end < start + 10 || (gint16) be16 (data + start) >= 0)
        continue;
      for (p = start + 10; p + 4 <= end;)
        {
          guint16 flags = be16 (data + p);
          guint component = be16 (data + p + 2);

          p += 4 + ((flags & 0x0001) ? 4 : 2);                /* ARG_1_AND_2_ARE_WORDS */
          if (flags & 0x0008) p += 2;                         /* WE_HAVE_A_SCALE */
          else if (flags & 0x0040) p += 4;                    /* WE_HAVE_AN_X_AND_Y_SCALE */
          else if (flags & 0x0080) p += 8;                    /* WE_HAVE_A_TWO_BY_TWO */
          if (component < tt->num_glyphs && !tt->glyph_tbl.flgs[component])
            {
              tt->glyph_tbl.flgs[component] = 1;
              g_array_append_val (todo, component);
            }
          if (!(flags & 0x0020))                              /* MORE_COMPONENTS */
            break;
        }
    }
}

GBytes *
_at_pdf_save (AtPdf   *pdf,
              GError **error)
{
  HPDF_UINT32 size;
  g_autofree guchar *data = NULL;

  if (!_at_pdf_check (pdf, _("lay out the report"), error))
    return NULL;
  include_glyph_components (pdf);
  if (HPDF_SaveToStream (pdf->doc) != HPDF_OK)
    return _at_pdf_check (pdf, _("write the PDF"), error), NULL;
  size = HPDF_GetStreamSize (pdf->doc);
  data = g_malloc (size);
  if (HPDF_ReadFromStream (pdf->doc, data, &size) != HPDF_OK && pdf->error_no != 0)
    return _at_pdf_check (pdf, _("write the PDF"), error), NULL;
  pdf->error_no = 0;
  return g_bytes_new_take (g_steal_pointer (&data), size);
}
