/* at-standards.h — the catalogs a store knows: built in, and imported by the user */
#pragma once

#include "at-catalog.h"
#include "at-store.h"

G_BEGIN_DECLS

GPtrArray *at_standards_list     (AtStore     *store,
                                  GError     **error);
AtCatalog *at_standards_get      (AtStore     *store,
                                  const char  *code,
                                  const char  *version,
                                  GError     **error);
AtCatalog *at_standards_get_by_id (AtStore    *store,
                                  gint64       id,
                                  GError     **error);
AtCatalog *at_standards_import   (AtStore     *store,
                                  const char  *path,
                                  GPtrArray   *warnings,
                                  GError     **error);
gint64     at_standards_lookup_id (AtStore    *store,
                                  AtCatalog   *catalog,
                                  GError     **error);
gboolean   at_standards_is_bundled (AtStore   *store,
                                  AtCatalog   *catalog);

G_END_DECLS
