/* fuzz-catalog.c — libFuzzer target for the catalog loader
 *
 * Catalogs are an open format people write by hand and import (`standards import FILE`), so
 * at_catalog_load_bytes reads text from anyone. An answer is a catalog or a sentence naming the
 * place; a catalog that loads must also survive everything the program does with one: every
 * clause's labels, every indicator evaluated, the JSON `standards show` prints, and loading
 * that JSON again (it is the same format).
 */
#include "config.h"

#include <stdint.h>

#include "fuzz-glib.h"
#include "at-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* a g_return_if_fail or a warning reached from an input is a finding too */
  fuzz_glib_init ();
  return 0;
}

static void
exercise_indicator (const AtIndicator *ind)
{
  static const double samples[] = { 0, 1, 14.5, 15, 85, 100 };
  AtIndicatorResult r;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  at_indicator_evaluate (ind, TRUE, 50, samples, G_N_ELEMENTS (samples), &r);
  at_indicator_result_to_json (ind, &r, b);
  node = json_builder_get_root (b);
  g_assert (node != NULL);
  at_indicator_evaluate (ind, FALSE, 0, NULL, 0, &r);
  g_assert (!r.measured);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = at_catalog_load_bytes (bytes, "fuzz.json", warnings, &error);
  GPtrArray *all;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autoptr(AtCatalog) again = NULL;
  g_autoptr(GBytes) again_bytes = NULL;
  g_autofree char *text = NULL;
  gsize text_len = 0;

  /* refused or not, an answer is a catalog or a sentence that says where */
  g_assert ((catalog != NULL) != (error != NULL));
  if (error != NULL)
    {
      g_assert (error->message != NULL && g_str_has_prefix (error->message, "fuzz.json"));
      return 0;
    }

  g_assert (at_catalog_get_code (catalog) != NULL);
  g_assert (at_catalog_get_version (catalog) != NULL);
  all = at_catalog_get_all_clauses (catalog);
  for (guint i = 0; i < all->len; i++)
    {
      AtClause *clause = all->pdata[i];
      g_autofree char *zh = at_clause_dup_label (clause, AT_LANG_ZH_CN);
      g_autofree char *en = at_clause_dup_label (clause, AT_LANG_EN);

      g_assert (zh != NULL && en != NULL && g_utf8_validate (zh, -1, NULL) && g_utf8_validate (en, -1, NULL));

      g_assert (at_catalog_lookup (catalog, at_clause_get_number (clause)) == clause);
      for (guint j = 0; j < at_clause_get_n_indicators (clause); j++)
        {
          const AtIndicator *ind = at_clause_get_indicator (clause, j);

          g_assert (at_clause_find_indicator (clause, ind->id) == ind);
          exercise_indicator (ind);
        }
    }

  /* what `standards show --json` prints loads again as the same catalog */
  shown = at_catalog_to_json (catalog);
  gen = json_generator_new ();
  json_generator_set_root (gen, shown);
  text = json_generator_to_data (gen, &text_len);
  again_bytes = g_bytes_new_take (g_steal_pointer (&text), text_len);
  again = at_catalog_load_bytes (again_bytes, "fuzz.json", NULL, &error);
  if (again == NULL)
    g_error ("the catalog's own JSON does not load again: %s", error->message);
  g_assert_cmpstr (at_catalog_get_code (again), ==, at_catalog_get_code (catalog));
  g_assert_cmpuint (at_catalog_get_n_assessable (again), ==, at_catalog_get_n_assessable (catalog));
  g_assert_cmpuint (at_catalog_get_n_indicators (again), ==, at_catalog_get_n_indicators (catalog));
  return 0;
}
