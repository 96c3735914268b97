/* at-series.c — the sample series of an indicator, taken from a column of an AtTable */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "at-error.h"
#include "at-series.h"

static const char * const convert_names[] = { "none", "mm:ss", "ms", "min", "h", NULL };

gboolean
at_convert_parse (const char  *name,
                  AtConvert   *out,
                  GError     **error)
{
  for (guint i = 0; convert_names[i]; i++)
    if (g_strcmp0 (name, convert_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
               _("unknown unit conversion “%s”: use none, mm:ss, ms, min or h"), name);
  return FALSE;
}

const char *
at_convert_to_string (AtConvert convert)
{
  g_return_val_if_fail (convert <= AT_CONVERT_HOUR, NULL);
  return convert_names[convert];
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;
  double d;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  d = g_ascii_strtod (text, &end);
  if (end == text)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0' || !isfinite (d))
    return FALSE;
  *out = d;
  return TRUE;
}

/* [h:]mm:ss[.fff], or a plain number of seconds */
static gboolean
parse_clock (const char *text,
             double     *out)
{
  g_auto(GStrv) parts = NULL;
  double total = 0;
  guint n;
  gboolean negative = FALSE;

  while (g_ascii_isspace (*text))
    text++;
  if (strchr (text, ':') == NULL)
    return parse_number (text, out);
  if (*text == '-')
    {
      negative = TRUE;
      text++;
    }
  parts = g_strsplit (text, ":", -1);
  n = g_strv_length (parts);
  if (n < 2 || n > 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      double v;
      g_strstrip (parts[i]);
      /* only the last part may have a fraction; no signs inside */
      if (parts[i][0] == '\0' || !g_ascii_isdigit (parts[i][0]) || !parse_number (parts[i], &v) ||
          (i + 1 < n && v != floor (v)) || (i > 0 && v >= 60))
        return FALSE;
      total = total * 60 + v;
    }
  *out = negative ? -total : total;
  return TRUE;
}

gboolean
at_convert_apply (AtConvert   convert,
                  const char *text,
                  double     *out)
{
  double v;

  switch (convert)
    {
    case AT_CONVERT_NONE:
      return parse_number (text, out);
    case AT_CONVERT_CLOCK:
      return parse_clock (text, out);
    case AT_CONVERT_MS:
      if (!parse_number (text, &v))
        return FALSE;
      *out = v / 1000.0;
      return TRUE;
    case AT_CONVERT_MIN:
      if (!parse_number (text, &v))
        return FALSE;
      *out = v * 60.0;
      return TRUE;
    case AT_CONVERT_HOUR:
      if (!parse_number (text, &v))
        return FALSE;
      *out = v * 3600.0;
      return TRUE;
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static gint64
days_from_civil (gint64 y, guint m, guint d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static gboolean
take_int (const char **p,
          guint        min_digits,
          guint        max_digits,
          guint       *out)
{
  guint n = 0, v = 0;

  while (g_ascii_isdigit (**p) && n < max_digits)
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  *out = v;
  return n >= min_digits && !g_ascii_isdigit (**p);
}

gboolean
at_datetime_parse (const char *text,
                   gint64     *seconds,
                   gboolean   *date_only)
{
  const char *p = text;
  guint y, mo, d, h = 0, mi = 0, s = 0;
  char sep;
  static const guint month_days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  while (g_ascii_isspace (*p))
    p++;
  if (!take_int (&p, 4, 4, &y))
    return FALSE;
  sep = *p;
  if (sep != '-' && sep != '/' && sep != '.')
    return FALSE;
  p++;
  if (!take_int (&p, 1, 2, &mo) || *p != sep)
    return FALSE;
  p++;
  if (!take_int (&p, 1, 2, &d))
    return FALSE;
  if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] ||
      (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
    return FALSE;

  *date_only = TRUE;
  if (*p == ' ' || *p == 'T')
    {
      while (*p == ' ' || *p == 'T')
        p++;
      if (*p != '\0')
        {
          if (!take_int (&p, 1, 2, &h) || *p != ':')
            return FALSE;
          p++;
          if (!take_int (&p, 2, 2, &mi))
            return FALSE;
          if (*p == ':')
            {
              p++;
              if (!take_int (&p, 2, 2, &s))
                return FALSE;
              if (*p == '.')
                for (p++; g_ascii_isdigit (*p); p++)
                  ;
            }
          if (h > 23 || mi > 59 || s > 60)
            return FALSE;
          *date_only = FALSE;
        }
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  *seconds = days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

typedef enum { OP_EQ, OP_NE, OP_GE, OP_LE, OP_GT, OP_LT } Op;

typedef struct
{
  guint    column;
  Op       op;
  char    *value;
  gboolean is_number;
  double   number;
  gboolean is_time;
  gint64   time;       /* with a date-only bound, <= and > take the whole day */
} Filter;

static void
filter_clear (Filter *f)
{
  g_free (f->value);
}

static gboolean
parse_filter (AtTable     *table,
              const char  *text,
              Filter      *f,
              GError     **error)
{
  static const struct { const char *name; Op op; } ops[] = {
    { "!=", OP_NE }, { ">=", OP_GE }, { "<=", OP_LE }, { "=", OP_EQ }, { ">", OP_GT }, { "<", OP_LT },
  };
  gsize at = strcspn (text, "!=<>");
  g_autofree char *name = NULL;
  const char *rest = NULL;
  gboolean date_only;
  int column;

  for (guint i = 0; at < strlen (text) && i < G_N_ELEMENTS (ops); i++)
    if (g_str_has_prefix (text + at, ops[i].name))
      {
        f->op = ops[i].op;
        rest = text + at + strlen (ops[i].name);
        break;
      }
  name = g_strstrip (g_strndup (text, at));
  if (rest == NULL || *name == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the filter “%s” is not COLUMN=VALUE (or !=, >=, <=, >, <)"), text);
      return FALSE;
    }
  column = at_table_find_column (table, name);
  if (column < 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the filter “%s” names a column “%s” that the table does not have"),
                   text, name);
      return FALSE;
    }
  f->column = column;
  f->value = g_strstrip (g_strdup (rest));
  f->is_number = parse_number (f->value, &f->number);
  f->is_time = !f->is_number && at_datetime_parse (f->value, &f->time, &date_only);
  if (f->is_time && date_only && (f->op == OP_LE || f->op == OP_GT))
    {
      /* “until 2026-03-31” means to the end of that day */
      f->time += 86400;
      f->op = f->op == OP_LE ? OP_LT : OP_GE;
    }
  return TRUE;
}

static gboolean
filter_holds (const Filter *f,
              const char   *cell)
{
  int cmp;
  double d;
  gint64 t;
  gboolean date_only;

  if (f->is_number && parse_number (cell, &d))
    cmp = d < f->number ? -1 : d > f->number;
  else if (f->is_time && at_datetime_parse (cell, &t, &date_only))
    cmp = t < f->time ? -1 : t > f->time;
  else if (f->is_time)
    return FALSE;   /* no date: outside any date range */
  else
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (cell));
      cmp = strcmp (trimmed, f->value);
    }

  switch (f->op)
    {
    case OP_EQ: return cmp == 0;
    case OP_NE: return cmp != 0;
    case OP_GE: return cmp >= 0;
    case OP_LE: return cmp <= 0;
    case OP_GT: return cmp > 0;
    case OP_LT: return cmp < 0;
    default: g_return_val_if_reached (FALSE);
    }
}

/* ------------------------------------------------------------------------------------------ */

typedef enum { STRATUM_VALUE, STRATUM_HOUR, STRATUM_BAND, STRATUM_DAYTYPE, STRATUM_WEEKDAY } StratumKind;

typedef struct
{
  guint       column;
  StratumKind kind;
} Stratifier;

static gboolean
parse_stratifier (AtTable     *table,
                  const char  *text,
                  Stratifier  *s,
                  GError     **error)
{
  static const char * const kinds[] = { "", "hour", "band", "daytype", "weekday", NULL };
  const char *colon = strrchr (text, ':');
  g_autofree char *name = NULL;
  int column;

  s->kind = STRATUM_VALUE;
  name = g_strdup (text);
  if (colon != NULL)
    {
      guint i;
      for (i = 1; kinds[i]; i++)
        if (g_str_equal (colon + 1, kinds[i]))
          break;
      if (kinds[i] == NULL && at_table_find_column (table, text) < 0)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("unknown stratum “%s”: after the column, use :hour, :band, :daytype or :weekday"), text);
          return FALSE;
        }
      if (kinds[i] != NULL)
        {
          s->kind = i;
          name[colon - text] = '\0';
        }
    }
  column = at_table_find_column (table, name);
  if (column < 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the stratum “%s” names a column “%s” that the table does not have"),
                   text, name);
      return FALSE;
    }
  s->column = column;
  return TRUE;
}

