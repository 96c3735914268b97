/* test-indicator.c — indicator evaluation: aggregates, comparator boundaries, Wilson intervals */
#include "config.h"

#include <math.h>

#include "at-core.h"

#define ANSWER_RATE  { .id = (char *) "answer-rate", .limit = { (char *) "rate", (char *) "%", AT_CMP_GE, 95 }, \
                       .aggregate = AT_AGG_VALUE }
#define ANSWER_15S   { .id = (char *) "answer-15s", .limit = { (char *) "rate", (char *) "%", AT_CMP_GE, 85 }, \
                       .aggregate = AT_AGG_SHARE, .has_sample = TRUE, \
                       .sample = { (char *) "duration", (char *) "s", AT_CMP_LE, 15 } }

static void
evaluate_value (AtComparator       comparator,
                double             limit,
                double             value,
                AtIndicatorResult *r)
{
  AtIndicator ind = { .id = (char *) "v", .limit = { (char *) "count", (char *) "times", comparator, limit },
                      .aggregate = AT_AGG_VALUE };

  at_indicator_evaluate (&ind, TRUE, value, NULL, 0, r);
  g_assert_true (r->measured);
  g_assert_cmpuint (r->n, ==, 1);
  g_assert_cmpfloat (r->value, ==, value);
}

static gboolean
passes (AtComparator comparator,
        double       limit,
        double       value)
{
  AtIndicatorResult r;

  evaluate_value (comparator, limit, value, &r);
  return r.pass;
}

static void
test_value_comparators (void)
{
  /* the boundary itself, both sides of it, and a rounding error away from it */
  g_assert_true (passes (AT_CMP_GE, 95, 95));
  g_assert_true (passes (AT_CMP_GE, 95, 95.01));
  g_assert_false (passes (AT_CMP_GE, 95, 94.99));
  g_assert_true (passes (AT_CMP_GE, 95, 95 - 1e-12));

  g_assert_false (passes (AT_CMP_GT, 95, 95));
  g_assert_false (passes (AT_CMP_GT, 95, 95 + 1e-12));
  g_assert_true (passes (AT_CMP_GT, 95, 95.01));

  g_assert_true (passes (AT_CMP_LE, 15, 15));
  g_assert_true (passes (AT_CMP_LE, 15, 14));
  g_assert_false (passes (AT_CMP_LE, 15, 15.001));

  g_assert_false (passes (AT_CMP_LT, 15, 15));
  g_assert_true (passes (AT_CMP_LT, 15, 14.999));

  g_assert_true (passes (AT_CMP_EQ, 100, 100));
  g_assert_true (passes (AT_CMP_EQ, 100, 0.1 * 1000));
  g_assert_false (passes (AT_CMP_EQ, 100, 99.9));
  g_assert_false (passes (AT_CMP_EQ, 0, 0.001));
  g_assert_true (passes (AT_CMP_EQ, 0, 0));
}

static void
test_value_unmeasured (void)
{
  AtIndicator ind = ANSWER_RATE;
  const double samples[] = { 99, 100 };
  AtIndicatorResult r;

  memset (&r, 0xff, sizeof r);
  at_indicator_evaluate (&ind, FALSE, 0, NULL, 0, &r);
  g_assert_false (r.measured);
  g_assert_cmpuint (r.n, ==, 0);

  /* a value indicator does not look at samples */
  at_indicator_evaluate (&ind, FALSE, 0, samples, G_N_ELEMENTS (samples), &r);
  g_assert_false (r.measured);

  at_indicator_evaluate (&ind, TRUE, 96.5, NULL, 0, &r);
  g_assert_true (r.measured);
  g_assert_true (r.pass);
  g_assert_cmpfloat (r.value, ==, 96.5);
}

