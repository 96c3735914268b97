/* at-workflow-private.h — what the report and the bundle need from the workflow */
#pragma once

#include <json-glib/json-glib.h>

#include "at-change-private.h"

G_BEGIN_DECLS

/* A sign-off kind as a sentence names it (“approval”), translated; records keep the names. */
const char *_at_signoff_kind_label (const char   *kind);

void        _at_signoffs_to_json   (AtStore      *store,
                                    AtAssessment *assessment,
                                    JsonBuilder  *builder);

/* at-review.c: the rules the sign-offs apply, and the recheck's part of `show --json` */
gboolean    _at_review_check_independent (AtStore     *store,
                                          const char  *assessment_id,
                                          AtIdentity  *who,
                                          GError     **error);
gboolean    _at_review_check_approval    (AtStore     *store,
                                          const char  *assessment_id,
                                          GError     **error);
gboolean    _at_review_check_answers     (AtStore     *store,
                                          const char  *assessment_id,
                                          GError     **error);
char       *_at_review_digest            (AtStore     *store,
                                          const char  *assessment_id,
                                          GError     **error);
void        _at_review_to_json           (AtStore      *store,
                                          AtAssessment *assessment,
                                          JsonBuilder  *builder);

/* at_signoffs_verify, with the failing sign-offs' lines apart in @failed (may be NULL) */
gboolean    _at_signoffs_verify_full     (AtStore     *store,
                                          const char  *assessment_id,
                                          GPtrArray   *lines,
                                          GPtrArray   *failed,
                                          GError     **error);

G_END_DECLS
