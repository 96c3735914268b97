/* at-recheck-page.h — the reviewer's queue: the assessments submitted for recheck */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_RECHECK_PAGE (at_recheck_page_get_type ())
G_DECLARE_FINAL_TYPE (AtRecheckPage, at_recheck_page, AT, RECHECK_PAGE, GtkWidget)

/* Signal “open” (assessment id). Property “n-submitted”: how many wait for their recheck. */
void  at_recheck_page_set_application (AtRecheckPage *self,
                                       AtApplication *app);
void  at_recheck_page_reload          (AtRecheckPage *self);
void  at_recheck_page_update_count    (AtRecheckPage *self);
guint at_recheck_page_get_n_submitted (AtRecheckPage *self);

G_END_DECLS
