/* test-store.c — the data directory: schema, bundled catalogs, identities, assessments */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "at-core.h"
#include "at-temp.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("attest-test-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static void
test_open_creates (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_build_filename (f->dir, "nested", "attest", NULL);
  g_autoptr(AtStore) store = at_store_open (sub, &error);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *db = g_build_filename (sub, "attest.db", NULL);

  g_assert_no_error (error);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (at_store_get_schema_version (store), ==, AT_STORE_SCHEMA_VERSION);

  list = at_standards_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);

  /* opening twice registers nothing twice */
  g_clear_object (&store);
  store = at_store_open (sub, &error);
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = at_standards_list (store, &error);
  g_assert_cmpuint (list->len, ==, 5);
}

static void
test_not_a_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (f->dir, "attest.db", NULL);
  g_autoptr(AtStore) store = NULL;

  g_assert_true (g_file_set_contents (db, "this is not sqlite, and it is long enough to have a header........", -1, NULL));
  store = at_store_open (f->dir, &error);
  g_assert_null (store);
  g_assert_error (error, AT_ERROR, AT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not an Attest database"));
}

static void
test_identity (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (f->dir, &error);
  g_autoptr(AtIdentity) id = NULL;
  g_autoptr(AtIdentity) again = NULL;
  g_autoptr(AtIdentity) imported = NULL;
  g_autofree char *p12 = NULL;
  g_autofree char *other = g_dir_make_tmp ("attest-other-XXXXXX", NULL);
  g_autoptr(AtStore) store2 = NULL;
  GStatBuf st;

  g_assert_no_error (error);

  g_assert_null (at_identity_create (store, "Li", AT_ROLE_ASSESSOR, NULL, "short", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (at_identity_create (store, "  ", AT_ROLE_ASSESSOR, NULL, "long enough", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);

  id = at_identity_create (store, "李审核", AT_ROLE_ASSESSOR | AT_ROLE_REVIEWER, "认证中心", "correct horse", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (at_identity_get_id (id)), ==, 16);
  g_assert_true (at_identity_has_role (id, AT_ROLE_REVIEWER));
  g_assert_false (at_identity_has_role (id, AT_ROLE_ISSUER));
  g_assert_true (g_str_has_prefix (at_identity_get_cert_pem (id), "-----BEGIN CERTIFICATE-----"));

  p12 = g_strdup_printf ("%s/identities/%s.p12", f->dir, at_identity_get_id (id));
  g_assert_cmpint (g_stat (p12, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = at_identity_lookup (store, at_identity_get_id (id), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_identity_get_name (again), ==, "李审核");
  g_assert_cmpstr (at_identity_get_org (again), ==, "认证中心");
  g_assert_cmpint (at_identity_get_roles (again), ==, AT_ROLE_ASSESSOR | AT_ROLE_REVIEWER);

  /* the PKCS#12 file moves to another store; the wrong passphrase is named as such */
  store2 = at_store_open (other, &error);
  g_assert_no_error (error);
  g_assert_null (at_identity_import (store2, p12, AT_ROLE_ISSUER, "wrong horse", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_PASSPHRASE);
  g_clear_error (&error);
  imported = at_identity_import (store2, p12, AT_ROLE_ISSUER, "correct horse", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_identity_get_id (imported), ==, at_identity_get_id (id));
  g_assert_cmpstr (at_identity_get_name (imported), ==, "李审核");
  g_assert_cmpstr (at_identity_get_org (imported), ==, "认证中心");

  /* twice is refused, not duplicated */
  g_assert_null (at_identity_import (store2, p12, AT_ROLE_ISSUER, "correct horse", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  g_assert_null (at_identity_import (store2, "/nonexistent.p12", 0, "x", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", other);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

static void
test_assessment (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (f->dir, &error);
  g_autoptr(AtIdentity) lead = NULL;
  g_autoptr(AtIdentity) reviewer = NULL;
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(AtAssessment) b = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *sites[] = { "北京营业厅", "上海客服中心", NULL };
  AtAssessmentSpec spec = { .standard = "QCS", .org = "  某通信公司  ", .kind = AT_KIND_THIRD_PARTY,
                            .scope = "全业务", .sites = sites };

  lead = at_identity_create (store, "Lead", AT_ROLE_ASSESSOR, NULL, "passphrase", &error);
  reviewer = at_identity_create (store, "Rev", AT_ROLE_REVIEWER, NULL, "passphrase", &error);
  g_assert_no_error (error);

  spec.lead = "nobody";
  g_assert_null (at_assessment_create (store, &spec, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  spec.lead = at_identity_get_id (reviewer);
  g_assert_null (at_assessment_create (store, &spec, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  spec.lead = at_identity_get_id (lead);
  spec.standard = "NOPE";
  g_assert_null (at_assessment_create (store, &spec, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  spec.standard = "QCS";
  a = at_assessment_create (store, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_assessment_get_org (a), ==, "某通信公司");
  g_assert_cmpstr (at_assessment_get_state (a), ==, "draft");

  b = at_assessment_lookup (store, at_assessment_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_assessment_get_scope (b), ==, "全业务");
  g_assert_cmpstrv (at_assessment_get_sites (b), sites);
  g_assert_cmpstr (at_catalog_get_code (at_assessment_get_catalog (b)), ==, "QCS");

  list = at_assessment_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
}

/* What killed processes left in a data directory goes at the next open; what a live one holds
 * locked stays, however old. */
static void
test_dead_temporaries (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (f->dir, &error);
  g_autofree char *dead = g_build_filename (f->dir, ".bundle-import-AAAAAA", NULL);
  g_autofree char *dead_file = g_build_filename (dead, "evidence-part", NULL);
  g_autofree char *dead_sub = g_build_filename (dead, "sub", NULL);
  g_autofree char *unlocked = g_build_filename (f->dir, ".bundle-import-BBBBBB", NULL);
  g_autofree char *keys = g_build_filename (f->dir, "identities", NULL);
  g_autofree char *key_tmp = g_build_filename (keys, ".0123.p12.tmp-CCCCCC", NULL);
  g_autofree char *live = NULL;
  g_autofree char *live_file = NULL;
  int live_fd = -1;

  g_assert_no_error (error);
  g_clear_object (&store);

  /* a killed import's folder, with its lock file and half an evidence file; one killed before
   * it made its lock file; a killed key write */
  g_assert_cmpint (g_mkdir_with_parents (dead_sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (dead_file, "half", -1, NULL));
  {
    g_autofree char *lock = g_build_filename (dead, ".lock", NULL);
    g_assert_true (g_file_set_contents (lock, "", -1, NULL));
  }
  g_assert_cmpint (g_mkdir_with_parents (unlocked, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (keys, 0700), ==, 0);
  g_assert_true (g_file_set_contents (key_tmp, "half a key", -1, NULL));
  /* and a live import's, this very moment */
  live = at_temp_dir_new (f->dir, ".bundle-import-", &live_fd, &error);
  g_assert_no_error (error);
  live_file = g_build_filename (live, "being-written", NULL);
  g_assert_true (g_file_set_contents (live_file, "alive", -1, NULL));

  store = at_store_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (unlocked, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (key_tmp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live_file, G_FILE_TEST_EXISTS));

  /* done: removed with its lock */
  at_temp_dir_remove (live, live_fd);
  g_assert_false (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (at_temp_sweep (f->dir, ".bundle-import-"), ==, 0);
}

typedef struct
{
  AtStore    *store;
  const char *assessment;
  const char *actor;
  const char *clause;
  guint       ok;
  char       *first_error;
} Writer;

static gpointer
write_loop (gpointer data)
{
  Writer *w = data;

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *note = g_strdup_printf ("%s %u", w->clause, i);
      AtFindingInput in = { .verdict = AT_VERDICT_CONFORM, .note = note };

      if (at_finding_set (w->store, w->assessment, w->clause, w->actor, &in, &error))
        w->ok++;
      else if (w->first_error == NULL)
        w->first_error = g_strdup (error->message);
    }
  return NULL;
}

/* The window's worker threads share its store with the main thread: two threads changing
 * records at once each get their own transaction, one after the other. */
static void
test_threads (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (f->dir, &error);
  g_autoptr(AtIdentity) lead = at_identity_create (store, "Lead", AT_ROLE_ASSESSOR, NULL, "passphrase", &error);
  AtAssessmentSpec spec = { .standard = "QCS", .org = "Org", .kind = AT_KIND_THIRD_PARTY };
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(AtFinding) f1 = NULL;
  g_autoptr(AtFinding) f2 = NULL;
  Writer w[2] = { { 0 } };
  GThread *threads[2];

  g_assert_no_error (error);
  spec.lead = at_identity_get_id (lead);
  a = at_assessment_create (store, &spec, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      w[i] = (Writer) { store, at_assessment_get_id (a), at_identity_get_id (lead), i ? "4.b" : "4.a", 0, NULL };
      threads[i] = g_thread_new ("writer", write_loop, &w[i]);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpstr (w[i].first_error, ==, NULL);
      g_assert_cmpuint (w[i].ok, ==, 40);
    }
  f1 = at_finding_get (store, at_assessment_get_id (a), "4.a", &error);
  f2 = at_finding_get (store, at_assessment_get_id (a), "4.b", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_finding_get_note (f1), ==, "4.a 39");
  g_assert_cmpstr (at_finding_get_note (f2), ==, "4.b 39");
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
    g_assert_true (at_audit_verify (store, at_assessment_get_id (a), problems, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (problems->len, ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/open-creates", Fixture, NULL, fixture_set_up, test_open_creates, fixture_tear_down);
  g_test_add ("/store/not-a-database", Fixture, NULL, fixture_set_up, test_not_a_database, fixture_tear_down);
  g_test_add ("/store/identity", Fixture, NULL, fixture_set_up, test_identity, fixture_tear_down);
  g_test_add ("/store/assessment", Fixture, NULL, fixture_set_up, test_assessment, fixture_tear_down);
  g_test_add ("/store/dead-temporaries", Fixture, NULL, fixture_set_up, test_dead_temporaries, fixture_tear_down);
  g_test_add ("/store/threads", Fixture, NULL, fixture_set_up, test_threads, fixture_tear_down);

  return g_test_run ();
}
