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

/* The prev_hash of an assessment's first entry. */
#define AT_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The hash of one entry, as _at_audit_append writes it and at_audit_verify checks it. */
char    *_at_audit_entry_hash (const char  *prev_hash,
                               gint64       n,
                               const char  *at,
                               const char  *actor,
                               const char  *action,
                               const char  *entity,
                               const char  *key,
                               const char  *state);

G_END_DECLS
