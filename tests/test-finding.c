/* test-finding.c — findings and measured values: rules, routing to indicators, JSON, tallies */
#include "config.h"

#include <sqlite3.h>

#include "at-core.h"

#define PASS "finding passphrase"

typedef struct
{
  char       *dir;
  AtStore    *store;
  AtIdentity *lead;
  AtIdentity *org;
  AtIdentity *reviewer;
  char       *assessment;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mini = g_test_build_filename (G_TEST_DIST, "data", "mini.json", NULL);
  g_autoptr(AtCatalog) catalog = NULL;
  g_autoptr(AtAssessment) a = NULL;
  AtAssessmentSpec spec = { .standard = "MINI", .org = "Org", .kind = AT_KIND_THIRD_PARTY };

  f->dir = g_dir_make_tmp ("attest-finding-XXXXXX", NULL);
  f->store = at_store_open (f->dir, &error);
  g_assert_no_error (error);
  catalog = at_standards_import (f->store, mini, NULL, &error);
  g_assert_no_error (error);
  f->lead = at_identity_create (f->store, "Lead", AT_ROLE_ASSESSOR, "CB", PASS, &error);
  g_assert_no_error (error);
  f->org = at_identity_create (f->store, "Org", AT_ROLE_ORGANISATION, "Org", PASS, &error);
  g_assert_no_error (error);
  f->reviewer = at_identity_create (f->store, "Reviewer", AT_ROLE_REVIEWER, "CB", PASS, &error);
  g_assert_no_error (error);
  spec.lead = at_identity_get_id (f->lead);
  a = at_assessment_create (f->store, &spec, &error);
  g_assert_no_error (error);
  f->assessment = g_strdup (at_assessment_get_id (a));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->lead);
  g_clear_object (&f->org);
  g_clear_object (&f->reviewer);
  g_assert_finalize_object (f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->assessment);
}

/* Every row of every table, read through a connection of its own: what is committed. */
static char *
dump (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "attest.db", NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint t = 0; t < tables->len; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY rowid", (char *) tables->pdata[t]);

      g_string_append_printf (out, "== %s\n", (char *) tables->pdata[t]);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c) ? (const char *) sqlite3_column_text (stmt, c) : "NULL");
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static AtFinding *
get (Fixture *f, const char *clause)
{
  g_autoptr(GError) error = NULL;
  AtFinding *finding = at_finding_get (f->store, f->assessment, clause, &error);

  g_assert_no_error (error);
  g_assert_nonnull (finding);
  return finding;
}

static void
assert_audit_clean (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (at_audit_verify (f->store, f->assessment, problems, NULL, &error));
  g_assert_no_error (error);
  if (problems->len > 0)
    g_error ("audit problem: %s", (const char *) problems->pdata[0]);
}

static const char *
state_of (Fixture *f)
{
  static char state[32];
  g_autoptr(AtAssessment) a = at_assessment_lookup (f->store, f->assessment, NULL);

  g_strlcpy (state, at_assessment_get_state (a), sizeof state);
  return state;
}

