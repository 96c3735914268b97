/* attest-cli.c — the command line over libattest-core (automation, batch work, tests)
 *
 * The command names, options, output and exit codes are a contract (DESIGN.md): tests and
 * scripts outside this repository rely on them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "at-cli.h"

static const char usage_text[] =
  "Usage: attest-cli [--data-dir DIR] [--registry URL] [--json] COMMAND …\n"
  "\n"
  "Commands:\n"
  "  standards list | show CODE | validate FILE | import FILE\n"
  "  identity create --name N --role R [--role R]… [--org O] | import FILE.p12 | list\n"
  "  assessment create --standard CODE --org NAME --lead ID [--kind third-party|self]\n"
  "                    [--scope T] [--site T]… [--address T] [--team ID]… [--start D] [--end D]\n"
  "  assessment create --from-bundle FILE.attest --lead ID [--team ID]… [--start D] [--end D]\n"
  "                    (document evaluation of an organisation's submitted self-assessment)\n"
  "  assessment create --from A --lead ID [--team ID]… [--start D] [--end D]   (surveillance)\n"
  "  assessment update A --by ID [--org NAME] [--scope T] [--address T] [--start D] [--end D]\n"
  "                    [--site T]… | [--no-sites] [--team ID]… | [--no-team]\n"
  "  assessment list | show A | gaps A | submit A --by ID | reopen A --by ID --reason T\n"
  "  assessment assign A --to ID|--unassign (--clause C | --chapter N)… [--by LEAD]\n"
  "  finding set A CLAUSE --by ID --verdict conform|partial|nonconform|na|open [--method M]…\n"
  "              [--note T] [--value N] [--sample N]… [--indicator ID]\n"
  "  measure A CLAUSE --by ID --from FILE.csv|FILE.xlsx --column NAME [--indicator ID]\n"
  "          [--convert none|mm:ss|ms|min|h] [--encoding UTF-8|GB18030] [--filter COL=V]…\n"
  "          [--sample N [--strata COL[:hour|:band|:daytype|:weekday]]… [--seed S]]\n"
  "        | A CLAUSE --by ID --transcript FILE… --wordlist ID [--indicator ID]\n"
  "  evidence add A FILE --by ID [--clause C]… [--kind document|photo|audio|video|other] [--note T]\n"
  "           | list A | remove A SHA256 --by ID\n"
  "  nc add A CLAUSE --by ID --grade major|minor|observation --text T --suggestion T [--due D]\n"
  "     | respond NC --by ID --text T [--evidence FILE]… | attach NC FILE --by ID [--kind K] [--note T]\n"
  "     | verify NC --by ID --close|--reopen | show NC | list A | list --open [--overdue] [--today D]\n"
  "  review A --by ID --approve|--return --conclusion T\n"
  "  review comment A CLAUSE… --by ID --agree|--query [--text T] | answer A CLAUSE --by ID --text T\n"
  "       | status A\n"
  "  certificate issue A --by ID [--valid-years N]   (numbered by the registry with --registry)\n"
  "  bundle export A -o FILE.attest [--by ID] | import FILE.attest [--as-copy | --merge [--take mine|theirs]]\n"
  "  verify FILE.pdf|FILE.attest [--registry URL] | audit verify A\n"
  "  report A -o OUT.pdf [--lang zh_CN|en] [--draft] [--by ID [--passphrase-file F]]\n"
  "       | sign FILE.pdf --by ID [--passphrase-file F]\n"
  "  registry init | publish A|FILE.attest [--by ID] | list [--org T] [--state S]\n"
  "           | fetch ID|NUMBER [--as-copy] | status NUMBER\n"
  "           | suspend|withdraw|restore NUMBER --by ID --reason T\n"
  "           (each with --url URL, or the global --registry URL)\n"
  "  settings get KEY | set KEY VALUE   (certificate.pattern, certificate.valid-years, body.name, body.address)\n"
  "\n"
  "Passphrases come from --passphrase-file F or the ATTEST_PASSPHRASE environment variable.\n"
  "The registry is a PostgreSQL URL (--registry or ATTEST_REGISTRY, e.g. postgresql://attest@db/attest);\n"
  "its password comes from ~/.pgpass or PGPASSFILE, never from the command line.\n"
  "Exit status: 0 ok, 1 usage, 2 bad input, 3 refused by the workflow.\n";

AtStore *
at_cli_store (AtCli   *cli,
              GError **error)
{
  if (cli->store == NULL)
    cli->store = at_store_open (cli->data_dir, error);
  return cli->store;
}

AtRegistry *
at_cli_registry (AtCli   *cli,
                 GError **error)
{
  if (cli->registry == NULL)
    cli->registry = at_registry_connect (cli->registry_url, error);
  return cli->registry;
}

int
at_cli_fail (GError *error)
{
  g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    fprintf (stderr, "attest-cli: error: %s\n", lines[i]);

  if (error->domain == AT_ERROR && error->code == AT_ERROR_REFUSED)
    return AT_EXIT_REFUSED;
  return AT_EXIT_INVALID;
}

int
at_cli_usage (const char *fmt,
              ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, fmt);
  msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  fprintf (stderr, "attest-cli: error: %s\n%s\n", msg, _("(see “attest-cli --help”)"));
  return AT_EXIT_USAGE;
}

int
at_cli_dispatch (AtCli           *cli,
                 const char      *group,
                 const AtCliVerb *verbs,
                 int              argc,
                 char           **argv)
{
  if (argc < 1)
    return at_cli_usage (_("“%s” needs a subcommand"), group);
  for (guint i = 0; verbs[i].name; i++)
    if (g_str_equal (verbs[i].name, argv[0]))
      return verbs[i].run (cli, argc, argv);
  return at_cli_usage (_("unknown command “%s %s”"), group, argv[0]);
}

/* Parses the options of one subcommand; argv[0] is the subcommand's name. Leaves the
 * positional arguments in argv[1…]. */
