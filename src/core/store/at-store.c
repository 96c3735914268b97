/* at-store.c — the user's data directory: the SQLite database and the files beside it */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <glib/gstdio.h>

#include "at-error.h"
#include "at-util.h"
#include "at-standards-private.h"
#include "at-store-private.h"
#include "at-temp.h"

struct _AtStore
{
  GObject  parent_instance;

  char    *data_dir;
  sqlite3 *db;

  /* One connection serves every thread of the process (the window's worker threads import
   * and export while its main thread records), and SQLite has one transaction per connection:
   * a thread's BEGIN would fail inside another's, or its statements would join the other's
   * transaction. So a transaction belongs to one thread at a time; the others wait here. */
  GRecMutex  txn_lock;
  GThread   *txn_owner;
  guint      txn_depth;
};

G_DEFINE_FINAL_TYPE (AtStore, at_store, G_TYPE_OBJECT)

/* How long a program waits for another one's transaction on the same data directory (the
 * window and attest-cli, two attest-cli runs) before it gives up. Transactions are short; a
 * wait this long means something else is wrong, and the person is told so in words. */
#define BUSY_TIMEOUT_S (AT_STORE_BUSY_TIMEOUT_MS / 1000)
#define BUSY_MESSAGE _("the data directory is busy: another Attest program (the window or attest-cli) has been writing to it for more than %d seconds; try again, and if it stays busy, look for an Attest program that hangs")

