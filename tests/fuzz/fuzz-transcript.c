/* fuzz-transcript.c — libFuzzer target for at_transcript_parse and word-list matching
 *
 * Every cue of a transcript that reads is matched against a word list built from the first
 * lines of the input itself (up to the first NUL byte, one item a line) and against a fixed
 * list with the shapes the 46 forbidden phrases have (或 variants, brackets, several sentences).
 * See README.md.
 */
#include "config.h"

#include <string.h>

#include "fuzz-data.h"

static AtWordlist *fixed;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static const char * const items[] = {
    "讲话!说话啊!", "你听明白了吗?或你没有弄明白,这次听好了。", "我们的电脑是(绝对)不会出错的!",
    "您说的情况我不知道。刚才的电话不是我接的。", "(((a)b)c)d(e", "或或。或!或", NULL
  };

  fuzz_data_init ();
  fixed = at_wordlist_new (items);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cues = NULL;
  g_autoptr(AtWordlist) own = NULL;
  const char *nul = memchr (data, '\0', size);
  AtTranscriptFormat format;
  const char *encoding;

  /* a word list of the input's own making: the part before a NUL, one item a valid line */
  if (nul != NULL)
    {
      g_autofree char *head = g_strndup ((const char *) data, nul - (const char *) data);
      g_auto(GStrv) lines = g_strsplit (head, "\n", 64);
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

      for (guint i = 0; lines[i]; i++)
        if (g_utf8_validate (lines[i], -1, NULL) && *lines[i])
          g_strv_builder_add (b, lines[i]);
      {
        g_auto(GStrv) items = g_strv_builder_end (b);
        own = at_wordlist_new ((const char * const *) items);
      }
      size -= nul - (const char *) data + 1;
      data = (const uint8_t *) nul + 1;
    }

  cues = at_transcript_parse ((const char *) data, size, &format, &encoding, &error);
  g_assert ((cues == NULL) == (error != NULL));
  for (guint i = 0; cues && i < cues->len; i++)
    {
      AtCue *cue = cues->pdata[i];
      g_autoptr(GArray) a = at_wordlist_match (fixed, cue->text);
      g_autoptr(GArray) b = own ? at_wordlist_match (own, cue->text) : NULL;

      g_assert (g_utf8_validate (cue->text, -1, NULL));
      for (guint h = 0; h < a->len; h++)
        g_assert (g_array_index (a, AtWordHit, h).item >= 1);
    }
  return 0;
}
