/* at-window.c — the main window: first-run profile, the assessments, one assessment
 *
 * Three pages: a welcome page until the first profile exists (everything is signed by someone),
 * the list of assessments, and the assessment being worked on. Bundles arrive here too, from the
 * menu or from a double-click on a .attest file.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-assessment-dialog.h"
#include "at-assessment-view.h"
#include "at-assessments-page.h"
#include "at-busy-dialog.h"
#include "at-catalog-window.h"
#include "at-gui-labels.h"
#include "at-merge-window.h"
#include "at-profile-form.h"
#include "at-registry-page.h"
#include "at-window.h"

struct _AtWindow
{
  AdwApplicationWindow  parent_instance;

  AtApplication        *app;
  GSimpleAction        *identity_action;

  /* template children */
  AdwToastOverlay      *toasts;
  GtkStack             *pages;
  AtProfileForm        *welcome_form;
  AtAssessmentsPage    *assessments_page;
  AtAssessmentView     *assessment_view;
  AtRegistryPage       *registry_page;
  GMenuModel           *primary_menu;
};

G_DEFINE_FINAL_TYPE (AtWindow, at_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (AtWindow   *self,
       const char *message)
{
  at_gui_toast (GTK_WIDGET (self->pages), message);
}

static gboolean
on_assessment_page (AtWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "assessment") == 0;
}

static void
show_assessments (AtWindow *self)
{
  at_assessments_page_reload (self->assessments_page);
  gtk_stack_set_visible_child_name (self->pages, "assessments");
}

void
at_window_show_assessment (AtWindow   *self,
                           const char *id)
{
  g_autoptr(GError) error = NULL;

  if (on_assessment_page (self) && !at_assessment_view_flush (self->assessment_view))
    {
      toast (self, _("Evidence is still being added; wait for it to finish first."));
      return;
    }
  if (!at_assessment_view_load (self->assessment_view, self->app, self->primary_menu, id, &error))
    {
      toast (self, error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->pages, "assessment");
}

static void
on_open_assessment (AtWindow   *self,
                    const char *id)
{
  at_window_show_assessment (self, id);
}

static void
on_assessment_created (AtWindow   *self,
                       const char *id)
{
  at_assessments_page_reload (self->assessments_page);
  at_window_show_assessment (self, id);
}

/* ---- identities ------------------------------------------------------------------------------ */

static void
sync_identity_state (AtWindow *self)
{
  AtIdentity *me = at_application_get_identity (self->app);

  g_simple_action_set_state (self->identity_action, g_variant_new_string (me ? at_identity_get_id (me) : ""));
}

static void
on_profile_done (AtWindow   *self,
                 const char *identity_id)
{
  at_application_reload_identities (self->app);
  at_application_set_identity (self->app, identity_id);
  sync_identity_state (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "welcome") == 0)
    show_assessments (self);
}

static void
identity_changed (GSimpleAction *action,
                  GVariant      *value,
                  gpointer       user_data)
{
  AtWindow *self = user_data;

  at_application_set_identity (self->app, g_variant_get_string (value, NULL));
  sync_identity_state (self);
}

static void
on_dialog_profile_done (AtProfileForm *form,
                        const char    *identity_id,
                        AtWindow      *self)
{
  on_profile_done (self, identity_id);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (form))));
  toast (self, _("Profile ready: you are now working as this person"));
}

static void
new_profile_activated (GtkWidget  *widget,
                       const char *action,
                       GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);
  GtkWidget *dialog = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *form = at_profile_form_new ();

  gtk_window_set_title (GTK_WINDOW (dialog), _("New Profile"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 720);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  at_profile_form_set_store (AT_PROFILE_FORM (form), at_application_get_store (self->app));
  g_signal_connect_object (form, "done", G_CALLBACK (on_dialog_profile_done), self, 0);
  gtk_widget_set_margin_top (form, 18);
  gtk_widget_set_margin_bottom (form, 24);
  gtk_widget_set_margin_start (form, 12);
  gtk_widget_set_margin_end (form, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), form);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (dialog), box);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- bundles --------------------------------------------------------------------------------- */

