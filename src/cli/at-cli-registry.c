/* at-cli-registry.c — attest-cli registry init|publish|list|fetch|status|suspend|withdraw|restore */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>
#include <string.h>

#include "at-cli.h"

static int
registry_init (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  guint applied = 0;

  if (!at_cli_parse (entries, "", &argc, &argv, 0, 0))
    return AT_EXIT_USAGE;
  if (cli->registry_url == NULL)
    return at_cli_usage (_("registry init needs --url URL (or --registry URL)"));
  if (!at_registry_migrate (cli->registry_url, &applied, &error))
    return at_cli_fail (error);
  printf (g_dngettext (GETTEXT_PACKAGE, "registry ready: schema version %u (%u migration applied)\n",
                       "registry ready: schema version %u (%u migrations applied)\n", applied),
          at_registry_schema_version (), applied);
  return AT_EXIT_OK;
}

static gboolean
is_bundle_file (const char *arg)
{
  return g_file_test (arg, G_FILE_TEST_IS_REGULAR) && (g_str_has_suffix (arg, ".attest") || strchr (arg, '/') != NULL);
}

static int
registry_publish (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *pass_file = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Who signs the bundle (identity id; default: the lead assessor)", "ID" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;
  AtRegistry *registry;
  AtStore *store;
  gboolean ok;

  if (!at_cli_parse (entries, "A|FILE.attest", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;

  /* a bundle received from elsewhere is published as it is: it is already signed */
  if (is_bundle_file (argv[1]))
    {
      if (by != NULL)
        return at_cli_usage (_("a bundle file is published as it was signed: leave out --by"));
      if (!(registry = at_cli_registry (cli, &error)))
        return at_cli_fail (error);
      ok = at_registry_publish_file (registry, argv[1], lines, &error);
    }
  else
    {
      if (!(store = at_cli_store (cli, &error)))
        return at_cli_fail (error);
      if (by == NULL)
        {
          g_autoptr(AtAssessment) assessment = at_assessment_lookup (store, argv[1], &error);

          if (assessment == NULL)
            return at_cli_fail (error);
          by = g_strdup (at_assessment_get_lead (assessment));
        }
      /* connected before the passphrase is asked for: a wrong address is said first */
      if (!(registry = at_cli_registry (cli, &error)) ||
          !(signer = at_cli_unlock (cli, by, pass_file, &error)))
        return at_cli_fail (error);
      ok = at_registry_publish (registry, store, argv[1], signer, lines, NULL, &error);
    }
  if (!ok)
    return at_cli_fail (error);
  for (guint i = 0; i < lines->len; i++)
    printf ("%s\n", (const char *) lines->pdata[i]);
  return AT_EXIT_OK;
}

static int
registry_list (AtCli *cli, int argc, char **argv)
{
  g_autofree char *org = NULL;
  g_autofree char *state = NULL;
  GOptionEntry entries[] = {
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, "Only organisations whose name contains T", "T" },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, "approved, certified, valid, suspended, withdrawn or expired", "S" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = NULL;
  AtRegistry *registry;
  JsonArray *items;

  if (!at_cli_parse (entries, "", &argc, &argv, 0, 0))
    return AT_EXIT_USAGE;
  if (!(registry = at_cli_registry (cli, &error)) || !(list = at_registry_list (registry, org, state, &error)))
    return at_cli_fail (error);
  if (cli->json)
    {
      at_cli_print_json (list);
      return AT_EXIT_OK;
    }
  items = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      JsonNode *cert = json_object_get_member (o, "certificate");
      g_autofree char *certificate = NULL;

      if (cert != NULL && JSON_NODE_HOLDS_OBJECT (cert))
        {
          JsonObject *c = json_node_get_object (cert);
          /* Translators: a certificate in the registry list: “QCS-2026-0001 valid until 2029-12-04” */
          certificate = g_strdup_printf (_("%s %s until %s"), json_object_get_string_member (c, "number"),
                                         at_registry_status_label (json_object_get_string_member (c, "status")),
                                         json_object_get_string_member (c, "valid_until"));
        }
      printf ("%s\t%s\t%s %s\t%s\t%s\t%s\n", json_object_get_string_member (o, "id"), json_object_get_string_member (o, "org"),
              json_object_get_string_member (o, "standard"), json_object_get_string_member (o, "standard_version"),
              json_object_get_string_member (o, "state"), certificate ? certificate : "-",
              json_object_get_string_member (o, "published_at"));
    }
  return AT_EXIT_OK;
}

static int
registry_fetch (AtCli *cli, int argc, char **argv)
{
  gboolean as_copy = FALSE;
  GOptionEntry entries[] = {
    { "as-copy", 0, 0, G_OPTION_ARG_NONE, &as_copy, "Import as a new assessment, beside any revision this store has", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  AtBundleOutcome outcome = AT_BUNDLE_IMPORTED;
  AtRegistry *registry;
  AtStore *store;

  if (!at_cli_parse (entries, "ID|NUMBER", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!(registry = at_cli_registry (cli, &error)) || !(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);
  id = at_registry_fetch (registry, store, argv[1], as_copy ? AT_BUNDLE_IMPORT_AS_COPY : AT_BUNDLE_IMPORT_NONE,
                          &outcome, NULL, &error);
  if (id == NULL)
    return at_cli_fail (error);
  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "assessment_id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "outcome");
      json_builder_add_string_value (b, at_bundle_outcome_to_string (outcome));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }
  printf ("%s\n", id);
  if (outcome == AT_BUNDLE_UNCHANGED)
    {
      fprintf (stderr, "attest-cli: ");
      fprintf (stderr, _("assessment %s is already up to date: nothing imported"), id);
      fputc ('\n', stderr);
    }
  return AT_EXIT_OK;
}

static int
registry_status (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  AtRegistry *registry;
  JsonObject *o;
  JsonArray *history;
  const char *status, *reason;

  if (!at_cli_parse (entries, "NUMBER", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!(registry = at_cli_registry (cli, &error)) || !(root = at_registry_status (registry, argv[1], &error)))
    return at_cli_fail (error);
  if (cli->json)
    {
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }
  o = json_node_get_object (root);
  status = json_object_get_string_member (o, "status");
  reason = json_object_get_string_member_with_default (o, "reason", NULL);
  if (g_str_equal (status, "valid"))
    printf (_("%s: valid until %s\n"), argv[1], json_object_get_string_member (o, "valid_until"));
  else if (g_str_equal (status, "expired"))
    printf (_("%s: expired on %s\n"), argv[1], json_object_get_string_member (o, "valid_until"));
  else
    /* Translators: “QCS-2026-0001: suspended since 2026-12-04 (the hotline was closed)” */
    printf (_("%s: %s since %s (%s)\n"), argv[1], at_registry_status_label (status),
            json_object_get_string_member (o, "since"), reason ? reason : "");
  printf (_("organisation: %s — %s %s, assessment %s\n"), json_object_get_string_member_with_default (o, "org", "?"),
          json_object_get_string_member_with_default (o, "standard", "?"),
          json_object_get_string_member_with_default (o, "standard_version", ""),
          json_object_get_string_member (o, "assessment_id"));
  printf (_("issued on %s by %s, valid until %s\n"), json_object_get_string_member (o, "issued_on"),
          json_object_get_string_member_with_default (o, "issued_by_name", NULL)
            ? json_object_get_string_member (o, "issued_by_name") : json_object_get_string_member (o, "issued_by"),
          json_object_get_string_member (o, "valid_until"));
  history = json_object_get_array_member (o, "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *h = json_array_get_object_element (history, i);
      const char *to = json_object_get_string_member (h, "status");

      /* Translators: one signed status change: “2026-12-04T10:00:00Z: suspended by 钱发证 — reason (signature valid)” */
      printf (_("%s: %s by %s — %s (signature valid)\n"), json_object_get_string_member (h, "signed_at"),
              g_str_equal (to, "valid") ? C_("certificate status change", "restored") : at_registry_status_label (to),
              json_object_get_string_member (h, "signer_name"), json_object_get_string_member (h, "reason"));
    }
  return AT_EXIT_OK;
}

static int
set_status (AtCli      *cli,
            int         argc,
            char      **argv,
            const char *status)
{
  g_autofree char *by = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *pass_file = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The issuer who signs the change", "ID" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why, in a sentence (kept with the signed change)", "T" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;
  AtRegistry *registry;

  if (!at_cli_parse (entries, "NUMBER", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL || reason == NULL)
    return at_cli_usage (_("registry %s needs --by ID and --reason T"), argv[0]);
  if (!(registry = at_cli_registry (cli, &error)) ||
      !(signer = at_cli_unlock (cli, by, pass_file, &error)) ||
      !at_registry_set_status (registry, argv[1], status, reason, signer, &error))
    return at_cli_fail (error);
  printf ("%s: %s\n", argv[1], at_registry_status_label (status));
  return AT_EXIT_OK;
}

static int
registry_suspend (AtCli *cli, int argc, char **argv)
{
  return set_status (cli, argc, argv, "suspended");
}

static int
registry_withdraw (AtCli *cli, int argc, char **argv)
{
  return set_status (cli, argc, argv, "withdrawn");
}

static int
registry_restore (AtCli *cli, int argc, char **argv)
{
  return set_status (cli, argc, argv, "valid");
}

int
at_cli_registry_command (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "init", registry_init },
    { "publish", registry_publish },
    { "list", registry_list },
    { "fetch", registry_fetch },
    { "status", registry_status },
    { "suspend", registry_suspend },
    { "withdraw", registry_withdraw },
    { "restore", registry_restore },
    { NULL }
  };
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();

  /* “registry … --url URL” says what the global --registry says, for any of its commands */
  for (int i = 0; i < argc; i++)
    {
      const char *url = NULL;

      if (g_str_equal (argv[i], "--url") && i + 1 < argc)
        url = argv[++i];
      else if (g_str_has_prefix (argv[i], "--url="))
        url = argv[i] + strlen ("--url=");
      else if (g_str_equal (argv[i], "--url"))
        return at_cli_usage (_("--registry needs a PostgreSQL URL"));
      else
        g_ptr_array_add (rest, argv[i]);
      if (url != NULL)
        {
          g_free (cli->registry_url);
          cli->registry_url = g_strdup (url);
        }
    }
  g_ptr_array_add (rest, NULL);
  return at_cli_dispatch (cli, "registry", verbs, rest->len - 1, (char **) rest->pdata);
}
