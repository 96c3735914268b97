/* test-catalog.c — the catalog loader accepts the format and names every error's position */
#include "config.h"

#include "at-core.h"

static AtCatalog *
load_string (const char  *json,
             GPtrArray   *warnings,
             GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return at_catalog_load_bytes (bytes, "t.json", warnings, error);
}

static void
test_load_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "mini.json", NULL);
  g_autoptr(AtCatalog) catalog = at_catalog_load_file (path, warnings, &error);
  AtClause *clause;
  const AtIndicator *ind;

  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (at_catalog_get_code (catalog), ==, "MINI");
  g_assert_cmpuint (at_catalog_get_all_clauses (catalog)->len, ==, 3);
  g_assert_cmpuint (at_catalog_get_n_assessable (catalog), ==, 2);
  g_assert_cmpuint (at_catalog_get_n_indicators (catalog), ==, 2);
  g_assert_cmpuint (strlen (at_catalog_get_sha256 (catalog)), ==, 64);

  clause = at_catalog_lookup (catalog, "1.1");
  g_assert_nonnull (clause);
  g_assert_true (at_clause_get_assessable (clause));
  g_assert_cmpuint (at_clause_get_depth (clause), ==, 1);
  g_assert_true (at_clause_get_parent (clause) == at_catalog_lookup (catalog, "1"));
  g_assert_cmpstr (at_text_get (at_clause_get_title (clause), AT_LANG_EN), ==, "Hotline");
  g_assert_cmpstr (at_text_get (at_clause_get_title (clause), AT_LANG_ZH_CN), ==, "热线");

  ind = at_clause_find_indicator (clause, "answer-15s");
  g_assert_nonnull (ind);
  g_assert_cmpint (ind->aggregate, ==, AT_AGG_SHARE);
  g_assert_true (ind->has_sample);
  g_assert_cmpint (ind->sample.comparator, ==, AT_CMP_LE);
  g_assert_cmpfloat (ind->sample.limit, ==, 15);
  g_assert_cmpfloat (ind->limit.limit, ==, 85);

  /* a clause without a title is labelled by its text */
  {
    g_autofree char *label = at_clause_dup_label (at_catalog_lookup (catalog, "1.2"), AT_LANG_EN);
    g_assert_cmpstr (label, ==, "1.2 Polite service.");
  }
  g_assert_null (at_catalog_lookup (catalog, "9.9"));
}

typedef struct
{
  const char *name;
  const char *json;
  const char *expected; /* a fragment of the error, with its position */
} BadCase;

#define HEAD "{\"format\":\"attest-catalog/1\",\"code\":\"T\",\"title\":{\"zh_CN\":\"测\"},\"version\":\"1\",\"source\":\"s\",\n"
#define OKCLAUSE "{\"number\":\"1\",\"assessable\":true,\"text\":{\"zh_CN\":\"要求\"},\"methods\":[\"document\"]"
#define IND(extra) "{\"id\":\"a\",\"label\":{\"zh_CN\":\"x\"},\"quantity\":\"rate\",\"unit\":\"%\"," extra "}"

