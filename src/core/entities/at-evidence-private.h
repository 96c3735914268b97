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

G_END_DECLS