gboolean
at_cli_parse (GOptionEntry  *entries,
              const char    *parameter,
              int           *argc,
              char        ***argv,
              int            min_args,
              int            max_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      at_cli_usage ("%s", error->message);
      return FALSE;
    }
  if (*argc - 1 < min_args || *argc - 1 > max_args)
    {
      if (max_args == G_MAXINT)
        at_cli_usage (g_dngettext (GETTEXT_PACKAGE, "“%s” takes at least %d argument", "“%s” takes at least %d arguments", min_args),
                      (*argv)[0], min_args);
      else if (min_args == max_args)
        at_cli_usage (g_dngettext (GETTEXT_PACKAGE, "“%s” takes %d argument", "“%s” takes %d arguments", max_args),
                      (*argv)[0], max_args);
      else
        at_cli_usage (g_dngettext (GETTEXT_PACKAGE, "“%s” takes at most %d argument", "“%s” takes at most %d arguments",
                                   max_args),
                      (*argv)[0], max_args);
      return FALSE;
    }
  return TRUE;
}

char *
at_cli_passphrase (const char  *file,
                   GError     **error)
{
  const char *env = g_getenv ("ATTEST_PASSPHRASE");
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (file != NULL)
    {
      if (!g_file_get_contents (file, &contents, NULL, &local_error))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("could not read the passphrase file: %s"), local_error->message);
          return NULL;
        }
      /* editors end files with a newline that is not part of the passphrase */
      contents[strcspn (contents, "\r\n")] = '\0';
      return contents;
    }
  if (env != NULL)
    return g_strdup (env);

  g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
               _("a passphrase is needed: give --passphrase-file FILE or set ATTEST_PASSPHRASE"));
  return NULL;
}

void
at_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

