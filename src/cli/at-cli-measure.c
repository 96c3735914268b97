/* at-cli-measure.c — attest-cli measure: an indicator measured from a data file or transcripts */
#include "config.h"

#include <glib/gi18n.h>

#include <stdio.h>
#include <string.h>

#include "at-cli.h"

/* “--strata 班组 --strata 来电时间:band” or “--strata 班组,来电时间:band” */
static GStrv
split_lists (char **values)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; values && values[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (values[i], ",", -1);
      for (guint j = 0; parts[j]; j++)
        if (*g_strstrip (parts[j]) != '\0')
          g_strv_builder_add (b, parts[j]);
    }
  return g_strv_builder_end (b);
}

/* 90.83333333333333 → “90.83”: a reading, not a record (--json has the full value) */
static char *
shown (double v)
{
  char *text = g_strdup_printf ("%.2f", v);
  char *end = text + strlen (text) - 1;

  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return text;
}

static void
print_outcome (JsonNode *outcome)
{
  JsonObject *o = json_node_get_object (outcome);
  JsonObject *r = json_object_get_object_member (o, "result");
  JsonObject *src = json_object_get_object_member (o, "source");
  JsonNode *pass = json_object_get_member (r, "pass");
  const char *verdict = JSON_NODE_HOLDS_NULL (pass) ? _("not evaluated") : json_node_get_boolean (pass) ? _("pass") : _("fail");
  g_autofree char *value = shown (json_object_get_double_member (r, "value"));
  g_autofree char *limit = at_number_format (json_object_get_double_member (r, "limit"));

  /* “7.4.2.2 manual-answer-15s: 88.2 % (limit >= 85 %): pass” */
  printf ("%s %s: %s %s (%s %s %s %s): %s\n",
          json_object_get_string_member (o, "clause"), json_object_get_string_member (o, "indicator"),
          value, json_object_get_string_member (r, "unit"), _("limit"),
          json_object_get_string_member (r, "comparator"), limit, json_object_get_string_member (r, "unit"), verdict);

  if (g_str_equal (json_object_get_string_member (src, "kind"), "table"))
    {
      JsonNode *sample = json_object_get_member (src, "sample");

      printf (_("%s (sha256 %s): %u of %u rows used, column “%s”\n"),
              json_object_get_string_member (src, "file"), json_object_get_string_member (src, "sha256"),
              (guint) json_object_get_int_member (src, "rows_used"), (guint) json_object_get_int_member (src, "rows_total"),
              json_object_get_string_member (src, "column"));
      if (JSON_NODE_HOLDS_OBJECT (sample))
        {
          g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (json_node_get_object (sample), "seed"));
          printf (_("stratified random sample of %u, seed %s\n"),
                  (guint) json_object_get_int_member (json_node_get_object (sample), "n"), seed);
        }
    }
  else
    {
      JsonArray *files = json_object_get_array_member (src, "files");

      for (guint i = 0; i < json_array_get_length (files); i++)
        {
          JsonObject *f = json_array_get_object_element (files, i);
          JsonArray *hits = json_object_get_array_member (f, "hits");

          printf (_("%s (sha256 %s): %u hits\n"), json_object_get_string_member (f, "file"),
                  json_object_get_string_member (f, "sha256"), (guint) json_object_get_int_member (f, "hits_total"));
          for (guint h = 0; h < json_array_get_length (hits); h++)
            {
              JsonObject *hit = json_array_get_object_element (hits, h);
              const char *at = json_object_get_string_member_with_default (hit, "at", NULL);
              g_autofree char *where = at ? g_strdup (at)
                                          : g_strdup_printf (_("line %u"), (guint) json_object_get_int_member (hit, "line"));

              printf ("  %s  #%" G_GINT64_FORMAT " %s  “%s”\n", where, json_object_get_int_member (hit, "item"),
                      json_object_get_string_member (hit, "part"), json_object_get_string_member (hit, "text"));
            }
        }
    }
}

