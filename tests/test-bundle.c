/* test-bundle.c — .attest bundles: round trip, revisions, copies, tampering, cancellation */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <string.h>

#include "at-core.h"
#include "at-test-util.h"
#include "at-store-private.h"

#define PASS "bundle test passphrase"

typedef struct
{
  char       *dir;
  AtStore    *a;          /* where the assessment is made */
  AtStore    *b;          /* where it is carried to */
  AtIdentity *lead;
  AtIdentity *reviewer;
  AtIdentity *issuer;
  char       *assessment;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mini = g_test_build_filename (G_TEST_DIST, "data", "mini.json", NULL);
  g_autofree char *dir_a = NULL;
  g_autofree char *dir_b = NULL;
  g_autoptr(AtCatalog) catalog = NULL;
  g_autoptr(AtAssessment) a = NULL;
  AtAssessmentSpec spec = { .standard = "MINI", .org = "Org", .kind = AT_KIND_THIRD_PARTY, .scope = "hotline" };

  f->dir = g_dir_make_tmp ("attest-bundle-XXXXXX", NULL);
  dir_a = g_build_filename (f->dir, "a", NULL);
  dir_b = g_build_filename (f->dir, "b", NULL);
  f->a = at_store_open (dir_a, &error);
  g_assert_no_error (error);
  f->b = at_store_open (dir_b, &error);
  g_assert_no_error (error);
  catalog = at_standards_import (f->a, mini, NULL, &error);
  g_assert_no_error (error);
  f->lead = at_identity_create (f->a, "Lead", AT_ROLE_ASSESSOR, "CB", PASS, &error);
  f->reviewer = at_identity_create (f->a, "Reviewer", AT_ROLE_REVIEWER, "CB", PASS, &error);
  f->issuer = at_identity_create (f->a, "Issuer", AT_ROLE_ISSUER, "CB", PASS, &error);
  g_assert_no_error (error);
  spec.lead = at_identity_get_id (f->lead);
  a = at_assessment_create (f->a, &spec, &error);
  g_assert_no_error (error);
  f->assessment = g_strdup (at_assessment_get_id (a));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->lead);
  g_clear_object (&f->reviewer);
  g_clear_object (&f->issuer);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->assessment);
  g_free (f->dir);
}

