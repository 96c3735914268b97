/* test-nonconformity.c — raising nonconformities, responses, verification, and their refusals */
#include "config.h"

#include <sqlite3.h>

#include "at-core.h"

#define PASS "nc passphrase"

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

  f->dir = g_dir_make_tmp ("attest-nc-XXXXXX", NULL);
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

static char *
raise_nc (Fixture *f, const char *clause, AtGrade grade)
{
  g_autoptr(GError) error = NULL;
  AtNonconformitySpec spec = { .grade = grade, .text = "Calls wait too long at peak hours",
                               .suggestion = "Add agents for the evening peak", .due = "2030-06-30" };
  char *id = at_nonconformity_add (f->store, f->assessment, clause, at_identity_get_id (f->lead), &spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static AtNonconformity *
lookup (Fixture *f, const char *id)
{
  g_autoptr(GError) error = NULL;
  AtNonconformity *nc = at_nonconformity_lookup (f->store, id, &error);

  g_assert_no_error (error);
  return nc;
}

static void
test_add_and_list (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = raise_nc (f, "1.1", AT_GRADE_MAJOR);
  g_autofree char *second = raise_nc (f, "1.2", AT_GRADE_OBSERVATION);
  g_autoptr(AtNonconformity) nc = lookup (f, first);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  JsonObject *o;

  g_assert_cmpstr (at_nonconformity_get_id (nc), ==, first);
  g_assert_cmpstr (at_nonconformity_get_assessment_id (nc), ==, f->assessment);
  g_assert_cmpuint (at_nonconformity_get_seq (nc), ==, 1);
  g_assert_cmpstr (at_nonconformity_get_label (nc), ==, "NC-1");
  g_assert_cmpstr (at_nonconformity_get_clause (nc), ==, "1.1");
  g_assert_cmpint (at_nonconformity_get_grade (nc), ==, AT_GRADE_MAJOR);
  g_assert_cmpstr (at_nonconformity_get_text (nc), ==, "Calls wait too long at peak hours");
  g_assert_cmpstr (at_nonconformity_get_suggestion (nc), ==, "Add agents for the evening peak");
  g_assert_cmpstr (at_nonconformity_get_due (nc), ==, "2030-06-30");
  g_assert_cmpint (at_nonconformity_get_status (nc), ==, AT_NC_OPEN);
  g_assert_null (at_nonconformity_get_response (nc));
  g_assert_cmpstr (at_nonconformity_get_raised_by (nc), ==, at_identity_get_id (f->lead));
  g_assert_nonnull (at_nonconformity_get_raised_at (nc));

  list = at_nonconformity_list (f->store, f->assessment, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (at_nonconformity_get_label (list->pdata[1]), ==, "NC-2");
  g_assert_cmpstr (at_nonconformity_get_id (list->pdata[1]), ==, second);
  g_assert_cmpint (at_nonconformity_get_grade (list->pdata[1]), ==, AT_GRADE_OBSERVATION);

  g_assert_null (at_nonconformity_list (f->store, "nope", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  a = at_assessment_lookup (f->store, f->assessment, NULL);
  g_assert_cmpstr (at_assessment_get_state (a), ==, "in-progress");
  root = at_assessment_to_json_full (a, f->store);
  array = json_object_get_array_member (json_node_get_object (root), "nonconformities");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  o = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, first);
  g_assert_cmpint (json_object_get_int_member (o, "seq"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, "NC-1");
  g_assert_cmpstr (json_object_get_string_member (o, "grade"), ==, "major");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (o, "due"), ==, "2030-06-30");
  g_assert_true (json_object_get_null_member (o, "response"));
  g_assert_true (json_object_get_null_member (o, "verified_by"));

  assert_audit_clean (f);
}

static void
test_add_refusals (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *clause;
    AtNonconformitySpec spec;
    int code;
    const char *message;
  } cases[] = {
    { "1", { AT_GRADE_MINOR, "t", "s", NULL }, AT_ERROR_INVALID, "clause 1 is a heading, not a checklist item" },
    { "9.9.9", { AT_GRADE_MINOR, "t", "s", NULL }, AT_ERROR_NOT_FOUND, "no clause 9.9.9 in MINI 1.0" },
    { "1.1", { AT_GRADE_MINOR, "  ", "s", NULL }, AT_ERROR_INVALID, "text must not be empty" },
    { "1.1", { AT_GRADE_MINOR, NULL, "s", NULL }, AT_ERROR_INVALID, "text must not be empty" },
    { "1.1", { AT_GRADE_MINOR, "t", "", NULL }, AT_ERROR_INVALID, "suggestion must not be empty" },
    { "1.1", { 7, "t", "s", NULL }, AT_ERROR_INVALID, "grade" },
    { "1.1", { AT_GRADE_MINOR, "t", "s", "2025-02-29" }, AT_ERROR_INVALID, "no date 2025-02-29" },
    { "1.1", { AT_GRADE_MINOR, "t", "s", "2025-13-01" }, AT_ERROR_INVALID, "no date" },
    { "1.1", { AT_GRADE_MINOR, "t", "s", "2025-6-1" }, AT_ERROR_INVALID, "YYYY-MM-DD" },
    { "1.1", { AT_GRADE_MINOR, "t", "s", "tomorrow" }, AT_ERROR_INVALID, "YYYY-MM-DD" },
    { "1.1", { AT_GRADE_MINOR, "t", "s", "2025-06-01T00:00" }, AT_ERROR_INVALID, "YYYY-MM-DD" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f);
  const char *lead = at_identity_get_id (f->lead);
  AtNonconformitySpec good = { AT_GRADE_MINOR, "t", "s", "2024-02-29" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *after = NULL;

      g_assert_null (at_nonconformity_add (f->store, f->assessment, cases[i].clause, lead, &cases[i].spec, &error));
      g_assert_error (error, AT_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
      g_clear_error (&error);
      after = dump (f);
      g_assert_cmpstr (after, ==, before);
    }

  /* only assessors raise them in a third-party assessment */
  g_assert_null (at_nonconformity_add (f->store, f->assessment, "1.1", at_identity_get_id (f->org), &good, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_null (at_nonconformity_add (f->store, f->assessment, "1.1", "nobody", &good, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (at_nonconformity_add (f->store, "nope", "1.1", lead, &good, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree char *after = dump (f);
    g_assert_cmpstr (after, ==, before);
  }

  /* a leap day is a date */
  {
    g_autofree char *id = at_nonconformity_add (f->store, f->assessment, "1.1", lead, &good, &error);
    g_assert_no_error (error);
    g_assert_nonnull (id);
  }
}

static void
test_follow_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = raise_nc (f, "1.1", AT_GRADE_MINOR);
  g_autoptr(AtNonconformity) nc = NULL;
  g_autofree char *before = NULL;
  const char *lead = at_identity_get_id (f->lead);
  const char *org = at_identity_get_id (f->org);
  const char *reviewer = at_identity_get_id (f->reviewer);

  /* reopening what is open, closing what is closed: refused */
  before = dump (f);
  g_assert_false (at_nonconformity_verify (f->store, id, lead, FALSE, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "NC-1 is already open");
  g_clear_error (&error);

  /* the response: from the organisation, not from a reviewer, not empty */
  g_assert_false (at_nonconformity_respond (f->store, id, reviewer, "done", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (at_nonconformity_respond (f->store, id, org, " \n", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (at_nonconformity_respond (f->store, "no-such-nc", org, "done", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (at_nonconformity_respond (f->store, id, "nobody", "done", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree char *after = dump (f);
    g_assert_cmpstr (after, ==, before);
  }

  g_assert_true (at_nonconformity_respond (f->store, id, org, "Two agents hired for 18:00–22:00", &error));
  g_assert_no_error (error);
  nc = lookup (f, id);
  g_assert_cmpint (at_nonconformity_get_status (nc), ==, AT_NC_RESPONDED);
  g_assert_cmpstr (at_nonconformity_get_response (nc), ==, "Two agents hired for 18:00–22:00");
  g_assert_cmpstr (at_nonconformity_get_responded_by (nc), ==, org);
  g_assert_nonnull (at_nonconformity_get_responded_at (nc));
  g_clear_object (&nc);

  /* only an assessor verifies */
  g_assert_false (at_nonconformity_verify (f->store, id, org, TRUE, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (at_nonconformity_verify (f->store, id, reviewer, TRUE, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  g_assert_true (at_nonconformity_verify (f->store, id, lead, TRUE, &error));
  g_assert_no_error (error);
  nc = lookup (f, id);
  g_assert_cmpint (at_nonconformity_get_status (nc), ==, AT_NC_CLOSED);
  g_assert_cmpstr (at_nonconformity_get_verified_by (nc), ==, lead);
  g_assert_nonnull (at_nonconformity_get_verified_at (nc));
  g_clear_object (&nc);

  g_free (before);
  before = dump (f);
  g_assert_false (at_nonconformity_verify (f->store, id, lead, TRUE, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, "NC-1 is already closed");
  g_clear_error (&error);
  /* a closed NC takes no response until it is reopened */
  g_assert_false (at_nonconformity_respond (f->store, id, org, "more", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  {
    g_autofree char *after = dump (f);
    g_assert_cmpstr (after, ==, before);
  }

  g_assert_true (at_nonconformity_verify (f->store, id, lead, FALSE, &error));
  g_assert_no_error (error);
  nc = lookup (f, id);
  g_assert_cmpint (at_nonconformity_get_status (nc), ==, AT_NC_OPEN);
  /* the response that did not convince stays on record */
  g_assert_cmpstr (at_nonconformity_get_response (nc), ==, "Two agents hired for 18:00–22:00");
  g_clear_object (&nc);

  /* an assessor may respond too (e.g. on the organisation's behalf during the visit) */
  g_assert_true (at_nonconformity_respond (f->store, id, lead, "Rota changed", &error));
  g_assert_no_error (error);

  assert_audit_clean (f);
}

static void
test_follow_up_after_submit (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = raise_nc (f, "1.1", AT_GRADE_MINOR);
  g_autoptr(AtSigner) signer = NULL;
  g_autoptr(AtNonconformity) nc = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *lead = at_identity_get_id (f->lead);
  AtFindingInput in = { .verdict = AT_VERDICT_PARTIAL };
  AtNonconformitySpec spec = { AT_GRADE_MINOR, "t", "s", NULL };

  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &in, &error));
  g_assert_true (at_finding_set (f->store, f->assessment, "1.2", lead, &in, &error));
  g_assert_no_error (error);
  signer = at_signer_unlock (f->store, lead, PASS, &error);
  g_assert_no_error (error);
  if (!at_assessment_submit (f->store, f->assessment, signer, &error))
    {
      g_test_skip (error->message);
      return;
    }

  /* no new nonconformity once submitted */
  before = dump (f);
  g_assert_null (at_nonconformity_add (f->store, f->assessment, "1.1", lead, &spec, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  after = dump (f);
  g_assert_cmpstr (after, ==, before);

  /* but the follow-up goes on in any state */
  g_assert_true (at_nonconformity_respond (f->store, id, at_identity_get_id (f->org), "fixed", &error));
  g_assert_no_error (error);
  g_assert_true (at_nonconformity_verify (f->store, id, lead, TRUE, &error));
  g_assert_no_error (error);
  nc = lookup (f, id);
  g_assert_cmpint (at_nonconformity_get_status (nc), ==, AT_NC_CLOSED);

  assert_audit_clean (f);
}

static void
test_names (void)
{
  g_autoptr(GError) error = NULL;
  AtGrade grade = AT_GRADE_MAJOR;
  GDate date;

  g_assert_true (at_grade_parse ("observation", &grade, NULL));
  g_assert_cmpint (grade, ==, AT_GRADE_OBSERVATION);
  g_assert_false (at_grade_parse ("critical", &grade, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (at_grade_to_string (AT_GRADE_MINOR), ==, "minor");
  g_assert_cmpstr (at_nc_status_to_string (AT_NC_RESPONDED), ==, "responded");

  g_assert_true (at_due_date_parse ("2030-12-31", &date, NULL));
  g_assert_cmpint (g_date_get_year (&date), ==, 2030);
  g_assert_cmpint (g_date_get_month (&date), ==, 12);
  g_assert_cmpint (g_date_get_day (&date), ==, 31);
  g_assert_false (at_due_date_parse ("2030-04-31", NULL, NULL));
  g_assert_false (at_due_date_parse ("0000-01-01", NULL, NULL));
  g_assert_false (at_due_date_parse ("", NULL, NULL));
  g_assert_false (at_due_date_parse (NULL, NULL, NULL));
  g_assert_false (at_due_date_parse ("２０３０-01-01", NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/nc/add-and-list", test_add_and_list);
  ADD ("/nc/add-refusals", test_add_refusals);
  ADD ("/nc/follow-up", test_follow_up);
  ADD ("/nc/follow-up-after-submit", test_follow_up_after_submit);
#undef ADD
  g_test_add_func ("/nc/names", test_names);

  return g_test_run ();
}
