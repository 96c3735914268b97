/* at-assessment-show.c — an assessment with all its records, as `assessment show --json` prints
 *
 * The report's content and the GUI's details are built from this same JSON, so what is shown,
 * printed and digested is one description. Each module writes its own records' members.
 */
#include "config.h"

#include "at-workflow.h"
#include "at-workflow-private.h"

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
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
