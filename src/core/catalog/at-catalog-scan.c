/* at-catalog-scan.c — a strict JSON scan (RFC 8259) that remembers where things start
 *
 * A catalog is an open format that people write by hand and check with other tools too, so a
 * file Attest accepts must be JSON for everyone: what json-glib would let through (single
 * quotes, 0x numbers, a raw tab inside a string, a second value after the first) is refused
 * here with its position. The scan recurses, so nesting is capped — which also keeps a hostile
 * file from exhausting the stack of the recursive parser that reads the tree afterwards.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdarg.h>
#include <string.h>

#include "at-catalog-private.h"

#define MAX_DEPTH 200

typedef struct
{
  const char *data;
  const char *p;
  const char *end;
  guint       depth;
  AtJsonScan *scan;
  const char *error_at;
  char       *error;
} Scanner;

static void
container_free (AtJsonContainer *c)
{
  g_array_unref (c->starts);
  g_clear_pointer (&c->keys, g_ptr_array_unref);
  g_free (c);
}

void
_at_json_scan_free (AtJsonScan *scan)
{
  if (scan == NULL)
    return;
  g_ptr_array_unref (scan->containers);
  g_array_unref (scan->duplicate_at);
  g_ptr_array_unref (scan->duplicate_keys);
  g_free (scan);
}

static gboolean fail (Scanner *s, const char *at, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Scanner    *s,
      const char *at,
      const char *fmt,
      ...)
{
  va_list args;

  if (s->error == NULL)
    {
      va_start (args, fmt);
      s->error = g_strdup_vprintf (fmt, args);
      va_end (args);
      s->error_at = at;
    }
  return FALSE;
}

/* The character at p, quoted for a message (the text is valid UTF-8: the loader checked). */
static char *
quote_char (Scanner    *s,
            const char *p)
{
  if (p >= s->end)
    return g_strdup (_("the end of the file"));
  if ((guchar) *p < 0x20)
    return g_strdup_printf (_("a control character (U+%04X)"), (guint) (guchar) *p);
  return g_strdup_printf ("“%.*s”", (int) (g_utf8_next_char (p) - p), p);
}

static void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_string (Scanner *s)
{
  const char *open = s->p++;

  while (s->p < s->end)
    {
      guchar c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, s->p, _("invalid JSON: a control character (U+%04X) inside a string; "
                              "write it as an escape such as \\n or \\t"), (guint) c);
      if (c == '\\')
        {
          const char *esc = s->p++;

          if (s->p >= s->end)
            break;
          if (strchr ("\"\\/bfnrt", *s->p) != NULL && *s->p != '\0')
            s->p++;
          else if (*s->p == 'u')
            {
              s->p++;
              for (int i = 0; i < 4; i++, s->p++)
                if (s->p >= s->end || !g_ascii_isxdigit (*s->p))
                  return fail (s, esc, _("invalid JSON: “\\u” must be followed by four hexadecimal digits"));
            }
          else
            {
              g_autofree char *what = quote_char (s, s->p);
              return fail (s, esc, _("invalid JSON: unknown escape “\\” followed by %s in a string"), what);
            }
          continue;
        }
      s->p = g_utf8_next_char (s->p);
    }
  return fail (s, open, _("invalid JSON: a string that is never closed"));
}

static gboolean
scan_number (Scanner *s)
{
  const char *start = s->p;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    {
      s->p++;
      if (s->p < s->end && g_ascii_isdigit (*s->p))
        return fail (s, start, _("invalid JSON: a number may not start with 0 (write 5, not 05)"));
    }
  else if (s->p < s->end && g_ascii_isdigit (*s->p))
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  else
    return fail (s, start, _("invalid JSON: “-” must be followed by digits"));

  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, start, _("invalid JSON: a decimal point must be followed by digits (write 0.5, not .5 or 5.)"));
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, start, _("invalid JSON: an exponent must be followed by digits"));
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  /* “0x5f”, “95%”: a number runs straight into letters */
  if (s->p < s->end && (g_ascii_isalnum (*s->p) || *s->p == '_' || *s->p == '%'))
    return fail (s, start, _("invalid JSON: “%.*s” is not a number (JSON numbers are decimal, e.g. 95 or 0.5)"),
                 (int) (s->p + 1 - start), start);
  return TRUE;
}

static gboolean
scan_word (Scanner *s)
{
  const char *start = s->p;

  while (s->p < s->end && (g_ascii_isalnum (*s->p) || *s->p == '_'))
    s->p++;
  if ((s->p - start == 4 && memcmp (start, "true", 4) == 0) ||
      (s->p - start == 5 && memcmp (start, "false", 5) == 0) ||
      (s->p - start == 4 && memcmp (start, "null", 4) == 0))
    return TRUE;
  return fail (s, start, _("invalid JSON: “%.*s” is not a value (strings need double quotes; "
                         "the only words are true, false and null)"), (int) (s->p - start), start);
}

