/* at-assessments-page.h — the list of assessments in the data directory */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_ASSESSMENTS_PAGE (at_assessments_page_get_type ())
G_DECLARE_FINAL_TYPE (AtAssessmentsPage, at_assessments_page, AT, ASSESSMENTS_PAGE, GtkWidget)

void at_assessments_page_setup  (AtAssessmentsPage *self,
                                 AtApplication     *app,
                                 GMenuModel        *primary_menu);
void at_assessments_page_reload (AtAssessmentsPage *self);
void at_assessments_page_focus_search (AtAssessmentsPage *self);

G_END_DECLS
