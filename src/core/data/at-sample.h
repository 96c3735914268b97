/* at-sample.h — reproducible stratified random samples
 *
 * The generator is xoshiro256** seeded through splitmix64, written out here rather than taken
 * from GLib so that a seed recorded in a report draws the same calls on any machine and any
 * future version: the sampling plan is part of the evidence.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Seeds are kept to 53 bits so that they survive JSON and spreadsheets unchanged. */
#define AT_SAMPLE_MAX_SEED G_GUINT64_CONSTANT (9007199254740991)
#define AT_SAMPLE_MAX_SEED_TEXT "9007199254740991"
#define AT_SAMPLE_METHOD   "proportional allocation (largest remainder, at least one per stratum), xoshiro256** partial Fisher-Yates"

typedef struct
{
  guint64 s[4];
} AtRandom;

void     at_random_init  (AtRandom *rng,
                          guint64   seed);
guint64  at_random_next  (AtRandom *rng);
guint64  at_random_below (AtRandom *rng,
                          guint64   bound);
guint64  at_random_seed  (void);

typedef struct
{
  char  *key;
  guint  population;
  guint  drawn;
} AtStratum;

void     at_stratum_clear (AtStratum *stratum);

/* Draws @n of @n_candidates, stratified by @keys (one per candidate; NULL: one stratum).
 * Returns the chosen candidate indices in ascending order; *@strata (AtStratum, in key
 * order) tells each stratum's population and draw. */
GArray  *at_sample_draw  (const char * const *keys,
                          guint               n_candidates,
                          guint               n,
                          guint64             seed,
                          GArray            **strata);

G_END_DECLS
