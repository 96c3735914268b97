/* at-cli-assessment.c — attest-cli assessment create|update|list|show|submit|reopen */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "at-cli.h"

static int
assessment_create (AtCli *cli, int argc, char **argv)
{
  g_autofree char *standard = NULL;
  g_autofree char *version = NULL;
  g_autofree char *org = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *scope = NULL;
  g_auto(GStrv) sites = NULL;
  g_autofree char *address = NULL;
  g_auto(GStrv) team = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *from_bundle = NULL;
  g_autofree char *from = NULL;
  GOptionEntry entries[] = {
    { "standard", 0, 0, G_OPTION_ARG_STRING, &standard, "Catalog code (see standards list)", "CODE" },
    { "from-bundle", 0, 0, G_OPTION_ARG_FILENAME, &from_bundle,
      "Start from an organisation's application: its submitted self-assessment bundle (document evaluation)", "FILE.attest" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Start from the previous assessment A (surveillance, re-assessment)", "A" },
    { "catalog-version", 0, 0, G_OPTION_ARG_STRING, &version, "Catalog version (default: the newest)", "V" },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, "The organisation assessed", "NAME" },
    { "lead", 0, 0, G_OPTION_ARG_STRING, &lead, "The lead assessor's identity", "ID" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "third-party (default) or self", "KIND" },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope, "Scope of the assessment", "T" },
    { "site", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sites, "A site visited (repeatable)", "T" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, "The organisation's address", "T" },
    { "team", 0, 0, G_OPTION_ARG_STRING_ARRAY, &team, "An assessor on the team besides the lead (repeatable)", "ID" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, "First day of the assessment", "YYYY-MM-DD" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end, "Last day of the assessment", "YYYY-MM-DD" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) assessment = NULL;
  AtAssessmentSpec spec = { 0 };
  AtStore *store;

  if (!at_cli_parse (entries, "", &argc, &argv, 0, 0))
    return AT_EXIT_USAGE;
  if (from_bundle != NULL && from != NULL)
    return at_cli_usage (_("--from-bundle and --from contradict each other: an assessment starts from one of them"));
  if ((from_bundle != NULL || from != NULL) && lead == NULL)
    return at_cli_usage (_("assessment create needs --lead"));
  if (from_bundle == NULL && from == NULL && (standard == NULL || org == NULL || lead == NULL))
    return at_cli_usage (_("assessment create needs --standard, --org and --lead (or --from-bundle FILE or --from A, and --lead)"));
  if (from_bundle != NULL && (standard != NULL || version != NULL || kind != NULL))
    return at_cli_usage (_("an application brings its own standard and is evaluated by a third-party assessment: "
                           "leave out --standard, --catalog-version and --kind"));

  spec.standard = standard;
  spec.version = version;
  spec.org = org;
  spec.lead = lead;
  spec.scope = scope;
  spec.sites = (const char * const *) sites;
  spec.address = address;
  spec.team = (const char * const *) team;
  spec.start_date = start;
  spec.end_date = end;
  spec.kind = kind ? at_kind_parse (kind, &error) : AT_KIND_THIRD_PARTY;
  if (error != NULL || !(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);
  if (from_bundle != NULL)
    assessment = at_assessment_create_from_bundle (store, from_bundle, &spec, NULL, NULL, NULL, &error);
  else if (from != NULL)
    assessment = at_assessment_create_from (store, from, &spec, &error);
  else
    assessment = at_assessment_create (store, &spec, &error);
  if (assessment == NULL)
    return at_cli_fail (error);

  printf ("%s\n", at_assessment_get_id (assessment));
  return AT_EXIT_OK;
}

static int
assessment_update (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *org = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *address = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_auto(GStrv) sites = NULL;
  g_auto(GStrv) team = NULL;
  gboolean no_sites = FALSE, no_team = FALSE;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Who changes it (an assessor)", "ID" },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, "The organisation assessed", "NAME" },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope, "Scope of the assessment (\"\" clears it)", "T" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, "The organisation's address (\"\" clears it)", "T" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, "First day (\"\" clears it)", "YYYY-MM-DD" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end, "Last day (\"\" clears it)", "YYYY-MM-DD" },
    { "site", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sites, "The sites visited: replace the list (repeatable)", "T" },
    { "no-sites", 0, 0, G_OPTION_ARG_NONE, &no_sites, "Clear the list of sites", NULL },
    { "team", 0, 0, G_OPTION_ARG_STRING_ARRAY, &team, "The team besides the lead: replace it (repeatable)", "ID" },
    { "no-team", 0, 0, G_OPTION_ARG_NONE, &no_team, "Clear the team", NULL },
    { NULL }
  };
  static const char * const none[] = { NULL };
  g_autoptr(GError) error = NULL;
  AtAssessmentSpec details = { 0 };

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage (_("assessment update needs --by"));
  if ((sites && no_sites) || (team && no_team))
    return at_cli_usage (_("--site and --no-sites (or --team and --no-team) contradict each other"));

  details.org = org;
  details.scope = scope;
  details.address = address;
  details.start_date = start;
  details.end_date = end;
  details.sites = no_sites ? none : (const char * const *) sites;
  details.team = no_team ? none : (const char * const *) team;
  if (!at_cli_store (cli, &error) || !at_assessment_update (cli->store, argv[1], by, &details, &error))
    return at_cli_fail (error);
  printf ("updated\n");
  return AT_EXIT_OK;
}

