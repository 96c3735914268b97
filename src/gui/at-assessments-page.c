/* at-assessments-page.c — the desks: the assessments of the data directory, the reviewer's queue
 * and the follow-up of nonconformities
 *
 * One row per assessment: the organisation, the standard, the kind, the state and how far the
 * checklist has got. The search filters on all of those at once. Beside the list, two more
 * desks for the two other people the product serves (at-recheck-page.c, at-follow-up-page.c);
 * their tabs carry how many wait for them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "at-assessments-page.h"
#include "at-follow-up-page.h"
#include "at-gui-labels.h"
#include "at-identity-button.h"
#include "at-recheck-page.h"

struct _AtAssessmentsPage
{
  GtkWidget         parent_instance;

  AtApplication    *app;

  GtkMenuButton    *menu_button;
  AtIdentityButton *identity_button;
  GtkToggleButton  *search_button;
  GtkSearchBar     *search_bar;
  GtkSearchEntry   *search_entry;
  AdwViewStack     *desks;
  AdwViewStackPage *recheck_stack_page;
  AdwViewStackPage *follow_up_stack_page;
  AtRecheckPage    *recheck_page;
  AtFollowUpPage   *follow_up_page;
  GtkStack         *list_stack;
  GtkListBox       *assessment_list;
};

G_DEFINE_FINAL_TYPE (AtAssessmentsPage, at_assessments_page, GTK_TYPE_WIDGET)

enum { SIGNAL_OPEN, SIGNAL_OPEN_CLAUSE, N_SIGNALS };
static guint signals[N_SIGNALS];

static GtkWidget *
progress_box (guint assessed,
              guint assessable)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *bar = gtk_progress_bar_new ();
  /* Translators: checklist progress in the assessment list, “132 / 187 assessed” */
  g_autofree char *text = g_strdup_printf (_("%u / %u assessed"), assessed, assessable);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 120, -1);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), assessable ? (double) assessed / assessable : 0);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), bar);
  return box;
}

static void
on_open_clicked (AtAssessmentsPage *self,
                 GtkButton         *button)
{
  g_signal_emit (self, signals[SIGNAL_OPEN], 0, g_object_get_data (G_OBJECT (button), "assessment-id"));
}

/* What else can start from an assessment: its gaps, and the next assessment after it. */
static GtkWidget *
row_menu (AtAssessment *a)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) gaps = g_menu_item_new (_("Show _Gaps…"), NULL);
  g_autoptr(GMenuItem) next = g_menu_item_new (_("New _Surveillance Assessment…"), NULL);
  /* Translators: the accessible name of an assessment's menu button, %s is the organisation */
  g_autofree char *label = g_strdup_printf (_("More for %s"), at_assessment_get_org (a));
  GtkWidget *button = gtk_menu_button_new ();

  g_menu_item_set_action_and_target_value (gaps, "win.show-gaps", g_variant_new_string (at_assessment_get_id (a)));
  g_menu_item_set_action_and_target_value (next, "win.new-surveillance", g_variant_new_string (at_assessment_get_id (a)));
  g_menu_append_item (menu, gaps);
  g_menu_append_item (menu, next);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static GtkWidget *
assessment_row (AtAssessmentsPage *self,
                AtAssessment      *a)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = at_finding_list (at_application_get_store (self->app), at_assessment_get_id (a), &error);
  AtCatalog *catalog = at_assessment_get_catalog (a);
  g_autoptr(GArray) tally = at_finding_tally (catalog, findings);
  AtTally *total = &g_array_index (tally, AtTally, 0);  /* the whole comes first, then each chapter */
  const char *state = at_assessment_get_state (a);
  g_autofree char *subtitle = g_strdup_printf ("%s %s · %s%s%s",
                                               at_gui_text (at_catalog_get_title (catalog)),
                                               at_catalog_get_version (catalog),
                                               at_gui_kind_label (at_assessment_get_kind (a)),
                                               at_assessment_get_scope (a) ? " · " : "",
                                               at_assessment_get_scope (a) ? at_assessment_get_scope (a) : "");
  g_autofree char *search = NULL;
  g_autofree char *open_label = NULL;
  GtkWidget *open;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pill = gtk_label_new (at_gui_state_label (state));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), at_assessment_get_org (a));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (pill, "state-pill");
  gtk_widget_add_css_class (pill, state);
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress_box (total->assessed, total->assessable));
  /* a real button, so the keyboard and screen readers can open the row too */
  open = gtk_button_new_from_icon_name ("go-next-symbolic");
  /* Translators: the accessible name of the button that opens an assessment, %s is the organisation */
  open_label = g_strdup_printf (_("Open %s"), at_assessment_get_org (a));
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_tooltip_text (open, open_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  g_object_set_data_full (G_OBJECT (open), "assessment-id", g_strdup (at_assessment_get_id (a)), g_free);
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (on_open_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_menu (a));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), open);

  search = g_strjoin ("\n", at_assessment_get_org (a), subtitle, at_catalog_get_code (catalog), at_gui_state_label (state),
                      at_assessment_get_scope (a) ? at_assessment_get_scope (a) : "",
                      at_assessment_get_address (a) ? at_assessment_get_address (a) : "", NULL);
  g_object_set_data_full (G_OBJECT (row), "search", g_utf8_casefold (search, -1), g_free);
  return row;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  AtAssessmentsPage *self = user_data;
  g_autofree char *query = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  const char *hay = g_object_get_data (G_OBJECT (row), "search");
  g_auto(GStrv) words = g_strsplit (g_strstrip (query), " ", -1);

  for (guint i = 0; words[i]; i++)
    if (*words[i] && (hay == NULL || strstr (hay, words[i]) == NULL))
      return FALSE;
  return TRUE;
}

