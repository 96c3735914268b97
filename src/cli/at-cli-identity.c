/* at-cli-identity.c — attest-cli identity create|import|list */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "at-cli.h"

static int
identity_create (AtCli *cli, int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *org = NULL;
  g_autofree char *pass_file = NULL;
  g_auto(GStrv) roles = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The person's name", "N" },
    { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &roles, "assessor, reviewer, issuer or organisation", "R" },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, "Organisation", "O" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtIdentity) identity = NULL;
  g_autofree char *passphrase = NULL;
  AtStore *store;
  AtRoles parsed;

  if (!at_cli_parse (entries, "", &argc, &argv, 0, 0))
    return AT_EXIT_USAGE;
  if (name == NULL)
    return at_cli_usage (_("identity create needs --name"));
  if (roles == NULL)
    return at_cli_usage (_("identity create needs at least one --role"));

  parsed = at_roles_parse ((const char * const *) roles, &error);
  if (parsed == 0 ||
      !(passphrase = at_cli_passphrase (pass_file, &error)) ||
      !(store = at_cli_store (cli, &error)) ||
      !(identity = at_identity_create (store, name, parsed, org, passphrase, &error)))
    return at_cli_fail (error);

  printf ("%s\n", at_identity_get_id (identity));
  return AT_EXIT_OK;
}

static int
identity_import (AtCli *cli, int argc, char **argv)
{
  g_autofree char *pass_file = NULL;
  g_auto(GStrv) roles = NULL;
  GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &roles, "assessor, reviewer, issuer or organisation (default: assessor)", "R" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtIdentity) identity = NULL;
  g_autofree char *passphrase = NULL;
  AtStore *store;
  AtRoles parsed = 0;

  if (!at_cli_parse (entries, "FILE.p12", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;

  if ((roles != NULL && (parsed = at_roles_parse ((const char * const *) roles, &error)) == 0) ||
      !(passphrase = at_cli_passphrase (pass_file, &error)) ||
      !(store = at_cli_store (cli, &error)) ||
      !(identity = at_identity_import (store, argv[1], parsed, passphrase, &error)))
    return at_cli_fail (error);

  printf ("%s\n", at_identity_get_id (identity));
  return AT_EXIT_OK;
}

static int
identity_list (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "", &argc, &argv, 0, 0))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)) || !(list = at_identity_list (store, &error)))
    return at_cli_fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          AtIdentity *id = list->pdata[i];
          g_autofree char *roles = at_roles_to_string (at_identity_get_roles (id));
          g_auto(GStrv) role_list = g_strsplit (roles, ",", -1);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, at_identity_get_id (id));
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, at_identity_get_name (id));
          json_builder_set_member_name (b, "org");
          json_builder_add_string_value (b, at_identity_get_org (id));
          json_builder_set_member_name (b, "roles");
          json_builder_begin_array (b);
          for (guint j = 0; role_list[j]; j++)
            json_builder_add_string_value (b, role_list[j]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      at_cli_print_json (root);
      return AT_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      AtIdentity *id = list->pdata[i];
      g_autofree char *roles = at_roles_to_string (at_identity_get_roles (id));

      printf ("%s  %-24s %-30s %s\n", at_identity_get_id (id), at_identity_get_name (id), roles,
              at_identity_get_org (id) ? at_identity_get_org (id) : "");
    }
  return AT_EXIT_OK;
}

int
at_cli_identity (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "create", identity_create },
    { "import", identity_import },
    { "list", identity_list },
    { NULL }
  };
  return at_cli_dispatch (cli, "identity", verbs, argc, argv);
}
