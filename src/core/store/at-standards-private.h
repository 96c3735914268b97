#pragma once

#include "at-store.h"

G_BEGIN_DECLS

gboolean _at_standards_sync_bundled (AtStore  *store,
                                     GError  **error);

G_END_DECLS
