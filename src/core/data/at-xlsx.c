/* at-xlsx.c — the first sheet of an XLSX workbook as an AtTable
 *
 * An XLSX file is a ZIP archive of XML parts. libarchive unpacks the parts we need (the
 * workbook, its relationships, the shared strings, the styles and the sheets) into memory,
 * counting every byte against limits so that a ZIP bomb is refused before it fills memory, and
 * libxml2's streaming reader walks each part. Parts are XML written by a program: a document
 * type declaration (the door to entity expansion) is refused, never expanded.
 *
 * Dates and times are numbers with a date style in XLSX; they are rendered as ISO 8601 text
 * (durations as H:MM:SS) so filters and unit conversions see what a person sees in Excel.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <string.h>

#include "at-error.h"
#include "at-table-private.h"
#include "at-xlsx.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextReader, xmlFreeTextReader)

/* Small workbooks are allowed a higher ratio: a few kilobytes of real XML can pack tightly. */
#define RATIO_FLOOR (16 * 1024 * 1024)

typedef enum { CELL_NUMBER, CELL_DATE, CELL_DATETIME, CELL_TIME } CellKind;

typedef struct
{
  GHashTable *parts;          /* name → GBytes */
  GPtrArray  *shared;         /* char * */
  GArray     *xf_kinds;       /* CellKind per cellXfs index */
  gboolean    date1904;
  GError     *xml_error;      /* the first error libxml2 reported */
  const char *part;           /* the part being read, for messages */
} Book;

static void
book_clear (Book *book)
{
  g_clear_pointer (&book->parts, g_hash_table_unref);
  g_clear_pointer (&book->shared, g_ptr_array_unref);
  g_clear_pointer (&book->xf_kinds, g_array_unref);
  g_clear_error (&book->xml_error);
}

static gboolean
wanted_part (const char *name)
{
  return g_str_equal (name, "xl/workbook.xml") ||
         g_str_equal (name, "xl/_rels/workbook.xml.rels") ||
         g_str_equal (name, "xl/sharedStrings.xml") ||
         g_str_equal (name, "xl/styles.xml") ||
         (g_str_has_prefix (name, "xl/worksheets/") && g_str_has_suffix (name, ".xml") &&
          strchr (name + strlen ("xl/worksheets/"), '/') == NULL);
}

static gboolean
too_big (guint64 total,
         gsize   len)
{
  return total > AT_XLSX_MAX_UNPACKED || (total > RATIO_FLOOR && total / MAX (len, 1) > AT_XLSX_MAX_RATIO);
}

static gboolean
set_bomb_error (GError **error)
{
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
               _("the workbook unpacks to more than %u times its size or more than %u MiB: it is refused as a ZIP bomb"),
               AT_XLSX_MAX_RATIO, AT_XLSX_MAX_UNPACKED / (1024 * 1024));
  return FALSE;
}

/* Unpacks the parts we read, with every byte counted against the limits. */
static gboolean
unpack (Book        *book,
        const void  *data,
        gsize        len,
        GError     **error)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  g_autofree char *buf = g_malloc (64 * 1024);
  guint64 total = 0;
  guint n_entries = 0;
  gboolean ok = FALSE;
  int r;

  archive_read_support_format_zip (a);
  if (archive_read_open_memory (a, data, len) != ARCHIVE_OK)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the file is not an XLSX workbook (not a ZIP archive): %s"),
                   archive_error_string (a));
      goto out;
    }

  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);
      g_autoptr(GByteArray) bytes = NULL;
      gssize n;

      if (++n_entries > AT_XLSX_MAX_ENTRIES)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("the workbook has more than %u parts: it is refused as a ZIP bomb"), AT_XLSX_MAX_ENTRIES);
          goto out;
        }
      if (name == NULL || !wanted_part (name) || g_hash_table_contains (book->parts, name))
        continue;
      if (archive_entry_size_is_set (entry) && too_big (total + archive_entry_size (entry), len))
        {
          set_bomb_error (error);
          goto out;
        }

      /* the declared size presizes the buffer; the limits above already bounded it */
      bytes = archive_entry_size_is_set (entry) ? g_byte_array_sized_new ((guint) archive_entry_size (entry))
                                                : g_byte_array_new ();
      while ((n = archive_read_data (a, buf, 64 * 1024)) > 0)
        {
          total += n;
          if (too_big (total, len))
            {
              set_bomb_error (error);
              goto out;
            }
          g_byte_array_append (bytes, (guint8 *) buf, n);
        }
      if (n < 0)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the part %s of the workbook cannot be unpacked: %s"),
                       name, archive_error_string (a));
          goto out;
        }
      g_hash_table_insert (book->parts, g_strdup (name), g_byte_array_free_to_bytes (g_steal_pointer (&bytes)));
    }
  if (r != ARCHIVE_EOF)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the workbook is damaged (after %u parts): %s"),
                   n_entries, archive_error_string (a));
      goto out;
    }
  ok = TRUE;

