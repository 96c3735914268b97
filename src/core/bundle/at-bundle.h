/* at-bundle.h — one assessment as a signed .attest file (tar + zstd), and back
 *
 * A bundle holds manifest.json (every record, the audit log, the catalog, the public
 * certificates of the people involved, the evidence list with SHA-256 and sizes),
 * manifest.json.sig (a detached CMS signature of manifest.json by the exporting identity) and
 * evidence/<sha256> for each evidence file, in that order. Export streams; import checks
 * everything before it writes anything, then applies the bundle in one transaction.
 */
#pragma once

#include "at-assessment.h"
#include <json-glib/json-glib.h>

#include "at-signature.h"
#include "at-store.h"
#include "at-util.h"

G_BEGIN_DECLS

#define AT_BUNDLE_FORMAT "attest-bundle/1"

/* What an importer accepts, whatever the bundle claims. */
#define AT_BUNDLE_MAX_ENTRIES        100000                            /* archive entries */
#define AT_BUNDLE_MAX_ENTRY_SIZE     (G_GUINT64_CONSTANT (4) << 30)    /* 4 GiB per evidence file */
#define AT_BUNDLE_MAX_MANIFEST_SIZE  (G_GUINT64_CONSTANT (64) << 20)   /* 64 MiB */
#define AT_BUNDLE_MAX_SIGNATURE_SIZE (G_GUINT64_CONSTANT (1) << 20)    /* 1 MiB */
/* The catalog's text inside the manifest: five times the largest built-in one (QCS, 190 KB).
 * Validating a catalog costs far more per byte than anything else an import does. */
#define AT_BUNDLE_MAX_CATALOG_SIZE   (G_GUINT64_CONSTANT (1) << 20)    /* 1 MiB */

typedef enum
{
  AT_BUNDLE_IMPORT_NONE    = 0,
  AT_BUNDLE_IMPORT_AS_COPY = 1 << 0, /* always import as a new assessment (new id, new audit log) */
} AtBundleImportFlags;

typedef enum
{
  AT_BUNDLE_IMPORTED,  /* the assessment was not in this store */
  AT_BUNDLE_UPDATED,   /* the bundle is a later revision of the same history: applied */
  AT_BUNDLE_UNCHANGED, /* the bundle is the revision this store has: nothing written */
  AT_BUNDLE_COPIED,    /* imported as a new assessment (AT_BUNDLE_IMPORT_AS_COPY) */
} AtBundleOutcome;

const char *at_bundle_outcome_to_string (AtBundleOutcome outcome);

/* Writes the assessment to out_path atomically (a temporary file beside it, fsynced, renamed),
 * signed by signer. Memory does not grow with the evidence: files are streamed and hashed on
 * the way, and a file that no longer matches its SHA-256 stops the export. progress is called
 * with bytes done out of total, from the calling thread. */
gboolean  at_bundle_export        (AtStore              *store,
                                   const char           *assessment_id,
                                   const char           *out_path,
                                   AtSigner             *signer,
                                   AtProgressFunc        progress,
                                   gpointer              progress_data,
                                   GCancellable         *cancellable,
                                   GError              **error);

/* Reads and checks the whole bundle first (into a temporary folder in the data directory that
 * is removed afterwards), then applies it in one transaction. Returns the id of the assessment
 * imported, updated or left unchanged (or of the new copy). A bad bundle is AT_ERROR_INVALID;
 * a bundle that conflicts with this store's revision of the assessment is AT_ERROR_REFUSED. */
char     *at_bundle_import        (AtStore              *store,
                                   const char           *path,
                                   AtBundleImportFlags   flags,
                                   AtBundleOutcome      *outcome_out,
                                   AtProgressFunc        progress,
                                   gpointer              progress_data,
                                   GCancellable         *cancellable,
                                   GError              **error);

/* QCS 11.3 a: imports the organisation's application (a bundle of its submitted
 * self-assessment, checked like any import, kept on file as it is) and creates a third-party
 * assessment on it, led by spec->lead: organisation, address, scope, sites and catalog come
 * from the application unless spec sets them; its evidence becomes the new assessment's
 * document-evaluation material on the same clauses; its verdicts are not copied. */
AtAssessment *at_assessment_create_from_bundle (AtStore                *store,
                                                const char             *path,
                                                const AtAssessmentSpec *spec,
                                                AtProgressFunc          progress,
                                                gpointer                progress_data,
                                                GCancellable           *cancellable,
                                                GError                **error);

/* Checks a bundle without any store: structure, limits, signature, every evidence hash, and
 * the records against the audit log (in a scratch store that is removed). lines_out (may be
 * NULL) receives one sentence per fact checked. FALSE with an error naming the first problem. */
gboolean  at_bundle_verify        (const char           *path,
                                   GPtrArray            *lines_out,
                                   GError              **error);

/* The same checks; returns what the bundle is about (members assessment_id, org, kind, state,
 * scope, address, standard, standard_version, exported_by, exported_by_name, exported_at,
 * evidence_bytes, certificate — its row or null —, identities as the manifest lists them). */
JsonNode *at_bundle_verify_summary (const char          *path,
                                   GPtrArray            *lines_out,
                                   GError              **error);

/* The same in a worker thread. The store must not be used from another thread meanwhile. */
void      at_bundle_export_async  (AtStore              *store,
                                   const char           *assessment_id,
                                   const char           *out_path,
                                   AtSigner             *signer,
                                   AtProgressFunc        progress,
                                   gpointer              progress_data,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean  at_bundle_export_finish (AtStore              *store,
                                   GAsyncResult         *result,
                                   GError              **error);
void      at_bundle_import_async  (AtStore              *store,
                                   const char           *path,
                                   AtBundleImportFlags   flags,
                                   AtProgressFunc        progress,
                                   gpointer              progress_data,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
char     *at_bundle_import_finish (AtStore              *store,
                                   GAsyncResult         *result,
                                   AtBundleOutcome      *outcome_out,
                                   GError              **error);
void      at_bundle_verify_async  (const char           *path,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
/* Returns the lines (free with g_ptr_array_unref), or NULL with the error. */
GPtrArray *at_bundle_verify_finish (GAsyncResult        *result,
                                   GError              **error);

G_END_DECLS
