/* test-worksheet.c — the live checklist model: counts, progress, notifications, filters, search */
#include "config.h"

#include <glib/gstdio.h>

#include "at-core.h"

#define PASS "worksheet passphrase"

typedef struct
{
  char        *dir;
  AtStore     *store;
  AtIdentity  *lead;
  char        *assessment;
  AtWorksheet *sheet;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = NULL;
  AtAssessmentSpec spec = { .standard = "QCS", .org = "Org", .kind = AT_KIND_THIRD_PARTY };

  f->dir = g_dir_make_tmp ("attest-worksheet-XXXXXX", NULL);
  f->store = at_store_open (f->dir, &error);
  g_assert_no_error (error);
  f->lead = at_identity_create (f->store, "Lead", AT_ROLE_ASSESSOR, "CB", PASS, &error);
  g_assert_no_error (error);
  spec.lead = at_identity_get_id (f->lead);
  a = at_assessment_create (f->store, &spec, &error);
  g_assert_no_error (error);
  f->assessment = g_strdup (at_assessment_get_id (a));
  f->sheet = at_worksheet_new (f->store, f->assessment, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_finalize_object (f->sheet);
  g_clear_object (&f->lead);
  g_assert_finalize_object (f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->assessment);
}

static void
set_verdict (Fixture *f, const char *clause, AtVerdict verdict)
{
  g_autoptr(GError) error = NULL;
  AtFindingInput input = { .verdict = verdict };

  g_assert_true (at_finding_set (f->store, f->assessment, clause, at_identity_get_id (f->lead), &input, &error));
  g_assert_no_error (error);
}

static void
count_notify (GObject *item, GParamSpec *pspec, guint *n)
{
  (*n)++;
}

static guint
n_matching (Fixture *f, AtWorksheetFilter filter, const char *search, gboolean assessable_only)
{
  GPtrArray *items = at_worksheet_get_items (f->sheet);
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    if ((!assessable_only || at_clause_get_assessable (at_worksheet_item_get_clause (items->pdata[i]))) &&
        at_worksheet_item_matches (items->pdata[i], filter, search))
      n++;
  return n;
}

static gboolean
matches (Fixture *f, const char *number, AtWorksheetFilter filter, const char *search)
{
  return at_worksheet_item_matches (at_worksheet_lookup (f->sheet, number), filter, search);
}

static void
test_counts_follow_the_catalog (Fixture *f, gconstpointer data)
{
  AtCatalog *catalog = at_assessment_get_catalog (at_worksheet_get_assessment (f->sheet));

  g_assert_cmpuint (at_worksheet_get_items (f->sheet)->len, ==, at_catalog_get_all_clauses (catalog)->len);
  g_assert_cmpuint (at_worksheet_get_n_assessable (f->sheet), ==, at_catalog_get_n_assessable (catalog));
  g_assert_cmpuint (at_worksheet_get_n_assessable (f->sheet), >, 100);
  g_assert_cmpuint (at_worksheet_get_n_assessed (f->sheet), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (at_worksheet_get_roots (f->sheet)), ==,
                    g_list_model_get_n_items (at_catalog_get_clauses (catalog)));
  /* a chapter counts the assessable clauses under it */
  g_assert_cmpuint (at_worksheet_item_get_n_assessable (at_worksheet_lookup (f->sheet, "7")), >, 10);
  g_assert_cmpuint (at_worksheet_item_get_n_assessable (at_worksheet_lookup (f->sheet, "7.4.2.2")), ==, 1);
  g_assert_null (at_worksheet_lookup (f->sheet, "99.9"));
}

static void
test_refresh_notifies_only_what_changed (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  AtWorksheetItem *clause = at_worksheet_lookup (f->sheet, "7.4.2.2");
  AtWorksheetItem *other = at_worksheet_lookup (f->sheet, "5.1.1");
  AtWorksheetItem *chapter = at_worksheet_lookup (f->sheet, "7");
  guint n_clause = 0, n_other = 0, n_chapter = 0, n_sheet = 0;

  g_signal_connect (clause, "notify::verdict", G_CALLBACK (count_notify), &n_clause);
  g_signal_connect (other, "notify", G_CALLBACK (count_notify), &n_other);
  g_signal_connect (chapter, "notify::n-assessed", G_CALLBACK (count_notify), &n_chapter);
  g_signal_connect (f->sheet, "notify::n-assessed", G_CALLBACK (count_notify), &n_sheet);

  set_verdict (f, "7.4.2.2", AT_VERDICT_NONCONFORM);
  g_assert_true (at_worksheet_refresh (f->sheet, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_clause, ==, 1);
  g_assert_cmpuint (n_other, ==, 0);
  g_assert_cmpuint (n_chapter, ==, 1);
  g_assert_cmpuint (n_sheet, ==, 1);
  g_assert_cmpuint (at_worksheet_item_get_verdict (clause), ==, AT_VERDICT_NONCONFORM);
  g_assert_cmpuint (at_worksheet_item_get_n_assessed (chapter), ==, 1);
  g_assert_cmpuint (at_worksheet_item_get_n_assessed (at_worksheet_lookup (f->sheet, "7.4")), ==, 1);
  g_assert_cmpuint (at_worksheet_get_n_assessed (f->sheet), ==, 1);
  /* the state moved on with the first record, and the worksheet's assessment says so */
  g_assert_cmpstr (at_assessment_get_state (at_worksheet_get_assessment (f->sheet)), ==, "in-progress");

  /* nothing changed: nothing notified */
  g_assert_true (at_worksheet_refresh (f->sheet, &error));
  g_assert_cmpuint (n_clause, ==, 1);
  g_assert_cmpuint (n_chapter, ==, 1);

  g_signal_handlers_disconnect_by_data (clause, &n_clause);
  g_signal_handlers_disconnect_by_data (other, &n_other);
  g_signal_handlers_disconnect_by_data (chapter, &n_chapter);
  g_signal_handlers_disconnect_by_data (f->sheet, &n_sheet);
}

static void
test_filters (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "photo.jpg", NULL);
  g_autofree char *sha = NULL;
  g_autofree char *nc = NULL;
  const char *clauses[] = { "7.1.4.2", NULL };
  AtNonconformitySpec spec = { .grade = AT_GRADE_MINOR, .text = "slow", .suggestion = "faster" };
  guint n = at_worksheet_get_n_assessable (f->sheet);

  set_verdict (f, "5.1.1", AT_VERDICT_CONFORM);
  set_verdict (f, "7.4.2.2", AT_VERDICT_NONCONFORM);
  set_verdict (f, "7.2.2.2", AT_VERDICT_PARTIAL);
  g_assert_true (g_file_set_contents (file, "not really a photo", -1, NULL));
  sha = at_evidence_add (f->store, f->assessment, file, at_identity_get_id (f->lead), clauses, "photo", NULL,
                         NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  nc = at_nonconformity_add (f->store, f->assessment, "7.4.2.2", at_identity_get_id (f->lead), &spec, &error);
  g_assert_no_error (error);
  g_assert_true (at_worksheet_refresh (f->sheet, &error));

  g_assert_cmpuint (n_matching (f, AT_WORKSHEET_ALL, NULL, TRUE), ==, n);
  g_assert_cmpuint (n_matching (f, AT_WORKSHEET_NOT_ASSESSED, NULL, TRUE), ==, n - 3);
  g_assert_cmpuint (n_matching (f, AT_WORKSHEET_NONCONFORM, NULL, TRUE), ==, 2);
  g_assert_true (matches (f, "7.2.2.2", AT_WORKSHEET_NONCONFORM, NULL));
  g_assert_false (matches (f, "5.1.1", AT_WORKSHEET_NONCONFORM, NULL));
  g_assert_cmpuint (n_matching (f, AT_WORKSHEET_WITH_NC, NULL, TRUE), ==, 1);
  g_assert_true (matches (f, "7.4.2.2", AT_WORKSHEET_WITH_NC, NULL));
  g_assert_cmpuint (n_matching (f, AT_WORKSHEET_WITHOUT_EVIDENCE, NULL, TRUE), ==, n - 1);
  g_assert_false (matches (f, "7.1.4.2", AT_WORKSHEET_WITHOUT_EVIDENCE, NULL));
  g_assert_cmpuint (at_worksheet_item_get_n_evidence (at_worksheet_lookup (f->sheet, "7.1.4.2")), ==, 1);
  {
    g_autoptr(GPtrArray) on_clause = at_evidence_list_for_clause (f->store, f->assessment, "7.1.4.2", &error);
    g_autoptr(GPtrArray) elsewhere = at_evidence_list_for_clause (f->store, f->assessment, "7.4.2.2", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (on_clause->len, ==, 1);
    g_assert_cmpstr (at_evidence_get_sha256 (on_clause->pdata[0]), ==, sha);
    g_assert_cmpstr (at_evidence_get_clauses (on_clause->pdata[0])[0], ==, "7.1.4.2");
    g_assert_cmpuint (elsewhere->len, ==, 0);
  }
  g_assert_cmpuint (at_worksheet_item_get_n_open_nonconformities (at_worksheet_lookup (f->sheet, "7.4.2.2")), ==, 1);

  /* headings are kept for what is under them, and only for that */
  g_assert_true (matches (f, "7", AT_WORKSHEET_WITH_NC, NULL));
  g_assert_true (matches (f, "7.4", AT_WORKSHEET_WITH_NC, NULL));
  g_assert_false (matches (f, "5", AT_WORKSHEET_WITH_NC, NULL));
}

static void
test_search (Fixture *f, gconstpointer data)
{
  /* by number: the clause and the ones under it, not its namesakes */
  g_assert_true (matches (f, "7.4.2.2", AT_WORKSHEET_ALL, "7.4"));
  g_assert_true (matches (f, "7.4", AT_WORKSHEET_ALL, "7.4"));
  g_assert_true (matches (f, "7", AT_WORKSHEET_ALL, "7.4"));
  g_assert_false (matches (f, "7.1.4.1", AT_WORKSHEET_ALL, "7.4"));
  g_assert_false (matches (f, "5.1.1", AT_WORKSHEET_ALL, "7.4"));
  g_assert_true (matches (f, "4.a", AT_WORKSHEET_ALL, "4.a"));
  g_assert_false (matches (f, "4.b", AT_WORKSHEET_ALL, "4.a"));
  /* by words, in either language, any case; every word must be there */
  g_assert_true (matches (f, "5.1.1", AT_WORKSHEET_ALL, "网络覆盖"));
  g_assert_true (matches (f, "5.1.1", AT_WORKSHEET_ALL, "NETWORK coverage"));
  g_assert_true (matches (f, "5.1.1", AT_WORKSHEET_ALL, "  5g   coverage "));
  g_assert_false (matches (f, "5.1.1", AT_WORKSHEET_ALL, "coverage hotline"));
  g_assert_true (matches (f, "5.1.1", AT_WORKSHEET_ALL, "网络　覆盖"));
  g_assert_true (at_clause_matches_search (at_worksheet_item_get_clause (at_worksheet_lookup (f->sheet, "5.1.1")), "5G coverage"));
  g_assert_false (at_clause_matches_search (at_worksheet_item_get_clause (at_worksheet_lookup (f->sheet, "5.1.1")), "7.4"));
  g_assert_false (matches (f, "7.4.2.2", AT_WORKSHEET_ALL, "网络覆盖"));
  g_assert_cmpuint (n_matching (f, AT_WORKSHEET_ALL, "no such words anywhere", FALSE), ==, 0);
  /* search and filter together */
  g_assert_false (matches (f, "5.1.1", AT_WORKSHEET_NONCONFORM, "网络覆盖"));
  g_assert_true (matches (f, "5.1.1", AT_WORKSHEET_NOT_ASSESSED, "网络覆盖"));
}

/* the one-pass selection keeps exactly what the per-item test keeps */
static void
test_select_agrees (Fixture *f, gconstpointer data)
{
  static const char * const searches[] = { NULL, "", "7.4", "4.a", "网络覆盖", "coverage", "5g coverage", "nothing at all", "7." };
  static const AtWorksheetFilter filters[] = { AT_WORKSHEET_ALL, AT_WORKSHEET_NOT_ASSESSED, AT_WORKSHEET_NONCONFORM,
                                               AT_WORKSHEET_WITH_NC, AT_WORKSHEET_WITHOUT_EVIDENCE };
  GPtrArray *items = at_worksheet_get_items (f->sheet);
  g_autoptr(GError) error = NULL;

  set_verdict (f, "7.4.2.2", AT_VERDICT_NONCONFORM);
  set_verdict (f, "5.1.1", AT_VERDICT_CONFORM);
  g_assert_true (at_worksheet_refresh (f->sheet, &error));
  for (guint fi = 0; fi < G_N_ELEMENTS (filters); fi++)
    for (guint si = 0; si < G_N_ELEMENTS (searches); si++)
      {
        g_autoptr(GHashTable) kept = at_worksheet_select (f->sheet, filters[fi], searches[si]);
        guint n = 0;

        for (guint i = 0; i < items->len; i++)
          {
            gboolean one = at_worksheet_item_matches (items->pdata[i], filters[fi], searches[si]);
            g_assert_cmpint (one, ==, g_hash_table_contains (kept, items->pdata[i]));
            n += one;
          }
        g_assert_cmpuint (n, ==, g_hash_table_size (kept));
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/worksheet/counts", Fixture, NULL, fixture_set_up, test_counts_follow_the_catalog, fixture_tear_down);
  g_test_add ("/worksheet/refresh", Fixture, NULL, fixture_set_up, test_refresh_notifies_only_what_changed, fixture_tear_down);
  g_test_add ("/worksheet/filters", Fixture, NULL, fixture_set_up, test_filters, fixture_tear_down);
  g_test_add ("/worksheet/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/worksheet/select", Fixture, NULL, fixture_set_up, test_select_agrees, fixture_tear_down);
  return g_test_run ();
}
