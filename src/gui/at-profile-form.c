/* at-profile-form.c — a person's profile: create a signing identity, or import a PKCS#12
 *
 * Everything Attest records is signed by someone, so the first thing a new user does is say who
 * they are. A certification body that runs its own CA hands out PKCS#12 files; everyone else gets
 * a self-signed key made here. Either way the passphrase protects the key on this disk.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-profile-form.h"

#define MIN_PASSPHRASE 8

struct _AtProfileForm
{
  GtkWidget            parent_instance;

  AtStore             *store;
  GFile               *p12;

  GtkWidget           *create_toggle;
  GtkWidget           *import_toggle;
  GtkWidget           *person_group;
  AdwEntryRow         *name_row;
  AdwEntryRow         *org_row;
  GtkWidget           *file_group;
  AdwActionRow        *file_row;
  GtkCheckButton      *assessor_check;
  GtkCheckButton      *reviewer_check;
  GtkCheckButton      *issuer_check;
  GtkCheckButton      *organisation_check;
  AdwPasswordEntryRow *pass_row;
  AdwPasswordEntryRow *pass2_row;
  GtkLabel            *hint_label;
  GtkButton           *done_button;
};

G_DEFINE_FINAL_TYPE (AtProfileForm, at_profile_form, GTK_TYPE_WIDGET)

enum { SIGNAL_DONE, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
importing (AtProfileForm *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->import_toggle));
}

static AtRoles
chosen_roles (AtProfileForm *self)
{
  AtRoles roles = 0;

  if (gtk_check_button_get_active (self->assessor_check))
    roles |= AT_ROLE_ASSESSOR;
  if (gtk_check_button_get_active (self->reviewer_check))
    roles |= AT_ROLE_REVIEWER;
  if (gtk_check_button_get_active (self->issuer_check))
    roles |= AT_ROLE_ISSUER;
  if (gtk_check_button_get_active (self->organisation_check))
    roles |= AT_ROLE_ORGANISATION;
  return roles;
}

/* Says what is still missing rather than greying the button out without a word. */
static void
update (AtProfileForm *self)
{
  g_autofree char *name = at_gui_entry_text (self->name_row);
  const char *pass = gtk_editable_get_text (GTK_EDITABLE (self->pass_row));
  const char *pass2 = gtk_editable_get_text (GTK_EDITABLE (self->pass2_row));
  const char *hint = NULL;

  gtk_widget_set_visible (self->person_group, !importing (self));
  gtk_widget_set_visible (self->file_group, importing (self));
  gtk_widget_set_visible (GTK_WIDGET (self->pass2_row), !importing (self));
  gtk_button_set_label (self->done_button, importing (self) ? _("_Import Profile") : _("_Create Profile"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pass_row),
                                 importing (self) ? _("Passphrase of the file") : _("Passphrase"));

  if (importing (self) && self->p12 == NULL)
    hint = _("Choose the PKCS#12 file (.p12 or .pfx) your certification body gave you.");
  else if (!importing (self) && *name == '\0')
    hint = _("Enter your name as it should appear on reports and signatures.");
  else if (chosen_roles (self) == 0)
    hint = _("Choose at least one role.");
  else if (!importing (self) && g_utf8_strlen (pass, -1) < MIN_PASSPHRASE)
    hint = _("The passphrase needs at least 8 characters.");
  else if (importing (self) && *pass == '\0')
    hint = _("Enter the passphrase that protects the file.");
  else if (!importing (self) && !g_str_equal (pass, pass2))
    hint = _("The two passphrases differ.");

  gtk_label_set_text (self->hint_label, hint ? hint : _("Your key stays on this computer, protected by the passphrase."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->done_button), hint == NULL && self->store != NULL);
}

static void
on_file_chosen (GListModel *files,
                gpointer    user_data)
{
  AtProfileForm *self = user_data;
  g_autoptr(GFile) file = g_list_model_get_item (files, 0);
  g_autofree char *name = g_file_get_basename (file);

  g_set_object (&self->p12, file);
  adw_action_row_set_subtitle (self->file_row, name);
  update (self);
}

static void
on_choose_file (AtProfileForm *self)
{
  static const char * const patterns[] = { "*.p12", "*.pfx", NULL };

  at_gui_choose_file (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Choose a PKCS#12 File"),
                      GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), FALSE, _("PKCS#12 files"), patterns, NULL,
                      on_file_chosen, g_object_ref (self), g_object_unref);
}

static void
on_done (AtProfileForm *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtIdentity) identity = NULL;
  g_autofree char *name = at_gui_entry_text (self->name_row);
  g_autofree char *org = at_gui_entry_text (self->org_row);
  const char *pass = gtk_editable_get_text (GTK_EDITABLE (self->pass_row));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->done_button)))
    return;

  if (importing (self))
    {
      g_autofree char *path = g_file_get_path (self->p12);
      identity = at_identity_import (self->store, path, chosen_roles (self), pass, &error);
    }
  else
    identity = at_identity_create (self->store, name, chosen_roles (self), *org ? org : NULL, pass, &error);

  if (identity == NULL)
    {
      gtk_label_set_text (self->hint_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "error");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->pass_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pass2_row), "");
  g_signal_emit (self, signals[SIGNAL_DONE], 0, at_identity_get_id (identity));
}

GtkWidget *
at_profile_form_new (void)
{
  return g_object_new (AT_TYPE_PROFILE_FORM, NULL);
}

void
at_profile_form_set_store (AtProfileForm *self,
                           AtStore       *store)
{
  g_set_object (&self->store, store);
  update (self);
}

static void
at_profile_form_dispose (GObject *object)
{
  AtProfileForm *self = AT_PROFILE_FORM (object);

  g_clear_object (&self->store);
  g_clear_object (&self->p12);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_PROFILE_FORM);

  G_OBJECT_CLASS (at_profile_form_parent_class)->dispose (object);
}

static void
at_profile_form_class_init (AtProfileFormClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_profile_form_dispose;

  /* done(identity id): the identity exists and may become the current one */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-profile-form.ui");
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, create_toggle);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, import_toggle);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, person_group);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, name_row);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, org_row);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, file_group);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, file_row);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, assessor_check);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, reviewer_check);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, issuer_check);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, organisation_check);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, pass_row);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, pass2_row);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, hint_label);
  gtk_widget_class_bind_template_child (widget_class, AtProfileForm, done_button);
  gtk_widget_class_bind_template_callback (widget_class, update);
  gtk_widget_class_bind_template_callback (widget_class, on_done);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_file);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
at_profile_form_init (AtProfileForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
