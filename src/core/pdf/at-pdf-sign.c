/* at-pdf-sign.c — PDF signatures: fields, the signed first revision, signed incremental updates
 *
 * libharu cannot sign, but its object layer lets us add a signature dictionary before saving:
 * /ByteRange is written as a fixed-width placeholder and /Contents as AT_PDF_SIG_BYTES zero
 * bytes (hex). After saving, the ByteRange is patched in place and a detached CMS (SHA-256)
 * over everything but /Contents is hex-written into it. A later signature is an incremental
 * update (PDF 1.7, 7.5.6): the signed field's new dictionary, its signature dictionary and its
 * appearance are appended with an xref section that points back with /Prev, then signed the
 * same way over the whole file.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <string.h>

#include "at-error.h"
#include "at-pdf-private.h"

#define BYTERANGE_PLACEHOLDER "/ByteRange [ 0 2147483647 2147483647 2147483647 ]"

void
_at_pdf_add_sig_field (AtPdf      *pdf,
                       HPDF_Page   page,
                       double      x,
                       double      y,
                       double      w,
                       double      h,
                       const char *name,
                       const char *awaiting)
{
  AtPdfSigField *field = g_new0 (AtPdfSigField, 1);

  field->name = g_strdup (name);
  field->page = page;
  field->x = x;
  field->y = y;
  field->w = w;
  field->h = h;
  field->awaiting = g_strdup (awaiting);
  g_ptr_array_add (pdf->sig_fields, field);
  /* the appearance of a later revision uses these glyphs; see _at_pdf_mark_glyphs */
  _at_pdf_mark_glyphs (pdf, "0123456789-:+. UTC");
}

char *
_at_pdf_date (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "D:%Y%m%d%H%M%S+00'00'");
}

static void
append_utf16_hex (GString    *out,
                  const char *text)
{
  g_autofree char *clean = _at_pdf_clean_text (text);

  g_string_append (out, "<FEFF");
  for (const char *p = clean; *p; p = g_utf8_next_char (p))
    g_string_append_printf (out, "%04X", (guint) g_utf8_get_char (p));
  g_string_append_c (out, '>');
}

/* Rough advance of a character in 1/1000 em, erring wide: an appearance stream written in a
 * later revision has no font metrics at hand, and the BBox clips whatever still overflows. */
static double
estimate_width (const char *text)
{
  double w = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    w += g_unichar_iswide (g_utf8_get_char (p)) ? 1000 : 620;
  return w;
}

/* The widget's look: an opaque card (it covers whatever the page shows beneath), a check mark
 * when signed, and up to three lines. The font is /F0, the report's CID font, whose codes are
 * Unicode (libharu's UTF-8 encoder writes Identity-H with a CIDToGIDMap). */
GString *
_at_pdf_appearance (double              w,
                    double              h,
                    const char * const *lines)
{
  GString *s = g_string_new (NULL);
  gboolean is_signed = lines && lines[0] && lines[1];
  double tx = is_signed ? 30 : 6;
  double size[3] = { 8.5, 8.5, 7.5 };
  guint n = 0;

  while (lines && lines[n] && n < 3)
    n++;
  g_string_append_printf (s, "q 1 1 1 rg 0 0 %.2f %.2f re f\n", w, h);
  if (is_signed)
    {
      g_string_append_printf (s, "0.13 0.47 0.27 RG 0.8 w 0.4 0.4 %.2f %.2f re S\n", w - 0.8, h - 0.8);
      g_string_append_printf (s, "0.13 0.47 0.27 RG 2.4 w 1 J 1 j 8 %.2f m 13 %.2f l 22 %.2f l S\n",
                              h / 2, h / 2 - 6, h / 2 + 8);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *clean = _at_pdf_clean_text (lines[i]);
      double sz = size[i];
      double est = estimate_width (clean) * sz / 1000.0;
      double line_y = h / 2 + (n - 1) * 5.5 - i * 11 - 3;

      if (est > w - tx - 4)
        sz = MAX (4.5, sz * (w - tx - 4) / est);
      if (i == 0 && is_signed)
        g_string_append (s, "0.13 0.47 0.27 rg\n");
      else
        g_string_append (s, is_signed ? "0.12 0.13 0.15 rg\n" : "0.55 0.57 0.6 rg\n");
      g_string_append_printf (s, "BT /F0 %.2f Tf %.2f %.2f Td <", sz, tx, line_y);
      for (const char *p = clean; *p; p = g_utf8_next_char (p))
        g_string_append_printf (s, "%04X", (guint) g_utf8_get_char (p));
      g_string_append (s, "> Tj ET\n");
    }
  g_string_append (s, "Q\n");
  return s;
}

