/* at-assessment-show.c — an assessment with all its records, as `assessment show --json` prints
 *
 * The report's content and the GUI's details are built from this same JSON, so what is shown,
 * printed and digested is one description. Each module writes its own records' members.
 */
#include "config.h"

#include "at-assignment.h"
#include "at-finding.h"
#include "at-nonconformity.h"
#include "at-workflow.h"
#include "at-workflow-private.h"

/* What the assessment started from, for reference beside its own records: the organisation's
 * self-assessment (its verdicts, never copied) or the previous assessment (its verdicts and
 * nonconformities). Read live from the store, so it is shown, not signed or reported. */
static void
reference_to_json (AtStore      *store,
                   AtAssessment *assessment,
                   JsonBuilder  *b)
{
  const char *based_on = at_assessment_get_based_on (assessment);
  g_autoptr(AtAssessment) base = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) ncs = NULL;

  json_builder_set_member_name (b, "reference");
  if (based_on == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "basis");
  json_builder_add_string_value (b, at_basis_to_string (at_assessment_get_basis (assessment)));
  json_builder_set_member_name (b, "assessment");
  json_builder_add_string_value (b, based_on);
  base = at_assessment_lookup (store, based_on, NULL);
  json_builder_set_member_name (b, "present");
  json_builder_add_boolean_value (b, base != NULL);
  if (base != NULL)
    {
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, at_kind_to_string (at_assessment_get_kind (base)));
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, at_assessment_get_state (base));
      json_builder_set_member_name (b, "created_at");
      json_builder_add_string_value (b, at_assessment_get_created (base));

      json_builder_set_member_name (b, "findings");
      json_builder_begin_array (b);
      findings = at_finding_list (store, based_on, NULL);
      for (guint i = 0; findings && i < findings->len; i++)
        {
          AtFinding *f = findings->pdata[i];

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "clause");
          json_builder_add_string_value (b, at_finding_get_clause (f));
          json_builder_set_member_name (b, "verdict");
          json_builder_add_string_value (b, at_verdict_to_string (at_finding_get_verdict (f)));
          json_builder_set_member_name (b, "note");
          json_builder_add_string_value (b, at_finding_get_note (f));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);

      json_builder_set_member_name (b, "nonconformities");
      json_builder_begin_array (b);
      ncs = at_nonconformity_list (store, based_on, NULL);
      for (guint i = 0; ncs && i < ncs->len; i++)
        json_builder_add_value (b, at_nonconformity_to_json (ncs->pdata[i]));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

JsonNode *
at_assessment_to_json_full (AtAssessment *assessment,
                            AtStore      *store)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  _at_assessment_json_members (assessment, b);
  if (store != NULL)
    {
      _at_findings_to_json (store, assessment, b);
      _at_evidence_to_json (store, assessment, b);
      _at_nonconformities_to_json (store, assessment, b);
      _at_signoffs_to_json (store, assessment, b);
      _at_review_to_json (store, assessment, b);
      _at_assignments_to_json (store, at_assessment_get_id (assessment), b);
      reference_to_json (store, assessment, b);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