out:
  archive_read_free (a);
  return ok;
}

static void
on_xml_error (void                    *arg,
              const char              *msg,
              xmlParserSeverities      severity,
              xmlTextReaderLocatorPtr  locator)
{
  Book *book = arg;
  g_autofree char *text = NULL;

  if (book->xml_error != NULL || (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR))
    return;
  text = g_strstrip (g_strdup (msg));
  g_set_error (&book->xml_error, AT_ERROR, AT_ERROR_INVALID, _("the part %s of the workbook is not well-formed XML (line %d): %s"),
               book->part, xmlTextReaderLocatorLineNumber (locator), text);
}

static xmlTextReader *
open_part (Book        *book,
           const char  *name,
           gboolean     required,
           GError     **error)
{
  GBytes *bytes = g_hash_table_lookup (book->parts, name);
  xmlTextReader *reader;
  gsize len;
  const char *data;

  if (bytes == NULL)
    {
      if (required)
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the file is not an XLSX workbook: it has no part %s"), name);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &len);
  if (len > G_MAXINT)
    {
      set_bomb_error (error);
      return NULL;
    }
  book->part = name;
  reader = xmlReaderForMemory (data, (int) len, name, NULL, XML_PARSE_NONET);
  if (reader == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the part %s of the workbook cannot be read"), name);
      return NULL;
    }
  xmlTextReaderSetErrorHandler (reader, on_xml_error, book);
  return reader;
}

/* One step of the reader: 1 a node, 0 the end, -1 an error (set). */
static int
next_node (Book           *book,
           xmlTextReader  *reader,
           GError        **error)
{
  int r = xmlTextReaderRead (reader);

  if (r == 1 && xmlTextReaderNodeType (reader) == XML_READER_TYPE_DOCUMENT_TYPE)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the part %s of the workbook declares a document type, which no spreadsheet writes: it is refused"),
                   book->part);
      return -1;
    }
  if (r < 0)
    {
      if (book->xml_error != NULL)
        g_propagate_error (error, g_steal_pointer (&book->xml_error));
      else
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the part %s of the workbook is not well-formed XML"), book->part);
    }
  return r;
}

static gboolean
is_element (xmlTextReader *reader,
            const char    *name)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT &&
         g_str_equal ((const char *) xmlTextReaderConstLocalName (reader), name);
}

static gboolean
is_end (xmlTextReader *reader,
        const char    *name)
{
  return xmlTextReaderNodeType (reader) == XML_READER_TYPE_END_ELEMENT &&
         g_str_equal ((const char *) xmlTextReaderConstLocalName (reader), name);
}

static char *
attribute (xmlTextReader *reader,
           const char    *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, (const xmlChar *) name);
  char *copy = value ? g_strdup ((char *) value) : NULL;

  xmlFree (value);
  return copy;
}

