/* at-registry.c — the connection to the registry, its schema, certificate numbers, the list
 *
 * The registry is a PostgreSQL database the certification body already runs; there is no
 * server of ours in front of it, so every rule is kept by the client that writes (the checks
 * before a bundle is stored) and by the database's constraints (a certificate number is unique).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-error.h"
#include "at-registry-private.h"
#include "at-workflow.h"

struct _AtRegistry
{
  GObject  parent_instance;

  char    *url;
  PGconn  *conn;
};

G_DEFINE_FINAL_TYPE (AtRegistry, at_registry, G_TYPE_OBJECT)

/* Each entry moves the schema from version i to i + 1; released entries are never edited. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE assessments ("
  "  id text PRIMARY KEY,"
  "  org text NOT NULL,"
  "  kind text NOT NULL,"
  "  state text NOT NULL,"
  "  standard text NOT NULL,"
  "  standard_version text NOT NULL,"
  "  certificate_number text,"
  "  exported_by text NOT NULL,"
  "  exported_by_name text NOT NULL,"
  "  exported_at text NOT NULL,"
  "  published_at timestamptz NOT NULL DEFAULT now(),"
  "  bundle_sha256 text NOT NULL,"
  "  bundle_size bigint NOT NULL,"
  "  bundle_chunks integer NOT NULL);"
  /* the bundle in pieces of 1 MiB, so neither side holds a whole bundle in memory */
  "CREATE TABLE bundle_chunks ("
  "  assessment_id text NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,"
  "  n integer NOT NULL,"
  "  data bytea NOT NULL,"
  "  PRIMARY KEY (assessment_id, n));"
  "CREATE TABLE publications ("
  "  id bigserial PRIMARY KEY,"
  "  assessment_id text NOT NULL,"
  "  bundle_sha256 text NOT NULL,"
  "  exported_by text NOT NULL,"
  "  published_at timestamptz NOT NULL DEFAULT now());"
  "CREATE TABLE number_sequences ("
  "  pattern text PRIMARY KEY,"
  "  last integer NOT NULL);"
  /* every number ever given, published or not: the unique constraint is what keeps two
   * issuers from giving the same number */
  "CREATE TABLE certificates ("
  "  number text PRIMARY KEY,"
  "  pattern text,"
  "  seq integer,"
  "  assessment_id text NOT NULL,"
  "  allocated_by text NOT NULL,"
  "  allocated_at timestamptz NOT NULL DEFAULT now(),"
  "  issued_by text,"
  "  decided_at text,"
  "  issued_on text,"
  "  valid_until text,"
  "  published_at timestamptz,"
  "  status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'suspended', 'withdrawn')),"
  "  UNIQUE (pattern, seq));"
  "CREATE INDEX certificates_by_assessment ON certificates (assessment_id);"
  "CREATE TABLE status_changes ("
  "  id bigserial PRIMARY KEY,"
  "  number text NOT NULL REFERENCES certificates (number),"
  "  status text NOT NULL CHECK (status IN ('valid', 'suspended', 'withdrawn')),"
  "  reason text NOT NULL,"
  "  signer text NOT NULL,"
  "  signer_name text NOT NULL,"
  "  signer_cert text NOT NULL,"
  "  signed_at text NOT NULL,"
  "  previous text NOT NULL,"
  "  hash text NOT NULL UNIQUE,"
  "  cms bytea NOT NULL);"
  "CREATE INDEX status_changes_by_number ON status_changes (number, id);"
  "CREATE TABLE identities ("
  "  id text PRIMARY KEY,"
  "  name text NOT NULL,"
  "  org text,"
  "  roles text NOT NULL,"
  "  cert_pem text NOT NULL);",
};

/* Serialises two `registry init` at once: any constant of our own will do. */
#define INIT_LOCK "4242170916"

guint
at_registry_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

const char *
at_registry_status_label (const char *status)
{
  if (g_strcmp0 (status, "valid") == 0)
    return C_("certificate status", "valid");
  if (g_strcmp0 (status, "suspended") == 0)
    return C_("certificate status", "suspended");
  if (g_strcmp0 (status, "withdrawn") == 0)
    return C_("certificate status", "withdrawn");
  if (g_strcmp0 (status, "expired") == 0)
    return C_("certificate status", "expired");
  return status;
}

/* ---- queries ---------------------------------------------------------------------------- */

PGconn *
_at_registry_conn (AtRegistry *self)
{
  return self->conn;
}

const char *
_at_pg_text (PGresult *result,
             int       row,
             int       column)
{
  return PQgetisnull (result, row, column) ? NULL : PQgetvalue (result, row, column);
}

