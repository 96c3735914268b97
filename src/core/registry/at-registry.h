/* at-registry.h — the certification body's registry: one PostgreSQL database that many
 * assessors publish to, that numbers certificates, and that anyone can ask about a certificate
 *
 * Attest stays offline-first: a data directory is the working copy, the registry holds what
 * was published — the signed bundle of each assessment (checked exactly as an import checks
 * it before anything is stored), its certificate, and the certificate's signed status changes
 * (suspended, withdrawn, restored). Certificate numbers come from the registry when one is
 * set up, so two issuers at once never give the same number.
 *
 * The address is a libpq connection URI or string (postgresql://user@host/db?sslmode=require).
 * It never carries a password: libpq reads it from ~/.pgpass or the file PGPASSFILE names.
 * An AtRegistry is one connection: use it from one thread at a time.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-bundle.h"
#include "at-signature.h"
#include "at-store.h"

G_BEGIN_DECLS

#define AT_TYPE_REGISTRY (at_registry_get_type ())
G_DECLARE_FINAL_TYPE (AtRegistry, at_registry, AT, REGISTRY, GObject)

/* The schema version this Attest writes and reads. */
guint        at_registry_schema_version  (void);

/* Creates the registry's tables in the database url names, or brings them up to date (one
 * transaction per migration). applied_out (may be NULL) receives how many were applied. */
gboolean     at_registry_migrate         (const char    *url,
                                          guint         *applied_out,
                                          GError       **error);

/* Connects and checks the schema. A URL with a password in it is refused (AT_ERROR_INVALID). */
AtRegistry  *at_registry_connect         (const char    *url,
                                          GError       **error);
const char  *at_registry_get_url         (AtRegistry    *self);

/* Issues the certificate of assessment_id in store, with a number the registry gives (one
 * PostgreSQL transaction behind a unique constraint; conflicts are retried). */
char        *at_registry_certificate_issue (AtRegistry  *self,
                                            AtStore     *store,
                                            const char  *assessment_id,
                                            AtSigner    *issuer,
                                            guint        valid_years,
                                            GError     **error);

/* Exports the assessment as a bundle signed by signer and publishes it. Only an approved or
 * certified assessment is published (AT_ERROR_REFUSED otherwise). lines_out (may be NULL)
 * receives one sentence per check, as `verify FILE.attest` prints them. */
gboolean     at_registry_publish         (AtRegistry    *self,
                                          AtStore       *store,
                                          const char    *assessment_id,
                                          AtSigner      *signer,
                                          GPtrArray     *lines_out,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* Publishes a bundle file: it is checked as an import checks it (structure, signature, every
 * hash, the audit chain against the records) and refused with the reason, nothing stored. */
gboolean     at_registry_publish_file    (AtRegistry    *self,
                                          const char    *bundle_path,
                                          GPtrArray     *lines_out,
                                          GError       **error);

/* Published assessments, newest first, as a JSON array of objects (id, org, standard,
 * standard_version, kind, state, exported_by_name, published_at, bundle_sha256, bundle_size,
 * certificate: {number, status, issued_on, valid_until} or null). org matches part of the
 * organisation's name (any case); state is an assessment state (approved, certified) or a
 * certificate status (valid, suspended, withdrawn, expired). Both may be NULL. */
JsonNode    *at_registry_list            (AtRegistry    *self,
                                          const char    *org,
                                          const char    *state,
                                          GError       **error);

/* Downloads the bundle of an assessment (by its id or its certificate number), checks it
 * against the SHA-256 recorded when it was published, and imports it with the normal importer.
 * Returns the assessment id, as at_bundle_import does. */
char        *at_registry_fetch           (AtRegistry          *self,
                                          AtStore             *store,
                                          const char          *id_or_number,
                                          AtBundleImportFlags  flags,
                                          AtBundleOutcome     *outcome_out,
                                          GCancellable        *cancellable,
                                          GError             **error);

/* A certificate's status, with every status change checked (its signature, and the chain
 * that links each change to the one before): a JSON object with number, assessment_id, org,
 * standard, standard_version, issued_by, issued_by_name, issued_on, valid_until, status
 * (valid, suspended, withdrawn or expired — expired computed from valid_until), since,
 * reason, history [{status, reason, signer, signer_name, signed_at}]. A history that does not
 * verify is AT_ERROR_INVALID; an unknown or unpublished number AT_ERROR_NOT_FOUND. */
JsonNode    *at_registry_status          (AtRegistry    *self,
                                          const char    *number,
                                          GError       **error);

/* Suspends ("suspended"), withdraws ("withdrawn") or restores ("valid") a certificate: the
 * change is signed by an issuer, over the number, the new status, the reason and the time,
 * and appended to the certificate's history. A withdrawn certificate stays withdrawn. */
gboolean     at_registry_set_status      (AtRegistry    *self,
                                          const char    *number,
                                          const char    *status,
                                          const char    *reason,
                                          AtSigner      *issuer,
                                          GError       **error);

/* The status as a translated word (“valid”, “suspended”…). */
const char  *at_registry_status_label    (const char    *status);

/* In a worker thread, each on its own connection to url. The store must not be used from
 * another thread meanwhile (issue, fetch, publish). */
void         at_registry_certificate_issue_async  (const char          *url,
                                                   AtStore             *store,
                                                   const char          *assessment_id,
                                                   AtSigner            *issuer,
                                                   guint                valid_years,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char        *at_registry_certificate_issue_finish (GAsyncResult        *result,
                                                   GError             **error);
void         at_registry_list_async      (const char          *url,
                                          const char          *org,
                                          const char          *state,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
JsonNode    *at_registry_list_finish     (GAsyncResult        *result,
                                          GError             **error);
/* The store must not be used from another thread meanwhile. */
void         at_registry_fetch_async     (const char          *url,
                                          AtStore             *store,
                                          const char          *id_or_number,
                                          AtBundleImportFlags  flags,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char        *at_registry_fetch_finish    (GAsyncResult        *result,
                                          AtBundleOutcome     *outcome_out,
                                          GError             **error);
void         at_registry_publish_async   (const char          *url,
                                          AtStore             *store,
                                          const char          *assessment_id,
                                          AtSigner            *signer,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     at_registry_publish_finish  (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
