/* test-catalog.c — the catalog loader accepts the format and names every error's exact position */
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

/* The cases mark the place an error must point at with “⟦”: this takes the marks out and
 * returns where each one was, as “t.json:LINE:COLUMN:” with the column in characters. */
#define MARK "⟦"

static char *
unmark (const char  *marked,
        GPtrArray   *places)
{
  GString *text = g_string_new (NULL);
  const char *p = marked, *next;

  while ((next = strstr (p, MARK)) != NULL)
    {
      const char *line_start;
      guint line = 1;

      g_string_append_len (text, p, next - p);
      for (const char *q = text->str; *q; q++)
        if (*q == '\n')
          line++;
      line_start = strrchr (text->str, '\n');
      line_start = line_start ? line_start + 1 : text->str;
      g_ptr_array_add (places, g_strdup_printf ("t.json:%u:%ld:", line,
                                                g_utf8_strlen (line_start, -1) + 1));
      p = next + strlen (MARK);
    }
  g_string_append (text, p);
  return g_string_free (text, FALSE);
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
  g_assert_cmpstrv (at_clause_get_methods (clause), ((const char *[]) { "document", "demonstration", NULL }));

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

/* Every bundled catalog loads without a warning, and QCS has the shape the product relies on. */
static void
test_bundled_catalogs (void)
{
  static const char * const names[] = { "qcs.json", "opcs.json", "cucs.json", "cthl.json", "cmcs.json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "templates", names[i], NULL);
      g_autoptr(AtCatalog) catalog = at_catalog_load_file (path, warnings, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (warnings->len, ==, 0);
      if (i == 0)
        {
          AtClause *clause = at_catalog_lookup (catalog, "7.4.2.2");
          const AtIndicator *ind = at_clause_find_indicator (clause, "manual-answer-15s");

          g_assert_cmpuint (at_catalog_get_all_clauses (catalog)->len, ==, 199);
          g_assert_nonnull (ind);
          g_assert_cmpint (ind->aggregate, ==, AT_AGG_SHARE);
          g_assert_cmpfloat (ind->limit.limit, ==, 85);
          g_assert_cmpfloat (ind->sample.limit, ==, 15);
          g_assert_cmpuint (at_clause_get_n_indicators (at_catalog_lookup (catalog, "5.3.2.2")), ==, 3);
          g_assert_false (at_clause_get_assessable (at_catalog_lookup (catalog, "11.3")));
        }
      if (i == 3)
        g_assert_cmpuint (g_strv_length ((GStrv) at_catalog_get_wordlist (catalog, "forbidden-phrases")), ==, 46);
    }
}

typedef struct
{
  const char *name;
  const char *json;     /* with ⟦ where the error must point */
  const char *expected; /* the rest of the line: the error after its position */
} BadCase;

#define HEAD "{\"format\":\"attest-catalog/1\",\"code\":\"T\",\"title\":{\"zh_CN\":\"测\"},\"version\":\"1\",\"source\":\"s\",\n"
#define OKCLAUSE "{\"number\":\"1\",\"assessable\":true,\"text\":{\"zh_CN\":\"要求\"},\"methods\":[\"document\"]"
#define IND_START "{\"id\":\"a\",\"label\":{\"zh_CN\":\"x\"},"
#define IND(extra) IND_START "\"quantity\":\"rate\",\"unit\":\"%\"," extra "}"
#define GOOD_LIMIT "\"comparator\":\">=\",\"limit\":1,\"aggregate\":\"value\""
#define WITH_IND(ind) HEAD "\"clauses\":[" OKCLAUSE ",\n\"indicators\":[" ind "]}]}"
#define SAMPLE "\"sample\":{\"quantity\":\"duration\",\"unit\":\"s\",\"comparator\":\"<=\",\"limit\":15}"

static const BadCase bad_cases[] = {
  /* not JSON, or not JSON that every tool reads the same way */
  { "syntax", "{\"format\": \"attest-catalog/1\",\n  \"code\": ⟦,}", "invalid JSON: “,” where a value was expected" },
  { "unclosed-string", "{\"format\": \"attest-catalog/1,⟦\n  \"code\": 1}",
    "invalid JSON: a control character (U+000A) inside a string; write it as an escape such as \\n or \\t" },
  { "eof", "{\"format\": \"attest-catalog/1\",\n  \"code\": [1, 2⟦", "invalid JSON: expected “,” or “]” after an element, found the end of the file" },
  { "trailing-comma", HEAD "\"clauses\":[" OKCLAUSE "}⟦,]}", "invalid JSON: a comma before “]” (JSON allows no trailing comma)" },
  { "single-quotes", HEAD "\"clauses\":[{\"number\":⟦'1'}]}", "invalid JSON: strings need double quotes (\"…\"), not single quotes" },
  { "hex-number", WITH_IND (IND ("\"comparator\":\">=\",\"limit\":⟦0x5f,\"aggregate\":\"value\"")),
    "invalid JSON: “0x” is not a number (JSON numbers are decimal, e.g. 95 or 0.5)" },
  { "leading-zero", WITH_IND (IND ("\"comparator\":\">=\",\"limit\":⟦095,\"aggregate\":\"value\"")),
    "invalid JSON: a number may not start with 0 (write 5, not 05)" },
  { "bad-escape", HEAD "\"clauses\":[{\"number\":\"1\",\"title\":{\"zh_CN\":\"a⟦\\x\"}}]}",
    "invalid JSON: unknown escape “\\” followed by “x” in a string" },
  { "comment", HEAD "⟦// clauses\n\"clauses\":[]}", "invalid JSON: JSON has no comments" },
  { "after-the-end", HEAD "\"clauses\":[" OKCLAUSE "}]}\n⟦{}", "invalid JSON: more text after the end of the catalog (a JSON file holds one value)" },
  { "not-utf8", "{\"format\":\"attest-catalog/1\",\n\"code\":\"T⟦\xff\"}",
    "the file is not UTF-8 text (byte 0xFF cannot start or continue a character here)" },
  { "duplicate-key", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":false,\"title\":{\"zh_CN\":\"a\"},\n  ⟦\"assessable\":false}]}",
    "duplicate key “assessable” in the same object" },
  { "not-object", "\n  ⟦[1, 2]", "a catalog must be a JSON object" },

  /* the top level */
  { "format", "{⟦\"format\":\"other/2\",\"code\":\"T\",\"title\":{\"zh_CN\":\"测\"},\"version\":\"1\",\"source\":\"s\",\"clauses\":[" OKCLAUSE "}]}",
    "unknown format “other/2” (expected “attest-catalog/1”)" },
  { "missing-key", "⟦{\"format\":\"attest-catalog/1\",\"title\":{\"zh_CN\":\"测\"},\"version\":\"1\",\"source\":\"s\",\"clauses\":[" OKCLAUSE "}]}",
    "the catalog has no “code”" },
  { "bad-code", "{\"format\":\"attest-catalog/1\",⟦\"code\":\"q c s\",\"title\":{\"zh_CN\":\"测\"},\"version\":\"1\",\"source\":\"s\",\"clauses\":[" OKCLAUSE "}]}",
    "catalog code “q c s” may hold only A–Z, 0–9, “.”, “_” and “-”" },
  { "empty-version", "{\"format\":\"attest-catalog/1\",\"code\":\"T\",\"title\":{\"zh_CN\":\"测\"},⟦\"version\":\"\",\"source\":\"s\",\"clauses\":[" OKCLAUSE "}]}",
    "“version” in the catalog is empty" },
  { "no-clauses", HEAD "⟦\"clauses\":[]}", "the catalog has no clauses" },
  { "missing-chinese-top", "{\"format\":\"attest-catalog/1\",\"code\":\"T\",\"title\":⟦{\"en\":\"Test\"},\"version\":\"1\",\"source\":\"s\",\"clauses\":[" OKCLAUSE "}]}",
    "“title” of the catalog has no Chinese text (zh_CN)" },

  /* clauses */
  { "wrong-type", HEAD "\"clauses\":[{\"number\":\"1\",⟦\"assessable\":\"yes\",\"title\":{\"zh_CN\":\"章\"}}]}",
    "“assessable” in clause 1 must be a boolean, not a string" },
  { "not-a-clause", HEAD "\"clauses\":[" OKCLAUSE "}, ⟦\"1.2\"]}", "a clause must be an object, not a string" },
  { "duplicate-number", HEAD "\"clauses\":[" OKCLAUSE "},\n{⟦\"number\":\"1\",\"assessable\":true,\"text\":{\"zh_CN\":\"要求\"},\"methods\":[\"document\"]}]}",
    "duplicate clause number “1”" },
  { "bad-number", HEAD "\"clauses\":[{⟦\"number\":\"第一章\",\"assessable\":false,\"title\":{\"zh_CN\":\"章\"}}]}",
    "clause number “第一章” is not of the form 7.4.2.2, 4.a or A.1" },
  { "child-number", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":false,\"title\":{\"zh_CN\":\"章\"},\"children\":[\n"
    "{⟦\"number\":\"2.1\",\"assessable\":false,\"title\":{\"zh_CN\":\"节\"}}]}]}",
    "clause number “2.1” does not extend its parent's number “1”" },
  { "missing-chinese", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":false,\"title\":⟦{\"en\":\"Chapter\"}}]}",
    "“title” of clause 1 has no Chinese text (zh_CN)" },
  { "heading-without-words", HEAD "\"clauses\":[⟦{\"number\":\"1\",\"assessable\":false}]}",
    "clause 1 has neither a “title” nor a “text”" },
  { "no-text", HEAD "\"clauses\":[⟦{\"number\":\"1\",\"assessable\":true,\"methods\":[\"document\"]}]}",
    "assessable clause 1 has no requirement “text”" },
  { "no-methods", HEAD "\"clauses\":[⟦{\"number\":\"1\",\"assessable\":true,\"text\":{\"zh_CN\":\"要求\"}}]}",
    "clause 1 has no “methods”" },
  { "empty-methods", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":true,\"text\":{\"zh_CN\":\"要求\"},⟦\"methods\":[]}]}",
    "assessable clause 1 lists no assessment method" },
  { "unknown-method", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":true,\"text\":{\"zh_CN\":\"要求\"},\n  \"methods\":[\"document\", ⟦\"smell\"]}]}",
    "unknown method “smell” in clause 1 (expected document, observation, interview or demonstration)" },
  { "duplicate-method", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":true,\"text\":{\"zh_CN\":\"要求\"},\"methods\":[\"document\",⟦\"document\"]}]}",
    "method “document” is listed twice in clause 1" },
  /* columns count characters: the Chinese before the error is three columns, not nine bytes */
  { "columns-in-characters", HEAD "\"clauses\":[{\"number\":\"1\",\"title\":{\"zh_CN\":\"第一章\"},⟦\"assessable\":1}]}",
    "“assessable” in clause 1 must be a boolean, not a number" },

  /* indicators */
  { "comparator", WITH_IND (IND ("⟦\"comparator\":\"≈\",\"limit\":1,\"aggregate\":\"value\"")),
    "unknown comparator “≈” in indicator “a” of clause 1 (expected one of: >=, <=, >, <, =)" },
  { "aggregate", WITH_IND (IND ("\"comparator\":\">=\",\"limit\":1,⟦\"aggregate\":\"median\"")),
    "unknown aggregate “median” in indicator “a” of clause 1 (expected one of: value, each, mean, share)" },
  { "quantity", WITH_IND (IND_START "⟦\"quantity\":\"weight\",\"unit\":\"%\"," GOOD_LIMIT "}"),
    "unknown quantity “weight” in indicator “a” of clause 1" },
  { "unknown-unit", WITH_IND (IND_START "\"quantity\":\"rate\",⟦\"unit\":\"furlong\"," GOOD_LIMIT "}"),
    "unknown unit “furlong” in indicator “a” of clause 1" },
  { "unit-of-another-quantity", WITH_IND (IND_START "\"quantity\":\"duration\",⟦\"unit\":\"%\"," GOOD_LIMIT "}"),
    "unit “%” does not measure a duration in indicator “a” of clause 1 (expected one of: s, min, h, d, wd, month, year)" },
  { "limit-not-a-number", WITH_IND (IND ("\"comparator\":\">=\",⟦\"limit\":\"95\",\"aggregate\":\"value\"")),
    "“limit” in indicator “a” of clause 1 must be a number, not a string" },
  { "negative-limit", WITH_IND (IND_START "\"quantity\":\"duration\",\"unit\":\"h\",\"comparator\":\"<=\",⟦\"limit\":-4,\"aggregate\":\"each\"}"),
    "the limit -4 in indicator “a” of clause 1 is negative" },
  { "percentage-over-100", WITH_IND (IND ("\"comparator\":\">=\",⟦\"limit\":101,\"aggregate\":\"value\"")),
    "the limit 101 % in indicator “a” of clause 1 is over 100 %" },
  { "missing-limit", WITH_IND ("⟦" IND ("\"comparator\":\">=\",\"aggregate\":\"value\"")), "indicator “a” of clause 1 has no “limit”" },
  { "bad-id", WITH_IND ("{⟦\"id\":\"A B\",\"label\":{\"zh_CN\":\"x\"},\"quantity\":\"rate\",\"unit\":\"%\"," GOOD_LIMIT "}"),
    "indicator id “A B” may hold only a–z, 0–9 and “-”" },
  { "duplicate-indicator", WITH_IND (IND (GOOD_LIMIT) ",\n{⟦\"id\":\"a\",\"label\":{\"zh_CN\":\"y\"},\"quantity\":\"rate\",\"unit\":\"%\"," GOOD_LIMIT "}"),
    "duplicate indicator id “a” in clause 1" },
  { "share-without-sample", WITH_IND ("⟦" IND ("\"comparator\":\">=\",\"limit\":85,\"aggregate\":\"share\"")),
    "indicator “a” of clause 1 aggregates by share and needs a “sample” limit" },
  { "share-not-a-rate", WITH_IND (IND_START "⟦\"quantity\":\"count\",\"unit\":\"times\",\"comparator\":\">=\",\"limit\":85,\"aggregate\":\"share\"," SAMPLE "}"),
    "indicator “a” of clause 1 aggregates by share, so its quantity must be “rate”" },
  { "sample-without-share", WITH_IND (IND ("\"comparator\":\">=\",\"limit\":85,\"aggregate\":\"each\",⟦" SAMPLE)),
    "indicator “a” of clause 1 has a “sample” limit, which only a “share” aggregate uses" },
  { "bad-sample", WITH_IND (IND ("\"comparator\":\">=\",\"limit\":85,\"aggregate\":\"share\","
                                 "\"sample\":{\"quantity\":\"duration\",\"unit\":\"s\",⟦\"comparator\":\"~\",\"limit\":15}")),
    "unknown comparator “~” in the sample limit of indicator “a” of clause 1" },
  { "indicator-not-assessable", HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":false,\"title\":{\"zh_CN\":\"章\"},⟦\"indicators\":["
    IND (GOOD_LIMIT) "]}]}",
    "clause 1 is not assessable, so it cannot carry indicators" },

  /* wordlists */
  { "wordlist-unknown-clause", HEAD "\"clauses\":[" OKCLAUSE "}],\n\"wordlists\":[{\"id\":\"w\",\"title\":{\"zh_CN\":\"词\"},⟦\"clause\":\"9\",\"items\":[\"a\"]}]}",
    "wordlist “w” names unknown clause “9”" },
  { "duplicate-wordlist", HEAD "\"clauses\":[" OKCLAUSE "}],\n\"wordlists\":[{\"id\":\"w\",\"title\":{\"zh_CN\":\"词\"},\"clause\":\"1\",\"items\":[\"a\"]},\n"
    "{⟦\"id\":\"w\",\"title\":{\"zh_CN\":\"词\"},\"clause\":\"1\",\"items\":[\"b\"]}]}",
    "duplicate wordlist id “w”" },
  { "wordlist-no-items", HEAD "\"clauses\":[" OKCLAUSE "}],\n\"wordlists\":[{\"id\":\"w\",\"title\":{\"zh_CN\":\"词\"},\"clause\":\"1\",⟦\"items\":[]}]}",
    "wordlist “w” has no items" },
  { "wordlist-item-not-string", HEAD "\"clauses\":[" OKCLAUSE "}],\n\"wordlists\":[{\"id\":\"w\",\"title\":{\"zh_CN\":\"词\"},\"clause\":\"1\",\"items\":[\"a\", ⟦7]}]}",
    "wordlist items must be strings, not a number" },
  { "wordlist-empty-item", HEAD "\"clauses\":[" OKCLAUSE "}],\n\"wordlists\":[{\"id\":\"w\",\"title\":{\"zh_CN\":\"词\"},\"clause\":\"1\",\"items\":[⟦\"\"]}]}",
    "item 1 of wordlist “w” is empty" },
};

static void
test_bad_case (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *json = unmark (c->json, places);
  g_autofree char *expected = NULL;
  g_autoptr(AtCatalog) catalog = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) re = g_regex_new ("^t\\.json:[0-9]+:[0-9]+: .+", 0, 0, NULL);
  gboolean found = FALSE;

  catalog = load_string (json, NULL, &error);
  g_assert_null (catalog);
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);

  g_assert_cmpuint (places->len, ==, 1);
  expected = g_strdup_printf ("%s %s", (const char *) places->pdata[0], c->expected);
  lines = g_strsplit (error->message, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      /* every line is file:line:column: … */
      if (!g_regex_match (re, lines[i], 0, NULL))
        g_error ("case %s: not file:line:column: %s", c->name, lines[i]);
      if (g_str_has_prefix (lines[i], expected))
        found = TRUE;
    }
  if (!found)
    g_error ("case %s: expected the line\n  %s\nin:\n%s", c->name, expected, error->message);
}

