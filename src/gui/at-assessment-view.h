/* at-assessment-view.h — one assessment: the clause checklist beside the clause page */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_ASSESSMENT_VIEW (at_assessment_view_get_type ())
G_DECLARE_FINAL_TYPE (AtAssessmentView, at_assessment_view, AT, ASSESSMENT_VIEW, GtkWidget)

gboolean     at_assessment_view_load          (AtAssessmentView *self,
                                               AtApplication    *app,
                                               GMenuModel       *primary_menu,
                                               const char       *assessment_id,
                                               GError          **error);
AtWorksheet *at_assessment_view_get_worksheet (AtAssessmentView *self);
/* Saves what is being typed; FALSE while evidence is still being added. */
gboolean     at_assessment_view_flush         (AtAssessmentView *self);
/* After a change made elsewhere (another identity, a bundle): re-read the records. */
void         at_assessment_view_refresh       (AtAssessmentView *self);
void         at_assessment_view_select_clause (AtAssessmentView *self,
                                               const char       *number);
/* What the sidebar lists, as the filter menu and the search field set it. */
void         at_assessment_view_set_filter    (AtAssessmentView *self,
                                               AtWorksheetFilter filter,
                                               const char       *search);
guint        at_assessment_view_get_n_listed  (AtAssessmentView *self);

G_END_DECLS
