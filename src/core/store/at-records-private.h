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
  const char * const *unsigned_columns; /* workflow columns left out of the sign-off digest;
                                          { "*" }: the whole entity */
  const char * const *late_columns;  /* added after records were first signed: left out of the
                                          record while NULL, so the states logged and the digests
                                          signed before the column existed stay what they were */
  gboolean            files;         /* its rows name a stored file by sha256 and size (bundles
                                        carry those files) */
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
/* Calls func for every row of one entity of the assessment, in key order, with its key (as
 * _at_records_keys spells it) and the row as _at_records_row gives it (func may keep a ref). */
typedef void (*AtRecordsFunc) (const char *key,
                               JsonObject *row,
                               gpointer    user_data);
gboolean            _at_records_foreach      (AtStore      *store,
                                              const char   *entity,
                                              const char   *assessment_id,
                                              AtRecordsFunc func,
                                              gpointer      user_data,
                                              GError      **error);

/* The same, only the rows for which condition (SQL over the table's columns, with ?2 bound to
 * arg) holds. */
gboolean            _at_records_foreach_where (AtStore      *store,
                                              const char   *entity,
                                              const char   *assessment_id,
                                              const char   *condition,
                                              const char   *arg,
                                              AtRecordsFunc func,
                                              gpointer      user_data,
                                              GError      **error);
/* The SHA-256 of a JSON array of {entity, key, record} items — the form every digest of
 * records takes — fed one item at a time. */
typedef struct _AtDigestStream AtDigestStream;
AtDigestStream     *_at_digest_stream_new    (void);
void                _at_digest_stream_add    (AtDigestStream *self,
                                              const char     *entity,
                                              const char     *key,
                                              JsonObject     *record);
char               *_at_digest_stream_finish (AtDigestStream *self);   /* frees self */
void                _at_digest_stream_free   (AtDigestStream *self);
/* The digest of one entity's rows alone (the recheck's comments, which a sign-off signs
 * beside the records). */
char               *_at_records_entity_digest (AtStore     *store,
                                              const char   *entity,
                                              const char   *assessment_id,
                                              GError      **error);
char               *_at_json_canonical       (JsonNode     *node);

G_END_DECLS
