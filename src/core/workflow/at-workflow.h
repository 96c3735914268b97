/* at-workflow.h — submit, recheck, certificate, reopen: the sign-offs of chapter 11 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-assessment.h"
#include "at-signature.h"
#include "at-store.h"

G_BEGIN_DECLS

gboolean  at_assessment_submit   (AtStore     *store,
                                  const char  *assessment_id,
                                  AtSigner    *lead,
                                  GError     **error);
gboolean  at_assessment_review   (AtStore     *store,
                                  const char  *assessment_id,
                                  AtSigner    *reviewer,
                                  gboolean     approve,
                                  const char  *conclusion,
                                  GError     **error);
gboolean  at_assessment_reopen   (AtStore     *store,
                                  const char  *assessment_id,
                                  const char  *actor,
                                  const char  *reason,
                                  GError     **error);
char     *at_certificate_issue   (AtStore     *store,
                                  const char  *assessment_id,
                                  AtSigner    *issuer,
                                  guint        valid_years,
                                  GError     **error);
/* Hands out a certificate number: prefix, the sequence number in width digits, suffix (the
 * parts of the setting certificate.pattern for this assessment today). Called inside the
 * issue's transaction once every check has passed; a number this store has already used is
 * asked for again. */
typedef char *(*AtNumberFunc) (const char  *prefix,
                               guint        width,
                               const char  *suffix,
                               gpointer     user_data,
                               GError     **error);

/* at_certificate_issue numbers the certificate in this store; the registry hands out numbers
 * through this one, so that two issuers never give the same number. */
char     *at_certificate_issue_full (AtStore       *store,
                                     const char    *assessment_id,
                                     AtSigner      *issuer,
                                     guint          valid_years,
                                     AtNumberFunc   number_func,
                                     gpointer       number_data,
                                     GError       **error);
/* Checks every sign-off still in force: its CMS signature, and that the records it signed are
 * the records today. One sentence per sign-off in lines; FALSE when any fails. */
gboolean  at_signoffs_verify     (AtStore     *store,
                                  const char  *assessment_id,
                                  GPtrArray   *lines,
                                  GError     **error);

/* The whole of an assessment as `attest-cli --json assessment show` prints it; with a store,
 * its records too (findings with indicator results, evidence, nonconformities, sign-offs). */
JsonNode *at_assessment_to_json_full (AtAssessment *assessment,
                                      AtStore      *store);

G_END_DECLS
