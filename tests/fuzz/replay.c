/* replay.c — a fuzz target's inputs, replayed without libFuzzer
 *
 * Linked with one fuzz target's LLVMFuzzerTestOneInput and built by any compiler, so the normal
 * (gcc) build runs every seed and every regression input of each target as a test: a crash, a
 * sanitizer report or a failed assertion there fails the suite. Arguments are files or folders
 * (each regular file in them, in name order).
 */
#include "config.h"

#include <glib.h>
#include <stdint.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint replayed;

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("%s", error->message);
  if (g_getenv ("ATTEST_FUZZ_VERBOSE") != NULL)
    g_printerr ("replay: %s\n", path);
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  replayed++;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *me = g_path_get_basename (argv[0]);

  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) names = NULL;
      const char *name;

      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          replay_file (argv[i]);
          continue;
        }
      dir = g_dir_open (argv[i], 0, NULL);
      names = g_ptr_array_new_with_free_func (g_free);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);

          if (*name != '.' && g_file_test (path, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add (names, g_steal_pointer (&path));
        }
      g_ptr_array_sort (names, compare_names);
      for (guint j = 0; j < names->len; j++)
        replay_file (names->pdata[j]);
    }
  g_print ("%s: %u inputs replayed\n", me, replayed);
  return replayed > 0 ? 0 : 1;
}
