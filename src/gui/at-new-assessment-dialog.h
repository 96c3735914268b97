/* at-new-assessment-dialog.h — set up an assessment: standard, organisation, kind, lead */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_NEW_ASSESSMENT_DIALOG (at_new_assessment_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtNewAssessmentDialog, at_new_assessment_dialog, AT, NEW_ASSESSMENT_DIALOG, AdwWindow)

AtNewAssessmentDialog *at_new_assessment_dialog_new (GtkWindow *parent,
                                                     AtStore   *store);

G_END_DECLS
