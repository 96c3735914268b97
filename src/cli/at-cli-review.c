/* at-cli-review.c — attest-cli review: the recheck clause by clause, and its decision
 *
 *   review A --by ID --approve|--return --conclusion T      the signed decision of a round
 *   review comment A CLAUSE… --by ID --agree|--query [--text T]
 *   review answer A CLAUSE --by ID --text T                  the assessors' answer to a query
 *   review status A                                          per clause, with --json
 */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "at-cli.h"

static int
review_decide (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *conclusion = NULL;
  g_autofree char *pass_file = NULL;
  gboolean approve = FALSE, ret = FALSE;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The reviewer's identity", "ID" },
    { "approve", 0, 0, G_OPTION_ARG_NONE, &approve, "Approve the assessment", NULL },
    { "return", 0, 0, G_OPTION_ARG_NONE, &ret, "Return it to the assessors for rework", NULL },
    { "conclusion", 0, 0, G_OPTION_ARG_STRING, &conclusion, "The recheck conclusion", "T" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL || approve == ret)
    return at_cli_usage (_("review needs --by and exactly one of --approve or --return"));
  if (conclusion == NULL)
    return at_cli_usage (_("review needs --conclusion"));

  if (!(signer = at_cli_unlock (cli, by, pass_file, &error)) ||
      !at_assessment_review (cli->store, argv[1], signer, approve, conclusion, &error))
    return at_cli_fail (error);
  printf ("%s\n", approve ? "approved" : "returned");
  return AT_EXIT_OK;
}

static int
review_comment (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *text = NULL;
  gboolean agree = FALSE, query = FALSE;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The reviewer's identity", "ID" },
    { "agree", 0, 0, G_OPTION_ARG_NONE, &agree, "The finding and its evidence hold", NULL },
    { "query", 0, 0, G_OPTION_ARG_NONE, &query, "Send a question back to the assessors", NULL },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, "The comment (a query needs one)", "T" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (!at_cli_parse (entries, "A CLAUSE…", &argc, &argv, 2, G_MAXINT))
    return AT_EXIT_USAGE;
  if (by == NULL || agree == query)
    return at_cli_usage (_("review comment needs --by and exactly one of --agree or --query"));

  /* every clause is checked before any is marked, so a mistyped number marks none */
  if (!at_cli_store (cli, &error) ||
      !(items = at_review_status (cli->store, argv[1], NULL, &error)))
    return at_cli_fail (error);
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(AtReviewItem) item = at_review_status_for (cli->store, argv[1], argv[i], &error);
      if (item == NULL)
        return at_cli_fail (error);
    }
  for (int i = 2; i < argc; i++)
    if (!at_review_comment (cli->store, argv[1], argv[i], by, agree ? AT_REVIEW_AGREED : AT_REVIEW_QUERIED, text, &error))
      return at_cli_fail (error);
  return AT_EXIT_OK;
}

static int
review_answer (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *text = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The assessor answering", "ID" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, "The answer", "T" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!at_cli_parse (entries, "A CLAUSE", &argc, &argv, 2, 2))
    return AT_EXIT_USAGE;
  if (by == NULL || text == NULL)
    return at_cli_usage (_("review answer needs --by and --text"));
  if (!at_cli_store (cli, &error) ||
      !at_review_answer (cli->store, argv[1], argv[2], by, text, &error))
    return at_cli_fail (error);
  return AT_EXIT_OK;
}

static JsonNode *
status_to_json (AtStore          *store,
                const char       *assessment_id,
                GPtrArray        *items,
                AtReviewProgress *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "round");
  json_builder_add_int_value (b, p->round);
  json_builder_set_member_name (b, "assessable");
  json_builder_add_int_value (b, p->assessable);
  json_builder_set_member_name (b, "reviewed");
  json_builder_add_int_value (b, p->reviewed);
  json_builder_set_member_name (b, "agreed");
  json_builder_add_int_value (b, p->agreed);
  json_builder_set_member_name (b, "queried");
  json_builder_add_int_value (b, p->queried);
  json_builder_set_member_name (b, "changed");
  json_builder_add_int_value (b, p->changed);
  json_builder_set_member_name (b, "awaiting_answer");
  json_builder_add_int_value (b, p->awaiting);
  json_builder_set_member_name (b, "clauses");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      AtReviewItem *item = items->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clause");
      json_builder_add_string_value (b, at_review_item_get_clause (item));
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, at_review_state_to_string (at_review_item_get_state (item)));
      json_builder_set_member_name (b, "round");
      if (at_review_item_get_round (item) > 0)
        json_builder_add_int_value (b, at_review_item_get_round (item));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "carried");
      json_builder_add_boolean_value (b, at_review_item_get_carried (item));
      json_builder_set_member_name (b, "changed");
      json_builder_add_boolean_value (b, at_review_item_get_changed (item));
      json_builder_set_member_name (b, "awaiting_answer");
      json_builder_add_boolean_value (b, at_review_item_get_awaiting_answer (item));
      /* what the assessors changed since the round the clause was last reviewed in */
      json_builder_set_member_name (b, "changes");
      json_builder_begin_array (b);
      if (at_review_item_get_changed (item) && at_review_item_get_history (item) != NULL)
        {
          JsonArray *h = at_review_item_get_history (item);
          guint last = (guint) json_object_get_int_member (json_array_get_object_element (h, json_array_get_length (h) - 1), "round");
          g_autoptr(GPtrArray) lines = at_review_changes (store, assessment_id, at_review_item_get_clause (item), last, NULL);

          for (guint k = 0; lines && k < lines->len; k++)
            json_builder_add_string_value (b, lines->pdata[k]);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "comments");
      json_builder_add_value (b, json_node_init_array (json_node_alloc (), at_review_item_get_history (item)));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
review_status (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  AtReviewProgress p;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!at_cli_store (cli, &error) ||
      !(items = at_review_status (cli->store, argv[1], &p, &error)))
    return at_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = status_to_json (cli->store, argv[1], items, &p);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  if (p.round == 0)
    printf (_("not submitted yet: the recheck starts with the first submission\n"));
  else
    printf (_("round %u: %u / %u reviewed, %u agreed, %u queried, %u changed since their last review, %u awaiting an answer\n"),
            p.round, p.reviewed, p.assessable, p.agreed, p.queried, p.changed, p.awaiting);
  for (guint i = 0; i < items->len; i++)
    {
      AtReviewItem *item = items->pdata[i];
      const char *comment = at_review_item_get_comment (item);
      const char *answer = at_review_item_get_answer (item);

      if (at_review_item_get_state (item) == AT_REVIEW_UNREVIEWED && comment == NULL)
        continue;
      printf ("%-10s %-10s%s%s%s%s%s\n", at_review_item_get_clause (item),
              at_review_state_to_string (at_review_item_get_state (item)),
              at_review_item_get_changed (item) ? _(" (changed)") : "",
              comment ? "  " : "", comment ? comment : "",
              answer ? "  → " : "", answer ? answer : "");
    }
  return AT_EXIT_OK;
}

int
at_cli_review (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "comment", review_comment },
    { "answer", review_answer },
    { "status", review_status },
    { NULL }
  };

  /* “review A --approve …” (the decision) stands beside the verbs “review comment A …” */
  if (argc >= 2)
    for (guint i = 0; verbs[i].name; i++)
      if (g_str_equal (argv[1], verbs[i].name))
        return verbs[i].run (cli, argc - 1, argv + 1);
  return review_decide (cli, argc, argv);
}