static HPDF_Dict
make_appearance (AtPdf              *pdf,
                 double              w,
                 double              h,
                 const char * const *lines)
{
  HPDF_MMgr mmgr = pdf->doc->mmgr;
  HPDF_Dict xobj = HPDF_DictStream_New (mmgr, pdf->doc->xref);
  HPDF_Dict res = HPDF_Dict_New (mmgr);
  HPDF_Dict fonts = HPDF_Dict_New (mmgr);
  HPDF_Box box = { 0, 0, w, h };
  g_autoptr(GString) content = _at_pdf_appearance (w, h, lines);

  for (guint i = 0; lines && lines[i]; i++)
    _at_pdf_mark_glyphs (pdf, lines[i]);
  HPDF_Dict_AddName (xobj, "Type", "XObject");
  HPDF_Dict_AddName (xobj, "Subtype", "Form");
  HPDF_Dict_Add (xobj, "BBox", HPDF_Box_Array_New (mmgr, box));
  HPDF_Dict_Add (fonts, "F0", pdf->font);
  HPDF_Dict_Add (res, "Font", fonts);
  HPDF_Dict_Add (xobj, "Resources", res);
  HPDF_Stream_Write (xobj->stream, (const HPDF_BYTE *) content->str, content->len);
  return xobj;
}

static HPDF_String
utf8_string (AtPdf      *pdf,
             const char *text)
{
  g_autofree char *clean = _at_pdf_clean_text (text);

  return HPDF_String_New (pdf->doc->mmgr, clean, HPDF_GetEncoder (pdf->doc, "UTF-8"));
}

void
_at_pdf_prepare_sig (AtPdf              *pdf,
                     const char         *field,
                     AtSigner           *signer,
                     const char         *reason,
                     const char * const *appearance_lines)
{
  g_free (pdf->sign_field);
  pdf->sign_field = g_strdup (field);
  g_free (pdf->sign_name);
  pdf->sign_name = g_strdup (at_identity_get_name (at_signer_get_identity (signer)));
  g_free (pdf->sign_reason);
  pdf->sign_reason = g_strdup (reason);
  g_strfreev (pdf->sign_lines);
  pdf->sign_lines = g_strdupv ((char **) appearance_lines);
  g_clear_pointer (&pdf->sign_time, g_date_time_unref);
  pdf->sign_time = g_date_time_new_now_utc ();
}

static HPDF_Dict
make_sig_dict (AtPdf *pdf)
{
  HPDF_MMgr mmgr = pdf->doc->mmgr;
  HPDF_Dict sig = HPDF_Dict_New (mmgr);
  HPDF_Array range = HPDF_Array_New (mmgr);
  g_autofree guchar *zeros = g_malloc0 (AT_PDF_SIG_BYTES);
  g_autofree char *date = _at_pdf_date (pdf->sign_time);

  HPDF_Xref_Add (pdf->doc->xref, sig);
  HPDF_Dict_AddName (sig, "Type", "Sig");
  HPDF_Dict_AddName (sig, "Filter", "Adobe.PPKLite");
  HPDF_Dict_AddName (sig, "SubFilter", "adbe.pkcs7.detached");
  /* the widest values the ByteRange can take, patched to the real ones after saving */
  HPDF_Array_Add (range, HPDF_Number_New (mmgr, 0));
  for (int i = 0; i < 3; i++)
    HPDF_Array_Add (range, HPDF_Number_New (mmgr, G_MAXINT32));
  HPDF_Dict_Add (sig, "ByteRange", range);
  HPDF_Dict_Add (sig, "Contents", HPDF_Binary_New (mmgr, zeros, AT_PDF_SIG_BYTES));
  HPDF_Dict_Add (sig, "M", HPDF_String_New (mmgr, date, NULL));
  HPDF_Dict_Add (sig, "Name", utf8_string (pdf, pdf->sign_name));
  HPDF_Dict_Add (sig, "Reason", utf8_string (pdf, pdf->sign_reason));
  return sig;
}

