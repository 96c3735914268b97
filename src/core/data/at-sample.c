/* at-sample.c — reproducible stratified random samples */
#include "config.h"

#include <string.h>

#include "at-sample.h"

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
at_random_init (AtRandom *rng,
                guint64   seed)
{
  guint64 state = seed;

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
}

guint64
at_random_next (AtRandom *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, bound): numbers below 2^64 mod bound are rejected, so no value is favoured. */
guint64
at_random_below (AtRandom *rng,
                 guint64   bound)
{
  guint64 threshold, r;

  g_return_val_if_fail (bound > 0, 0);
  threshold = (-bound) % bound;
  do
    r = at_random_next (rng);
  while (r < threshold);
  return r % bound;
}

guint64
at_random_seed (void)
{
  return (((guint64) g_random_int () << 32) | g_random_int ()) & AT_SAMPLE_MAX_SEED;
}

void
at_stratum_clear (AtStratum *stratum)
{
  g_clear_pointer (&stratum->key, g_free);
}

typedef struct
{
  const char *key;
  GArray     *members;     /* guint candidate indices, ascending */
  guint       quota;
  double      remainder;
} Group;

static int
compare_groups (gconstpointer a, gconstpointer b)
{
  return strcmp (((const Group *) a)->key, ((const Group *) b)->key);
}

static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

/* Largest remainder first; ties go to the larger stratum, then to key order. */
static int
compare_remainders (gconstpointer a, gconstpointer b)
{
  const Group *x = *(Group * const *) a, *y = *(Group * const *) b;

  if (x->remainder != y->remainder)
    return x->remainder > y->remainder ? -1 : 1;
  if (x->members->len != y->members->len)
    return x->members->len > y->members->len ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* Shares @n out over @groups in proportion to their size, by largest remainder. With @at_least_one,
 * an empty-handed stratum then takes one from the stratum with the largest quota, so every
 * stratum is represented and the shares stay as close to proportional as they can. */
static void
allocate (GArray   *groups,
          guint     n,
          guint     total,
          gboolean  at_least_one)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  guint given = 0;

  for (guint i = 0; i < groups->len; i++)
    {
      Group *g = &g_array_index (groups, Group, i);
      double exact = (double) n * g->members->len / (double) total;
      guint whole = MIN ((guint) exact, g->members->len);

      g->quota = whole;
      g->remainder = exact - whole;
      given += whole;
      g_ptr_array_add (order, g);
    }
  g_ptr_array_sort (order, compare_remainders);
  for (guint i = 0; given < n && i < order->len; i++)
    {
      Group *g = order->pdata[i];
      if (g->quota < g->members->len)
        {
          g->quota++;
          given++;
        }
    }

  if (!at_least_one)
    return;
  for (guint i = 0; i < groups->len; i++)
    {
      Group *g = &g_array_index (groups, Group, i);
      Group *largest = NULL;

      if (g->quota > 0)
        continue;
      for (guint j = 0; j < groups->len; j++)
        {
          Group *h = &g_array_index (groups, Group, j);
          if (h->quota > 1 && (largest == NULL || h->quota > largest->quota))
            largest = h;
        }
      if (largest == NULL)
        break;
      largest->quota--;
      g->quota++;
    }
}

GArray *
at_sample_draw (const char * const *keys,
                guint               n_candidates,
                guint               n,
                guint64             seed,
                GArray            **strata)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) groups = g_array_new (FALSE, TRUE, sizeof (Group));
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  AtRandom rng;

  for (guint i = 0; i < n_candidates; i++)
    {
      const char *key = keys ? keys[i] : "";
      gpointer index;

      if (!g_hash_table_lookup_extended (by_key, key, NULL, &index))
        {
          Group g = { key, g_array_new (FALSE, FALSE, sizeof (guint)), 0, 0 };
          index = GUINT_TO_POINTER (groups->len);
          g_array_append_val (groups, g);
          g_hash_table_insert (by_key, (gpointer) key, index);
        }
      g_array_append_val (g_array_index (groups, Group, GPOINTER_TO_UINT (index)).members, i);
    }
  /* the hash table's pointers into groups are not used past this point */
  g_array_sort (groups, compare_groups);

  if (n >= n_candidates)
    for (guint i = 0; i < groups->len; i++)
      g_array_index (groups, Group, i).quota = g_array_index (groups, Group, i).members->len;
  else
    allocate (groups, n, n_candidates, n >= groups->len);

  at_random_init (&rng, seed);
  for (guint i = 0; i < groups->len; i++)
    {
      Group *g = &g_array_index (groups, Group, i);
      guint *m = (guint *) g->members->data;
      guint len = g->members->len;

      /* partial Fisher–Yates: the first quota places end up a uniform draw without replacement */
      for (guint k = 0; k < g->quota; k++)
        {
          guint j = k + (guint) at_random_below (&rng, len - k);
          guint tmp = m[k];
          m[k] = m[j];
          m[j] = tmp;
          g_array_append_val (chosen, m[k]);
        }
    }
  g_array_sort (chosen, compare_uint);

  if (strata != NULL)
    {
      *strata = g_array_new (FALSE, TRUE, sizeof (AtStratum));
      g_array_set_clear_func (*strata, (GDestroyNotify) at_stratum_clear);
    }
  for (guint i = 0; i < groups->len; i++)
    {
      Group *g = &g_array_index (groups, Group, i);
      if (strata != NULL)
        {
          AtStratum s = { g_strdup (g->key), g->members->len, g->quota };
          g_array_append_val (*strata, s);
        }
      g_array_unref (g->members);
    }
  return chosen;
}
