/* at-store.h — the user's data directory: the SQLite database and the files beside it
 *
 * One AtStore is one data directory. Opening it creates what is missing, migrates the schema and
 * registers the catalogs built into Attest.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AT_STORE_SCHEMA_VERSION 6

#define AT_TYPE_STORE (at_store_get_type ())
G_DECLARE_FINAL_TYPE (AtStore, at_store, AT, STORE, GObject)

char       *at_store_default_data_dir (void);
AtStore    *at_store_open             (const char  *data_dir,
                                       GError     **error);
const char *at_store_get_data_dir     (AtStore     *self);
char       *at_store_get_path         (AtStore     *self,
                                       const char  *first_element,
                                       ...) G_GNUC_NULL_TERMINATED;
int         at_store_get_schema_version (AtStore   *self);

G_END_DECLS
