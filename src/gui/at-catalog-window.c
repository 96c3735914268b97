/* at-catalog-window.c — the standards Attest knows: every clause, its texts, methods and the
 * limits it is measured against; and importing a catalog of one's own
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-catalog-window.h"
#include "at-gui-labels.h"

struct _AtCatalogWindow
{
  AdwWindow        parent_instance;

  AtStore         *store;
  GPtrArray       *catalogs;
  AtCatalog       *catalog;

  AdwLeaflet      *leaflet;
  GtkDropDown     *catalog_dropdown;
  GtkSearchEntry  *search_entry;
  GtkListBox      *clause_list;
  GtkBox          *detail_box;
  AdwWindowTitle  *detail_title;
};

G_DEFINE_FINAL_TYPE (AtCatalogWindow, at_catalog_window, ADW_TYPE_WINDOW)

static GtkWidget *
text_label (const char *text,
            const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css)
    gtk_widget_add_css_class (label, css);
  return label;
}

static void
add_section (AtCatalogWindow *self,
             const char      *heading,
             GtkWidget       *content)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (GTK_BOX (box), text_label (heading, "heading"));
  gtk_box_append (GTK_BOX (box), content);
  gtk_box_append (self->detail_box, box);
}

static void
clear_detail (AtCatalogWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))))
    gtk_box_remove (self->detail_box, child);
}

static void
show_catalog_facts (AtCatalogWindow *self)
{
  AtCatalog *c = self->catalog;
  g_autofree char *facts = NULL;
  GtkWidget *card;

  clear_detail (self);
  if (c == NULL)
    return;
  adw_window_title_set_title (self->detail_title, at_catalog_get_code (c));
  adw_window_title_set_subtitle (self->detail_title, at_catalog_get_version (c));
  gtk_box_append (self->detail_box, text_label (at_gui_text (at_catalog_get_title (c)), "title-2"));
  /* Translators: a catalog's figures in the catalog browser */
  facts = g_strdup_printf (_("Version %s · %u clauses to assess · %u measurable limits\nSHA-256 %s"),
                           at_catalog_get_version (c), at_catalog_get_n_assessable (c),
                           at_catalog_get_n_indicators (c), at_catalog_get_sha256 (c));
  gtk_box_append (self->detail_box, text_label (facts, "dim-label"));
  if (at_catalog_get_source (c))
    {
      card = text_label (at_catalog_get_source (c), NULL);
      add_section (self, _("Source"), card);
    }
  gtk_box_append (self->detail_box, text_label (at_standards_is_bundled (self->store, c) ? _("Built into Attest.")
                                                : _("Imported into this data directory."), "dim-label"));
}