static void
test_each (void)
{
  AtIndicator le = { .id = (char *) "e", .limit = { (char *) "duration", (char *) "d", AT_CMP_LE, 3 },
                     .aggregate = AT_AGG_EACH };
  AtIndicator ge = { .id = (char *) "g", .limit = { (char *) "speed", (char *) "Mbit/s", AT_CMP_GE, 100 },
                     .aggregate = AT_AGG_EACH };
  AtIndicator eq = { .id = (char *) "q", .limit = { (char *) "count", (char *) "times", AT_CMP_EQ, 5 },
                     .aggregate = AT_AGG_EACH };
  const double ok[] = { 1, 3, 2 };
  const double one_late[] = { 1, 3.5, 2, 3 };
  const double fast[] = { 120, 100, 180 };
  const double slow[] = { 120, 99.5, 180, 80 };
  const double off[] = { 5, 4, 7, 5 };
  AtIndicatorResult r;

  at_indicator_evaluate (&le, FALSE, 0, NULL, 0, &r);
  g_assert_false (r.measured);

  /* the reported value is the worst sample, which decides the verdict */
  at_indicator_evaluate (&le, FALSE, 0, ok, G_N_ELEMENTS (ok), &r);
  g_assert_true (r.measured);
  g_assert_true (r.pass);
  g_assert_cmpfloat (r.value, ==, 3);
  g_assert_cmpuint (r.n, ==, 3);
  g_assert_cmpuint (r.successes, ==, 3);

  at_indicator_evaluate (&le, FALSE, 0, one_late, G_N_ELEMENTS (one_late), &r);
  g_assert_false (r.pass);
  g_assert_cmpfloat (r.value, ==, 3.5);
  g_assert_cmpuint (r.successes, ==, 3);

  at_indicator_evaluate (&ge, FALSE, 0, fast, G_N_ELEMENTS (fast), &r);
  g_assert_true (r.pass);
  g_assert_cmpfloat (r.value, ==, 100);

  at_indicator_evaluate (&ge, FALSE, 0, slow, G_N_ELEMENTS (slow), &r);
  g_assert_false (r.pass);
  g_assert_cmpfloat (r.value, ==, 80);
  g_assert_cmpuint (r.successes, ==, 2);

  at_indicator_evaluate (&eq, FALSE, 0, off, G_N_ELEMENTS (off), &r);
  g_assert_false (r.pass);
  g_assert_cmpfloat (r.value, ==, 7);
  g_assert_cmpuint (r.successes, ==, 2);

  /* a single sample on the boundary */
  at_indicator_evaluate (&le, FALSE, 0, (const double[]) { 3 }, 1, &r);
  g_assert_true (r.pass);
}

static void
test_mean (void)
{
  AtIndicator ind = { .id = (char *) "m", .limit = { (char *) "duration", (char *) "s", AT_CMP_LE, 15 },
                      .aggregate = AT_AGG_MEAN };
  const double on_limit[] = { 10, 20, 15 };
  const double above[] = { 10, 20, 16 };
  const double one[] = { 14.5 };
  AtIndicatorResult r;

  at_indicator_evaluate (&ind, TRUE, 3, NULL, 0, &r);
  g_assert_false (r.measured);

  at_indicator_evaluate (&ind, FALSE, 0, on_limit, G_N_ELEMENTS (on_limit), &r);
  g_assert_true (r.measured);
  g_assert_true (r.pass);
  g_assert_cmpfloat_with_epsilon (r.value, 15, 1e-12);
  g_assert_cmpuint (r.n, ==, 3);

  at_indicator_evaluate (&ind, FALSE, 0, above, G_N_ELEMENTS (above), &r);
  g_assert_false (r.pass);
  g_assert_cmpfloat_with_epsilon (r.value, 46.0 / 3, 1e-12);

  at_indicator_evaluate (&ind, FALSE, 0, one, 1, &r);
  g_assert_true (r.pass);
  g_assert_cmpfloat (r.value, ==, 14.5);

  /* each sample finite, their sum not (found by tests/fuzz/fuzz-samples' check): the mean is */
  {
    const double huge[] = { 1e308, 1e308, 4e307 };

    at_indicator_evaluate (&ind, FALSE, 0, huge, G_N_ELEMENTS (huge), &r);
    g_assert_true (isfinite (r.value));
    g_assert_cmpfloat_with_epsilon (r.value / 8e307, 1, 1e-12);
    g_assert_false (r.pass);
  }
}

