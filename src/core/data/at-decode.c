/* at-decode.c — text files as exported on Chinese desktops: UTF-8 or GB18030 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-decode.h"
#include "at-error.h"

static gboolean
is_gb18030_name (const char *encoding)
{
  return g_ascii_strcasecmp (encoding, "GB18030") == 0 ||
         g_ascii_strcasecmp (encoding, "GBK") == 0 ||
         g_ascii_strcasecmp (encoding, "GB2312") == 0 ||
         g_ascii_strcasecmp (encoding, "CP936") == 0;
}

static gboolean
is_utf8_name (const char *encoding)
{
  return g_ascii_strcasecmp (encoding, "UTF-8") == 0 || g_ascii_strcasecmp (encoding, "UTF8") == 0;
}

void
at_decode_position (const char *data,
                    gsize       offset,
                    guint      *line,
                    guint      *column)
{
  const char *p = data;
  const char *end = data + offset;
  const char *line_start = data;
  guint n = 1;

  while ((p = memchr (p, '\n', end - p)) != NULL)
    {
      n++;
      line_start = ++p;
    }
  *line = n;
  *column = (guint) (end - line_start) + 1;
}

char *
at_decode_text (const char  *data,
                gsize        len,
                const char  *encoding,
                const char **used_encoding,
                gsize       *out_len,
                gsize       *bad_offset,
                GError     **error)
{
  const char *nul;
  const char *end = NULL;
  gsize skip = 0;

  *bad_offset = 0;
  if (encoding != NULL && *encoding != '\0' && !is_utf8_name (encoding) && !is_gb18030_name (encoding))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("unknown encoding “%s”: Attest reads UTF-8 and GB18030 (which covers GBK and GB2312)"), encoding);
      return NULL;
    }

  /* UTF-16 (what “Unicode text” means in some exporters) and binary files hold NUL bytes;
   * neither UTF-8 nor GB18030 text ever does. */
  nul = memchr (data, '\0', len);
  if (nul != NULL)
    {
      *bad_offset = nul - data;
      if (len >= 2 && ((guchar) data[0] == 0xff || (guchar) data[0] == 0xfe))
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                     _("the file is UTF-16 text: save it as UTF-8 or GB18030"));
      else
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                     _("the file holds a NUL byte, so it is not text: save it as UTF-8 or GB18030"));
      return NULL;
    }

  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    skip = 3;

  if (encoding == NULL || *encoding == '\0' || is_utf8_name (encoding))
    {
      if (g_utf8_validate (data + skip, len - skip, &end))
        {
          *used_encoding = "UTF-8";
          *out_len = len - skip;
          return g_strndup (data + skip, len - skip);
        }
      if (encoding != NULL && *encoding != '\0')
        {
          *bad_offset = end - data;
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("byte 0x%02X is not UTF-8: is the file GB18030?"), (guchar) *end);
          return NULL;
        }
    }

  {
    g_autoptr(GError) local_error = NULL;
    gsize bytes_read = 0;
    char *text = g_convert (data, len, "UTF-8", "GB18030", &bytes_read, out_len, &local_error);

    if (text == NULL)
      {
        *bad_offset = MIN (bytes_read, len ? len - 1 : 0);
        if (encoding != NULL && *encoding != '\0')
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("byte 0x%02X is not GB18030: is the file UTF-8?"), (guchar) data[*bad_offset]);
        else
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("byte 0x%02X is neither UTF-8 nor GB18030: save the file in one of those encodings"),
                       (guchar) data[*bad_offset]);
        return NULL;
      }
    *used_encoding = "GB18030";
    return text;
  }
}