/* Each entry moves the schema from version i to i + 1; an entry is never edited once released,
 * later changes append a new one. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE catalogs ("
  "  id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL,"
  "  version TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  origin TEXT NOT NULL CHECK (origin IN ('bundled', 'imported')),"
  "  json TEXT NOT NULL,"
  "  added_at TEXT NOT NULL,"
  "  UNIQUE (code, version));"
  "CREATE TABLE identities ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  roles TEXT NOT NULL,"
  "  org TEXT,"
  "  cert_pem TEXT NOT NULL,"
  "  created_at TEXT NOT NULL);"
  "CREATE TABLE assessments ("
  "  id TEXT PRIMARY KEY,"
  "  catalog_id INTEGER NOT NULL REFERENCES catalogs (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('third-party', 'self')),"
  "  state TEXT NOT NULL DEFAULT 'draft',"
  "  org TEXT NOT NULL,"
  "  lead TEXT NOT NULL REFERENCES identities (id),"
  "  scope TEXT,"
  "  sites TEXT NOT NULL DEFAULT '[]',"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);",

  /* 1 → 2: the whole chapter-11 flow. Every table that belongs to an assessment carries
   * assessment_id, so one assessment can be listed, digested, audited and bundled alone. */
  "ALTER TABLE assessments ADD COLUMN address TEXT;"
  "ALTER TABLE assessments ADD COLUMN start_date TEXT;"
  "ALTER TABLE assessments ADD COLUMN end_date TEXT;"
  "ALTER TABLE assessments ADD COLUMN team TEXT NOT NULL DEFAULT '[]';"
  "CREATE TABLE findings ("
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id),"
  "  clause TEXT NOT NULL,"
  "  verdict TEXT NOT NULL CHECK (verdict IN ('conform', 'partial', 'nonconform', 'na', 'open')),"
  "  methods TEXT NOT NULL DEFAULT '[]',"
  "  note TEXT,"
  "  recorded_by TEXT NOT NULL REFERENCES identities (id),"
  "  recorded_at TEXT NOT NULL,"
  "  PRIMARY KEY (assessment_id, clause));"
  "CREATE TABLE measurements ("
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id),"
  "  clause TEXT NOT NULL,"
  "  indicator TEXT NOT NULL,"
  "  value REAL,"
  "  samples TEXT NOT NULL DEFAULT '[]',"
  "  recorded_by TEXT NOT NULL REFERENCES identities (id),"
  "  recorded_at TEXT NOT NULL,"
  "  PRIMARY KEY (assessment_id, clause, indicator));"
  "CREATE TABLE evidence ("
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id),"
  "  sha256 TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('document', 'photo', 'audio', 'video', 'other')),"
  "  size INTEGER NOT NULL,"
  "  original_name TEXT NOT NULL,"
  "  note TEXT,"
  "  captured_at TEXT,"
  "  added_by TEXT NOT NULL REFERENCES identities (id),"
  "  added_at TEXT NOT NULL,"
  "  PRIMARY KEY (assessment_id, sha256));"
  "CREATE TABLE evidence_links ("
  "  assessment_id TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  clause TEXT NOT NULL,"
  "  PRIMARY KEY (assessment_id, sha256, clause),"
  "  FOREIGN KEY (assessment_id, sha256) REFERENCES evidence (assessment_id, sha256) ON DELETE CASCADE);"
  "CREATE TABLE nonconformities ("
  "  id TEXT PRIMARY KEY,"
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id),"
  "  seq INTEGER NOT NULL,"
  "  clause TEXT NOT NULL,"
  "  grade TEXT NOT NULL CHECK (grade IN ('major', 'minor', 'observation')),"
  "  text TEXT NOT NULL,"
  "  suggestion TEXT NOT NULL,"
  "  due TEXT,"
  "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'responded', 'closed')),"
  "  response TEXT,"
  "  responded_by TEXT REFERENCES identities (id),"
  "  responded_at TEXT,"
  "  verified_by TEXT REFERENCES identities (id),"
  "  verified_at TEXT,"
  "  raised_by TEXT NOT NULL REFERENCES identities (id),"
  "  raised_at TEXT NOT NULL,"
  "  UNIQUE (assessment_id, seq));"
  "CREATE TABLE signoffs ("
  "  id TEXT PRIMARY KEY,"
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('submission', 'approval', 'return', 'certificate')),"
  "  signer TEXT NOT NULL REFERENCES identities (id),"
  "  conclusion TEXT,"
  "  digest TEXT NOT NULL,"
  "  previous TEXT,"
  "  signed_at TEXT NOT NULL,"
  "  cms BLOB NOT NULL,"
  "  valid INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE certificates ("
  "  assessment_id TEXT PRIMARY KEY REFERENCES assessments (id),"
  "  number TEXT NOT NULL UNIQUE,"
  "  issued_by TEXT NOT NULL REFERENCES identities (id),"
  "  decided_at TEXT NOT NULL,"
  "  issued_on TEXT NOT NULL,"
  "  valid_until TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'withdrawn')));"
  "CREATE TABLE audit_log ("
  "  seq INTEGER PRIMARY KEY,"
  "  assessment_id TEXT NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  at TEXT NOT NULL,"
  "  actor TEXT,"
  "  action TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  entity_key TEXT NOT NULL,"
  "  state TEXT,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  UNIQUE (assessment_id, n));"
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE INDEX findings_by_assessment ON findings (assessment_id);"
  "CREATE INDEX evidence_links_by_clause ON evidence_links (assessment_id, clause);"
  "CREATE INDEX nonconformities_by_assessment ON nonconformities (assessment_id);"
  "CREATE INDEX signoffs_by_assessment ON signoffs (assessment_id);",

  /* 2 → 3: the reviewer's and the organisation's desks. The recheck clause by clause (one row
   * per clause and round: the reviewer's agreement or query, the assessors' answer); sign-offs
   * that a reopen superseded say when, by whom and why; an assessment may start from an
   * organisation's application (its self-assessment) or from the previous assessment; evidence
   * says where it came from; the organisation's corrective actions carry their own evidence. */
  "CREATE TABLE reviews ("
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id),"
  "  round INTEGER NOT NULL CHECK (round >= 1),"
  "  clause TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('agreed', 'queried')),"
  "  comment TEXT,"
  "  clause_digest TEXT NOT NULL,"
  "  reviewer TEXT NOT NULL REFERENCES identities (id),"
  "  reviewed_at TEXT NOT NULL,"
  "  answer TEXT,"
  "  answered_by TEXT REFERENCES identities (id),"
  "  answered_at TEXT,"
  "  PRIMARY KEY (assessment_id, round, clause));"
  "ALTER TABLE signoffs ADD COLUMN review_digest TEXT;"
  "ALTER TABLE signoffs ADD COLUMN voided_at TEXT;"
  "ALTER TABLE signoffs ADD COLUMN voided_by TEXT REFERENCES identities (id);"
  "ALTER TABLE signoffs ADD COLUMN void_reason TEXT;"
  "ALTER TABLE assessments ADD COLUMN basis TEXT CHECK (basis IN ('application', 'surveillance'));"
  "ALTER TABLE assessments ADD COLUMN based_on TEXT;"
  "ALTER TABLE evidence ADD COLUMN origin TEXT;"
  "CREATE TABLE nc_evidence ("
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id),"
  "  nc_id TEXT NOT NULL REFERENCES nonconformities (id),"
  "  sha256 TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('document', 'photo', 'audio', 'video', 'other')),"
  "  size INTEGER NOT NULL,"
  "  original_name TEXT NOT NULL,"
  "  note TEXT,"
  "  added_by TEXT NOT NULL REFERENCES identities (id),"
  "  added_at TEXT NOT NULL,"
  "  PRIMARY KEY (assessment_id, nc_id, sha256));"
  "CREATE INDEX reviews_by_clause ON reviews (assessment_id, clause);"
  "CREATE INDEX nonconformities_by_due ON nonconformities (status, due);",

  /* 3 → 4: a team on several laptops. The lead assigns clauses to team members; the store
   * remembers which revisions of an assessment it handed out in bundles (a member's work must
   * continue one of them); a member's log merged in is kept as the member signed it, so the
   * history stays provable after the merge. */
  "CREATE TABLE assignments ("
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id),"
  "  clause TEXT NOT NULL,"
  "  assignee TEXT NOT NULL REFERENCES identities (id),"
  "  assigned_by TEXT NOT NULL REFERENCES identities (id),"
  "  assigned_at TEXT NOT NULL,"
  "  PRIMARY KEY (assessment_id, clause));"
  "CREATE TABLE bundle_exports ("
  "  id INTEGER PRIMARY KEY,"
  "  assessment_id TEXT NOT NULL,"
  "  head_n INTEGER NOT NULL,"
  "  head_hash TEXT NOT NULL,"
  "  exported_by TEXT,"
  "  exported_at TEXT NOT NULL);"
  "CREATE TABLE audit_branches ("
  "  assessment_id TEXT NOT NULL,"
  "  merge_n INTEGER NOT NULL,"
  "  idx INTEGER NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  at TEXT NOT NULL,"
  "  actor TEXT,"
  "  action TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  entity_key TEXT NOT NULL,"
  "  state TEXT,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  PRIMARY KEY (assessment_id, merge_n, idx));"
  "CREATE INDEX bundle_exports_by_assessment ON bundle_exports (assessment_id);",

  /* 4 → 5: measurements taken from the organisation's own data (attest-cli measure): the data source
   * as JSON — evidence sha256, column, unit conversion, filters, rows used, sampling plan and
   * seed, or the transcripts and their hits. A value typed by hand replaces the row and so
   * leaves it NULL. */
  "ALTER TABLE measurements ADD COLUMN source TEXT;",

  /* 5 → 6: the recheck's digest of every clause, kept with the audit entry it is current at
   * (at-clause-digest.c). Derived from the records, not a record: never bundled, signed or
   * logged, and rebuilt from the records whenever it does not follow the audit log. The
   * nonconformities' index by clause lets one clause be digested alone, as the other tables'
   * keys already do. */
  "CREATE TABLE clause_digests ("
  "  assessment_id TEXT NOT NULL,"
  "  clause TEXT NOT NULL,"
  "  digest TEXT NOT NULL,"
  "  PRIMARY KEY (assessment_id, clause));"
  "CREATE TABLE clause_digests_at ("
  "  assessment_id TEXT PRIMARY KEY,"
  "  n INTEGER NOT NULL,"
  "  hash TEXT NOT NULL);"
  "CREATE INDEX nonconformities_by_clause ON nonconformities (assessment_id, clause);"
  /* Found with EXPLAIN QUERY PLAN at 100,000 evidence records: a clause's links were read by
   * scanning every link of the assessment (the index by clause lacked the file, so the primary
   * key looked cheaper), and checking a reviewer's independence scanned all the evidence and
   * the whole audit log. */
  "DROP INDEX evidence_links_by_clause;"
  "CREATE INDEX evidence_links_by_clause ON evidence_links (assessment_id, clause, sha256);"
  "CREATE INDEX evidence_by_adder ON evidence (assessment_id, added_by);"
  "CREATE INDEX audit_log_by_actor ON audit_log (assessment_id, actor);",
};

