/* bench-merge.c — how long the lead waits to merge two team members' work
 *
 * Usage: bench-merge [CLAUSES_PER_MEMBER] [FILES_PER_MEMBER]   (defaults 65 and 500)
 *
 * Builds three data directories in a temporary folder: the lead's, with the QCS assessment,
 * its team of two and a handed-out bundle; and each member's, with the bundle imported, their
 * half of the 130 assessable clauses recorded and FILES_PER_MEMBER evidence files (64 KiB each,
 * incompressible) added, and a clause both changed. Then times, in the lead's store:
 *   merge 1    at_merge_prepare + at_merge_apply of the first member's bundle
 *   merge 2    the same for the second, its one conflict decided
 *   import     a plain import of the second bundle into an empty store, for comparison: the
 *              same reading and checking, without the merge's work
 * and prints each with its ratio to the import. Not part of the test suite.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "at-core.h"

#define PASS "benchmark passphrase"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
check (gboolean ok,
       GError  *error)
{
  if (!ok)
    g_error ("%s", error ? error->message : "failed");
}

static AtIdentity *
person (AtStore    *store,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  AtIdentity *who = at_identity_create (store, name, AT_ROLE_ASSESSOR, "Bench CB", PASS, &error);

  check (who != NULL, error);
  return who;
}

static char *
export (AtStore    *store,
        const char *assessment,
        const char *signer_id,
        const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = at_signer_unlock (store, signer_id, PASS, &error);

  check (signer != NULL, error);
  check (at_bundle_export (store, assessment, path, signer, NULL, NULL, NULL, &error), error);
  return g_strdup (path);
}

/* A member's laptop: the key, the handed-out bundle, their clauses and files. */
static char *
member_work (const char *dir,
             const char *lead_dir,
             const char *handout,
             const char *assessment,
             const char *member_id,
             GPtrArray  *clauses,
             guint       first,
             guint       n_clauses,
             guint       n_files,
             const char *shared_note)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) store = at_store_open (dir, &error);
  g_autofree char *p12 = g_strdup_printf ("%s/identities/%s.p12", lead_dir, member_id);
  g_autofree char *bundle = g_strdup_printf ("%s.attest", dir);
  g_autoptr(AtIdentity) me = NULL;
  AtBundleOutcome outcome;
  g_autofree char *id = NULL;
  g_autofree guchar *data = g_malloc (64 * 1024);

  check (store != NULL, error);
  me = at_identity_import (store, p12, AT_ROLE_ASSESSOR, PASS, &error);
  check (me != NULL, error);
  id = at_bundle_import (store, handout, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
  check (id != NULL, error);

  for (guint i = first; i < first + n_clauses && i < clauses->len; i++)
    {
      AtFindingInput input = { .verdict = AT_VERDICT_CONFORM, .note = "seen on site" };
      check (at_finding_set (store, assessment, clauses->pdata[i], member_id, &input, &error), error);
    }
  {
    AtFindingInput shared = { .verdict = AT_VERDICT_PARTIAL, .note = shared_note };
    check (at_finding_set (store, assessment, "7.4.2.2", member_id, &shared, &error), error);
  }
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s-file-%u.jpg", dir, i);
      const char *on[] = { clauses->pdata[first + i % n_clauses], NULL };
      g_autofree char *sha = NULL;

      for (guint k = 0; k < 64 * 1024 / 4; k++)
        ((guint32 *) data)[k] = g_random_int ();
      check (g_file_set_contents (path, (char *) data, 64 * 1024, &error), error);
      sha = at_evidence_add (store, assessment, path, member_id, on, "photo", NULL, NULL, NULL, NULL, &error);
      check (sha != NULL, error);
      g_unlink (path);
    }
  return export (store, assessment, member_id, bundle);
}

static void
collect (GListModel *model,
         GPtrArray  *into)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AtClause) c = g_list_model_get_item (model, i);
      if (at_clause_get_assessable (c))
        g_ptr_array_add (into, (gpointer) at_clause_get_number (c));
      collect (at_clause_get_children (c), into);
    }
}

