/* at-assessment-view.c — one assessment: the clause checklist beside the clause page
 *
 * The sidebar is the catalog's tree, filtered (not yet assessed, nonconform, with NC, without
 * evidence) and searched by number or words; the keyboard walks it without leaving the clause
 * page. On a narrow window the leaflet folds and shows one side at a time.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-assessment-view-private.h"
#include "at-clause-row.h"
#include "at-gui-labels.h"
#include "at-identity-button.h"

G_DEFINE_FINAL_TYPE (AtAssessmentView, at_assessment_view, GTK_TYPE_WIDGET)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const AtWorksheetFilter filter_kinds[] = {
  AT_WORKSHEET_ALL, AT_WORKSHEET_NOT_ASSESSED, AT_WORKSHEET_NONCONFORM,
  AT_WORKSHEET_WITH_NC, AT_WORKSHEET_WITHOUT_EVIDENCE,
  AT_WORKSHEET_NOT_REVIEWED, AT_WORKSHEET_QUERIED, AT_WORKSHEET_CHANGED,
  AT_WORKSHEET_MINE,
};

AtWorksheet *
at_assessment_view_get_worksheet (AtAssessmentView *self)
{
  return self->worksheet;
}

static void select_position (AtAssessmentView *self, guint pos);

static gboolean
state_editable (AtWorksheet *worksheet)
{
  const char *state = at_assessment_get_state (at_worksheet_get_assessment (worksheet));

  return g_strcmp0 (state, "draft") == 0 || g_strcmp0 (state, "in-progress") == 0 || g_strcmp0 (state, "returned") == 0;
}
static guint position_of (AtAssessmentView *self, const char *number);

/* ---- the list: the catalog's tree, one row per clause, headings that fold ---------------------
 *
 * A GtkListBox rather than a virtualised GtkListView: a standard has a few hundred clauses, and
 * with a row made once per clause a filter or a search only shows and hides rows — a GtkListView
 * re-binds every row of a list this short on each change. */

static gboolean
folded_away (AtAssessmentView *self,
             AtWorksheetItem  *item)
{
  for (AtWorksheetItem *up = at_worksheet_item_get_parent (item); up; up = at_worksheet_item_get_parent (up))
    if (g_hash_table_contains (self->collapsed, up))
      return TRUE;
  return FALSE;
}

static gboolean
listed (AtAssessmentView *self,
        AtWorksheetItem  *wi)
{
  gboolean searching = self->search != NULL && *self->search != '\0';

  /* the clause on screen stays listed while it is worked on, even once it no longer passes the
   * filter (a search, though, lists only what it finds) */
  if (wi == at_clause_page_get_item (self->clause_page) && !searching)
    return TRUE;
  /* a search or a filter looks inside folded chapters too */
  if (self->filter_kind == AT_WORKSHEET_ALL && !searching && folded_away (self, wi))
    return FALSE;
  return self->matching == NULL || g_hash_table_contains (self->matching, wi);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  return listed (user_data, at_clause_row_get_item (AT_CLAUSE_ROW (row)));
}

static void refilter (AtAssessmentView *self);
static void keep_selected_in_sight (AtAssessmentView *self);

static void
on_row_toggled (AtClauseRow      *row,
                AtWorksheetItem  *item,
                AtAssessmentView *self)
{
  if (!g_hash_table_remove (self->collapsed, item))
    g_hash_table_add (self->collapsed, item);
  at_clause_row_set_expanded (row, !g_hash_table_contains (self->collapsed, item));
  refilter (self);
}

static AtClauseRow *
row_at (AtAssessmentView *self,
        guint             index)
{
  return index < self->rows->len ? self->rows->pdata[index] : NULL;
}

static AtWorksheetItem *
item_at (AtAssessmentView *self,
         guint             index)
{
  return at_clause_row_get_item (row_at (self, index));
}

static guint
selected_index (AtAssessmentView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->clause_list);

  return row ? (guint) gtk_list_box_row_get_index (row) : GTK_INVALID_LIST_POSITION;
}

