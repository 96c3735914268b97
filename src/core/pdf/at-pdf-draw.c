/* at-pdf-draw.c — what goes on a page besides text: rules, boxes, thumbnails, the QR code,
 * bookmarks, the document information and attachments; and tables that flow across pages */
#include "config.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <math.h>
#include <qrencode.h>
#include <string.h>

#include "at-pdf-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Graphics                                                                                    */

void
_at_pdf_fill_rect (HPDF_Page page,
                   double    x,
                   double    y,
                   double    w,
                   double    h,
                   AtRgb     color)
{
  HPDF_Page_SetRGBFill (page, color.r, color.g, color.b);
  HPDF_Page_Rectangle (page, x, y, w, h);
  HPDF_Page_Fill (page);
}

void
_at_pdf_stroke_rect (HPDF_Page page,
                     double    x,
                     double    y,
                     double    w,
                     double    h,
                     double    line_width,
                     AtRgb     color)
{
  HPDF_Page_SetLineWidth (page, line_width);
  HPDF_Page_SetRGBStroke (page, color.r, color.g, color.b);
  HPDF_Page_Rectangle (page, x, y, w, h);
  HPDF_Page_Stroke (page);
}

void
_at_pdf_hline (HPDF_Page page,
               double    x1,
               double    x2,
               double    y,
               double    line_width,
               AtRgb     color)
{
  HPDF_Page_SetLineWidth (page, line_width);
  HPDF_Page_SetRGBStroke (page, color.r, color.g, color.b);
  HPDF_Page_MoveTo (page, x1, y);
  HPDF_Page_LineTo (page, x2, y);
  HPDF_Page_Stroke (page);
}

HPDF_Outline
_at_pdf_bookmark (AtPdf        *pdf,
                  HPDF_Outline  parent,
                  const char   *title)
{
  g_autofree char *clean = _at_pdf_clean_text (title);
  HPDF_Outline outline = HPDF_CreateOutline (pdf->doc, parent, clean, HPDF_GetEncoder (pdf->doc, "UTF-8"));
  HPDF_Destination dest;

  if (outline == NULL || pdf->page == NULL)
    return outline;
  dest = HPDF_Page_CreateDestination (pdf->page);
  HPDF_Destination_SetFitH (dest, MIN (pdf->y + 24, AT_PDF_HEIGHT));
  HPDF_Outline_SetDestination (outline, dest);
  return outline;
}

/* A JPEG embedded as it is (DCTDecode): a preview (at-thumbnail.h) is already small, upright and
 * flat, so the page needs no decoding at all. NULL when libharu does not take it. */
HPDF_Image
_at_pdf_load_jpeg (AtPdf  *pdf,
                   GBytes *jpeg)
{
  gsize len = 0;
  const guchar *data = g_bytes_get_data (jpeg, &len);
  HPDF_Image image;

  if (len == 0 || len > G_MAXUINT32)
    return NULL;
  image = HPDF_LoadJpegImageFromMem (pdf->doc, data, (HPDF_UINT) len);
  if (image == NULL)
    {
      HPDF_ResetError (pdf->doc);
      pdf->error_no = 0;
    }
  return image;
}

/* The QR code in a white square of side points whose lower left corner is (x, y); the four
 * modules of quiet zone the standard asks for are inside the square. */
void
_at_pdf_draw_qr (HPDF_Page   page,
                 const char *payload,
                 double      x,
                 double      y,
                 double      side)
{
  QRcode *qr = QRcode_encodeString8bit (payload, 0, QR_ECLEVEL_M);
  double module;

  _at_pdf_fill_rect (page, x, y, side, side, (AtRgb) { 1, 1, 1 });
  if (qr == NULL)
    return;
  module = side / (qr->width + 8);
  HPDF_Page_SetRGBFill (page, 0, 0, 0);
  for (int row = 0; row < qr->width; row++)
    {
      int col = 0;

      while (col < qr->width)
        {
          int run = 0;

          while (col + run < qr->width && (qr->data[row * qr->width + col + run] & 1))
            run++;
          if (run > 0)
            {
              /* a hair wider than the run, so no seams show between rows */
              HPDF_Page_Rectangle (page, x + (col + 4) * module, y + side - (row + 5) * module,
                                   run * module + 0.05, module + 0.05);
              col += run;
            }
          else
            col++;
        }
    }
  HPDF_Page_Fill (page);
  QRcode_free (qr);
}

