/* at-cli-report.c — attest-cli report A -o OUT.pdf | report sign FILE.pdf | verify FILE */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include <stdio.h>
#include <string.h>

#include "at-bundle.h"
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
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Sign it as this identity (default: the approving reviewer and then the issuer, or the organisation)", "ID" },
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
    return at_cli_usage (_("report needs -o OUT.pdf"));
  if (draft && by != NULL)
    return at_cli_usage (_("--draft makes an unsigned preview: leave out --by"));

  lang = lang_name ? at_lang_parse (lang_name, &error) : at_lang_from_locale ();
  if (error != NULL || !(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);
  if (by != NULL && !(signer = at_cli_unlock (cli, by, pass_file, &error)))
    return at_cli_fail (error);

  if (by == NULL && !draft)
    {
      g_autoptr(GPtrArray) signers = at_report_default_signers (store, argv[1], &error);
      g_autoptr(GPtrArray) unlocked = g_ptr_array_new_with_free_func (g_object_unref);

      if (signers == NULL)
        return at_cli_fail (error);
      /* nobody to sign yet, or no passphrase at hand: the unsigned preview, and a word on it */
      if (signers->len > 0 && pass_file == NULL && g_getenv ("ATTEST_PASSPHRASE") == NULL)
        {
          g_printerr ("attest-cli: warning: %s\n",
                      _("no passphrase given (--passphrase-file or ATTEST_PASSPHRASE): the report is an unsigned draft"));
          g_ptr_array_set_size (signers, 0);
        }
      for (guint i = 0; i < signers->len; i++)
        {
          AtSigner *s = at_cli_unlock (cli, signers->pdata[i], pass_file, &error);
          if (s == NULL)
            return at_cli_fail (error);
          g_ptr_array_add (unlocked, s);
        }
      if (!at_report_write (store, argv[1], out, lang, FALSE, unlocked->len ? unlocked->pdata[0] : NULL, &error))
        return at_cli_fail (error);
      for (guint i = 1; i < unlocked->len; i++)
        if (!at_report_sign (store, out, unlocked->pdata[i], &error))
          return at_cli_fail (error);
      for (guint i = 0; i < unlocked->len; i++)
        printf (_("%s: signed by %s\n"), out, at_identity_get_name (at_signer_get_identity (unlocked->pdata[i])));
      if (unlocked->len == 0)
        printf (_("%s: unsigned draft\n"), out);
      return AT_EXIT_OK;
    }

  if (!at_report_write (store, argv[1], out, lang, draft, signer, &error))
    return at_cli_fail (error);
  if (signer != NULL)
    printf (_("%s: signed by %s\n"), out, at_identity_get_name (at_signer_get_identity (signer)));
  else
    printf (_("%s: unsigned draft\n"), out);
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
    return at_cli_usage (_("report sign needs --by"));
  if (!g_file_test (argv[1], G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (&error, AT_ERROR, AT_ERROR_INVALID, _("%s: no such file"), argv[1]);
      return at_cli_fail (error);
    }

  if (!(signer = at_cli_unlock (cli, by, pass_file, &error)) ||
      !at_report_sign (cli->store, argv[1], signer, &error))
    return at_cli_fail (error);
  printf (_("%s: signed by %s\n"), argv[1], at_identity_get_name (at_signer_get_identity (signer)));
  return AT_EXIT_OK;
}

/* argv[0] is the first word after “report”: “sign”, or the assessment. */
int
at_cli_report (AtCli *cli, int argc, char **argv)
{
  if (argc < 1)
    return at_cli_usage (_("“report” needs an assessment (report A -o OUT.pdf) or “sign FILE.pdf”"));
  if (g_str_equal (argv[0], "sign"))
    return report_sign (cli, argc, argv);
  /* “report A …”: the option parser wants a program name before the arguments */
  return report_write (cli, argc + 1, argv - 1);
}

/* ------------------------------------------------------------------------------------------ */
/* verify FILE.pdf | FILE.attest                                                               */

typedef enum
{
  VERIFY_UNKNOWN,
  VERIFY_REPORT,
  VERIFY_BUNDLE,
} VerifyKind;

/* What the file is, by its first bytes — a renamed file is still checked as what it is —
 * and by its name only when it is too short to tell. */
static VerifyKind
verify_kind (const char *path)
{
  static const guchar zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  guchar head[8] = { 0 };
  gsize got = 0;

  if (in != NULL)
    g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &got, NULL, NULL);
  if (got >= 5 && memcmp (head, "%PDF-", 5) == 0)
    return VERIFY_REPORT;
  if (got >= 4 && memcmp (head, zstd_magic, 4) == 0)
    return VERIFY_BUNDLE;
  if (g_str_has_suffix (path, ".pdf") || g_str_has_suffix (path, ".PDF"))
    return VERIFY_REPORT;
  if (g_str_has_suffix (path, ".attest"))
    return VERIFY_BUNDLE;
  return VERIFY_UNKNOWN;
}

