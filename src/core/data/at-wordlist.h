/* at-wordlist.h — a catalog's word list (forbidden phrases) searched in transcripts
 *
 * Matching is on normalised text: full-width forms folded (NFKC), case folded, punctuation,
 * symbols and spaces dropped, and 您 read as 你, so “您 有完没完？” finds “你有完没完?”. A list
 * item may offer variants joined by “或” after a sentence (“…吗?或你没有弄明白…”), optional
 * words in brackets (“是(绝对)不会”) and several sentences (“…我不知道。刚才的电话不是我接的。”);
 * each variant and each sentence of four or more characters is searched on its own.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AtWordlist AtWordlist;

typedef struct
{
  guint        item;    /* 1-based position of the matched item in the list */
  const char  *phrase;  /* the item as the list writes it */
  const char  *part;    /* the variant or sentence that matched */
} AtWordHit;

AtWordlist *at_wordlist_new          (const char * const *items);
void        at_wordlist_free         (AtWordlist         *wordlist);
guint       at_wordlist_get_n_items  (AtWordlist         *wordlist);
guint       at_wordlist_get_n_patterns (AtWordlist       *wordlist);
const char *at_wordlist_get_pattern  (AtWordlist         *wordlist,
                                      guint               index,
                                      guint              *item);
/* Returns: (transfer full): AtWordHit, at most one per item, in item order */
GArray     *at_wordlist_match        (AtWordlist         *wordlist,
                                      const char         *text);

char       *at_text_normalise        (const char         *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtWordlist, at_wordlist_free)

G_END_DECLS