static const BadCase bad_cases[] = {
  { "syntax", "{\"format\": \"attest-catalog/1\",\n  \"code\": ,}", "t.json:2:" },
  { "not-object", "[1, 2]", "t.json:1:1: a catalog must be a JSON object" },
  { "format", "{\"format\":\"other/2\",\"code\":\"T\",\"title\":{\"zh_CN\":\"测\"},\"version\":\"1\",\"source\":\"s\",\"clauses\":[" OKCLAUSE "}]}",
    "t.json:1:2: unknown format “other/2”" },
  { "wrong-type", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":\"yes\",\"title\":{\"zh_CN\":\"章\"}}]}",
    "t.json:2:26: “assessable” in clause 1 must be a boolean, not a string" },
  { "missing-key", "{\"format\":\"attest-catalog/1\",\"title\":{\"zh_CN\":\"测\"},\"version\":\"1\",\"source\":\"s\",\"clauses\":[" OKCLAUSE "}]}",
    "t.json:1:1: the catalog has no “code”" },
  { "comparator", HEAD "\"clauses\":[" OKCLAUSE ",\"indicators\":[" IND ("\"comparator\":\"≈\",\"limit\":1,\"aggregate\":\"value\"") "]}]}",
    "unknown comparator “≈” in indicator “a” of clause 1" },
  { "aggregate", HEAD "\"clauses\":[" OKCLAUSE ",\"indicators\":[" IND ("\"comparator\":\">=\",\"limit\":1,\"aggregate\":\"median\"") "]}]}",
    "unknown aggregate “median”" },
  { "share-without-sample", HEAD "\"clauses\":[" OKCLAUSE ",\"indicators\":[" IND ("\"comparator\":\">=\",\"limit\":1,\"aggregate\":\"share\"") "]}]}",
    "aggregates by share and needs a “sample” limit" },
  { "duplicate-number", HEAD "\"clauses\":[" OKCLAUSE "},\n" OKCLAUSE "}]}",
    "t.json:3:2: duplicate clause number “1”" },
  { "missing-chinese", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":false,\"title\":{\"en\":\"Chapter\"}}]}",
    "t.json:2:53: “title” of clause 1 has no Chinese text (zh_CN)" },
  { "indicator-not-assessable", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":false,\"title\":{\"zh_CN\":\"章\"},\"indicators\":["
    IND ("\"comparator\":\">=\",\"limit\":1,\"aggregate\":\"value\"") "]}]}",
    "clause 1 is not assessable, so it cannot carry indicators" },
  { "child-number", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":false,\"title\":{\"zh_CN\":\"章\"},\"children\":[\n"
    "{\"number\":\"2.1\",\"assessable\":false,\"title\":{\"zh_CN\":\"节\"}}]}]}",
    "t.json:3:2: clause number “2.1” does not extend its parent's number “1”" },
  { "no-methods", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":true,\"text\":{\"zh_CN\":\"要求\"}}]}",
    "clause 1 has no “methods”" },
  { "unknown-unit", HEAD "\"clauses\":[" OKCLAUSE ",\"indicators\":[{\"id\":\"a\",\"label\":{\"zh_CN\":\"x\"},\"quantity\":\"rate\",\"unit\":\"furlong\",\"comparator\":\">=\",\"limit\":1,\"aggregate\":\"value\"}]}]}",
    "unknown unit “furlong”" },
  { "not-utf8", "{\"format\":\"\xff\"}", "t.json:1:1: the file is not UTF-8 text" },
};

static void
test_bad_case (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = load_string (c->json, NULL, &error);

  g_assert_null (catalog);
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  if (strstr (error->message, c->expected) == NULL)
    g_error ("case %s: expected “%s” in:\n%s", c->name, c->expected, error->message);
  /* every line is file:line:column: … */
  {
    g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
    g_autoptr(GRegex) re = g_regex_new ("^t\\.json:[0-9]+:[0-9]+: .+", 0, 0, NULL);
    for (guint i = 0; lines[i]; i++)
      g_assert_true (g_regex_match (re, lines[i], 0, NULL));
  }
}

static void
test_unknown_key_warns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AtCatalog) catalog = load_string (HEAD "\"colour\":\"blue\",\"clauses\":[" OKCLAUSE ",\"weight\":3}]}", warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_nonnull (strstr (warnings->pdata[0], "t.json:2:1: unknown key “colour”"));
  g_assert_nonnull (strstr (warnings->pdata[1], "unknown key “weight” in clause 1"));
}

static void
test_comparators (void)
{
  g_assert_true (at_comparator_holds (AT_CMP_GE, 95.0, 95));
  g_assert_false (at_comparator_holds (AT_CMP_GE, 94.99, 95));
  g_assert_true (at_comparator_holds (AT_CMP_LE, 15, 15));
  g_assert_false (at_comparator_holds (AT_CMP_LT, 15, 15));
  g_assert_false (at_comparator_holds (AT_CMP_GT, 15, 15));
  g_assert_true (at_comparator_holds (AT_CMP_EQ, 0.1 + 0.2, 0.3));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog/load-fixture", test_load_fixture);
  g_test_add_func ("/catalog/unknown-key-warns", test_unknown_key_warns);
  g_test_add_func ("/catalog/comparators", test_comparators);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/catalog/error/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad_case);
    }

  return g_test_run ();
}
