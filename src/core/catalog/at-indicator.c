/* at-indicator.c — what the measured input of an indicator comes to against its limit */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "at-error.h"
#include "at-indicator.h"

gboolean
at_indicator_takes_samples (const AtIndicator *indicator)
{
  g_return_val_if_fail (indicator != NULL, FALSE);

  return indicator->aggregate != AT_AGG_VALUE;
}

void
at_wilson_interval (guint   successes,
                    guint   n,
                    double  z,
                    double *low,
                    double *high)
{
  double p, z2n, denom, centre, half;

  g_return_if_fail (successes <= n);

  if (n == 0)
    {
      *low = 0.0;
      *high = 1.0;
      return;
    }

  p = (double) successes / n;
  z2n = z * z / n;
  denom = 1.0 + z2n;
  centre = (p + z2n / 2.0) / denom;
  half = z / denom * sqrt (p * (1.0 - p) / n + z2n / (4.0 * n));

  /* At 0 or n successes the bound is exactly 0 or 1; rounding must not put it outside. */
  *low = successes == 0 ? 0.0 : CLAMP (centre - half, 0.0, 1.0);
  *high = successes == n ? 1.0 : CLAMP (centre + half, 0.0, 1.0);
}

/* The sample that does worst against the limit: the one farthest on the wrong side. */
static double
worst_sample (AtComparator  comparator,
              double        limit,
              const double *samples,
              guint         n_samples)
{
  double worst = samples[0];

  for (guint i = 1; i < n_samples; i++)
    {
      double s = samples[i];

      switch (comparator)
        {
        case AT_CMP_GE:
        case AT_CMP_GT:
          worst = MIN (worst, s);
          break;
        case AT_CMP_LE:
        case AT_CMP_LT:
          worst = MAX (worst, s);
          break;
        case AT_CMP_EQ:
          if (fabs (s - limit) > fabs (worst - limit))
            worst = s;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return worst;
}

void
at_indicator_evaluate (const AtIndicator *indicator,
                       gboolean           has_value,
                       double             value,
                       const double      *samples,
                       guint              n_samples,
                       AtIndicatorResult *out)
{
  const AtLimit *limit;

  g_return_if_fail (indicator != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (samples != NULL || n_samples == 0);

  memset (out, 0, sizeof *out);
  limit = &indicator->limit;

  switch (indicator->aggregate)
    {
    case AT_AGG_VALUE:
      if (!has_value)
        return;
      out->measured = TRUE;
      out->value = value;
      out->n = 1;
      out->pass = at_comparator_holds (limit->comparator, value, limit->limit);
      out->successes = out->pass ? 1 : 0;
      return;

    case AT_AGG_EACH:
      if (n_samples == 0)
        return;
      out->measured = TRUE;
      out->n = n_samples;
      for (guint i = 0; i < n_samples; i++)
        if (at_comparator_holds (limit->comparator, samples[i], limit->limit))
          out->successes++;
      out->value = worst_sample (limit->comparator, limit->limit, samples, n_samples);
      out->pass = out->successes == n_samples;
      return;

    case AT_AGG_MEAN:
      {
        double sum = 0.0;
        double mean;

        if (n_samples == 0)
          return;
        for (guint i = 0; i < n_samples; i++)
          sum += samples[i];
        /* finite samples can still add up past the largest double: then divide first, so the
         * mean is the finite number it is (an "inf" would not even be valid JSON) */
        mean = sum / n_samples;
        if (!isfinite (sum))
          {
            mean = 0.0;
            for (guint i = 0; i < n_samples; i++)
              mean += samples[i] / n_samples;
          }
        out->measured = TRUE;
        out->n = n_samples;
        out->value = mean;
        out->pass = at_comparator_holds (limit->comparator, out->value, limit->limit);
        return;
      }

    case AT_AGG_SHARE:
      /* the loader refuses a share without its sample limit; stay safe if one slipped by */
      if (n_samples == 0 || !indicator->has_sample)
        return;
      out->measured = TRUE;
      out->n = n_samples;
      for (guint i = 0; i < n_samples; i++)
        if (at_comparator_holds (indicator->sample.comparator, samples[i], indicator->sample.limit))
          out->successes++;
      out->value = 100.0 * out->successes / n_samples;
      out->pass = at_comparator_holds (limit->comparator, out->value, limit->limit);
      at_wilson_interval (out->successes, n_samples, AT_WILSON_Z, &out->wilson_low, &out->wilson_high);
      out->wilson_low *= 100.0;
      out->wilson_high *= 100.0;
      return;

    default:
      g_assert_not_reached ();
    }
}

/* A catalog's quantity (“rate”, “duration”) as a message names it: the name itself in English */
static const char *
quantity_label (const char *quantity)
{
  static const char * const quantities[] = {
    NC_("quantity", "rate"), NC_("quantity", "duration"), NC_("quantity", "count"), NC_("quantity", "length"),
    NC_("quantity", "speed"), NC_("quantity", "amount"), NC_("quantity", "score"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (quantities); i++)
    if (g_strcmp0 (quantity, quantities[i]) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "quantity", quantities[i]);
  return quantity;
}

/* What a person can type for the indicator. No quantity in the catalog format can be negative
 * (rates, durations, counts, lengths, speeds, amounts, scores), and a percentage is at most 100:
 * a value outside is a typing mistake, better caught now than shown as a failed limit. */
gboolean
at_indicator_check_input (const AtIndicator  *indicator,
                          double              number,
                          gboolean            is_sample,
                          GError            **error)
{
  const AtLimit *limit;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (indicator != NULL, FALSE);

  limit = is_sample && indicator->has_sample ? &indicator->sample : &indicator->limit;
  if (!isfinite (number))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("a measured value must be a finite number"));
      return FALSE;
    }

  shown = at_number_format (number);
  if (number < 0)
    {
      if (is_sample)
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("sample %s for indicator %s is negative, and a %s cannot be"),
                     shown, indicator->id, quantity_label (limit->quantity));
      else
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("value %s for indicator %s is negative, and a %s cannot be"),
                     shown, indicator->id, quantity_label (limit->quantity));
      return FALSE;
    }
  if (g_strcmp0 (limit->unit, "%") == 0 && number > 100.0)
    {
      if (is_sample)
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("sample %s for indicator %s is over 100 %%, and a percentage cannot be"),
                     shown, indicator->id);
      else
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("value %s for indicator %s is over 100 %%, and a percentage cannot be"),
                     shown, indicator->id);
      return FALSE;
    }
  return TRUE;
}

