/* at-cli-bundle.c — attest-cli bundle export|import */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>
#include <unistd.h>

#include "at-cli.h"

/* A percentage on a terminal; nothing when stderr is a file or a pipe (scripts, tests). */
static void
show_progress (guint64  done,
               guint64  total,
               gpointer user_data)
{
  const char *what = user_data;

  if (total > 0)
    fprintf (stderr, "\r%s… %3u %%", what, (guint) (done * 100 / total));
}

static AtProgressFunc
progress_for_terminal (void)
{
  return isatty (STDERR_FILENO) ? show_progress : NULL;
}

static void
end_progress (void)
{
  if (isatty (STDERR_FILENO))
    fputs ("\r\033[K", stderr);
}

static int
bundle_export (AtCli *cli, int argc, char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *by = NULL;
  g_autofree char *pass_file = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The bundle to write", "FILE.attest" },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "Who exports and signs it (identity id; default: the lead assessor)", "ID" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &pass_file, "Read the passphrase from F", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;
  AtStore *store;
  gboolean by_lead;
  gboolean ok;

  if (!at_cli_parse (entries, "A", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  by_lead = by == NULL;
  if (out == NULL)
    return at_cli_usage (_("bundle export needs -o FILE.attest"));

  if (!(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);
  /* The contract's form is “bundle export A -o FILE”: whoever leads the assessment answers for
   * its records, so they sign unless someone else is named. */
  if (by == NULL)
    {
      g_autoptr(AtAssessment) assessment = at_assessment_lookup (store, argv[1], &error);

      if (assessment == NULL)
        return at_cli_fail (error);
      by = g_strdup (at_assessment_get_lead (assessment));
    }
  if (!(signer = at_cli_unlock (cli, by, pass_file, &error)))
    {
      if (by_lead)
        g_prefix_error (&error, _("the bundle is signed by the lead assessor unless --by names someone else: "));
      return at_cli_fail (error);
    }

  ok = at_bundle_export (store, argv[1], out, signer, progress_for_terminal (), (gpointer) _("exporting"), NULL, &error);
  end_progress ();
  if (!ok)
    return at_cli_fail (error);
  return AT_EXIT_OK;
}

static int
bundle_import (AtCli *cli, int argc, char **argv)
{
  gboolean as_copy = FALSE;
  GOptionEntry entries[] = {
    { "as-copy", 0, 0, G_OPTION_ARG_NONE, &as_copy, "Import as a new assessment, beside any revision this store has", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  AtBundleOutcome outcome = AT_BUNDLE_IMPORTED;
  AtStore *store;

  if (!at_cli_parse (entries, "FILE.attest", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (!(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);

  id = at_bundle_import (store, argv[1], as_copy ? AT_BUNDLE_IMPORT_AS_COPY : AT_BUNDLE_IMPORT_NONE,
                         &outcome, progress_for_terminal (), (gpointer) _("importing"), NULL, &error);
  end_progress ();
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
  switch (outcome)
    {
    case AT_BUNDLE_UNCHANGED:
      fprintf (stderr, "attest-cli: ");
      fprintf (stderr, _("assessment %s is already up to date: nothing imported"), id);
      fputc ('\n', stderr);
      break;
    case AT_BUNDLE_UPDATED:
      fprintf (stderr, "attest-cli: ");
      fprintf (stderr, _("assessment %s updated to the bundle's later revision"), id);
      fputc ('\n', stderr);
      break;
    case AT_BUNDLE_COPIED:
      fprintf (stderr, "attest-cli: ");
      fprintf (stderr, _("imported as a copy, the new assessment %s"), id);
      fputc ('\n', stderr);
      break;
    case AT_BUNDLE_IMPORTED:
    default:
      break;
    }
  return AT_EXIT_OK;
}

int
at_cli_bundle (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "export", bundle_export },
    { "import", bundle_import },
    { NULL }
  };
  return at_cli_dispatch (cli, "bundle", verbs, argc, argv);
}
