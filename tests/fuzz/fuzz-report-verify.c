/* fuzz-report-verify.c — libFuzzer target for `verify FILE.pdf` and the PDF reader behind it
 *
 * A report to verify comes from outside (sent by an organisation, found on a share), so the
 * small PDF reader in src/core/pdf and the checks in at_report_verify read bytes from anyone.
 * The input is the PDF. The harness verifies it on its own and, with ATTEST_FUZZ_STORE naming
 * the data directory make-corpus.sh left, against the records of that store (read only); walks
 * every object and stream the reader can find; and, with ATTEST_FUZZ_SIGNER, appends a
 * signature to a file the reader accepted (what `report sign` does to a hostile file). An
 * answer is TRUE or a sentence.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fuzz-glib.h"
#include "at-core.h"
#include "at-pdf-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define SIGNER_PASSPHRASE "fuzz corpus passphrase"  /* make-corpus.sh's */

static char *dir;
static char *input_path;
static AtStore *store;
static AtStore *signer_store;
static AtSigner *signer;

static void
cleanup (void)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

  g_clear_object (&store);
  g_clear_object (&signer);
  g_clear_object (&signer_store);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  dir = g_dir_make_tmp ("attest-fuzz-pdf-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  input_path = g_build_filename (dir, "input.pdf", NULL);
  if (g_getenv ("ATTEST_FUZZ_STORE") != NULL &&
      (store = at_store_open (g_getenv ("ATTEST_FUZZ_STORE"), &error)) == NULL)
    g_error ("ATTEST_FUZZ_STORE: %s", error->message);
  if (g_getenv ("ATTEST_FUZZ_SIGNER") != NULL)
    {
      g_autofree char *signer_dir = g_build_filename (dir, "signer", NULL);
      g_autoptr(AtIdentity) identity = NULL;

      signer_store = at_store_open (signer_dir, &error);
      if (signer_store == NULL ||
          !(identity = at_identity_import (signer_store, g_getenv ("ATTEST_FUZZ_SIGNER"), AT_ROLE_ISSUER,
                                           SIGNER_PASSPHRASE, &error)) ||
          !(signer = at_signer_unlock (signer_store, at_identity_get_id (identity), SIGNER_PASSPHRASE, &error)))
        g_error ("ATTEST_FUZZ_SIGNER: %s", error->message);
    }
  atexit (cleanup);
  fuzz_glib_init ();
  return 0;
}

/* Every object the xref names, and every stream among them, decoded. */
static void
walk (GBytes *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtPdfReader) reader = _at_pdf_reader_new (file, &error);
  g_autoptr(GPtrArray) fields = NULL;
  guint n;

  if (reader == NULL)
    {
      g_assert (error != NULL && *error->message != '\0');
      return;
    }
  n = MIN (_at_pdf_reader_size (reader), 4096u);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(AtPv) obj = _at_pdf_reader_object (reader, i, &local);
      g_autoptr(GBytes) stream = NULL;

      g_assert ((obj != NULL) != (local != NULL));
      if (obj != NULL && obj->kind == AT_PV_DICT && obj->has_stream)
        stream = _at_pdf_reader_stream (reader, obj, NULL);
    }

  fields = _at_pdf_reader_fields (reader, &error);
  g_assert ((fields != NULL) != (error != NULL));
  if (fields != NULL && signer != NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(GBytes) signed_file = NULL;
      const char * const lines[] = { "Fuzz", NULL };

      for (guint i = 0; i < fields->len; i++)
        {
          AtPdfSigInfo *f = fields->pdata[i];

          if (f->is_signed)
            continue;
          signed_file = _at_pdf_append_signature (file, f->name, signer, "fuzz", lines, &local);
          g_assert ((signed_file != NULL) != (local != NULL));
          break;
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) file = g_bytes_new (data, size);
  gboolean ok;

  if (!g_file_set_contents (input_path, (const char *) data, size, &error))
    g_error ("%s", error->message);

  ok = at_report_verify (NULL, input_path, lines, &error);
  g_assert (ok == (error == NULL));
  g_assert (ok || (error->message != NULL && *error->message != '\0'));
  for (guint i = 0; i < lines->len; i++)
    g_assert (g_utf8_validate (lines->pdata[i], -1, NULL));
  g_clear_error (&error);

  if (store != NULL)
    {
      g_ptr_array_set_size (lines, 0);
      ok = at_report_verify (store, input_path, lines, &error);
      g_assert (ok == (error == NULL));
      g_clear_error (&error);
    }

  walk (file);
  return 0;
}
