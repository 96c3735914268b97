/* at-cli-report.c — attest-cli report A -o OUT.pdf | report sign FILE.pdf */
#include "config.h"

#include <stdio.h>

#include "at-cli.h"
#include "at-report.h"

static int
report_write (AtCli *cli, int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *lang_name = NULL;
  g_autofree char *by = NULL;
  g_autofree char *pass_file = NULL;
  gboolean draft = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the report to OUT.pdf", "OUT.pdf" },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang_name, "zh_CN or en (default: the locale's)", "LANG" },
    { "draft", 0, 0, G_OPTION_ARG_NONE, &draft, "An unsigned preview marked DRAFT, in any state", NULL },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Sign it as this identity (the approving reviewer, or the organisation)", "ID" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;
  AtStore *store;
  AtLang lang;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (out == NULL)
    return at_cli_usage ("report needs -o OUT.pdf");
  if (draft && by != NULL)
    return at_cli_usage ("--draft makes an unsigned preview: leave out --by");

  lang = lang_name ? at_lang_parse (lang_name, &error) : at_lang_from_locale ();
  if (error != NULL || !(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);
  if (by != NULL && !(signer = at_cli_unlock (cli, by, pass_file, &error)))
    return at_cli_fail (error);
  if (!at_report_write (store, argv[1], out, lang, draft, signer, &error))
    return at_cli_fail (error);

  if (signer != NULL)
    printf ("%s: signed by %s\n", out, at_identity_get_name (at_signer_get_identity (signer)));
  else
    printf ("%s: unsigned draft\n", out);
  return AT_EXIT_OK;
}

static int
report_sign (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *pass_file = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The signer's identity (the certificate's issuer)", "ID" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;

  if (!at_cli_parse (entries, "FILE.pdf", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage ("report sign needs --by");
  if (!g_file_test (argv[1], G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (&error, AT_ERROR, AT_ERROR_INVALID, "%s: no such file", argv[1]);
      return at_cli_fail (error);
    }

  if (!(signer = at_cli_unlock (cli, by, pass_file, &error)) ||
      !at_report_sign (cli->store, argv[1], signer, &error))
    return at_cli_fail (error);
  printf ("%s: signed by %s\n", argv[1], at_identity_get_name (at_signer_get_identity (signer)));
  return AT_EXIT_OK;
}

/* argv[0] is the first word after “report”: “sign”, or the assessment. */
int
at_cli_report (AtCli *cli, int argc, char **argv)
{
  if (argc < 1)
    return at_cli_usage ("“report” needs an assessment (report A -o OUT.pdf) or “sign FILE.pdf”");
  if (g_str_equal (argv[0], "sign"))
    return report_sign (cli, argc, argv);
  /* “report A …”: the option parser wants a program name before the arguments */
  return report_write (cli, argc + 1, argv - 1);
}