static void
fill_rows (AtAssessmentView *self)
{
  GPtrArray *items = at_worksheet_get_items (self->worksheet);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->clause_list))))
    gtk_list_box_remove (self->clause_list, child);
  g_ptr_array_set_size (self->rows, 0);
  /* document order, so that a heading comes before its clauses */
  for (guint i = 0; i < items->len; i++)
    {
      GtkWidget *row = at_clause_row_new (items->pdata[i]);

      g_signal_connect_object (row, "toggled", G_CALLBACK (on_row_toggled), self, 0);
      gtk_list_box_append (self->clause_list, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
update_progress (AtAssessmentView *self)
{
  guint done = at_worksheet_get_n_assessed (self->worksheet);
  guint all = at_worksheet_get_n_assessable (self->worksheet);
  double fraction = all ? (double) done / all : 0;
  /* once submitted, the checklist counts the recheck's progress */
  g_autofree char *text = _at_assessment_view_recheck_progress (self, &fraction);

  if (text == NULL)
    /* Translators: the checklist's progress, “132 / 187 assessed” */
    text = g_strdup_printf (_("%u / %u assessed"), done, all);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

guint
at_assessment_view_get_n_listed (AtAssessmentView *self)
{
  guint n = 0;

  for (guint i = 0; i < self->rows->len; i++)
    n += listed (self, item_at (self, i));
  return n;
}

static void
update_empty (AtAssessmentView *self)
{
  gtk_stack_set_visible_child_name (self->list_stack, at_assessment_view_get_n_listed (self) ? "list" : "none");
}

static void
refilter (AtAssessmentView *self)
{
  g_clear_pointer (&self->matching, g_hash_table_unref);
  if (self->worksheet)
    self->matching = at_worksheet_select (self->worksheet, self->filter_kind, self->search);
  gtk_list_box_invalidate_filter (self->clause_list);
  update_empty (self);
  /* rows come and go above the chosen one: keep it in sight */
  keep_selected_in_sight (self);
}

static void
on_filter_changed (AtAssessmentView *self)
{
  guint pos = gtk_drop_down_get_selected (self->filter_dropdown);
  AtWorksheetFilter kind = filter_kinds[MIN (pos, G_N_ELEMENTS (filter_kinds) - 1)];

  if (kind == self->filter_kind)
    return;
  self->filter_kind = kind;
  refilter (self);
}

static void
on_search_changed (AtAssessmentView *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  AtWorksheetItem *exact;

  /* the entry announces a change again after a pause: nothing to do if it is the same text */
  if (g_strcmp0 (typed, self->search ? self->search : "") == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (typed);
  refilter (self);
  /* a whole clause number goes straight to that clause */
  exact = at_worksheet_lookup (self->worksheet, typed);
  if (exact != NULL && at_clause_get_assessable (at_worksheet_item_get_clause (exact)))
    select_position (self, position_of (self, typed));
}

/* Enter in the search: go to the first clause found, and keep the keyboard on the list */
static void
on_search_activate (AtAssessmentView *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      AtWorksheetItem *item = item_at (self, i);

      if (at_clause_get_assessable (at_worksheet_item_get_clause (item)) && listed (self, item))
        {
          select_position (self, i);
          gtk_widget_grab_focus (GTK_WIDGET (row_at (self, i)));
          adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
          return;
        }
    }
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
update_banner (AtAssessmentView *self)
{
  AtAssessment *a = at_worksheet_get_assessment (self->worksheet);
  const char *state = at_assessment_get_state (a);
  g_autofree char *text = NULL;
  const char *button = NULL, *action = NULL;
  guint open = at_worksheet_get_n_assessable (self->worksheet) - at_worksheet_get_n_assessed (self->worksheet);

  if (_at_assessment_view_recheck_banner (self, &text, &button, &action))
    ;
  else if (g_strcmp0 (state, "submitted") == 0)
    {
      text = g_strdup (_("Submitted for recheck. The records are locked until the reviewer approves or returns them."));
      button = _("Re_check…");
      action = "view.review";
    }
  else if (g_strcmp0 (state, "returned") == 0)
    {
      text = g_strdup (_("Returned for rework by the reviewer: see the recheck conclusion in the assessment details."));
      button = _("_Details…");
      action = "view.details";
    }
  else if (g_strcmp0 (state, "approved") == 0)
    {
      text = g_strdup (at_assessment_get_kind (a) == AT_KIND_SELF
                       ? _("Approved. The self-assessment report can be exported.")
                       : _("Approved after the recheck. An issuer can now decide on the certificate."));
      button = at_assessment_get_kind (a) == AT_KIND_SELF ? _("Export _Report…") : _("Issue _Certificate…");
      action = at_assessment_get_kind (a) == AT_KIND_SELF ? "view.export-report" : "view.certificate";
    }
  else if (g_strcmp0 (state, "certified") == 0)
    {
      text = g_strdup (_("Certified. Export the signed certificate report, or reopen the assessment to change it."));
      button = _("Export _Report…");
      action = "view.export-report";
    }
  else if (open == 0 && at_worksheet_get_n_assessable (self->worksheet) > 0)
    {
      text = g_strdup (_("Every clause has a verdict. The lead assessor can submit the assessment for recheck."));
      button = _("_Submit for Recheck…");
      action = "view.submit";
    }

  gtk_revealer_set_reveal_child (self->banner, text != NULL);
  gtk_label_set_text (self->banner_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), button != NULL);
  if (button)
    {
      gtk_button_set_label (self->banner_button, button);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner_button), action);
    }
}

static void
update_titles (AtAssessmentView *self)
{
  AtAssessment *a = at_worksheet_get_assessment (self->worksheet);
  AtCatalog *catalog = at_assessment_get_catalog (a);
  g_autofree char *subtitle = g_strdup_printf ("%s %s · %s", at_catalog_get_code (catalog),
                                               at_catalog_get_version (catalog),
                                               at_gui_state_label (at_assessment_get_state (a)));
  AtWorksheetItem *item = at_clause_page_get_item (self->clause_page);

  adw_window_title_set_title (self->sidebar_title, at_assessment_get_org (a));
  adw_window_title_set_subtitle (self->sidebar_title, subtitle);
  if (item != NULL)
    {
      g_autofree char *chapter_title = NULL;
      AtClause *top = at_worksheet_item_get_clause (item);

      while (at_clause_get_parent (top) != NULL)
        top = at_clause_get_parent (top);
      chapter_title = at_clause_dup_label (top, at_gui_lang ());
      adw_window_title_set_title (self->content_title, at_clause_get_number (at_worksheet_item_get_clause (item)));
      adw_window_title_set_subtitle (self->content_title, chapter_title);
    }
  else
    {
      adw_window_title_set_title (self->content_title, at_gui_text (at_catalog_get_title (catalog)));
      adw_window_title_set_subtitle (self->content_title, NULL);
    }
}

/* After any change: the worksheet's counts, the rows that changed, the state. */
void
at_assessment_view_refresh (AtAssessmentView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = g_strdup (at_assessment_get_state (at_worksheet_get_assessment (self->worksheet)));

  if (!at_worksheet_refresh (self->worksheet, &error))
    at_gui_toast (GTK_WIDGET (self), error->message);
  update_progress (self);
  update_banner (self);
  update_titles (self);
  _at_assessment_view_update_actions (self);
  if (self->filter_kind != AT_WORKSHEET_ALL)
    refilter (self);
  /* a new state changes what may be edited: the page follows */
  if (g_strcmp0 (before, at_assessment_get_state (at_worksheet_get_assessment (self->worksheet))) != 0)
    at_clause_page_reload (self->clause_page);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_recorded (AtAssessmentView *self)
{
  at_assessment_view_refresh (self);
}

static void
on_row_selected (AtAssessmentView *self,
                 GtkListBoxRow    *row)
{
  if (row == NULL)
    return;
  at_clause_page_set_item (self->clause_page, at_clause_row_get_item (AT_CLAUSE_ROW (row)));
  update_titles (self);
  _at_assessment_view_update_actions (self);
}

static void
on_row_activated (AtAssessmentView *self,
                  GtkListBoxRow    *row)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* the row's index, if it is listed now */
static guint
position_of (AtAssessmentView *self,
             const char       *number)
{
  AtWorksheetItem *item = self->worksheet ? at_worksheet_lookup (self->worksheet, number) : NULL;

  for (guint i = 0; item && i < self->rows->len; i++)
    if (item_at (self, i) == item)
      return listed (self, item) ? i : GTK_INVALID_LIST_POSITION;
  return GTK_INVALID_LIST_POSITION;
}

/* Scrolls to the selected row once the list has been laid out again (in the next frame: rows
 * shown or hidden by a filter have no place before that). */
static gboolean
scroll_on_tick (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  AtAssessmentView *self = data;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->clause_list);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  graphene_rect_t bounds;

  /* a tick comes before the frame's layout: the second one comes after the layout that matters */
  if (++self->scroll_ticks < 2)
    return G_SOURCE_CONTINUE;
  self->scroll_tick = 0;
  if (row && gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self->clause_list), &bounds))
    gtk_adjustment_clamp_page (adj, bounds.origin.y, bounds.origin.y + bounds.size.height);
  return G_SOURCE_REMOVE;
}

