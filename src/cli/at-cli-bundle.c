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

/* A conflicting record's side, short: a finding's verdict and note, else the record's JSON. */
static char *
side_text (JsonObject *row)
{
  g_autoptr(JsonNode) node = NULL;

  if (row == NULL)
    return g_strdup (_("(removed)"));
  if (json_object_has_member (row, "verdict"))
    return g_strdup_printf ("%s — %s", json_object_get_string_member (row, "verdict"),
                            json_object_get_string_member_with_default (row, "note", "") ?: "");
  node = json_node_init_object (json_node_alloc (), row);
  return json_to_string (node, FALSE);
}

static int
bundle_merge (AtCli       *cli,
              AtStore     *store,
              const char  *path,
              const char  *take)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtMerge) merge = NULL;
  GPtrArray *conflicts;

  if (take != NULL && !g_str_equal (take, "mine") && !g_str_equal (take, "theirs"))
    return at_cli_usage (_("--take is mine or theirs"));
  merge = at_merge_prepare (store, path, progress_for_terminal (), (gpointer) _("reading"), NULL, &error);
  end_progress ();
  if (merge == NULL)
    return at_cli_fail (error);

  conflicts = at_merge_get_conflicts (merge);
  if (take != NULL)
    at_merge_choose_all (merge, g_str_equal (take, "mine") ? AT_MERGE_TAKE_MINE : AT_MERGE_TAKE_THEIRS);
  else if (conflicts->len > 0)
    {
      /* the lead decides: each conflict, both sides, and nothing written */
      fprintf (stderr, "attest-cli: error: ");
      fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                    "%u record was changed on both sides since the bundle left this store; nothing was merged. "
                                    "Decide with --take mine or --take theirs, or in the window:\n",
                                    "%u records were changed on both sides since the bundle left this store; nothing was merged. "
                                    "Decide with --take mine or --take theirs, or in the window:\n", conflicts->len),
               conflicts->len);
      for (guint i = 0; i < conflicts->len; i++)
        {
          AtMergeConflict *k = conflicts->pdata[i];
          g_autofree char *mine = side_text (at_merge_conflict_get_mine (k));
          g_autofree char *theirs = side_text (at_merge_conflict_get_theirs (k));

          fprintf (stderr, "  %s\n", at_merge_conflict_get_label (k));
          fprintf (stderr, _("    here:   %s (%s, %s)\n"), mine, at_merge_conflict_get_mine_name (k),
                   at_merge_conflict_get_mine_at (k) ?: "?");
          fprintf (stderr, _("    theirs: %s (%s, %s)\n"), theirs, at_merge_conflict_get_theirs_name (k),
                   at_merge_conflict_get_theirs_at (k) ?: "?");
        }
      return AT_EXIT_REFUSED;
    }
  if (!at_merge_apply (merge, NULL, &error))
    return at_cli_fail (error);

  printf ("%s\n", at_merge_get_assessment_id (merge));
  switch (at_merge_get_kind (merge))
    {
    case AT_MERGE_UNCHANGED:
      fprintf (stderr, "attest-cli: %s\n", _("this store already has everything the bundle has: nothing merged"));
      break;
    case AT_MERGE_DIVERGED:
      fprintf (stderr, "attest-cli: ");
      fprintf (stderr, _("merged the work of %s: %u record(s) taken, %u conflict(s) decided"), at_merge_get_signer_name (merge),
               at_merge_get_n_taken (merge), conflicts->len);
      fputc ('\n', stderr);
      break;
    default:
      break;
    }
  return AT_EXIT_OK;
}

static int
bundle_import (AtCli *cli, int argc, char **argv)
{
  gboolean as_copy = FALSE;
  gboolean merge = FALSE;
  g_autofree char *take = NULL;
  GOptionEntry entries[] = {
    { "as-copy", 0, 0, G_OPTION_ARG_NONE, &as_copy, "Import as a new assessment, beside any revision this store has", NULL },
    { "merge", 0, 0, G_OPTION_ARG_NONE, &merge, "Merge a team member's work on the same assessment, record by record", NULL },
    { "take", 0, 0, G_OPTION_ARG_STRING, &take, "With --merge: decide every conflict for this store's record or the bundle's", "mine|theirs" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  AtBundleOutcome outcome = AT_BUNDLE_IMPORTED;
  AtStore *store;

  if (!at_cli_parse (entries, "FILE.attest", &argc, &argv, 1, 1))
    return AT_EXIT_USAGE;
  if (merge && as_copy)
    return at_cli_usage (_("--merge and --as-copy contradict each other"));
  if (take != NULL && !merge)
    return at_cli_usage (_("--take goes with --merge"));
  if (!(store = at_cli_store (cli, &error)))
    return at_cli_fail (error);
  if (merge)
    return bundle_merge (cli, store, argv[1], take);

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
