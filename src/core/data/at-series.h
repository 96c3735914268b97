/* at-series.h — the sample series of an indicator, taken from a column of an AtTable
 *
 * Filters pick the rows (a date range, a queue), a unit conversion turns the column's text into
 * the indicator's unit (mm:ss → s), and an optional stratified random draw takes N of them.
 * Everything that shaped the series is kept in the AtSeries, so it can be recorded with the
 * measurement and redone by a reviewer.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-sample.h"
#include "at-table.h"

G_BEGIN_DECLS

typedef enum
{
  AT_CONVERT_NONE,    /* the number as it stands */
  AT_CONVERT_CLOCK,   /* [h:]mm:ss[.fff] → seconds */
  AT_CONVERT_MS,      /* milliseconds → seconds */
  AT_CONVERT_MIN,     /* minutes → seconds */
  AT_CONVERT_HOUR,    /* hours → seconds */
} AtConvert;

gboolean    at_convert_parse     (const char  *name,
                                  AtConvert   *out,
                                  GError     **error);
const char *at_convert_to_string (AtConvert    convert);
gboolean    at_convert_apply     (AtConvert    convert,
                                  const char  *text,
                                  double      *out);

/* A point in time from an export's text: 2026-03-01, 2026/3/1 08:05, 2026-03-01T08:05:09.
 * *seconds counts from 1970-01-01 (the zone is whatever the export used). */
gboolean    at_datetime_parse    (const char  *text,
                                  gint64      *seconds,
                                  gboolean    *date_only);

typedef struct
{
  const char         *column;
  AtConvert           convert;
  const char * const *filters;   /* "COL=V", "COL!=V", "COL>=V", "COL<=V", "COL>V", "COL<V" */
  guint               sample;    /* 0: every row that passes the filters */
  const char * const *strata;    /* "COL", or "COL:hour", "COL:band", "COL:daytype", "COL:weekday" */
  gboolean            has_seed;
  guint64             seed;
} AtSeriesSpec;

typedef struct
{
  char     *column;       /* the header of the column used */
  guint     column_index;
  GArray   *values;       /* double, in file order */
  GArray   *rows;         /* guint row numbers of the values */
  guint     rows_total;
  guint     rows_matched; /* passed the filters */
  guint     rows_blank;   /* passed, but the cell was empty */
  gboolean  sampled;
  guint     sample;
  guint64   seed;
  GArray   *strata;       /* AtStratum, NULL when not sampled */
} AtSeries;

void      at_series_free    (AtSeries            *series);
AtSeries *at_series_extract (AtTable             *table,
                             const AtSeriesSpec  *spec,
                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtSeries, at_series_free)

G_END_DECLS
