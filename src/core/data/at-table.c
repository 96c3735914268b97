/* at-table.c — a table read from an organisation's export */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-csv.h"
#include "at-error.h"
#include "at-table-private.h"
#include "at-xlsx.h"

struct _AtTable
{
  GObject       parent_instance;

  char         *format;      /* "csv" or "xlsx" */
  char         *encoding;    /* CSV: "UTF-8" or "GB18030" */
  char          delimiter;
  char         *sheet;       /* XLSX: the sheet's name */

  GStringChunk *strings;
  GPtrArray    *header;      /* char *, interned */
  guint         n_columns;   /* fixed once the header is complete */
  GPtrArray    *cells;       /* n_rows × n_columns, NULL for an empty cell */
  GArray       *row_numbers; /* guint per data row */

  /* while reading */
  gboolean      in_header;
  gboolean      row_open;
  gboolean      row_empty;
  guint         row_number;
};

G_DEFINE_FINAL_TYPE (AtTable, at_table, G_TYPE_OBJECT)

static void
at_table_finalize (GObject *object)
{
  AtTable *self = AT_TABLE (object);

  g_free (self->format);
  g_free (self->encoding);
  g_free (self->sheet);
  g_string_chunk_free (self->strings);
  g_ptr_array_unref (self->header);
  g_ptr_array_unref (self->cells);
  g_array_unref (self->row_numbers);

  G_OBJECT_CLASS (at_table_parent_class)->finalize (object);
}

static void
at_table_class_init (AtTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_table_finalize;
}

static void
at_table_init (AtTable *self)
{
  self->strings = g_string_chunk_new (64 * 1024);
  self->header = g_ptr_array_new ();
  self->cells = g_ptr_array_new ();
  self->row_numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  self->in_header = TRUE;
}

AtTable *
_at_table_new (const char *format)
{
  AtTable *self = g_object_new (AT_TYPE_TABLE, NULL);

  self->format = g_strdup (format);
  return self;
}

void
_at_table_set_encoding (AtTable    *self,
                        const char *encoding,
                        char        delimiter)
{
  g_free (self->encoding);
  self->encoding = g_strdup (encoding);
  self->delimiter = delimiter;
}

void
_at_table_set_sheet (AtTable    *self,
                     const char *sheet)
{
  g_free (self->sheet);
  self->sheet = g_strdup (sheet);
}

/* Closes the open row: the header fixes the column count; a data row without any text is no
 * row (spreadsheets end with formatted but empty rows). */
static void
end_row (AtTable *self)
{
  if (!self->row_open)
    return;
  self->row_open = FALSE;

  if (self->in_header)
    {
      if (self->row_empty)
        {
          g_ptr_array_set_size (self->header, 0);
          return;
        }
      self->in_header = FALSE;
      self->n_columns = self->header->len;
      return;
    }
  if (self->row_empty)
    g_ptr_array_set_size (self->cells, self->cells->len - self->n_columns);
  else
    g_array_append_val (self->row_numbers, self->row_number);
}

gboolean
_at_table_begin_row (AtTable  *self,
                     guint     row_number,
                     GError  **error)
{
  end_row (self);
  if (self->row_numbers->len >= AT_TABLE_MAX_ROWS)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("row %u: the table has more than %u rows, more than Attest reads from one file; split the export"),
                   row_number, AT_TABLE_MAX_ROWS);
      return FALSE;
    }
  self->row_open = TRUE;
  self->row_empty = TRUE;
  self->row_number = row_number;
  if (!self->in_header)
    g_ptr_array_set_size (self->cells, self->cells->len + self->n_columns);
  return TRUE;
}

gboolean
_at_table_add_cell (AtTable     *self,
                    guint        column,
                    const char  *text,
                    gsize        len,
                    GError     **error)
{
  g_return_val_if_fail (self->row_open, FALSE);

  if (self->in_header)
    {
      if (column >= AT_TABLE_MAX_COLUMNS)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("row %u: the header has more than %u columns"), self->row_number, AT_TABLE_MAX_COLUMNS);
          return FALSE;
        }
      while (self->header->len <= column)
        g_ptr_array_add (self->header, NULL);
      /* header names are matched against what a person types: no surrounding blanks */
      {
        g_autofree char *name = g_strstrip (g_strndup (text, len));
        self->header->pdata[column] = g_string_chunk_insert (self->strings, name);
        if (*name != '\0')
          self->row_empty = FALSE;
      }
      return TRUE;
    }

  if (len == 0)
    return TRUE;
  if (column >= self->n_columns)
    {
      g_autofree char *letter = at_table_column_letter (column);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("row %u, column %s: a value beyond the header's %u columns (is the delimiter or the quoting wrong?)"),
                   self->row_number, letter, self->n_columns);
      return FALSE;
    }
  self->cells->pdata[self->cells->len - self->n_columns + column] = g_string_chunk_insert_len (self->strings, text, len);
  self->row_empty = FALSE;
  return TRUE;
}

