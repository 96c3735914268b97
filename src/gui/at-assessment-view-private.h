/* at-assessment-view-private.h — what the view and its workflow actions share */
#pragma once

#include "at-assessment-view.h"
#include "at-clause-page.h"
#include "at-clause-row.h"

G_BEGIN_DECLS

struct _AtAssessmentView
{
  GtkWidget           parent_instance;

  AtApplication      *app;
  AtWorksheet        *worksheet;
  GPtrArray          *rows;         /* AtClauseRow, one per worksheet item, in document order */
  guint               scroll_tick;
  guint               scroll_ticks;
  AtWorksheetFilter   filter_kind;
  char               *search;
  GHashTable         *collapsed;    /* AtWorksheetItem headings folded in the list */
  GHashTable         *matching;     /* AtWorksheetItem kept by the filter and the search */
  GtkWindow          *nc_window;    /* weak */
  GHashTable         *independence_shown; /* "assessment\nidentity": the rule was put to them */

  /* template children */
  AdwLeaflet         *leaflet;
  AdwWindowTitle     *sidebar_title;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *filter_dropdown;
  GtkLabel           *progress_label;
  GtkProgressBar     *progress_bar;
  GtkStack           *list_stack;
  GtkScrolledWindow  *list_scroller;
  GtkListBox         *clause_list;
  AdwWindowTitle     *content_title;
  GtkMenuButton      *menu_button;
  GtkMenuButton      *primary_button;
  GtkWidget          *identity_button;
  GtkRevealer        *banner;
  GtkLabel           *banner_label;
  GtkButton          *banner_button;
  AtClausePage       *clause_page;
};

/* at-assessment-view-actions.c: the chapter-11 workflow and the exports */
void _at_assessment_view_install_actions (GtkWidgetClass   *widget_class);
void _at_assessment_view_update_actions  (AtAssessmentView *self);
void _at_assessment_view_show_nonconformities (AtAssessmentView *self,
                                               const char       *nc_id);

/* at-assessment-view-recheck.c: the reviewer's desk and the rework */
void     _at_assessment_view_install_recheck        (GtkWidgetClass   *widget_class);
void     _at_assessment_view_update_recheck_actions (AtAssessmentView *self);
void     _at_assessment_view_add_recheck_shortcuts  (AtAssessmentView *self);
char    *_at_assessment_view_recheck_progress       (AtAssessmentView *self,
                                                     double           *fraction);
gboolean _at_assessment_view_recheck_banner         (AtAssessmentView *self,
                                                     char            **text,
                                                     const char      **button,
                                                     const char      **action);
void     _at_assessment_view_check_independence     (AtAssessmentView *self);
/* Selects the next clause to review (or the next query to answer), after the selected one or
 * from the top. */
void     _at_assessment_view_next_to_review         (AtAssessmentView *self,
                                                     gboolean          from_start);

G_END_DECLS