/* libpq's messages end with a newline and may span lines: one line for a sentence. */
static char *
one_line (const char *message)
{
  g_autofree char *text = g_strdup (message ? message : "");
  g_auto(GStrv) parts = g_strsplit (g_strstrip (text), "\n", -1);
  g_autofree char *joined = NULL;

  for (guint i = 0; parts[i]; i++)
    g_strstrip (parts[i]);
  joined = g_strjoinv (" ", parts);
  return g_strdup (joined);
}

/* The server's own sentence (without libpq's “ERROR:” and position), or the connection's. */
static char *
server_message (AtRegistry *self,
                PGresult   *result)
{
  const char *primary = result ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  return one_line (primary && *primary ? primary : PQerrorMessage (self->conn));
}

PGresult *
_at_registry_query_full (AtRegistry         *self,
                         const char         *sql,
                         int                 n_params,
                         const char * const *values,
                         const int          *lengths,
                         const int          *binary,
                         gboolean            binary_result,
                         char              **sqlstate_out,
                         GError            **error)
{
  PGresult *result = PQexecParams (self->conn, sql, n_params, NULL, values, lengths, binary, binary_result ? 1 : 0);
  ExecStatusType status = PQresultStatus (result);
  g_autofree char *message = NULL;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  if (sqlstate_out != NULL)
    *sqlstate_out = g_strdup (result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL);
  message = server_message (self, result);
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("the registry could not do it: %s"), message);
  PQclear (result);
  return NULL;
}

PGresult *
_at_registry_query (AtRegistry         *self,
                    const char         *sql,
                    int                 n_params,
                    const char * const *values,
                    char              **sqlstate_out,
                    GError            **error)
{
  return _at_registry_query_full (self, sql, n_params, values, NULL, NULL, FALSE, sqlstate_out, error);
}

/* The simple protocol: several statements at once (a migration), no parameters. */
gboolean
_at_registry_exec (AtRegistry  *self,
                   const char  *sql,
                   GError     **error)
{
  g_autoptr(PGresult) result = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (result);
  g_autofree char *message = NULL;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return TRUE;
  message = server_message (self, result);
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("the registry could not do it: %s"), message);
  return FALSE;
}

void
_at_registry_rollback (AtRegistry *self)
{
  PQclear (PQexec (self->conn, "ROLLBACK"));
}

/* ---- connecting ------------------------------------------------------------------------- */

/* The address as a person may see it: what libpq makes of it, never a password (there is none). */
static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autofree char *message = NULL;
  char *parse_error = NULL;
  PQconninfoOption *options;
  gboolean has_password = FALSE;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("no registry is set up: give --registry URL (for example postgresql://attest@db.example/attest)"));
      return FALSE;
    }
  options = PQconninfoParse (url, &parse_error);
  if (options == NULL)
    {
      message = one_line (parse_error ? parse_error : "");
      PQfreemem (parse_error);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the registry address “%s” is not a PostgreSQL connection URL: %s"), url, message);
      return FALSE;
    }
  for (PQconninfoOption *o = options; o->keyword; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL && *o->val != '\0')
      has_password = TRUE;
  PQconninfoFree (options);
  if (has_password)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the registry address carries a password; a password never goes on the command line or into the settings: "
                     "put it in ~/.pgpass, or in the file the PGPASSFILE environment variable names (mode 0600)"));
      return FALSE;
    }
  return TRUE;
}

static PGconn *
open_connection (const char  *url,
                 GError     **error)
{
  /* a server that does not answer is said so after a while, not waited for forever (the window
   * waits on it); the URL's own connect_timeout or PGCONNECT_TIMEOUT, processed later, win */
  const char *timeout = g_getenv ("PGCONNECT_TIMEOUT") ? g_getenv ("PGCONNECT_TIMEOUT") : "15";
  const char * const keywords[] = { "connect_timeout", "dbname", "fallback_application_name", NULL };
  const char * const values[] = { timeout, url, "attest", NULL };
  g_autofree char *message = NULL;
  PGconn *conn;

  if (!check_url (url, error))
    return NULL;
  conn = PQconnectdbParams (keywords, values, 1);
  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      message = one_line (conn ? PQerrorMessage (conn) : "out of memory");
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not connect to the registry (%s): %s"), url, message);
      PQfinish (conn);
      return NULL;
    }
  /* dates are compared and written in UTC, like the sign-offs' times */
  PQclear (PQexec (conn, "SET TimeZone = 'UTC'"));
  PQclear (PQexec (conn, "SET client_min_messages = warning"));
  return conn;
}

