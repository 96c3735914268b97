/* test-evidence.c — evidence: content-addressed storage, ingest, listing, removal */
#include "config.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "at-core.h"

#define PASSPHRASE "correct horse"

typedef struct
{
  char       *dir;
  AtStore    *store;
  AtIdentity *assessor;
  AtIdentity *reviewer;
  char       *a1;
  char       *a2;
} Fixture;

static char *
create_assessment (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = NULL;
  AtAssessmentSpec spec = { 0 };

  spec.standard = "MINI";
  spec.org = "某通信公司";
  spec.lead = at_identity_get_id (f->assessor);
  spec.kind = AT_KIND_THIRD_PARTY;
  a = at_assessment_create (f->store, &spec, &error);
  g_assert_no_error (error);
  return g_strdup (at_assessment_get_id (a));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) mini = NULL;
  g_autofree char *data_dir = NULL;

  f->dir = g_dir_make_tmp ("attest-evidence-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  data_dir = g_build_filename (f->dir, "data", NULL);
  f->store = at_store_open (data_dir, &error);
  g_assert_no_error (error);

  mini = at_standards_import (f->store, g_test_get_filename (G_TEST_DIST, "data", "mini.json", NULL), NULL, &error);
  g_assert_no_error (error);

  f->assessor = at_identity_create (f->store, "李审核", AT_ROLE_ASSESSOR, "认证中心", PASSPHRASE, &error);
  g_assert_no_error (error);
  f->reviewer = at_identity_create (f->store, "Reviewer", AT_ROLE_REVIEWER, "认证中心", PASSPHRASE, &error);
  g_assert_no_error (error);
  f->a1 = create_assessment (f);
  f->a2 = create_assessment (f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->assessor);
  g_clear_object (&f->reviewer);
  /* A worker thread lets go of its GTask (and the task of the store) only after the callback
   * has run here: wait for that rather than race it. */
  for (int waited = 0; g_atomic_int_get (&G_OBJECT (f->store)->ref_count) > 1 && waited < 10000; waited++)
    g_usleep (1000);
  g_assert_finalize_object (f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->a1);
  g_free (f->a2);
  g_free (f->dir);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const void *contents,
            gssize      len)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  return path;
}

/* Every regular file under <data_dir>/evidence, relative to it, sorted. */
static char *
evidence_files (Fixture *f)
{
  g_autofree char *root = at_store_get_path (f->store, "evidence", NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autoptr(GDir) sub = NULL;
      const char *inner;

      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (names, g_strdup (name));
          continue;
        }
      sub = g_dir_open (path, 0, NULL);
      while ((inner = g_dir_read_name (sub)) != NULL)
        g_ptr_array_add (names, g_strdup_printf ("%s/%s", name, inner));
    }
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static const char *
state_of (Fixture *f, const char *id)
{
  static char state[32];
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = at_assessment_lookup (f->store, id, &error);

  g_assert_no_error (error);
  g_strlcpy (state, at_assessment_get_state (a), sizeof state);
  return state;
}

