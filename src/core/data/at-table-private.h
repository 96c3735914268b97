/* at-table-private.h — how the readers fill an AtTable */
#pragma once

#include "at-table.h"

G_BEGIN_DECLS

AtTable  *_at_table_new          (const char *format);
void      _at_table_set_encoding (AtTable    *self,
                                  const char *encoding,
                                  char        delimiter);
void      _at_table_set_sheet    (AtTable    *self,
                                  const char *sheet);
/* The first row added is the header. Returns FALSE (with @error) past the size limits. */
gboolean  _at_table_begin_row    (AtTable    *self,
                                  guint       row_number,
                                  GError    **error);
gboolean  _at_table_add_cell     (AtTable    *self,
                                  guint       column,
                                  const char *text,
                                  gsize       len,
                                  GError    **error);
gboolean  _at_table_end          (AtTable    *self,
                                  GError    **error);

G_END_DECLS
