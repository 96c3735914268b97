/* fuzz-bundle-import.c — libFuzzer target for at_bundle_import
 *
 * The first byte of an input chooses how the rest is handed to the importer: bit 0 clear, the
 * rest is a tar archive that this harness compresses with zstd first (so mutations reach the
 * tar headers, the manifest and the evidence rather than dying in the zstd frame); bit 0 set,
 * the rest is the file as it is (the format and filter checks). Bit 1 asks for a copy.
 *
 * Bit 2 (with bit 0 clear) re-signs: anyone can sign a bundle with a self-made identity, so what
 * lies behind the signature check (the records against the audit log, the transaction that
 * applies them) is as exposed as what lies before it. With ATTEST_FUZZ_SIGNER naming the
 * PKCS#12 file make-corpus.sh left beside the corpus, the harness rewrites the tar with
 * manifest.json.sig replaced by that identity's signature of whatever manifest.json now holds.
 *
 * Bit 3 merges instead of importing (`bundle import --merge`): a team member's bundle read
 * against the history this store handed out — the signed log, the records changed on each
 * side, the evidence union. ATTEST_FUZZ_MERGE_STORE names the lead's data directory that
 * make-corpus.sh left (it handed the assessment out to the signer above, a team member);
 * without it these inputs are skipped. Bit 1 then decides every conflict for the bundle's side
 * instead of this store's, and a merge that applies is undone by copying the store back.
 * See README.md for building and running it.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <zstd.h>

#include "fuzz-glib.h"
#include "at-core.h"
#include "at-records-private.h"
#include "at-store-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;
static char *store_dir;
static AtStore *store;
static char *input_path;
static AtStore *signer_store;
static AtSigner *signer;
static char *merge_template;
static char *merge_dir;
static AtStore *merge_store;

#define SIGNER_PASSPHRASE "fuzz corpus passphrase"  /* make-corpus.sh's */

static void
open_signer (const char *p12)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *signer_dir = g_build_filename (dir, "signer", NULL);
  g_autoptr(AtIdentity) identity = NULL;

  signer_store = at_store_open (signer_dir, &error);
  if (signer_store == NULL ||
      !(identity = at_identity_import (signer_store, p12, AT_ROLE_ASSESSOR, SIGNER_PASSPHRASE, &error)) ||
      !(signer = at_signer_unlock (signer_store, at_identity_get_id (identity), SIGNER_PASSPHRASE, &error)))
    g_error ("ATTEST_FUZZ_SIGNER=%s: %s", p12, error->message);
}

/* The tar in data, entry by entry, into a new tar with every manifest.json.sig replaced by a
 * signature of the manifest.json before it. Where the input stops being a tar the copy stops
 * too: the other modes are there for broken archives. NULL when not even one header reads. */
static GBytes *
resign (const guchar *data,
        gsize         len)
{
  struct archive *in = archive_read_new ();
  struct archive *out = archive_write_new ();
  struct archive_entry *entry;
  g_autoptr(GByteArray) manifest = g_byte_array_new ();
  g_autofree guchar *buf = NULL;
  size_t cap = len * 2 + 64 * 1024, used = 0;
  guint entries = 0;

  buf = g_malloc (cap);
  archive_read_support_format_tar (in);
  archive_write_set_format_pax_restricted (out);
  archive_write_add_filter_zstd (out);
  archive_write_set_bytes_in_last_block (out, 1);
  if (archive_read_open_memory (in, data, len) != ARCHIVE_OK ||
      archive_write_open_memory (out, buf, cap, &used) != ARCHIVE_OK)
    goto done;

  while (archive_read_next_header (in, &entry) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);
      g_autoptr(GByteArray) body = g_byte_array_new ();
      guchar chunk[8192];
      la_ssize_t n;

      while ((n = archive_read_data (in, chunk, sizeof chunk)) > 0)
        g_byte_array_append (body, chunk, n);
      if (n < 0)
        break;
      if (g_strcmp0 (name, "manifest.json") == 0)
        {
          g_byte_array_set_size (manifest, 0);
          g_byte_array_append (manifest, body->data, body->len);
        }
      else if (g_strcmp0 (name, "manifest.json.sig") == 0)
        {
          g_autoptr(GBytes) sig = at_signer_sign_detached (signer, manifest->data, manifest->len, NULL);
          gsize sig_len = 0;
          const guchar *sig_data = sig ? g_bytes_get_data (sig, &sig_len) : NULL;

          g_byte_array_set_size (body, 0);
          if (sig_data != NULL)
            g_byte_array_append (body, sig_data, sig_len);
          archive_entry_set_size (entry, body->len);
        }
      if (archive_write_header (out, entry) != ARCHIVE_OK ||
          (body->len > 0 && archive_write_data (out, body->data, body->len) < 0))
        break;
      entries++;
    }
  if (archive_write_close (out) != ARCHIVE_OK)
    entries = 0;

done:
  archive_read_free (in);
  archive_write_free (out);
  return entries > 0 ? g_bytes_new_take (g_steal_pointer (&buf), used) : NULL;
}