static void
keep_selected_in_sight (AtAssessmentView *self)
{
  if (self->scroll_tick != 0 || gtk_list_box_get_selected_row (self->clause_list) == NULL)
    return;
  self->scroll_ticks = 0;
  self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->clause_list), scroll_on_tick, self, NULL);
}

static void
select_position (AtAssessmentView *self,
                 guint             pos)
{
  AtClauseRow *row = row_at (self, pos);

  if (row == NULL)
    return;
  gtk_list_box_select_row (self->clause_list, GTK_LIST_BOX_ROW (row));
  keep_selected_in_sight (self);
}

void
at_assessment_view_select_clause (AtAssessmentView *self,
                                  const char       *number)
{
  guint pos = position_of (self, number);

  if (pos == GTK_INVALID_LIST_POSITION && (self->filter_kind != AT_WORKSHEET_ALL || (self->search && *self->search)))
    {
      /* not in the filtered list: show everything rather than refuse */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_drop_down_set_selected (self->filter_dropdown, 0);
      pos = position_of (self, number);
    }
  select_position (self, pos);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Alt+↓ / Alt+↑: the next listed clause that carries a requirement, skipping headings. */
static void
step (AtAssessmentView *self,
      int               direction)
{
  guint n = self->rows->len;
  guint pos = selected_index (self);
  gint64 i = pos == GTK_INVALID_LIST_POSITION ? (direction > 0 ? -1 : (gint64) n) : (gint64) pos;

  at_clause_page_flush (self->clause_page);
  for (i += direction; i >= 0 && i < (gint64) n; i += direction)
    {
      AtWorksheetItem *item = item_at (self, i);

      if (at_clause_get_assessable (at_worksheet_item_get_clause (item)) && listed (self, item))
        {
          select_position (self, i);
          return;
        }
    }
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
next_clause_action (GtkWidget *widget, const char *name, GVariant *param)
{
  step (AT_ASSESSMENT_VIEW (widget), +1);
}

static void
previous_clause_action (GtkWidget *widget, const char *name, GVariant *param)
{
  step (AT_ASSESSMENT_VIEW (widget), -1);
}

static void
verdict_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  static const AtVerdict by_key[] = { AT_VERDICT_OPEN, AT_VERDICT_CONFORM, AT_VERDICT_PARTIAL,
                                      AT_VERDICT_NONCONFORM, AT_VERDICT_NA };
  guint key = g_variant_get_uint32 (param);

  if (key < G_N_ELEMENTS (by_key))
    at_clause_page_set_verdict (self->clause_page, by_key[key]);
}

static void
add_evidence_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_clause_page_add_evidence (AT_ASSESSMENT_VIEW (widget)->clause_page);
}