int
main (int    argc,
      char **argv)
{
  AtCli cli = { 0 };
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const char *localedir = g_getenv ("ATTEST_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  /* Messages in the user's language; numbers always with a decimal point: printf's %g and %f
   * (the limits of “standards show”, the numbers inside a PDF) must not turn into “95,5”. */
  setlocale (LC_NUMERIC, "C");
  /* ATTEST_LOCALEDIR lets the uninstalled build (meson devenv, the tests) find its catalogs */
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options may stand anywhere; take them out before the subcommand parses its own. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--json"))
        cli.json = TRUE;
      else if (g_str_equal (argv[i], "--data-dir") && i + 1 < argc)
        cli.data_dir = g_strdup (argv[++i]);
      else if (g_str_has_prefix (argv[i], "--data-dir="))
        cli.data_dir = g_strdup (argv[i] + strlen ("--data-dir="));
      else if (g_str_equal (argv[i], "--data-dir"))
        return at_cli_usage (_("--data-dir needs a folder"));
      else if (g_str_equal (argv[i], "--registry") && i + 1 < argc)
        {
          g_free (cli.registry_url);
          cli.registry_url = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--registry="))
        {
          g_free (cli.registry_url);
          cli.registry_url = g_strdup (argv[i] + strlen ("--registry="));
        }
      else if (g_str_equal (argv[i], "--registry"))
        return at_cli_usage (_("--registry needs a PostgreSQL URL"));
      else if (rest->len == 0 && (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h")))
        {
          fputs (usage_text, stdout);
          return AT_EXIT_OK;
        }
      else if (rest->len == 0 && g_str_equal (argv[i], "--version"))
        {
          printf ("attest-cli %s\n", PACKAGE_VERSION);
          return AT_EXIT_OK;
        }
      else
        g_ptr_array_add (rest, argv[i]);
    }
  g_ptr_array_add (rest, NULL);
  if (cli.registry_url == NULL && g_getenv ("ATTEST_REGISTRY") != NULL && *g_getenv ("ATTEST_REGISTRY") != '\0')
    cli.registry_url = g_strdup (g_getenv ("ATTEST_REGISTRY"));

  if (rest->len < 2)
    {
      fputs (usage_text, stderr);
      return AT_EXIT_USAGE;
    }

  {
    const char *group = rest->pdata[0];
    int n = rest->len - 2;
    char **sub = (char **) rest->pdata + 1;

    if (g_str_equal (group, "standards"))
      status = at_cli_standards (&cli, n, sub);
    else if (g_str_equal (group, "identity"))
      status = at_cli_identity (&cli, n, sub);
    else if (g_str_equal (group, "assessment"))
      status = at_cli_assessment (&cli, n, sub);
    else if (g_str_equal (group, "finding"))
      status = at_cli_finding (&cli, n, sub);
    else if (g_str_equal (group, "measure"))
      status = at_cli_measure (&cli, n + 1, sub - 1);
    else if (g_str_equal (group, "evidence"))
      status = at_cli_evidence (&cli, n, sub);
    else if (g_str_equal (group, "nc"))
      status = at_cli_nc (&cli, n, sub);
    else if (g_str_equal (group, "review"))
      status = at_cli_review (&cli, n + 1, sub - 1);
    else if (g_str_equal (group, "certificate"))
      status = at_cli_certificate (&cli, n, sub);
    else if (g_str_equal (group, "bundle"))
      status = at_cli_bundle (&cli, n, sub);
    else if (g_str_equal (group, "audit"))
      status = at_cli_audit (&cli, n, sub);
    else if (g_str_equal (group, "settings"))
      status = at_cli_settings (&cli, n, sub);
    else if (g_str_equal (group, "report"))
      status = at_cli_report (&cli, n, sub);
    else if (g_str_equal (group, "registry"))
      status = at_cli_registry_command (&cli, n, sub);
    else if (g_str_equal (group, "verify"))
      status = at_cli_verify (&cli, n + 1, sub - 1);
    else
      status = at_cli_usage (_("unknown command “%s”"), group);
  }

  g_clear_object (&cli.store);
  g_clear_object (&cli.registry);
  g_free (cli.registry_url);
  g_free (cli.data_dir);
  return status;
}
