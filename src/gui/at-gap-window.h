/* at-gap-window.h — the gap view of an assessment: what fails or is missing, chapter by chapter */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_GAP_WINDOW (at_gap_window_get_type ())
G_DECLARE_FINAL_TYPE (AtGapWindow, at_gap_window, AT, GAP_WINDOW, AdwWindow)

/* NULL with the error when the assessment cannot be analysed. Signal “show-clause”
 * (assessment id, clause) when a gap clause is activated; the window stays open. */
GtkWidget *at_gap_window_new    (GtkWindow     *parent,
                                 AtApplication *app,
                                 const char    *assessment_id,
                                 GError       **error);
const char *at_gap_window_get_assessment_id (AtGapWindow *self);
/* After the records changed: analyses them again. */
gboolean   at_gap_window_reload (AtGapWindow   *self,
                                 GError       **error);

G_END_DECLS
