/* at-new-assessment-dialog.c — set up an assessment: standard, organisation, kind, lead
 *
 * On a first run there is nobody to lead the assessment yet, so the dialog asks for the person's
 * profile too and creates their identity along with the assessment.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-new-assessment-dialog.h"

struct _AtNewAssessmentDialog
{
  AdwWindow              parent_instance;

  AtStore               *store;
  GPtrArray             *catalogs;
  GPtrArray             *identities;

  AdwToastOverlay       *toasts;
  GtkWidget             *create_button;
  AdwComboRow           *standard_row;
  AdwEntryRow           *org_row;
  AdwComboRow           *kind_row;
  AdwEntryRow           *scope_row;
  AdwEntryRow           *sites_row;
  GtkWidget             *lead_group;
  AdwComboRow           *lead_row;
  GtkWidget             *profile_group;
  AdwEntryRow           *name_row;
  AdwEntryRow           *body_row;
  AdwPasswordEntryRow   *pass_row;
  AdwPasswordEntryRow   *pass2_row;
};

G_DEFINE_FINAL_TYPE (AtNewAssessmentDialog, at_new_assessment_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
row_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  return *copy == '\0';
}

static gboolean
needs_profile (AtNewAssessmentDialog *self)
{
  return self->identities->len == 0;
}

static void
update_sensitivity (AtNewAssessmentDialog *self)
{
  gboolean ok = !is_blank (row_text (self->org_row)) && self->catalogs->len > 0;

  if (needs_profile (self))
    ok = ok && !is_blank (row_text (self->name_row)) &&
         g_utf8_strlen (row_text (self->pass_row), -1) >= 8 &&
         g_str_equal (row_text (self->pass_row), row_text (self->pass2_row));

  gtk_widget_set_sensitive (self->create_button, ok);
}

static void
on_create_clicked (AtNewAssessmentDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtIdentity) created = NULL;
  g_autoptr(AtAssessment) assessment = NULL;
  g_auto(GStrv) sites = NULL;
  AtAssessmentSpec spec = { 0 };
  AtCatalog *catalog;
  guint pos;

  if (!gtk_widget_get_sensitive (self->create_button))
    return;

  pos = adw_combo_row_get_selected (self->standard_row);
  catalog = pos < self->catalogs->len ? self->catalogs->pdata[pos] : NULL;
  if (catalog == NULL)
    return;

  spec.kind = adw_combo_row_get_selected (self->kind_row) == 1 ? AT_KIND_SELF : AT_KIND_THIRD_PARTY;

  if (needs_profile (self))
    {
      AtRoles roles = spec.kind == AT_KIND_SELF ? AT_ROLE_ORGANISATION | AT_ROLE_ASSESSOR : AT_ROLE_ASSESSOR;

      created = at_identity_create (self->store, row_text (self->name_row), roles,
                                    row_text (self->body_row), row_text (self->pass_row), &error);
      if (created == NULL)
        goto fail;
      spec.lead = at_identity_get_id (created);
    }
  else
    {
      pos = adw_combo_row_get_selected (self->lead_row);
      spec.lead = at_identity_get_id (self->identities->pdata[MIN (pos, self->identities->len - 1)]);
    }

  spec.standard = at_catalog_get_code (catalog);
  spec.version = at_catalog_get_version (catalog);
  spec.org = row_text (self->org_row);
  spec.scope = is_blank (row_text (self->scope_row)) ? NULL : row_text (self->scope_row);
  sites = g_strsplit_set (row_text (self->sites_row), ";；", -1);
  {
    g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
    for (guint i = 0; sites[i]; i++)
      if (!is_blank (sites[i]))
        g_strv_builder_add (kept, g_strstrip (sites[i]));
    g_strfreev (sites);
    sites = g_strv_builder_end (kept);
  }
  spec.sites = (const char * const *) sites;

  assessment = at_assessment_create (self->store, &spec, &error);
  if (assessment == NULL)
    goto fail;

  g_signal_emit (self, signals[SIGNAL_CREATED], 0, at_assessment_get_id (assessment));
  gtk_window_destroy (GTK_WINDOW (self));
  return;

fail:
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
}

static void
fill_models (AtNewAssessmentDialog *self)
{
  g_autoptr(GtkStringList) standards = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) people = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  AtLang lang = at_lang_from_locale ();

  self->catalogs = at_standards_list (self->store, &error);
  if (self->catalogs == NULL)
    {
      self->catalogs = g_ptr_array_new_with_free_func (g_object_unref);
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      g_clear_error (&error);
    }
  for (guint i = 0; i < self->catalogs->len; i++)
    {
      AtCatalog *c = self->catalogs->pdata[i];
      g_autofree char *label = g_strdup_printf ("%s — %s %s", at_catalog_get_code (c),
                                                at_text_get (at_catalog_get_title (c), lang),
                                                at_catalog_get_version (c));
      gtk_string_list_append (standards, label);
      if (g_str_equal (at_catalog_get_code (c), "QCS"))
        adw_combo_row_set_selected (self->standard_row, i);
    }
  adw_combo_row_set_model (self->standard_row, G_LIST_MODEL (standards));
  for (guint i = 0; i < self->catalogs->len; i++)
    if (g_str_equal (at_catalog_get_code (self->catalogs->pdata[i]), "QCS"))
      adw_combo_row_set_selected (self->standard_row, i);

  self->identities = at_identity_list (self->store, &error);
  if (self->identities == NULL)
    self->identities = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->identities->len; i++)
    {
      g_autofree char *label = at_identity_dup_label (self->identities->pdata[i]);
      gtk_string_list_append (people, label);
    }
  adw_combo_row_set_model (self->lead_row, G_LIST_MODEL (people));

  gtk_widget_set_visible (self->lead_group, !needs_profile (self));
  gtk_widget_set_visible (self->profile_group, needs_profile (self));
}

AtNewAssessmentDialog *
at_new_assessment_dialog_new (GtkWindow *parent,
                              AtStore   *store)
{
  AtNewAssessmentDialog *self = g_object_new (AT_TYPE_NEW_ASSESSMENT_DIALOG,
                                              "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  fill_models (self);
  update_sensitivity (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->org_row));
  return self;
}

static void
at_new_assessment_dialog_dispose (GObject *object)
{
  AtNewAssessmentDialog *self = AT_NEW_ASSESSMENT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->catalogs, g_ptr_array_unref);
  g_clear_pointer (&self->identities, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_NEW_ASSESSMENT_DIALOG);

  G_OBJECT_CLASS (at_new_assessment_dialog_parent_class)->dispose (object);
}

static void
at_new_assessment_dialog_class_init (AtNewAssessmentDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_new_assessment_dialog_dispose;

  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-new-assessment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, standard_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, org_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, scope_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, sites_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, lead_group);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, lead_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, profile_group);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, body_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, pass_row);
  gtk_widget_class_bind_template_child (widget_class, AtNewAssessmentDialog, pass2_row);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, update_sensitivity);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
at_new_assessment_dialog_init (AtNewAssessmentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
