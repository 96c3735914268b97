/* at-gui-labels.h — how core's values read on screen, in the user's language
 *
 * Core speaks in codes ("nonconform", "in-progress", ">=") so that the records and the command
 * line stay stable; every widget that shows one of them takes its words from here.
 */
#pragma once

#include <adwaita.h>

#include "at-core.h"
#include "at-gui-util.h"

G_BEGIN_DECLS

const char *at_gui_verdict_label       (AtVerdict           verdict);
const char *at_gui_verdict_css         (AtVerdict           verdict);
const char *at_gui_state_label         (const char         *state);
const char *at_gui_kind_label          (AtKind              kind);
const char *at_gui_grade_label         (AtGrade             grade);
const char *at_gui_nc_status_label     (AtNcStatus          status);
const char *at_gui_method_label        (const char         *method);
const char *at_gui_evidence_kind_label (AtEvidenceKind      kind);
const char *at_gui_evidence_kind_icon  (AtEvidenceKind      kind);
char       *at_gui_roles_label         (AtRoles             roles);
char       *at_gui_unit_label          (const char         *unit);
char       *at_gui_indicator_requirement (const AtIndicator *indicator);
char       *at_gui_indicator_result    (const AtIndicator       *indicator,
                                        const AtIndicatorResult *result);
char       *at_gui_format_time         (const char         *iso8601);
/* “From calls.csv: 100 of 100 000 rows …”, from a measurement's recorded source; NULL for none */
char       *at_gui_measurement_source  (const char         *source_json);

/* The text of an AtText in the user's language, falling back to the other one. */
const char *at_gui_text                (const AtText       *text);
AtLang      at_gui_lang                (void);


G_END_DECLS