/* Strictly a decimal number as people write it: no surrounding space, no hex, no “inf”, the
 * whole text consumed, and the C locale's decimal point whatever the user's locale is. */
gboolean
at_number_parse (const char  *text,
                 double      *out,
                 GError     **error)
{
  const char *p = text;
  char *end = NULL;
  double d;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    text = p = "";
  if (*p == '+' || *p == '-')
    p++;
  if (!(g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1]))) || strpbrk (text, "xXpP") != NULL)
    goto bad;

  errno = 0;
  d = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite (d))
    goto bad;

  *out = d;
  return TRUE;

bad:
  if (strchr (text, ',') != NULL)
    g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is not a number (write decimals with a point: 95.5)"), text);
  else
    g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is not a number"), text);
  return FALSE;
}

/**
 * at_indicator_parse_samples:
 * @text: what a person typed or pasted
 *
 * The input of @indicator as numbers: one value, or for an indicator that takes samples a
 * series typed one per line or pasted as a column from a spreadsheet (commas, semicolons, tabs
 * and spaces separate too, and so do their full-width forms a Chinese input method types).
 * Every number is checked with at_indicator_check_input(). Blank input is no numbers.
 *
 * Returns: (transfer full): the numbers (doubles), or NULL with @error saying which line and why.
 */