static void
at_store_finalize (GObject *object)
{
  AtStore *self = AT_STORE (object);

  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_free (self->data_dir);
  g_rec_mutex_clear (&self->txn_lock);

  G_OBJECT_CLASS (at_store_parent_class)->finalize (object);
}

static void
at_store_class_init (AtStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_store_finalize;
}

static void
at_store_init (AtStore *self)
{
  g_rec_mutex_init (&self->txn_lock);
}

char *
at_store_default_data_dir (void)
{
  const char *env = g_getenv ("ATTEST_DATA_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "attest", NULL);
}

const char *
at_store_get_data_dir (AtStore *self)
{
  return self->data_dir;
}

char *
at_store_get_path (AtStore    *self,
                   const char *first_element,
                   ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (parts, self->data_dir);
  va_start (args, first_element);
  for (const char *e = first_element; e != NULL; e = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) e);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

sqlite3 *
_at_store_get_db (AtStore *self)
{
  return self->db;
}

void
_at_store_set_error (AtStore     *self,
                     GError     **error,
                     const char  *what)
{
  int code = sqlite3_extended_errcode (self->db);

  /* A full disk is something a person can act on; say it plainly. */
  if ((code & 0xff) == SQLITE_FULL)
    g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("%s: the disk is full"), what);
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, AT_ERROR, AT_ERROR_FAILED, BUSY_MESSAGE, BUSY_TIMEOUT_S);
  else
    g_set_error (error, AT_ERROR, AT_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (self->db));
}

