/* at-pdf-reader.c — reading back the PDFs Attest writes
 *
 * Enough of PDF (ISO 32000-1, 7.2–7.5) to follow the cross-reference tables of every revision,
 * read objects, and find the signature fields, the document information and the attached
 * content. Cross-reference streams and object streams are not read: neither libharu nor our
 * incremental updates write them, and a report rewritten by another tool is refused with a
 * sentence rather than half understood. Everything is bounds-checked: the input is untrusted.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-error.h"
#include "at-pdf-private.h"

#define MAX_DEPTH 32
#define MAX_STREAM (64 * 1024 * 1024)

struct _AtPdfReader
{
  GBytes       *file;
  const guchar *data;
  gsize         len;
  GHashTable   *offsets;   /* object number → offset + 1, the newest revision's */
  AtPv         *trailer;   /* the newest trailer */
  gsize         last_xref;
  guint         size;
};

void
_at_pv_free (AtPv *pv)
{
  if (pv == NULL)
    return;
  g_clear_pointer (&pv->bytes, g_bytes_unref);
  g_clear_pointer (&pv->items, g_ptr_array_unref);
  g_free (pv);
}

static AtPv *
pv_new (AtPvKind kind,
        gsize    start)
{
  AtPv *pv = g_new0 (AtPv, 1);

  pv->kind = kind;
  pv->start = start;
  if (kind == AT_PV_ARRAY || kind == AT_PV_DICT)
    pv->items = g_ptr_array_new_with_free_func ((GDestroyNotify) _at_pv_free);
  return pv;
}

gboolean
_at_pv_is_name (AtPv       *pv,
                const char *name)
{
  gsize len;
  const char *data;

  if (pv == NULL || pv->kind != AT_PV_NAME)
    return FALSE;
  data = g_bytes_get_data (pv->bytes, &len);
  return len == strlen (name) && memcmp (data, name, len) == 0;
}

AtPv *
_at_pv_get (AtPv       *dict,
            const char *key)
{
  if (dict == NULL || dict->kind != AT_PV_DICT)
    return NULL;
  for (guint i = 0; i + 1 < dict->items->len; i += 2)
    if (_at_pv_is_name (dict->items->pdata[i], key))
      return dict->items->pdata[i + 1];
  return NULL;
}

/* A string's text as UTF-8: UTF-16BE with its byte order mark, or PDFDocEncoding (taken as
 * Latin-1, which it is for the characters Attest writes). */