/* Standard entries of the document information (Title, Subject, Author, Keywords) take UTF-8;
 * our own (AttestAssessment, AttestQR …) are ASCII. */
void
_at_pdf_set_info (AtPdf      *pdf,
                  const char *key,
                  const char *value)
{
  static const struct { const char *key; HPDF_InfoType type; } standard[] = {
    { "Title", HPDF_INFO_TITLE }, { "Subject", HPDF_INFO_SUBJECT }, { "Author", HPDF_INFO_AUTHOR },
    { "Keywords", HPDF_INFO_KEYWORDS }, { "Creator", HPDF_INFO_CREATOR },
  };
  g_autofree char *clean = _at_pdf_clean_text (value);

  for (guint i = 0; i < G_N_ELEMENTS (standard); i++)
    if (g_str_equal (standard[i].key, key))
      {
        HPDF_SetInfoAttr (pdf->doc, standard[i].type, clean);
        return;
      }
  /* the info dictionary exists once a standard entry was set */
  HPDF_SetInfoAttr (pdf->doc, HPDF_INFO_CREATOR, "Attest " PACKAGE_VERSION);
  HPDF_Dict_Add (pdf->doc->info, key, HPDF_String_New (pdf->doc->mmgr, clean, NULL));
}

/* An embedded file (PDF 1.7, 7.11.4), listed in the catalog's EmbeddedFiles name tree. */
void
_at_pdf_attach (AtPdf      *pdf,
                const char *name,
                const char *description,
                const void *data,
                gsize       len)
{
  HPDF_MMgr mmgr = pdf->doc->mmgr;
  HPDF_Dict stream = HPDF_DictStream_New (mmgr, pdf->doc->xref);
  HPDF_Dict params = HPDF_Dict_New (mmgr);
  HPDF_Dict spec = HPDF_Dict_New (mmgr);
  HPDF_Dict ef = HPDF_Dict_New (mmgr);
  HPDF_Dict names = HPDF_Dict_New (mmgr);
  HPDF_Dict tree = HPDF_Dict_New (mmgr);
  HPDF_Array list = HPDF_Array_New (mmgr);

  HPDF_Dict_AddName (stream, "Type", "EmbeddedFile");
  HPDF_Dict_AddName (stream, "Subtype", "application#2Fjson");
  HPDF_Dict_AddNumber (params, "Size", (HPDF_INT32) len);
  HPDF_Dict_Add (stream, "Params", params);
  stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  HPDF_Stream_Write (stream->stream, data, len);

  HPDF_Xref_Add (pdf->doc->xref, spec);
  HPDF_Dict_AddName (spec, "Type", "Filespec");
  HPDF_Dict_Add (spec, "F", HPDF_String_New (mmgr, name, NULL));
  HPDF_Dict_Add (spec, "UF", HPDF_String_New (mmgr, name, NULL));
  HPDF_Dict_Add (spec, "Desc", HPDF_String_New (mmgr, description, NULL));
  HPDF_Dict_Add (ef, "F", stream);
  HPDF_Dict_Add (spec, "EF", ef);

  HPDF_Array_Add (list, HPDF_String_New (mmgr, name, NULL));
  HPDF_Array_Add (list, spec);
  HPDF_Dict_Add (tree, "Names", list);
  HPDF_Dict_Add (names, "EmbeddedFiles", tree);
  HPDF_Dict_Add (pdf->doc->catalog, "Names", names);
}

/* ------------------------------------------------------------------------------------------ */
/* Tables                                                                                      */