/* The r:id attribute, whatever prefix the relationships namespace has. */
static char *
relationship_id (xmlTextReader *reader)
{
  xmlChar *value = xmlTextReaderGetAttributeNs (reader, (const xmlChar *) "id",
      (const xmlChar *) "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
  char *copy = value ? g_strdup ((char *) value) : NULL;

  xmlFree (value);
  return copy;
}

static gboolean
is_text_node (xmlTextReader *reader)
{
  int type = xmlTextReaderNodeType (reader);
  return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
         type == XML_READER_TYPE_CDATA || type == XML_READER_TYPE_WHITESPACE;
}

/* The path of the first sheet and its name, through workbook.xml and its relationships. */
static gboolean
first_sheet (Book        *book,
             char       **path,
             char       **sheet_name,
             GError     **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autofree char *rid = NULL;
  g_autofree char *target = NULL;
  int r;

  if (!(reader = open_part (book, "xl/workbook.xml", TRUE, error)))
    return FALSE;
  while ((r = next_node (book, reader, error)) == 1)
    {
      if (is_element (reader, "workbookPr"))
        {
          g_autofree char *d = attribute (reader, "date1904");
          book->date1904 = d != NULL && (g_str_equal (d, "1") || g_str_equal (d, "true"));
        }
      else if (is_element (reader, "sheet") && rid == NULL)
        {
          rid = relationship_id (reader);
          *sheet_name = attribute (reader, "name");
        }
    }
  if (r < 0)
    return FALSE;
  if (rid == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the workbook has no sheet"));
      return FALSE;
    }

  g_clear_pointer (&reader, xmlFreeTextReader);
  if (!(reader = open_part (book, "xl/_rels/workbook.xml.rels", TRUE, error)))
    return FALSE;
  while ((r = next_node (book, reader, error)) == 1)
    if (is_element (reader, "Relationship"))
      {
        g_autofree char *id = attribute (reader, "Id");
        if (g_strcmp0 (id, rid) == 0)
          {
            target = attribute (reader, "Target");
            break;
          }
      }
  if (r < 0)
    return FALSE;
  if (target == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the workbook names a first sheet that it does not contain"));
      return FALSE;
    }
  /* relative to xl/, or absolute within the package */
  *path = target[0] == '/' ? g_strdup (target + 1) : g_strconcat ("xl/", target, NULL);
  if (!g_hash_table_contains (book->parts, *path))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the workbook's first sheet %s is missing from the file"), *path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_shared_strings (Book    *book,
                     GError **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autoptr(GString) text = NULL;
  gboolean in_si = FALSE;
  guint skip_depth = 0;     /* inside <rPh> (phonetic hints): not part of the text */
  gboolean in_t = FALSE;
  int r;

  book->shared = g_ptr_array_new_with_free_func (g_free);
  reader = open_part (book, "xl/sharedStrings.xml", FALSE, error);
  if (reader == NULL)
    return error == NULL || *error == NULL;

  text = g_string_new (NULL);
  while ((r = next_node (book, reader, error)) == 1)
    {
      if (is_element (reader, "si"))
        {
          in_si = TRUE;
          g_string_truncate (text, 0);
          if (xmlTextReaderIsEmptyElement (reader))
            {
              g_ptr_array_add (book->shared, g_strdup (""));
              in_si = FALSE;
            }
        }
      else if (is_end (reader, "si"))
        {
          g_ptr_array_add (book->shared, g_strndup (text->str, text->len));
          in_si = FALSE;
        }
      else if (in_si && is_element (reader, "rPh") && !xmlTextReaderIsEmptyElement (reader))
        skip_depth++;
      else if (in_si && is_end (reader, "rPh") && skip_depth > 0)
        skip_depth--;
      else if (in_si && is_element (reader, "t"))
        in_t = !xmlTextReaderIsEmptyElement (reader);
      else if (is_end (reader, "t"))
        in_t = FALSE;
      else if (in_si && in_t && skip_depth == 0 && is_text_node (reader))
        g_string_append (text, (const char *) xmlTextReaderConstValue (reader));

      if (book->shared->len > AT_TABLE_MAX_ROWS * 4u)
        return set_bomb_error (error);
    }
  return r == 0;
}

/* Which number formats show a date or a time: the built-in ids, and custom codes by their
 * letters (quoted text, escapes and [colour] sections left out). */
static CellKind
format_kind (guint       id,
             const char *code)
{
  gboolean date = FALSE, time = FALSE;

  if (code == NULL)
    {
      if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58))
        return CELL_DATE;
      if (id == 22)
        return CELL_DATETIME;
      if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || (id >= 45 && id <= 47))
        return CELL_TIME;
      return CELL_NUMBER;
    }

  for (const char *p = code; *p; p++)
    {
      char c = g_ascii_tolower (*p);

      if (c == '"')
        {
          const char *q = strchr (p + 1, '"');
          if (q == NULL)
            break;
          p = q;
        }
      else if (c == '\\' || c == '_' || c == '*')
        {
          if (p[1] == '\0')
            break;
          p++;
        }
      else if (c == '[')
        {
          /* [h], [mm], [ss] are elapsed time; anything else in brackets is colour or locale */
          const char *q = strchr (p, ']');
          if (q == NULL)
            break;
          if (q - p >= 2 && strchr ("hms", g_ascii_tolower (p[1])))
            time = TRUE;
          p = q;
        }
      else if (c == 'y' || c == 'd' || c == 'e')
        date = TRUE;
      else if (c == 'h' || c == 's')
        time = TRUE;
    }
  if (date && time)
    return CELL_DATETIME;
  if (date)
    return CELL_DATE;
  if (time)
    return CELL_TIME;
  return CELL_NUMBER;
}