/* The durability a user needs would cost a fuzzer most of its speed. */
static void
open_store (void)
{
  g_autoptr(GError) error = NULL;

  store = at_store_open (store_dir, &error);
  if (store == NULL || !_at_store_exec (store, "PRAGMA synchronous = OFF", &error))
    g_error ("%s", error->message);
}

/* The lead's store as make-corpus.sh left it, again: a merge that applied changed it. */
static void
reset_merge_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s' && cp -a '%s' '%s'", merge_dir, merge_template, merge_dir);

  g_clear_object (&merge_store);
  if (system (cmd) != 0)
    g_error ("could not copy %s", merge_template);
  merge_store = at_store_open (merge_dir, &error);
  if (merge_store == NULL || !_at_store_exec (merge_store, "PRAGMA synchronous = OFF", &error))
    g_error ("ATTEST_FUZZ_MERGE_STORE: %s", error->message);
}

static void
open_merge_store (const char *lead_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) once = NULL;
  g_autofree char *cmd = NULL;

  merge_template = g_build_filename (dir, "merge-template", NULL);
  merge_dir = g_build_filename (dir, "merge", NULL);
  cmd = g_strdup_printf ("cp -a '%s' '%s'", lead_dir, merge_template);
  if (system (cmd) != 0)
    g_error ("could not copy %s", lead_dir);
  /* opened and closed once, so that the copies start from a checkpointed database */
  once = at_store_open (merge_template, &error);
  if (once == NULL)
    g_error ("ATTEST_FUZZ_MERGE_STORE=%s: %s", lead_dir, error->message);
  g_clear_object (&once);
  reset_merge_store ();
}

static void
merge (const uint8_t first)
{
  g_autoptr(GError) error = NULL;
  gboolean applied = FALSE;

  {
    g_autoptr(AtMerge) m = at_merge_prepare (merge_store, input_path, NULL, NULL, NULL, &error);
    guint n_conflicts = 0;

    if (m != NULL)
      {
        n_conflicts = at_merge_get_conflicts (m)->len;
        at_merge_choose_all (m, (first & 2) ? AT_MERGE_TAKE_THEIRS : AT_MERGE_TAKE_MINE);
        /* every conflict is decided: an apply refused now is refused for what the bundle holds */
        applied = at_merge_apply (m, NULL, &error);
      }
    if (g_getenv ("ATTEST_FUZZ_VERBOSE") != NULL)
      {
        if (applied)
          g_printerr ("fuzz-bundle-import: merged, %u taken, %u conflict(s) decided for %s\n",
                      at_merge_get_n_taken (m), n_conflicts, (first & 2) ? "theirs" : "mine");
        else
          g_printerr ("fuzz-bundle-import: %s\n", error->message);
      }
    g_assert (applied == (error == NULL));
    g_assert (error == NULL || (error->message != NULL && *error->message != '\0'));
  }
  /* the AtMerge held the store; it is gone now */
  if (applied)
    reset_merge_store ();
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
  g_clear_object (&merge_store);
  g_clear_object (&signer);
  g_clear_object (&signer_store);
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
  if (g_getenv ("ATTEST_FUZZ_SIGNER") != NULL)
    open_signer (g_getenv ("ATTEST_FUZZ_SIGNER"));
  if (g_getenv ("ATTEST_FUZZ_MERGE_STORE") != NULL)
    open_merge_store (g_getenv ("ATTEST_FUZZ_MERGE_STORE"));
  atexit (remove_dir);
  /* a g_return_if_fail or a warning reached from an input is a finding too */
  fuzz_glib_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree guchar *packed = NULL;
  g_autoptr(GBytes) resigned = NULL;
  const guchar *body;
  gsize body_len;
  AtBundleOutcome outcome;

  if (size < 1 || ((data[0] & 8) && merge_store == NULL))
    return 0;

  body = data + 1;
  body_len = size - 1;
  if ((data[0] & 5) == 4)
    {
      if (signer == NULL)
        return 0;
      resigned = resign (body, body_len);
      if (resigned == NULL)
        return 0;
      body = g_bytes_get_data (resigned, &body_len);
    }
  else if ((data[0] & 1) == 0)
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
  if (data[0] & 8)
    {
      merge (data[0]);
      return 0;
    }
  id = at_bundle_import (store, input_path, (data[0] & 2) ? AT_BUNDLE_IMPORT_AS_COPY : AT_BUNDLE_IMPORT_NONE,
                         &outcome, NULL, NULL, NULL, &error);
  /* replaying one input, say what became of it */
  if (g_getenv ("ATTEST_FUZZ_VERBOSE") != NULL)
    g_printerr ("fuzz-bundle-import: %s\n", id ? at_bundle_outcome_to_string (outcome) : error->message);
  /* refused or not, an answer is either an id or a sentence */
  g_assert ((id != NULL) != (error != NULL));
  g_assert (error == NULL || (error->message != NULL && *error->message != '\0'));
  if (id != NULL)
    empty_store ();
  return 0;
}