static int
assessment_list (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "", &argc, &argv, 0, 0))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)) || !(list = at_assessment_list (store, &error)))
    return at_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, at_assessment_to_json (list->pdata[i]));
      json_node_set_array (root, array);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      AtAssessment *a = list->pdata[i];
      printf ("%s  %-6s %-11s %-12s %s\n", at_assessment_get_id (a),
              at_catalog_get_code (at_assessment_get_catalog (a)),
              at_kind_to_string (at_assessment_get_kind (a)), at_assessment_get_state (a),
              at_assessment_get_org (a));
    }
  return AT_EXIT_OK;
}

static int
assessment_show (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(JsonNode) root = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)) || !(a = at_assessment_lookup (store, argv[1], &error)))
    return at_cli_fail (error);

  root = at_assessment_to_json_full (a, store);
  if (cli->json)
    {
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  printf (_("Assessment %s\n"), at_assessment_get_id (a));
  printf (_("  Organisation: %s\n"), at_assessment_get_org (a));
  printf (_("  Standard:     %s %s\n"), at_catalog_get_code (at_assessment_get_catalog (a)),
          at_catalog_get_version (at_assessment_get_catalog (a)));
  printf (_("  Kind:         %s\n"), at_kind_to_string (at_assessment_get_kind (a)));
  printf (_("  State:        %s\n"), at_assessment_get_state (a));
  printf (_("  Lead:         %s\n"), at_assessment_get_lead (a));
  for (guint i = 0; at_assessment_get_team (a)[i]; i++)
    printf (_("  Team:         %s\n"), at_assessment_get_team (a)[i]);
  if (at_assessment_get_address (a))
    printf (_("  Address:      %s\n"), at_assessment_get_address (a));
  if (at_assessment_get_scope (a))
    printf (_("  Scope:        %s\n"), at_assessment_get_scope (a));
  for (guint i = 0; at_assessment_get_sites (a)[i]; i++)
    printf (_("  Site:         %s\n"), at_assessment_get_sites (a)[i]);
  if (at_assessment_get_start_date (a) || at_assessment_get_end_date (a))
    printf (_("  Dates:        %s – %s\n"), at_assessment_get_start_date (a) ? at_assessment_get_start_date (a) : "?",
            at_assessment_get_end_date (a) ? at_assessment_get_end_date (a) : "?");
  return AT_EXIT_OK;
}

static int
assessment_submit (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *pass_file = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The lead assessor's identity", "ID" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage (_("assessment submit needs --by"));
  if (!(signer = at_cli_unlock (cli, by, pass_file, &error)) ||
      !at_assessment_submit (cli->store, argv[1], signer, &error))
    return at_cli_fail (error);
  printf ("submitted\n");
  return AT_EXIT_OK;
}

static int
assessment_reopen (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Who reopens it (the lead assessor or an issuer)", "ID" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why it is reopened", "T" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL || reason == NULL)
    return at_cli_usage (_("assessment reopen needs --by and --reason"));
  if (!at_cli_store (cli, &error) || !at_assessment_reopen (cli->store, argv[1], by, reason, &error))
    return at_cli_fail (error);
  printf ("reopened\n");
  return AT_EXIT_OK;
}