static gboolean
read_styles (Book    *book,
             GError **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  gboolean in_cell_xfs = FALSE;
  int r;

  book->xf_kinds = g_array_new (FALSE, FALSE, sizeof (CellKind));
  reader = open_part (book, "xl/styles.xml", FALSE, error);
  if (reader == NULL)
    return error == NULL || *error == NULL;

  while ((r = next_node (book, reader, error)) == 1)
    {
      if (is_element (reader, "numFmt"))
        {
          g_autofree char *id = attribute (reader, "numFmtId");
          char *code = attribute (reader, "formatCode");
          if (id != NULL && code != NULL)
            g_hash_table_insert (codes, GUINT_TO_POINTER ((guint) g_ascii_strtoull (id, NULL, 10)), code);
          else
            g_free (code);
        }
      else if (is_element (reader, "cellXfs"))
        in_cell_xfs = !xmlTextReaderIsEmptyElement (reader);
      else if (is_end (reader, "cellXfs"))
        in_cell_xfs = FALSE;
      else if (in_cell_xfs && is_element (reader, "xf"))
        {
          g_autofree char *id_text = attribute (reader, "numFmtId");
          guint id = id_text ? (guint) g_ascii_strtoull (id_text, NULL, 10) : 0;
          CellKind kind = format_kind (id, g_hash_table_lookup (codes, GUINT_TO_POINTER (id)));

          if (book->xf_kinds->len >= 65536)
            return set_bomb_error (error);
          g_array_append_val (book->xf_kinds, kind);
        }
    }
  return r == 0;
}

/* “BC12” → column 54 (0-based) and row 12; FALSE when it is no cell reference */
static gboolean
parse_reference (const char *ref,
                 guint      *column,
                 guint      *row)
{
  guint c = 0, n = 0, letters = 0;
  const char *p = ref;

  for (; g_ascii_isalpha (*p) && letters < 4; p++, letters++)
    c = c * 26 + (g_ascii_toupper (*p) - 'A' + 1);
  if (letters == 0 || letters > 3 || !g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      n = n * 10 + (*p - '0');
      if (n > 10000000)
        return FALSE;
    }
  if (*p != '\0' || n == 0)
    return FALSE;
  *column = c - 1;
  *row = n;
  return TRUE;
}

static char *
render_serial (double   serial,
               CellKind kind,
               gboolean date1904)
{
  if (!isfinite (serial) || serial < 0 || serial > 2958465.0)   /* 9999-12-31 */
    return NULL;

  if (kind == CELL_TIME)
    {
      gint64 ms = llround (serial * 86400000.0);
      gint64 s = ms / 1000;
      if (ms % 1000 != 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d.%03d", s / 3600, (int) (s / 60 % 60), (int) (s % 60), (int) (ms % 1000));
      return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60), (int) (s % 60));
    }
  else
    {
      gint64 ms = llround (serial * 86400000.0);
      gint64 days = ms / 86400000;
      gint64 s = ms % 86400000 / 1000;
      g_autoptr(GDate) date = g_date_new_dmy (date1904 ? 1 : 30, date1904 ? G_DATE_JANUARY : G_DATE_DECEMBER,
                                              date1904 ? 1904 : 1899);

      g_date_add_days (date, (guint) days);
      if (kind == CELL_DATE && s == 0)
        return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
      return g_strdup_printf ("%04d-%02d-%02d %02d:%02d:%02d", g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date), (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
    }
}