/* The version of the schema in the database; 0 when it has none yet. */
static gboolean
schema_version (AtRegistry  *self,
                guint       *version,
                GError     **error)
{
  g_autoptr(PGresult) exists = _at_registry_query (self, "SELECT to_regclass('registry_schema') IS NOT NULL", 0, NULL, NULL, error);
  g_autoptr(PGresult) result = NULL;

  if (exists == NULL)
    return FALSE;
  if (g_strcmp0 (PQgetvalue (exists, 0, 0), "t") != 0)
    {
      *version = 0;
      return TRUE;
    }
  result = _at_registry_query (self, "SELECT coalesce(max(version), 0) FROM registry_schema", 0, NULL, NULL, error);
  if (result == NULL)
    return FALSE;
  *version = (guint) g_ascii_strtoull (PQgetvalue (result, 0, 0), NULL, 10);
  return TRUE;
}

static AtRegistry *
registry_new (const char  *url,
              GError     **error)
{
  PGconn *conn = open_connection (url, error);
  AtRegistry *self;

  if (conn == NULL)
    return NULL;
  self = g_object_new (AT_TYPE_REGISTRY, NULL);
  self->url = g_strdup (url);
  self->conn = conn;
  return self;
}

AtRegistry *
at_registry_connect (const char  *url,
                     GError     **error)
{
  g_autoptr(AtRegistry) self = registry_new (url, error);
  guint version;

  if (self == NULL || !schema_version (self, &version, error))
    return NULL;
  if (version == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the database at %s holds no Attest registry yet: create it with “attest-cli registry init --url URL”"), url);
      return NULL;
    }
  if (version < G_N_ELEMENTS (migrations))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the registry at %s has schema version %u and this Attest needs %u: bring it up to date with “attest-cli registry init --url URL”"),
                   url, version, (guint) G_N_ELEMENTS (migrations));
      return NULL;
    }
  if (version > G_N_ELEMENTS (migrations))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the registry at %s has schema version %u, made by a newer Attest than this one (which knows %u): update Attest"),
                   url, version, (guint) G_N_ELEMENTS (migrations));
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
at_registry_migrate (const char  *url,
                  guint       *applied_out,
                  GError     **error)
{
  g_autoptr(AtRegistry) self = registry_new (url, error);
  guint version = 0;
  guint applied = 0;

  if (self == NULL)
    return FALSE;
  if (!_at_registry_exec (self, "BEGIN", error) ||
      !_at_registry_exec (self, "SELECT pg_advisory_xact_lock(" INIT_LOCK ")", error) ||
      !_at_registry_exec (self, "CREATE TABLE IF NOT EXISTS registry_schema ("
                                "  version integer PRIMARY KEY,"
                                "  applied_at timestamptz NOT NULL DEFAULT now())", error) ||
      !schema_version (self, &version, error))
    {
      _at_registry_rollback (self);
      return FALSE;
    }
  if (version > G_N_ELEMENTS (migrations))
    {
      _at_registry_rollback (self);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the registry at %s has schema version %u, made by a newer Attest than this one (which knows %u): update Attest"),
                   url, version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }
  /* all in one transaction: a failed migration leaves the schema as it was */
  for (guint v = version; v < G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *record = g_strdup_printf ("INSERT INTO registry_schema (version) VALUES (%u)", v + 1);

      if (!_at_registry_exec (self, migrations[v], error) || !_at_registry_exec (self, record, error))
        {
          _at_registry_rollback (self);
          g_prefix_error (error, _("migration %u of the registry failed, nothing was changed: "), v + 1);
          return FALSE;
        }
      applied++;
    }
  if (!_at_registry_exec (self, "COMMIT", error))
    return FALSE;
  if (applied_out)
    *applied_out = applied;
  return TRUE;
}

const char *
at_registry_get_url (AtRegistry *self)
{
  g_return_val_if_fail (AT_IS_REGISTRY (self), NULL);
  return self->url;
}

/* ---- certificate numbers ------------------------------------------------------------------ */

typedef struct
{
  AtRegistry *registry;
  const char *assessment_id;
  const char *issuer;
} NumberRequest;

static gboolean
is_conflict (const char *sqlstate)
{
  /* unique_violation, serialization_failure, deadlock_detected */
  return g_strcmp0 (sqlstate, "23505") == 0 || g_strcmp0 (sqlstate, "40001") == 0 || g_strcmp0 (sqlstate, "40P01") == 0;
}

