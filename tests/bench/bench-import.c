/* bench-import.c — reading a call-record export and taking a column from it, timed
 *
 * Usage: bench-import FILE COLUMN [CONVERT] [REPEATS]
 * Prints the best wall time of REPEATS (default 5) runs for: read + parse (CSV: decode and
 * libcsv; XLSX: unzip and XML), and the series (convert every row, share within 15 s). Run by
 * tests/bench/bench_import.sh; not part of the test suite.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "at-core.h"

int
main (int argc, char **argv)
{
  double best_read = G_MAXDOUBLE, best_series = G_MAXDOUBLE;
  guint repeats = argc > 4 ? (guint) atoi (argv[4]) : 5;
  AtConvert convert = AT_CONVERT_NONE;
  g_autoptr(GError) error = NULL;
  guint rows = 0, n = 0, within = 0;

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-import FILE COLUMN [CONVERT] [REPEATS]\n");
      return 1;
    }
  if (argc > 3 && !at_convert_parse (argv[3], &convert, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (guint r = 0; r < repeats; r++)
    {
      gint64 t0 = g_get_monotonic_time (), t1, t2;
      g_autoptr(AtTable) table = at_table_read_file (argv[1], NULL, &error);
      AtSeriesSpec spec = { .column = argv[2], .convert = convert };
      g_autoptr(AtSeries) series = NULL;

      if (table == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 2;
        }
      t1 = g_get_monotonic_time ();
      series = at_series_extract (table, &spec, &error);
      if (series == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 2;
        }
      t2 = g_get_monotonic_time ();
      best_read = MIN (best_read, (t1 - t0) / 1e6);
      best_series = MIN (best_series, (t2 - t1) / 1e6);
      rows = at_table_get_n_rows (table);
      n = series->values->len;
      within = 0;
      for (guint i = 0; i < n; i++)
        within += g_array_index (series->values, double, i) <= 15;
    }
  printf ("%s: %u rows, %u values, %.2f %% within 15 s; read %.3f s, series %.3f s, total %.3f s (best of %u)\n",
          argv[1], rows, n, 100.0 * within / MAX (n, 1), best_read, best_series, best_read + best_series, repeats);
  return 0;
}