#define CELL_PAD 3.0
#define HEADER_FILL ((AtRgb) { 0.86, 0.89, 0.93 })
#define ZEBRA_FILL ((AtRgb) { 0.96, 0.97, 0.98 })
#define RULE ((AtRgb) { 0.75, 0.78, 0.82 })
#define TEXT ((AtRgb) { 0.12, 0.13, 0.15 })
#define THUMB_H 56.0

static double
column_size (AtPdfTable *t,
             guint       i)
{
  return t->columns[i].mono ? t->size - 1.5 : t->size;
}

void
_at_pdf_table_header (AtPdfTable *t)
{
  AtPdf *pdf = t->pdf;
  AtPdfStyle style = { t->size, TRUE, TEXT, AT_ALIGN_LEFT, 1.3 };
  double lh = _at_pdf_line_height (&style);
  g_autoptr(GPtrArray) wrapped = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  guint n_lines = 1;
  double x = t->x, h;
  gboolean any_title = FALSE;

  for (guint i = 0; i < t->n_columns; i++)
    any_title |= t->columns[i].title != NULL;
  if (!any_title)
    return;
  for (guint i = 0; i < t->n_columns; i++)
    {
      GPtrArray *lines = _at_pdf_wrap (pdf, t->columns[i].title ? t->columns[i].title : "", t->size,
                                       t->columns[i].width - 2 * CELL_PAD);
      n_lines = MAX (n_lines, lines->len);
      g_ptr_array_add (wrapped, lines);
    }
  h = n_lines * lh + 2 * CELL_PAD;
  /* the header never ends a page alone */
  _at_pdf_need (pdf, h + MAX (t->min_row_height, lh * 2 + 2 * CELL_PAD));
  {
    double total = 0;
    for (guint i = 0; i < t->n_columns; i++)
      total += t->columns[i].width;
    _at_pdf_fill_rect (pdf->page, t->x, pdf->y - h, total, h, HEADER_FILL);
  }
  for (guint i = 0; i < t->n_columns; i++)
    {
      GPtrArray *lines = wrapped->pdata[i];
      for (guint l = 0; l < lines->len; l++)
        _at_pdf_show_box (pdf, pdf->page, x + CELL_PAD, pdf->y - CELL_PAD - l * lh,
                          t->columns[i].width - 2 * CELL_PAD, lines->pdata[l], &style);
      x += t->columns[i].width;
    }
  pdf->y -= h;
}

static void
draw_image (HPDF_Page   page,
            HPDF_Image  image,
            const char *placeholder,
            AtPdf      *pdf,
            double      x,
            double      top,
            double      w,
            double      h)
{
  if (image != NULL)
    {
      double iw = HPDF_Image_GetWidth (image), ih = HPDF_Image_GetHeight (image);
      double scale = MIN (w / iw, h / ih);
      double dw = iw * scale, dh = ih * scale;

      HPDF_Page_DrawImage (page, image, x + (w - dw) / 2, top - dh, dw, dh);
      _at_pdf_stroke_rect (page, x + (w - dw) / 2, top - dh, dw, dh, 0.4, RULE);
    }
  else if (placeholder != NULL)
    {
      AtPdfStyle style = { 6.5, FALSE, { 0.45, 0.47, 0.5 }, AT_ALIGN_CENTER, 1.25 };
      g_autoptr(GPtrArray) lines = _at_pdf_wrap (pdf, placeholder, style.size, w - 4);
      double lh = _at_pdf_line_height (&style);
      double th = lines->len * lh;

      _at_pdf_fill_rect (page, x, top - h, w, h, (AtRgb) { 0.93, 0.94, 0.95 });
      _at_pdf_stroke_rect (page, x, top - h, w, h, 0.4, RULE);
      for (guint i = 0; i < lines->len; i++)
        _at_pdf_show_box (pdf, page, x + 2, top - (h - th) / 2 - i * lh, w - 4, lines->pdata[i], &style);
    }
}

