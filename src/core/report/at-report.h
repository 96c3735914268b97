/* at-report.h — the certificate report: a PDF built from an assessment's records, signed
 *
 * A report is made of a certificate page (a certified third-party assessment only) and the
 * assessment report (ISO 19011 6.5.1), in Chinese or English, with the font embedded. It
 * carries its content — the canonical JSON of what it was built from — as an attachment
 * (attest-report.json), and the SHA-256 of that content in its QR code and document
 * information, so a report can be checked against its content and against the records.
 *
 * The content digest covers, as canonical JSON (members sorted by name, no whitespace):
 * the format ("attest-report/2"), the assessment id, the certificate number (or null), the
 * certification body's name and address, the name, organisation and roles of every person
 * the records mention, and the records as `attest-cli --json assessment show A` prints them
 * (findings with indicator results, evidence, nonconformities, sign-offs, certificate). The
 * language and the layout are not covered: the Chinese and English reports of the same
 * records carry the same digest.
 *
 * Signatures are PDF signatures (detached CMS, SHA-256, adbe.pkcs7.detached), one revision
 * each: a third-party report is signed first by the reviewer who approved the assessment,
 * then — when it is certified — by the issuer; a self-assessment report by an identity of
 * the organisation. An unsigned report is a draft: every page says so.
 */
#pragma once

#include "at-signature.h"
#include "at-store.h"
#include "at-util.h"

G_BEGIN_DECLS

/* Writes the report of assessment_id to out_path (atomically). With a signer and !draft, the
 * report is signed by it as its first revision; the workflow decides who may (AT_ERROR_REFUSED
 * otherwise). Without a signer, or with draft, it is an unsigned preview, in any state. */
gboolean at_report_write        (AtStore              *store,
                                 const char           *assessment_id,
                                 const char           *out_path,
                                 AtLang                lang,
                                 gboolean              draft,
                                 AtSigner             *signer_or_null,
                                 GError              **error);
void     at_report_write_async  (AtStore              *store,
                                 const char           *assessment_id,
                                 const char           *out_path,
                                 AtLang                lang,
                                 gboolean              draft,
                                 AtSigner             *signer_or_null,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
gboolean at_report_write_finish (AtStore              *store,
                                 GAsyncResult         *result,
                                 GError              **error);

/* Who signs a report when nobody is named: for an approved or certified third-party
 * assessment the people its records name — the reviewer whose approval is in force, then the
 * issuer of its certificate; for a self-assessment once submitted, its lead for the
 * organisation. Identity ids in signing order; empty when nobody may sign yet (a draft). */
GPtrArray *at_report_default_signers (AtStore     *store,
                                      const char  *assessment_id,
                                      GError     **error);

/* Appends the next signature (the issuer's, after the reviewer's) to a signed report, as an
 * incremental revision: the signatures already there stay valid. */
gboolean at_report_sign         (AtStore              *store,
                                 const char           *pdf_path,
                                 AtSigner             *signer,
                                 GError              **error);

/* Checks every signature, the QR code's digest against the attached content and, when the
 * assessment is in store, the content against the records as they are now. One sentence per
 * signature and per check goes to lines_out (strings). FALSE with AT_ERROR_INVALID when any
 * check fails. */
gboolean at_report_verify       (AtStore              *store_or_null,
                                 const char           *pdf_path,
                                 GPtrArray            *lines_out,
                                 GError              **error);

/* The certificate number the report's content carries (what its signatures and QR code cover);
 * AT_ERROR_NOT_FOUND for a report without one (a self-assessment, a draft before the issue). */
char    *at_report_certificate_number (const char       *pdf_path,
                                       GError          **error);

G_END_DECLS
