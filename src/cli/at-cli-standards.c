/* at-cli-standards.c — attest-cli standards list|show|validate|import */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "at-cli.h"

static void
print_warnings (GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    fprintf (stderr, "attest-cli: warning: %s\n", (const char *) warnings->pdata[i]);
}

static void
add_text (JsonBuilder  *b,
          const char   *name,
          const AtText *text)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "zh_CN");
  json_builder_add_string_value (b, text->zh_CN);
  json_builder_set_member_name (b, "en");
  json_builder_add_string_value (b, text->en);
  json_builder_end_object (b);
}

static int
standards_list (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  AtStore *store;
  AtLang lang = at_lang_from_locale ();

  if (!at_cli_parse (entries, "", &argc, &argv, 0, 0))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)) || !(list = at_standards_list (store, &error)))
    return at_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          AtCatalog *c = list->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, at_catalog_get_code (c));
          json_builder_set_member_name (b, "version");
          json_builder_add_string_value (b, at_catalog_get_version (c));
          add_text (b, "title", at_catalog_get_title (c));
          json_builder_set_member_name (b, "clauses");
          json_builder_add_int_value (b, at_catalog_get_all_clauses (c)->len);
          json_builder_set_member_name (b, "assessable");
          json_builder_add_int_value (b, at_catalog_get_n_assessable (c));
          json_builder_set_member_name (b, "indicators");
          json_builder_add_int_value (b, at_catalog_get_n_indicators (c));
          json_builder_set_member_name (b, "origin");
          json_builder_add_string_value (b, at_standards_is_bundled (store, c) ? "bundled" : "imported");
          json_builder_set_member_name (b, "sha256");
          json_builder_add_string_value (b, at_catalog_get_sha256 (c));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      AtCatalog *c = list->pdata[i];
      printf (_("%-8s %-10s %4u clauses %4u assessable %4u indicators  %s\n"),
              at_catalog_get_code (c), at_catalog_get_version (c),
              at_catalog_get_all_clauses (c)->len, at_catalog_get_n_assessable (c),
              at_catalog_get_n_indicators (c), at_text_get (at_catalog_get_title (c), lang));
    }
  return AT_EXIT_OK;
}

static void
print_limit (const AtLimit *limit)
{
  printf ("%s %g %s", at_comparator_to_string (limit->comparator), limit->limit, limit->unit);
}

static int
standards_show (AtCli *cli, int argc, char **argv)
{
  g_autofree char *version = NULL;
  GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_STRING, &version, "Catalog version (default: the newest)", "V" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = NULL;
  AtStore *store;
  GPtrArray *all;
  AtLang lang = at_lang_from_locale ();

  if (!at_cli_parse (entries, "CODE", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)) ||
      !(catalog = at_standards_get (store, argv[1], version, &error)))
    return at_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = at_catalog_to_json (catalog);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  printf ("%s %s — %s\n%s\n\n", at_catalog_get_code (catalog), at_catalog_get_version (catalog),
          at_text_get (at_catalog_get_title (catalog), lang), at_catalog_get_source (catalog));
  all = at_catalog_get_all_clauses (catalog);
  for (guint i = 0; i < all->len; i++)
    {
      AtClause *clause = all->pdata[i];
      g_autofree char *label = at_clause_dup_label (clause, lang);

      printf ("%*s%s%s\n", (int) at_clause_get_depth (clause) * 2, "", label,
              at_clause_get_assessable (clause) ? "" : "");
      for (guint j = 0; j < at_clause_get_n_indicators (clause); j++)
        {
          const AtIndicator *ind = at_clause_get_indicator (clause, j);

          printf ("%*s  ▸ %s: ", (int) at_clause_get_depth (clause) * 2, "", at_text_get (&ind->label, lang));
          if (ind->aggregate == AT_AGG_SHARE)
            {
              printf ("%s ", _("share of samples"));
              print_limit (&ind->sample);
              printf (" ");
            }
          else if (ind->aggregate != AT_AGG_VALUE)
            printf ("%s ", at_aggregate_to_string (ind->aggregate));
          print_limit (&ind->limit);
          printf ("\n");
        }
    }
  return AT_EXIT_OK;
}

static int
standards_validate (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = NULL;

  if (!at_cli_parse (entries, "FILE", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;

  catalog = at_catalog_load_file (argv[1], warnings, &error);
  print_warnings (warnings);
  if (catalog == NULL)
    return at_cli_fail (error);

  {
    guint n = at_catalog_get_n_indicators (catalog);
    /* Translators: %u indicator(s), at the end of “FILE: valid — CODE 1.0, 6 clauses, 5 assessable, …” */
    g_autofree char *indicators = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u indicator", "%u indicators", n), n);

    printf (_("%s: valid — %s %s, %u clauses, %u assessable, %s\n"), argv[1],
            at_catalog_get_code (catalog), at_catalog_get_version (catalog),
            at_catalog_get_all_clauses (catalog)->len, at_catalog_get_n_assessable (catalog), indicators);
  }
  return AT_EXIT_OK;
}

static int
standards_import (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) catalog = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "FILE", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);

  catalog = at_standards_import (store, argv[1], warnings, &error);
  print_warnings (warnings);
  if (catalog == NULL)
    return at_cli_fail (error);

  printf ("%s %s\n", at_catalog_get_code (catalog), at_catalog_get_version (catalog));
  return AT_EXIT_OK;
}

int
at_cli_standards (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "list", standards_list },
    { "show", standards_show },
    { "validate", standards_validate },
    { "import", standards_import },
    { NULL }
  };
  return at_cli_dispatch (cli, "standards", verbs, argc, argv);
}
