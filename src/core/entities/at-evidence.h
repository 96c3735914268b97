/* at-evidence.h — files that prove a finding, stored by their SHA-256
 *
 * A file is stored once per data directory, at <data_dir>/evidence/<aa>/<sha256>, however many
 * assessments refer to it. Each assessment has its own record of it (who added it, when, a note)
 * and links from it to the clauses it supports.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-store.h"
#include "at-util.h"

G_BEGIN_DECLS

typedef enum
{
  AT_EVIDENCE_DOCUMENT,
  AT_EVIDENCE_PHOTO,
  AT_EVIDENCE_AUDIO,
  AT_EVIDENCE_VIDEO,
  AT_EVIDENCE_OTHER,
} AtEvidenceKind;

const char     *at_evidence_kind_to_string (AtEvidenceKind   kind);
AtEvidenceKind  at_evidence_kind_parse     (const char      *name,
                                            GError         **error);
AtEvidenceKind  at_evidence_kind_guess     (const char      *filename,
                                            const guchar    *data,
                                            gsize            len);

#define AT_TYPE_EVIDENCE (at_evidence_get_type ())
G_DECLARE_FINAL_TYPE (AtEvidence, at_evidence, AT, EVIDENCE, GObject)

const char         *at_evidence_get_sha256        (AtEvidence *self);
AtEvidenceKind      at_evidence_get_kind          (AtEvidence *self);
gint64              at_evidence_get_size          (AtEvidence *self);
const char         *at_evidence_get_original_name (AtEvidence *self);
const char         *at_evidence_get_note          (AtEvidence *self);
const char         *at_evidence_get_captured_at   (AtEvidence *self);
const char         *at_evidence_get_added_by      (AtEvidence *self);
const char         *at_evidence_get_added_at      (AtEvidence *self);
/* NULL for evidence recorded in this assessment; "application:<id>" for the material an
 * organisation's self-assessment brought (document evaluation, QCS 11.3 a) */
const char         *at_evidence_get_origin        (AtEvidence *self);
const char * const *at_evidence_get_clauses       (AtEvidence *self);
JsonNode           *at_evidence_to_json           (AtEvidence *self);

GPtrArray  *at_evidence_list             (AtStore              *store,
                                          const char           *assessment_id,
                                          GError              **error);
GPtrArray  *at_evidence_list_for_clause  (AtStore              *store,
                                          const char           *assessment_id,
                                          const char           *clause,
                                          GError              **error);
AtEvidence *at_evidence_lookup           (AtStore              *store,
                                          const char           *assessment_id,
                                          const char           *sha256,
                                          GError              **error);
char       *at_evidence_get_path         (AtStore              *store,
                                          const char           *sha256);

char       *at_evidence_add              (AtStore              *store,
                                          const char           *assessment_id,
                                          const char           *path,
                                          const char           *actor,
                                          const char * const   *clauses,
                                          const char           *kind_or_null,
                                          const char           *note,
                                          AtProgressFunc        progress,
                                          gpointer              progress_data,
                                          GCancellable         *cancellable,
                                          GError              **error);
void        at_evidence_add_async        (AtStore              *store,
                                          const char           *assessment_id,
                                          const char           *path,
                                          const char           *actor,
                                          const char * const   *clauses,
                                          const char           *kind_or_null,
                                          const char           *note,
                                          AtProgressFunc        progress,
                                          gpointer              progress_data,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char       *at_evidence_add_finish       (AtStore              *store,
                                          GAsyncResult         *result,
                                          GError              **error);

gboolean    at_evidence_remove           (AtStore              *store,
                                          const char           *assessment_id,
                                          const char           *sha256,
                                          const char           *actor,
                                          GError              **error);

GHashTable *at_evidence_count_by_clause  (AtStore              *store,
                                          const char           *assessment_id,
                                          GError              **error);
guint       at_evidence_count_for_clause (AtStore              *store,
                                          const char           *assessment_id,
                                          const char           *clause);

guint       at_evidence_clean_temporary  (AtStore              *store);
gboolean    at_evidence_prune            (AtStore              *store,
                                          guint                *n_removed,
                                          GError              **error);

G_END_DECLS