char *
_at_pv_dup_text (AtPv *pv)
{
  gsize len;
  const guchar *data;

  if (pv == NULL || (pv->kind != AT_PV_STRING && pv->kind != AT_PV_NAME))
    return NULL;
  data = g_bytes_get_data (pv->bytes, &len);
  if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
    {
      g_autofree gunichar2 *units = g_new0 (gunichar2, len / 2);
      for (gsize i = 1; i < len / 2; i++)
        units[i - 1] = (data[2 * i] << 8) | data[2 * i + 1];
      return g_utf16_to_utf8 (units, len / 2 - 1, NULL, NULL, NULL);
    }
  return g_convert ((const char *) data, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Lexing                                                                                      */

static gboolean
is_white (guchar c)
{
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static gboolean
is_delim (guchar c)
{
  return strchr ("()<>[]{}/%", c) != NULL && c != 0;
}

static void
skip_white (AtPdfReader *r,
            gsize       *pos)
{
  while (*pos < r->len)
    {
      if (is_white (r->data[*pos]))
        (*pos)++;
      else if (r->data[*pos] == '%')
        {
          while (*pos < r->len && r->data[*pos] != '\n' && r->data[*pos] != '\r')
            (*pos)++;
        }
      else
        break;
    }
}

static gboolean
keyword_at (AtPdfReader *r,
            gsize        pos,
            const char  *word)
{
  gsize n = strlen (word);

  return pos + n <= r->len && memcmp (r->data + pos, word, n) == 0 &&
         (pos + n == r->len || is_white (r->data[pos + n]) || is_delim (r->data[pos + n]));
}

static gboolean
read_uint (AtPdfReader *r,
           gsize       *pos,
           guint64     *out)
{
  guint64 v = 0;
  gsize start = *pos;

  while (*pos < r->len && g_ascii_isdigit (r->data[*pos]) && *pos - start < 18)
    v = v * 10 + (r->data[(*pos)++] - '0');
  *out = v;
  return *pos > start;
}

static gboolean
fail (GError    **error,
      const char *what)
{
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the PDF is damaged or was not written by Attest (%s)"), what);
  return FALSE;
}

static AtPv *parse_value (AtPdfReader *r, gsize *pos, guint depth, GError **error);

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static AtPv *
parse_hex_string (AtPdfReader  *r,
                  gsize        *pos,
                  GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  AtPv *pv = pv_new (AT_PV_STRING, *pos);
  int high = -1;

  (*pos)++;
  while (*pos < r->len && r->data[*pos] != '>')
    {
      int v = hex_value (r->data[*pos]);
      if (v >= 0)
        {
          if (high < 0)
            high = v;
          else
            {
              guint8 b = high << 4 | v;
              g_byte_array_append (out, &b, 1);
              high = -1;
            }
        }
      else if (!is_white (r->data[*pos]))
        {
          _at_pv_free (pv);
          fail (error, _("a malformed hex string"));
          return NULL;
        }
      (*pos)++;
    }
  if (*pos >= r->len)
    {
      _at_pv_free (pv);
      fail (error, _("an unterminated hex string"));
      return NULL;
    }
  if (high >= 0)
    {
      guint8 b = high << 4;
      g_byte_array_append (out, &b, 1);
    }
  (*pos)++;
  pv->end = *pos;
  pv->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  return pv;
}

static AtPv *
parse_literal_string (AtPdfReader  *r,
                      gsize        *pos,
                      GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  AtPv *pv = pv_new (AT_PV_STRING, *pos);
  int nesting = 1;

  (*pos)++;
  while (*pos < r->len)
    {
      guchar c = r->data[(*pos)++];

      if (c == '(')
        nesting++;
      else if (c == ')' && --nesting == 0)
        break;
      else if (c == '\\' && *pos < r->len)
        {
          guchar e = r->data[(*pos)++];
          switch (e)
            {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '\r':
              if (*pos < r->len && r->data[*pos] == '\n')
                (*pos)++;
              continue;
            case '\n':
              continue;
            default:
              if (e >= '0' && e <= '7')
                {
                  int v = e - '0';
                  for (int k = 0; k < 2 && *pos < r->len && r->data[*pos] >= '0' && r->data[*pos] <= '7'; k++)
                    v = v * 8 + (r->data[(*pos)++] - '0');
                  c = v & 0xff;
                }
              else
                c = e;
            }
        }
      g_byte_array_append (out, &c, 1);
    }
  if (nesting != 0)
    {
      _at_pv_free (pv);
      fail (error, _("an unterminated string"));
      return NULL;
    }
  pv->end = *pos;
  pv->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  return pv;
}

static AtPv *
parse_name (AtPdfReader *r,
            gsize       *pos)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  AtPv *pv = pv_new (AT_PV_NAME, *pos);

  (*pos)++;
  while (*pos < r->len && !is_white (r->data[*pos]) && !is_delim (r->data[*pos]))
    {
      guchar c = r->data[(*pos)++];
      if (c == '#' && *pos + 1 < r->len && hex_value (r->data[*pos]) >= 0 && hex_value (r->data[*pos + 1]) >= 0)
        {
          c = hex_value (r->data[*pos]) << 4 | hex_value (r->data[*pos + 1]);
          *pos += 2;
        }
      g_byte_array_append (out, &c, 1);
    }
  pv->end = *pos;
  pv->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  return pv;
}

static AtPv *
parse_number_or_ref (AtPdfReader  *r,
                     gsize        *pos,
                     GError      **error)
{
  gsize start = *pos;
  gsize p = *pos;
  g_autofree char *text = NULL;
  gboolean is_int = TRUE;
  AtPv *pv;

  if (p < r->len && (r->data[p] == '+' || r->data[p] == '-'))
    p++;
  while (p < r->len && (g_ascii_isdigit (r->data[p]) || r->data[p] == '.'))
    {
      if (r->data[p] == '.')
        is_int = FALSE;
      p++;
    }
  if (p == start || p - start > 32)
    {
      fail (error, _("an unexpected token"));
      return NULL;
    }
  text = g_strndup ((const char *) r->data + start, p - start);
  *pos = p;

  /* "12 0 R" is a reference: look ahead for a second integer and the R */
  if (is_int && r->data[start] != '-' && r->data[start] != '+')
    {
      gsize q = p;
      guint64 gen;

      skip_white (r, &q);
      if (q < r->len && g_ascii_isdigit (r->data[q]) && read_uint (r, &q, &gen))
        {
          skip_white (r, &q);
          if (q < r->len && r->data[q] == 'R' && (q + 1 == r->len || is_white (r->data[q + 1]) || is_delim (r->data[q + 1])))
            {
              pv = pv_new (AT_PV_REF, start);
              pv->ref_num = (guint) g_ascii_strtoull (text, NULL, 10);
              pv->ref_gen = (guint) gen;
              *pos = q + 1;
              pv->end = *pos;
              return pv;
            }
        }
    }
  pv = pv_new (AT_PV_NUMBER, start);
  pv->number = g_ascii_strtod (text, NULL);
  pv->end = p;
  return pv;
}

static AtPv *
parse_container (AtPdfReader  *r,
                 gsize        *pos,
                 guint         depth,
                 gboolean      is_dict,
                 GError      **error)
{
  g_autoptr(AtPv) pv = pv_new (is_dict ? AT_PV_DICT : AT_PV_ARRAY, *pos);

  *pos += is_dict ? 2 : 1;
  for (;;)
    {
      AtPv *item;

      skip_white (r, pos);
      if (*pos >= r->len)
        return fail (error, _("an unterminated dictionary or array")), NULL;
      if (is_dict && *pos + 1 < r->len && r->data[*pos] == '>' && r->data[*pos + 1] == '>')
        {
          *pos += 2;
          break;
        }
      if (!is_dict && r->data[*pos] == ']')
        {
          (*pos)++;
          break;
        }
      if (is_dict && r->data[*pos] != '/')
        return fail (error, _("a dictionary key that is not a name")), NULL;
      item = parse_value (r, pos, depth + 1, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (pv->items, item);
      if (is_dict)
        {
          skip_white (r, pos);
          item = parse_value (r, pos, depth + 1, error);
          if (item == NULL)
            return NULL;
          g_ptr_array_add (pv->items, item);
        }
    }
  pv->end = *pos;
  return g_steal_pointer (&pv);
}

static AtPv *
parse_value (AtPdfReader  *r,
             gsize        *pos,
             guint         depth,
             GError      **error)
{
  AtPv *pv;

  skip_white (r, pos);
  if (*pos >= r->len)
    return fail (error, _("it ends in the middle of an object")), NULL;
  if (depth > MAX_DEPTH)
    return fail (error, _("objects nested too deep")), NULL;

  switch (r->data[*pos])
    {
    case '<':
      if (*pos + 1 < r->len && r->data[*pos + 1] == '<')
        return parse_container (r, pos, depth, TRUE, error);
      return parse_hex_string (r, pos, error);
    case '[':
      return parse_container (r, pos, depth, FALSE, error);
    case '(':
      return parse_literal_string (r, pos, error);
    case '/':
      return parse_name (r, pos);
    default:
      break;
    }
  if (keyword_at (r, *pos, "true") || keyword_at (r, *pos, "false"))
    {
      pv = pv_new (AT_PV_BOOL, *pos);
      pv->number = r->data[*pos] == 't';
      *pos += pv->number ? 4 : 5;
      pv->end = *pos;
      return pv;
    }
  if (keyword_at (r, *pos, "null"))
    {
      pv = pv_new (AT_PV_NULL, *pos);
      *pos += 4;
      pv->end = *pos;
      return pv;
    }
  return parse_number_or_ref (r, pos, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Cross-reference tables                                                                      */

static gboolean
read_xref_section (AtPdfReader  *r,
                   gsize         at,
                   AtPv        **trailer_out,
                   GError      **error)
{
  gsize pos = at;

  if (!keyword_at (r, pos, "xref"))
    return fail (error, _("its cross-reference table is missing or is a stream"));
  pos += 4;
  for (;;)
    {
      guint64 first, count;

      skip_white (r, &pos);
      if (keyword_at (r, pos, "trailer"))
        break;
      if (!read_uint (r, &pos, &first))
        return fail (error, _("a malformed cross-reference table"));
      skip_white (r, &pos);
      if (!read_uint (r, &pos, &count) || count > 10000000)
        return fail (error, _("a malformed cross-reference table"));
      for (guint64 i = 0; i < count; i++)
        {
          guint64 offset, gen;

          skip_white (r, &pos);
          if (!read_uint (r, &pos, &offset))
            return fail (error, _("a malformed cross-reference entry"));
          skip_white (r, &pos);
          if (!read_uint (r, &pos, &gen))
            return fail (error, _("a malformed cross-reference entry"));
          skip_white (r, &pos);
          if (pos >= r->len || (r->data[pos] != 'n' && r->data[pos] != 'f'))
            return fail (error, _("a malformed cross-reference entry"));
          /* newer sections are read first: they win */
          if (r->data[pos] == 'n' && offset < r->len &&
              !g_hash_table_contains (r->offsets, GUINT_TO_POINTER ((guint) (first + i))))
            g_hash_table_insert (r->offsets, GUINT_TO_POINTER ((guint) (first + i)), GSIZE_TO_POINTER (offset + 1));
          pos++;
        }
    }
  pos += strlen ("trailer");
  skip_white (r, &pos);
  *trailer_out = parse_value (r, &pos, 0, error);
  if (*trailer_out == NULL)
    return FALSE;
  if ((*trailer_out)->kind != AT_PV_DICT)
    return fail (error, _("a trailer that is not a dictionary"));
  return TRUE;
}

AtPdfReader *
_at_pdf_reader_new (GBytes  *file,
                    GError **error)
{
  g_autoptr(AtPdfReader) r = g_new0 (AtPdfReader, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  gssize sx = -1;
  guint64 at;
  gsize pos;
  guint sections = 0;

  r->file = g_bytes_ref (file);
  r->data = g_bytes_get_data (file, &r->len);
  r->offsets = g_hash_table_new (NULL, NULL);

  if (r->len < 32 || memcmp (r->data, "%PDF-", 5) != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("this is not a PDF file"));
      return NULL;
    }
  for (gsize i = r->len - 9; i + 1024 > r->len && i > 0; i--)
    if (memcmp (r->data + i, "startxref", 9) == 0)
      {
        sx = i;
        break;
      }
  if (sx < 0)
    return fail (error, _("no startxref at its end")), NULL;
  pos = sx + 9;
  skip_white (r, &pos);
  if (!read_uint (r, &pos, &at) || at >= r->len)
    return fail (error, _("a startxref that points nowhere")), NULL;
  r->last_xref = at;

  while (TRUE)
    {
      g_autoptr(AtPv) trailer = NULL;
      AtPv *prev, *size;

      if (g_hash_table_contains (seen, GSIZE_TO_POINTER (at)) || ++sections > 1000)
        return fail (error, _("cross-reference sections that loop")), NULL;
      g_hash_table_add (seen, GSIZE_TO_POINTER (at));
      if (!read_xref_section (r, at, &trailer, error))
        return NULL;
      size = _at_pv_get (trailer, "Size");
      if (r->trailer == NULL && size && size->kind == AT_PV_NUMBER)
        r->size = (guint) size->number;
      prev = _at_pv_get (trailer, "Prev");
      if (r->trailer == NULL)
        r->trailer = g_steal_pointer (&trailer);
      if (prev == NULL)
        break;
      if (prev->kind != AT_PV_NUMBER || prev->number < 0 || prev->number >= r->len)
        return fail (error, _("a /Prev that points nowhere")), NULL;
      at = (gsize) prev->number;
    }
  if (_at_pv_get (r->trailer, "Root") == NULL)
    return fail (error, _("no document catalog")), NULL;
  return g_steal_pointer (&r);
}

void
_at_pdf_reader_free (AtPdfReader *r)
{
  if (r == NULL)
    return;
  g_bytes_unref (r->file);
  g_clear_pointer (&r->offsets, g_hash_table_unref);
  _at_pv_free (r->trailer);
  g_free (r);
}

const guchar *
_at_pdf_reader_data (AtPdfReader *r,
                     gsize       *len)
{
  *len = r->len;
  return r->data;
}

AtPv  *_at_pdf_reader_trailer (AtPdfReader *r) { return r->trailer; }
gsize  _at_pdf_reader_last_xref (AtPdfReader *r) { return r->last_xref; }
guint  _at_pdf_reader_size (AtPdfReader *r) { return r->size; }

AtPv *
_at_pdf_reader_object (AtPdfReader  *r,
                       guint         num,
                       GError      **error)
{
  gsize offset = GPOINTER_TO_SIZE (g_hash_table_lookup (r->offsets, GUINT_TO_POINTER (num)));
  gsize pos;
  guint64 n, gen;
  AtPv *pv;

  if (offset == 0)
    return fail (error, _("a reference to a missing object")), NULL;
  pos = offset - 1;
  if (!read_uint (r, &pos, &n) || n != num)
    return fail (error, _("a cross-reference entry that points to the wrong place")), NULL;
  skip_white (r, &pos);
  if (!read_uint (r, &pos, &gen))
    return fail (error, _("a malformed object header")), NULL;
  skip_white (r, &pos);
  if (!keyword_at (r, pos, "obj"))
    return fail (error, _("a malformed object header")), NULL;
  pos += 3;
  pv = parse_value (r, &pos, 0, error);
  if (pv == NULL)
    return NULL;
  if (pv->kind == AT_PV_DICT)
    {
      skip_white (r, &pos);
      if (keyword_at (r, pos, "stream"))
        {
          pos += 6;
          if (pos < r->len && r->data[pos] == '\r')
            pos++;
          if (pos < r->len && r->data[pos] == '\n')
            pos++;
          pv->has_stream = TRUE;
          pv->stream_at = pos;
        }
    }
  return pv;
}

/* A copy of value, or of the object it refers to. */
static AtPv *
pv_copy_shallow_ref (AtPv *value)
{
  AtPv *copy = g_new0 (AtPv, 1);

  copy->kind = value->kind;
  copy->start = value->start;
  copy->number = value->number;
  copy->ref_num = value->ref_num;
  copy->ref_gen = value->ref_gen;
  copy->end = value->end;
  copy->bytes = value->bytes ? g_bytes_ref (value->bytes) : NULL;
  copy->items = value->items ? g_ptr_array_ref (value->items) : NULL;
  copy->has_stream = value->has_stream;
  copy->stream_at = value->stream_at;
  return copy;
}

AtPv *
_at_pdf_reader_resolve (AtPdfReader  *r,
                        AtPv         *value,
                        GError      **error)
{
  if (value == NULL)
    return fail (error, _("a missing entry")), NULL;
  if (value->kind == AT_PV_REF)
    return _at_pdf_reader_object (r, value->ref_num, error);
  return pv_copy_shallow_ref (value);
}

GBytes *
_at_pdf_reader_stream (AtPdfReader  *r,
                       AtPv         *dict,
                       GError      **error)
{
  g_autoptr(AtPv) length = NULL;
  AtPv *filter;
  gsize n;

  if (dict == NULL || !dict->has_stream)
    return fail (error, _("a stream is missing")), NULL;
  length = _at_pdf_reader_resolve (r, _at_pv_get (dict, "Length"), error);
  if (length == NULL)
    return NULL;
  if (length->kind != AT_PV_NUMBER || length->number < 0 || dict->stream_at + (gsize) length->number > r->len)
    return fail (error, _("a stream longer than the file")), NULL;
  n = (gsize) length->number;

  filter = _at_pv_get (dict, "Filter");
  if (filter != NULL && filter->kind == AT_PV_ARRAY)
    filter = filter->items->len == 1 ? filter->items->pdata[0] : (filter->items->len == 0 ? NULL : filter);
  if (filter == NULL)
    return g_bytes_new (r->data + dict->stream_at, n);
  if (!_at_pv_is_name (filter, "FlateDecode"))
    return fail (error, _("a stream filter other than FlateDecode")), NULL;

  {
    g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
    g_autoptr(GByteArray) out = g_byte_array_new ();
    const guchar *in = r->data + dict->stream_at;
    gsize in_left = n;
    guchar buf[16384];

    for (;;)
      {
        gsize read = 0, written = 0;
        g_autoptr(GError) local = NULL;
        GConverterResult res = g_converter_convert (G_CONVERTER (z), in, in_left, buf, sizeof buf,
                                                    G_CONVERTER_INPUT_AT_END, &read, &written, &local);
        if (res == G_CONVERTER_ERROR)
          return fail (error, _("a stream that does not decompress")), NULL;
        in += read;
        in_left -= read;
        g_byte_array_append (out, buf, written);
        if (out->len > MAX_STREAM)
          return fail (error, _("a stream too large")), NULL;
        if (res == G_CONVERTER_FINISHED || (read == 0 && written == 0))
          break;
      }
    return g_byte_array_free_to_bytes (g_steal_pointer (&out));
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Signature fields                                                                            */

void
_at_pdf_sig_info_free (AtPdfSigInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_clear_pointer (&info->cms, g_bytes_unref);
  g_free (info->signed_at);
  g_free (info);
}

/* The DER length of the CMS at the start of the zero-padded /Contents. */
static gsize
der_length (const guchar *data,
            gsize         len)
{
  gsize n, total;

  if (len < 2 || data[0] != 0x30)
    return 0;
  if (data[1] < 0x80)
    total = 2 + data[1];
  else
    {
      n = data[1] & 0x7f;
      if (n == 0 || n > 4 || len < 2 + n)
        return 0;
      total = 0;
      for (gsize i = 0; i < n; i++)
        total = total << 8 | data[2 + i];
      total += 2 + n;
    }
  return total <= len ? total : 0;
}

static gboolean
read_sig (AtPdfReader   *r,
          AtPdfSigInfo  *info,
          AtPv          *value,
          GError       **error)
{
  g_autoptr(AtPv) sig = _at_pdf_reader_resolve (r, value, error);
  AtPv *range, *contents, *m;
  gsize len, der;
  const guchar *data;

  if (sig == NULL)
    return FALSE;
  range = _at_pv_get (sig, "ByteRange");
  contents = _at_pv_get (sig, "Contents");
  if (range == NULL || range->kind != AT_PV_ARRAY || range->items->len != 4 ||
      contents == NULL || contents->kind != AT_PV_STRING)
    return fail (error, _("a signature without its byte range or contents"));
  for (guint i = 0; i < 4; i++)
    {
      AtPv *n = range->items->pdata[i];
      if (n->kind != AT_PV_NUMBER || n->number < 0 || n->number > r->len)
        return fail (error, _("a signature byte range outside the file"));
      info->range[i] = (gsize) n->number;
    }
  info->contents_start = contents->start;
  info->contents_end = contents->end;
  data = g_bytes_get_data (contents->bytes, &len);
  der = der_length (data, len);
  info->cms = g_bytes_new (data, der ? der : len);
  /* No signature covers its own /Contents: the padding after the CMS is the one place a byte
   * could change unseen, so it must be what signing wrote — zeros, as plain hex digits. */
  info->padding_clean = der > 0 && contents->end >= contents->start + 2 && contents->end <= r->len &&
                        r->data[contents->start] == '<' && r->data[contents->end - 1] == '>';
  for (gsize i = der; info->padding_clean && i < len; i++)
    info->padding_clean = data[i] == 0;
  for (gsize i = contents->start + 1; info->padding_clean && i + 1 < contents->end; i++)
    info->padding_clean = g_ascii_isxdigit (r->data[i]);
  m = _at_pv_get (sig, "M");
  info->signed_at = m ? _at_pv_dup_text (m) : NULL;
  info->is_signed = TRUE;
  return TRUE;
}

static gboolean
collect_fields (AtPdfReader  *r,
                AtPv         *list,
                GPtrArray    *out,
                guint         depth,
                GError      **error)
{
  if (list == NULL || list->kind != AT_PV_ARRAY || depth > 8)
    return TRUE;
  for (guint i = 0; i < list->items->len; i++)
    {
      AtPv *item = list->items->pdata[i];
      g_autoptr(AtPv) field = _at_pdf_reader_resolve (r, item, error);
      AtPv *kids, *v;

      if (field == NULL)
        return FALSE;
      kids = _at_pv_get (field, "Kids");
      if (kids != NULL)
        {
          g_autoptr(AtPv) resolved = _at_pdf_reader_resolve (r, kids, error);
          if (resolved == NULL || !collect_fields (r, resolved, out, depth + 1, error))
            return FALSE;
        }
      if (!_at_pv_is_name (_at_pv_get (field, "FT"), "Sig"))
        continue;
      {
        AtPdfSigInfo *info = g_new0 (AtPdfSigInfo, 1);

        g_ptr_array_add (out, info);
        info->name = _at_pv_dup_text (_at_pv_get (field, "T"));
        info->field_num = item->kind == AT_PV_REF ? item->ref_num : 0;
        v = _at_pv_get (field, "V");
        if (v != NULL && v->kind != AT_PV_NULL && !read_sig (r, info, v, error))
          return FALSE;
      }
    }
  return TRUE;
}

/* Every signature field of the document, signed or not (AtPdfSigInfo), in the form's order. */
GPtrArray *
_at_pdf_reader_fields (AtPdfReader  *r,
                       GError      **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) _at_pdf_sig_info_free);
  g_autoptr(AtPv) catalog = _at_pdf_reader_resolve (r, _at_pv_get (r->trailer, "Root"), error);
  g_autoptr(AtPv) form = NULL;
  g_autoptr(AtPv) fields = NULL;

  if (catalog == NULL)
    return NULL;
  if (_at_pv_get (catalog, "AcroForm") == NULL)
    return g_steal_pointer (&out);
  form = _at_pdf_reader_resolve (r, _at_pv_get (catalog, "AcroForm"), error);
  if (form == NULL)
    return NULL;
  if (_at_pv_get (form, "Fields") == NULL)
    return g_steal_pointer (&out);
  fields = _at_pdf_reader_resolve (r, _at_pv_get (form, "Fields"), error);
  if (fields == NULL || !collect_fields (r, fields, out, 0, error))
    return NULL;
  return g_steal_pointer (&out);
}