/* One transaction: the pattern's counter goes up (its row lock queues concurrent issuers), and
 * the number is inserted under the unique constraint. A number already taken — published by a
 * data directory that numbered it itself — moves on to the next; a serialisation conflict
 * starts again. */
static char *
registry_number (const char  *prefix,
                 guint        width,
                 const char  *suffix,
                 gpointer     user_data,
                 GError     **error)
{
  NumberRequest *req = user_data;
  AtRegistry *self = req->registry;
  g_autofree char *pattern = g_strdup_printf ("%s{SEQ:%u}%s", prefix, width, suffix);

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_autofree char *sqlstate = NULL;
      g_autoptr(GError) local = NULL;
      gboolean retry = FALSE;

      if (!_at_registry_exec (self, "BEGIN", error))
        return NULL;
      for (guint taken = 0; taken < 1000 && !retry; taken++)
        {
          const char *bump_values[] = { pattern };
          g_autoptr(PGresult) bump = _at_registry_query (self, "INSERT INTO number_sequences (pattern, last) VALUES ($1, 1) "
                                                               "ON CONFLICT (pattern) DO UPDATE SET last = number_sequences.last + 1 "
                                                               "RETURNING last", 1, bump_values, &sqlstate, &local);
          g_autoptr(PGresult) insert = NULL;
          g_autofree char *number = NULL;
          const char *seq;

          if (bump == NULL)
            {
              retry = is_conflict (sqlstate);
              break;
            }
          seq = PQgetvalue (bump, 0, 0);
          number = g_strdup_printf ("%s%0*u%s", prefix, (int) width, (guint) g_ascii_strtoull (seq, NULL, 10), suffix);
          {
            const char *values[] = { number, pattern, seq, req->assessment_id, req->issuer };

            if (!_at_registry_exec (self, "SAVEPOINT number", &local))
              break;
            insert = _at_registry_query (self, "INSERT INTO certificates (number, pattern, seq, assessment_id, allocated_by) "
                                               "VALUES ($1, $2, $3, $4, $5)", 5, values, &sqlstate, &local);
          }
          if (insert == NULL && g_strcmp0 (sqlstate, "23505") == 0)
            {
              /* taken by a number given elsewhere: the counter has moved on, try the next */
              g_clear_pointer (&sqlstate, g_free);
              g_clear_error (&local);
              if (!_at_registry_exec (self, "ROLLBACK TO SAVEPOINT number", &local))
                break;
              continue;
            }
          if (insert == NULL)
            {
              retry = is_conflict (sqlstate);
              break;
            }
          g_clear_pointer (&sqlstate, g_free);
          {
            g_autoptr(PGresult) commit = _at_registry_query (self, "COMMIT", 0, NULL, &sqlstate, &local);

            if (commit != NULL)
              return g_steal_pointer (&number);
          }
          retry = is_conflict (sqlstate);
          break;
        }
      _at_registry_rollback (self);
      if (!retry)
        {
          if (local != NULL)
            g_propagate_error (error, g_steal_pointer (&local));
          else
            g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("the registry has no free certificate number for %s"), pattern);
          return NULL;
        }
      /* someone else's transaction won: wait a moment and start again */
      g_usleep (g_random_int_range (1000, 20000));
    }
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("the registry stayed too busy to give a certificate number; try again"));
  return NULL;
}

char *
at_registry_certificate_issue (AtRegistry  *self,
                               AtStore     *store,
                               const char  *assessment_id,
                               AtSigner    *issuer,
                               guint        valid_years,
                               GError     **error)
{
  NumberRequest req = { self, assessment_id, at_identity_get_id (at_signer_get_identity (issuer)) };

  g_return_val_if_fail (AT_IS_REGISTRY (self), NULL);
  return at_certificate_issue_full (store, assessment_id, issuer, valid_years, registry_number, &req, error);
}

typedef struct
{
  char     *url;
  AtStore  *store;
  char     *assessment_id;
  AtSigner *issuer;
  guint     valid_years;
} Issue;

static void
issue_free (gpointer data)
{
  Issue *issue = data;

  g_free (issue->url);
  g_clear_object (&issue->store);
  g_free (issue->assessment_id);
  g_clear_object (&issue->issuer);
  g_free (issue);
}

static void
issue_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Issue *issue = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtRegistry) registry = at_registry_connect (issue->url, &error);
  char *number = registry ? at_registry_certificate_issue (registry, issue->store, issue->assessment_id, issue->issuer,
                                                           issue->valid_years, &error) : NULL;

  if (number == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, number, g_free);
}

