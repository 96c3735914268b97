/* at-follow-up-page.h — the follow-up desk: every open nonconformity across the assessments */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_FOLLOW_UP_PAGE (at_follow_up_page_get_type ())
G_DECLARE_FINAL_TYPE (AtFollowUpPage, at_follow_up_page, AT, FOLLOW_UP_PAGE, GtkWidget)

/* Signals: “open” (assessment id, clause) to open an assessment at a clause. Property
 * “n-overdue”: how many open nonconformities are past their due date. */
void  at_follow_up_page_set_application (AtFollowUpPage *self,
                                         AtApplication  *app);
void  at_follow_up_page_reload          (AtFollowUpPage *self);
void  at_follow_up_page_update_count    (AtFollowUpPage *self);
guint at_follow_up_page_get_n_overdue   (AtFollowUpPage *self);

G_END_DECLS