typedef struct
{
  AtWindow     *window;
  GFile        *file;
  AtBusyDialog *busy;
} Import;

static void
import_free (Import *im)
{
  g_clear_object (&im->window);
  g_clear_object (&im->file);
  g_free (im);
}

static void start_import (AtWindow *self, GFile *file, AtBundleImportFlags flags);

static void
import_closure_free (gpointer data,
                     GClosure *closure)
{
  import_free (data);
}

static void start_merge (AtWindow *self, GFile *file);

static void
on_copy_response (AdwMessageDialog *dialog,
                  const char       *response,
                  Import           *im)
{
  if (g_strcmp0 (response, "copy") == 0)
    start_import (im->window, im->file, AT_BUNDLE_IMPORT_AS_COPY);
  else if (g_strcmp0 (response, "merge") == 0)
    start_merge (im->window, im->file);
}

/* ---- a team member's bundle, merged ------------------------------------------------------- */

static void
after_merge (AtWindow   *self,
             const char *assessment_id,
             const char *message)
{
  toast (self, message);
  at_application_reload_identities (self->app);
  at_assessments_page_reload (self->assessments_page);
  at_window_show_assessment (self, assessment_id);
  if (on_assessment_page (self))
    at_assessment_view_refresh (self->assessment_view);
}

static void
on_merged (AtMergeWindow *win,
           const char    *assessment_id,
           AtWindow      *self)
{
  after_merge (self, assessment_id, _("Merged: the team member's work and your decisions are in the assessment"));
}

static void
merge_prepared (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Import *im = user_data;
  AtWindow *self = im->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtMerge) merge = at_merge_prepare_finish (AT_STORE (source), result, &error);
  g_autofree char *name = g_file_get_basename (im->file);

  at_busy_dialog_finish (im->busy);
  if (merge == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, error->message);

          /* Translators: %s is the bundle's file name */
          adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("%s was not merged"), name);
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
        }
      import_free (im);
      return;
    }

  if (at_merge_get_conflicts (merge)->len > 0)
    {
      GtkWidget *win = at_merge_window_new (GTK_WINDOW (self), self->app, merge);

      g_signal_connect_object (win, "merged", G_CALLBACK (on_merged), self, 0);
      gtk_window_present (GTK_WINDOW (win));
    }
  else if (!at_merge_apply (merge, at_application_get_identity (self->app)
                                   ? at_identity_get_id (at_application_get_identity (self->app)) : NULL, &error))
    toast (self, error->message);
  else
    {
      /* Translators: %s is a team member; nothing conflicted */
      g_autofree char *message = g_strdup_printf (_("Merged the work of %s: nothing conflicted"), at_merge_get_signer_name (merge));
      after_merge (self, at_merge_get_assessment_id (merge), message);
    }
  import_free (im);
}

static void
start_merge (AtWindow *self,
             GFile    *file)
{
  Import *im = g_new0 (Import, 1);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *description = NULL;

  /* Translators: %s is the bundle's file name */
  description = g_strdup_printf (_("Checking %s and comparing its history with this assessment's…"), name);
  im->window = g_object_ref (self);
  im->file = g_object_ref (file);
  im->busy = at_busy_dialog_new (GTK_WINDOW (self), _("Merging a Team Member's Work"), description);
  at_merge_prepare_async (at_application_get_store (self->app), path, at_busy_dialog_progress, im->busy,
                          at_busy_dialog_get_cancellable (im->busy), merge_prepared, im);
}

