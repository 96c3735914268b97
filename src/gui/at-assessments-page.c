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
  GListStore       *assessments;   /* AtAssessment, newest first, as core lists them */
  GtkFilterListModel *shown;
  GtkCustomFilter  *filter;
  char            **words;         /* the search, folded and split */

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
  GtkListView      *assessment_list;
};

G_DEFINE_FINAL_TYPE (AtAssessmentsPage, at_assessments_page, GTK_TYPE_WIDGET)

enum { SIGNAL_OPEN, SIGNAL_OPEN_CLAUSE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- one row -------------------------------------------------------------------------------- */

/* The widgets of a row, made once and filled for whichever assessment it shows as it scrolls. */
typedef struct
{
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *pill;
  GtkWidget *progress_label;
  GtkWidget *progress_bar;
  GtkWidget *more;
  GtkWidget *open;
  char      *state_css;
} Row;

static void
row_free (Row *row)
{
  g_free (row->state_css);
  g_free (row);
}

static char *
subtitle_of (AtAssessment *a)
{
  AtCatalog *catalog = at_assessment_get_catalog (a);

  return g_strdup_printf ("%s %s · %s%s%s", at_gui_text (at_catalog_get_title (catalog)), at_catalog_get_version (catalog),
                          at_gui_kind_label (at_assessment_get_kind (a)), at_assessment_get_scope (a) ? " · " : "",
                          at_assessment_get_scope (a) ? at_assessment_get_scope (a) : "");
}

static void
on_open_clicked (AtAssessmentsPage *self,
                 GtkButton         *button)
{
  g_signal_emit (self, signals[SIGNAL_OPEN], 0, g_object_get_data (G_OBJECT (button), "assessment-id"));
}

/* What else can start from an assessment: its gaps, and the next assessment after it. The
 * menu is made when the button opens, for whichever assessment the row shows then: made in
 * bind_row, a GtkPopoverMenu per row was built again for every row the list view keeps
 * (a couple of hundred) at each keystroke of the search. */
static void
create_row_menu (GtkMenuButton *button,
                 gpointer       user_data)
{
  const char *id = g_object_get_data (G_OBJECT (button), "assessment-id");
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) gaps = g_menu_item_new (_("Show _Gaps…"), NULL);
  g_autoptr(GMenuItem) next = g_menu_item_new (_("New _Surveillance Assessment…"), NULL);

  if (id == NULL)
    return;
  g_menu_item_set_action_and_target_value (gaps, "win.show-gaps", g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (next, "win.new-surveillance", g_variant_new_string (id));
  g_menu_append_item (menu, gaps);
  g_menu_append_item (menu, next);
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static void
set_row_menu (GtkWidget    *button,
              AtAssessment *a)
{
  /* Translators: the accessible name of an assessment's menu button, %s is the organisation */
  g_autofree char *label = g_strdup_printf (_("More for %s"), at_assessment_get_org (a));

  g_object_set_data_full (G_OBJECT (button), "assessment-id", g_strdup (at_assessment_get_id (a)), g_free);
  at_gui_set_tooltip (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           AtAssessmentsPage        *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *progress = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  Row *row = g_new0 (Row, 1);

  row->title = gtk_label_new (NULL);
  row->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->title), 0);
  gtk_label_set_xalign (GTK_LABEL (row->subtitle), 0);
  /* one line each, the rest in the tooltip: a wrapped label is measured again for every width
   * the list tries, and the list view keeps a couple of hundred rows ready (GTK 4.8) */
  gtk_label_set_ellipsize (GTK_LABEL (row->title), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (row->subtitle), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (row->title), 20);
  gtk_label_set_width_chars (GTK_LABEL (row->subtitle), 20);
  gtk_widget_add_css_class (row->title, "title");
  gtk_widget_add_css_class (row->subtitle, "subtitle");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (texts), row->title);
  gtk_box_append (GTK_BOX (texts), row->subtitle);
  gtk_box_append (GTK_BOX (box), texts);

  row->pill = gtk_label_new (NULL);
  gtk_widget_add_css_class (row->pill, "state-pill");
  gtk_widget_set_valign (row->pill, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), row->pill);

  row->progress_label = gtk_label_new (NULL);
  row->progress_bar = gtk_progress_bar_new ();
  gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (row->progress_bar, 120, -1);
  gtk_label_set_xalign (GTK_LABEL (row->progress_label), 1);
  gtk_widget_add_css_class (row->progress_label, "caption");
  gtk_widget_add_css_class (row->progress_label, "numeric");
  gtk_box_append (GTK_BOX (progress), row->progress_label);
  gtk_box_append (GTK_BOX (progress), row->progress_bar);
  gtk_box_append (GTK_BOX (box), progress);

  /* a real button, so the keyboard and screen readers can open the row too */
  row->more = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (row->more), "view-more-symbolic");
  gtk_widget_set_valign (row->more, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->more, "flat");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (row->more), create_row_menu, NULL, NULL);
  gtk_box_append (GTK_BOX (box), row->more);
  row->open = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_valign (row->open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->open, "flat");
  g_signal_connect_swapped (row->open, "clicked", G_CALLBACK (on_open_clicked), self);
  gtk_box_append (GTK_BOX (box), row->open);

  gtk_widget_add_css_class (box, "assessment-row");
  g_object_set_data_full (G_OBJECT (box), "row", row, (GDestroyNotify) row_free);
  gtk_list_item_set_child (item, box);
}