/* The AcroForm with every signature field; the one signed now gets its /V. */
static void
write_fields (AtPdf *pdf)
{
  HPDF_MMgr mmgr = pdf->doc->mmgr;
  HPDF_Dict form = HPDF_Dict_New (mmgr);
  HPDF_Dict dr = HPDF_Dict_New (mmgr);
  HPDF_Dict dr_fonts = HPDF_Dict_New (mmgr);
  HPDF_Array fields = HPDF_Array_New (mmgr);

  for (guint i = 0; i < pdf->sig_fields->len; i++)
    {
      AtPdfSigField *f = pdf->sig_fields->pdata[i];
      HPDF_Dict widget = HPDF_Dict_New (mmgr);
      HPDF_Dict ap = HPDF_Dict_New (mmgr);
      HPDF_Box rect = { f->x, f->y, f->x + f->w, f->y + f->h };
      HPDF_Array annots;
      gboolean sign_now = g_strcmp0 (pdf->sign_field, f->name) == 0;
      const char *awaiting[] = { f->awaiting, NULL };

      HPDF_Xref_Add (pdf->doc->xref, widget);
      HPDF_Dict_AddName (widget, "Type", "Annot");
      HPDF_Dict_AddName (widget, "Subtype", "Widget");
      HPDF_Dict_AddName (widget, "FT", "Sig");
      HPDF_Dict_Add (widget, "T", HPDF_String_New (mmgr, f->name, NULL));
      HPDF_Dict_Add (widget, "Rect", HPDF_Box_Array_New (mmgr, rect));
      HPDF_Dict_AddNumber (widget, "F", 132);  /* print, locked */
      HPDF_Dict_Add (widget, "P", f->page);
      HPDF_Dict_Add (ap, "N", make_appearance (pdf, f->w, f->h,
                                               sign_now ? (const char * const *) pdf->sign_lines : awaiting));
      HPDF_Dict_Add (widget, "AP", ap);
      if (sign_now)
        HPDF_Dict_Add (widget, "V", make_sig_dict (pdf));

      annots = HPDF_Dict_GetItem (f->page, "Annots", HPDF_OCLASS_ARRAY);
      if (annots == NULL)
        {
          annots = HPDF_Array_New (mmgr);
          HPDF_Dict_Add (f->page, "Annots", annots);
        }
      HPDF_Array_Add (annots, widget);
      HPDF_Array_Add (fields, widget);
    }

  HPDF_Dict_Add (form, "Fields", fields);
  HPDF_Dict_AddNumber (form, "SigFlags", 3);  /* signatures exist; append only */
  /* a later revision writes its appearance with this font */
  HPDF_Dict_Add (dr_fonts, "F0", pdf->font);
  HPDF_Dict_Add (dr, "Font", dr_fonts);
  HPDF_Dict_Add (form, "DR", dr);
  HPDF_Dict_Add (pdf->doc->catalog, "AcroForm", form);
}

static gssize
find_bytes (const guchar *data,
            gsize         len,
            gsize         from,
            const char   *needle,
            gsize         needle_len)
{
  if (needle_len == 0 || len < needle_len)
    return -1;
  for (gsize i = from; i + needle_len <= len; i++)
    if (data[i] == (guchar) needle[0] && memcmp (data + i, needle, needle_len) == 0)
      return i;
  return -1;
}

/* Patches the ByteRange (everything but /Contents' hex string, [contents_at, contents_end)),
 * signs those two ranges and writes the CMS into /Contents. */
gboolean
_at_pdf_sign_bytes (GByteArray  *file,
                    gsize        contents_at,
                    gsize        contents_end,
                    gsize        byterange_at,
                    gsize        byterange_len,
                    AtSigner    *signer,
                    GError     **error)
{
  g_autofree char *range = g_strdup_printf ("/ByteRange [0 %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT "]",
                                            contents_at, contents_end, file->len - contents_end);
  g_autoptr(GBytes) cms = NULL;
  const guchar *der;
  gsize der_len;
  gsize range_len = strlen (range);

  if (range_len > byterange_len)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("the report is too large to sign"));
      return FALSE;
    }
  memcpy (file->data + byterange_at, range, range_len);
  memset (file->data + byterange_at + range_len, ' ', byterange_len - range_len);

  cms = at_signer_sign_ranges (signer, file->data, contents_at, file->data + contents_end,
                               file->len - contents_end, error);
  if (cms == NULL)
    return FALSE;
  der = g_bytes_get_data (cms, &der_len);
  if (der_len * 2 > contents_end - contents_at - 2)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("the signature (%zu bytes) does not fit in the report"), (size_t) der_len);
      return FALSE;
    }
  for (gsize i = 0; i < der_len; i++)
    {
      static const char hex[] = "0123456789ABCDEF";
      file->data[contents_at + 1 + 2 * i] = hex[der[i] >> 4];
      file->data[contents_at + 2 + 2 * i] = hex[der[i] & 15];
    }
  return TRUE;
}

