/* at-cli-nc.c — attest-cli nc add|respond|verify|list */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "at-cli.h"

static int
nc_add (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *grade = NULL;
  g_autofree char *text = NULL;
  g_autofree char *suggestion = NULL;
  g_autofree char *due = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The assessor raising it", "ID" },
    { "grade", 0, 0, G_OPTION_ARG_STRING, &grade, "major, minor or observation", "G" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, "What was found", "T" },
    { "suggestion", 0, 0, G_OPTION_ARG_STRING, &suggestion, "The rectification suggested", "T" },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, "When it is to be rectified", "YYYY-MM-DD" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  AtNonconformitySpec spec = { 0 };
  AtStore *store;

  if (!at_cli_parse (entries, "A CLAUSE", &argc, &argv, 2, 2))
    return AT_EXIT_USAGE;
  if (by == NULL || grade == NULL || text == NULL || suggestion == NULL)
    return at_cli_usage (_("nc add needs --by, --grade, --text and --suggestion"));

  if (!at_grade_parse (grade, &spec.grade, &error))
    return at_cli_fail (error);
  spec.text = text;
  spec.suggestion = suggestion;
  spec.due = due;
  if (!(store = at_cli_store (cli, &error)) ||
      !(id = at_nonconformity_add (store, argv[1], argv[2], by, &spec, &error)))
    return at_cli_fail (error);

  printf ("%s\n", id);
  return AT_EXIT_OK;
}

static int
nc_respond (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *text = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The organisation's (or an assessor's) identity", "ID" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, "The corrective action taken", "T" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "NC", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL || text == NULL)
    return at_cli_usage (_("nc respond needs --by and --text"));

  if (!(store = at_cli_store (cli, &error)) ||
      !at_nonconformity_respond (store, argv[1], by, text, &error))
    return at_cli_fail (error);
  return AT_EXIT_OK;
}

static int
nc_verify (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  gboolean close = FALSE;
  gboolean reopen = FALSE;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The verifying assessor", "ID" },
    { "close", 0, 0, G_OPTION_ARG_NONE, &close, "The corrective action is effective: close it", NULL },
    { "reopen", 0, 0, G_OPTION_ARG_NONE, &reopen, "It is not: open it again", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "NC", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage (_("nc verify needs --by"));
  if (close == reopen)
    return at_cli_usage (_("nc verify needs exactly one of --close and --reopen"));

  if (!(store = at_cli_store (cli, &error)) ||
      !at_nonconformity_verify (store, argv[1], by, close, &error))
    return at_cli_fail (error);
  return AT_EXIT_OK;
}

static int
nc_list (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)) || !(list = at_nonconformity_list (store, argv[1], &error)))
    return at_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, at_nonconformity_to_json (list->pdata[i]));
      json_node_set_array (root, array);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      AtNonconformity *nc = list->pdata[i];
      printf ("%-6s %s  %-11s %-9s %-10s %s\n", at_nonconformity_get_label (nc), at_nonconformity_get_id (nc),
              at_grade_to_string (at_nonconformity_get_grade (nc)),
              at_nc_status_to_string (at_nonconformity_get_status (nc)),
              at_nonconformity_get_clause (nc), at_nonconformity_get_text (nc));
    }
  return AT_EXIT_OK;
}

int
at_cli_nc (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "add", nc_add },
    { "respond", nc_respond },
    { "verify", nc_verify },
    { "list", nc_list },
    { NULL }
  };
  return at_cli_dispatch (cli, "nc", verbs, argc, argv);
}