static char *
path_in (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
set_finding (AtStore *store, const char *assessment, const char *clause, AtIdentity *who, const char *note)
{
  g_autoptr(GError) error = NULL;
  AtFindingInput input = { .verdict = AT_VERDICT_CONFORM, .note = note };

  g_assert_true (at_finding_set (store, assessment, clause, at_identity_get_id (who), &input, &error));
  g_assert_no_error (error);
}

static char *
add_evidence (Fixture *f, AtStore *store, const char *assessment, gsize size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = path_in (f, "evidence.bin");
  g_autofree guchar *data = g_malloc (size);
  const char * const clauses[] = { "1.1", NULL };
  char *sha256;

  for (gsize i = 0; i < size; i++)
    data[i] = g_random_int () & 0xff;
  g_assert_true (g_file_set_contents (path, (const char *) data, size, &error));
  sha256 = at_evidence_add (store, assessment, path, at_identity_get_id (f->lead), clauses, NULL, "a photo",
                            NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return sha256;
}

static char *
show (AtStore *store, const char *assessment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = at_assessment_lookup (store, assessment, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  node = at_assessment_to_json_full (a, store);
  return json_to_string (node, TRUE);
}

static AtSigner *
unlock (AtStore *store, AtIdentity *who)
{
  g_autoptr(GError) error = NULL;
  AtSigner *signer = at_signer_unlock (store, at_identity_get_id (who), PASS, &error);

  g_assert_no_error (error);
  return signer;
}

static void
export (Fixture *f, const char *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = unlock (f->a, f->lead);

  g_assert_true (at_bundle_export (f->a, f->assessment, out, signer, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_audit_clean (AtStore *store, const char *assessment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (at_audit_verify (store, assessment, problems, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("audit problem: %s", (char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

static gint64
count (AtStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* A full chapter-11 run, so every kind of record (and the sign-offs' CMS blobs) travels. */
static void
certify (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) lead = unlock (f->a, f->lead);
  g_autoptr(AtSigner) reviewer = unlock (f->a, f->reviewer);
  g_autoptr(AtSigner) issuer = unlock (f->a, f->issuer);
  g_autofree char *number = NULL;
  g_autofree char *nc = NULL;
  AtNonconformitySpec spec = { .grade = AT_GRADE_MINOR, .text = "rude on the phone", .suggestion = "train the staff" };

  set_finding (f->a, f->assessment, "1.1", f->lead, "calls answered");
  set_finding (f->a, f->assessment, "1.2", f->lead, "mostly polite");
  g_free (add_evidence (f, f->a, f->assessment, 100 * 1024));
  nc = at_nonconformity_add (f->a, f->assessment, "1.2", at_identity_get_id (f->lead), &spec, &error);
  g_assert_no_error (error);
  g_assert_true (at_assessment_submit (f->a, f->assessment, lead, &error));
  g_assert_no_error (error);
  at_test_agree_all (f->a, f->assessment, at_identity_get_id (at_signer_get_identity (reviewer)));
  g_assert_true (at_assessment_review (f->a, f->assessment, reviewer, TRUE, "fine", &error));
  g_assert_no_error (error);
  number = at_certificate_issue (f->a, f->assessment, issuer, 3, &error);
  g_assert_no_error (error);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = path_in (f, "x.attest");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *id = NULL;
  g_autofree char *manifest = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  AtBundleOutcome outcome = -1;

  certify (f);
  export (f, out);

  g_assert_true (at_bundle_verify (out, lines, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("%s", (char *) lines->pdata[i]);
  g_assert_cmpuint (lines->len, >, 3);

  id = at_bundle_import (f->b, out, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, f->assessment);
  g_assert_cmpint (outcome, ==, AT_BUNDLE_IMPORTED);

  before = show (f->a, f->assessment);
  after = show (f->b, f->assessment);
  g_assert_cmpstr (before, ==, after);
  assert_audit_clean (f->b, f->assessment);

  /* the sign-offs still verify in the other store */
  ours = g_ptr_array_new_with_free_func (g_free);
  theirs = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (at_signoffs_verify (f->a, f->assessment, ours, &error));
  g_assert_true (at_signoffs_verify (f->b, f->assessment, theirs, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ours->len, ==, theirs->len);
  g_assert_cmpuint (ours->len, ==, 3);

  /* people came along public-only: no key files */
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM identities"), ==, 3);
  {
    g_autofree char *keys = g_build_filename (at_store_get_data_dir (f->b), "identities", NULL);
    g_assert_false (g_file_test (keys, G_FILE_TEST_EXISTS));
  }
  /* and nothing is left of the temporary area */
  {
    g_autoptr(GDir) dir = g_dir_open (at_store_get_data_dir (f->b), 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".bundle"));
  }

  /* no private key anywhere in the manifest */
  {
    struct archive *a = archive_read_new ();
    struct archive_entry *entry;
    archive_read_support_filter_zstd (a);
    archive_read_support_format_tar (a);
    g_assert_cmpint (archive_read_open_filename (a, out, 65536), ==, ARCHIVE_OK);
    g_assert_cmpint (archive_read_next_header (a, &entry), ==, ARCHIVE_OK);
    g_assert_cmpstr (archive_entry_pathname (entry), ==, "manifest.json");
    manifest = g_malloc0 (archive_entry_size (entry) + 1);
    g_assert_cmpint (archive_read_data (a, manifest, archive_entry_size (entry)), ==, archive_entry_size (entry));
    archive_read_free (a);
    g_assert_null (strstr (manifest, "PRIVATE KEY"));
    g_assert_nonnull (strstr (manifest, "\"format\" : \"attest-bundle/1\""));
  }
}

static void
test_revisions (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = path_in (f, "v1.attest");
  g_autofree char *v2 = path_in (f, "v2.attest");
  g_autofree char *v3 = path_in (f, "v3.attest");
  g_autofree char *id = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *before = NULL;
  AtBundleOutcome outcome = -1;

  set_finding (f->a, f->assessment, "1.1", f->lead, "first");
  g_free (add_evidence (f, f->a, f->assessment, 4096));
  export (f, v1);
  id = at_bundle_import (f->b, v1, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, AT_BUNDLE_IMPORTED);
  g_clear_pointer (&id, g_free);

  /* the same revision again: nothing to do */
  id = at_bundle_import (f->b, v1, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, AT_BUNDLE_UNCHANGED);
  g_clear_pointer (&id, g_free);

  /* a later revision of the same history is applied */
  set_finding (f->a, f->assessment, "1.2", f->lead, "second");
  export (f, v2);
  id = at_bundle_import (f->b, v2, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, AT_BUNDLE_UPDATED);
  g_clear_pointer (&id, g_free);
  {
    g_autofree char *x = show (f->a, f->assessment);
    g_autofree char *y = show (f->b, f->assessment);
    g_assert_cmpstr (x, ==, y);
  }
  assert_audit_clean (f->b, f->assessment);

  /* an older one is refused */
  before = show (f->b, f->assessment);
  id = at_bundle_import (f->b, v1, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "later revision"));
  g_assert_null (id);
  g_clear_error (&error);

  /* both sides change: diverged, refused naming the entry, unless kept as a copy */
  {
    g_autoptr(AtIdentity) lead_b = at_identity_lookup (f->b, at_identity_get_id (f->lead), &error);
    g_assert_no_error (error);
    set_finding (f->b, f->assessment, "1.1", lead_b, "changed in b");
  }
  set_finding (f->a, f->assessment, "1.1", f->lead, "changed in a");
  export (f, v3);
  g_free (before);
  before = show (f->b, f->assessment);
  id = at_bundle_import (f->b, v3, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "diverged"));
  g_assert_nonnull (strstr (error->message, "audit entry"));
  g_clear_error (&error);
  {
    g_autofree char *unchanged = show (f->b, f->assessment);
    g_assert_cmpstr (before, ==, unchanged);
  }

  copy = at_bundle_import (f->b, v3, AT_BUNDLE_IMPORT_AS_COPY, &outcome, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, AT_BUNDLE_COPIED);
  g_assert_cmpstr (copy, !=, f->assessment);
  assert_audit_clean (f->b, copy);
  assert_audit_clean (f->b, f->assessment);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM evidence WHERE assessment_id = '%s'", copy);
    g_autofree char *first = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE assessment_id = '%s' AND n = 1 "
                                              "AND action LIKE 'copy: of assessment %s%%'", copy, f->assessment);
    g_assert_cmpint (count (f->b, sql), ==, 1);
    g_assert_cmpint (count (f->b, first), ==, 1);
  }
}

static void
test_copy_of_certified (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = path_in (f, "x.attest");
  g_autofree char *copy = NULL;
  g_autoptr(AtAssessment) a = NULL;
  AtBundleOutcome outcome = -1;

  certify (f);
  export (f, out);
  /* into the very store it came from: a copy must not clash with the original's ids */
  copy = at_bundle_import (f->a, out, AT_BUNDLE_IMPORT_AS_COPY, &outcome, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, AT_BUNDLE_COPIED);
  assert_audit_clean (f->a, copy);
  assert_audit_clean (f->a, f->assessment);
  a = at_assessment_lookup (f->a, copy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_assessment_get_state (a), ==, "in-progress");
  {
    g_autofree char *certs = g_strdup_printf ("SELECT count(*) FROM certificates WHERE assessment_id = '%s'", copy);
    g_autofree char *void_signoffs = g_strdup_printf ("SELECT count(*) FROM signoffs WHERE assessment_id = '%s' AND valid = 0", copy);
    g_autofree char *ncs = g_strdup_printf ("SELECT count(*) FROM nonconformities WHERE assessment_id = '%s'", copy);
    g_assert_cmpint (count (f->a, certs), ==, 0);
    g_assert_cmpint (count (f->a, void_signoffs), ==, 3);
    g_assert_cmpint (count (f->a, ncs), ==, 1);
  }
}

/* Another text under the same catalog code and version: replaced while nothing uses it here,
 * refused once an assessment does. */
static void
test_catalog_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mini = g_test_build_filename (G_TEST_DIST, "data", "mini.json", NULL);
  g_autofree char *edited = path_in (f, "mini-edited.json");
  g_autofree char *text = NULL;
  g_autofree char *out = path_in (f, "x.attest");
  g_autofree char *id = NULL;
  g_autoptr(GString) changed = NULL;
  g_autoptr(AtCatalog) catalog = NULL;
  g_autoptr(AtIdentity) someone = NULL;
  g_autoptr(AtAssessment) other = NULL;
  AtAssessmentSpec spec = { .standard = "MINI", .org = "Other org", .kind = AT_KIND_THIRD_PARTY };
  AtBundleOutcome outcome;

  g_assert_true (g_file_get_contents (mini, &text, NULL, &error));
  changed = g_string_new (text);
  g_string_replace (changed, "Mini specification", "Mini specification, edited", 1);
  g_assert_true (g_file_set_contents (edited, changed->str, -1, &error));
  catalog = at_standards_import (f->b, edited, NULL, &error);
  g_assert_no_error (error);
  export (f, out);

  /* nothing uses the edited text here: the bundle's text takes its place */
  id = at_bundle_import (f->b, out, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_audit_clean (f->b, f->assessment);

  /* now an assessment in the other store uses the edited text */
  {
    g_autoptr(AtStore) c = NULL;
    g_autofree char *dir_c = path_in (f, "c");
    g_autofree char *refused = NULL;

    c = at_store_open (dir_c, &error);
    g_assert_no_error (error);
    g_clear_object (&catalog);
    catalog = at_standards_import (c, edited, NULL, &error);
    g_assert_no_error (error);
    someone = at_identity_create (c, "Someone", AT_ROLE_ASSESSOR, NULL, PASS, &error);
    g_assert_no_error (error);
    spec.lead = at_identity_get_id (someone);
    other = at_assessment_create (c, &spec, &error);
    g_assert_no_error (error);

    refused = at_bundle_import (c, out, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
    g_assert_nonnull (strstr (error->message, "is not the one the bundle's assessment was made on"));
    g_assert_cmpint (count (c, "SELECT count(*) FROM assessments"), ==, 1);
  }
}

/* ---- tampering: the bundle rewritten entry by entry ------------------------------------- */

typedef void (*EditFunc) (const char *name, GByteArray *data, gpointer user_data);

static void
rewrite (const char *in, const char *out, EditFunc edit, gpointer user_data, const char *extra_name)
{
  struct archive *r = archive_read_new ();
  struct archive *w = archive_write_new ();
  struct archive_entry *entry;

  archive_read_support_filter_zstd (r);
  archive_read_support_format_tar (r);
  g_assert_cmpint (archive_read_open_filename (r, in, 65536), ==, ARCHIVE_OK);
  archive_write_add_filter_zstd (w);
  archive_write_set_format_pax_restricted (w);
  g_assert_cmpint (archive_write_open_filename (w, out), ==, ARCHIVE_OK);

  while (archive_read_next_header (r, &entry) == ARCHIVE_OK)
    {
      g_autoptr(GByteArray) data = g_byte_array_sized_new (archive_entry_size (entry));
      struct archive_entry *copy = archive_entry_clone (entry);
      guchar buf[8192];
      la_ssize_t n;

      while ((n = archive_read_data (r, buf, sizeof buf)) > 0)
        g_byte_array_append (data, buf, n);
      if (edit)
        edit (archive_entry_pathname (entry), data, user_data);
      archive_entry_set_size (copy, data->len);
      g_assert_cmpint (archive_write_header (w, copy), ==, ARCHIVE_OK);
      archive_write_data (w, data->data, data->len);
      archive_entry_free (copy);
    }
  if (extra_name)
    {
      struct archive_entry *extra = archive_entry_new ();
      archive_entry_set_pathname (extra, extra_name);
      archive_entry_set_filetype (extra, AE_IFREG);
      archive_entry_set_perm (extra, 0644);
      archive_entry_set_size (extra, 5);
      archive_write_header (w, extra);
      archive_write_data (w, "hello", 5);
      archive_entry_free (extra);
    }
  archive_read_free (r);
  archive_write_close (w);
  archive_write_free (w);
}

static void
flip_evidence_byte (const char *name, GByteArray *data, gpointer user_data)
{
  if (g_str_has_prefix (name, "evidence/"))
    data->data[data->len / 2] ^= 0x01;
}

static void
change_org (const char *name, GByteArray *data, gpointer user_data)
{
  char *org;

  if (!g_str_equal (name, "manifest.json"))
    return;
  org = g_strstr_len ((char *) data->data, data->len, "\"org\" : \"Org\"");
  g_assert_nonnull (org);
  org[strlen ("\"org\" : \"O")] = 'X';
}

static void
assert_refused (Fixture *f, const char *bundle, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint64 assessments = count (f->b, "SELECT count(*) FROM assessments");
  gint64 identities = count (f->b, "SELECT count(*) FROM identities");
  g_autofree char *evidence = g_build_filename (at_store_get_data_dir (f->b), "evidence", NULL);

  id = at_bundle_import (f->b, bundle, AT_BUNDLE_IMPORT_NONE, NULL, NULL, NULL, NULL, &error);
  g_assert_null (id);
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM assessments"), ==, assessments);
  g_assert_cmpint (count (f->b, "SELECT count(*) FROM identities"), ==, identities);
  g_assert_false (g_file_test (evidence, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_assert_false (at_bundle_verify (bundle, NULL, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
}

static void
test_tampering (Fixture *f, gconstpointer data)
{
  g_autofree char *good = path_in (f, "good.attest");
  g_autofree char *bad = path_in (f, "bad.attest");
  g_autofree char *junk = path_in (f, "junk.attest");

  set_finding (f->a, f->assessment, "1.1", f->lead, "note");
  g_free (add_evidence (f, f->a, f->assessment, 200 * 1024));
  export (f, good);

  rewrite (good, bad, flip_evidence_byte, NULL, NULL);
  assert_refused (f, bad, "does not match its SHA-256");
  rewrite (good, bad, change_org, NULL, NULL);
  assert_refused (f, bad, "signature is broken");
  rewrite (good, bad, NULL, NULL, "notes.txt");
  assert_refused (f, bad, "is not part of an Attest bundle");
  rewrite (good, bad, NULL, NULL, "evidence/0000000000000000000000000000000000000000000000000000000000000000");
  assert_refused (f, bad, "is not listed in the bundle's manifest");

  g_assert_true (g_file_set_contents (junk, "this is not an archive at all", -1, NULL));
  assert_refused (f, junk, "is not an Attest bundle");
}

/* ---- the exporter's own checks ---------------------------------------------------------- */

static void
test_export_refuses_tampered_store (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = unlock (f->a, f->lead);
  g_autofree char *out = path_in (f, "x.attest");
  g_autofree char *sql = g_strdup_printf ("UPDATE assessments SET org = 'Someone else' WHERE id = '%s'", f->assessment);

  g_assert_true (_at_store_exec (f->a, sql, &error));
  g_assert_false (at_bundle_export (f->a, f->assessment, out, signer, NULL, NULL, NULL, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "audit check"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_export_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = unlock (f->a, f->lead);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *out = path_in (f, "x.attest");
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_free (add_evidence (f, f->a, f->assessment, 3 * 1024 * 1024));
  g_cancellable_cancel (cancellable);
  g_assert_false (at_bundle_export (f->a, f->assessment, out, signer, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* neither the bundle nor its temporary file is left */
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (strstr (name, "attest"));
}

/* ---- in threads ------------------------------------------------------------------------- */

typedef struct
{
  GMainLoop   *loop;
  GAsyncResult *result;
  guint64      last_done;
  guint64      last_total;
} Wait;

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static void
progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  Wait *w = user_data;

  /* from the worker thread; the main loop only reads it after the task is done */
  g_assert_cmpuint (done, <=, total);
  w->last_done = done;
  w->last_total = total;
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = unlock (f->a, f->lead);
  g_autofree char *out = path_in (f, "x.attest");
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  Wait w = { g_main_loop_new (NULL, FALSE), NULL, 0, 0 };
  AtBundleOutcome outcome = -1;

  g_free (add_evidence (f, f->a, f->assessment, 2 * 1024 * 1024 + 17));

  at_bundle_export_async (f->a, f->assessment, out, signer, progress_cb, &w, NULL, done_cb, &w);
  g_main_loop_run (w.loop);
  g_assert_true (at_bundle_export_finish (f->a, w.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (w.last_done, ==, w.last_total);
  g_assert_cmpuint (w.last_total, >, 2 * 1024 * 1024);
  g_clear_object (&w.result);

  at_bundle_import_async (f->b, out, AT_BUNDLE_IMPORT_NONE, progress_cb, &w, NULL, done_cb, &w);
  g_main_loop_run (w.loop);
  id = at_bundle_import_finish (f->b, w.result, &outcome, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, f->assessment);
  g_assert_cmpint (outcome, ==, AT_BUNDLE_IMPORTED);
  g_assert_cmpuint (w.last_done, ==, w.last_total);
  g_clear_object (&w.result);

  at_bundle_verify_async (out, NULL, done_cb, &w);
  g_main_loop_run (w.loop);
  lines = at_bundle_verify_finish (w.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, >, 3);
  g_clear_object (&w.result);
  g_main_loop_unref (w.loop);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bundle/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/bundle/revisions", Fixture, NULL, fixture_set_up, test_revisions, fixture_tear_down);
  g_test_add ("/bundle/copy-of-certified", Fixture, NULL, fixture_set_up, test_copy_of_certified, fixture_tear_down);
  g_test_add ("/bundle/catalog-conflict", Fixture, NULL, fixture_set_up, test_catalog_conflict, fixture_tear_down);
  g_test_add ("/bundle/tampering", Fixture, NULL, fixture_set_up, test_tampering, fixture_tear_down);
  g_test_add ("/bundle/export-refuses-tampered-store", Fixture, NULL, fixture_set_up, test_export_refuses_tampered_store, fixture_tear_down);
  g_test_add ("/bundle/export-cancelled", Fixture, NULL, fixture_set_up, test_export_cancelled, fixture_tear_down);
  g_test_add ("/bundle/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);

  return g_test_run ();
}