static void
assert_audit_clean (Fixture *f, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (at_audit_verify (f->store, id, problems, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("audit: %s", (char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* A JPEG whose APP1 segment carries EXIF (big-endian TIFF): IFD0 with DateTime and a pointer
 * to the Exif IFD holding DateTimeOriginal. Either may be left out. */
static void
put16 (GByteArray *b, guint16 v)
{
  guint8 x[2] = { v >> 8, v & 0xff };
  g_byte_array_append (b, x, 2);
}

static void
put32 (GByteArray *b, guint32 v)
{
  guint8 x[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
  g_byte_array_append (b, x, 4);
}

static GBytes *
jpeg_with_exif (const char *date_time_original,
                const char *date_time)
{
  g_autoptr(GByteArray) tiff = g_byte_array_new ();
  g_autoptr(GByteArray) jpeg = g_byte_array_new ();
  guint n0 = (date_time ? 1 : 0) + (date_time_original ? 1 : 0);
  guint32 data_at = 8 + 2 + 12 * n0 + 4;
  guint32 exif_ifd_at = data_at + (date_time ? 20 : 0);

  g_byte_array_append (tiff, (const guint8 *) "MM\0\x2a", 4);
  put32 (tiff, 8);
  put16 (tiff, n0);
  if (date_time)
    {
      put16 (tiff, 0x0132), put16 (tiff, 2), put32 (tiff, 20), put32 (tiff, data_at);
    }
  if (date_time_original)
    {
      put16 (tiff, 0x8769), put16 (tiff, 4), put32 (tiff, 1), put32 (tiff, exif_ifd_at);
    }
  put32 (tiff, 0);
  if (date_time)
    g_byte_array_append (tiff, (const guint8 *) date_time, 20);
  if (date_time_original)
    {
      put16 (tiff, 1);
      put16 (tiff, 0x9003), put16 (tiff, 2), put32 (tiff, 20), put32 (tiff, exif_ifd_at + 18);
      put32 (tiff, 0);
      g_byte_array_append (tiff, (const guint8 *) date_time_original, 20);
    }

  g_byte_array_append (jpeg, (const guint8 *) "\xff\xd8\xff\xe1", 4);
  put16 (jpeg, 2 + 6 + tiff->len);
  g_byte_array_append (jpeg, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (jpeg, tiff->data, tiff->len);
  g_byte_array_append (jpeg, (const guint8 *) "\xff\xd9", 2);
  return g_byte_array_free_to_bytes (g_steal_pointer (&jpeg));
}

static void
test_add_and_list (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  static const char text[] = "现场检查记录：热线接通率抽查 20 通。\n";
  g_autofree char *path = write_file (f, "记录.txt", text, -1);
  g_autofree char *expected = at_sha256_hex (text, strlen (text));
  const char *clauses[] = { "1.1", NULL };
  g_autofree char *sha = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *stored_text = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(AtEvidence) again = NULL;
  AtEvidence *e;
  GStatBuf st;

  g_assert_cmpstr (state_of (f, f->a1), ==, "draft");
  sha = at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), clauses, NULL,
                         "  hotline sample  ", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha, ==, expected);
  g_assert_cmpstr (state_of (f, f->a1), ==, "in-progress");

  /* stored under its hash, complete, private */
  stored = at_evidence_get_path (f->store, sha);
  {
    g_autofree char *prefix = g_strndup (sha, 2);
    g_autofree char *expected_path = g_build_filename (f->dir, "data", "evidence", prefix, sha, NULL);
    g_assert_cmpstr (stored, ==, expected_path);
  }
  g_assert_true (g_file_get_contents (stored, &stored_text, NULL, NULL));
  g_assert_cmpstr (stored_text, ==, text);
  g_assert_cmpint (g_stat (stored, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  list = at_evidence_list (f->store, f->a1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  e = list->pdata[0];
  g_assert_cmpstr (at_evidence_get_sha256 (e), ==, sha);
  g_assert_cmpint (at_evidence_get_kind (e), ==, AT_EVIDENCE_DOCUMENT);
  g_assert_cmpint (at_evidence_get_size (e), ==, strlen (text));
  g_assert_cmpstr (at_evidence_get_original_name (e), ==, "记录.txt");
  g_assert_cmpstr (at_evidence_get_note (e), ==, "hotline sample");
  g_assert_null (at_evidence_get_captured_at (e));
  g_assert_cmpstr (at_evidence_get_added_by (e), ==, at_identity_get_id (f->assessor));
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", at_evidence_get_added_at (e), 0, 0));
  g_assert_cmpstrv (at_evidence_get_clauses (e), ((const char *[]) { "1.1", NULL }));

  again = at_evidence_lookup (f->store, f->a1, sha, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_evidence_get_original_name (again), ==, "记录.txt");
  {
    g_autofree char *kind = NULL;
    g_auto(GStrv) linked = NULL;
    g_object_get (again, "kind", &kind, "clauses", &linked, NULL);
    g_assert_cmpstr (kind, ==, "document");
    g_assert_cmpstrv (linked, ((const char *[]) { "1.1", NULL }));
  }

  /* nothing in the other assessment */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = at_evidence_list (f->store, f->a2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  assert_audit_clean (f, f->a1);
}

static void
test_dedup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (f, "photo.dat", "same bytes", -1);
  g_autofree char *copy = write_file (f, "renamed copy.dat", "same bytes", -1);
  const char *first[] = { "1.1", NULL };
  const char *second[] = { "1.2", "1.1", "1.2", NULL };
  const char *actor = at_identity_get_id (f->assessor);
  g_autofree char *sha1 = NULL;
  g_autofree char *sha2 = NULL;
  g_autofree char *sha3 = NULL;
  g_autofree char *files = NULL;
  g_autofree char *expected_files = NULL;
  g_autoptr(GPtrArray) list = NULL;
  AtEvidence *e;

  sha1 = at_evidence_add (f->store, f->a1, path, actor, first, NULL, "first", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* the same bytes under another name, more clauses: one record, links merged, first record stands */
  sha2 = at_evidence_add (f->store, f->a1, copy, actor, second, "photo", "second", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha1, ==, sha2);

  list = at_evidence_list (f->store, f->a1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  e = list->pdata[0];
  g_assert_cmpstrv (at_evidence_get_clauses (e), ((const char *[]) { "1.1", "1.2", NULL }));
  g_assert_cmpstr (at_evidence_get_original_name (e), ==, "photo.dat");
  g_assert_cmpstr (at_evidence_get_note (e), ==, "first");
  g_assert_cmpint (at_evidence_get_kind (e), ==, AT_EVIDENCE_DOCUMENT); /* sniffed as text, not the later “photo” */

  /* another assessment reuses the stored file */
  sha3 = at_evidence_add (f->store, f->a2, copy, actor, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha3, ==, sha1);
  files = evidence_files (f);
  expected_files = g_strdup_printf ("%.2s/%s", sha1, sha1);
  g_assert_cmpstr (files, ==, expected_files);

  g_clear_pointer (&list, g_ptr_array_unref);
  list = at_evidence_list (f->store, f->a2, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstrv (at_evidence_get_clauses (list->pdata[0]), ((const char *[]) { NULL }));

  assert_audit_clean (f, f->a1);
  assert_audit_clean (f, f->a2);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree char *good = write_file (f, "good.txt", "good", -1);
  g_autofree char *empty = write_file (f, "empty.txt", "", 0);
  g_autofree char *missing = g_build_filename (f->dir, "missing.txt", NULL);
  const char *actor = at_identity_get_id (f->assessor);
  const char *unknown_clause[] = { "1.1", "9.9", NULL };
  const char *heading[] = { "1", NULL };
  struct {
    const char *assessment;
    const char *path;
    const char *actor;
    const char * const *clauses;
    const char *kind;
    int code;
  } cases[] = {
    { f->a1, missing, actor, NULL, NULL, AT_ERROR_INVALID },
    { f->a1, f->dir, actor, NULL, NULL, AT_ERROR_INVALID },
    { f->a1, "/dev/null", actor, NULL, NULL, AT_ERROR_INVALID },
    { f->a1, "/proc/self/mem", actor, NULL, NULL, AT_ERROR_INVALID },
    { f->a1, empty, actor, NULL, NULL, AT_ERROR_INVALID },
    { "no-such-assessment", good, actor, NULL, NULL, AT_ERROR_NOT_FOUND },
    { f->a1, good, "nobody", NULL, NULL, AT_ERROR_NOT_FOUND },
    { f->a1, good, actor, unknown_clause, NULL, AT_ERROR_NOT_FOUND },
    { f->a1, good, actor, heading, NULL, AT_ERROR_INVALID },
    { f->a1, good, actor, NULL, "picture", AT_ERROR_INVALID },
    { f->a1, good, at_identity_get_id (f->reviewer), NULL, NULL, AT_ERROR_REFUSED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sha = NULL;
      g_autofree char *files = NULL;
      g_autoptr(GPtrArray) list = NULL;

      sha = at_evidence_add (f->store, cases[i].assessment, cases[i].path, cases[i].actor, cases[i].clauses,
                             cases[i].kind, NULL, NULL, NULL, NULL, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (sha);
      g_assert_error (error, AT_ERROR, cases[i].code);

      /* nothing written: no file, no row, and the draft is still a draft */
      files = evidence_files (f);
      g_assert_cmpstr (files, ==, "");
      list = at_evidence_list (f->store, f->a1, &error);
      g_assert_cmpuint (list->len, ==, 0);
      g_assert_cmpstr (state_of (f, f->a1), ==, "draft");
    }
  assert_audit_clean (f, f->a1);
}

static void
test_kind_guess (void)
{
  static const guchar jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0 };
  static const guchar png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  static const guchar noise[] = { 0x00, 0x9c, 0x13, 0xfe, 0x01, 0x77, 0x00, 0xaa };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (at_evidence_kind_guess ("IMG_0001", jpeg, sizeof jpeg), ==, AT_EVIDENCE_PHOTO);
  g_assert_cmpint (at_evidence_kind_guess ("shot", png, sizeof png), ==, AT_EVIDENCE_PHOTO);
  g_assert_cmpint (at_evidence_kind_guess ("scan", (const guchar *) pdf, strlen (pdf)), ==, AT_EVIDENCE_DOCUMENT);
  g_assert_cmpint (at_evidence_kind_guess ("notes.txt", (const guchar *) "plain words\n", 12), ==, AT_EVIDENCE_DOCUMENT);
  g_assert_cmpint (at_evidence_kind_guess ("report.docx", NULL, 0), ==, AT_EVIDENCE_DOCUMENT);
  g_assert_cmpint (at_evidence_kind_guess ("sheet.xlsx", NULL, 0), ==, AT_EVIDENCE_DOCUMENT);
  g_assert_cmpint (at_evidence_kind_guess ("call.mp3", NULL, 0), ==, AT_EVIDENCE_AUDIO);
  g_assert_cmpint (at_evidence_kind_guess ("call.wav", NULL, 0), ==, AT_EVIDENCE_AUDIO);
  g_assert_cmpint (at_evidence_kind_guess ("walkthrough.mp4", NULL, 0), ==, AT_EVIDENCE_VIDEO);
  g_assert_cmpint (at_evidence_kind_guess ("blob", noise, sizeof noise), ==, AT_EVIDENCE_OTHER);

  g_assert_cmpint (at_evidence_kind_parse ("video", &error), ==, AT_EVIDENCE_VIDEO);
  g_assert_no_error (error);
  at_evidence_kind_parse ("movie", &error);
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  for (AtEvidenceKind k = AT_EVIDENCE_DOCUMENT; k <= AT_EVIDENCE_OTHER; k++)
    g_assert_cmpint (at_evidence_kind_parse (at_evidence_kind_to_string (k), NULL), ==, k);
}

static char *
add_bytes (Fixture    *f,
           const char *name,
           GBytes     *bytes,
           const char *kind,
           GError    **error)
{
  g_autofree char *path = write_file (f, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), NULL, kind, NULL,
                          NULL, NULL, NULL, error);
}

static void
test_exif (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) both = jpeg_with_exif ("2026:05:01 10:20:30", "2026:06:02 11:00:00");
  g_autoptr(GBytes) only_dt = jpeg_with_exif (NULL, "2025:12:31 23:59:58");
  g_autoptr(GBytes) unknown = jpeg_with_exif ("0000:00:00 00:00:00", NULL);
  g_autofree char *sha_both = add_bytes (f, "IMG_0001.JPG", both, NULL, &error);
  g_autofree char *sha_dt = add_bytes (f, "IMG_0002.jpg", only_dt, NULL, &error);
  g_autofree char *sha_unknown = add_bytes (f, "IMG_0003.jpg", unknown, NULL, &error);
  g_autoptr(AtEvidence) e_both = NULL;
  g_autoptr(AtEvidence) e_dt = NULL;
  g_autoptr(AtEvidence) e_unknown = NULL;

  g_assert_no_error (error);
  e_both = at_evidence_lookup (f->store, f->a1, sha_both, &error);
  e_dt = at_evidence_lookup (f->store, f->a1, sha_dt, &error);
  e_unknown = at_evidence_lookup (f->store, f->a1, sha_unknown, &error);
  g_assert_no_error (error);

  /* DateTimeOriginal (when the shutter fired) wins over DateTime (last edit) */
  g_assert_cmpint (at_evidence_get_kind (e_both), ==, AT_EVIDENCE_PHOTO);
  g_assert_cmpstr (at_evidence_get_captured_at (e_both), ==, "2026-05-01T10:20:30");
  g_assert_cmpstr (at_evidence_get_captured_at (e_dt), ==, "2025-12-31T23:59:58");
  g_assert_null (at_evidence_get_captured_at (e_unknown));
}

static void
test_exif_not_for_documents (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = jpeg_with_exif ("2026:05:01 10:20:30", NULL);
  g_autofree char *sha = add_bytes (f, "scan.jpg", jpeg, "document", &error);
  g_autoptr(AtEvidence) e = NULL;

  g_assert_no_error (error);
  e = at_evidence_lookup (f->store, f->a1, sha, &error);
  g_assert_no_error (error);
  g_assert_cmpint (at_evidence_get_kind (e), ==, AT_EVIDENCE_DOCUMENT);
  g_assert_null (at_evidence_get_captured_at (e));
}

typedef struct
{
  guint              calls;
  guint64            last_done;
  guint64            total;
  guint              cancel_after;
  GCancellable      *cancellable;
  GThread           *thread;
} Progress;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpuint (done, >, p->last_done);
  g_assert_cmpuint (done, <=, total);
  p->calls++;
  p->last_done = done;
  p->total = total;
  p->thread = g_thread_self ();
  if (p->cancel_after && p->calls == p->cancel_after)
    g_cancellable_cancel (p->cancellable);
}

static GBytes *
pseudo_random_bytes (gsize size)
{
  guint8 *buf = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < size; i++)
    buf[i] = g_rand_int (rand) & 0xff;
  return g_bytes_new_take (buf, size);
}

static void
test_progress_and_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gsize size = 3 * 1024 * 1024 + 12345;
  g_autoptr(GBytes) bytes = pseudo_random_bytes (size);
  g_autofree char *path = write_file (f, "big.bin", g_bytes_get_data (bytes, NULL), size);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Progress p = { 0, .cancel_after = 2, .cancellable = cancellable };
  g_autofree char *sha = NULL;
  g_autofree char *files = NULL;
  g_autoptr(GPtrArray) list = NULL;

  /* cancelled between chunks: nothing left behind, not even the temporary file */
  sha = at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), NULL, NULL, NULL,
                         on_progress, &p, cancellable, &error);
  g_assert_null (sha);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (p.calls, ==, 2);
  files = evidence_files (f);
  g_assert_cmpstr (files, ==, "");
  list = at_evidence_list (f->store, f->a1, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpstr (state_of (f, f->a1), ==, "draft");
  g_clear_error (&error);

  /* uncancelled: one call per 1 MiB chunk, ending at the size */
  p = (Progress) { 0 };
  sha = at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), NULL, NULL, NULL,
                         on_progress, &p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (p.calls, ==, 4);
  g_assert_cmpuint (p.last_done, ==, size);
  g_assert_cmpuint (p.total, ==, size);
  {
    g_autofree char *expected = at_sha256_hex (g_bytes_get_data (bytes, NULL), size);
    g_assert_cmpstr (sha, ==, expected);
  }
}

/* Someone still writing the file while it is added: a change in place (same size). */
static void
on_progress_write (guint64  done,
                   guint64  total,
                   gpointer user_data)
{
  const char *path = user_data;
  FILE *file;

  if (done > 1024 * 1024)
    return;
  file = fopen (path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (fwrite ("CHANGED", 1, 7, file), ==, 7);
  g_assert_cmpint (fclose (file), ==, 0);
}

static void
test_changed_while_added (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gsize size = 3 * 1024 * 1024;
  g_autoptr(GBytes) bytes = pseudo_random_bytes (size);
  g_autofree char *path = write_file (f, "growing.bin", g_bytes_get_data (bytes, NULL), size);
  struct utimbuf old = { 1000000000, 1000000000 };
  g_autofree char *sha = NULL;
  g_autofree char *files = NULL;
  g_autoptr(GPtrArray) list = NULL;

  /* an old modification time, so that the write during the copy moves it even on a file
   * system whose clock only ticks every few milliseconds */
  g_assert_cmpint (utime (path, &old), ==, 0);
  sha = at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), NULL, NULL, NULL,
                         on_progress_write, path, NULL, &error);
  g_assert_null (sha);
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "changed while it was being added"));
  g_clear_error (&error);
  /* nothing kept: no file, no temporary file, no record */
  files = evidence_files (f);
  g_assert_cmpstr (files, ==, "");
  list = at_evidence_list (f->store, f->a1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  /* once nobody writes to it, it is added, and what is stored is what it holds */
  g_clear_pointer (&list, g_ptr_array_unref);
  sha = at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), NULL, NULL, NULL,
                         NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *contents = NULL;
    g_autofree char *stored = at_evidence_get_path (f->store, sha);
    g_autofree char *expected = NULL;
    g_autofree char *sha_of_stored = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    expected = at_sha256_hex (contents, len);
    g_assert_cmpstr (sha, ==, expected);
    g_clear_pointer (&contents, g_free);
    g_assert_true (g_file_get_contents (stored, &contents, &len, NULL));
    g_assert_cmpuint (len, ==, size);
    sha_of_stored = at_sha256_hex (contents, len);
    g_assert_cmpstr (sha_of_stored, ==, expected);
  }
}

typedef struct
{
  GMainLoop *loop;
  char      *sha256;
  GError    *error;
} AsyncResult;

static void
on_added (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncResult *r = user_data;

  r->sha256 = at_evidence_add_finish (AT_STORE (source), result, &r->error);
  g_main_loop_quit (r->loop);
}

static void
test_async (Fixture *f, gconstpointer data)
{
  gsize size = 2 * 1024 * 1024 + 1;
  g_autoptr(GBytes) bytes = pseudo_random_bytes (size);
  g_autofree char *path = write_file (f, "clip.bin", g_bytes_get_data (bytes, NULL), size);
  g_autofree char *expected = at_sha256_hex (g_bytes_get_data (bytes, NULL), size);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const char *clauses[] = { "1.2", NULL };
  AsyncResult r = { loop };
  Progress p = { 0 };
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *files = NULL;

  at_evidence_add_async (f->store, f->a1, path, at_identity_get_id (f->assessor), clauses, "video", "walk",
                         on_progress, &p, NULL, on_added, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.sha256, ==, expected);
  g_assert_cmpuint (p.calls, ==, 3);
  g_assert_true (p.thread != g_thread_self ());
  list = at_evidence_list (f->store, f->a1, NULL);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (at_evidence_get_kind (list->pdata[0]), ==, AT_EVIDENCE_VIDEO);
  g_clear_pointer (&r.sha256, g_free);

  /* refused before any work is handed to the thread */
  at_evidence_add_async (f->store, f->a2, path, "nobody", NULL, NULL, NULL, NULL, NULL, NULL, on_added, &r);
  g_main_loop_run (loop);
  g_assert_null (r.sha256);
  g_assert_error (r.error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&r.error);

  /* cancelled while copying: nothing left behind */
  p = (Progress) { 0, .cancel_after = 1, .cancellable = cancellable };
  at_evidence_add_async (f->store, f->a2, path, at_identity_get_id (f->assessor), NULL, NULL, NULL,
                         on_progress, &p, cancellable, on_added, &r);
  g_main_loop_run (loop);
  g_assert_null (r.sha256);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = at_evidence_list (f->store, f->a2, NULL);
  g_assert_cmpuint (list->len, ==, 0);
  files = evidence_files (f);
  g_assert_false (strstr (files, ".tmp-"));
}

static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (f, "shared.pdf", "%PDF-1.4 shared", -1);
  const char *clauses[] = { "1.1", "1.2", NULL };
  const char *actor = at_identity_get_id (f->assessor);
  g_autofree char *sha = at_evidence_add (f->store, f->a1, path, actor, clauses, NULL, NULL, NULL, NULL, NULL, &error);
  g_autofree char *sha2 = at_evidence_add (f->store, f->a2, path, actor, clauses, NULL, NULL, NULL, NULL, NULL, &error);
  g_autofree char *stored = at_evidence_get_path (f->store, sha);
  g_autofree char *upper = g_ascii_strup (sha, -1);
  g_autoptr(GPtrArray) list = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sha, ==, sha2);

  /* bad input and refusals change nothing */
  g_assert_false (at_evidence_remove (f->store, f->a1, "abc", actor, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (at_evidence_remove (f->store, f->a1, "0000000000000000000000000000000000000000000000000000000000000000", actor, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (at_evidence_remove (f->store, f->a1, sha, at_identity_get_id (f->reviewer), &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  /* still used by a2: the file stays */
  g_assert_true (at_evidence_remove (f->store, f->a1, upper, actor, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));
  list = at_evidence_list (f->store, f->a1, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpuint (at_evidence_count_for_clause (f->store, f->a1, "1.1"), ==, 0);
  g_assert_cmpuint (at_evidence_count_for_clause (f->store, f->a2, "1.1"), ==, 1);

  /* the last reference goes: so does the file (and its emptied folder) */
  g_assert_true (at_evidence_remove (f->store, f->a2, sha, actor, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stored, G_FILE_TEST_EXISTS));
  {
    g_autofree char *files = evidence_files (f);
    g_assert_cmpstr (files, ==, "");
  }
  g_assert_false (at_evidence_remove (f->store, f->a2, sha, actor, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);

  assert_audit_clean (f, f->a1);
  assert_audit_clean (f, f->a2);
}

static void
test_counts (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *p1 = write_file (f, "one.txt", "one", -1);
  g_autofree char *p2 = write_file (f, "two.txt", "two", -1);
  const char *both[] = { "1.1", "1.2", NULL };
  const char *one[] = { "1.1", NULL };
  const char *actor = at_identity_get_id (f->assessor);
  g_autofree char *s1 = at_evidence_add (f->store, f->a1, p1, actor, both, NULL, NULL, NULL, NULL, NULL, &error);
  g_autofree char *s2 = at_evidence_add (f->store, f->a1, p2, actor, one, NULL, NULL, NULL, NULL, NULL, &error);
  g_autoptr(GHashTable) counts = NULL;

  g_assert_no_error (error);
  counts = at_evidence_count_by_clause (f->store, f->a1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "1.1")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "1.2")), ==, 1);
  g_assert_cmpuint (at_evidence_count_for_clause (f->store, f->a1, "1.1"), ==, 2);
  g_assert_cmpuint (at_evidence_count_for_clause (f->store, f->a1, "1"), ==, 0);
  g_assert_cmpuint (at_evidence_count_for_clause (f->store, f->a2, "1.1"), ==, 0);
}

static void
set_age (const char *path,
         gint64      seconds)
{
  struct utimbuf times;

  times.actime = times.modtime = time (NULL) - seconds;
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static void
test_stale_temporary_files (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = at_store_get_path (f->store, "evidence", NULL);
  g_autofree char *dead = g_build_filename (root, ".tmp-AAAAAA", NULL);
  g_autofree char *live = g_build_filename (root, ".tmp-BBBBBB", NULL);
  g_autofree char *path = write_file (f, "n.txt", "n", -1);
  g_autofree char *sha = NULL;
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (root, 0700), ==, 0);
  g_assert_true (g_file_set_contents (dead, "half a file", -1, NULL));
  g_assert_true (g_file_set_contents (live, "being written", -1, NULL));
  /* age says nothing: the dead one is a second old, the live one two hours */
  set_age (live, 2 * 3600);
  fd = open (live, O_RDONLY);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  /* a new ingest sweeps what a killed one left, not what a live one holds locked */
  sha = at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (at_evidence_clean_temporary (f->store), ==, 0);

  /* its writer dies: the lock goes with it */
  close (fd);
  g_assert_cmpuint (at_evidence_clean_temporary (f->store), ==, 1);
  g_assert_false (g_file_test (live, G_FILE_TEST_EXISTS));
}

static void
test_prune (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (f, "kept.txt", "kept", -1);
  g_autofree char *sha = at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_autofree char *orphan_sha = at_sha256_hex ("orphan", 6);
  g_autofree char *orphan = at_evidence_get_path (f->store, orphan_sha);
  g_autofree char *orphan_dir = g_path_get_dirname (orphan);
  g_autofree char *files = NULL;
  g_autofree char *expected = NULL;
  guint removed = 99;

  g_assert_no_error (error);
  /* what a crash between placing a file and committing its rows leaves */
  g_assert_cmpint (g_mkdir_with_parents (orphan_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (orphan, "orphan", -1, NULL));

  g_assert_true (at_evidence_prune (f->store, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
  files = evidence_files (f);
  expected = g_strdup_printf ("%.2s/%s", sha, sha);
  g_assert_cmpstr (files, ==, expected);
}

static void
test_assessment_json (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = jpeg_with_exif ("2026:05:01 10:20:30", NULL);
  g_autofree char *path = write_file (f, "IMG.jpg", g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
  const char *clauses[] = { "1.2", "1.1", NULL };
  g_autofree char *sha = at_evidence_add (f->store, f->a1, path, at_identity_get_id (f->assessor), clauses,
                                          NULL, "前台", NULL, NULL, NULL, &error);
  g_autoptr(AtAssessment) a = at_assessment_lookup (f->store, f->a1, &error);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *evidence;
  JsonObject *e;
  JsonArray *linked;

  g_assert_no_error (error);
  root = at_assessment_to_json_full (a, f->store);
  evidence = json_object_get_array_member (json_node_get_object (root), "evidence");
  g_assert_cmpuint (json_array_get_length (evidence), ==, 1);
  e = json_array_get_object_element (evidence, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "sha256"), ==, sha);
  g_assert_cmpstr (json_object_get_string_member (e, "kind"), ==, "photo");
  g_assert_cmpint (json_object_get_int_member (e, "size"), ==, g_bytes_get_size (jpeg));
  g_assert_cmpstr (json_object_get_string_member (e, "original_name"), ==, "IMG.jpg");
  g_assert_cmpstr (json_object_get_string_member (e, "note"), ==, "前台");
  g_assert_cmpstr (json_object_get_string_member (e, "captured_at"), ==, "2026-05-01T10:20:30");
  g_assert_cmpstr (json_object_get_string_member (e, "added_by"), ==, at_identity_get_id (f->assessor));
  g_assert_true (json_object_has_member (e, "added_at"));
  linked = json_object_get_array_member (e, "clauses");
  g_assert_cmpuint (json_array_get_length (linked), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (linked, 0), ==, "1.1");
  g_assert_cmpstr (json_array_get_string_element (linked, 1), ==, "1.2");
}

/* A phone's portrait photo: a 400 × 200 JPEG, left half red and right half blue, stored
 * sideways with EXIF orientation 6 (turn 90° clockwise to view), so upright it is 200 × 400 with
 * red on top. */
static GBytes *
jpeg_sideways (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 200);
  g_autoptr(GdkPixbuf) left = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) tiff = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize len;

  gdk_pixbuf_fill (pixbuf, 0x0000ffff);
  left = gdk_pixbuf_new_subpixbuf (pixbuf, 0, 0, 200, 200);
  gdk_pixbuf_fill (left, 0xff0000ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "jpeg", &error, NULL));
  g_assert_no_error (error);

  /* TIFF header, IFD0 with one entry: Orientation (0x0112), SHORT, 1, value 6 */
  g_byte_array_append (tiff, (const guint8 *) "MM\0\x2a", 4);
  put32 (tiff, 8);
  put16 (tiff, 1);
  put16 (tiff, 0x0112), put16 (tiff, 3), put32 (tiff, 1), put16 (tiff, 6), put16 (tiff, 0);
  put32 (tiff, 0);

  g_byte_array_append (out, (const guint8 *) buffer, 2); /* SOI */
  g_byte_array_append (out, (const guint8 *) "\xff\xe1", 2);
  put16 (out, 2 + 6 + tiff->len);
  g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (out, tiff->data, tiff->len);
  g_byte_array_append (out, (const guint8 *) buffer + 2, len - 2);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GdkPixbuf *
load_preview (const char *path)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_false (gdk_pixbuf_get_has_alpha (pixbuf));
  return pixbuf;
}

static const guchar *
pixel (GdkPixbuf *pixbuf, int x, int y)
{
  return gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + x * gdk_pixbuf_get_n_channels (pixbuf);
}

/* Ingest keeps a small upright preview of each photo, flattened onto white; one cut short or
 * deleted is made again; the preview leaves with the evidence. */
static void
test_thumbnails (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sideways = jpeg_sideways ();
  g_autoptr(GdkPixbuf) clear = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 40, 30);
  g_autofree char *photo = write_file (f, "IMG_0001.jpg", g_bytes_get_data (sideways, NULL), g_bytes_get_size (sideways));
  g_autofree char *png = g_build_filename (f->dir, "clear.png", NULL);
  g_autofree char *text = write_file (f, "minutes.txt", "minutes of the meeting", -1);
  const char *data_dir = at_store_get_data_dir (f->store);
  const char * const clauses[] = { "1.1", NULL };
  g_autofree char *sha_photo = NULL, *sha_png = NULL, *sha_text = NULL;
  g_autofree char *thumb_photo = NULL, *thumb_png = NULL, *thumb_text = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  gdk_pixbuf_fill (clear, 0x00000000);
  g_assert_true (gdk_pixbuf_save (clear, png, "png", &error, NULL));
  sha_photo = at_evidence_add (f->store, f->a1, photo, at_identity_get_id (f->assessor), clauses, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sha_png = at_evidence_add (f->store, f->a1, png, at_identity_get_id (f->assessor), clauses, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sha_text = at_evidence_add (f->store, f->a1, text, at_identity_get_id (f->assessor), clauses, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  thumb_photo = at_thumbnail_path (data_dir, sha_photo);
  thumb_png = at_thumbnail_path (data_dir, sha_png);
  thumb_text = at_thumbnail_path (data_dir, sha_text);

  /* made at ingest: scaled to fit 320, turned upright (red on top), opaque */
  {
    g_autoptr(GdkPixbuf) p = load_preview (thumb_photo);

    g_assert_cmpint (gdk_pixbuf_get_width (p), ==, 160);
    g_assert_cmpint (gdk_pixbuf_get_height (p), ==, AT_THUMBNAIL_SIDE);
    g_assert_cmpint (pixel (p, 80, 40)[0], >, 200);
    g_assert_cmpint (pixel (p, 80, 40)[2], <, 60);
    g_assert_cmpint (pixel (p, 80, 280)[0], <, 60);
    g_assert_cmpint (pixel (p, 80, 280)[2], >, 200);
  }
  /* never scaled up; transparency on white */
  {
    g_autoptr(GdkPixbuf) p = load_preview (thumb_png);

    g_assert_cmpint (gdk_pixbuf_get_width (p), ==, 40);
    g_assert_cmpint (gdk_pixbuf_get_height (p), ==, 30);
    for (int k = 0; k < 3; k++)
      g_assert_cmpint (pixel (p, 20, 15)[k], >=, 250);
  }
  /* a document has none, and asking for one says why */
  g_assert_false (g_file_test (thumb_text, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GBytes) none = at_thumbnail_load (data_dir, sha_text, &error);

    g_assert_null (none);
    g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* an image gdk-pixbuf could read only through a loader beyond the photo formats (SVG through
   * librsvg, here) is evidence all the same, without a preview, and asking for one says why */
  {
    g_autofree char *svg = write_file (f, "drawing.svg",
                                       "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='30'>"
                                       "<rect width='40' height='30' fill='red'/></svg>", -1);
    g_autofree char *sha_svg = at_evidence_add (f->store, f->a1, svg, at_identity_get_id (f->assessor), clauses,
                                                NULL, NULL, NULL, NULL, NULL, &error);
    g_autofree char *thumb_svg = NULL;
    g_autoptr(GBytes) none = NULL;

    g_assert_no_error (error);
    thumb_svg = at_thumbnail_path (data_dir, sha_svg);
    g_assert_false (g_file_test (thumb_svg, G_FILE_TEST_EXISTS));
    none = at_thumbnail_load (data_dir, sha_svg, &error);
    g_assert_null (none);
    g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "not an image of a kind that is previewed"));
    g_clear_error (&error);
  }

  /* one cut short is made again, whole */
  g_assert_true (g_file_get_contents (thumb_photo, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (thumb_photo, contents, len / 2, NULL));
  {
    g_autoptr(GBytes) again = at_thumbnail_load (data_dir, sha_photo, &error);
    g_autofree char *kept = NULL;
    gsize kept_len;

    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (again), ==, len);
    g_assert_true (g_file_get_contents (thumb_photo, &kept, &kept_len, NULL));
    g_assert_cmpmem (kept, kept_len, contents, len);
  }
  /* one deleted is made again */
  g_assert_cmpint (g_unlink (thumb_png), ==, 0);
  {
    g_autoptr(GBytes) again = at_thumbnail_load (data_dir, sha_png, &error);

    g_assert_no_error (error);
    g_assert_nonnull (again);
    g_assert_true (g_file_test (thumb_png, G_FILE_TEST_IS_REGULAR));
  }

  /* it goes with the last reference to its evidence, and then there is none to make */
  g_assert_true (at_evidence_remove (f->store, f->a1, sha_photo, at_identity_get_id (f->assessor), &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (thumb_photo, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GBytes) none = at_thumbnail_load (data_dir, sha_photo, &error);

    g_assert_null (none);
    g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  /* a preview left without its evidence (a removal interrupted after the file went) is pruned */
  {
    g_autofree char *evidence = at_evidence_get_path (f->store, sha_png);
    guint removed = 0;

    g_assert_cmpint (g_unlink (evidence), ==, 0);
    g_assert_true (at_evidence_prune (f->store, &removed, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (thumb_png, G_FILE_TEST_EXISTS));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/evidence/add-and-list", test_add_and_list);
  ADD ("/evidence/dedup", test_dedup);
  ADD ("/evidence/bad-input", test_bad_input);
  g_test_add_func ("/evidence/kind-guess", test_kind_guess);
  ADD ("/evidence/exif", test_exif);
  ADD ("/evidence/exif-not-for-documents", test_exif_not_for_documents);
  ADD ("/evidence/progress-and-cancel", test_progress_and_cancel);
  ADD ("/evidence/changed-while-added", test_changed_while_added);
  ADD ("/evidence/async", test_async);
  ADD ("/evidence/remove", test_remove);
  ADD ("/evidence/counts", test_counts);
  ADD ("/evidence/stale-temporary-files", test_stale_temporary_files);
  ADD ("/evidence/prune", test_prune);
  ADD ("/evidence/thumbnails", test_thumbnails);
  ADD ("/evidence/assessment-json", test_assessment_json);
#undef ADD

  return g_test_run ();
}