static gboolean
stratum_part (AtTable          *table,
              guint             row,
              const Stratifier *s,
              GString          *key,
              GError          **error)
{
  static const char * const weekdays[] = { "1-Mon", "2-Tue", "3-Wed", "4-Thu", "5-Fri", "6-Sat", "7-Sun" };
  const char *cell = at_table_get_cell (table, row, s->column);
  gint64 t, days;
  gboolean date_only;
  guint hour, weekday;

  if (s->kind == STRATUM_VALUE)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (cell));
      g_string_append (key, *trimmed ? trimmed : "(blank)");
      return TRUE;
    }
  if (!at_datetime_parse (cell, &t, &date_only) || (date_only && (s->kind == STRATUM_HOUR || s->kind == STRATUM_BAND)))
    {
      g_autofree char *where = at_table_describe_column (table, s->column);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("row %u, %s: “%s” is not a date and time, which the stratum needs"),
                   at_table_get_row_number (table, row), where, cell);
      return FALSE;
    }
  days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  hour = (guint) ((t - days * 86400) / 3600);
  weekday = (guint) (((days % 7) + 7 + 3) % 7);   /* 1970-01-01 was a Thursday; 0 = Monday */

  switch (s->kind)
    {
    case STRATUM_HOUR:
      g_string_append_printf (key, "%02u", hour);
      break;
    case STRATUM_BAND:
      g_string_append (key, hour < 8 ? "00-08" : hour < 12 ? "08-12" : hour < 18 ? "12-18" : "18-24");
      break;
    case STRATUM_DAYTYPE:
      g_string_append (key, weekday >= 5 ? "weekend" : "weekday");
      break;
    case STRATUM_WEEKDAY:
      g_string_append (key, weekdays[weekday]);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

void
at_series_free (AtSeries *series)
{
  if (series == NULL)
    return;
  g_free (series->column);
  g_clear_pointer (&series->values, g_array_unref);
  g_clear_pointer (&series->rows, g_array_unref);
  g_clear_pointer (&series->strata, g_array_unref);
  g_free (series);
}

AtSeries *
at_series_extract (AtTable             *table,
                   const AtSeriesSpec  *spec,
                   GError             **error)
{
  g_autoptr(AtSeries) series = g_new0 (AtSeries, 1);
  g_autoptr(GArray) filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_autoptr(GArray) stratifiers = g_array_new (FALSE, TRUE, sizeof (Stratifier));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *where = NULL;
  guint n_rows;
  int column;

  g_return_val_if_fail (AT_IS_TABLE (table), NULL);
  g_return_val_if_fail (spec != NULL && spec->column != NULL, NULL);

  g_array_set_clear_func (filters, (GDestroyNotify) filter_clear);
  column = at_table_find_column (table, spec->column);
  if (column < 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      for (guint c = 0; c < at_table_get_n_columns (table); c++)
        g_string_append_printf (names, "%s“%s”", c ? ", " : "", at_table_get_header (table, c));
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the table has no column “%s”; its columns are %s"),
                   spec->column, names->str);
      return NULL;
    }
  for (guint i = 0; spec->filters && spec->filters[i]; i++)
    {
      Filter f = { 0 };
      if (!parse_filter (table, spec->filters[i], &f, error))
        {
          filter_clear (&f);
          return NULL;
        }
      g_array_append_val (filters, f);
    }
  for (guint i = 0; spec->strata && spec->strata[i]; i++)
    {
      Stratifier s;
      if (!parse_stratifier (table, spec->strata[i], &s, error))
        return NULL;
      g_array_append_val (stratifiers, s);
    }
  if (stratifiers->len > 0 && spec->sample == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("strata shape a sample: give the sample size too"));
      return NULL;
    }
  if (spec->has_seed && spec->seed > AT_SAMPLE_MAX_SEED)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the seed must be a whole number from 0 to %s"), AT_SAMPLE_MAX_SEED_TEXT);
      return NULL;
    }

  series->column = g_strdup (at_table_get_header (table, column));
  series->column_index = column;
  where = at_table_describe_column (table, column);
  n_rows = at_table_get_n_rows (table);
  series->rows_total = n_rows;
  if (spec->sample > 0)
    keys = g_ptr_array_new_with_free_func (g_free);

  /* Every row that passes the filters is converted, sampled or not: a malformed cell is an
   * error whichever rows the draw happens to take. */
  for (guint r = 0; r < n_rows; r++)
    {
      const char *cell;
      gboolean blank = TRUE;
      gboolean pass = TRUE;
      double v;

      for (guint i = 0; i < filters->len && pass; i++)
        {
          const Filter *f = &g_array_index (filters, Filter, i);
          pass = filter_holds (f, at_table_get_cell (table, r, f->column));
        }
      if (!pass)
        continue;
      series->rows_matched++;

      cell = at_table_get_cell (table, r, column);
      for (const char *p = cell; *p && blank; p++)
        blank = g_ascii_isspace (*p);
      if (blank)
        {
          series->rows_blank++;
          continue;
        }
      if (!at_convert_apply (spec->convert, cell, &v))
        {
          if (spec->convert == AT_CONVERT_CLOCK)
            g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("row %u, %s: “%s” is not a time like 1:05 or 0:01:05"),
                         at_table_get_row_number (table, r), where, cell);
          else if (spec->convert == AT_CONVERT_NONE && strchr (cell, ':') != NULL)
            g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                         _("row %u, %s: “%s” is not a number (a time like this needs the mm:ss conversion)"),
                         at_table_get_row_number (table, r), where, cell);
          else
            g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("row %u, %s: “%s” is not a number"),
                         at_table_get_row_number (table, r), where, cell);
          return NULL;
        }
      g_array_append_val (values, v);
      g_array_append_val (rows, r);

      if (keys != NULL)
        {
          GString *key = g_string_new (NULL);
          for (guint i = 0; i < stratifiers->len; i++)
            {
              if (i > 0)
                g_string_append (key, " | ");
              if (!stratum_part (table, r, &g_array_index (stratifiers, Stratifier, i), key, error))
                {
                  g_string_free (key, TRUE);
                  return NULL;
                }
            }
          g_ptr_array_add (keys, g_string_free (key, FALSE));
        }
    }

  series->values = g_array_new (FALSE, FALSE, sizeof (double));
  series->rows = g_array_new (FALSE, FALSE, sizeof (guint));
  if (spec->sample > 0)
    {
      g_autoptr(GArray) chosen = NULL;

      series->sampled = TRUE;
      series->sample = spec->sample;
      series->seed = spec->has_seed ? spec->seed : at_random_seed ();
      chosen = at_sample_draw ((const char * const *) keys->pdata, values->len, spec->sample, series->seed, &series->strata);
      for (guint i = 0; i < chosen->len; i++)
        {
          guint k = g_array_index (chosen, guint, i);
          guint number = at_table_get_row_number (table, g_array_index (rows, guint, k));
          g_array_append_val (series->values, g_array_index (values, double, k));
          g_array_append_val (series->rows, number);
        }
    }
  else
    {
      for (guint i = 0; i < rows->len; i++)
        {
          guint number = at_table_get_row_number (table, g_array_index (rows, guint, i));
          g_array_append_val (series->rows, number);
        }
      g_array_append_vals (series->values, values->data, values->len);
    }

  if (series->values->len == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("no row has a value in %s (of %u rows, %u passed the filters, %u of those were empty)"),
                   where, series->rows_total, series->rows_matched, series->rows_blank);
      return NULL;
    }
  return g_steal_pointer (&series);
}
