/* test-workflow.c — migrations, the audit trail, and the chapter-11 sign-offs and refusals */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <string.h>

#include "at-audit-private.h"
#include "at-clause-digest-private.h"
#include "at-records-private.h"
#include "at-core.h"
#include "at-test-util.h"
#include "at-store-private.h"
#include "at-workflow-private.h"

#define PASS "workflow passphrase"

typedef struct
{
  char       *dir;
  AtStore    *store;
  AtIdentity *lead;
  AtIdentity *reviewer;
  AtIdentity *issuer;
  char       *assessment;
} Fixture;

/* Records a verdict on every assessable clause the way the findings module does: one change,
 * audited. (The findings module has its own tests; here only the workflow matters.) */
static void
assess_everything (Fixture *f, const char *actor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = at_assessment_lookup (f->store, f->assessment, &error);
  GPtrArray *all = at_catalog_get_all_clauses (at_assessment_get_catalog (a));

  g_assert_true (_at_change_begin (f->store, f->assessment, actor, AT_CHANGE_RECORD, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *now = at_now_iso8601 ();

      if (!at_clause_get_assessable (all->pdata[i]))
        continue;
      stmt = _at_store_prepare (f->store, "INSERT OR REPLACE INTO findings (assessment_id, clause, verdict, methods, recorded_by, recorded_at) "
                                          "VALUES (?, ?, 'conform', '[\"document\"]', ?, ?)", &error);
      sqlite3_bind_text (stmt, 1, f->assessment, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, at_clause_get_number (all->pdata[i]), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
      g_assert_true (_at_store_step_done (f->store, stmt, &error));
      g_assert_true (_at_audit_append (f->store, f->assessment, actor, "set-finding", "finding",
                                       at_clause_get_number (all->pdata[i]), &error));
    }
  g_assert_true (_at_change_commit (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mini = g_test_build_filename (G_TEST_DIST, "data", "mini.json", NULL);
  g_autoptr(AtCatalog) catalog = NULL;
  g_autoptr(AtAssessment) a = NULL;
  AtAssessmentSpec spec = { .standard = "MINI", .org = "Org", .kind = AT_KIND_THIRD_PARTY };

  f->dir = g_dir_make_tmp ("attest-wf-XXXXXX", NULL);
  f->store = at_store_open (f->dir, &error);
  g_assert_no_error (error);
  catalog = at_standards_import (f->store, mini, NULL, &error);
  g_assert_no_error (error);
  f->lead = at_identity_create (f->store, "Lead", AT_ROLE_ASSESSOR, "CB", PASS, &error);
  f->reviewer = at_identity_create (f->store, "Reviewer", AT_ROLE_REVIEWER | AT_ROLE_ASSESSOR, "CB", PASS, &error);
  f->issuer = at_identity_create (f->store, "Issuer", AT_ROLE_ISSUER, "CB", PASS, &error);
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
  g_clear_object (&f->reviewer);
  g_clear_object (&f->issuer);
  g_clear_object (&f->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  g_free (f->assessment);
}

static AtSigner *
unlock (Fixture *f, AtIdentity *who)
{
  g_autoptr(GError) error = NULL;
  AtSigner *signer = at_signer_unlock (f->store, at_identity_get_id (who), PASS, &error);

  g_assert_no_error (error);
  return signer;
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
assert_audit_clean (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (at_audit_verify (f->store, f->assessment, problems, NULL, &error));
  g_assert_no_error (error);
  if (problems->len > 0)
    g_error ("audit problem: %s", (const char *) problems->pdata[0]);
}

static void
test_whole_flow (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) lead = unlock (f, f->lead);
  g_autoptr(AtSigner) reviewer = unlock (f, f->reviewer);
  g_autoptr(AtSigner) issuer = unlock (f, f->issuer);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *number = NULL;
  g_autofree char *number2 = NULL;

  /* nothing assessed yet: submission is refused and names what is missing */
  g_assert_false (at_assessment_submit (f->store, f->assessment, lead, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "1.1"));
  g_clear_error (&error);

  /* review before submission is refused */
  g_assert_false (at_assessment_review (f->store, f->assessment, reviewer, TRUE, "ok", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  assess_everything (f, at_identity_get_id (f->lead));
  g_assert_cmpstr (state_of (f), ==, "in-progress");

  /* only the lead submits */
  g_assert_false (at_assessment_submit (f->store, f->assessment, reviewer, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (at_assessment_submit (f->store, f->assessment, lead, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (state_of (f), ==, "submitted");

  /* the lead cannot recheck their own work; no records while submitted */
  g_assert_false (at_assessment_review (f->store, f->assessment, lead, TRUE, "ok", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (_at_change_begin (f->store, f->assessment, at_identity_get_id (f->lead), AT_CHANGE_RECORD, NULL, NULL, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (at_assessment_review (f->store, f->assessment, reviewer, TRUE, "  ", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);

  /* a certificate before approval is refused */
  g_assert_null (at_certificate_issue (f->store, f->assessment, issuer, 3, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);

  at_test_agree_all (f->store, f->assessment, at_identity_get_id (at_signer_get_identity (reviewer)));
  g_assert_true (at_assessment_review (f->store, f->assessment, reviewer, TRUE, "记录完整，证据充分。", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (state_of (f), ==, "approved");

  /* locked after approval */
  g_assert_false (_at_change_begin (f->store, f->assessment, at_identity_get_id (f->lead), AT_CHANGE_RECORD, NULL, NULL, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "reopen"));
  g_clear_error (&error);

  /* only an issuer issues */
  g_assert_null (at_certificate_issue (f->store, f->assessment, reviewer, 3, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  number = at_certificate_issue (f->store, f->assessment, issuer, 3, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (number, "MINI-"));
  g_assert_true (g_str_has_suffix (number, "-0001"));
  g_assert_cmpstr (state_of (f), ==, "certified");

  g_assert_true (at_signoffs_verify (f->store, f->assessment, lines, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  assert_audit_clean (f);

  /* reopen voids the sign-offs and withdraws the certificate */
  g_assert_false (at_assessment_reopen (f->store, f->assessment, at_identity_get_id (f->lead), "", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (at_assessment_reopen (f->store, f->assessment, at_identity_get_id (f->reviewer), "reason", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (at_assessment_reopen (f->store, f->assessment, at_identity_get_id (f->lead), "客户补充材料", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (state_of (f), ==, "in-progress");
  g_ptr_array_set_size (lines, 0);
  g_assert_true (at_signoffs_verify (f->store, f->assessment, lines, &error));
  /* the three sign-offs stay on file, superseded, their signatures intact */
  g_assert_cmpuint (lines->len, ==, 3);
  for (guint i = 0; i < lines->len; i++)
    g_assert_nonnull (strstr (lines->pdata[i], "superseded on"));
  assert_audit_clean (f);

  /* a second round gets a new certificate number: numbers are never reused */
  g_assert_true (at_assessment_submit (f->store, f->assessment, lead, &error));
  at_test_agree_all (f->store, f->assessment, at_identity_get_id (at_signer_get_identity (reviewer)));
  g_assert_true (at_assessment_review (f->store, f->assessment, reviewer, TRUE, "复核通过", &error));
  number2 = at_certificate_issue (f->store, f->assessment, issuer, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (number2, !=, number);
  assert_audit_clean (f);
}

static void
test_reviewer_who_recorded (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) lead = unlock (f, f->lead);
  g_autoptr(AtSigner) reviewer = unlock (f, f->reviewer);

  /* the reviewer (who also holds the assessor role) recorded findings: not independent */
  assess_everything (f, at_identity_get_id (f->reviewer));
  g_assert_true (at_assessment_submit (f->store, f->assessment, lead, &error));
  g_assert_false (at_assessment_review (f->store, f->assessment, reviewer, TRUE, "ok", &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "independent"));
}

static void
test_self_assessment_no_certificate (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtIdentity) org = at_identity_create (f->store, "Org", AT_ROLE_ORGANISATION, "Org", PASS, &error);
  AtAssessmentSpec spec = { .standard = "MINI", .org = "Org", .kind = AT_KIND_SELF, .lead = at_identity_get_id (org) };
  g_autoptr(AtAssessment) a = at_assessment_create (f->store, &spec, &error);
  g_autoptr(AtSigner) signer = unlock (f, org);
  g_autoptr(AtSigner) reviewer = unlock (f, f->reviewer);
  g_autoptr(AtSigner) issuer = unlock (f, f->issuer);

  g_assert_no_error (error);
  g_free (f->assessment);
  f->assessment = g_strdup (at_assessment_get_id (a));
  assess_everything (f, at_identity_get_id (org));
  g_assert_true (at_assessment_submit (f->store, f->assessment, signer, &error));
  at_test_agree_all (f->store, f->assessment, at_identity_get_id (at_signer_get_identity (reviewer)));
  g_assert_true (at_assessment_review (f->store, f->assessment, reviewer, TRUE, "ok", &error));
  g_assert_null (at_certificate_issue (f->store, f->assessment, issuer, 3, &error));
  g_assert_error (error, AT_ERROR, AT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "self-assessment"));
}

static void
sql (Fixture *f, const char *text)
{
  g_autofree char *db = g_build_filename (f->dir, "attest.db", NULL);
  sqlite3 *raw = NULL;

  /* a second connection, as the sqlite3 shell would be */
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, text, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
}

static void
assert_problem (Fixture *f, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (at_audit_verify (f->store, f->assessment, problems, NULL, &error));
  for (guint i = 0; i < problems->len; i++)
    if (strstr (problems->pdata[i], fragment))
      return;
  g_error ("no audit problem mentions “%s” (%u problems)", fragment, problems->len);
}

static void
test_tampering (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) lead = unlock (f, f->lead);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  assess_everything (f, at_identity_get_id (f->lead));
  g_assert_true (at_assessment_submit (f->store, f->assessment, lead, &error));
  assert_audit_clean (f);

  sql (f, "UPDATE findings SET verdict = 'nonconform' WHERE clause = '1.2'");
  assert_problem (f, "the finding on clause 1.2 differs from what audit entry");
  /* the submission signed the records as they were */
  g_assert_false (at_signoffs_verify (f->store, f->assessment, lines, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (lines->pdata[0], "records changed after it was signed"));
  sql (f, "UPDATE findings SET verdict = 'conform' WHERE clause = '1.2'");
  assert_audit_clean (f);

  sql (f, "DELETE FROM findings WHERE clause = '1.1'");
  assert_problem (f, "the finding on clause 1.1 was deleted outside Attest");
  sql (f, "INSERT INTO findings (assessment_id, clause, verdict, recorded_by, recorded_at) "
          "SELECT assessment_id, '1.1', 'conform', recorded_by, recorded_at FROM findings WHERE clause = '1.2'");

  /* editing the log to match breaks its chain */
  sql (f, "UPDATE audit_log SET state = replace(state, 'conform', 'partial') WHERE n = 3");
  assert_problem (f, "audit entry 3");
}

/* The schema as version 1 wrote it: a test carries its own copy, so a later change to the
 * migrations cannot quietly rewrite what it upgrades from. */
static const char v1_schema[] =
  "CREATE TABLE catalogs (id INTEGER PRIMARY KEY, code TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,"
  "  origin TEXT NOT NULL CHECK (origin IN ('bundled', 'imported')), json TEXT NOT NULL, added_at TEXT NOT NULL, UNIQUE (code, version));"
  "CREATE TABLE identities (id TEXT PRIMARY KEY, name TEXT NOT NULL, roles TEXT NOT NULL, org TEXT, cert_pem TEXT NOT NULL, created_at TEXT NOT NULL);"
  "CREATE TABLE assessments (id TEXT PRIMARY KEY, catalog_id INTEGER NOT NULL REFERENCES catalogs (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('third-party', 'self')), state TEXT NOT NULL DEFAULT 'draft', org TEXT NOT NULL,"
  "  lead TEXT NOT NULL REFERENCES identities (id), scope TEXT, sites TEXT NOT NULL DEFAULT '[]',"
  "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
  "PRAGMA user_version = 1;";

static void
test_migration_from_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("attest-v1-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "attest.db", NULL);
  g_autofree char *mini = g_test_build_filename (G_TEST_DIST, "data", "mini.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *insert = NULL;
  g_autoptr(AtStore) store = NULL;
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *raw = NULL;
  char *sql_json;

  g_assert_true (g_file_get_contents (mini, &json, NULL, NULL));
  sql_json = sqlite3_mprintf ("%Q", json);
  insert = g_strdup_printf ("INSERT INTO catalogs VALUES (1, 'MINI', '1.0', 'abc', 'imported', %s, '2026-01-01T00:00:00Z');"
                            "INSERT INTO identities VALUES ('00112233aabbccdd', 'Old Lead', 'assessor', 'CB', 'PEM', '2026-01-01T00:00:00Z');"
                            "INSERT INTO assessments VALUES ('old-assessment', 1, 'third-party', 'draft', '旧机构', '00112233aabbccdd',"
                            " 'scope', '[\"site\"]', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');", sql_json);
  sqlite3_free (sql_json);
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, v1_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, insert, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  store = at_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (at_store_get_schema_version (store), ==, AT_STORE_SCHEMA_VERSION);
  a = at_assessment_lookup (store, "old-assessment", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_assessment_get_org (a), ==, "旧机构");
  g_assert_cmpstr (at_assessment_get_sites (a)[0], ==, "site");

  /* the tables of version 2 exist and work with the old row */
  g_assert_true (at_audit_verify (store, "old-assessment", problems, NULL, &error));
  g_assert_cmpuint (problems->len, ==, 1); /* written before the audit log existed */

  /* the columns version 2 added read as their defaults on the old row */
  g_assert_null (at_assessment_get_address (a));
  g_assert_null (at_assessment_get_start_date (a));
  g_assert_cmpuint (g_strv_length ((char **) at_assessment_get_team (a)), ==, 0);

  /* version 2's records hang off the old assessment, foreign keys and all */
  {
    AtFindingInput input = { .verdict = AT_VERDICT_PARTIAL, .note = "recorded after the upgrade" };
    g_autoptr(sqlite3_stmt) check = NULL;

    g_assert_true (at_finding_set (store, "old-assessment", "1.1", "00112233aabbccdd", &input, &error));
    g_assert_no_error (error);
    g_assert_false (at_finding_set (store, "old-assessment", "1.1", "no-such-identity", &input, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);

    check = _at_store_prepare (store, "PRAGMA integrity_check", &error);
    g_assert_cmpint (sqlite3_step (check), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (check, 0), ==, "ok");
    g_clear_pointer (&check, sqlite3_finalize);
    check = _at_store_prepare (store, "PRAGMA foreign_key_check", &error);
    g_assert_cmpint (sqlite3_step (check), ==, SQLITE_DONE);
  }

  /* and a second open finds nothing left to do */
  g_clear_object (&a);
  g_clear_object (&store);
  store = at_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (at_store_get_schema_version (store), ==, AT_STORE_SCHEMA_VERSION);

  g_clear_object (&store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

static void
test_newer_schema_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("attest-new-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "attest.db", NULL);
  g_autoptr(AtStore) store = NULL;
  sqlite3 *raw = NULL;

  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  store = at_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "newer Attest"));
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

/* ---- the recheck's clause digests --------------------------------------------------------- */

/* The digests as the recheck first computed them, for reference: every record of the
 * assessment read into one JSON array per clause, then hashed. */
typedef struct
{
  GHashTable         *by_clause;   /* clause → JsonArray */
  GHashTable         *evidence;    /* sha256 → row */
  const char         *entity;
  const char * const *unsigned_columns;
} Reference;

static void
reference_add (Reference *r, const char *clause, const char *entity, const char *key, JsonObject *record)
{
  JsonArray *items = g_hash_table_lookup (r->by_clause, clause);
  JsonObject *item = json_object_new ();

  if (items == NULL)
    g_hash_table_insert (r->by_clause, g_strdup (clause), (items = json_array_new ()));
  json_object_set_string_member (item, "entity", entity);
  json_object_set_string_member (item, "key", key);
  json_object_set_object_member (item, "record", json_object_ref (record));
  json_array_add_object_element (items, item);
}

static void
reference_row (const char *key, JsonObject *row, gpointer user_data)
{
  Reference *r = user_data;

  for (guint i = 0; r->unsigned_columns && r->unsigned_columns[i]; i++)
    if (json_object_has_member (row, r->unsigned_columns[i]))
      json_object_remove_member (row, r->unsigned_columns[i]);
  if (g_str_equal (r->entity, "evidence"))
    g_hash_table_insert (r->evidence, g_strdup (key), json_object_ref (row));
  else if (g_str_equal (r->entity, "link"))
    {
      JsonObject *ev = g_hash_table_lookup (r->evidence, json_object_get_string_member (row, "sha256"));

      reference_add (r, json_object_get_string_member (row, "clause"), "link", key, row);
      if (ev != NULL)
        reference_add (r, json_object_get_string_member (row, "clause"), "evidence",
                       json_object_get_string_member (row, "sha256"), ev);
    }
  else
    reference_add (r, json_object_get_string_member (row, "clause"), r->entity, key, row);
}

static GHashTable *
reference_digests (AtStore *store, const char *assessment_id)
{
  static const char * const order[] = { "finding", "measurement", "evidence", "link", "nc" };
  g_autoptr(GHashTable) by_clause = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);
  g_autoptr(GHashTable) evidence = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  GHashTable *digests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      Reference r = { by_clause, evidence, order[i], _at_records_lookup (order[i])->unsigned_columns };
      g_assert_true (_at_records_foreach (store, order[i], assessment_id, reference_row, &r, NULL));
    }
  g_hash_table_iter_init (&iter, by_clause);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), value);
      g_autofree char *text = _at_json_canonical (node);
      g_hash_table_insert (digests, g_strdup (key), at_sha256_hex (text, strlen (text)));
    }
  return digests;
}

static void
assert_digests (Fixture *f, GHashTable *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) kept = _at_clause_digests (f->store, f->assessment, &error);
  GHashTableIter iter;
  gpointer clause, digest;

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (kept), ==, g_hash_table_size (expected));
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &clause, &digest))
    {
      g_autofree char *one = _at_clause_digest (f->store, f->assessment, clause, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (g_hash_table_lookup (kept, clause), ==, digest);
      g_assert_cmpstr (one, ==, digest);
    }
}

static char *
add_file (Fixture *f, const char *text, const char * const *clauses)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "file.txt", NULL);
  char *sha;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  sha = at_evidence_add (f->store, f->assessment, path, at_identity_get_id (f->lead), clauses, NULL, NULL,
                         NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return sha;
}

static void
set_kept (Fixture *f, const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_at_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
}

static void
test_clause_digests (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  static const char * const both[] = { "1.1", "1.2", NULL };
  static const char * const second[] = { "1.2", NULL };
  const double samples[] = { 12, 14, 18 };
  AtFindingInput conform = { .verdict = AT_VERDICT_CONFORM, .note = "fine" };
  AtFindingInput measured = { .verdict = AT_VERDICT_PARTIAL, .indicator = "answer-15s", .samples = samples, .n_samples = 3 };
  AtNonconformitySpec nc = { AT_GRADE_MINOR, "Rude once.", "Train the staff.", NULL };
  const char *lead = at_identity_get_id (f->lead);
  g_autoptr(GHashTable) expected = NULL;
  g_autofree char *shared = NULL;
  g_autofree char *only = NULL;
  g_autofree char *nc_id = NULL;

  /* records of every kind the reviewer judges: findings, a measurement, a file linked to both
   * clauses, one to a single clause, a nonconformity */
  g_assert_true (at_finding_set (f->store, f->assessment, "1.1", lead, &measured, &error));
  g_assert_true (at_finding_set (f->store, f->assessment, "1.2", lead, &conform, &error));
  g_assert_no_error (error);
  shared = add_file (f, "minutes of the opening meeting", both);
  only = add_file (f, "the hotline's rota", second);
  nc_id = at_nonconformity_add (f->store, f->assessment, "1.2", lead, &nc, &error);
  g_assert_no_error (error);

  /* computed, kept, and the same as every record read at once */
  expected = reference_digests (f->store, f->assessment);
  g_assert_cmpuint (g_hash_table_size (expected), ==, 2);
  assert_digests (f, expected);

  /* kept digests are used while the audit log has not moved: a wrong one would show */
  set_kept (f, "UPDATE clause_digests SET digest = 'kept' WHERE clause = '1.1'");
  {
    g_autoptr(GHashTable) kept = _at_clause_digests (f->store, f->assessment, &error);
    g_assert_cmpstr (g_hash_table_lookup (kept, "1.1"), ==, "kept");
  }
  /* … and once it moves, only the clauses its new entries touch are digested again: a change
   * on 1.2 leaves 1.1 as kept, then the log rewritten from an entry the digests were not made
   * at digests everything again */
  conform.note = "fine, rechecked";
  g_assert_true (at_finding_set (f->store, f->assessment, "1.2", lead, &conform, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GHashTable) kept = _at_clause_digests (f->store, f->assessment, &error);
    g_autoptr(GHashTable) now = reference_digests (f->store, f->assessment);

    g_assert_cmpstr (g_hash_table_lookup (kept, "1.1"), ==, "kept");
    g_assert_cmpstr (g_hash_table_lookup (kept, "1.2"), ==, g_hash_table_lookup (now, "1.2"));
    g_assert_cmpstr (g_hash_table_lookup (now, "1.2"), !=, g_hash_table_lookup (expected, "1.2"));
  }
  set_kept (f, "UPDATE clause_digests_at SET hash = 'another log'");
  g_clear_pointer (&expected, g_hash_table_unref);
  expected = reference_digests (f->store, f->assessment);
  assert_digests (f, expected);

  /* an evidence file removed, a link added, the nonconformity's follow-up (not judged by the
   * reviewer) — each followed */
  g_assert_true (at_evidence_remove (f->store, f->assessment, only, lead, &error));
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_hash_table_unref);
  expected = reference_digests (f->store, f->assessment);
  assert_digests (f, expected);
  g_assert_true (at_nonconformity_respond (f->store, nc_id, lead, "Staff trained.", &error));
  g_assert_no_error (error);
  assert_digests (f, expected);

  /* what the recheck shows is from these digests: submitted, reviewed, unchanged */
  {
    g_autoptr(AtSigner) signer = unlock (f, f->lead);
    g_autoptr(GPtrArray) items = NULL;

    g_assert_true (at_assessment_submit (f->store, f->assessment, signer, &error));
    g_assert_no_error (error);
    at_test_agree_all (f->store, f->assessment, at_identity_get_id (f->reviewer));
    items = at_review_status (f->store, f->assessment, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < items->len; i++)
      {
        g_assert_cmpint (at_review_item_get_state (items->pdata[i]), ==, AT_REVIEW_AGREED);
        g_assert_false (at_review_item_get_changed (items->pdata[i]));
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/workflow/whole-flow", Fixture, NULL, fixture_set_up, test_whole_flow, fixture_tear_down);
  g_test_add ("/workflow/reviewer-who-recorded", Fixture, NULL, fixture_set_up, test_reviewer_who_recorded, fixture_tear_down);
  g_test_add ("/workflow/self-assessment", Fixture, NULL, fixture_set_up, test_self_assessment_no_certificate, fixture_tear_down);
  g_test_add ("/workflow/tampering", Fixture, NULL, fixture_set_up, test_tampering, fixture_tear_down);
  g_test_add ("/workflow/clause-digests", Fixture, NULL, fixture_set_up, test_clause_digests, fixture_tear_down);
  g_test_add_func ("/store/migration-from-v1", test_migration_from_v1);
  g_test_add_func ("/store/newer-schema-refused", test_newer_schema_refused);

  return g_test_run ();
}