static void
paste_evidence_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_clause_page_paste_evidence (AT_ASSESSMENT_VIEW (widget)->clause_page);
}

static void
new_nc_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_clause_page_new_nonconformity (AT_ASSESSMENT_VIEW (widget)->clause_page);
}

static void
search_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_list_action (GtkWidget *widget, const char *name, GVariant *param)
{
  adw_leaflet_navigate (AT_ASSESSMENT_VIEW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_select_clause (AtAssessmentView *self,
                  const char       *number)
{
  at_assessment_view_select_clause (self, number);
}

static void
on_recheck_agreed (AtAssessmentView *self)
{
  _at_assessment_view_next_to_review (self, FALSE);
}

static void
on_show_nonconformity (AtAssessmentView *self,
                       const char       *nc_id)
{
  _at_assessment_view_show_nonconformities (self, nc_id);
}

static void
on_identity_changed (AtAssessmentView *self)
{
  if (self->worksheet == NULL)
    return;
  at_worksheet_set_me (self->worksheet, at_application_get_identity (self->app)
                                        ? at_identity_get_id (at_application_get_identity (self->app)) : NULL);
  refilter (self);
  at_clause_page_reload (self->clause_page);
  update_progress (self);
  update_banner (self);
  _at_assessment_view_update_actions (self);
  _at_assessment_view_check_independence (self);
}

gboolean
at_assessment_view_load (AtAssessmentView *self,
                         AtApplication    *app,
                         GMenuModel       *primary_menu,
                         const char       *assessment_id,
                         GError          **error)
{
  g_autoptr(AtWorksheet) worksheet = NULL;

  g_return_val_if_fail (AT_IS_ASSESSMENT_VIEW (self), FALSE);

  worksheet = at_worksheet_new (at_application_get_store (app), assessment_id, error);
  if (worksheet == NULL)
    return FALSE;

  if (self->app != app)
    {
      g_set_object (&self->app, app);
      g_signal_connect_object (app, "notify::identity", G_CALLBACK (on_identity_changed), self, G_CONNECT_SWAPPED);
      at_identity_button_set_application (AT_IDENTITY_BUTTON (self->identity_button), app);
      gtk_menu_button_set_menu_model (self->primary_button, primary_menu);
    }
  at_clause_page_set_context (self->clause_page, app, worksheet);
  g_set_object (&self->worksheet, worksheet);
  at_worksheet_set_me (worksheet, at_application_get_identity (app) ? at_identity_get_id (at_application_get_identity (app)) : NULL);

  g_hash_table_remove_all (self->collapsed);
  fill_rows (self);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  /* a team member's share comes first: the checklist opens on it */
  gtk_drop_down_set_selected (self->filter_dropdown, at_worksheet_get_n_mine (worksheet) > 0 &&
                                                     state_editable (worksheet) ? G_N_ELEMENTS (filter_kinds) - 1 : 0);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  refilter (self);
  update_progress (self);
  update_banner (self);
  update_titles (self);
  _at_assessment_view_update_actions (self);

  /* start where the work is: the first clause without a verdict (the recheck's: the first to
   * review, or the first query to answer) */
  for (guint i = 0; i < at_worksheet_get_items (worksheet)->len; i++)
    {
      AtWorksheetItem *item = at_worksheet_get_items (worksheet)->pdata[i];

      if (at_clause_get_assessable (at_worksheet_item_get_clause (item)) &&
          at_worksheet_item_get_verdict (item) == AT_VERDICT_OPEN)
        {
          select_position (self, position_of (self, at_clause_get_number (at_worksheet_item_get_clause (item))));
          break;
        }
    }
  if (selected_index (self) == GTK_INVALID_LIST_POSITION)
    step (self, +1);
  if (g_strcmp0 (at_assessment_get_state (at_worksheet_get_assessment (worksheet)), "submitted") == 0 ||
      at_worksheet_get_review_progress (worksheet)->awaiting > 0)
    _at_assessment_view_next_to_review (self, TRUE);
  _at_assessment_view_check_independence (self);
  if (gtk_list_box_get_selected_row (self->clause_list))
    gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_selected_row (self->clause_list)));
  return TRUE;
}

