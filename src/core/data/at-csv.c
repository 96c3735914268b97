/* at-csv.c — CSV exports as an AtTable, parsed by libcsv
 *
 * The file is decoded to UTF-8 first (GB18030 trail bytes include “|” and “\”, so parsing the
 * raw bytes could split a character), then fed to libcsv one line at a time: libcsv keeps its
 * state across calls, and feeding by line is how each record learns the line it starts on.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <csv.h>
#include <string.h>

#include "at-csv.h"
#include "at-decode.h"
#include "at-error.h"
#include "at-table-private.h"

/* A field longer than this is a quote that never closed, not a value. */
#define MAX_FIELD (1024 * 1024)

typedef struct
{
  AtTable  *table;
  guint     row;           /* the row a spreadsheet shows for the record being read: records and
                            * blank lines count, the lines inside a quoted field do not */
  guint     field;         /* fields seen in the open record */
  gboolean  record_open;
  GError   *error;
} Reader;

static void
on_field (void   *s,
          size_t  len,
          void   *user_data)
{
  Reader *r = user_data;

  if (r->error != NULL)
    return;
  if (!r->record_open)
    {
      if (!_at_table_begin_row (r->table, r->row, &r->error))
        return;
      r->record_open = TRUE;
      r->field = 0;
    }
  if (len > MAX_FIELD)
    {
      g_autofree char *letter = at_table_column_letter (r->field);
      g_set_error (&r->error, AT_ERROR, AT_ERROR_INVALID,
                   _("row %u, column %s: a field of more than 1 MiB; a quote is probably never closed"),
                   r->row, letter);
      return;
    }
  _at_table_add_cell (r->table, r->field, s ? s : "", s ? len : 0, &r->error);
  r->field++;
}

static void
on_record (int   c,
           void *user_data)
{
  Reader *r = user_data;

  r->record_open = FALSE;
  r->field = 0;
  r->row++;
}

static int
is_space (unsigned char c)
{
  /* blanks around an unquoted field are padding; a tab may be the delimiter */
  return c == ' ';
}

/* The delimiter the first line uses most, outside quotes; a comma when it uses none. */
static char
sniff_delimiter (const char *text,
                 gsize       len)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean quoted = FALSE;
  guint best = 0;

  for (gsize i = 0; i < len && (quoted || (text[i] != '\n' && text[i] != '\r')); i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (!quoted)
        for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
          if (text[i] == candidates[k])
            counts[k]++;
    }
  for (guint k = 1; k < G_N_ELEMENTS (candidates); k++)
    if (counts[k] > counts[best])
      best = k;
  return candidates[best];
}

/* Which field of its line @offset falls in, counting delimiters (good enough to point a
 * person at an undecodable byte). */
static guint
field_at (const char *data,
          gsize       offset,
          char        delimiter)
{
  guint field = 1;

  for (gsize i = offset; i > 0 && data[i - 1] != '\n'; i--)
    if (data[i - 1] == delimiter)
      field++;
  return field;
}

AtTable *
at_csv_read (const char  *data,
             gsize        len,
             const char  *encoding,
             GError     **error)
{
  g_autoptr(AtTable) table = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *used = NULL;
  struct csv_parser parser;
  Reader r = { 0 };
  gsize text_len = 0;
  gsize bad = 0;
  const char *p;
  const char *end;
  char delimiter;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the file is empty"));
      return NULL;
    }

  text = at_decode_text (data, len, encoding, &used, &text_len, &bad, &local_error);
  if (text == NULL)
    {
      guint line, column;
      at_decode_position (data, bad, &line, &column);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("row %u, column %u: %s"),
                   line, field_at (data, bad, sniff_delimiter (data, len)), local_error->message);
      return NULL;
    }

  delimiter = sniff_delimiter (text, text_len);
  table = _at_table_new ("csv");
  _at_table_set_encoding (table, used, delimiter);

  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("out of memory"));
      return NULL;
    }
  csv_set_delim (&parser, (unsigned char) delimiter);
  csv_set_space_func (&parser, is_space);

  r.table = table;
  r.row = 1;
  p = text;
  end = text + text_len;
  while (p < end && r.error == NULL)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize n = nl ? (gsize) (nl - p) + 1 : (gsize) (end - p);

      /* libcsv skips a blank line; a spreadsheet shows it as a row */
      if (!r.record_open && (n == 1 || (n == 2 && p[0] == '\r')) && p[n - 1] == '\n')
        r.row++;
      if (csv_parse (&parser, p, n, on_field, on_record, &r) != n)
        break;
      p += n;
    }
  if (r.error == NULL && csv_error (&parser) == CSV_SUCCESS)
    csv_fini (&parser, on_field, on_record, &r);

  if (r.error == NULL && csv_error (&parser) != CSV_SUCCESS)
    {
      g_autofree char *letter = at_table_column_letter (r.record_open ? r.field : 0);

      if (p >= end)
        g_set_error (&r.error, AT_ERROR, AT_ERROR_INVALID,
                     _("row %u, column %s: a quoted field is never closed"), r.row, letter);
      else if (csv_error (&parser) == CSV_EPARSE)
        g_set_error (&r.error, AT_ERROR, AT_ERROR_INVALID,
                     _("row %u, column %s: a quote in the middle of a field, or text after a closing quote (quotes inside a quoted field are doubled: \"\")"),
                     r.row, letter);
      else
        g_set_error (&r.error, AT_ERROR, AT_ERROR_INVALID, _("row %u, column %s: %s"),
                     r.row, letter, csv_strerror (csv_error (&parser)));
    }
  csv_free (&parser);

  if (r.error == NULL)
    _at_table_end (table, &r.error);
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return NULL;
    }
  return g_steal_pointer (&table);
}