static double
merge (AtStore    *store,
       const char *bundle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtMerge) m = NULL;
  gint64 start = g_get_monotonic_time ();

  m = at_merge_prepare (store, bundle, NULL, NULL, NULL, &error);
  check (m != NULL, error);
  at_merge_choose_all (m, AT_MERGE_TAKE_THEIRS);
  check (at_merge_apply (m, NULL, &error), error);
  return seconds_since (start);
}

int
main (int    argc,
      char **argv)
{
  guint per_member = argc > 1 ? (guint) atoi (argv[1]) : 65;
  guint files = argc > 2 ? (guint) atoi (argv[2]) : 500;
  g_autofree char *tmp = g_dir_make_tmp ("attest-bench-merge-XXXXXX", NULL);
  g_autofree char *lead_dir = g_build_filename (tmp, "lead", NULL);
  g_autofree char *m1_dir = g_build_filename (tmp, "m1", NULL);
  g_autofree char *m2_dir = g_build_filename (tmp, "m2", NULL);
  g_autofree char *fresh_dir = g_build_filename (tmp, "fresh", NULL);
  g_autofree char *handout = g_build_filename (tmp, "handout.attest", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtStore) lead_store = at_store_open (lead_dir, &error);
  g_autoptr(AtIdentity) lead = NULL, m1 = NULL, m2 = NULL;
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(GPtrArray) clauses = g_ptr_array_new ();
  g_autofree char *b1 = NULL, *b2 = NULL;
  AtBundleOutcome outcome;
  double t1, t2, t_import;
  gint64 start;

  setlocale (LC_ALL, "");
  check (lead_store != NULL, error);
  lead = person (lead_store, "Bench Lead");
  m1 = person (lead_store, "Bench One");
  m2 = person (lead_store, "Bench Two");
  {
    const char *team[] = { at_identity_get_id (m1), at_identity_get_id (m2), NULL };
    AtAssessmentSpec spec = { .standard = "QCS", .org = "Bench Org", .lead = at_identity_get_id (lead), .team = team };

    a = at_assessment_create (lead_store, &spec, &error);
    check (a != NULL, error);
  }
  collect (at_catalog_get_clauses (at_assessment_get_catalog (a)), clauses);
  g_free (export (lead_store, at_assessment_get_id (a), at_identity_get_id (lead), handout));

  g_print ("preparing two members' work: %u clauses and %u files of 64 KiB each…\n", per_member, files);
  b1 = member_work (m1_dir, lead_dir, handout, at_assessment_get_id (a), at_identity_get_id (m1), clauses, 0, per_member, files, "one");
  b2 = member_work (m2_dir, lead_dir, handout, at_assessment_get_id (a), at_identity_get_id (m2), clauses, per_member, per_member,
                    files, "two");

  /* the lead goes on too: both members' bundles diverge from the lead's store */
  {
    AtAssessmentSpec details = { .scope = "Hotline, halls and network" };
    check (at_assessment_update (lead_store, at_assessment_get_id (a), at_identity_get_id (lead), &details, &error), error);
  }
  t1 = merge (lead_store, b1);
  t2 = merge (lead_store, b2);
  {
    g_autoptr(AtStore) fresh = at_store_open (fresh_dir, &error);
    g_autofree char *id = NULL;

    check (fresh != NULL, error);
    start = g_get_monotonic_time ();
    id = at_bundle_import (fresh, b2, AT_BUNDLE_IMPORT_NONE, &outcome, NULL, NULL, NULL, &error);
    t_import = seconds_since (start);
    check (id != NULL, error);
  }
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
    guint n = 0;

    check (at_audit_verify (lead_store, at_assessment_get_id (a), problems, &n, &error), error);
    if (problems->len > 0)
      g_error ("the merged assessment does not verify: %s", (char *) problems->pdata[0]);
  }

  g_print ("\n%-46s %8s %8s\n", "", "seconds", "× import");
  g_print ("%-46s %8.2f %8.2f\n", "merge the first member (diverged)", t1, t1 / t_import);
  g_print ("%-46s %8.2f %8.2f\n", "merge the second member (diverged, 1 conflict)", t2, t2 / t_import);
  g_print ("%-46s %8.2f %8.2f\n", "import the second member's bundle, empty store", t_import, 1.0);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmp);
  }
  return 0;
}