/* Which case could not fail: the position a case names must be the one reported, not any. */
static void
test_positions_are_checked (void)
{
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *json = unmark (HEAD "\"clauses\":[⟦{\"number\":\"1\",⟦\"assessable\":\"no\"}]}", places);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = load_string (json, NULL, &error);

  g_assert_null (catalog);
  g_assert_cmpuint (places->len, ==, 2);
  g_assert_cmpstr (places->pdata[0], ==, "t.json:2:12:");
  g_assert_cmpstr (places->pdata[1], ==, "t.json:2:26:");
  g_assert_nonnull (strstr (error->message, "t.json:2:26: “assessable” in clause 1 must be a boolean"));
  g_assert_null (strstr (error->message, "t.json:2:12: “assessable”"));
}

static void
test_every_error_at_once (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = load_string (HEAD "\"clauses\":[{\"number\":\"1\",\"assessable\":true,\"methods\":[\"smell\"]},\n"
                                              "{\"number\":\"1\",\"assessable\":false,\"title\":{\"en\":\"x\"}}]}", NULL, &error);
  g_auto(GStrv) lines = NULL;

  g_assert_null (catalog);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
}

static void
test_nesting_is_capped (void)
{
  g_autoptr(GString) deep = g_string_new (HEAD "\"clauses\":[" OKCLAUSE "}],\"x\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  catalog = load_string (deep->str, NULL, &error);
  g_assert_null (catalog);
  g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "invalid JSON: nested more than 200 levels deep"));
}