GArray *
at_indicator_parse_samples (const AtIndicator  *indicator,
                            const char         *text,
                            GError            **error)
{
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) mapped = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean is_sample;
  guint n_lines;

  g_return_val_if_fail (indicator != NULL, NULL);

  is_sample = at_indicator_takes_samples (indicator);
  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the input is not valid UTF-8 text"));
      return NULL;
    }

  /* map the full-width separators first: the split below works on bytes */
  mapped = g_string_new (text);
  g_string_replace (mapped, "\r\n", "\n", 0);
  g_string_replace (mapped, "\r", "\n", 0);
  g_string_replace (mapped, "，", ",", 0);
  g_string_replace (mapped, "；", ";", 0);
  g_string_replace (mapped, "　", " ", 0);
  lines = g_strsplit (mapped->str, "\n", -1);
  n_lines = g_strv_length (lines);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) tokens = g_strsplit_set (lines[l], " \t,;", -1);

      for (guint i = 0; tokens[i] != NULL; i++)
        {
          g_autoptr(GError) local = NULL;
          double d;

          if (*tokens[i] == '\0')
            continue;
          if (!at_number_parse (tokens[i], &d, &local) ||
              !at_indicator_check_input (indicator, d, is_sample, &local))
            {
              /* one line needs no number; in a pasted column the line is what finds it */
              if (n_lines > 1)
                /* Translators: %u is a line of the pasted samples, %s why it is wrong */
                g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("line %u: %s"), l + 1, local->message);
              else
                g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          g_array_append_val (numbers, d);
        }
    }

  if (!is_sample && numbers->len > 1)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("enter one value (%u were given)"), numbers->len);
      return NULL;
    }
  return g_steal_pointer (&numbers);
}

/* The shortest text that reads back as the same double: 12.3 stays “12.3” in the database, the
 * audit log and the report, not “12.300000000000001”. */
char *
at_number_format (double number)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, number);
      if (g_ascii_strtod (buf, NULL) == number)
        break;
    }
  return g_strdup (buf);
}

/* One object of a finding's "indicator_results" in `assessment show --json`: the limit as the
 * catalog states it, and what the measurements come to. */
void
at_indicator_result_to_json (const AtIndicator       *ind,
                             const AtIndicatorResult *result,
                             JsonBuilder             *b)
{
  const AtIndicatorResult r = *result;

  g_return_if_fail (ind != NULL);
  g_return_if_fail (JSON_IS_BUILDER (b));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "indicator");
  json_builder_add_string_value (b, ind->id);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, at_text_get (&ind->label, AT_LANG_EN));
  json_builder_set_member_name (b, "comparator");
  json_builder_add_string_value (b, at_comparator_to_string (ind->limit.comparator));
  json_builder_set_member_name (b, "limit");
  json_builder_add_double_value (b, ind->limit.limit);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, ind->limit.unit);
  json_builder_set_member_name (b, "aggregate");
  json_builder_add_string_value (b, at_aggregate_to_string (ind->aggregate));
  if (ind->aggregate == AT_AGG_SHARE && ind->has_sample)
    {
      json_builder_set_member_name (b, "sample");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "comparator");
      json_builder_add_string_value (b, at_comparator_to_string (ind->sample.comparator));
      json_builder_set_member_name (b, "limit");
      json_builder_add_double_value (b, ind->sample.limit);
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, ind->sample.unit);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "value");
  if (r.measured)
    json_builder_add_double_value (b, r.value);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "pass");
  if (r.measured)
    json_builder_add_boolean_value (b, r.pass);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, r.n);
  json_builder_set_member_name (b, "successes");
  if (ind->aggregate == AT_AGG_MEAN)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, r.successes);
  if (ind->aggregate == AT_AGG_SHARE)
    {
      json_builder_set_member_name (b, "wilson");
      if (r.measured)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "low");
          json_builder_add_double_value (b, r.wilson_low);
          json_builder_set_member_name (b, "high");
          json_builder_add_double_value (b, r.wilson_high);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
}
