/* at-cli-nc.c — attest-cli nc add|respond|attach|verify|list|show: nonconformities and the
 * follow-up desk (every open one across the assessments, the overdue first) */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>
#include <time.h>

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
  g_auto(GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The organisation's (or an assessor's) identity", "ID" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, "The corrective action taken", "T" },
    { "evidence", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, "A file that shows it (repeatable)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "NC", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL || text == NULL)
    return at_cli_usage (_("nc respond needs --by and --text"));

  if (!(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);
  /* the files first: a response is recorded only with everything it refers to */
  for (guint i = 0; files && files[i]; i++)
    {
      g_autofree char *sha = at_nonconformity_add_evidence (store, argv[1], files[i], by, NULL, NULL, NULL, &error);
      if (sha == NULL)
        return at_cli_fail (error);
    }
  if (!at_nonconformity_respond (store, argv[1], by, text, &error))
    return at_cli_fail (error);
  return AT_EXIT_OK;
}

static int
nc_attach (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *note = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The organisation's (or an assessor's) identity", "ID" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "document, photo, audio, video or other (default: guessed)", "K" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, "What the file shows", "T" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "NC FILE", &argc, &argv, 2, 2))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage (_("nc attach needs --by"));
  if (!(store = at_cli_store (cli, &error)) ||
      !(sha = at_nonconformity_add_evidence (store, argv[1], argv[2], by, kind, note, NULL, &error)))
    return at_cli_fail (error);
  printf ("%s\n", sha);
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

static void
print_nc_line (AtStore         *store,
               AtNonconformity *nc,
               gboolean         with_org,
               GDate           *today)
{
  const char *due = at_nonconformity_get_due (nc);

  if (with_org)
    {
      g_autoptr(AtAssessment) a = at_assessment_lookup (store, at_nonconformity_get_assessment_id (nc), NULL);
      printf ("%-6s %s  %-11s %-9s %-10s %-10s%s  %s — %s\n", at_nonconformity_get_label (nc), at_nonconformity_get_id (nc),
              at_grade_to_string (at_nonconformity_get_grade (nc)),
              at_nc_status_to_string (at_nonconformity_get_status (nc)),
              at_nonconformity_get_clause (nc), due ? due : "-",
              at_nonconformity_is_overdue (nc, today) ? _(" OVERDUE") : "",
              a ? at_assessment_get_org (a) : "?", at_nonconformity_get_text (nc));
    }
  else
    printf ("%-6s %s  %-11s %-9s %-10s %s\n", at_nonconformity_get_label (nc), at_nonconformity_get_id (nc),
            at_grade_to_string (at_nonconformity_get_grade (nc)),
            at_nc_status_to_string (at_nonconformity_get_status (nc)),
            at_nonconformity_get_clause (nc), at_nonconformity_get_text (nc));
}

static int
nc_list (AtCli *cli, int argc, char **argv)
{
  gboolean open_only = FALSE, overdue = FALSE;
  g_autofree char *today_text = NULL;
  GOptionEntry entries[] = {
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_only, "Only those not closed (across assessments without A)", NULL },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, "Only those past their due date and not closed", NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text, "The date overdue is judged on (default: today)", "YYYY-MM-DD" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gboolean across;
  AtStore *store;
  GDate today;

  if (!at_cli_parse (entries, "[A]", &argc, &argv, 0, 1))
    return AT_EXIT_USAGE;
  across = argc == 1;
  if (across && !open_only && !overdue)
    return at_cli_usage (_("nc list needs an assessment, or --open (or --overdue) for every assessment"));

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  if (today_text != NULL && !at_due_date_parse (today_text, &today, &error))
    return at_cli_fail (error);

  if (!(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);
  if (across)
    list = at_nonconformity_list_open (store, overdue, &today, &error);
  else if ((list = at_nonconformity_list (store, argv[1], &error)) != NULL)
    for (guint i = list->len; i-- > 0;)
      {
        AtNonconformity *nc = list->pdata[i];
        if ((open_only && at_nonconformity_get_status (nc) == AT_NC_CLOSED) ||
            (overdue && !at_nonconformity_is_overdue (nc, &today)))
          g_ptr_array_remove_index (list, i);
      }
  if (list == NULL)
    return at_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        {
          AtNonconformity *nc = list->pdata[i];
          JsonNode *node = at_nonconformity_to_json (nc);
          JsonObject *o = json_node_get_object (node);
          g_autoptr(AtAssessment) a = at_assessment_lookup (store, at_nonconformity_get_assessment_id (nc), NULL);

          json_object_set_string_member (o, "assessment_id", at_nonconformity_get_assessment_id (nc));
          json_object_set_string_member (o, "org", a ? at_assessment_get_org (a) : NULL);
          json_object_set_boolean_member (o, "overdue", at_nonconformity_is_overdue (nc, &today));
          json_array_add_element (array, node);
        }
      json_node_set_array (root, array);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    print_nc_line (store, list->pdata[i], across, &today);
  return AT_EXIT_OK;
}

static int
nc_show (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtNonconformity) nc = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *history;
  AtStore *store;

  if (!at_cli_parse (entries, "NC", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)) || !(nc = at_nonconformity_lookup (store, argv[1], &error)))
    return at_cli_fail (error);
  node = at_nonconformity_to_json_full (nc, store);
  if (cli->json)
    {
      at_cli_print_json (node);
      return AT_EXIT_OK;
    }

  printf ("%s  %s  %s  %s\n", at_nonconformity_get_label (nc), at_nonconformity_get_clause (nc),
          at_grade_to_string (at_nonconformity_get_grade (nc)), at_nc_status_to_string (at_nonconformity_get_status (nc)));
  printf ("%s\n%s\n", at_nonconformity_get_text (nc), at_nonconformity_get_suggestion (nc));
  history = json_object_get_array_member (json_node_get_object (node), "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *e = json_array_get_object_element (history, i);
      const char *text = json_object_get_string_member_with_default (e, "text", NULL);
      const char *name = json_object_get_string_member_with_default (e, "name", NULL);

      printf ("  %s  %-8s %s%s%s\n", json_object_get_string_member (e, "at"), json_object_get_string_member (e, "action"),
              json_object_get_string_member_with_default (e, "by", ""),
              text || name ? "  " : "", text ? text : name ? name : "");
    }
  return AT_EXIT_OK;
}

int
at_cli_nc (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "add", nc_add },
    { "respond", nc_respond },
    { "attach", nc_attach },
    { "show", nc_show },
    { "verify", nc_verify },
    { "list", nc_list },
    { NULL }
  };
  return at_cli_dispatch (cli, "nc", verbs, argc, argv);
}
