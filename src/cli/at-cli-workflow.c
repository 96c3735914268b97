/* at-cli-workflow.c — attest-cli certificate issue, audit verify, settings; unlocking keys */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>
#include <stdlib.h>

#include "at-cli.h"

AtSigner *
at_cli_unlock (AtCli       *cli,
               const char  *identity,
               const char  *pass_file,
               GError     **error)
{
  g_autofree char *passphrase = NULL;
  AtStore *store;

  if (!(store = at_cli_store (cli, error)))
    return NULL;
  /* an unknown identity is named before asking for a passphrase */
  {
    g_autoptr(AtIdentity) who = at_identity_lookup (store, identity, error);
    if (who == NULL)
      return NULL;
  }
  if (!(passphrase = at_cli_passphrase (pass_file, error)))
    return NULL;
  return at_signer_unlock (store, identity, passphrase, error);
}

static int
certificate_issue (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *pass_file = NULL;
  int years = G_MININT;   /* not given */
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The issuer's identity", "ID" },
    { "valid-years", 0, 0, G_OPTION_ARG_INT, &years, "Validity in years (default: the setting certificate.valid-years, or 3)", "N" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;
  g_autofree char *number = NULL;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage (_("certificate issue needs --by"));
  /* checked before the passphrase is asked for; an explicit 0 is not "the default" */
  if (years != G_MININT && (years < 1 || years > 10))
    {
      g_set_error (&error, AT_ERROR, AT_ERROR_INVALID, _("--valid-years must be 1 to 10, not %d"), years);
      return at_cli_fail (error);
    }

  if (!(signer = at_cli_unlock (cli, by, pass_file, &error)))
    return at_cli_fail (error);
  if (years == G_MININT)
    {
      g_autofree char *setting = at_settings_get (cli->store, "certificate.valid-years", "3");
      years = atoi (setting);
    }
  if (years < 0)
    years = 0;
  /* with a registry, the registry gives the number: two issuers never give the same one */
  if (cli->registry_url != NULL)
    {
      AtRegistry *registry = at_cli_registry (cli, &error);

      if (registry == NULL ||
          !(number = at_registry_certificate_issue (registry, cli->store, argv[1], signer, (guint) years, &error)))
        return at_cli_fail (error);
    }
  else if (!(number = at_certificate_issue (cli->store, argv[1], signer, (guint) years, &error)))
    return at_cli_fail (error);
  printf ("%s\n", number);
  return AT_EXIT_OK;
}

int
at_cli_certificate (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "issue", certificate_issue },
    { NULL }
  };
  return at_cli_dispatch (cli, "certificate", verbs, argc, argv);
}

static int
audit_verify (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) signoffs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AtAssessment) a = NULL;
  gboolean signoffs_ok;
  guint n = 0;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!at_cli_store (cli, &error) ||
      !(a = at_assessment_lookup (cli->store, argv[1], &error)) ||
      !at_audit_verify (cli->store, argv[1], problems, &n, &error))
    return at_cli_fail (error);
  signoffs_ok = at_signoffs_verify (cli->store, argv[1], signoffs, &error);
  if (error != NULL)
    return at_cli_fail (error);

  for (guint i = 0; i < signoffs->len; i++)
    printf (_("sign-off: %s\n"), (const char *) signoffs->pdata[i]);
  if (problems->len == 0 && signoffs_ok)
    {
      printf (_("audit trail intact: %u entries, every record matches the log\n"), n);
      return AT_EXIT_OK;
    }
  for (guint i = 0; i < problems->len; i++)
    fprintf (stderr, "attest-cli: error: %s\n", (const char *) problems->pdata[i]);
  if (!signoffs_ok)
    fprintf (stderr, "attest-cli: error: %s\n", _("a sign-off does not verify"));
  return AT_EXIT_INVALID;
}

int
at_cli_audit (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "verify", audit_verify },
    { NULL }
  };
  return at_cli_dispatch (cli, "audit", verbs, argc, argv);
}

static int
settings_get (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (!at_cli_parse (entries, "KEY", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!at_cli_store (cli, &error))
    return at_cli_fail (error);
  value = at_settings_get (cli->store, argv[1], "");
  printf ("%s\n", value);
  return AT_EXIT_OK;
}

static int
settings_set (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;

  if (!at_cli_parse (entries, "KEY VALUE", &argc, &argv, 2, 2))
    return AT_EXIT_USAGE;
  if (!at_cli_store (cli, &error) || !at_settings_set (cli->store, argv[1], argv[2], &error))
    return at_cli_fail (error);
  return AT_EXIT_OK;
}

int
at_cli_settings (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "get", settings_get },
    { "set", settings_set },
    { NULL }
  };
  return at_cli_dispatch (cli, "settings", verbs, argc, argv);
}
