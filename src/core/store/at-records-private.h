/* at-records-private.h — the records of one assessment, as canonical JSON
 *
 * One description of every table that belongs to an assessment serves the audit trail (the
 * logged state of each entity), sign-offs (the digest of all records) and bundles (the
 * manifest). A table added to the schema is added here once.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char         *entity;        /* "finding" */
  const char         *table;         /* "findings" */
  const char * const *key_columns;   /* besides assessment_id, in key order */
  const char * const *unsigned_columns; /* workflow columns left out of the sign-off digest */
} AtEntityDesc;

const AtEntityDesc *_at_records_entities     (guint        *n_entities);
const AtEntityDesc *_at_records_lookup       (const char   *entity);
JsonObject         *_at_records_row          (AtStore      *store,
                                              const char   *entity,
                                              const char   *assessment_id,
                                              const char   *key,
                                              GError      **error);
char               *_at_records_state        (AtStore      *store,
                                              const char   *entity,
                                              const char   *assessment_id,
                                              const char   *key,
                                              GError      **error);
GPtrArray          *_at_records_keys         (AtStore      *store,
                                              const char   *entity,
                                              const char   *assessment_id,
                                              GError      **error);
char               *_at_records_digest       (AtStore      *store,
                                              const char   *assessment_id,
                                              GError      **error);
char               *_at_json_canonical       (JsonNode     *node);

G_END_DECLS