void
_at_pdf_table_row (AtPdfTable         *t,
                   const char * const *cells,
                   const AtRgb        *colors,
                   HPDF_Image          image,
                   const char         *image_placeholder)
{
  AtPdf *pdf = t->pdf;
  g_autoptr(GPtrArray) wrapped = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  guint start[AT_PDF_MAX_COLUMNS] = { 0 };
  gboolean has_image = image != NULL || image_placeholder != NULL;
  gboolean first = TRUE;
  double lh = t->size * 1.35;
  double total = 0;

  for (guint i = 0; i < t->n_columns; i++)
    {
      const char *text = cells[i] ? cells[i] : "";
      if (i == 0 && has_image)
        text = "";
      g_ptr_array_add (wrapped, _at_pdf_wrap (pdf, text, column_size (t, i), t->columns[i].width - 2 * CELL_PAD));
      total += t->columns[i].width;
    }

  for (;;)
    {
      guint remaining = 0;
      double need, avail, chunk_h;
      guint fit;

      for (guint i = 0; i < t->n_columns; i++)
        remaining = MAX (remaining, ((GPtrArray *) wrapped->pdata[i])->len - start[i]);
      need = remaining * lh + 2 * CELL_PAD;
      if (first)
        need = MAX (need, MAX (t->min_row_height, has_image ? THUMB_H + 2 * CELL_PAD : 0));
      avail = pdf->y - AT_PDF_MARGIN_BOTTOM;

      if (need <= avail)
        fit = remaining;
      else
        {
          fit = avail > 2 * CELL_PAD ? (guint) floor ((avail - 2 * CELL_PAD) / lh) : 0;
          /* a row starts on a new page rather than leave one line (or a cut image) behind */
          if (fit < 1 || (first && (fit < MIN (3u, remaining) || (has_image && avail < THUMB_H + 2 * CELL_PAD))))
            {
              if (pdf->y < AT_PDF_HEIGHT - AT_PDF_MARGIN_TOP - 1)
                {
                  _at_pdf_new_page (pdf);
                  _at_pdf_table_header (t);
                  continue;
                }
              fit = MAX (fit, 1);
            }
        }

      chunk_h = fit == remaining ? need : fit * lh + 2 * CELL_PAD;
      if (t->n_rows % 2 == 1)
        _at_pdf_fill_rect (pdf->page, t->x, pdf->y - chunk_h, total, chunk_h, ZEBRA_FILL);

      {
        double x = t->x;
        for (guint i = 0; i < t->n_columns; i++)
          {
            GPtrArray *lines = wrapped->pdata[i];
            AtPdfStyle style = { column_size (t, i), t->columns[i].bold, colors ? colors[i] : TEXT, AT_ALIGN_LEFT,
                                 1.35 * t->size / column_size (t, i) };

            if (colors && colors[i].r < 0)
              style.color = TEXT;
            if (t->columns[i].mono && !(colors && colors[i].r >= 0))
              style.color = (AtRgb) { 0.3, 0.32, 0.36 };
            for (guint l = 0; l < fit && start[i] + l < lines->len; l++)
              _at_pdf_show_box (pdf, pdf->page, x + CELL_PAD, pdf->y - CELL_PAD - l * lh,
                                t->columns[i].width - 2 * CELL_PAD, lines->pdata[start[i] + l], &style);
            start[i] = MIN (start[i] + fit, lines->len);
            if (i == 0 && first && has_image)
              draw_image (pdf->page, image, image_placeholder, pdf, x + CELL_PAD, pdf->y - CELL_PAD,
                          t->columns[0].width - 2 * CELL_PAD, THUMB_H);
            x += t->columns[i].width;
          }
      }
      pdf->y -= chunk_h;
      _at_pdf_hline (pdf->page, t->x, t->x + total, pdf->y, 0.3, RULE);
      first = FALSE;
      if (fit >= remaining)
        break;
      _at_pdf_new_page (pdf);
      _at_pdf_table_header (t);
    }
  t->n_rows++;
}