static int
assessment_gaps (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *total;
  JsonArray *chapters;
  AtLang lang = at_lang_from_locale ();

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!at_cli_store (cli, &error) || !(root = at_gaps_analyse (cli->store, argv[1], &error)))
    return at_cli_fail (error);
  if (cli->json)
    {
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  total = json_object_get_object_member (json_node_get_object (root), "total");
  printf (_("%u of %u clauses are gaps: %u nonconform, %u partially conform, %u not assessed\n"),
          (guint) json_object_get_int_member (total, "gaps"), (guint) json_object_get_int_member (total, "assessable"),
          (guint) json_object_get_int_member (total, "nonconform"), (guint) json_object_get_int_member (total, "partial"),
          (guint) json_object_get_int_member (total, "open"));
  chapters = json_object_get_array_member (json_node_get_object (root), "chapters");
  for (guint c = 0; c < json_array_get_length (chapters); c++)
    {
      JsonObject *ch = json_array_get_object_element (chapters, c);
      JsonArray *list = json_object_get_array_member (ch, "list");
      const char *title_key = lang == AT_LANG_EN ? "title_en" : "title_zh";

      if (json_array_get_length (list) == 0)
        continue;
      printf ("\n%s %s — %u / %u\n", json_object_get_string_member (ch, "chapter"),
              json_object_get_string_member (ch, title_key),
              (guint) json_object_get_int_member (ch, "gaps"), (guint) json_object_get_int_member (ch, "assessable"));
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *g = json_array_get_object_element (list, i);
          AtVerdict v = AT_VERDICT_OPEN;
          guint ncs = json_object_get_int_member (g, "open_ncs");

          at_verdict_parse (json_object_get_string_member (g, "verdict"), &v, NULL);
          printf ("  %-10s %-18s %s", json_object_get_string_member (g, "clause"), at_verdict_label (v),
                  json_object_get_string_member (g, title_key));
          if (ncs > 0)
            printf (g_dngettext (GETTEXT_PACKAGE, " (%u open nonconformity)", " (%u open nonconformities)", ncs), ncs);
          printf ("\n");
        }
    }
  return AT_EXIT_OK;
}

static int
assessment_assign (AtCli *cli, int argc, char **argv)
{
  g_autofree char *to = NULL;
  g_autofree char *by = NULL;
  g_auto(GStrv) clauses = NULL;
  g_auto(GStrv) chapters = NULL;
  gboolean unassign = FALSE;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "The team member who takes them", "ID" },
    { "clause", 0, 0, G_OPTION_ARG_STRING_ARRAY, &clauses, "A clause (repeatable)", "C" },
    { "chapter", 0, 0, G_OPTION_ARG_STRING_ARRAY, &chapters, "Every clause under a chapter or section (repeatable)", "N" },
    { "unassign", 0, 0, G_OPTION_ARG_NONE, &unassign, "Take the clauses back from whoever had them", NULL },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The lead assessor (default: the assessment's lead)", "ID" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = NULL;
  guint n = 0;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if ((to == NULL) == !unassign)
    return at_cli_usage (_("assessment assign needs --to ID, or --unassign"));
  if (clauses == NULL && chapters == NULL)
    return at_cli_usage (_("assessment assign needs --clause C or --chapter N"));
  if (!at_cli_store (cli, &error) || !(a = at_assessment_lookup (cli->store, argv[1], &error)) ||
      !at_assignment_set (cli->store, argv[1], by ? by : at_assessment_get_lead (a), to,
                          (const char * const *) clauses, (const char * const *) chapters, &n, &error))
    return at_cli_fail (error);
  if (unassign)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u clause taken back\n", "%u clauses taken back\n", n), n);
  else
    printf (g_dngettext (GETTEXT_PACKAGE, "%u clause assigned\n", "%u clauses assigned\n", n), n);
  return AT_EXIT_OK;
}

int
at_cli_assessment (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "create", assessment_create },
    { "update", assessment_update },
    { "list", assessment_list },
    { "show", assessment_show },
    { "gaps", assessment_gaps },
    { "assign", assessment_assign },
    { "submit", assessment_submit },
    { "reopen", assessment_reopen },
    { NULL }
  };
  return at_cli_dispatch (cli, "assessment", verbs, argc, argv);
}
