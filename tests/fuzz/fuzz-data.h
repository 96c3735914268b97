/* fuzz-data.h — what the data-layer fuzz targets share: after a file reads, every column is
 * taken as a series (each unit conversion, a filter, a stratified draw), so mutations reach the
 * code that turns cells into numbers and strata, not only the parsers. */
#pragma once

#include <stdint.h>

#include "fuzz-glib.h"
#include "at-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static inline void
fuzz_data_init (void)
{
  /* a g_return_if_fail or a warning reached from an input is a finding too */
  fuzz_glib_init ();
}

static inline void
fuzz_exercise_table (AtTable *table)
{
  guint n = MIN (at_table_get_n_columns (table), 6);

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *strata0 = g_strdup_printf ("%s:band", at_table_get_header (table, (c + 1) % n));
      g_autofree char *filter0 = g_strdup_printf ("%s>=2026-03-01", at_table_get_header (table, (c + 2) % n));
      const char *strata[] = { at_table_get_header (table, (c + 3) % n), strata0, NULL };
      const char *filters[] = { filter0, NULL };
      AtSeriesSpec plain = { .column = at_table_get_header (table, c), .convert = c % 5 };
      AtSeriesSpec drawn = { .column = at_table_get_header (table, c), .convert = AT_CONVERT_CLOCK, .filters = filters,
                             .sample = 3 + c, .strata = c % 2 ? strata : strata + 1, .has_seed = TRUE, .seed = c };
      g_autoptr(AtSeries) a = at_series_extract (table, &plain, &error);
      g_autoptr(AtSeries) b = NULL;
      g_autofree char *what = at_table_describe_column (table, c);

      g_clear_error (&error);
      b = at_series_extract (table, &drawn, &error);
      if (a != NULL)
        g_assert (a->values->len == a->rows->len && a->values->len > 0);
      if (b != NULL)
        g_assert (b->values->len <= 3 + c);
    }
  for (guint r = 0; r < MIN (at_table_get_n_rows (table), 50); r++)
    for (guint c = 0; c < at_table_get_n_columns (table); c++)
      g_assert (at_table_get_cell (table, r, c) != NULL);
}
