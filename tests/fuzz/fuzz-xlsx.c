/* fuzz-xlsx.c — libFuzzer target for at_xlsx_read (libarchive's ZIP reader, libxml2) and the
 * series taken from the sheet. The input is the workbook file as it is. See README.md.
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
  g_autoptr(GError) error = NULL;
  g_autoptr(AtTable) table = at_xlsx_read (data, size, &error);

  g_assert ((table == NULL) == (error != NULL));
  if (table != NULL)
    fuzz_exercise_table (table);
  return 0;
}
