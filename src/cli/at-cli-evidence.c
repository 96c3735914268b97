/* at-cli-evidence.c — attest-cli evidence add|list|remove */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "at-cli.h"

static int
evidence_add (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *note = NULL;
  g_auto(GStrv) clauses = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Who adds it (identity id)", "ID" },
    { "clause", 0, 0, G_OPTION_ARG_STRING_ARRAY, &clauses, "A clause it supports (repeatable)", "C" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "document, photo, audio, video or other (default: guessed)", "KIND" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, "What it shows", "T" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "A FILE", &argc, &argv, 2, 2))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage (_("evidence add needs --by"));

  if (!(store = at_cli_store (cli, &error)) ||
      !(sha256 = at_evidence_add (store, argv[1], argv[2], by, (const char * const *) clauses, kind, note,
                                  NULL, NULL, NULL, &error)))
    return at_cli_fail (error);

  printf ("%s\n", sha256);
  return AT_EXIT_OK;
}

static char *
format_size (gint64 size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
}

static int
evidence_list (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) assessment = NULL;
  g_autoptr(GPtrArray) list = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  /* an unknown assessment is an error, not an empty list */
  if (!(store = at_cli_store (cli, &error)) ||
      !(assessment = at_assessment_lookup (store, argv[1], &error)) ||
      !(list = at_evidence_list (store, argv[1], &error)))
    return at_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, at_evidence_to_json (list->pdata[i]));
      json_node_set_array (root, array);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      AtEvidence *e = list->pdata[i];
      g_autofree char *size = format_size (at_evidence_get_size (e));
      g_autofree char *clauses = g_strjoinv (",", (char **) at_evidence_get_clauses (e));

      printf ("%s  %-8s %10s  %s%s%s\n", at_evidence_get_sha256 (e),
              at_evidence_kind_to_string (at_evidence_get_kind (e)), size,
              at_evidence_get_original_name (e), *clauses ? "  → " : "", clauses);
    }
  return AT_EXIT_OK;
}

static int
evidence_remove (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Who removes it (identity id)", "ID" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "A SHA256", &argc, &argv, 2, 2))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage (_("evidence remove needs --by"));

  if (!(store = at_cli_store (cli, &error)) ||
      !at_evidence_remove (store, argv[1], argv[2], by, &error))
    return at_cli_fail (error);
  return AT_EXIT_OK;
}

int
at_cli_evidence (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "add", evidence_add },
    { "list", evidence_list },
    { "remove", evidence_remove },
    { NULL }
  };
  return at_cli_dispatch (cli, "evidence", verbs, argc, argv);
}
