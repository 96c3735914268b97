/* at-merge-window.h — a team member's work merged: each conflict side by side, decided */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_MERGE_WINDOW (at_merge_window_get_type ())
G_DECLARE_FINAL_TYPE (AtMergeWindow, at_merge_window, AT, MERGE_WINDOW, AdwWindow)

/* Emits "merged" with the assessment id once the merge is written; closing the window before
 * that writes nothing. */
GtkWidget *at_merge_window_new (GtkWindow     *parent,
                                AtApplication *app,
                                AtMerge       *merge);

G_END_DECLS