static void
test_share (void)
{
  AtIndicator ind = ANSWER_15S;
  double samples[100];
  AtIndicatorResult r;

  at_indicator_evaluate (&ind, FALSE, 0, NULL, 0, &r);
  g_assert_false (r.measured);

  /* 85 of 100 answered within 15 s (15 itself counts): exactly on the 85 % limit */
  for (guint i = 0; i < 100; i++)
    samples[i] = i < 85 ? (i % 2 ? 15 : 3) : 15.5;
  at_indicator_evaluate (&ind, FALSE, 0, samples, 100, &r);
  g_assert_true (r.measured);
  g_assert_cmpuint (r.n, ==, 100);
  g_assert_cmpuint (r.successes, ==, 85);
  g_assert_cmpfloat_with_epsilon (r.value, 85, 1e-12);
  g_assert_true (r.pass);
  g_assert_cmpfloat_with_epsilon (r.wilson_low, 76.7164, 0.001);
  g_assert_cmpfloat_with_epsilon (r.wilson_high, 90.6940, 0.001);

  /* one fewer and it fails */
  samples[0] = 16;
  at_indicator_evaluate (&ind, FALSE, 0, samples, 100, &r);
  g_assert_cmpuint (r.successes, ==, 84);
  g_assert_false (r.pass);

  /* 2 of 3 */
  at_indicator_evaluate (&ind, FALSE, 0, (const double[]) { 10, 12.3, 20 }, 3, &r);
  g_assert_cmpuint (r.successes, ==, 2);
  g_assert_cmpfloat_with_epsilon (r.value, 200.0 / 3, 1e-9);
  g_assert_false (r.pass);
  g_assert_cmpfloat_with_epsilon (r.wilson_low, 20.7660, 0.001);
  g_assert_cmpfloat_with_epsilon (r.wilson_high, 93.8508, 0.001);
}

static void
test_wilson (void)
{
  double low, high;

  at_wilson_interval (85, 100, AT_WILSON_Z, &low, &high);
  g_assert_cmpfloat_with_epsilon (low, 0.767164, 1e-6);
  g_assert_cmpfloat_with_epsilon (high, 0.906940, 1e-6);

  /* none and all: the bound on the observed side is exact */
  at_wilson_interval (0, 10, AT_WILSON_Z, &low, &high);
  g_assert_cmpfloat (low, ==, 0);
  g_assert_cmpfloat_with_epsilon (high, 0.277533, 1e-6);

  at_wilson_interval (10, 10, AT_WILSON_Z, &low, &high);
  g_assert_cmpfloat_with_epsilon (low, 0.722467, 1e-6);
  g_assert_cmpfloat (high, ==, 1);

  at_wilson_interval (1, 1, AT_WILSON_Z, &low, &high);
  g_assert_cmpfloat_with_epsilon (low, 0.206549, 1e-6);
  g_assert_cmpfloat (high, ==, 1);

  /* symmetric around one half */
  at_wilson_interval (50, 100, AT_WILSON_Z, &low, &high);
  g_assert_cmpfloat_with_epsilon (low, 0.403832, 1e-6);
  g_assert_cmpfloat_with_epsilon (low + high, 1, 1e-12);

  /* nothing sampled: nothing known */
  at_wilson_interval (0, 0, AT_WILSON_Z, &low, &high);
  g_assert_cmpfloat (low, ==, 0);
  g_assert_cmpfloat (high, ==, 1);

  /* the share result carries it in percent, and 0 of 10 */
  {
    AtIndicator ind = ANSWER_15S;
    const double slow[10] = { 16, 16, 16, 16, 16, 16, 16, 16, 16, 16 };
    AtIndicatorResult r;

    at_indicator_evaluate (&ind, FALSE, 0, slow, 10, &r);
    g_assert_cmpfloat (r.value, ==, 0);
    g_assert_cmpfloat (r.wilson_low, ==, 0);
    g_assert_cmpfloat_with_epsilon (r.wilson_high, 27.7533, 0.0001);
    g_assert_false (r.pass);
  }
}

