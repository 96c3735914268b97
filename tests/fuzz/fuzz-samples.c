/* fuzz-samples.c — libFuzzer target for the measured input a person types or pastes
 *
 * at_indicator_parse_samples reads what lands in a clause's sample box: a column pasted from a
 * spreadsheet, a report, a chat window. The first byte chooses the indicator (its aggregate,
 * its unit, its comparator); the rest is the text. An answer is numbers or a sentence; the
 * numbers are finite, pass the indicator's own input check, evaluate, print as JSON, and each
 * one written with at_number_format reads back as exactly the same double.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>

#include "fuzz-glib.h"
#include "at-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_glib_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const AtAggregate aggregates[] = { AT_AGG_VALUE, AT_AGG_EACH, AT_AGG_MEAN, AT_AGG_SHARE };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) numbers = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  AtIndicator ind = {
    .id = (char *) "fuzz",
    .limit = { (char *) "rate", (char *) "%", AT_CMP_GE, 85 },
    .sample = { (char *) "duration", (char *) "s", AT_CMP_LE, 15 },
  };
  AtIndicatorResult r;

  if (size < 1)
    return 0;
  ind.aggregate = aggregates[data[0] & 3];
  ind.has_sample = ind.aggregate == AT_AGG_SHARE;
  if (data[0] & 4)
    ind.limit.unit = (char *) "s";
  ind.limit.comparator = (AtComparator) ((data[0] >> 3) % 5);
  ind.sample.comparator = (AtComparator) ((data[0] >> 6) % 4);

  /* the text as the GUI hands it over: a C string, so it ends at a NUL */
  text = g_strndup ((const char *) data + 1, size - 1);
  numbers = at_indicator_parse_samples (&ind, text, &error);
  g_assert ((numbers != NULL) != (error != NULL));
  if (numbers == NULL)
    {
      g_assert (error->message != NULL && *error->message != '\0');
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert (at_indicator_takes_samples (&ind) || numbers->len <= 1);
  for (guint i = 0; i < numbers->len; i++)
    {
      double d = g_array_index (numbers, double, i);
      g_autofree char *shown = at_number_format (d);
      double back = -1;

      g_assert (isfinite (d));
      g_assert (at_indicator_check_input (&ind, d, at_indicator_takes_samples (&ind), NULL));
      /* the database, the audit log and the report keep the number as this text */
      g_assert (at_number_parse (shown, &back, NULL));
      g_assert (back == d);
    }

  at_indicator_evaluate (&ind, numbers->len == 1, numbers->len ? g_array_index (numbers, double, 0) : 0,
                         (const double *) numbers->data, numbers->len, &r);
  if (r.measured)
    g_assert (isfinite (r.value));
  if (ind.aggregate == AT_AGG_SHARE && r.measured)
    g_assert (r.wilson_low >= 0 && r.wilson_low <= r.value + 1e-9 && r.value <= r.wilson_high + 1e-9 && r.wilson_high <= 100);
  at_indicator_result_to_json (&ind, &r, b);
  node = json_builder_get_root (b);
  g_assert (node != NULL);
  return 0;
}