gboolean
_at_table_end (AtTable  *self,
               GError  **error)
{
  end_row (self);
  if (self->in_header)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the table is empty: it has no header row"));
      return FALSE;
    }
  for (guint c = 0; c < self->n_columns; c++)
    if (self->header->pdata[c] == NULL || *(char *) self->header->pdata[c] == '\0')
      {
        /* a column without a name is still a column: call it by its letter */
        g_autofree char *letter = at_table_column_letter (c);
        self->header->pdata[c] = g_string_chunk_insert (self->strings, letter);
      }
  return TRUE;
}

guint
at_table_get_n_rows (AtTable *self)
{
  g_return_val_if_fail (AT_IS_TABLE (self), 0);
  return self->row_numbers->len;
}

guint
at_table_get_n_columns (AtTable *self)
{
  g_return_val_if_fail (AT_IS_TABLE (self), 0);
  return self->n_columns;
}

const char *
at_table_get_header (AtTable *self,
                     guint    column)
{
  g_return_val_if_fail (AT_IS_TABLE (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  return self->header->pdata[column];
}

/* Returns: the cell's text, "" for an empty one */
const char *
at_table_get_cell (AtTable *self,
                   guint    row,
                   guint    column)
{
  const char *cell;

  g_return_val_if_fail (AT_IS_TABLE (self), NULL);
  g_return_val_if_fail (row < self->row_numbers->len && column < self->n_columns, NULL);
  cell = self->cells->pdata[(gsize) row * self->n_columns + column];
  return cell ? cell : "";
}

/* The row number a spreadsheet shows for data row @row (the header is usually row 1). */
guint
at_table_get_row_number (AtTable *self,
                         guint    row)
{
  g_return_val_if_fail (AT_IS_TABLE (self), 0);
  g_return_val_if_fail (row < self->row_numbers->len, 0);
  return g_array_index (self->row_numbers, guint, row);
}

/* By header name (exactly, then ignoring case), or by letter (“C”) when no header has that name. */
int
at_table_find_column (AtTable    *self,
                      const char *name)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (AT_IS_TABLE (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  wanted = g_strstrip (g_strdup (name));
  for (guint c = 0; c < self->n_columns; c++)
    if (g_str_equal (self->header->pdata[c], wanted))
      return c;
  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autofree char *a = g_utf8_casefold (self->header->pdata[c], -1);
      g_autofree char *b = g_utf8_casefold (wanted, -1);
      if (g_str_equal (a, b))
        return c;
    }
  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autofree char *letter = at_table_column_letter (c);
      if (g_ascii_strcasecmp (letter, wanted) == 0)
        return c;
    }
  return -1;
}

const char *at_table_get_format (AtTable *self) { g_return_val_if_fail (AT_IS_TABLE (self), NULL); return self->format; }
const char *at_table_get_encoding (AtTable *self) { g_return_val_if_fail (AT_IS_TABLE (self), NULL); return self->encoding; }
char at_table_get_delimiter (AtTable *self) { g_return_val_if_fail (AT_IS_TABLE (self), 0); return self->delimiter; }
const char *at_table_get_sheet (AtTable *self) { g_return_val_if_fail (AT_IS_TABLE (self), NULL); return self->sheet; }

/* 0 → “A”, 25 → “Z”, 26 → “AA”: the letters a spreadsheet shows above the column */
char *
at_table_column_letter (guint column)
{
  char buf[8];
  int i = sizeof buf - 1;

  buf[i] = '\0';
  column++;
  while (column > 0 && i > 0)
    {
      column--;
      buf[--i] = 'A' + column % 26;
      column /= 26;
    }
  return g_strdup (buf + i);
}

/* “column “wait” (C)”: the name a person chose and the letter a spreadsheet shows */
char *
at_table_describe_column (AtTable *self,
                          guint    column)
{
  g_autofree char *letter = at_table_column_letter (column);

  g_return_val_if_fail (AT_IS_TABLE (self), NULL);
  if (column < self->n_columns && !g_str_equal (self->header->pdata[column], letter))
    return g_strdup_printf (_("column “%s” (%s)"), (char *) self->header->pdata[column], letter);
  return g_strdup_printf (_("column %s"), letter);
}

AtTable *
at_table_read_bytes (GBytes      *bytes,
                     const char  *filename,
                     const char  *encoding,
                     GError     **error)
{
  gsize len;
  const guchar *data = g_bytes_get_data (bytes, &len);

  g_return_val_if_fail (bytes != NULL, NULL);

  /* by content: an export renamed .csv that is really a workbook still reads */
  if (len >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    return at_xlsx_read (data, len, error);
  if (len >= 8 && memcmp (data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("“%s” is an old Excel (.xls) or password-protected workbook: save it as .xlsx or .csv"),
                   filename ? filename : "?");
      return NULL;
    }
  return at_csv_read ((const char *) data, len, encoding, error);
}

AtTable *
at_table_read_file (const char  *path,
                    const char  *encoding,
                    GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("could not read “%s”: %s"), path, local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (file);
  name = g_path_get_basename (path);
  return at_table_read_bytes (bytes, name, encoding, error);
}
