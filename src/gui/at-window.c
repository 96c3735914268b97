/* at-window.c — the main window: the assessments list and one assessment's clauses */
#include "config.h"

#include <glib/gi18n.h>

#include "at-new-assessment-dialog.h"
#include "at-window.h"

struct _AtWindow
{
  AdwApplicationWindow  parent_instance;

  AtApplication        *app;
  AtAssessment         *current;

  /* template children */
  AdwToastOverlay      *toasts;
  GtkStack             *pages;
  GtkStack             *list_stack;
  GtkListBox           *assessment_list;
  AdwWindowTitle       *assessment_title;
  GtkListView          *clause_view;
};

G_DEFINE_FINAL_TYPE (AtWindow, at_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *
kind_label (AtKind kind)
{
  return kind == AT_KIND_SELF ? _("Self-assessment") : _("Third-party");
}

static const char *
state_label (const char *state)
{
  if (g_strcmp0 (state, "draft") == 0)
    return C_("assessment state", "Draft");
  return state;
}

static void
reload_assessments (AtWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = at_assessment_list (at_application_get_store (self->app), &error);
  AtLang lang = at_lang_from_locale ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->assessment_list))))
    gtk_list_box_remove (self->assessment_list, child);

  if (list == NULL)
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return;
    }

  for (guint i = 0; i < list->len; i++)
    {
      AtAssessment *a = list->pdata[i];
      AtCatalog *catalog = at_assessment_get_catalog (a);
      g_autofree char *subtitle = g_strdup_printf ("%s %s · %s · %s",
                                                   at_text_get (at_catalog_get_title (catalog), lang),
                                                   at_catalog_get_version (catalog),
                                                   kind_label (at_assessment_get_kind (a)),
                                                   state_label (at_assessment_get_state (a)));
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), at_assessment_get_org (a));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "assessment-id", g_strdup (at_assessment_get_id (a)), g_free);
      gtk_list_box_append (self->assessment_list, row);
    }

  gtk_stack_set_visible_child_name (self->list_stack, list->len ? "list" : "empty");
}

static void
on_assessment_activated (AtWindow      *self,
                         GtkListBoxRow *row)
{
  at_window_show_assessment (self, g_object_get_data (G_OBJECT (row), "assessment-id"));
}

static GListModel *
create_clause_children (gpointer item,
                        gpointer user_data)
{
  GListModel *children = at_clause_get_children (AT_CLAUSE (item));

  return g_list_model_get_n_items (children) ? g_object_ref (children) : NULL;
}

static void
setup_clause_row (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (item, expander);
}

static void
bind_clause_row (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *label = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  AtClause *clause = gtk_tree_list_row_get_item (row);
  g_autofree char *text = at_clause_dup_label (clause, at_lang_from_locale ());

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (label), text);
  if (at_clause_get_depth (clause) == 0)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_remove_css_class (label, "heading");
  /* Tests and screen readers find a clause by its number: the row's name starts with it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  g_object_unref (clause);
}

void
at_window_show_assessment (AtWindow   *self,
                           const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) a = at_assessment_lookup (at_application_get_store (self->app), id, &error);
  g_autofree char *subtitle = NULL;
  GtkTreeListModel *tree;
  GtkSelectionModel *selection;
  AtCatalog *catalog;

  if (a == NULL)
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return;
    }

  g_set_object (&self->current, a);
  catalog = at_assessment_get_catalog (a);
  subtitle = g_strdup_printf ("%s %s", at_text_get (at_catalog_get_title (catalog), at_lang_from_locale ()),
                              at_catalog_get_version (catalog));
  adw_window_title_set_title (self->assessment_title, at_assessment_get_org (a));
  adw_window_title_set_subtitle (self->assessment_title, subtitle);

  tree = gtk_tree_list_model_new (g_object_ref (at_catalog_get_clauses (catalog)), FALSE, TRUE,
                                  create_clause_children, NULL, NULL);
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (tree)));
  gtk_list_view_set_model (self->clause_view, selection);
  g_object_unref (selection);

  gtk_stack_set_visible_child_name (self->pages, "assessment");
}

static void
on_assessment_created (AtNewAssessmentDialog *dialog,
                       const char            *id,
                       AtWindow              *self)
{
  reload_assessments (self);
  at_window_show_assessment (self, id);
}

static void
new_assessment_activated (GtkWidget  *widget,
                          const char *action,
                          GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);
  AtNewAssessmentDialog *dialog = at_new_assessment_dialog_new (GTK_WINDOW (self),
                                                                at_application_get_store (self->app));

  g_signal_connect (dialog, "created", G_CALLBACK (on_assessment_created), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
back_activated (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);

  reload_assessments (self);
  gtk_stack_set_visible_child_name (self->pages, "assessments");
}

static void
bind_settings (AtWindow *self)
{
  GSettings *settings = at_application_get_settings (self->app);

  if (settings == NULL)
    return;
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

AtWindow *
at_window_new (AtApplication *app)
{
  AtWindow *self = g_object_new (AT_TYPE_WINDOW, "application", app, NULL);

  self->app = app;
  bind_settings (self);
  reload_assessments (self);
  return self;
}

static void
at_window_dispose (GObject *object)
{
  AtWindow *self = AT_WINDOW (object);

  g_clear_object (&self->current);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_WINDOW);

  G_OBJECT_CLASS (at_window_parent_class)->dispose (object);
}

static void
at_window_class_init (AtWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, assessment_list);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, assessment_title);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, clause_view);
  gtk_widget_class_bind_template_callback (widget_class, on_assessment_activated);

  gtk_widget_class_install_action (widget_class, "win.new-assessment", NULL, new_assessment_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-assessment", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

static void
at_window_init (AtWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_clause_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_clause_row), NULL);
  gtk_list_view_set_factory (self->clause_view, factory);
  g_object_unref (factory);
}