static int
measure (AtCli *cli, int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *from = NULL;
  g_autofree char *column = NULL;
  g_autofree char *indicator = NULL;
  g_autofree char *convert = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *sample = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *wordlist = NULL;
  g_auto(GStrv) filters = NULL;
  g_auto(GStrv) strata_args = NULL;
  g_auto(GStrv) strata = NULL;
  g_auto(GStrv) transcripts = NULL;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, "The identity taking the measurement", "ID" },
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, "A call-record export (CSV or XLSX)", "FILE" },
    { "column", 0, 0, G_OPTION_ARG_STRING, &column, "The column holding the samples (header name or letter)", "NAME" },
    { "indicator", 0, 0, G_OPTION_ARG_STRING, &indicator, "Which indicator of the clause", "ID" },
    { "convert", 0, 0, G_OPTION_ARG_STRING, &convert, "Unit conversion: none, mm:ss, ms, min or h (to seconds)", "C" },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, "CSV encoding: UTF-8 or GB18030 (default: told from the bytes)", "E" },
    { "filter", 0, 0, G_OPTION_ARG_STRING_ARRAY, &filters,
      "Rows to keep: COL=V, COL!=V, COL>=V, COL<=V, COL>V, COL<V (repeatable; dates as YYYY-MM-DD)", "F" },
    { "sample", 0, 0, G_OPTION_ARG_STRING, &sample, "Draw N rows at random", "N" },
    { "strata", 0, 0, G_OPTION_ARG_STRING_ARRAY, &strata_args,
      "Stratify the draw by a column, or COL:hour, COL:band, COL:daytype, COL:weekday (repeatable)", "COL" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed, "The draw's seed (default: a new one, recorded)", "S" },
    { "transcript", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &transcripts,
      "A call transcript: text, SRT or WebVTT (repeatable, one per call)", "FILE" },
    { "wordlist", 0, 0, G_OPTION_ARG_STRING, &wordlist, "The catalog's word list to check transcripts against", "ID" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) outcome = NULL;
  AtStore *store;

  if (!at_cli_parse (entries, "A CLAUSE", &argc, &argv, 2, 2))
    return AT_EXIT_USAGE;
  if (by == NULL)
    return at_cli_usage (_("measure needs --by"));
  if ((from != NULL) == (transcripts != NULL))
    return at_cli_usage (_("measure takes either --from FILE --column NAME or --transcript FILE --wordlist ID"));

  if (transcripts != NULL)
    {
      if (wordlist == NULL)
        return at_cli_usage (_("--transcript needs --wordlist ID (the catalog's word list)"));
      if (column || convert || encoding || filters || sample || strata_args || seed)
        return at_cli_usage (_("--column, --convert, --encoding, --filter, --sample, --strata and --seed are for --from"));
      if (!(store = at_cli_store (cli, &error)))
        return at_cli_fail (error);
      outcome = at_measure_transcripts (store, argv[1], argv[2], by, (const char * const *) transcripts, wordlist,
                                        indicator, NULL, &error);
    }
  else
    {
      AtMeasureSpec spec = { .indicator = indicator, .column = column, .encoding = encoding };
      guint64 number;

      if (column == NULL)
        return at_cli_usage (_("--from needs --column NAME"));
      if (wordlist != NULL)
        return at_cli_usage (_("--wordlist is for --transcript"));
      if ((strata_args != NULL || seed != NULL) && sample == NULL)
        return at_cli_usage (_("--strata and --seed shape a sample: give --sample N too"));
      if (convert != NULL && !at_convert_parse (convert, &spec.convert, &error))
        return at_cli_fail (error);
      if (sample != NULL)
        {
          if (!g_ascii_string_to_unsigned (sample, 10, 1, G_MAXUINT, &number, NULL))
            return at_cli_usage (_("--sample needs a whole number of rows, at least 1"));
          spec.sample = (guint) number;
        }
      if (seed != NULL)
        {
          if (!g_ascii_string_to_unsigned (seed, 10, 0, AT_SAMPLE_MAX_SEED, &spec.seed, NULL))
            return at_cli_usage (_("--seed needs a whole number from 0 to %s"), AT_SAMPLE_MAX_SEED_TEXT);
          spec.has_seed = TRUE;
        }
      strata = split_lists (strata_args);
      spec.strata = (const char * const *) strata;
      spec.filters = (const char * const *) filters;
      if (!(store = at_cli_store (cli, &error)))
        return at_cli_fail (error);
      outcome = at_measure_table (store, argv[1], argv[2], by, from, &spec, NULL, &error);
    }

  if (outcome == NULL)
    return at_cli_fail (error);
  if (cli->json)
    at_cli_print_json (outcome);
  else
    print_outcome (outcome);
  return AT_EXIT_OK;
}

int
at_cli_measure (AtCli *cli, int argc, char **argv)
{
  /* “measure A CLAUSE …” has no subcommand: argv[0] is “measure” itself */
  return measure (cli, argc, argv);
}
