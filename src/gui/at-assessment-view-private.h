/* at-assessment-view-private.h — what the view and its workflow actions share */
#pragma once

#include "at-assessment-view.h"
#include "at-clause-page.h"

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

G_END_DECLS
