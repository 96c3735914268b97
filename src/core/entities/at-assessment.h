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

/* What an assessment starts from (QCS 11.3 a and surveillance). */
typedef enum
{
  AT_BASIS_NONE,
  AT_BASIS_APPLICATION,  /* the organisation's application: its submitted self-assessment, whose
                            evidence becomes the document evaluation's material */
  AT_BASIS_SURVEILLANCE, /* the previous assessment of the organisation */
} AtBasis;

const char *at_basis_to_string (AtBasis    basis);   /* NULL for none */

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
  const char         *address;    /* the organisation's address */
  const char * const *team;       /* identity ids of the assessors besides the lead */
  const char         *start_date; /* YYYY-MM-DD: the planned (or actual) first day on site */
  const char         *end_date;   /* YYYY-MM-DD: the last day; not before start_date */
  AtBasis             basis;      /* with based_on: what it starts from */
  const char         *based_on;   /* the id of that assessment, in this store */
} AtAssessmentSpec;

#define AT_TYPE_ASSESSMENT (at_assessment_get_type ())
G_DECLARE_FINAL_TYPE (AtAssessment, at_assessment, AT, ASSESSMENT, GObject)

AtAssessment *at_assessment_create        (AtStore                *store,
                                           const AtAssessmentSpec *spec,
                                           GError                **error);
/* A new assessment of the organisation that previous_id assessed, for surveillance or
 * re-assessment: organisation, address, scope, sites and catalog come from it (members of spec
 * that are set replace them), the lead, team and dates from spec. */
AtAssessment *at_assessment_create_from   (AtStore                *store,
                                           const char             *previous_id,
                                           const AtAssessmentSpec *spec,
                                           GError                **error);
/* Changes what the set-up recorded while the assessment can change: each non-NULL member of
 * details replaces the recorded one ("" or an empty array clears it). standard, version, lead
 * and kind cannot change: they are what the records were made against. */
gboolean      at_assessment_update        (AtStore                *store,
                                           const char             *id,
                                           const char             *actor,
                                           const AtAssessmentSpec *details,
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
const char   *at_assessment_get_address   (AtAssessment *self);
const char * const *at_assessment_get_team (AtAssessment *self);
const char   *at_assessment_get_start_date (AtAssessment *self);
const char   *at_assessment_get_end_date  (AtAssessment *self);
const char   *at_assessment_get_updated   (AtAssessment *self);
AtKind        at_assessment_get_kind      (AtAssessment *self);
const char   *at_assessment_get_created   (AtAssessment *self);
AtCatalog    *at_assessment_get_catalog   (AtAssessment *self);
AtBasis       at_assessment_get_basis     (AtAssessment *self);
const char   *at_assessment_get_based_on  (AtAssessment *self);
/* What the set-up recorded; the workflow's at_assessment_to_json_full adds the records. */
JsonNode     *at_assessment_to_json       (AtAssessment *self);

G_END_DECLS