/* The checklist's progress, read the first time the row is shown and kept with the
 * assessment until the list is read again: rows are bound again as the list scrolls and
 * filters. */
static AtTally *
tally_of (AtAssessmentsPage *self,
          AtAssessment      *a)
{
  AtTally *total = g_object_get_data (G_OBJECT (a), "tally");

  if (total == NULL)
    {
      g_autoptr(GPtrArray) findings = at_finding_list (at_application_get_store (self->app), at_assessment_get_id (a), NULL);
      g_autoptr(GArray) tally = at_finding_tally (at_assessment_get_catalog (a), findings);

      /* the whole comes first, then each chapter */
      total = g_memdup2 (&g_array_index (tally, AtTally, 0), sizeof (AtTally));
      g_object_set_data_full (G_OBJECT (a), "tally", total, g_free);
    }
  return total;
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          AtAssessmentsPage        *self)
{
  AtAssessment *a = gtk_list_item_get_item (item);
  Row *row = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "row");
  AtTally *total = tally_of (self, a);
  const char *state = at_assessment_get_state (a);
  g_autofree char *subtitle = subtitle_of (a);
  /* Translators: checklist progress in the assessment list, “132 / 187 assessed” */
  g_autofree char *progress = g_strdup_printf (_("%u / %u assessed"), total->assessed, total->assessable);
  /* Translators: the accessible name of the button that opens an assessment, %s is the organisation */
  g_autofree char *open_label = g_strdup_printf (_("Open %s"), at_assessment_get_org (a));

  gtk_label_set_text (GTK_LABEL (row->title), at_assessment_get_org (a));
  gtk_label_set_text (GTK_LABEL (row->subtitle), subtitle);
  at_gui_set_tooltip (row->title, at_assessment_get_org (a));
  at_gui_set_tooltip (row->subtitle, subtitle);
  gtk_label_set_text (GTK_LABEL (row->pill), at_gui_state_label (state));
  if (row->state_css)
    gtk_widget_remove_css_class (row->pill, row->state_css);
  g_free (row->state_css);
  row->state_css = g_strdup (state);
  gtk_widget_add_css_class (row->pill, state);
  gtk_label_set_text (GTK_LABEL (row->progress_label), progress);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (row->progress_bar),
                                 total->assessable ? (double) total->assessed / total->assessable : 0);
  at_gui_set_tooltip (row->open, open_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  g_object_set_data_full (G_OBJECT (row->open), "assessment-id", g_strdup (at_assessment_get_id (a)), g_free);
  set_row_menu (row->more, a);
}

static void
on_row_activated (AtAssessmentsPage *self,
                  guint              position)
{
  g_autoptr(AtAssessment) a = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

  if (a != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN], 0, at_assessment_get_id (a));
}

/* ---- the list and its search ------------------------------------------------------------------ */

/* Everything the search looks in, folded once per assessment when the list is read. */
static char *
haystack_of (AtAssessment *a)
{
  g_autofree char *subtitle = subtitle_of (a);
  g_autofree char *all = g_strjoin ("\n", at_assessment_get_org (a), subtitle,
                                    at_catalog_get_code (at_assessment_get_catalog (a)),
                                    at_gui_state_label (at_assessment_get_state (a)),
                                    at_assessment_get_scope (a) ? at_assessment_get_scope (a) : "",
                                    at_assessment_get_address (a) ? at_assessment_get_address (a) : "", NULL);

  return g_utf8_casefold (all, -1);
}

static gboolean
matches (gpointer item,
         gpointer user_data)
{
  AtAssessmentsPage *self = user_data;
  const char *hay = g_object_get_data (item, "search");

  for (guint i = 0; self->words && self->words[i]; i++)
    if (*self->words[i] && (hay == NULL || strstr (hay, self->words[i]) == NULL))
      return FALSE;
  return TRUE;
}

static void
update_stack (AtAssessmentsPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->assessments));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown));

  gtk_stack_set_visible_child_name (self->list_stack, total == 0 ? "empty" : shown == 0 ? "none" : "list");
}

static void
on_search_changed (AtAssessmentsPage *self)
{
  g_autofree char *query = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);

  g_strfreev (self->words);
  self->words = g_strsplit (g_strstrip (query), " ", -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_stack (self);
}

void
at_assessments_page_reload (AtAssessmentsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_return_if_fail (AT_IS_ASSESSMENTS_PAGE (self));

  list = at_assessment_list (at_application_get_store (self->app), &error);
  if (list == NULL)
    {
      g_list_store_remove_all (self->assessments);
      at_gui_toast (GTK_WIDGET (self), error->message);
      update_stack (self);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    g_object_set_data_full (list->pdata[i], "search", haystack_of (list->pdata[i]), g_free);
  g_list_store_splice (self->assessments, 0, g_list_model_get_n_items (G_LIST_MODEL (self->assessments)),
                       list->pdata, list->len);
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
  g_clear_object (&self->shown);
  g_clear_object (&self->assessments);
  g_clear_pointer (&self->words, g_strfreev);

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
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
at_assessments_page_init (AtAssessmentsPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->assessments = g_list_store_new (AT_TYPE_ASSESSMENT);
  self->filter = gtk_custom_filter_new (matches, self, NULL);
  self->shown = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->assessments)), GTK_FILTER (self->filter));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->assessment_list, factory);
  g_object_unref (factory);
  {
    g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->shown)));
    gtk_list_view_set_model (self->assessment_list, GTK_SELECTION_MODEL (selection));
  }
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
}