static void
show_clause (AtCatalogWindow *self,
             AtClause        *clause)
{
  const AtText *text = at_clause_get_text (clause);
  const AtText *guidance = at_clause_get_guidance (clause);
  const char * const *methods = at_clause_get_methods (clause);
  GtkWidget *box;

  clear_detail (self);
  adw_window_title_set_title (self->detail_title, at_clause_get_number (clause));
  adw_window_title_set_subtitle (self->detail_title, at_catalog_get_code (self->catalog));
  gtk_box_append (self->detail_box, text_label (at_clause_get_number (clause), "dim-label"));
  /* an untitled item (4.a, 7.4.2.2) reads under its parent's title, as on the clause page */
  for (AtClause *named = clause; named; named = at_clause_get_parent (named))
    if (at_clause_get_title (named) && at_clause_get_title (named)->zh_CN)
      {
        gtk_box_append (self->detail_box, text_label (at_gui_text (at_clause_get_title (named)), "title-2"));
        break;
      }
  gtk_box_append (self->detail_box, text_label (at_clause_get_assessable (clause) ? _("A checklist item: it carries a requirement.")
                                                : _("A heading: the clauses under it carry the requirements."), "dim-label"));

  if (text && text->zh_CN)
    {
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "requirement-card");
      gtk_box_append (GTK_BOX (box), text_label (text->zh_CN, "requirement-text"));
      if (text->en)
        gtk_box_append (GTK_BOX (box), text_label (text->en, "dim-label"));
      add_section (self, _("Requirement"), box);
    }
  if (methods && methods[0])
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autofree char *joined = NULL;

      for (guint i = 0; methods[i]; i++)
        g_ptr_array_add (names, (gpointer) at_gui_method_label (methods[i]));
      g_ptr_array_add (names, NULL);
      joined = g_strjoinv (_(", "), (char **) names->pdata);
      add_section (self, _("Methods"), text_label (joined, NULL));
    }
  if (at_clause_get_n_indicators (clause) > 0)
    {
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "indicators");
      for (guint i = 0; i < at_clause_get_n_indicators (clause); i++)
        {
          const AtIndicator *ind = at_clause_get_indicator (clause, i);
          g_autofree char *req = at_gui_indicator_requirement (ind);
          g_autofree char *line = g_strdup_printf ("%s — %s", at_gui_text (&ind->label), req);

          gtk_box_append (GTK_BOX (box), text_label (line, "numeric"));
          if (ind->scope.zh_CN)
            gtk_box_append (GTK_BOX (box), text_label (at_gui_text (&ind->scope), "dim-label"));
        }
      add_section (self, _("Measurements"), box);
    }
  if (guidance && guidance->zh_CN)
    add_section (self, _("Assessor guidance"), text_label (at_gui_text (guidance), NULL));
}

static void
on_clause_activated (AtCatalogWindow *self,
                     GtkListBoxRow   *row)
{
  AtClause *clause = g_object_get_data (G_OBJECT (row), "clause");

  if (clause)
    show_clause (self, clause);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static gboolean
filter_clause (GtkListBoxRow *row,
               gpointer       user_data)
{
  AtCatalogWindow *self = user_data;
  AtClause *clause = g_object_get_data (G_OBJECT (row), "clause");

  return at_clause_matches_search (clause, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_search_changed (AtCatalogWindow *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  AtClause *exact = self->catalog ? at_catalog_lookup (self->catalog, typed) : NULL;

  gtk_list_box_invalidate_filter (self->clause_list);
  /* a whole clause number shows that clause at once */
  if (exact != NULL)
    show_clause (self, exact);
}

/* Enter: the first clause found */
static void
on_search_activate (AtCatalogWindow *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->clause_list)); row;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_child_visible (row) && filter_clause (GTK_LIST_BOX_ROW (row), self))
      {
        gtk_list_box_select_row (self->clause_list, GTK_LIST_BOX_ROW (row));
        show_clause (self, g_object_get_data (G_OBJECT (row), "clause"));
        adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
        return;
      }
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
on_clause_selected (AtCatalogWindow *self,
                    GtkListBoxRow   *row)
{
  AtClause *clause = row ? g_object_get_data (G_OBJECT (row), "clause") : NULL;

  if (clause)
    show_clause (self, clause);
}

static void
fill_clauses (AtCatalogWindow *self)
{
  GtkWidget *child;
  GPtrArray *all;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->clause_list))))
    gtk_list_box_remove (self->clause_list, child);
  if (self->catalog == NULL)
    return;
  all = at_catalog_get_all_clauses (self->catalog);
  for (guint i = 0; i < all->len; i++)
    {
      AtClause *clause = all->pdata[i];
      g_autofree char *label = at_clause_dup_label (clause, at_gui_lang ());
      GtkWidget *l = gtk_label_new (label);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (l, 6 + 14 * (int) at_clause_get_depth (clause));
      gtk_widget_set_margin_top (l, 6);
      gtk_widget_set_margin_bottom (l, 6);
      if (!at_clause_get_assessable (clause))
        gtk_widget_add_css_class (l, "heading");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), l);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data_full (G_OBJECT (row), "clause", g_object_ref (clause), g_object_unref);
      gtk_list_box_append (self->clause_list, row);
    }
}

