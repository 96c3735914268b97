/* at-wordlist.c — a catalog's word list searched in transcripts */
#include "config.h"

#include <string.h>

#include "at-wordlist.h"

/* A sentence shorter than this (after normalising) is too common to search alone: “讲话!” */
#define MIN_PART 4
/* brackets per variant expanded both ways: 2^3 forms at most */
#define MAX_OPTIONAL 3

typedef struct
{
  char  *normalised;
  char  *part;
  guint  item;
} Pattern;

struct _AtWordlist
{
  GStrv      items;
  GPtrArray *patterns;   /* Pattern */
};

static void
pattern_free (Pattern *p)
{
  g_free (p->normalised);
  g_free (p->part);
  g_free (p);
}

void
at_wordlist_free (AtWordlist *wordlist)
{
  if (wordlist == NULL)
    return;
  g_strfreev (wordlist->items);
  g_ptr_array_unref (wordlist->patterns);
  g_free (wordlist);
}

static gboolean
is_sentence_end (gunichar c)
{
  return c == 0x3002 /* 。 */ || c == '!' || c == '?' || c == 0xff01 || c == 0xff1f || c == '.';
}

char *
at_text_normalise (const char *text)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)   /* not valid UTF-8: nothing in it can match */
    return g_strdup ("");
  folded = g_utf8_casefold (nfkc, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_isspace (c) || g_unichar_ispunct (c) ||
          type == G_UNICODE_MATH_SYMBOL || type == G_UNICODE_CURRENCY_SYMBOL ||
          type == G_UNICODE_MODIFIER_SYMBOL || type == G_UNICODE_OTHER_SYMBOL ||
          type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT)
        continue;
      /* the polite 您 is the same phrase as 你 */
      if (c == 0x60a8)
        c = 0x4f60;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static guint
n_chars (const char *normalised)
{
  return g_utf8_strlen (normalised, -1);
}

static void
add_pattern (AtWordlist *wl,
             guint       item,
             const char *part)
{
  g_autofree char *normalised = at_text_normalise (part);
  Pattern *p;

  if (*normalised == '\0')
    return;
  for (guint i = 0; i < wl->patterns->len; i++)
    {
      Pattern *q = wl->patterns->pdata[i];
      if (q->item == item && g_str_equal (q->normalised, normalised))
        return;
    }
  p = g_new0 (Pattern, 1);
  p->item = item;
  p->normalised = g_steal_pointer (&normalised);
  p->part = g_strstrip (g_strdup (part));
  g_ptr_array_add (wl->patterns, p);
}

/* A variant split into its sentences; short ones stay joined to their neighbour. */
static void
add_sentences (AtWordlist *wl,
               guint       item,
               const char *variant)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *start = variant;
  GString *pending = g_string_new (NULL);

  for (const char *p = variant; ; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c == 0 || is_sentence_end (c))
        {
          const char *end = c ? g_utf8_next_char (p) : p;
          g_autofree char *normalised = NULL;

          /* runs of “?!” close one sentence */
          while (*end && is_sentence_end (g_utf8_get_char (end)))
            end = g_utf8_next_char (end);
          g_string_append_len (pending, start, end - start);
          normalised = at_text_normalise (pending->str);
          if (n_chars (normalised) >= MIN_PART || (c == 0 && parts->len == 0))
            {
              g_ptr_array_add (parts, g_string_free (pending, FALSE));
              pending = g_string_new (NULL);
            }
          else if (c == 0 && parts->len > 0)
            {
              /* a short last sentence joins the one before it */
              char *last = parts->pdata[parts->len - 1];
              parts->pdata[parts->len - 1] = g_strconcat (last, pending->str, NULL);
              g_free (last);
              g_string_truncate (pending, 0);
            }
          if (c == 0)
            break;
          start = end;
          p = g_utf8_prev_char (end);
        }
    }
  g_string_free (pending, TRUE);

  for (guint i = 0; i < parts->len; i++)
    add_pattern (wl, item, parts->pdata[i]);
}

/* “是(绝对)不会”: the words in brackets may be said or not; both forms are searched. */
static void
add_variant (AtWordlist *wl,
             guint       item,
             const char *variant,
             guint       depth)
{
  const char *open = strchr (variant, '(');
  const char *close = open ? strchr (open, ')') : NULL;
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;

  if (open == NULL || close == NULL || depth >= MAX_OPTIONAL)
    {
      add_sentences (wl, item, variant);
      return;
    }
  with = g_strdup_printf ("%.*s%.*s%s", (int) (open - variant), variant, (int) (close - open - 1), open + 1, close + 1);
  without = g_strdup_printf ("%.*s%s", (int) (open - variant), variant, close + 1);
  add_variant (wl, item, with, depth + 1);
  add_variant (wl, item, without, depth + 1);
}

AtWordlist *
at_wordlist_new (const char * const *items)
{
  AtWordlist *wl = g_new0 (AtWordlist, 1);

  g_return_val_if_fail (items != NULL, NULL);

  wl->items = g_strdupv ((char **) items);
  wl->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify) pattern_free);

  for (guint i = 0; items[i]; i++)
    {
      /* NFKC first: full-width brackets and marks become the ASCII ones looked for below */
      g_autofree char *item = g_utf8_normalize (items[i], -1, G_NORMALIZE_NFKC);
      const char *start;

      if (item == NULL)
        continue;
      start = item;
      /* “或” right after a sentence's end offers another way of saying it */
      for (const char *p = item; *p; p = g_utf8_next_char (p))
        {
          if (g_str_has_prefix (p, "或") && p > item && is_sentence_end (g_utf8_get_char (g_utf8_prev_char (p))))
            {
              g_autofree char *variant = g_strndup (start, p - start);
              add_variant (wl, i + 1, variant, 0);
              start = p + strlen ("或");
            }
        }
      add_variant (wl, i + 1, start, 0);
    }
  return wl;
}

guint
at_wordlist_get_n_items (AtWordlist *wordlist)
{
  return g_strv_length (wordlist->items);
}

guint
at_wordlist_get_n_patterns (AtWordlist *wordlist)
{
  return wordlist->patterns->len;
}

const char *
at_wordlist_get_pattern (AtWordlist *wordlist,
                         guint       index,
                         guint      *item)
{
  Pattern *p;

  g_return_val_if_fail (index < wordlist->patterns->len, NULL);
  p = wordlist->patterns->pdata[index];
  if (item != NULL)
    *item = p->item;
  return p->part;
}

GArray *
at_wordlist_match (AtWordlist *wordlist,
                   const char *text)
{
  g_autofree char *normalised = NULL;
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (AtWordHit));
  guint last_item = 0;

  g_return_val_if_fail (wordlist != NULL, hits);
  g_return_val_if_fail (text != NULL, hits);

  normalised = at_text_normalise (text);
  if (*normalised == '\0')
    return hits;
  /* patterns are in item order, so one hit per item is the first pattern of it that matches */
  for (guint i = 0; i < wordlist->patterns->len; i++)
    {
      Pattern *p = wordlist->patterns->pdata[i];
      AtWordHit hit;

      if (p->item == last_item || strstr (normalised, p->normalised) == NULL)
        continue;
      hit.item = p->item;
      hit.phrase = wordlist->items[p->item - 1];
      hit.part = p->part;
      g_array_append_val (hits, hit);
      last_item = p->item;
    }
  return hits;
}