void
at_registry_certificate_issue_async (const char          *url,
                                     AtStore             *store,
                                     const char          *assessment_id,
                                     AtSigner            *issuer,
                                     guint                valid_years,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Issue *issue = g_new0 (Issue, 1);

  issue->url = g_strdup (url);
  issue->store = g_object_ref (store);
  issue->assessment_id = g_strdup (assessment_id);
  issue->issuer = g_object_ref (issuer);
  issue->valid_years = valid_years;
  g_task_set_source_tag (task, at_registry_certificate_issue_async);
  g_task_set_task_data (task, issue, issue_free);
  g_task_run_in_thread (task, issue_thread);
}

char *
at_registry_certificate_issue_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the list ------------------------------------------------------------------------------ */

static const char * const assessment_states[] = { "approved", "certified", NULL };
static const char * const certificate_states[] = { "valid", "suspended", "withdrawn", "expired", NULL };

JsonNode *
at_registry_list (AtRegistry  *self,
                  const char  *org,
                  const char  *state,
                  GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(PGresult) result = NULL;
  g_autofree char *like = NULL;
  const char *values[2];

  g_return_val_if_fail (AT_IS_REGISTRY (self), NULL);

  if (state != NULL && *state != '\0' &&
      !g_strv_contains (assessment_states, state) && !g_strv_contains (certificate_states, state))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("“%s” is not a state the registry knows: give approved, certified, valid, suspended, withdrawn or expired"), state);
      return NULL;
    }
  /* part of the name, with the pattern's own characters taken literally */
  if (org != NULL && *org != '\0')
    {
      g_autoptr(GString) escaped = g_string_new (org);
      g_string_replace (escaped, "\\", "\\\\", 0);
      g_string_replace (escaped, "%", "\\%", 0);
      g_string_replace (escaped, "_", "\\_", 0);
      like = g_strdup_printf ("%%%s%%", escaped->str);
    }
  values[0] = like;
  values[1] = state && *state ? state : NULL;
  result = _at_registry_query (self,
                               "SELECT a.id, a.org, a.standard, a.standard_version, a.kind, a.state, a.exported_by_name, "
                               "  to_char(a.published_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), a.bundle_sha256, a.bundle_size, "
                               "  c.number, c.issued_on, c.valid_until, "
                               "  CASE WHEN c.number IS NULL THEN NULL "
                               "       WHEN c.status <> 'withdrawn' AND c.valid_until < to_char(current_date, 'YYYY-MM-DD') THEN 'expired' "
                               "       ELSE c.status END AS status "
                               "FROM assessments a LEFT JOIN certificates c ON c.number = a.certificate_number "
                               "WHERE ($1::text IS NULL OR a.org ILIKE $1) "
                               "  AND ($2::text IS NULL OR a.state = $2 OR "
                               "       (CASE WHEN c.number IS NULL THEN NULL "
                               "             WHEN c.status <> 'withdrawn' AND c.valid_until < to_char(current_date, 'YYYY-MM-DD') THEN 'expired' "
                               "             ELSE c.status END) = $2) "
                               "ORDER BY a.published_at DESC, a.id",
                               2, values, NULL, error);
  if (result == NULL)
    return NULL;

  json_builder_begin_array (b);
  for (int i = 0; i < PQntuples (result); i++)
    {
      static const char * const names[] = { "id", "org", "standard", "standard_version", "kind", "state",
                                            "exported_by_name", "published_at", "bundle_sha256" };

      json_builder_begin_object (b);
      for (guint k = 0; k < G_N_ELEMENTS (names); k++)
        {
          json_builder_set_member_name (b, names[k]);
          json_builder_add_string_value (b, _at_pg_text (result, i, k));
        }
      json_builder_set_member_name (b, "bundle_size");
      json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (result, i, 9), NULL, 10));
      json_builder_set_member_name (b, "certificate");
      if (_at_pg_text (result, i, 10) != NULL)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "number");
          json_builder_add_string_value (b, _at_pg_text (result, i, 10));
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, _at_pg_text (result, i, 13));
          json_builder_set_member_name (b, "issued_on");
          json_builder_add_string_value (b, _at_pg_text (result, i, 11));
          json_builder_set_member_name (b, "valid_until");
          json_builder_add_string_value (b, _at_pg_text (result, i, 12));
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* ---- the object ---------------------------------------------------------------------------- */

static void
at_registry_finalize (GObject *object)
{
  AtRegistry *self = AT_REGISTRY (object);

  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->url, g_free);
  G_OBJECT_CLASS (at_registry_parent_class)->finalize (object);
}

static void
at_registry_class_init (AtRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_registry_finalize;
}

static void
at_registry_init (AtRegistry *self)
{
}
