/* at-cli-finding.c — attest-cli finding set */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>

#include "at-cli.h"

static int
finding_set (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *note = NULL;
  g_autofree char *value = NULL;
  g_autofree char *indicator = NULL;
  g_auto(GStrv) methods = NULL;
  g_auto(GStrv) samples = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The identity recording the finding", "ID" },
    { "verdict", 0, 0, G_OPTION_ARG_STRING, &verdict, "conform, partial, nonconform, na or open", "V" },
    { "method", 0, 0, G_OPTION_ARG_STRING_ARRAY, &methods,
      "document, observation, interview or demonstration (repeatable; replaces the recorded methods)", "M" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, "A note (replaces the recorded note; \"\" clears it)", "T" },
    { "value", 0, 0, G_OPTION_ARG_STRING, &value, "The measured value of the clause's value indicator", "N" },
    { "sample", 0, 0, G_OPTION_ARG_STRING_ARRAY, &samples,
      "One measured sample (repeatable; replaces the recorded samples)", "N" },
    { "indicator", 0, 0, G_OPTION_ARG_STRING, &indicator, "Which indicator --value or --sample is for", "ID" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (double));
  AtFindingInput input = { 0 };
  AtStore *store;

  if (!at_cli_parse (entries, "A CLAUSE", &argc, &argv, 2, 2))
    return AT_EXIT_USAGE;
  if (by == NULL || verdict == NULL)
    return at_cli_usage (_("finding set needs --by and --verdict"));
  if (indicator != NULL && value == NULL && samples == NULL)
    return at_cli_usage (_("--indicator names where --value or --sample goes: give one of them"));

  if (!at_verdict_parse (verdict, &input.verdict, &error))
    return at_cli_fail (error);
  input.methods = (const char * const *) methods;
  input.note = note;
  input.indicator = indicator;
  if (value != NULL)
    {
      if (!at_number_parse (value, &input.value, &error))
        return at_cli_fail (error);
      input.has_value = TRUE;
    }
  for (guint i = 0; samples && samples[i]; i++)
    {
      double d;

      if (!at_number_parse (samples[i], &d, &error))
        return at_cli_fail (error);
      g_array_append_val (numbers, d);
    }
  input.samples = (const double *) numbers->data;
  input.n_samples = numbers->len;

  if (!(store = at_cli_store (cli, &error)) ||
      !at_finding_set (store, argv[1], argv[2], by, &input, &error))
    return at_cli_fail (error);
  return AT_EXIT_OK;
}

int
at_cli_finding (AtCli *cli, int argc, char **argv)
{
  static const AtCliVerb verbs[] = {
    { "set", finding_set },
    { NULL }
  };
  return at_cli_dispatch (cli, "finding", verbs, argc, argv);
}
