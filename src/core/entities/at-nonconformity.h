/* at-nonconformity.h — nonconformities, rectification suggestions and their follow-up
 *
 * An assessor raises a nonconformity against an assessable clause while the assessment can be
 * changed; the organisation (or an assessor) responds with its corrective action and an
 * assessor verifies it, closing or reopening it, at any time, even after the certificate.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-store.h"

G_BEGIN_DECLS

typedef enum
{
  AT_GRADE_MAJOR,
  AT_GRADE_MINOR,
  AT_GRADE_OBSERVATION,
} AtGrade;

typedef enum
{
  AT_NC_OPEN,
  AT_NC_RESPONDED,
  AT_NC_CLOSED,
} AtNcStatus;

const char *at_grade_to_string     (AtGrade      grade);
gboolean    at_grade_parse         (const char  *name,
                                    AtGrade     *out,
                                    GError     **error);
const char *at_nc_status_to_string (AtNcStatus   status);
gboolean    at_due_date_parse      (const char  *text,
                                    GDate       *out,
                                    GError     **error);

#define AT_TYPE_NONCONFORMITY (at_nonconformity_get_type ())
G_DECLARE_FINAL_TYPE (AtNonconformity, at_nonconformity, AT, NONCONFORMITY, GObject)

const char *at_nonconformity_get_id            (AtNonconformity *self);
const char *at_nonconformity_get_assessment_id (AtNonconformity *self);
guint       at_nonconformity_get_seq           (AtNonconformity *self);
const char *at_nonconformity_get_label         (AtNonconformity *self); /* “NC-3” */
const char *at_nonconformity_get_clause        (AtNonconformity *self);
AtGrade     at_nonconformity_get_grade         (AtNonconformity *self);
const char *at_nonconformity_get_text          (AtNonconformity *self);
const char *at_nonconformity_get_suggestion    (AtNonconformity *self);
const char *at_nonconformity_get_due           (AtNonconformity *self); /* YYYY-MM-DD or NULL */
AtNcStatus  at_nonconformity_get_status        (AtNonconformity *self);
const char *at_nonconformity_get_response      (AtNonconformity *self);
const char *at_nonconformity_get_responded_by  (AtNonconformity *self);
const char *at_nonconformity_get_responded_at  (AtNonconformity *self);
const char *at_nonconformity_get_verified_by   (AtNonconformity *self);
const char *at_nonconformity_get_verified_at   (AtNonconformity *self);
const char *at_nonconformity_get_raised_by     (AtNonconformity *self);
const char *at_nonconformity_get_raised_at     (AtNonconformity *self);
JsonNode   *at_nonconformity_to_json           (AtNonconformity *self);
/* with its follow-up history and the evidence of its corrective action */
JsonNode   *at_nonconformity_to_json_full      (AtNonconformity *self,
                                                AtStore         *store);
/* past its due date and not closed (today: NULL for the local date now) */
gboolean    at_nonconformity_is_overdue        (AtNonconformity *self,
                                                GDate           *today);

GPtrArray       *at_nonconformity_list   (AtStore     *store,
                                          const char  *assessment_id,
                                          GError     **error);
AtNonconformity *at_nonconformity_lookup (AtStore     *store,
                                          const char  *id,
                                          GError     **error);
/* Every nonconformity not closed, of every assessment in the store, the earliest due first;
 * with overdue_only, those past their due date on today (NULL: now). */
GPtrArray       *at_nonconformity_list_open (AtStore   *store,
                                          gboolean     overdue_only,
                                          GDate       *today,
                                          GError     **error);
/* Objects {action, by, at, status[, text]} — raised, responded, closed, reopened — and
 * {action, by, at, evidence, name} for a file attached to a corrective action, oldest first. */
JsonArray       *at_nonconformity_history  (AtStore          *store,
                                          AtNonconformity  *self,
                                          GError          **error);
/* The files attached to its corrective action: {sha256, kind, size, original_name, note,
 * added_by, added_at}. */
JsonArray       *at_nonconformity_evidence (AtStore          *store,
                                          AtNonconformity  *self,
                                          GError          **error);

typedef struct
{
  AtGrade     grade;
  const char *text;        /* what was found, against which requirement */
  const char *suggestion;  /* the rectification suggested */
  const char *due;         /* YYYY-MM-DD, or NULL */
} AtNonconformitySpec;

char     *at_nonconformity_add     (AtStore                    *store,
                                    const char                 *assessment_id,
                                    const char                 *clause,
                                    const char                 *actor,
                                    const AtNonconformitySpec  *spec,
                                    GError                    **error);
gboolean  at_nonconformity_respond (AtStore                    *store,
                                    const char                 *id,
                                    const char                 *actor,
                                    const char                 *response,
                                    GError                    **error);
gboolean  at_nonconformity_verify  (AtStore                    *store,
                                    const char                 *id,
                                    const char                 *actor,
                                    gboolean                    close,
                                    GError                    **error);

/* Attaches a file to the corrective action of an NC (see at-evidence-add.c); the async variant
 * copies and hashes in a worker thread. Returns the file's SHA-256. */
char     *at_nonconformity_add_evidence        (AtStore              *store,
                                                const char           *nc_id,
                                                const char           *path,
                                                const char           *actor,
                                                const char           *kind_or_null,
                                                const char           *note,
                                                GCancellable         *cancellable,
                                                GError              **error);
void      at_nonconformity_add_evidence_async  (AtStore              *store,
                                                const char           *nc_id,
                                                const char           *path,
                                                const char           *actor,
                                                const char           *kind_or_null,
                                                const char           *note,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
char     *at_nonconformity_add_evidence_finish (AtStore              *store,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