static void
print_verify_json (const char *path,
                   VerifyKind  kind,
                   GPtrArray  *lines,
                   GError     *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind == VERIFY_REPORT ? "report" : "bundle");
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, error == NULL);
  json_builder_set_member_name (b, "checks");
  json_builder_begin_array (b);
  for (guint i = 0; i < lines->len; i++)
    json_builder_add_string_value (b, lines->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "error");
  if (error != NULL)
    json_builder_add_string_value (b, error->message);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  at_cli_print_json (root);
}

/* With --registry: whether the certificate the report carries is still valid there. A
 * certificate no longer valid fails the check, as a broken signature would. */
static gboolean
registry_check (AtCli       *cli,
                const char  *path,
                GPtrArray   *lines,
                GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *number = at_report_certificate_number (path, &local);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;
  AtRegistry *registry;
  JsonObject *o;
  const char *status;

  if (number == NULL && g_error_matches (local, AT_ERROR, AT_ERROR_NOT_FOUND))
    {
      g_ptr_array_add (lines, g_strdup (_("registry: the report carries no certificate number, so there is nothing to look up")));
      return TRUE;
    }
  if (number == NULL ||
      !(registry = at_cli_registry (cli, &local)) ||
      !(root = at_registry_status (registry, number, &local)))
    {
      line = g_strdup_printf (_("registry: the certificate's status could not be checked: %s"), local->message);
      g_ptr_array_add (lines, g_strdup (line));
      g_set_error_literal (error, AT_ERROR, AT_ERROR_INVALID, line);
      return FALSE;
    }
  o = json_node_get_object (root);
  status = json_object_get_string_member (o, "status");
  if (g_str_equal (status, "valid"))
    {
      g_ptr_array_add (lines, g_strdup_printf (_("registry: certificate %s is valid (issued on %s, valid until %s)"), number,
                                               json_object_get_string_member (o, "issued_on"),
                                               json_object_get_string_member (o, "valid_until")));
      return TRUE;
    }
  if (g_str_equal (status, "expired"))
    line = g_strdup_printf (_("registry: certificate %s is no longer valid: it expired on %s"), number,
                            json_object_get_string_member (o, "valid_until"));
  else
    /* Translators: “registry: certificate QCS-2026-0001 is no longer valid: suspended since 2026-12-04 (reason)” */
    line = g_strdup_printf (_("registry: certificate %s is no longer valid: %s since %s (%s)"), number,
                            at_registry_status_label (status), json_object_get_string_member (o, "since"),
                            json_object_get_string_member_with_default (o, "reason", ""));
  g_ptr_array_add (lines, g_strdup (line));
  g_set_error_literal (error, AT_ERROR, AT_ERROR_INVALID, line);
  return FALSE;
}

/* “verify FILE”: a signed report (every signature, the QR code's digest, and the records
 * when this data directory holds the assessment) or a bundle. One line per check on stdout;
 * any failed check is exit 2, whatever kind of error the core names it. */
int
at_cli_verify (AtCli *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  const char *path;
  VerifyKind kind;
  gboolean ok;

  if (!at_cli_parse (entries, "FILE.pdf|FILE.attest", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  /* --json carries the checks' sentences as values for programs: the same in every locale */
  if (cli->json)
    setlocale (LC_MESSAGES, "C");
  path = argv[1];
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (&error, AT_ERROR, AT_ERROR_INVALID, _("%s: no such file"), path);
      at_cli_fail (error);
      return AT_EXIT_INVALID;
    }
  kind = verify_kind (path);
  if (kind == VERIFY_UNKNOWN)
    {
      g_set_error (&error, AT_ERROR, AT_ERROR_INVALID,
                   _("%s is neither a PDF report nor an Attest bundle (.attest): nothing to verify"), path);
      at_cli_fail (error);
      return AT_EXIT_INVALID;
    }

  if (kind == VERIFY_REPORT)
    {
      /* a report is checked on its own too: without a store the records are not compared */
      AtStore *store = at_cli_store (cli, &store_error);

      if (store == NULL)
        g_ptr_array_add (lines, g_strdup_printf (_("The data directory could not be opened (%s): the report was checked "
                                                 "on its own."), store_error->message));
      ok = at_report_verify (store, path, lines, &error);
      if (cli->registry_url != NULL)
        ok = registry_check (cli, path, lines, ok ? &error : NULL) && ok;
    }
  else
    ok = at_bundle_verify (path, lines, &error);
  /* the core's lines name the problems too; an error without a line still gets one */
  if (!ok && error == NULL)
    g_set_error (&error, AT_ERROR, AT_ERROR_INVALID, _("%s did not verify"), path);

  if (cli->json)
    print_verify_json (path, kind, lines, error);
  else
    for (guint i = 0; i < lines->len; i++)
      printf ("%s\n", (const char *) lines->pdata[i]);
  fflush (stdout);
  if (!ok)
    {
      at_cli_fail (error);
      return AT_EXIT_INVALID;
    }
  return AT_EXIT_OK;
}
