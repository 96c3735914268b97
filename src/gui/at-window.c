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
#include "at-gap-window.h"
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
  GtkWindow            *gap_window;     /* weak */
  GtkWindow            *shortcuts;      /* made when first asked for */

  /* template children */
  AdwToastOverlay      *toasts;
  GtkStack             *pages;
  AtProfileForm        *welcome_form;
  AtAssessmentsPage    *assessments_page;
  GMenuModel           *primary_menu;

  /* made the first time they are shown (see assessment_view ()) */
  AtAssessmentView     *assessment_view;
  AtRegistryPage       *registry_page;
};

G_DEFINE_FINAL_TYPE (AtWindow, at_window, ADW_TYPE_APPLICATION_WINDOW)

static void
toast (AtWindow   *self,
       const char *message)
{
  at_gui_toast (GTK_WIDGET (self->pages), message);
}

static void on_view_changed (AtWindow *self);
static void on_registry_fetched (AtWindow *self, const char *id, int outcome);

/* The assessment view and the registry page are made the first time they are shown, so that a
 * start builds only the page it opens on: the view alone took 80–180 ms of the time from launch
 * to the first frame (bench-launch). Showing them is what adds them to the stack, so while one
 * is visible it exists. */
static AtAssessmentView *
assessment_view (AtWindow *self)
{
  if (self->assessment_view == NULL)
    {
      self->assessment_view = g_object_new (AT_TYPE_ASSESSMENT_VIEW, NULL);
      g_signal_connect_object (self->assessment_view, "changed", G_CALLBACK (on_view_changed), self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->pages, GTK_WIDGET (self->assessment_view), "assessment");
    }
  return self->assessment_view;
}

static AtRegistryPage *
registry_page (AtWindow *self)
{
  if (self->registry_page == NULL)
    {
      self->registry_page = g_object_new (AT_TYPE_REGISTRY_PAGE, NULL);
      g_signal_connect_object (self->registry_page, "fetched", G_CALLBACK (on_registry_fetched), self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->pages, GTK_WIDGET (self->registry_page), "registry");
      at_registry_page_setup (self->registry_page, self->app);
    }
  return self->registry_page;
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
  if (!at_assessment_view_load (assessment_view (self), self->app, self->primary_menu, id, &error))
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

/* The assessment at one of its clauses: from the follow-up desk and the gap view. */
static void
show_clause (AtWindow   *self,
             const char *id,
             const char *clause)
{
  AtWorksheet *open = on_assessment_page (self) ? at_assessment_view_get_worksheet (self->assessment_view) : NULL;

  if (open == NULL || g_strcmp0 (at_assessment_get_id (at_worksheet_get_assessment (open)), id) != 0)
    at_window_show_assessment (self, id);
  if (on_assessment_page (self) && clause != NULL && *clause != '\0')
    at_assessment_view_select_clause (self->assessment_view, clause);
}

static void
on_open_clause (AtWindow   *self,
                const char *id,
                const char *clause)
{
  show_clause (self, id, clause);
}

static void
on_gap_show_clause (AtGapWindow *gaps,
                    const char  *id,
                    const char  *clause,
                    AtWindow    *self)
{
  show_clause (self, id, clause);
  gtk_window_present (GTK_WINDOW (self));
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
  at_gui_close_on_escape (GTK_WINDOW (dialog));
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

/* The assessment an action is for: its id, or "" for the one open in the window (so that a
 * menu in a .ui file can name the action with a fixed target). NULL when there is none. */
static const char *
target_assessment (AtWindow *self,
                   GVariant *param)
{
  const char *id = g_variant_get_string (param, NULL);
  AtWorksheet *open;

  if (*id != '\0')
    return id;
  open = on_assessment_page (self) ? at_assessment_view_get_worksheet (self->assessment_view) : NULL;
  return open ? at_assessment_get_id (at_worksheet_get_assessment (open)) : NULL;
}

static void
show_gaps_activated (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);
  const char *id = target_assessment (self, param);
  g_autoptr(GError) error = NULL;
  GtkWidget *gaps;

  if (id == NULL)
    return;

  if (on_assessment_page (self))
    at_assessment_view_flush (self->assessment_view);
  /* one gap view at a time: asked again, it shows the records as they are now */
  if (self->gap_window != NULL && g_strcmp0 (at_gap_window_get_assessment_id (AT_GAP_WINDOW (self->gap_window)), id) == 0)
    {
      if (!at_gap_window_reload (AT_GAP_WINDOW (self->gap_window), &error))
        toast (self, error->message);
      gtk_window_present (self->gap_window);
      return;
    }
  if (self->gap_window != NULL)
    gtk_window_destroy (self->gap_window);
  gaps = at_gap_window_new (GTK_WINDOW (self), self->app, id, &error);
  if (gaps == NULL)
    {
      toast (self, error->message);
      return;
    }
  self->gap_window = GTK_WINDOW (gaps);
  g_object_add_weak_pointer (G_OBJECT (gaps), (gpointer *) &self->gap_window);
  g_signal_connect_object (gaps, "show-clause", G_CALLBACK (on_gap_show_clause), self, 0);
  gtk_window_present (GTK_WINDOW (gaps));
}

static gboolean
may_create (AtWindow *self)
{
  if (at_application_get_identity (self->app) != NULL)
    return TRUE;
  gtk_stack_set_visible_child_name (self->pages, "welcome");
  return FALSE;
}

static void
new_surveillance_activated (GtkWidget  *widget,
                            const char *action,
                            GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtAssessment) previous = NULL;
  GtkWidget *dialog;

  if (!may_create (self) || target_assessment (self, param) == NULL)
    return;
  previous = at_assessment_lookup (at_application_get_store (self->app), target_assessment (self, param), &error);
  if (previous == NULL)
    {
      toast (self, error->message);
      return;
    }
  dialog = at_assessment_dialog_new_surveillance (GTK_WINDOW (self), self->app, previous);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_assessment_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_application_chosen (GListModel *files,
                       gpointer    user_data)
{
  AtWindow *self = AT_WINDOW (user_data);
  g_autoptr(GFile) file = g_list_model_get_item (files, 0);
  g_autofree char *path = g_file_get_path (file);
  GtkWidget *dialog;

  if (path == NULL)
    {
      toast (self, _("Only bundles on this computer can be imported"));
      return;
    }
  dialog = at_assessment_dialog_new_from_application (GTK_WINDOW (self), self->app, file);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_assessment_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_from_application_activated (GtkWidget  *widget,
                                const char *action,
                                GVariant   *param)
{
  static const char * const patterns[] = { "*.attest", NULL };
  AtWindow *self = AT_WINDOW (widget);

  if (!may_create (self))
    return;
  if (on_assessment_page (self) && !at_assessment_view_flush (self->assessment_view))
    {
      toast (self, _("Evidence is still being added; wait for it to finish first."));
      return;
    }
  at_gui_choose_file (GTK_WINDOW (widget), _("Choose an Application"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), FALSE,
                      _("Attest bundles"), patterns, NULL, on_application_chosen, g_object_ref (widget), g_object_unref);
}

static void
show_desk_activated (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "welcome") == 0)
    return;
  if (on_assessment_page (self))
    {
      if (!at_assessment_view_flush (self->assessment_view))
        {
          toast (self, _("Evidence is still being added; wait for it to finish first."));
          return;
        }
      show_assessments (self);
    }
  at_assessments_page_show_desk (self->assessments_page, g_variant_get_string (param, NULL));
}