static void
test_set_and_keep (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtFinding) finding = NULL;
  const char *lead = at_identity_get_id (f->lead);
  const char *methods[] = { "interview", "document", "interview", NULL };
  const char *sorted[] = { "document", "interview", NULL };
  const char *none[] = { NULL };
  AtFindingInput in = { .verdict = AT_VERDICT_CONFORM, .methods = methods, .note = "  seen the logs \n" };

  g_assert_null (at_finding_get (f->store, f->assessment, "1.1", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpstr (state_of (f), ==, "draft");

  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (state_of (f), ==, "in-progress");

  finding = get (f, "1.1");
  g_assert_cmpstr (at_finding_get_clause (finding), ==, "1.1");
  g_assert_cmpint (at_finding_get_verdict (finding), ==, AT_VERDICT_CONFORM);
  g_assert_cmpstrv (at_finding_get_methods (finding), sorted);
  g_assert_cmpstr (at_finding_get_note (finding), ==, "seen the logs");
  g_assert_cmpstr (at_finding_get_recorded_by (finding), ==, lead);
  g_assert_nonnull (at_finding_get_recorded_at (finding));
  g_assert_cmpuint (at_finding_get_n_measurements (finding), ==, 0);
  g_clear_object (&finding);

  /* without methods or a note, the recorded ones stay */
  in = (AtFindingInput) { .verdict = AT_VERDICT_PARTIAL };
  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  finding = get (f, "1.1");
  g_assert_cmpint (at_finding_get_verdict (finding), ==, AT_VERDICT_PARTIAL);
  g_assert_cmpstrv (at_finding_get_methods (finding), sorted);
  g_assert_cmpstr (at_finding_get_note (finding), ==, "seen the logs");
  g_clear_object (&finding);

  /* an empty note and an empty method list clear them */
  in = (AtFindingInput) { .verdict = AT_VERDICT_NA, .methods = none, .note = "" };
  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  finding = get (f, "1.1");
  g_assert_cmpint (at_finding_get_verdict (finding), ==, AT_VERDICT_NA);
  g_assert_cmpstrv (at_finding_get_methods (finding), none);
  g_assert_null (at_finding_get_note (finding));
  g_clear_object (&finding);

  /* back to open is a verdict like any other */
  in = (AtFindingInput) { .verdict = AT_VERDICT_OPEN, .methods = methods };
  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  finding = get (f, "1.1");
  g_assert_cmpint (at_finding_get_verdict (finding), ==, AT_VERDICT_OPEN);
  g_assert_cmpstrv (at_finding_get_methods (finding), sorted);

  assert_audit_clean (f);
}

static void
test_measurements (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtFinding) finding = NULL;
  g_autoptr(AtAssessment) a = at_assessment_lookup (f->store, f->assessment, NULL);
  AtClause *clause = at_catalog_lookup (at_assessment_get_catalog (a), "1.1");
  const char *lead = at_identity_get_id (f->lead);
  const double samples[] = { 10, 12.3, 20 };
  const double more[] = { 1, 2, 3, 4, 15 };
  AtFindingInput in = { .verdict = AT_VERDICT_CONFORM, .has_value = TRUE, .value = 96.5,
                        .samples = samples, .n_samples = G_N_ELEMENTS (samples) };
  const AtMeasurement *m;
  AtIndicatorResult r;

  /* a value goes to the one value indicator, samples to the share indicator */
  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  g_assert_no_error (error);
  finding = get (f, "1.1");
  g_assert_cmpuint (at_finding_get_n_measurements (finding), ==, 2);
  m = at_finding_get_measurement (finding, 0);
  g_assert_cmpstr (m->indicator, ==, "answer-rate");
  g_assert_true (m->has_value);
  g_assert_cmpfloat (m->value, ==, 96.5);
  g_assert_cmpuint (m->n_samples, ==, 0);
  m = at_finding_find_measurement (finding, "answer-15s");
  g_assert_nonnull (m);
  g_assert_false (m->has_value);
  g_assert_cmpuint (m->n_samples, ==, 3);
  g_assert_cmpfloat (m->samples[1], ==, 12.3);
  g_assert_cmpstr (m->recorded_by, ==, lead);

  at_finding_evaluate (finding, at_clause_find_indicator (clause, "answer-rate"), &r);
  g_assert_true (r.measured);
  g_assert_true (r.pass);
  at_finding_evaluate (finding, at_clause_find_indicator (clause, "answer-15s"), &r);
  g_assert_true (r.measured);
  g_assert_false (r.pass);
  g_assert_cmpuint (r.successes, ==, 2);
  g_clear_object (&finding);

  /* samples replace the recorded ones and leave the value alone; the verdict is set anew */
  in = (AtFindingInput) { .verdict = AT_VERDICT_NONCONFORM, .indicator = "answer-15s",
                          .samples = more, .n_samples = G_N_ELEMENTS (more) };
  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  g_assert_no_error (error);
  finding = get (f, "1.1");
  g_assert_cmpint (at_finding_get_verdict (finding), ==, AT_VERDICT_NONCONFORM);
  m = at_finding_find_measurement (finding, "answer-15s");
  g_assert_cmpuint (m->n_samples, ==, 5);
  g_assert_cmpfloat (m->samples[4], ==, 15);
  m = at_finding_find_measurement (finding, "answer-rate");
  g_assert_cmpfloat (m->value, ==, 96.5);
  at_finding_evaluate (finding, at_clause_find_indicator (clause, "answer-15s"), &r);
  g_assert_true (r.pass);
  g_clear_object (&finding);

  /* a named value indicator */
  in = (AtFindingInput) { .verdict = AT_VERDICT_NONCONFORM, .indicator = "answer-rate", .has_value = TRUE, .value = 90 };
  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  finding = get (f, "1.1");
  at_finding_evaluate (finding, at_clause_find_indicator (clause, "answer-rate"), &r);
  g_assert_cmpfloat (r.value, ==, 90);
  g_assert_false (r.pass);
  g_clear_object (&finding);

  /* clearing one measurement */
  g_assert_true (at_finding_clear_measurement (f->store, f->assessment, "1.1", "answer-rate", lead, &error));
  g_assert_no_error (error);
  finding = get (f, "1.1");
  g_assert_null (at_finding_find_measurement (finding, "answer-rate"));
  at_finding_evaluate (finding, at_clause_find_indicator (clause, "answer-rate"), &r);
  g_assert_false (r.measured);
  g_assert_false (at_finding_clear_measurement (f->store, f->assessment, "1.1", "answer-rate", lead, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (at_finding_clear_measurement (f->store, f->assessment, "1.1", "nope", lead, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);

  assert_audit_clean (f);
}

typedef struct
{
  const char    *clause;
  AtFindingInput input;
  int            code;
  const char    *message; /* a part of the sentence */
} Refusal;

static void
test_refusals_write_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  const char *lead = at_identity_get_id (f->lead);
  const char *bad_method[] = { "document", "telepathy", NULL };
  const double samples[] = { 10, 20 };
  const double negative[] = { 10, -1 };
  const Refusal cases[] = {
    { "1", { .verdict = AT_VERDICT_CONFORM }, AT_ERROR_INVALID, "clause 1 is a heading, not a checklist item" },
    { "9.9.9", { .verdict = AT_VERDICT_CONFORM }, AT_ERROR_NOT_FOUND, "no clause 9.9.9 in MINI 1.0" },
    { "1.1", { .verdict = 17 }, AT_ERROR_INVALID, "verdict" },
    { "1.1", { .verdict = AT_VERDICT_CONFORM, .methods = bad_method }, AT_ERROR_INVALID, "“telepathy”" },
    { "1.2", { .verdict = AT_VERDICT_CONFORM, .has_value = TRUE, .value = 3 }, AT_ERROR_INVALID, "no indicators" },
    { "1.1", { .verdict = AT_VERDICT_CONFORM, .indicator = "answer-15s", .has_value = TRUE, .value = 90 },
      AT_ERROR_INVALID, "--sample" },
    { "1.1", { .verdict = AT_VERDICT_CONFORM, .indicator = "answer-rate", .samples = samples, .n_samples = 2 },
      AT_ERROR_INVALID, "--value" },
    { "1.1", { .verdict = AT_VERDICT_CONFORM, .indicator = "nope", .has_value = TRUE, .value = 90 },
      AT_ERROR_INVALID, "no indicator “nope” (it has answer-rate, answer-15s)" },
    { "1.1", { .verdict = AT_VERDICT_CONFORM, .indicator = "answer-rate" }, AT_ERROR_INVALID, "no value" },
    { "1.1", { .verdict = AT_VERDICT_CONFORM, .has_value = TRUE, .value = 101 }, AT_ERROR_INVALID, "100 %" },
    { "1.1", { .verdict = AT_VERDICT_CONFORM, .samples = negative, .n_samples = 2 }, AT_ERROR_INVALID, "negative" },
    /* a good value with a bad sample: neither is written */
    { "1.1", { .verdict = AT_VERDICT_CONFORM, .has_value = TRUE, .value = 99, .samples = negative, .n_samples = 2 },
      AT_ERROR_INVALID, "negative" },
  };

  /* something recorded first, so “nothing changed” covers an update too */
  {
    AtFindingInput in = { .verdict = AT_VERDICT_PARTIAL, .has_value = TRUE, .value = 97 };
    g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
    g_assert_no_error (error);
  }
  before = dump (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *after = NULL;

      g_assert_false (at_finding_set (f->store, f->assessment, cases[i].clause, lead, &cases[i].input, &error));
      g_assert_error (error, AT_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
      g_clear_error (&error);
      after = dump (f);
      g_assert_cmpstr (after, ==, before);
    }

  /* who and where */
  {
    AtFindingInput in = { .verdict = AT_VERDICT_CONFORM };
    g_autofree char *after = NULL;

    g_assert_false (at_finding_set (f->store, f->assessment, "1.1", at_identity_get_id (f->org), &in, &error));
    g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
    g_clear_error (&error);
    g_assert_false (at_finding_set (f->store, f->assessment, "1.1", at_identity_get_id (f->reviewer), &in, &error));
    g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
    g_clear_error (&error);
    g_assert_false (at_finding_set (f->store, f->assessment, "1.1", "nobody", &in, &error));
    g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (at_finding_set (f->store, "no-such-assessment", "1.1", lead, &in, &error));
    g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
    g_clear_error (&error);
    after = dump (f);
    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_draft_stays_draft_on_refusal (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f);
  g_autofree char *after = NULL;
  AtFindingInput in = { .verdict = AT_VERDICT_CONFORM, .has_value = TRUE, .value = 3 };

  /* the first record would move the draft to in-progress; a refused one must not */
  g_assert_false (at_finding_set (f->store, f->assessment, "1.2", at_identity_get_id (f->lead), &in, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_cmpstr (state_of (f), ==, "draft");
  after = dump (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_value_routing (Fixture *f, gconstpointer data)
{
  /* a catalog whose clause has three value indicators and two sample indicators */
  static const char catalog_json[] =
    "{ \"format\": \"attest-catalog/1\", \"code\": \"MULTI\", \"title\": { \"zh_CN\": \"多\" },"
    "  \"version\": \"1\", \"source\": \"test\", \"clauses\": ["
    "  { \"number\": \"5\", \"title\": { \"zh_CN\": \"章\" }, \"assessable\": false, \"children\": ["
    "    { \"number\": \"5.1\", \"assessable\": true, \"text\": { \"zh_CN\": \"多个指标\" }, \"methods\": [\"document\"],"
    "      \"indicators\": ["
    "        { \"id\": \"a\", \"label\": { \"zh_CN\": \"a\" }, \"quantity\": \"rate\", \"unit\": \"%\", \"comparator\": \">=\", \"limit\": 90, \"aggregate\": \"value\" },"
    "        { \"id\": \"b\", \"label\": { \"zh_CN\": \"b\" }, \"quantity\": \"rate\", \"unit\": \"%\", \"comparator\": \">=\", \"limit\": 80, \"aggregate\": \"value\" },"
    "        { \"id\": \"c\", \"label\": { \"zh_CN\": \"c\" }, \"quantity\": \"count\", \"unit\": \"times\", \"comparator\": \"<=\", \"limit\": 2, \"aggregate\": \"value\" },"
    "        { \"id\": \"m\", \"label\": { \"zh_CN\": \"m\" }, \"quantity\": \"duration\", \"unit\": \"s\", \"comparator\": \"<=\", \"limit\": 20, \"aggregate\": \"mean\" },"
    "        { \"id\": \"e\", \"label\": { \"zh_CN\": \"e\" }, \"quantity\": \"duration\", \"unit\": \"s\", \"comparator\": \"<=\", \"limit\": 60, \"aggregate\": \"each\" }"
    "      ] },"
    "    { \"number\": \"5.2\", \"assessable\": true, \"text\": { \"zh_CN\": \"只有样本\" }, \"methods\": [\"document\"],"
    "      \"indicators\": ["
    "        { \"id\": \"s\", \"label\": { \"zh_CN\": \"s\" }, \"quantity\": \"duration\", \"unit\": \"s\", \"comparator\": \"<=\", \"limit\": 20, \"aggregate\": \"mean\" }"
    "      ] } ] } ] }";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "multi.json", NULL);
  g_autoptr(AtCatalog) catalog = NULL;
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(AtFinding) finding = NULL;
  const char *lead = at_identity_get_id (f->lead);
  AtAssessmentSpec spec = { .standard = "MULTI", .org = "Org", .lead = lead };
  const double samples[] = { 10, 30, 50 };
  AtFindingInput in = { .verdict = AT_VERDICT_CONFORM, .has_value = TRUE, .value = 95 };
  AtIndicatorResult r;

  g_assert_true (g_file_set_contents (path, catalog_json, -1, NULL));
  catalog = at_standards_import (f->store, path, NULL, &error);
  g_assert_no_error (error);
  a = at_assessment_create (f->store, &spec, &error);
  g_assert_no_error (error);

  g_assert_false (at_finding_set (f->store, at_assessment_get_id (a), "5.1", lead, &in, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "clause 5.1 has 3 indicators measured by one value: name one with --indicator (a, b, c)");
  g_clear_error (&error);

  g_assert_false (at_finding_set (f->store, at_assessment_get_id (a), "5.2", lead, &in, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "--sample"));
  g_clear_error (&error);

  /* samples go to every sample indicator of the clause; the named value to its indicator */
  in = (AtFindingInput) { .verdict = AT_VERDICT_CONFORM, .samples = samples, .n_samples = 3 };
  g_assert_true (at_finding_set (f->store, at_assessment_get_id (a), "5.1", lead, &in, &error));
  g_assert_no_error (error);
  in = (AtFindingInput) { .verdict = AT_VERDICT_CONFORM, .indicator = "b", .has_value = TRUE, .value = 85 };
  g_assert_true (at_finding_set (f->store, at_assessment_get_id (a), "5.1", lead, &in, &error));
  g_assert_no_error (error);

  finding = at_finding_get (f->store, at_assessment_get_id (a), "5.1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at_finding_get_n_measurements (finding), ==, 3);
  /* in the clause's indicator order */
  g_assert_cmpstr (at_finding_get_measurement (finding, 0)->indicator, ==, "b");
  g_assert_cmpstr (at_finding_get_measurement (finding, 1)->indicator, ==, "m");
  g_assert_cmpstr (at_finding_get_measurement (finding, 2)->indicator, ==, "e");
  at_finding_evaluate (finding, at_clause_find_indicator (at_catalog_lookup (catalog, "5.1"), "m"), &r);
  g_assert_cmpfloat (r.value, ==, 30);
  g_assert_false (r.pass);
  at_finding_evaluate (finding, at_clause_find_indicator (at_catalog_lookup (catalog, "5.1"), "e"), &r);
  g_assert_cmpfloat (r.value, ==, 50);
  g_assert_true (r.pass);
  at_finding_evaluate (finding, at_clause_find_indicator (at_catalog_lookup (catalog, "5.1"), "a"), &r);
  g_assert_false (r.measured);
}

static JsonObject *
find_member (JsonArray  *array,
             const char *key,
             const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (o, key), value) == 0)
        return o;
    }
  return NULL;
}

static void
test_list_json_and_tally (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) tally = NULL;
  const char *lead = at_identity_get_id (f->lead);
  const double samples[] = { 3, 9, 16, 12 };
  AtFindingInput in = { .verdict = AT_VERDICT_NONCONFORM };
  JsonObject *o, *finding, *progress, *result;
  JsonArray *results;
  AtTally *t;

  /* recorded out of order, listed in the catalog's */
  g_assert_true (at_finding_set (f->store, f->assessment, "1.2", lead, &in, &error));
  in = (AtFindingInput) { .verdict = AT_VERDICT_PARTIAL, .note = "slow at peak",
                          .samples = samples, .n_samples = G_N_ELEMENTS (samples) };
  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  g_assert_no_error (error);

  list = at_finding_list (f->store, f->assessment, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (at_finding_get_clause (list->pdata[0]), ==, "1.1");
  g_assert_cmpstr (at_finding_get_clause (list->pdata[1]), ==, "1.2");
  g_assert_null (at_finding_list (f->store, "nope", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  a = at_assessment_lookup (f->store, f->assessment, &error);
  tally = at_finding_tally (at_assessment_get_catalog (a), list);
  g_assert_cmpuint (tally->len, ==, 2);
  t = &g_array_index (tally, AtTally, 0);
  g_assert_null (t->chapter);
  g_assert_cmpuint (t->assessable, ==, 2);
  g_assert_cmpuint (t->assessed, ==, 2);
  g_assert_cmpuint (t->by_verdict[AT_VERDICT_PARTIAL], ==, 1);
  g_assert_cmpuint (t->by_verdict[AT_VERDICT_NONCONFORM], ==, 1);
  t = &g_array_index (tally, AtTally, 1);
  g_assert_cmpstr (t->chapter, ==, "1");
  g_assert_cmpuint (t->assessable, ==, 2);

  root = at_assessment_to_json_full (a, f->store);
  o = json_node_get_object (root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "findings")), ==, 2);
  finding = find_member (json_object_get_array_member (o, "findings"), "clause", "1.1");
  g_assert_cmpstr (json_object_get_string_member (finding, "verdict"), ==, "partial");
  g_assert_cmpstr (json_object_get_string_member (finding, "note"), ==, "slow at peak");
  g_assert_cmpstr (json_object_get_string_member (finding, "recorded_by"), ==, lead);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (finding, "methods")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (finding, "measurements")), ==, 1);

  /* every indicator of the clause, the unmeasured one with pass null */
  results = json_object_get_array_member (finding, "indicator_results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  result = find_member (results, "indicator", "answer-rate");
  g_assert_true (json_object_get_null_member (result, "pass"));
  g_assert_true (json_object_get_null_member (result, "value"));
  g_assert_cmpstr (json_object_get_string_member (result, "label"), ==, "Answer rate");
  result = find_member (results, "indicator", "answer-15s");
  g_assert_cmpfloat (json_object_get_double_member (result, "value"), ==, 75);
  g_assert_false (json_object_get_boolean_member (result, "pass"));
  g_assert_cmpint (json_object_get_int_member (result, "n"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (result, "successes"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (result, "unit"), ==, "%");
  g_assert_cmpfloat (json_object_get_double_member (result, "limit"), ==, 85);
  g_assert_true (json_object_has_member (json_object_get_object_member (result, "wilson"), "high"));

  finding = find_member (json_object_get_array_member (o, "findings"), "clause", "1.2");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (finding, "indicator_results")), ==, 0);

  progress = json_object_get_object_member (o, "progress");
  g_assert_cmpint (json_object_get_int_member (progress, "assessable"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (progress, "assessed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (progress, "by_verdict"), "partial"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (progress, "by_verdict"), "open"), ==, 0);
  {
    JsonObject *chapter = json_array_get_object_element (json_object_get_array_member (progress, "chapters"), 0);
    g_assert_cmpstr (json_object_get_string_member (chapter, "number"), ==, "1");
    g_assert_cmpint (json_object_get_int_member (chapter, "nonconform"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (chapter, "conform"), ==, 0);
  }
}

static void
test_empty_tally (Fixture *f, gconstpointer data)
{
  g_autoptr(AtAssessment) a = at_assessment_lookup (f->store, f->assessment, NULL);
  g_autoptr(JsonNode) root = at_assessment_to_json_full (a, f->store);
  JsonObject *progress = json_object_get_object_member (json_node_get_object (root), "progress");

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "findings")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (progress, "assessable"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (progress, "assessed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (progress, "by_verdict"), "open"), ==, 2);
}

static void
test_locked_after_submit (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *lead = at_identity_get_id (f->lead);
  AtFindingInput in = { .verdict = AT_VERDICT_CONFORM };

  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  g_assert_true (at_finding_set (f->store, f->assessment, "1.2", lead, &in, &error));
  g_assert_no_error (error);
  signer = at_signer_unlock (f->store, lead, PASS, &error);
  g_assert_no_error (error);
  if (!at_assessment_submit (f->store, f->assessment, signer, &error))
    {
      /* the workflow's own rules are tested elsewhere; here only what follows matters */
      g_test_skip (error->message);
      return;
    }

  before = dump (f);
  in.verdict = AT_VERDICT_NONCONFORM;
  g_assert_false (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (at_finding_clear_measurement (f->store, f->assessment, "1.1", "answer-rate", lead, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  after = dump (f);
  g_assert_cmpstr (after, ==, before);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/finding/set-and-keep", test_set_and_keep);
  ADD ("/finding/measurements", test_measurements);
  ADD ("/finding/refusals-write-nothing", test_refusals_write_nothing);
  ADD ("/finding/draft-stays-draft", test_draft_stays_draft_on_refusal);
  ADD ("/finding/value-routing", test_value_routing);
  ADD ("/finding/list-json-tally", test_list_json_and_tally);
  ADD ("/finding/empty-tally", test_empty_tally);
  ADD ("/finding/locked-after-submit", test_locked_after_submit);
#undef ADD

  return g_test_run ();
}