typedef struct
{
  guint    column;
  char     type[16];   /* the t attribute; a buffer, not a copy per cell */
  int      style;
  GString *value;
  gboolean has_value;
} Cell;

static gboolean
emit_cell (Book     *book,
           AtTable  *table,
           guint     row,
           Cell     *cell,
           GError  **error)
{
  const char *t = cell->type[0] ? cell->type : "n";
  g_autofree char *rendered = NULL;
  const char *text = cell->value->str;
  gsize len = cell->value->len;

  if (!cell->has_value)
    return TRUE;

  if (g_str_equal (t, "s"))
    {
      char *end = NULL;
      guint64 index = g_ascii_strtoull (text, &end, 10);

      if (end == text || *end != '\0' || index >= book->shared->len)
        {
          g_autofree char *letter = at_table_column_letter (cell->column);
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("row %u, column %s: the cell refers to shared text %s, which the workbook does not have"),
                       row, letter, text);
          return FALSE;
        }
      text = book->shared->pdata[index];
      len = strlen (text);
    }
  else if (g_str_equal (t, "b"))
    {
      text = g_str_equal (text, "1") ? "TRUE" : "FALSE";
      len = strlen (text);
    }
  else if (g_str_equal (t, "n") && cell->style > 0 && (guint) cell->style < book->xf_kinds->len &&
           g_array_index (book->xf_kinds, CellKind, cell->style) != CELL_NUMBER)
    {
      char *end = NULL;
      double serial = g_ascii_strtod (text, &end);

      if (end != text && *end == '\0' &&
          (rendered = render_serial (serial, g_array_index (book->xf_kinds, CellKind, cell->style), book->date1904)))
        {
          text = rendered;
          len = strlen (text);
        }
    }
  return _at_table_add_cell (table, cell->column, text, len, error);
}

/* The sheet is by far the largest part (50 MB of XML for 100,000 calls), so it is read with
 * libxml2's SAX2 interface: callbacks as the parser goes, no node objects built and freed. */
typedef struct
{
  Book           *book;
  AtTable        *table;
  xmlParserCtxt  *ctxt;
  GError         *error;
  Cell            cell;
  guint           row;
  guint           next_column;
  gboolean        row_open, in_cell, in_value, in_inline;
} SheetReader;

static void
sheet_fail (SheetReader *sr)
{
  if (sr->ctxt != NULL)
    xmlStopParser (sr->ctxt);
}

static const char *
sax_attribute (const xmlChar **attributes,
               int             n,
               const char     *name,
               char           *buf,
               gsize           size)
{
  for (int i = 0; i < n; i++)
    if (g_str_equal ((const char *) attributes[i * 5], name))
      {
        gsize len = attributes[i * 5 + 4] - attributes[i * 5 + 3];
        if (len >= size)
          len = size - 1;
        memcpy (buf, attributes[i * 5 + 3], len);
        buf[len] = '\0';
        return buf;
      }
  return NULL;
}

