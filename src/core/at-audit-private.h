#pragma once

#include "at-audit.h"

G_BEGIN_DECLS

/* Appends the current state of one entity (after the change, NULL once deleted) to the log,
 * inside the caller's transaction. */
gboolean _at_audit_append (AtStore     *store,
                           const char  *assessment_id,
                           const char  *actor,
                           const char  *action,
                           const char  *entity,
                           const char  *key,
                           GError     **error);

G_END_DECLS
