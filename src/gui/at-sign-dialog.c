/* at-sign-dialog.c — a step that is signed: what it does, the signer's passphrase, and the
 * answer from core, in one dialog that stays open until it succeeds or is cancelled
 *
 * A wrong passphrase or a refusal ("the reviewer took part in the assessment") is shown in the
 * dialog itself, so the person can correct it without starting over.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-sign-dialog.h"

struct _AtSignDialog
{
  AdwWindow            parent_instance;

  AtStore             *store;
  AtIdentity          *signer;
  AtSignFunc           func;
  gpointer             func_data;
  GDestroyNotify       func_destroy;
  gboolean             ready;
  gboolean             needs_key;

  AdwPreferencesPage  *page;
  AdwPreferencesGroup *intro_group;
  GtkBox              *content_box;
  AdwPreferencesGroup *key_group;
  AdwPasswordEntryRow *pass_row;
  GtkLabel            *error_label;
  GtkButton           *action_button;
};

G_DEFINE_FINAL_TYPE (AtSignDialog, at_sign_dialog, ADW_TYPE_WINDOW)

static void
update (AtSignDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->action_button),
                            self->ready && (!self->needs_key || *gtk_editable_get_text (GTK_EDITABLE (self->pass_row)) != '\0'));
}

static void
show_error (AtSignDialog *self,
            const char   *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
on_action (AtSignDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSigner) signer = NULL;
  const char *pass = gtk_editable_get_text (GTK_EDITABLE (self->pass_row));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->action_button)))
    return;
  if (!self->needs_key)
    {
      if (self->func && !self->func (self, NULL, self->func_data, &error))
        {
          show_error (self, error ? error->message : _("The step could not be done."));
          return;
        }
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  signer = at_signer_unlock (self->store, at_identity_get_id (self->signer), pass, &error);
  if (signer == NULL)
    {
      if (g_error_matches (error, AT_ERROR, AT_ERROR_PASSPHRASE))
        show_error (self, _("The passphrase is wrong. Try again."));
      else
        show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->pass_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->pass_row));
      return;
    }
  if (self->func && !self->func (self, signer, self->func_data, &error))
    {
      show_error (self, error ? error->message : _("The step could not be done."));
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

GtkWidget *
at_sign_dialog_new (GtkWindow  *parent,
                    AtStore    *store,
                    AtIdentity *signer,
                    const char *title,
                    const char *description,
                    const char *action_label)
{
  AtSignDialog *self = g_object_new (AT_TYPE_SIGN_DIALOG, "transient-for", parent, "title", title, NULL);
  g_autofree char *who = NULL;
  g_autofree char *roles = at_gui_roles_label (at_identity_get_roles (signer));

  self->store = g_object_ref (store);
  self->signer = g_object_ref (signer);
  adw_preferences_group_set_title (self->intro_group, title);
  adw_preferences_group_set_description (self->intro_group, description);
  gtk_button_set_label (self->action_button, action_label);
  /* Translators: above the passphrase of a signing dialog: “Signed by 李明 (Reviewer)” */
  who = g_strdup_printf (_("Signed by %s (%s)"), at_identity_get_name (signer), roles);
  adw_preferences_group_set_title (self->key_group, who);
  update (self);
  return GTK_WIDGET (self);
}

void
at_sign_dialog_add_content (AtSignDialog *self,
                            GtkWidget    *widget)
{
  gtk_box_append (self->content_box, widget);
  gtk_widget_set_visible (GTK_WIDGET (self->content_box), TRUE);
}

void
at_sign_dialog_set_callback (AtSignDialog  *self,
                             AtSignFunc     func,
                             gpointer       user_data,
                             GDestroyNotify destroy)
{
  if (self->func_destroy)
    self->func_destroy (self->func_data);
  self->func = func;
  self->func_data = user_data;
  self->func_destroy = destroy;
}

void
at_sign_dialog_set_ready (AtSignDialog *self,
                          gboolean      ready)
{
  self->ready = ready;
  update (self);
}

void
at_sign_dialog_set_needs_key (AtSignDialog *self,
                              gboolean      needs_key)
{
  self->needs_key = needs_key;
  gtk_widget_set_visible (GTK_WIDGET (self->key_group), needs_key);
  update (self);
}

GtkWindow *
at_sign_dialog_get_parent (AtSignDialog *self)
{
  return gtk_window_get_transient_for (GTK_WINDOW (self));
}

static void
at_sign_dialog_dispose (GObject *object)
{
  AtSignDialog *self = AT_SIGN_DIALOG (object);

  at_sign_dialog_set_callback (self, NULL, NULL, NULL);
  g_clear_object (&self->store);
  g_clear_object (&self->signer);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_SIGN_DIALOG);

  G_OBJECT_CLASS (at_sign_dialog_parent_class)->dispose (object);
}

static void
at_sign_dialog_class_init (AtSignDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_sign_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-sign-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtSignDialog, page);
  gtk_widget_class_bind_template_child (widget_class, AtSignDialog, intro_group);
  gtk_widget_class_bind_template_child (widget_class, AtSignDialog, content_box);
  gtk_widget_class_bind_template_child (widget_class, AtSignDialog, key_group);
  gtk_widget_class_bind_template_child (widget_class, AtSignDialog, pass_row);
  gtk_widget_class_bind_template_child (widget_class, AtSignDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AtSignDialog, action_button);
  gtk_widget_class_bind_template_callback (widget_class, on_action);
  gtk_widget_class_bind_template_callback (widget_class, update);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
at_sign_dialog_init (AtSignDialog *self)
{
  self->ready = TRUE;
  self->needs_key = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}
