/* at-report-private.h — laying out a report from its content (at-report-render.c) */
#pragma once

#include <json-glib/json-glib.h>

#include "at-assessment.h"
#include "at-catalog.h"
#include "at-pdf-private.h"

G_BEGIN_DECLS

/* 2: the recheck's rounds and per-clause records, NC follow-up history and evidence, where
 * evidence came from, superseded sign-offs, what an assessment started from. A report of
 * format 1 is still read and checked against the records as format 1 saw them. */
#define AT_REPORT_FORMAT     "attest-report/2"
#define AT_REPORT_FORMAT_1   "attest-report/1"
#define AT_REPORT_ATTACHMENT "attest-report.json"

typedef struct
{
  JsonObject         *content;      /* the model the digest covers; see at-report.h */
  AtCatalog          *catalog;      /* clause titles and texts; NULL shows numbers only */
  AtLang              lang;
  gboolean            draft;
  gboolean            certificate;  /* lead with the certificate page */
  const char         *data_dir;     /* for evidence thumbnails; NULL: none */
  const char         *digest;       /* SHA-256 (hex) of the canonical content */
  const char         *qr_payload;
  const char * const *fields;       /* signature fields to lay out, in signing order */
  const char         *signer_name;  /* who signs a self-assessment (not in the content) */
  const char         *signer_org;
} AtReportSpec;

AtPdf      *_at_report_render       (const AtReportSpec *spec,
                                     GError            **error);
char       *_at_report_qr_payload   (const char        *certificate_number,
                                     const char        *assessment_id,
                                     const char        *digest);
char       *_at_report_qr_digest    (const char        *payload);
const char *_at_report_field_label  (const char        *field,
                                     AtLang             lang);
char      **_at_report_signed_lines (AtLang             lang,
                                     const char        *name,
                                     GDateTime         *when);
char       *_at_json_canonical_sorted (JsonNode        *node);

/* at-report.c, for at-report-verify.c */
JsonNode   *_at_report_build_content (AtStore         *store,
                                      AtAssessment    *assessment,
                                      GError         **error);
const char *_at_report_approving_reviewer (JsonObject *records);
/* The content as an earlier format described the same records (format 1: without what
 * format 2 added), for checking an older report against the records now. */
void        _at_report_content_as_format  (JsonNode        *content,
                                           const char      *format);
char       *_at_report_reason       (const char        *field,
                                     JsonObject        *records);

static inline JsonNode *
_at_jmember (JsonObject *o,
             const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
}

static inline const char *
_at_jstr (JsonObject *o,
          const char *name)
{
  JsonNode *n = _at_jmember (o, name);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

static inline JsonArray *
_at_jarr (JsonObject *o,
          const char *name)
{
  JsonNode *n = _at_jmember (o, name);

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static inline JsonObject *
_at_jobj (JsonObject *o,
          const char *name)
{
  JsonNode *n = _at_jmember (o, name);

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

G_END_DECLS
