/* fuzz-bundle-import.c — libFuzzer target for at_bundle_import
 *
 * The first byte of an input chooses how the rest is handed to the importer: bit 0 clear, the
 * rest is a tar archive that this harness compresses with zstd first (so mutations reach the
 * tar headers, the manifest and the evidence rather than dying in the zstd frame); bit 0 set,
 * the rest is the file as it is (the format and filter checks). Bit 1 asks for a copy.
 * See README.md for building and running it.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <zstd.h>

#include "at-core.h"
#include "at-records-private.h"
#include "at-store-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;
static char *store_dir;
static AtStore *store;
static char *input_path;

/* The durability a user needs would cost a fuzzer most of its speed. */
static void
open_store (void)
{
  g_autoptr(GError) error = NULL;

  store = at_store_open (store_dir, &error);
  if (store == NULL || !_at_store_exec (store, "PRAGMA synchronous = OFF", &error))
    g_error ("%s", error->message);
}

/* Back to an empty store (cheaper than a new one, whose catalogs are parsed again), so an
 * input that got in is not merely "unchanged" the next time, and copies do not pile up. */
static void
empty_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s/evidence'", store_dir);
  const AtEntityDesc *descs;
  guint n_descs;

  descs = _at_records_entities (&n_descs);
  for (guint i = n_descs; i-- > 0;)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s", descs[i].table);
      if (!_at_store_exec (store, sql, &error))
        g_error ("%s", error->message);
    }
  if (!_at_store_exec (store, "DELETE FROM audit_log; DELETE FROM identities; "
                              "DELETE FROM catalogs WHERE origin = 'imported'", &error))
    g_error ("%s", error->message);
  if (system (cmd) != 0)
    g_error ("could not empty %s", store_dir);
}

static void
remove_dir (void)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  g_clear_object (&store);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  dir = g_dir_make_tmp ("attest-fuzz-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  store_dir = g_build_filename (dir, "store", NULL);
  input_path = g_build_filename (dir, "input.attest", NULL);
  open_store ();
  atexit (remove_dir);
  /* a g_return_if_fail or a warning reached from an input is a finding too */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree guchar *packed = NULL;
  const guchar *body;
  gsize body_len;
  AtBundleOutcome outcome;

  if (size < 1)
    return 0;

  body = data + 1;
  body_len = size - 1;
  if ((data[0] & 1) == 0)
    {
      size_t bound = ZSTD_compressBound (body_len);
      size_t n;

      packed = g_malloc (bound);
      n = ZSTD_compress (packed, bound, body, body_len, 1);
      if (ZSTD_isError (n))
        return 0;
      body = packed;
      body_len = n;
    }

  if (!g_file_set_contents (input_path, (const char *) body, body_len, &error))
    g_error ("%s", error->message);
  id = at_bundle_import (store, input_path, (data[0] & 2) ? AT_BUNDLE_IMPORT_AS_COPY : AT_BUNDLE_IMPORT_NONE,
                         &outcome, NULL, NULL, NULL, &error);
  /* refused or not, an answer is either an id or a sentence */
  g_assert ((id != NULL) != (error != NULL));
  g_assert (error == NULL || (error->message != NULL && *error->message != '\0'));
  if (id != NULL)
    empty_store ();
  return 0;
}