static void
test_byte_order_mark (void)
{
  const char *text = "\xEF\xBB\xBF" HEAD "\"clauses\":[" OKCLAUSE "}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = load_string (text, NULL, &error);
  g_autoptr(AtCatalog) bad = NULL;
  g_autofree char *sha = at_sha256_hex (text, strlen (text));

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  /* the hash is over the file as it is, mark included */
  g_assert_cmpstr (at_catalog_get_sha256 (catalog), ==, sha);
  /* positions count from after the mark */
  bad = load_string ("\xEF\xBB\xBF{\"format\":1}", NULL, &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "t.json:1:2: “format” in the catalog must be a string"));
}

static void
test_unknown_key_warns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *json = unmark (HEAD "⟦\"colour\":\"blue\",\"clauses\":[" OKCLAUSE ",⟦\"weight\":3,\n"
                                  "\"title\":{\"zh_CN\":\"题\",⟦\"fr\":\"titre\"},\"indicators\":[{\"id\":\"a\",\"label\":{\"zh_CN\":\"x\"},"
                                  "\"quantity\":\"rate\",\"unit\":\"%\",\"comparator\":\">=\",\"limit\":85,\"aggregate\":\"share\",⟦\"note\":1,\n"
                                  "\"sample\":{\"quantity\":\"duration\",\"unit\":\"s\",\"comparator\":\"<=\",\"limit\":15,⟦\"tolerance\":1}}]}],\n"
                                  "\"wordlists\":[{\"id\":\"w\",\"title\":{\"zh_CN\":\"词\"},\"clause\":\"1\",\"items\":[\"a\"],⟦\"lang\":\"zh\"}]}",
                                  places);
  g_autoptr(AtCatalog) catalog = load_string (json, warnings, &error);
  static const char * const expected[] = {
    "unknown key “colour” in the catalog is ignored",
    "unknown key “weight” in clause 1 is ignored",
    "unknown key “fr” in “title” of clause 1 is ignored",
    "unknown key “note” in indicator “a” of clause 1 is ignored",
    "unknown key “tolerance” in the sample limit of indicator “a” of clause 1 is ignored",
    "unknown key “lang” in a wordlist is ignored",
  };

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  g_assert_cmpuint (at_clause_get_n_indicators (at_catalog_lookup (catalog, "1")), ==, 1);
  g_assert_cmpuint (warnings->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (places->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *line = g_strdup_printf ("%s %s", (const char *) places->pdata[i], expected[i]);
      if (!g_ptr_array_find_with_equal_func (warnings, line, g_str_equal, NULL))
        {
          g_autofree char *all = NULL;
          g_ptr_array_add (warnings, NULL);
          all = g_strjoinv ("\n", (char **) warnings->pdata);
          g_error ("expected the warning\n  %s\nin:\n%s", line, all);
        }
    }
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
  g_test_add_func ("/catalog/bundled", test_bundled_catalogs);
  g_test_add_func ("/catalog/unknown-key-warns", test_unknown_key_warns);
  g_test_add_func ("/catalog/comparators", test_comparators);
  g_test_add_func ("/catalog/positions-are-checked", test_positions_are_checked);
  g_test_add_func ("/catalog/every-error-at-once", test_every_error_at_once);
  g_test_add_func ("/catalog/nesting-is-capped", test_nesting_is_capped);
  g_test_add_func ("/catalog/byte-order-mark", test_byte_order_mark);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/catalog/error/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad_case);
    }

  return g_test_run ();
}
