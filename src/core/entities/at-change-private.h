/* at-change-private.h — how core modules make a change to an assessment
 *
 * Every change goes through _at_change_begin / _at_change_commit: one transaction, the state and
 * role rules checked first, every touched entity appended to the audit log before committing.
 * It sits with the entities (not the workflow above them) because every entity module needs it;
 * the workflow's sign-offs move the state with _at_set_state.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-assessment.h"
#include "at-identity.h"

G_BEGIN_DECLS

typedef enum
{
  AT_CHANGE_RECORD,    /* findings, measurements, evidence, nonconformities: only while editable */
  AT_CHANGE_FOLLOW_UP, /* an NC's response and verification: in any state */
  AT_CHANGE_REVIEW,    /* the recheck's comments: only while submitted, by a reviewer */
} AtChangeKind;

/* Begins the transaction (taking the write lock), then checks that the assessment exists and
 * is editable (for AT_CHANGE_RECORD: by an assessor, or the organisation in a
 * self-assessment; for AT_CHANGE_REVIEW: submitted, by a reviewer) and that the actor exists.
 * A draft becomes “in-progress” with its first record. On failure the transaction is rolled
 * back and nothing is written. */
gboolean _at_change_begin  (AtStore        *store,
                            const char     *assessment_id,
                            const char     *actor,
                            AtChangeKind    kind,
                            AtAssessment  **out_assessment,
                            AtIdentity    **out_actor,
                            GError        **error);
gboolean _at_change_commit (AtStore        *store,
                            GError        **error);
void     _at_change_abort  (AtStore        *store);

gboolean _at_set_state     (AtStore        *store,
                            const char     *assessment_id,
                            const char     *actor,
                            const char     *state,
                            const char     *action,
                            GError        **error);

/* draft, in-progress and returned: the states in which records may change */
gboolean    _at_state_is_editable (const char *state);
/* Why a state refuses a change, as the end of a sentence. */
const char *_at_state_refusal     (const char *state);

/* An assessment state as a sentence names it: in English the very name (“in-progress”) that is
 * stored and that --json prints, translated for people. Only ever for messages: records,
 * digests and signatures keep the names. */
const char *_at_state_label       (const char *state);

/* Pieces of `assessment show --json`, each written by the module that owns the records; the
 * workflow puts them together (at_assessment_to_json_full). */
void     _at_assessment_json_members (AtAssessment *assessment,
                                      JsonBuilder  *builder);
void     _at_findings_to_json      (AtStore      *store,
                                    AtAssessment *assessment,
                                    JsonBuilder  *builder);
void     _at_evidence_to_json      (AtStore      *store,
                                    AtAssessment *assessment,
                                    JsonBuilder  *builder);
void     _at_nonconformities_to_json (AtStore    *store,
                                    AtAssessment *assessment,
                                    JsonBuilder  *builder);

G_END_DECLS
