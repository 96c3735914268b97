/* at-indicator.h — what the measured input of an indicator comes to against its limit
 *
 * Pure arithmetic over the catalog's AtIndicator: no store, no I/O, so the GUI, the report and
 * the tests evaluate exactly the same way.
 */
#pragma once

#include "at-catalog.h"

G_BEGIN_DECLS

/* The 0.975 quantile of the standard normal distribution: a two-sided 95 % interval. */
#define AT_WILSON_Z 1.959963984540054

typedef struct
{
  gboolean measured;    /* FALSE: nothing to evaluate; value and pass mean nothing */
  double   value;       /* what is compared with the limit: the value, the worst sample, the
                         * mean, or the share of samples meeting the sample limit in % */
  gboolean pass;        /* only when measured */
  guint    n;           /* samples taken into account (1 for a single value) */
  guint    successes;   /* samples meeting their limit (each and share) */
  double   wilson_low;  /* share only: 95 % Wilson score interval of the share, in % */
  double   wilson_high;
} AtIndicatorResult;

void      at_indicator_evaluate (const AtIndicator *indicator,
                                 gboolean           has_value,
                                 double             value,
                                 const double      *samples,
                                 guint              n_samples,
                                 AtIndicatorResult *out);
gboolean  at_indicator_takes_samples (const AtIndicator *indicator);
gboolean  at_indicator_check_input (const AtIndicator *indicator,
                                    double             number,
                                    gboolean           is_sample,
                                    GError           **error);
GArray   *at_indicator_parse_samples (const AtIndicator *indicator,
                                      const char        *text,
                                      GError           **error);

void      at_indicator_result_to_json (const AtIndicator       *indicator,
                                       const AtIndicatorResult *result,
                                       JsonBuilder             *builder);

void      at_wilson_interval    (guint              successes,
                                 guint              n,
                                 double             z,
                                 double            *low,
                                 double            *high);

gboolean  at_number_parse       (const char        *text,
                                 double            *out,
                                 GError           **error);
char     *at_number_format      (double             number);

G_END_DECLS