static void
on_catalog_changed (AtCatalogWindow *self)
{
  guint pos = gtk_drop_down_get_selected (self->catalog_dropdown);
  AtCatalog *chosen = pos < self->catalogs->len ? AT_CATALOG (self->catalogs->pdata[pos]) : NULL;

  g_set_object (&self->catalog, chosen);
  fill_clauses (self);
  show_catalog_facts (self);
}

static void
fill_catalogs (AtCatalogWindow *self,
               const char      *select_code)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  g_clear_pointer (&self->catalogs, g_ptr_array_unref);
  self->catalogs = at_standards_list (self->store, &error);
  if (self->catalogs == NULL)
    {
      self->catalogs = g_ptr_array_new_with_free_func (g_object_unref);
      at_gui_toast (GTK_WIDGET (self->leaflet), error->message);
    }
  for (guint i = 0; i < self->catalogs->len; i++)
    {
      AtCatalog *c = self->catalogs->pdata[i];
      g_autofree char *label = g_strdup_printf ("%s %s — %s", at_catalog_get_code (c), at_catalog_get_version (c),
                                                at_gui_text (at_catalog_get_title (c)));
      gtk_string_list_append (names, label);
      if (g_strcmp0 (select_code, at_catalog_get_code (c)) == 0)
        selected = i;
    }
  gtk_drop_down_set_model (self->catalog_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->catalog_dropdown, selected);
  on_catalog_changed (self);
}

static void
on_import_chosen (GListModel *files,
                  gpointer    user_data)
{
  AtCatalogWindow *self = user_data;
  g_autoptr(GFile) file = g_list_model_get_item (files, 0);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtCatalog) imported = at_standards_import (self->store, path, warnings, &error);

  if (imported == NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Catalog Was Not Imported"), error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      /* Translators: after importing a catalog: “Imported MINI 1.0 (2 warnings)” */
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s %s (%u warning)",
                                                               "Imported %s %s (%u warnings)", warnings->len),
                                                  at_catalog_get_code (imported), at_catalog_get_version (imported),
                                                  warnings->len);
      at_gui_toast (GTK_WIDGET (self->leaflet), message);
      fill_catalogs (self, at_catalog_get_code (imported));
    }
}

static void
import_action (GtkWidget *widget, const char *name, GVariant *param)
{
  static const char * const patterns[] = { "*.json", NULL };

  at_gui_choose_file (GTK_WINDOW (widget), _("Import a Catalog"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), FALSE,
                      _("Catalogs (JSON)"), patterns, NULL, on_import_chosen, g_object_ref (widget), g_object_unref);
}

static void
search_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtCatalogWindow *self = AT_CATALOG_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GtkWidget *
at_catalog_window_new (GtkWindow *parent,
                       AtStore   *store)
{
  AtCatalogWindow *self = g_object_new (AT_TYPE_CATALOG_WINDOW, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  fill_catalogs (self, "QCS");
  return GTK_WIDGET (self);
}

static void
at_catalog_window_dispose (GObject *object)
{
  AtCatalogWindow *self = AT_CATALOG_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->catalogs, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_CATALOG_WINDOW);

  G_OBJECT_CLASS (at_catalog_window_parent_class)->dispose (object);
}

static void
at_catalog_window_class_init (AtCatalogWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_catalog_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-catalog-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtCatalogWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AtCatalogWindow, catalog_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AtCatalogWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtCatalogWindow, clause_list);
  gtk_widget_class_bind_template_child (widget_class, AtCatalogWindow, detail_box);
  gtk_widget_class_bind_template_child (widget_class, AtCatalogWindow, detail_title);
  gtk_widget_class_bind_template_callback (widget_class, on_catalog_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_clause_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_clause_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);

  gtk_widget_class_install_action (widget_class, "catalogs.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "catalogs.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "catalogs.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "catalogs.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
at_catalog_window_init (AtCatalogWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->clause_list, filter_clause, self, NULL);
}
