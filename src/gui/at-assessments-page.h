/* at-assessments-page.h — the desks: the assessments, the reviewer's queue, the follow-up */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_ASSESSMENTS_PAGE (at_assessments_page_get_type ())
G_DECLARE_FINAL_TYPE (AtAssessmentsPage, at_assessments_page, AT, ASSESSMENTS_PAGE, GtkWidget)

/* Signals: “open” (assessment id), “open-clause” (assessment id, clause). */

void at_assessments_page_setup  (AtAssessmentsPage *self,
                                 AtApplication     *app,
                                 GMenuModel        *primary_menu);
void at_assessments_page_reload (AtAssessmentsPage *self);
void at_assessments_page_focus_search (AtAssessmentsPage *self);
/* "assessments", "recheck" or "follow-up" */
void at_assessments_page_show_desk (AtAssessmentsPage *self,
                                    const char        *name);

G_END_DECLS