static void
sheet_start (void           *ctx,
             const xmlChar  *localname,
             const xmlChar  *prefix,
             const xmlChar  *uri,
             int             nb_namespaces,
             const xmlChar **namespaces,
             int             nb_attributes,
             int             nb_defaulted,
             const xmlChar **attributes)
{
  SheetReader *sr = ctx;
  const char *name = (const char *) localname;
  char ref[32], type[16], style[16];

  if (sr->error != NULL)
    return;

  if (g_str_equal (name, "row"))
    {
      const char *r = sax_attribute (attributes, nb_attributes, "r", ref, sizeof ref);
      guint n = sr->row + 1;

      if (r != NULL)
        {
          char *end = NULL;
          guint64 v = g_ascii_strtoull (r, &end, 10);
          if (end == r || *end != '\0' || v <= sr->row || v > 10000000)
            {
              g_set_error (&sr->error, AT_ERROR, AT_ERROR_INVALID,
                           _("row %u of the sheet is followed by a row numbered “%s”; the sheet is damaged"), sr->row, r);
              sheet_fail (sr);
              return;
            }
          n = (guint) v;
        }
      sr->row = n;
      sr->next_column = 0;
      if (!_at_table_begin_row (sr->table, sr->row, &sr->error))
        {
          sheet_fail (sr);
          return;
        }
      sr->row_open = TRUE;
    }
  else if (g_str_equal (name, "c") && sr->row_open)
    {
      const char *r = sax_attribute (attributes, nb_attributes, "r", ref, sizeof ref);
      const char *t = sax_attribute (attributes, nb_attributes, "t", type, sizeof type);
      const char *s = sax_attribute (attributes, nb_attributes, "s", style, sizeof style);
      guint ref_row = sr->row;
      Cell *cell = &sr->cell;

      g_strlcpy (cell->type, t ? t : "", sizeof cell->type);
      cell->style = s ? (int) MIN (g_ascii_strtoull (s, NULL, 10), G_MAXINT) : 0;
      cell->column = sr->next_column;
      if (r != NULL && (!parse_reference (r, &cell->column, &ref_row) || ref_row != sr->row))
        {
          g_set_error (&sr->error, AT_ERROR, AT_ERROR_INVALID, _("row %u: the cell reference “%s” does not belong to this row"),
                       sr->row, r);
          sheet_fail (sr);
          return;
        }
      if (cell->column < sr->next_column && sr->next_column > 0)
        {
          g_set_error (&sr->error, AT_ERROR, AT_ERROR_INVALID, _("row %u: the cell %s comes after a cell to its right"),
                       sr->row, r);
          sheet_fail (sr);
          return;
        }
      sr->next_column = cell->column + 1;
      g_string_truncate (cell->value, 0);
      cell->has_value = FALSE;
      sr->in_cell = TRUE;
    }
  else if (sr->in_cell && g_str_equal (name, "v"))
    sr->in_value = TRUE;
  else if (sr->in_cell && g_str_equal (name, "is"))
    sr->in_inline = TRUE;
  else if (sr->in_inline && g_str_equal (name, "t"))
    {
      sr->in_value = TRUE;
      /* an inline string is text whatever the t attribute says */
      g_strlcpy (sr->cell.type, "inlineStr", sizeof sr->cell.type);
    }
}

static void
sheet_end (void          *ctx,
           const xmlChar *localname,
           const xmlChar *prefix,
           const xmlChar *uri)
{
  SheetReader *sr = ctx;
  const char *name = (const char *) localname;

  if (sr->error != NULL)
    return;
  if (g_str_equal (name, "row"))
    sr->row_open = FALSE;
  else if (g_str_equal (name, "c") && sr->in_cell)
    {
      sr->in_cell = FALSE;
      sr->in_value = FALSE;
      sr->in_inline = FALSE;
      if (!emit_cell (sr->book, sr->table, sr->row, &sr->cell, &sr->error))
        sheet_fail (sr);
    }
  else if (g_str_equal (name, "v") || g_str_equal (name, "t"))
    sr->in_value = FALSE;
  else if (g_str_equal (name, "is"))
    sr->in_inline = FALSE;
}

static void
sheet_characters (void          *ctx,
                  const xmlChar *ch,
                  int            len)
{
  SheetReader *sr = ctx;

  if (sr->error != NULL || !sr->in_value)
    return;
  if (sr->cell.value->len + len > 1024 * 1024)
    {
      g_autofree char *letter = at_table_column_letter (sr->cell.column);
      g_set_error (&sr->error, AT_ERROR, AT_ERROR_INVALID, _("row %u, column %s: a cell of more than 1 MiB"), sr->row, letter);
      sheet_fail (sr);
      return;
    }
  g_string_append_len (sr->cell.value, (const char *) ch, len);
  sr->cell.has_value = TRUE;
}