GBytes *
_at_pdf_save_signed (AtPdf     *pdf,
                     AtSigner  *signer,
                     GError   **error)
{
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GByteArray) file = NULL;
  g_autofree char *zeros = NULL;
  gssize range_at, contents_at;

  write_fields (pdf);
  saved = _at_pdf_save (pdf, error);
  if (saved == NULL)
    return NULL;
  if (pdf->sign_field == NULL || signer == NULL)
    return g_steal_pointer (&saved);

  file = g_bytes_unref_to_array (g_steal_pointer (&saved));
  range_at = find_bytes (file->data, file->len, 0, BYTERANGE_PLACEHOLDER, strlen (BYTERANGE_PLACEHOLDER));
  zeros = g_malloc (2 * AT_PDF_SIG_BYTES + 3);
  zeros[0] = '<';
  memset (zeros + 1, '0', 2 * AT_PDF_SIG_BYTES);
  zeros[2 * AT_PDF_SIG_BYTES + 1] = '>';
  zeros[2 * AT_PDF_SIG_BYTES + 2] = '\0';
  contents_at = find_bytes (file->data, file->len, 0, zeros, 2 * AT_PDF_SIG_BYTES + 2);
  if (range_at < 0 || contents_at < 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("the signature placeholder is missing from the written PDF"));
      return NULL;
    }
  if (!_at_pdf_sign_bytes (file, contents_at, contents_at + 2 * AT_PDF_SIG_BYTES + 2,
                           range_at, strlen (BYTERANGE_PLACEHOLDER), signer, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&file));
}

/* ------------------------------------------------------------------------------------------ */
/* A later signature: an incremental update                                                    */

static void
append_raw (GString     *out,
            AtPdfReader *reader,
            AtPv        *value)
{
  gsize len;
  const guchar *data = _at_pdf_reader_data (reader, &len);

  g_string_append_len (out, (const char *) data + value->start, value->end - value->start);
}

/* Appends a signature for the field named field_name (which must exist, unsigned) to the PDF
 * in file and returns the new file. */
