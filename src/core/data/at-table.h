/* at-table.h — a table read from an organisation's export: a header row and rows of text
 *
 * Call detail records and QA score sheets arrive as CSV or XLSX; both readers (at-csv.c,
 * at-xlsx.c) produce this one shape, so filtering, sampling and measuring never care where the
 * rows came from. Cells are kept as the text the file holds (numbers and dates from XLSX are
 * rendered as text) and every row remembers the row number a spreadsheet shows for it, so an
 * error can name the row a person will find.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AT_TYPE_TABLE (at_table_get_type ())
G_DECLARE_FINAL_TYPE (AtTable, at_table, AT, TABLE, GObject)

/* Refused outright: more would not be an export of calls but something else. */
#define AT_TABLE_MAX_COLUMNS 1024
#define AT_TABLE_MAX_ROWS    5000000

guint        at_table_get_n_rows       (AtTable    *self);
guint        at_table_get_n_columns    (AtTable    *self);
const char  *at_table_get_header       (AtTable    *self,
                                        guint       column);
const char  *at_table_get_cell         (AtTable    *self,
                                        guint       row,
                                        guint       column);
guint        at_table_get_row_number   (AtTable    *self,
                                        guint       row);
int          at_table_find_column      (AtTable    *self,
                                        const char *name);
const char  *at_table_get_format       (AtTable    *self);
const char  *at_table_get_encoding     (AtTable    *self);
char         at_table_get_delimiter    (AtTable    *self);
const char  *at_table_get_sheet        (AtTable    *self);

char        *at_table_column_letter    (guint       column);
char        *at_table_describe_column  (AtTable    *self,
                                        guint       column);

/* Reads a CSV or XLSX file (told apart by content, not by name). */
AtTable     *at_table_read_bytes       (GBytes      *bytes,
                                        const char  *filename,
                                        const char  *encoding,
                                        GError     **error);
AtTable     *at_table_read_file        (const char  *path,
                                        const char  *encoding,
                                        GError     **error);

G_END_DECLS
