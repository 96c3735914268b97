/* at-assessment-dialog.h — an assessment's set-up, new or existing */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_ASSESSMENT_DIALOG (at_assessment_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtAssessmentDialog, at_assessment_dialog, AT, ASSESSMENT_DIALOG, AdwWindow)

/* “created” (id) once the new assessment exists */
GtkWidget *at_assessment_dialog_new          (GtkWindow     *parent,
                                              AtApplication *app);
/* “saved” once the changed details are recorded */
GtkWidget *at_assessment_dialog_new_for_edit (GtkWindow     *parent,
                                              AtApplication *app,
                                              AtAssessment  *assessment);

/* “created” (id): a surveillance or re-assessment that follows previous (at_assessment_create_from) */
GtkWidget *at_assessment_dialog_new_surveillance (GtkWindow     *parent,
                                                  AtApplication *app,
                                                  AtAssessment  *previous);
/* “created” (id): a third-party assessment from an organisation's application bundle
 * (at_assessment_create_from_bundle, in a worker thread with a busy dialog) */
GtkWidget *at_assessment_dialog_new_from_application (GtkWindow     *parent,
                                                      AtApplication *app,
                                                      GFile         *bundle);

G_END_DECLS