static void
update_stack (AtAssessmentsPage *self)
{
  GtkWidget *child;
  guint total = 0, shown = 0;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->assessment_list)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      total++;
      if (filter_row (GTK_LIST_BOX_ROW (child), self))
        shown++;
    }
  gtk_stack_set_visible_child_name (self->list_stack, total == 0 ? "empty" : shown == 0 ? "none" : "list");
}

static void
on_search_changed (AtAssessmentsPage *self)
{
  gtk_list_box_invalidate_filter (self->assessment_list);
  update_stack (self);
}

void
at_assessments_page_reload (AtAssessmentsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GtkWidget *child;

  g_return_if_fail (AT_IS_ASSESSMENTS_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->assessment_list))))
    gtk_list_box_remove (self->assessment_list, child);

  list = at_assessment_list (at_application_get_store (self->app), &error);
  if (list == NULL)
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    gtk_list_box_append (self->assessment_list, assessment_row (self, list->pdata[i]));
  update_stack (self);
  /* the desk in view is rebuilt; the others only count, for their badges, until shown */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->desks), "recheck") == 0)
    at_recheck_page_reload (self->recheck_page);
  else
    at_recheck_page_update_count (self->recheck_page);
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->desks), "follow-up") == 0)
    at_follow_up_page_reload (self->follow_up_page);
  else
    at_follow_up_page_update_count (self->follow_up_page);
}

void
at_assessments_page_show_desk (AtAssessmentsPage *self,
                               const char        *name)
{
  g_return_if_fail (AT_IS_ASSESSMENTS_PAGE (self));
  adw_view_stack_set_visible_child_name (self->desks, name);
}

static void
on_desk_changed (AtAssessmentsPage *self)
{
  const char *desk = adw_view_stack_get_visible_child_name (self->desks);
  gboolean list = g_strcmp0 (desk, "assessments") == 0;

  /* the search is the list's */
  if (!list)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), list);
  gtk_search_bar_set_key_capture_widget (self->search_bar, list ? GTK_WIDGET (self) : NULL);
  /* a desk shows what is true now: another window or attest-cli may have changed it */
  if (self->app == NULL)
    return;
  if (g_strcmp0 (desk, "recheck") == 0)
    at_recheck_page_reload (self->recheck_page);
  else if (g_strcmp0 (desk, "follow-up") == 0)
    at_follow_up_page_reload (self->follow_up_page);
}

static void
on_recheck_open (AtAssessmentsPage *self,
                 const char        *id)
{
  g_signal_emit (self, signals[SIGNAL_OPEN], 0, id);
}

static void
on_follow_up_open (AtAssessmentsPage *self,
                   const char        *id,
                   const char        *clause)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_CLAUSE], 0, id, clause);
}

/* The tabs say how many wait: assessments to recheck, nonconformities overdue. */
static void
update_badges (AtAssessmentsPage *self)
{
  guint submitted = at_recheck_page_get_n_submitted (self->recheck_page);
  guint overdue = at_follow_up_page_get_n_overdue (self->follow_up_page);

  adw_view_stack_page_set_badge_number (self->recheck_stack_page, submitted);
  adw_view_stack_page_set_needs_attention (self->recheck_stack_page, submitted > 0);
  adw_view_stack_page_set_badge_number (self->follow_up_stack_page, overdue);
  adw_view_stack_page_set_needs_attention (self->follow_up_stack_page, overdue > 0);
}

void
at_assessments_page_setup (AtAssessmentsPage *self,
                           AtApplication     *app,
                           GMenuModel        *primary_menu)
{
  g_set_object (&self->app, app);
  gtk_menu_button_set_menu_model (self->menu_button, primary_menu);
  at_identity_button_set_application (self->identity_button, app);
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  g_signal_connect_object (self->recheck_page, "notify::n-submitted", G_CALLBACK (update_badges), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follow_up_page, "notify::n-overdue", G_CALLBACK (update_badges), self, G_CONNECT_SWAPPED);
  at_recheck_page_set_application (self->recheck_page, app);
  at_follow_up_page_set_application (self->follow_up_page, app);
  at_assessments_page_reload (self);
  update_badges (self);
}

void
at_assessments_page_focus_search (AtAssessmentsPage *self)
{
  adw_view_stack_set_visible_child_name (self->desks, "assessments");
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
at_assessments_page_dispose (GObject *object)
{
  AtAssessmentsPage *self = AT_ASSESSMENTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_ASSESSMENTS_PAGE);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (at_assessments_page_parent_class)->dispose (object);
}

static void
at_assessments_page_class_init (AtAssessmentsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_assessments_page_dispose;

  signals[SIGNAL_OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_OPEN_CLAUSE] = g_signal_new ("open-clause", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (AT_TYPE_IDENTITY_BUTTON);
  g_type_ensure (AT_TYPE_RECHECK_PAGE);
  g_type_ensure (AT_TYPE_FOLLOW_UP_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-assessments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, identity_button);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, search_button);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, desks);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, recheck_stack_page);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, follow_up_stack_page);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, recheck_page);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, follow_up_page);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, AtAssessmentsPage, assessment_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_desk_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_recheck_open);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_up_open);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
at_assessments_page_init (AtAssessmentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->assessment_list, filter_row, self, NULL);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
}