static void
sheet_doctype (void          *ctx,
               const xmlChar *name,
               const xmlChar *external_id,
               const xmlChar *system_id)
{
  SheetReader *sr = ctx;

  if (sr->error == NULL)
    g_set_error (&sr->error, AT_ERROR, AT_ERROR_INVALID,
                 _("the part %s of the workbook declares a document type, which no spreadsheet writes: it is refused"),
                 sr->book->part);
  sheet_fail (sr);
}

static void
sheet_xml_error (void        *ctx,
                 xmlErrorPtr  e)
{
  SheetReader *sr = ctx;
  g_autofree char *text = NULL;

  if (sr->error != NULL || e == NULL || e->level < XML_ERR_ERROR)
    return;
  text = g_strstrip (g_strdup (e->message ? e->message : ""));
  g_set_error (&sr->error, AT_ERROR, AT_ERROR_INVALID, _("the part %s of the workbook is not well-formed XML (line %d): %s"),
               sr->book->part, e->line, text);
}

static gboolean
read_sheet (Book        *book,
            const char  *path,
            AtTable     *table,
            GError     **error)
{
  GBytes *bytes = g_hash_table_lookup (book->parts, path);
  SheetReader sr = { .book = book, .table = table };
  xmlSAXHandler sax = { 0 };
  const char *data;
  gsize len, done = 0;
  gboolean ok;

  g_return_val_if_fail (bytes != NULL, FALSE);
  data = g_bytes_get_data (bytes, &len);
  /* an empty part has no data pointer; the parser is still told the document ended (found by
   * fuzz-xlsx: arithmetic on the NULL pointer) */
  if (data == NULL)
    data = "";
  book->part = path;

  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = sheet_start;
  sax.endElementNs = sheet_end;
  sax.characters = sheet_characters;
  sax.internalSubset = sheet_doctype;
  sax.externalSubset = sheet_doctype;
  sax.serror = sheet_xml_error;

  sr.cell.value = g_string_new (NULL);
  sr.ctxt = xmlCreatePushParserCtxt (&sax, &sr, NULL, 0, path);
  if (sr.ctxt == NULL)
    {
      g_string_free (sr.cell.value, TRUE);
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("out of memory"));
      return FALSE;
    }
  xmlCtxtUseOptions (sr.ctxt, XML_PARSE_NONET);

  /* fed in slices: xmlParseChunk takes an int */
  do
    {
      gsize n = MIN (len - done, 4 * 1024 * 1024);
      gboolean last = done + n == len;

      if (xmlParseChunk (sr.ctxt, data + done, (int) n, last) != 0 && sr.error == NULL && !sr.ctxt->wellFormed)
        break;
      done += n;
    }
  while (done < len && sr.error == NULL && sr.ctxt->wellFormed);

  ok = sr.error == NULL && sr.ctxt->wellFormed;
  if (!ok && sr.error == NULL)
    g_set_error (&sr.error, AT_ERROR, AT_ERROR_INVALID, _("the part %s of the workbook is not well-formed XML"), path);
  if (sr.error != NULL)
    g_propagate_error (error, sr.error);

  xmlFreeParserCtxt (sr.ctxt);
  g_string_free (sr.cell.value, TRUE);
  return ok;
}

AtTable *
at_xlsx_read (const void  *data,
              gsize        len,
              GError     **error)
{
  g_autoptr(AtTable) table = NULL;
  g_autofree char *sheet_path = NULL;
  g_autofree char *sheet_name = NULL;
  Book book = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  xmlInitParser ();
  book.parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  table = _at_table_new ("xlsx");

  ok = unpack (&book, data, len, error) &&
       first_sheet (&book, &sheet_path, &sheet_name, error) &&
       read_shared_strings (&book, error) &&
       read_styles (&book, error) &&
       read_sheet (&book, sheet_path, table, error) &&
       _at_table_end (table, error);
  book_clear (&book);
  if (!ok)
    return NULL;
  _at_table_set_sheet (table, sheet_name);
  return g_steal_pointer (&table);
}