GBytes *
_at_pdf_append_signature (GBytes              *file,
                          const char          *field_name,
                          AtSigner            *signer,
                          const char          *reason,
                          const char * const  *appearance_lines,
                          GError             **error)
{
  g_autoptr(AtPdfReader) reader = _at_pdf_reader_new (file, error);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(AtPv) field = NULL;
  g_autoptr(AtPv) catalog = NULL;
  g_autoptr(AtPv) form = NULL;
  g_autoptr(AtPv) dr = NULL;
  g_autoptr(AtPv) dr_fonts = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GString) out = NULL;
  g_autoptr(GString) ap = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *date = _at_pdf_date (now);
  AtPdfSigInfo *target = NULL;
  AtPv *trailer, *rect, *font_ref, *root, *info;
  guint field_num, sig_num, ap_num, size;
  gsize field_at, sig_at, ap_at, xref_at, range_at, contents_at, old_len;
  double w, h;

  if (reader == NULL)
    return NULL;
  fields = _at_pdf_reader_fields (reader, error);
  if (fields == NULL)
    return NULL;
  for (guint i = 0; i < fields->len; i++)
    if (g_strcmp0 (((AtPdfSigInfo *) fields->pdata[i])->name, field_name) == 0)
      target = fields->pdata[i];
  if (target == NULL || target->is_signed)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("the report has no unsigned “%s” signature field"), field_name);
      return NULL;
    }

  field_num = target->field_num;
  field = _at_pdf_reader_object (reader, field_num, error);
  if (field == NULL)
    return NULL;
  rect = _at_pv_get (field, "Rect");
  if (rect == NULL || rect->kind != AT_PV_ARRAY || rect->items->len != 4)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the “%s” signature field has no rectangle"), field_name);
      return NULL;
    }
  w = ((AtPv *) rect->items->pdata[2])->number - ((AtPv *) rect->items->pdata[0])->number;
  h = ((AtPv *) rect->items->pdata[3])->number - ((AtPv *) rect->items->pdata[1])->number;

  trailer = _at_pdf_reader_trailer (reader);
  root = _at_pv_get (trailer, "Root");
  info = _at_pv_get (trailer, "Info");
  catalog = root ? _at_pdf_reader_resolve (reader, root, error) : NULL;
  form = catalog && _at_pv_get (catalog, "AcroForm") ? _at_pdf_reader_resolve (reader, _at_pv_get (catalog, "AcroForm"), error) : NULL;
  dr = form && _at_pv_get (form, "DR") ? _at_pdf_reader_resolve (reader, _at_pv_get (form, "DR"), error) : NULL;
  dr_fonts = dr && _at_pv_get (dr, "Font") ? _at_pdf_reader_resolve (reader, _at_pv_get (dr, "Font"), error) : NULL;
  font_ref = dr_fonts ? _at_pv_get (dr_fonts, "F0") : NULL;
  if (font_ref == NULL || font_ref->kind != AT_PV_REF)
    {
      g_clear_error (error);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("this PDF was not written by Attest: its form has no signature font"));
      return NULL;
    }

  size = _at_pdf_reader_size (reader);
  sig_num = size;
  ap_num = size + 1;
  {
    gsize len;
    const guchar *data = _at_pdf_reader_data (reader, &len);
    old_len = len;
    out = g_string_new_len ((const char *) data, len);
  }
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');

  /* the field, as it was, with its value and new appearance */
  field_at = out->len;
  g_string_append_printf (out, "%u 0 obj\n<<", field_num);
  for (guint i = 0; i + 1 < field->items->len; i += 2)
    {
      AtPv *key = field->items->pdata[i];
      if (_at_pv_is_name (key, "V") || _at_pv_is_name (key, "AP"))
        continue;
      g_string_append_c (out, '\n');
      append_raw (out, reader, key);
      g_string_append_c (out, ' ');
      append_raw (out, reader, field->items->pdata[i + 1]);
    }
  g_string_append_printf (out, "\n/V %u 0 R\n/AP << /N %u 0 R >>\n>>\nendobj\n", sig_num, ap_num);

  sig_at = out->len;
  g_string_append_printf (out, "%u 0 obj\n<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /adbe.pkcs7.detached\n", sig_num);
  range_at = out->len;
  g_string_append (out, BYTERANGE_PLACEHOLDER "\n/Contents ");
  contents_at = out->len;
  g_string_append_c (out, '<');
  for (guint i = 0; i < 2 * AT_PDF_SIG_BYTES; i++)
    g_string_append_c (out, '0');
  g_string_append_printf (out, ">\n/M (%s)\n/Name ", date);
  append_utf16_hex (out, at_identity_get_name (at_signer_get_identity (signer)));
  g_string_append (out, "\n/Reason ");
  append_utf16_hex (out, reason);
  g_string_append (out, "\n>>\nendobj\n");

  ap = _at_pdf_appearance (w, h, appearance_lines);
  ap_at = out->len;
  g_string_append_printf (out, "%u 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] "
                               "/Resources << /Font << /F0 %u %u R >> >> /Length %" G_GSIZE_FORMAT " >>\nstream\n",
                          ap_num, w, h, font_ref->ref_num, font_ref->ref_gen, ap->len);
  g_string_append_len (out, ap->str, ap->len);
  g_string_append (out, "\nendstream\nendobj\n");

  xref_at = out->len;
  g_string_append_printf (out, "xref\n0 1\n0000000000 65535 f\r\n%u 1\n%010" G_GSIZE_FORMAT " 00000 n\r\n"
                               "%u 2\n%010" G_GSIZE_FORMAT " 00000 n\r\n%010" G_GSIZE_FORMAT " 00000 n\r\n",
                          field_num, field_at, sig_num, sig_at, ap_at);
  g_string_append_printf (out, "trailer\n<<\n/Size %u\n/Root ", size + 2);
  append_raw (out, reader, root);
  if (info != NULL)
    {
      g_string_append (out, "\n/Info ");
      append_raw (out, reader, info);
    }
  g_string_append_printf (out, "\n/Prev %" G_GSIZE_FORMAT "\n>>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          _at_pdf_reader_last_xref (reader), xref_at);
  g_assert (out->len > old_len);

  {
    gsize total = out->len;
    bytes = g_byte_array_new_take ((guint8 *) g_string_free (g_steal_pointer (&out), FALSE), total);
  }
  if (!_at_pdf_sign_bytes (bytes, contents_at, contents_at + 2 * AT_PDF_SIG_BYTES + 2,
                           range_at, strlen (BYTERANGE_PLACEHOLDER), signer, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
