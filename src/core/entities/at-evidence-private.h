/* at-evidence-private.h — what at-evidence.c and at-evidence-add.c share */
#pragma once

#include "at-evidence.h"

G_BEGIN_DECLS

#include "at-store-private.h"

/* ingests write <data_dir>/evidence/.tmp-XXXXXX, locked while they live (at-temp.h) */
#define _AT_EVIDENCE_TEMP_PREFIX _AT_STORE_EVIDENCE_TEMP_PREFIX

gboolean _at_evidence_is_sha256 (const char *text);

/* What a file's bytes say as they stream past during an ingest: its kind, and when a photo
 * was taken (EXIF). Fed chunk by chunk; also what tests/fuzz feeds hostile files. */
typedef struct _AtEvidenceSniff AtEvidenceSniff;

AtEvidenceSniff *_at_evidence_sniff_new    (const char       *original_name,
                                            gboolean          has_kind,
                                            AtEvidenceKind    kind);
void             _at_evidence_sniff_feed   (AtEvidenceSniff  *self,
                                            const guchar     *buf,
                                            gsize             n);
AtEvidenceKind   _at_evidence_sniff_finish (AtEvidenceSniff  *self,
                                            char            **captured_at);
void             _at_evidence_sniff_free   (AtEvidenceSniff  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtEvidenceSniff, _at_evidence_sniff_free)
/* One file on its way in as evidence, for operations that record it with other rows in their
 * own transaction: _new checks (store thread), _run copies and hashes to a temporary file (any
 * thread), _place moves it into place and inserts its rows (inside the caller's transaction),
 * _unplace takes back a placed file after a rollback, _free drops an unplaced temporary file. */
typedef struct _AtEvidenceIngest AtEvidenceIngest;

AtEvidenceIngest *_at_evidence_ingest_new          (AtStore            *store,
                                                    const char         *assessment_id,
                                                    const char         *path,
                                                    const char         *actor,
                                                    const char * const *clauses,
                                                    const char         *kind_or_null,
                                                    const char         *note,
                                                    GError            **error);
gboolean          _at_evidence_ingest_run          (AtEvidenceIngest   *ingest,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
const char       *_at_evidence_ingest_get_tmp_path (AtEvidenceIngest   *ingest);
const char       *_at_evidence_ingest_get_sha256   (AtEvidenceIngest   *ingest);
const char       *_at_evidence_ingest_get_name     (AtEvidenceIngest   *ingest);
gint64            _at_evidence_ingest_get_size     (AtEvidenceIngest   *ingest);
gboolean          _at_evidence_ingest_place        (AtStore            *store,
                                                    AtEvidenceIngest   *ingest,
                                                    gboolean           *placed,
                                                    GError            **error);
void              _at_evidence_ingest_unplace      (AtStore            *store,
                                                    AtEvidenceIngest   *ingest);
void              _at_evidence_ingest_free         (AtEvidenceIngest   *ingest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtEvidenceIngest, _at_evidence_ingest_free)

G_END_DECLS