static AtJsonContainer *
open_container (Scanner  *s,
                gboolean  is_array)
{
  AtJsonContainer *c = g_new0 (AtJsonContainer, 1);

  c->open = s->p - s->data;
  c->is_array = is_array;
  c->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  if (!is_array)
    c->keys = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (s->scan->containers, c);
  return c;
}

static gboolean scan_value (Scanner *s);

static gboolean
scan_object (Scanner *s)
{
  AtJsonContainer *c = open_container (s, FALSE);
  const char *comma = NULL;

  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      const char *name;
      char *key;

      skip_ws (s);
      if (s->p < s->end && *s->p == '}' && comma != NULL)
        return fail (s, comma, _("invalid JSON: a comma before “}” (JSON allows no trailing comma)"));
      if (s->p >= s->end || *s->p != '"')
        {
          g_autofree char *what = quote_char (s, s->p);
          if (s->p < s->end && *s->p == '\'')
            return fail (s, s->p, _("invalid JSON: member names need double quotes, not single quotes"));
          if (s->p < s->end && *s->p == '/')
            return fail (s, s->p, _("invalid JSON: JSON has no comments"));
          return fail (s, s->p, _("invalid JSON: expected a member name in double quotes, found %s"), what);
        }

      name = s->p;
      if (!scan_string (s))
        return FALSE;
      key = g_strndup (name + 1, s->p - name - 2);
      for (guint i = 0; i < c->keys->len; i++)
        if (g_str_equal (c->keys->pdata[i], key))
          {
            gsize at = name - s->data;
            g_array_append_val (s->scan->duplicate_at, at);
            g_ptr_array_add (s->scan->duplicate_keys, g_strdup (key));
            break;
          }
      {
        gsize at = name - s->data;
        g_array_append_val (c->starts, at);
        g_ptr_array_add (c->keys, key);
      }

      skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        {
          g_autofree char *what = quote_char (s, s->p);
          return fail (s, s->p, _("invalid JSON: expected “:” after the member name “%s”, found %s"),
                       (const char *) c->keys->pdata[c->keys->len - 1], what);
        }
      s->p++;
      if (!scan_value (s))
        return FALSE;

      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          comma = s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      {
        g_autofree char *what = quote_char (s, s->p);
        return fail (s, s->p, _("invalid JSON: expected “,” or “}” after the value of “%s”, found %s"),
                     (const char *) c->keys->pdata[c->keys->len - 1], what);
      }
    }
}

static gboolean
scan_array (Scanner *s)
{
  AtJsonContainer *c = open_container (s, TRUE);
  const char *comma = NULL;

  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      gsize at;

      skip_ws (s);
      if (s->p < s->end && *s->p == ']' && comma != NULL)
        return fail (s, comma, _("invalid JSON: a comma before “]” (JSON allows no trailing comma)"));
      at = s->p - s->data;
      g_array_append_val (c->starts, at);
      if (!scan_value (s))
        return FALSE;

      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          comma = s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      {
        g_autofree char *what = quote_char (s, s->p);
        return fail (s, s->p, _("invalid JSON: expected “,” or “]” after an element, found %s"), what);
      }
    }
}

static gboolean
scan_value (Scanner *s)
{
  gboolean ok;

  skip_ws (s);
  if (s->p >= s->end)
    return fail (s, s->end, _("invalid JSON: the file ends where a value was expected"));

  switch (*s->p)
    {
    case '{':
    case '[':
      if (++s->depth > MAX_DEPTH)
        return fail (s, s->p, _("invalid JSON: nested more than %d levels deep"), MAX_DEPTH);
      ok = *s->p == '{' ? scan_object (s) : scan_array (s);
      s->depth--;
      return ok;
    case '"':
      return scan_string (s);
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (s);
    case '\'':
      return fail (s, s->p, _("invalid JSON: strings need double quotes (\"…\"), not single quotes"));
    case '/':
      return fail (s, s->p, _("invalid JSON: JSON has no comments"));
    default:
      if (g_ascii_isalpha (*s->p))
        return scan_word (s);
      {
        g_autofree char *what = quote_char (s, s->p);
        return fail (s, s->p, _("invalid JSON: %s where a value was expected"), what);
      }
    }
}

/* Returns the scan, or NULL with the offset of the first error and what it is. */
AtJsonScan *
_at_json_scan (const char  *data,
               gsize        len,
               gsize       *error_offset,
               char       **error_message)
{
  g_autoptr(AtJsonScan) scan = g_new0 (AtJsonScan, 1);
  Scanner s = { data, data, data + len, 0, scan, NULL, NULL };

  scan->containers = g_ptr_array_new_with_free_func ((GDestroyNotify) container_free);
  scan->duplicate_at = g_array_new (FALSE, FALSE, sizeof (gsize));
  scan->duplicate_keys = g_ptr_array_new_with_free_func (g_free);

  if (scan_value (&s))
    {
      skip_ws (&s);
      if (s.p < s.end)
        fail (&s, s.p, _("invalid JSON: more text after the end of the catalog (a JSON file holds one value)"));
    }

  if (s.error != NULL)
    {
      *error_offset = s.error_at - data;
      *error_message = s.error;
      return NULL;
    }
  return g_steal_pointer (&scan);
}