static void
imported (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Import *im = user_data;
  AtWindow *self = im->window;
  g_autoptr(GError) error = NULL;
  AtBundleOutcome outcome = AT_BUNDLE_IMPORTED;
  g_autofree char *id = at_bundle_import_finish (AT_STORE (source), result, &outcome, &error);
  g_autofree char *name = g_file_get_basename (im->file);

  at_busy_dialog_finish (im->busy);
  if (id == NULL)
    {
      GtkWidget *dialog;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          import_free (im);
          return;
        }
      /* Translators: %s is the bundle's file name */
      dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, error->message);
      adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("%s was not imported"), name);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      /* a diverged history is not an error in the bundle: it can still be kept beside ours */
      if (g_error_matches (error, AT_ERROR, AT_ERROR_REFUSED))
        {
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "copy", _("Keep as a _Separate Copy"));
          /* a team member's work on the same assessment is merged record by record */
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "merge", _("_Merge"));
          adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge", ADW_RESPONSE_SUGGESTED);
          g_signal_connect_data (dialog, "response", G_CALLBACK (on_copy_response), im, import_closure_free, 0);
        }
      else
        import_free (im);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  switch (outcome)
    {
    case AT_BUNDLE_IMPORTED:  toast (self, _("Bundle imported")); break;
    case AT_BUNDLE_UPDATED:   toast (self, _("Bundle applied: this assessment now has the later records")); break;
    case AT_BUNDLE_UNCHANGED: toast (self, _("Nothing new: this assessment already has every record of the bundle")); break;
    case AT_BUNDLE_COPIED:    toast (self, _("Bundle kept as a separate copy")); break;
    default: break;
    }
  at_application_reload_identities (self->app);
  at_assessments_page_reload (self->assessments_page);
  at_window_show_assessment (self, id);
  if (on_assessment_page (self))
    at_assessment_view_refresh (self->assessment_view);
  import_free (im);
}

static void
start_import (AtWindow            *self,
              GFile               *file,
              AtBundleImportFlags  flags)
{
  Import *im = g_new0 (Import, 1);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *description = NULL;

  if (path == NULL)
    {
      toast (self, _("Only bundles on this computer can be imported"));
      g_free (im);
      return;
    }
  if (on_assessment_page (self) && !at_assessment_view_flush (self->assessment_view))
    {
      toast (self, _("Evidence is still being added; wait for it to finish first."));
      g_free (im);
      return;
    }
  /* Translators: %s is the bundle's file name */
  description = g_strdup_printf (_("Checking every entry, hash and signature of %s before anything is written…"), name);
  im->window = g_object_ref (self);
  im->file = g_object_ref (file);
  im->busy = at_busy_dialog_new (GTK_WINDOW (self), _("Importing Bundle"), description);
  at_bundle_import_async (at_application_get_store (self->app), path, flags, at_busy_dialog_progress, im->busy,
                          at_busy_dialog_get_cancellable (im->busy), imported, im);
}

void
at_window_import_bundle (AtWindow *self,
                         GFile    *file)
{
  g_return_if_fail (AT_IS_WINDOW (self));
  start_import (self, file, AT_BUNDLE_IMPORT_NONE);
}

static void
on_bundle_chosen (GListModel *files,
                  gpointer    user_data)
{
  g_autoptr(GFile) file = g_list_model_get_item (files, 0);

  at_window_import_bundle (AT_WINDOW (user_data), file);
}

static void
import_bundle_activated (GtkWidget  *widget,
                         const char *action,
                         GVariant   *param)
{
  static const char * const patterns[] = { "*.attest", NULL };

  at_gui_choose_file (GTK_WINDOW (widget), _("Import a Bundle"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), FALSE,
                      _("Attest bundles"), patterns, NULL, on_bundle_chosen, g_object_ref (widget), g_object_unref);
}

/* ---- other actions ----------------------------------------------------------------------------- */

static void
new_assessment_activated (GtkWidget  *widget,
                          const char *action,
                          GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);
  GtkWidget *dialog;

  if (at_application_get_identity (self->app) == NULL)
    {
      gtk_stack_set_visible_child_name (self->pages, "welcome");
      return;
    }
  dialog = at_assessment_dialog_new (GTK_WINDOW (self), self->app);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_assessment_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
back_activated (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "registry") == 0)
    {
      show_assessments (self);
      return;
    }
  if (!on_assessment_page (self))
    return;
  if (!at_assessment_view_flush (self->assessment_view))
    {
      toast (self, _("Evidence is still being added; wait for it to finish first."));
      return;
    }
  show_assessments (self);
}

static void
show_catalogs_activated (GtkWidget  *widget,
                         const char *action,
                         GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (at_catalog_window_new (GTK_WINDOW (self), at_application_get_store (self->app))));
}

