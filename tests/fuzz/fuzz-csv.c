/* fuzz-csv.c — libFuzzer target for at_csv_read and the series taken from it
 *
 * The first byte picks the encoding the caller names (none, UTF-8, GB18030); the rest is the
 * file. See README.md for building and running it.
 */
#include "config.h"

#include "fuzz-data.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_data_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char * const encodings[] = { NULL, "UTF-8", "GB18030" };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtTable) table = NULL;

  if (size < 1)
    return 0;
  table = at_csv_read ((const char *) data + 1, size - 1, encodings[data[0] % 3], &error);
  g_assert ((table == NULL) == (error != NULL));
  if (table != NULL)
    fuzz_exercise_table (table);
  return 0;
}
