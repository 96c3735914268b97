/* at-csv.h — CSV exports (any delimiter, UTF-8 or GB18030, quoted fields) as an AtTable */
#pragma once

#include "at-table.h"

G_BEGIN_DECLS

/* @encoding: "UTF-8", "GB18030" or NULL to tell them apart. The delimiter (comma, semicolon,
 * tab or bar) is the one the header line uses most. Quoting is strict: a stray quote is an
 * error with its row and column, never a silently shifted row. */
AtTable *at_csv_read (const char  *data,
                      gsize        len,
                      const char  *encoding,
                      GError     **error);

G_END_DECLS
