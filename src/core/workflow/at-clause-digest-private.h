/* at-clause-digest-private.h — the digest of what the reviewer judges on a clause */
#pragma once

#include "at-store.h"

G_BEGIN_DECLS

/* The digest of one clause's records, computed from them now. */
char       *_at_clause_digest       (AtStore     *store,
                                     const char  *assessment_id,
                                     const char  *clause,
                                     GError     **error);
/* clause → digest of every clause that has records (the others digest to
 * _at_clause_digest_empty ()); kept in the store between calls and brought up to date from
 * the audit log. */
GHashTable *_at_clause_digests      (AtStore     *store,
                                     const char  *assessment_id,
                                     GError     **error);
const char *_at_clause_digest_empty (void);

G_END_DECLS
