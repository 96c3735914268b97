/* at-audit.h — the hash-chained log of every change to an assessment */
#pragma once

#include "at-store.h"

G_BEGIN_DECLS

/* Checks the chain and that the records today are the records the log last saw. Returns FALSE
 * only when the check could not run; problems (sentences) say what is wrong, if anything. */
gboolean at_audit_verify (AtStore     *store,
                          const char  *assessment_id,
                          GPtrArray   *problems,
                          guint       *n_entries,
                          GError     **error);

G_END_DECLS
