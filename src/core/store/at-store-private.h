/* at-store-private.h — SQLite access for the core modules only (the GUI and CLI never touch it) */
#pragma once

#include <sqlite3.h>

#include "at-store.h"

G_BEGIN_DECLS

sqlite3      *_at_store_get_db     (AtStore      *self);
gboolean      _at_store_exec       (AtStore      *self,
                                    const char   *sql,
                                    GError      **error);
sqlite3_stmt *_at_store_prepare    (AtStore      *self,
                                    const char   *sql,
                                    GError      **error);
gboolean      _at_store_step_done  (AtStore      *self,
                                    sqlite3_stmt *stmt,
                                    GError      **error);
gboolean      _at_store_begin      (AtStore      *self,
                                    GError      **error);
gboolean      _at_store_begin_read (AtStore      *self,
                                    GError      **error);
gboolean      _at_store_commit     (AtStore      *self,
                                    GError      **error);
void          _at_store_rollback   (AtStore      *self);
void          _at_store_set_error  (AtStore      *self,
                                    GError      **error,
                                    const char   *what);

/* How long a write waits for another program's write to finish (at-store.c says why so long). */
#define AT_STORE_BUSY_TIMEOUT_MS 30000

/* Temporaries in the data directory, each locked by the process writing it (at-temp.h):
 * bundle imports unpack into <data_dir>/.bundle-import-XXXXXX/, ingests write
 * <data_dir>/evidence/.tmp-XXXXXX, and files written whole (keys, catalog copies) go through
 * .NAME.tmp-XXXXXX beside NAME. Opening the store sweeps those of dead processes. */
#define _AT_STORE_IMPORT_PREFIX        ".bundle-import-"
#define _AT_STORE_EVIDENCE_TEMP_PREFIX ".tmp-"

/* the text of column i, or NULL */
#define _at_col_text(stmt, i) ((const char *) sqlite3_column_text ((stmt), (i)))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
