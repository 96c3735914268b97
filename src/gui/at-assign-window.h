/* at-assign-window.h — the lead splits the clauses among the assessment team */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

#define AT_TYPE_ASSIGN_WINDOW (at_assign_window_get_type ())
G_DECLARE_FINAL_TYPE (AtAssignWindow, at_assign_window, AT, ASSIGN_WINDOW, AdwWindow)

/* Emits "changed" after every assignment, so the checklist follows. */
GtkWidget *at_assign_window_new (GtkWindow     *parent,
                                 AtApplication *app,
                                 AtWorksheet   *worksheet);

G_END_DECLS