/* The keyboard shortcuts, made when first asked for rather than by GtkApplicationWindow at
 * start: GTK 4.8 lists a window that was never shown among the application's windows to
 * assistive technologies with no object path, and a screen reader (or the UI tests) asking for
 * the windows just as a dialog closes made it crash (fixed in GTK 4.10). */
static void
show_help_overlay_activated (GtkWidget  *widget,
                             const char *action,
                             GVariant   *param)
{
  AtWindow *self = AT_WINDOW (widget);

  if (self->shortcuts == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/attestbench/Attest/at-help-overlay.ui");

      self->shortcuts = g_object_ref (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
      gtk_window_set_transient_for (self->shortcuts, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->shortcuts, TRUE);
    }
  gtk_window_present (self->shortcuts);
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
  at_registry_page_show (registry_page (self));
  gtk_stack_set_visible_child_name (self->pages, "registry");
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
  gtk_stack_set_visible_child_name (self->pages, me ? "assessments" : "welcome");
  return self;
}

static void
at_window_dispose (GObject *object)
{
  AtWindow *self = AT_WINDOW (object);

  g_clear_object (&self->identity_action);
  if (self->shortcuts != NULL)
    gtk_window_destroy (self->shortcuts);
  g_clear_object (&self->shortcuts);
  if (self->gap_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->gap_window), (gpointer *) &self->gap_window);
      self->gap_window = NULL;
    }
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
  gtk_widget_class_bind_template_child (widget_class, AtWindow, primary_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_done);
  gtk_widget_class_bind_template_callback (widget_class, on_open_assessment);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clause);

  gtk_widget_class_install_action (widget_class, "win.new-assessment", NULL, new_assessment_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.import-bundle", NULL, import_bundle_activated);
  gtk_widget_class_install_action (widget_class, "win.show-catalogs", NULL, show_catalogs_activated);
  gtk_widget_class_install_action (widget_class, "win.new-profile", NULL, new_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.import-profile", NULL, new_profile_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.show-registry", NULL, show_registry_activated);
  /* for the list's rows and the assessment view's menu: the assessment id as the target, or ""
   * for the assessment open in the window */
  gtk_widget_class_install_action (widget_class, "win.show-gaps", "s", show_gaps_activated);
  gtk_widget_class_install_action (widget_class, "win.new-surveillance", "s", new_surveillance_activated);
  gtk_widget_class_install_action (widget_class, "win.new-from-application", NULL, new_from_application_activated);
  gtk_widget_class_install_action (widget_class, "win.show-desk", "s", show_desk_activated);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-assessment", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import-bundle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "win.show-catalogs", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.show-registry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-desk", "s", "assessments");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-desk", "s", "recheck");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-desk", "s", "follow-up");
}

static void
at_window_init (AtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