static void
show_registry_activated (GtkWidget  *widget,
                         const char *action,
                         GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);

  if (on_assessment_page (self) && !at_assessment_view_flush (self->assessment_view))
    {
      toast (self, _("Evidence is still being added; wait for it to finish first."));
      return;
    }
  if (at_application_get_identity (self->app) == NULL)
    {
      gtk_stack_set_visible_child_name (self->pages, "welcome");
      return;
    }
  gtk_stack_set_visible_child_name (self->pages, "registry");
  at_registry_page_show (self->registry_page);
}

static void
on_registry_fetched (AtWindow   *self,
                     const char *id,
                     int         outcome)
{
  switch ((AtBundleOutcome) outcome)
    {
    case AT_BUNDLE_UNCHANGED: toast (self, _("Nothing new: this assessment already has every record the registry holds")); break;
    case AT_BUNDLE_UPDATED:   toast (self, _("Fetched: this assessment now has the records the registry holds")); break;
    default:                  toast (self, _("Fetched from the registry")); break;
    }
  at_application_reload_identities (self->app);
  at_assessments_page_reload (self->assessments_page);
  at_window_show_assessment (self, id);
  if (on_assessment_page (self))
    at_assessment_view_refresh (self->assessment_view);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action,
                  GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "assessments") == 0)
    at_assessments_page_focus_search (self->assessments_page);
}

static void
on_view_changed (AtWindow *self)
{
  /* the list is rebuilt when it is shown again; nothing to do while the assessment is open */
}

static gboolean
at_window_close_request (GtkWindow *window)
{
  AtWindow *self = AT_WINDOW (window);

  if (on_assessment_page (self) && !at_assessment_view_flush (self->assessment_view))
    {
      toast (self, _("Evidence is still being added; wait for it to finish, or stop it, before closing."));
      return TRUE;
    }
  return GTK_WINDOW_CLASS (at_window_parent_class)->close_request (window);
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
  AtIdentity *me;

  self->app = app;
  bind_settings (self);
  me = at_application_get_identity (app);
  self->identity_action = g_simple_action_new_stateful ("identity", G_VARIANT_TYPE_STRING,
                                                        g_variant_new_string (me ? at_identity_get_id (me) : ""));
  g_signal_connect (self->identity_action, "change-state", G_CALLBACK (identity_changed), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->identity_action));

  at_profile_form_set_store (self->welcome_form, at_application_get_store (app));
  at_assessments_page_setup (self->assessments_page, app, self->primary_menu);
  at_registry_page_setup (self->registry_page, app);
  gtk_stack_set_visible_child_name (self->pages, me ? "assessments" : "welcome");
  return self;
}

static void
at_window_dispose (GObject *object)
{
  AtWindow *self = AT_WINDOW (object);

  g_clear_object (&self->identity_action);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_WINDOW);

  G_OBJECT_CLASS (at_window_parent_class)->dispose (object);
}

static void
at_window_class_init (AtWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = at_window_close_request;

  g_type_ensure (AT_TYPE_PROFILE_FORM);
  g_type_ensure (AT_TYPE_ASSESSMENTS_PAGE);
  g_type_ensure (AT_TYPE_ASSESSMENT_VIEW);
  g_type_ensure (AT_TYPE_REGISTRY_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, welcome_form);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, assessments_page);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, assessment_view);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, registry_page);
  gtk_widget_class_bind_template_child (widget_class, AtWindow, primary_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_done);
  gtk_widget_class_bind_template_callback (widget_class, on_open_assessment);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_registry_fetched);

  gtk_widget_class_install_action (widget_class, "win.new-assessment", NULL, new_assessment_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.import-bundle", NULL, import_bundle_activated);
  gtk_widget_class_install_action (widget_class, "win.show-catalogs", NULL, show_catalogs_activated);
  gtk_widget_class_install_action (widget_class, "win.new-profile", NULL, new_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.import-profile", NULL, new_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.show-registry", NULL, show_registry_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-assessment", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import-bundle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "win.show-catalogs", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-registry", NULL);
}

static void
at_window_init (AtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
