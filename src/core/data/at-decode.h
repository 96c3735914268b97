/* at-decode.h — text files as exported on Chinese desktops: UTF-8 or GB18030 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The text of @data in UTF-8 (a leading byte-order mark dropped). @encoding is "UTF-8",
 * "GB18030" (GBK and GB2312 are subsets and name it too) or NULL to take UTF-8 when the bytes
 * are valid UTF-8 and GB18030 otherwise. On failure *@bad_offset is the offset of the first
 * byte that is not text, so the caller can name its row and column. */
char *at_decode_text (const char  *data,
                      gsize        len,
                      const char  *encoding,
                      const char **used_encoding,
                      gsize       *out_len,
                      gsize       *bad_offset,
                      GError     **error);

/* 1-based line and byte column of @offset in @data */
void  at_decode_position (const char *data,
                          gsize       offset,
                          guint      *line,
                          guint      *column);

G_END_DECLS
