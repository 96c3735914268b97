/* at-cli.h — what the attest-cli command groups share */
#pragma once

#include "at-core.h"

G_BEGIN_DECLS

enum
{
  AT_EXIT_OK = 0,
  AT_EXIT_USAGE = 1,
  AT_EXIT_INVALID = 2,
  AT_EXIT_REFUSED = 3,
};

typedef struct
{
  char    *data_dir;
  gboolean json;
  AtStore *store;   /* opened on first use */
  char    *registry_url;     /* --registry URL, or ATTEST_REGISTRY */
  AtRegistry *registry;      /* connected on first use */
} AtCli;

typedef int (*AtCliCommand) (AtCli *cli, int argc, char **argv);

typedef struct
{
  const char   *name;
  AtCliCommand  run;
  const char   *usage;
} AtCliVerb;

AtStore *at_cli_store        (AtCli        *cli,
                              GError      **error);
int      at_cli_fail         (GError       *error);
int      at_cli_usage        (const char   *fmt,
                              ...) G_GNUC_PRINTF (1, 2);
int      at_cli_dispatch     (AtCli           *cli,
                              const char      *group,
                              const AtCliVerb *verbs,
                              int              argc,
                              char           **argv);
gboolean at_cli_parse        (GOptionEntry *entries,
                              const char   *parameter,
                              int          *argc,
                              char       ***argv,
                              int           min_args,
                              int           max_args);
char    *at_cli_passphrase   (const char   *file,
                              GError      **error);
void     at_cli_print_json   (JsonNode     *node);

/* The registry --registry (or ATTEST_REGISTRY) names; NULL with an error when none is given. */
AtRegistry *at_cli_registry (AtCli   *cli,
                             GError **error);

AtSigner *at_cli_unlock (AtCli       *cli,
                         const char  *identity,
                         const char  *pass_file,
                         GError     **error);

int at_cli_standards  (AtCli *cli, int argc, char **argv);
int at_cli_review     (AtCli *cli, int argc, char **argv);
int at_cli_certificate (AtCli *cli, int argc, char **argv);
int at_cli_audit      (AtCli *cli, int argc, char **argv);
int at_cli_settings   (AtCli *cli, int argc, char **argv);
int at_cli_identity   (AtCli *cli, int argc, char **argv);
int at_cli_assessment (AtCli *cli, int argc, char **argv);
int at_cli_finding    (AtCli *cli, int argc, char **argv);
int at_cli_measure    (AtCli *cli, int argc, char **argv);
int at_cli_nc         (AtCli *cli, int argc, char **argv);
int at_cli_evidence   (AtCli *cli, int argc, char **argv);
int at_cli_report     (AtCli *cli, int argc, char **argv);
int at_cli_verify     (AtCli *cli, int argc, char **argv);
int at_cli_bundle     (AtCli *cli, int argc, char **argv);
int at_cli_registry_command (AtCli *cli, int argc, char **argv);

G_END_DECLS