gboolean
_at_store_exec (AtStore     *self,
                const char  *sql,
                GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (self->db) & 0xff;

      /* COMMIT is where a full disk usually shows: say it as a person can act on it */
      if (code == SQLITE_FULL)
        g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not save: the disk is full"));
      else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        g_set_error (error, AT_ERROR, AT_ERROR_FAILED, BUSY_MESSAGE, BUSY_TIMEOUT_S);
      else
        g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("database error: %s"),
                     msg ? msg : sqlite3_errmsg (self->db));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
_at_store_prepare (AtStore     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _at_store_set_error (self, error, _("database error"));
      return NULL;
    }
  return stmt;
}

gboolean
_at_store_step_done (AtStore       *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _at_store_set_error (self, error, _("could not save"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
begin (AtStore     *self,
       const char  *sql,
       GError     **error)
{
  g_rec_mutex_lock (&self->txn_lock);
  if (!_at_store_exec (self, sql, error))
    {
      g_rec_mutex_unlock (&self->txn_lock);
      return FALSE;
    }
  self->txn_owner = g_thread_self ();
  self->txn_depth++;
  return TRUE;
}

static void
release (AtStore *self)
{
  /* only the thread whose BEGIN succeeded lets go, and only once per BEGIN */
  if (self->txn_depth == 0 || self->txn_owner != g_thread_self ())
    return;
  if (--self->txn_depth == 0)
    self->txn_owner = NULL;
  g_rec_mutex_unlock (&self->txn_lock);
}

gboolean
_at_store_begin (AtStore  *self,
                 GError  **error)
{
  /* IMMEDIATE takes the write lock up front, so two programs on one store wait for each other
   * (busy_timeout) instead of failing half-way through. */
  return begin (self, "BEGIN IMMEDIATE", error);
}

/* A read snapshot: several queries that must agree (an export's records, audit log and
 * evidence list), without holding other programs' writes back. End it with _at_store_rollback. */
gboolean
_at_store_begin_read (AtStore  *self,
                      GError  **error)
{
  return begin (self, "BEGIN", error);
}

gboolean
_at_store_commit (AtStore  *self,
                  GError  **error)
{
  if (!_at_store_exec (self, "COMMIT", error))
    {
      _at_store_rollback (self);
      return FALSE;
    }
  release (self);
  return TRUE;
}

void
_at_store_rollback (AtStore *self)
{
  /* a thread that holds no transaction must not end another thread's */
  if (self->txn_depth == 0 || self->txn_owner != g_thread_self ())
    return;
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  release (self);
}

int
at_store_get_schema_version (AtStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (self, "PRAGMA user_version", NULL);

  return stmt && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : -1;
}

static gboolean
migrate (AtStore  *self,
         GError  **error)
{
  int version = at_store_get_schema_version (self);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the database %s/attest.db was written by a newer Attest (schema %d; this one knows %d)"),
                   self->data_dir, version, (int) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!_at_store_begin (self, error))
        return FALSE;
      if (!_at_store_exec (self, migrations[version], error) ||
          !_at_store_exec (self, bump, error) ||
          !_at_store_commit (self, error))
        {
          _at_store_rollback (self);
          g_prefix_error (error, _("could not upgrade the database to schema %d: "), version + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/* What processes killed half-way left in the data directory (at-temp.h): a live process's
 * temporaries are locked and stay. */
static void
sweep_dead_temporaries (AtStore *self)
{
  static const char * const folders[] = { "identities", "catalogs" };
  g_autofree char *evidence = g_build_filename (self->data_dir, "evidence", NULL);

  at_temp_sweep (self->data_dir, _AT_STORE_IMPORT_PREFIX);
  at_temp_sweep (evidence, _AT_STORE_EVIDENCE_TEMP_PREFIX);
  /* every dot file in these is a .NAME.tmp-XXXXXX of at_write_file_atomic */
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *dir = g_build_filename (self->data_dir, folders[i], NULL);
      at_temp_sweep (dir, ".");
    }
}

AtStore *
at_store_open (const char  *data_dir,
               GError     **error)
{
  g_autoptr(AtStore) self = g_object_new (AT_TYPE_STORE, NULL);
  g_autofree char *db_path = NULL;
  int rc;

  self->data_dir = data_dir ? g_strdup (data_dir) : at_store_default_data_dir ();

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not create the data directory %s: %s"),
                   self->data_dir, at_strerror (saved));
      return NULL;
    }

  db_path = g_build_filename (self->data_dir, "attest.db", NULL);
  rc = sqlite3_open_v2 (db_path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not open the database %s: %s"),
                   db_path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, AT_STORE_BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, 1);

  if (!_at_store_exec (self, "SELECT count(*) FROM sqlite_master", error))
    {
      g_prefix_error (error, _("%s is not an Attest database: "), db_path);
      return NULL;
    }

  /* WAL keeps readers (the window) and a writer (attest-cli) out of each other's way;
   * synchronous=FULL makes a committed transaction survive a power cut, not only a crash. */
  if (!_at_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !_at_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !_at_store_exec (self, "PRAGMA foreign_keys = ON", error))
    {
      g_prefix_error (error, "%s: ", db_path);
      return NULL;
    }

  if (!migrate (self, error))
    return NULL;

  sweep_dead_temporaries (self);

  if (!_at_standards_sync_bundled (self, error))
    return NULL;

  return g_steal_pointer (&self);
}