static void
test_number_parse (void)
{
  static const struct { const char *text; double value; } good[] = {
    { "95", 95 }, { "-1.5", -1.5 }, { "+2", 2 }, { ".5", 0.5 }, { "5.", 5 }, { "1e3", 1000 },
    { "12.3", 12.3 }, { "0", 0 }, { "1E-2", 0.01 },
  };
  static const char * const bad[] = {
    "", "abc", " 5", "5 ", "0x10", "inf", "-inf", "nan", "1e400", "9,5", "1,000", "5%", "--5", "+", ".", "1e",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      double d = -42;

      g_assert_true (at_number_parse (good[i].text, &d, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (d, ==, good[i].value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("“%s” is not a number", bad[i]);
      double d = -42;

      g_assert_false (at_number_parse (bad[i], &d, &error));
      g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, expected));
      g_assert_cmpfloat (d, ==, -42);
    }
  {
    g_autoptr(GError) error = NULL;
    double d;

    g_assert_false (at_number_parse ("95,5", &d, &error));
    g_assert_nonnull (strstr (error->message, "decimals with a point"));
  }
}

static void
test_number_format (void)
{
  static const struct { double value; const char *text; } cases[] = {
    { 12.3, "12.3" }, { 100, "100" }, { 0.1 + 0.2, "0.30000000000000004" }, { 85.5, "85.5" },
    { -0.25, "-0.25" }, { 1e21, "1e+21" }, { 1.0 / 3, "0.3333333333333333" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = at_number_format (cases[i].value);
      double back;

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_true (at_number_parse (text, &back, NULL));
      g_assert_cmpfloat (back, ==, cases[i].value);
    }
}

static void
test_check_input (void)
{
  AtIndicator rate = ANSWER_RATE;
  AtIndicator share = ANSWER_15S;
  g_autoptr(GError) error = NULL;

  g_assert_true (at_indicator_check_input (&rate, 0, FALSE, NULL));
  g_assert_true (at_indicator_check_input (&rate, 100, FALSE, NULL));
  g_assert_false (at_indicator_check_input (&rate, 100.5, FALSE, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "100 %"));
  g_clear_error (&error);
  g_assert_false (at_indicator_check_input (&rate, -1, FALSE, &error));
  g_assert_nonnull (strstr (error->message, "negative"));
  g_clear_error (&error);
  g_assert_false (at_indicator_check_input (&rate, NAN, FALSE, &error));
  g_clear_error (&error);

  /* a share's samples are in the sample's unit (seconds here), not in % */
  g_assert_true (at_indicator_check_input (&share, 240, TRUE, NULL));
  g_assert_false (at_indicator_check_input (&share, -3, TRUE, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);

  g_assert_false (at_indicator_takes_samples (&rate));
  g_assert_true (at_indicator_takes_samples (&share));
}

static void
test_result_json (void)
{
  AtIndicator share = ANSWER_15S;
  AtIndicator rate = ANSWER_RATE;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  AtIndicatorResult r;
  JsonArray *array;
  JsonObject *o;

  json_builder_begin_array (b);
  at_indicator_evaluate (&share, FALSE, 0, (const double[]) { 3, 30 }, 2, &r);
  at_indicator_result_to_json (&share, &r, b);
  at_indicator_evaluate (&rate, FALSE, 0, NULL, 0, &r);
  at_indicator_result_to_json (&rate, &r, b);
  at_indicator_evaluate (&share, FALSE, 0, NULL, 0, &r);
  at_indicator_result_to_json (&share, &r, b);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  array = json_node_get_array (root);

  o = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "indicator"), ==, "answer-15s");
  g_assert_cmpstr (json_object_get_string_member (o, "aggregate"), ==, "share");
  g_assert_cmpstr (json_object_get_string_member (o, "comparator"), ==, ">=");
  g_assert_cmpfloat (json_object_get_double_member (o, "limit"), ==, 85);
  g_assert_cmpfloat (json_object_get_double_member (o, "value"), ==, 50);
  g_assert_false (json_object_get_boolean_member (o, "pass"));
  g_assert_cmpint (json_object_get_int_member (o, "n"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "successes"), ==, 1);
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "wilson"), "low"));

  o = json_array_get_object_element (array, 1);
  g_assert_true (json_object_get_null_member (o, "value"));
  g_assert_true (json_object_get_null_member (o, "pass"));
  g_assert_false (json_object_has_member (o, "wilson"));

  o = json_array_get_object_element (array, 2);
  g_assert_true (json_object_get_null_member (o, "pass"));
  g_assert_true (json_object_get_null_member (o, "wilson"));
}

