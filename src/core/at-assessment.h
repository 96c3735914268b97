/* at-assessment.h — one assessment of one organisation against one catalog version */
#pragma once

#include <json-glib/json-glib.h>

#include "at-catalog.h"
#include "at-store.h"

G_BEGIN_DECLS

typedef enum
{
  AT_KIND_THIRD_PARTY,
  AT_KIND_SELF,
} AtKind;

const char *at_kind_to_string (AtKind       kind);
AtKind      at_kind_parse     (const char  *name,
                               GError     **error);

typedef struct
{
  const char         *standard;  /* catalog code */
  const char         *version;   /* NULL: the newest */
  const char         *org;
  const char         *lead;      /* identity id */
  AtKind              kind;
  const char         *scope;
  const char * const *sites;
} AtAssessmentSpec;

#define AT_TYPE_ASSESSMENT (at_assessment_get_type ())
G_DECLARE_FINAL_TYPE (AtAssessment, at_assessment, AT, ASSESSMENT, GObject)

AtAssessment *at_assessment_create        (AtStore                *store,
                                           const AtAssessmentSpec *spec,
                                           GError                **error);
GPtrArray    *at_assessment_list          (AtStore                *store,
                                           GError                **error);
AtAssessment *at_assessment_lookup        (AtStore                *store,
                                           const char             *id,
                                           GError                **error);

const char   *at_assessment_get_id        (AtAssessment *self);
const char   *at_assessment_get_org       (AtAssessment *self);
const char   *at_assessment_get_state     (AtAssessment *self);
const char   *at_assessment_get_lead      (AtAssessment *self);
const char   *at_assessment_get_scope     (AtAssessment *self);
const char * const *at_assessment_get_sites (AtAssessment *self);
AtKind        at_assessment_get_kind      (AtAssessment *self);
const char   *at_assessment_get_created   (AtAssessment *self);
AtCatalog    *at_assessment_get_catalog   (AtAssessment *self);
JsonNode     *at_assessment_to_json       (AtAssessment *self);
JsonNode     *at_assessment_to_json_full  (AtAssessment *self,
                                           AtStore      *store);

G_END_DECLS