void
at_assessment_view_set_filter (AtAssessmentView  *self,
                               AtWorksheetFilter  filter,
                               const char        *search)
{
  for (guint i = 0; i < G_N_ELEMENTS (filter_kinds); i++)
    if (filter_kinds[i] == filter)
      gtk_drop_down_set_selected (self->filter_dropdown, i);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), search ? search : "");
  /* the entry reports a change after a short delay; the benchmark and the tests want it now */
  on_search_changed (self);
}

gboolean
at_assessment_view_flush (AtAssessmentView *self)
{
  at_clause_page_flush (self->clause_page);
  return !at_clause_page_is_busy (self->clause_page);
}

static void
at_assessment_view_dispose (GObject *object)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (object);

  if (self->nc_window)
    gtk_window_destroy (self->nc_window);
  if (self->scroll_tick && self->clause_list)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->clause_list), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_ASSESSMENT_VIEW);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->worksheet);
  g_clear_object (&self->app);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->collapsed, g_hash_table_unref);
  g_clear_pointer (&self->matching, g_hash_table_unref);
  g_clear_pointer (&self->independence_shown, g_hash_table_unref);

  G_OBJECT_CLASS (at_assessment_view_parent_class)->dispose (object);
}

static void
at_assessment_view_class_init (AtAssessmentViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_assessment_view_dispose;

  /* changed: the assessment's records or state changed (the list of assessments follows) */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (AT_TYPE_CLAUSE_PAGE);
  g_type_ensure (AT_TYPE_IDENTITY_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-assessment-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, clause_list);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, content_title);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, primary_button);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, identity_button);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, banner);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, banner_label);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, banner_button);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentView, clause_page);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_recorded);
  gtk_widget_class_bind_template_callback (widget_class, on_select_clause);
  gtk_widget_class_bind_template_callback (widget_class, on_show_nonconformity);
  gtk_widget_class_bind_template_callback (widget_class, on_recheck_agreed);

  gtk_widget_class_install_action (widget_class, "view.next-clause", NULL, next_clause_action);
  gtk_widget_class_install_action (widget_class, "view.previous-clause", NULL, previous_clause_action);
  gtk_widget_class_install_action (widget_class, "view.verdict", "u", verdict_action);
  gtk_widget_class_install_action (widget_class, "view.add-evidence", NULL, add_evidence_action);
  gtk_widget_class_install_action (widget_class, "view.paste-evidence", NULL, paste_evidence_action);
  gtk_widget_class_install_action (widget_class, "view.new-nonconformity", NULL, new_nc_action);
  gtk_widget_class_install_action (widget_class, "view.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "view.show-list", NULL, show_list_action);
  _at_assessment_view_install_actions (widget_class);
  _at_assessment_view_install_recheck (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "view.next-clause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "view.next-clause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "view.previous-clause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "view.previous-clause", NULL);
  /* 1–4 while no text field has the focus (a text field takes the digits itself); with Ctrl anywhere */
  for (guint k = 0; k <= 4; k++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + k, 0, "view.verdict", "u", k);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + k, 0, "view.verdict", "u", k);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + k, GDK_CONTROL_MASK, "view.verdict", "u", k);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "view.add-evidence", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "view.paste-evidence", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "view.new-nonconformity", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "view.search", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
at_assessment_view_init (AtAssessmentView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
  self->collapsed = g_hash_table_new (NULL, NULL);
  self->independence_shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  _at_assessment_view_add_recheck_shortcuts (self);
  gtk_list_box_set_filter_func (self->clause_list, filter_row, self, NULL);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
}