/* The column a person pastes from a spreadsheet, and what is wrong with it, by line. */
static void
test_parse_samples (void)
{
  AtIndicator share = ANSWER_15S;
  AtIndicator value = ANSWER_RATE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) a = NULL;

  a = at_indicator_parse_samples (&share, "12\r\n8.5\r\n\r\n30\t1,2;3 4", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 7);
  g_assert_cmpfloat (g_array_index (a, double, 1), ==, 8.5);
  g_assert_cmpfloat (g_array_index (a, double, 6), ==, 4);
  g_clear_pointer (&a, g_array_unref);

  /* the separators of a Chinese input method */
  a = at_indicator_parse_samples (&share, "1，2；3　4", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 4);
  g_clear_pointer (&a, g_array_unref);

  /* blank is nothing measured, not an error */
  a = at_indicator_parse_samples (&share, " \n\t\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 0);
  g_clear_pointer (&a, g_array_unref);

  /* the line of a bad number in a column; an old Mac's lone CR ends a line too */
  g_assert_null (at_indicator_parse_samples (&share, "12\r13\rabc\n14", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "line 3: “abc” is not a number");
  g_clear_error (&error);
  g_assert_null (at_indicator_parse_samples (&share, "12\n-3", &error));
  g_assert_true (g_str_has_prefix (error->message, "line 2: sample -3 for indicator answer-15s is negative"));
  g_clear_error (&error);

  /* one line says no line */
  g_assert_null (at_indicator_parse_samples (&value, "101", &error));
  g_assert_cmpstr (error->message, ==, "value 101 for indicator answer-rate is over 100 %, and a percentage cannot be");
  g_clear_error (&error);
  g_assert_null (at_indicator_parse_samples (&value, "95 96", &error));
  g_assert_cmpstr (error->message, ==, "enter one value (2 were given)");
  g_clear_error (&error);
  a = at_indicator_parse_samples (&value, " 95.5 ", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 1);
  g_assert_cmpfloat (g_array_index (a, double, 0), ==, 95.5);
  g_clear_pointer (&a, g_array_unref);

  g_assert_null (at_indicator_parse_samples (&share, "1\n\xff", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (at_indicator_parse_samples (&share, "1e999", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/indicator/value/comparators", test_value_comparators);
  g_test_add_func ("/indicator/value/unmeasured", test_value_unmeasured);
  g_test_add_func ("/indicator/each", test_each);
  g_test_add_func ("/indicator/mean", test_mean);
  g_test_add_func ("/indicator/share", test_share);
  g_test_add_func ("/indicator/wilson", test_wilson);
  g_test_add_func ("/indicator/number/parse", test_number_parse);
  g_test_add_func ("/indicator/number/format", test_number_format);
  g_test_add_func ("/indicator/check-input", test_check_input);
  g_test_add_func ("/indicator/parse-samples", test_parse_samples);
  g_test_add_func ("/indicator/result-json", test_result_json);

  return g_test_run ();
}
