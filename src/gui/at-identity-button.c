/* at-identity-button.c — who is working: the current identity, switchable, in a header bar
 *
 * The menu lists every identity of the data directory (win.identity switches), then offers a new
 * profile or an imported one. Everything recorded from now on is recorded as the person shown.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-identity-button.h"

struct _AtIdentityButton
{
  GtkWidget      parent_instance;

  AtApplication *app;
  GtkWidget     *button;
  GtkLabel      *label;
};

G_DEFINE_FINAL_TYPE (AtIdentityButton, at_identity_button, GTK_TYPE_WIDGET)

static void
rebuild (AtIdentityButton *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) people = g_menu_new ();
  g_autoptr(GMenu) more = g_menu_new ();
  AtIdentity *current = self->app ? at_application_get_identity (self->app) : NULL;
  GPtrArray *all = self->app ? at_application_get_identities (self->app) : NULL;
  g_autofree char *a11y = NULL;

  for (guint i = 0; all && i < all->len; i++)
    {
      AtIdentity *who = all->pdata[i];
      g_autofree char *roles = at_gui_roles_label (at_identity_get_roles (who));
      g_autofree char *label = g_strdup_printf ("%s (%s)", at_identity_get_name (who), roles);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.identity", g_variant_new_string (at_identity_get_id (who)));
      g_menu_append_item (people, item);
    }
  g_menu_append (more, _("_New Profile…"), "win.new-profile");
  g_menu_append (more, _("_Import Profile…"), "win.import-profile");
  g_menu_append_section (menu, _("Work as"), G_MENU_MODEL (people));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (more));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->button), G_MENU_MODEL (menu));

  gtk_label_set_text (self->label, current ? at_identity_get_name (current) : _("No profile"));
  /* Translators: the accessible name of the identity button, %s is a person's name */
  a11y = g_strdup_printf (_("Working as %s"), current ? at_identity_get_name (current) : _("nobody"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  at_gui_set_tooltip (self->button, a11y);
}

void
at_identity_button_set_application (AtIdentityButton *self,
                                    AtApplication    *app)
{
  if (self->app != NULL)
    g_signal_handlers_disconnect_by_data (self->app, self);
  g_set_object (&self->app, app);
  if (app != NULL)
    g_signal_connect_object (app, "notify::identity", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  rebuild (self);
}

static void
at_identity_button_dispose (GObject *object)
{
  AtIdentityButton *self = AT_IDENTITY_BUTTON (object);

  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (at_identity_button_parent_class)->dispose (object);
}

static void
at_identity_button_class_init (AtIdentityButtonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_identity_button_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
at_identity_button_init (AtIdentityButton *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->label, 24);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("avatar-default-symbolic"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), box);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  rebuild (self);
}
