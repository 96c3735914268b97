/* at-assessment-view-actions.c — the chapter-11 workflow and the exports, from the window
 *
 * Submit, recheck, certificate and reopen are signed steps: each opens a dialog that says what
 * the step does, asks the signer's passphrase and shows core's answer (a refusal keeps the
 * dialog open with the reason). Reports and bundles are written off the main thread behind a
 * modal progress dialog, since they read the whole assessment.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-assessment-dialog.h"
#include "at-assign-window.h"
#include "at-assessment-view-private.h"
#include "at-busy-dialog.h"
#include "at-gui-labels.h"
#include "at-nc-window.h"
#include "at-sign-dialog.h"

static AtIdentity *
me (AtAssessmentView *self)
{
  return at_application_get_identity (self->app);
}

static AtStore *
store (AtAssessmentView *self)
{
  return at_application_get_store (self->app);
}

static AtAssessment *
assessment (AtAssessmentView *self)
{
  return at_worksheet_get_assessment (self->worksheet);
}

static const char *
assessment_id (AtAssessmentView *self)
{
  return at_assessment_get_id (assessment (self));
}

static GtkWindow *
window (AtAssessmentView *self)
{
  return GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
}

static gboolean
state_is (AtAssessmentView *self,
          const char       *state)
{
  return g_strcmp0 (at_assessment_get_state (assessment (self)), state) == 0;
}

static const char *
person_name (AtAssessmentView *self,
             const char       *id)
{
  GPtrArray *all = at_application_get_identities (self->app);

  for (guint i = 0; all && i < all->len; i++)
    if (g_strcmp0 (at_identity_get_id (all->pdata[i]), id) == 0)
      return at_identity_get_name (all->pdata[i]);
  return id;
}

/* Nobody signs without a profile; say so instead of opening a dialog that cannot work. */
static gboolean
need_identity (AtAssessmentView *self)
{
  if (me (self) != NULL)
    return TRUE;
  at_gui_toast (GTK_WIDGET (self), _("Create a profile first: every step is signed by someone."));
  return FALSE;
}

/* The current identity has the role, or the person is told whose profile to switch to. */
static gboolean
need_role (AtAssessmentView *self,
           AtRoles           role)
{
  g_autofree char *message = NULL;

  if (!need_identity (self))
    return FALSE;
  if (at_identity_has_role (me (self), role))
    return TRUE;
  if (role == AT_ROLE_REVIEWER)
    message = g_strdup_printf (_("%s is not a reviewer. Switch to the reviewer's profile to recheck."),
                               at_identity_get_name (me (self)));
  else
    message = g_strdup_printf (_("%s is not an issuer. Switch to the issuer's profile to issue the certificate."),
                               at_identity_get_name (me (self)));
  at_gui_toast (GTK_WIDGET (self), message);
  return FALSE;
}

static void
toast_on (GtkWindow  *parent,
          const char *message)
{
  GtkWidget *content = parent ? adw_application_window_get_content (ADW_APPLICATION_WINDOW (parent)) : NULL;

  if (content)
    at_gui_toast (content, message);
}

/* The registry's address from the settings, or NULL when none is set up. */
static char *
registry_url (AtAssessmentView *self)
{
  GSettings *settings = at_application_get_settings (self->app);
  g_autofree char *url = settings ? g_settings_get_string (settings, "registry-url") : NULL;

  return url && *url ? g_steal_pointer (&url) : NULL;
}

static void
error_dialog (GtkWindow  *parent,
              const char *heading,
              const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_at_assessment_view_update_actions (AtAssessmentView *self)
{
  gboolean loaded = self->worksheet != NULL;
  gboolean editable = loaded && (state_is (self, "draft") || state_is (self, "in-progress") || state_is (self, "returned"));
  gboolean signed_states = loaded && (state_is (self, "approved") || state_is (self, "certified"));
  gboolean third_party = loaded && at_assessment_get_kind (assessment (self)) == AT_KIND_THIRD_PARTY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.submit", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.review", loaded && state_is (self, "submitted"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.certificate", loaded && third_party && state_is (self, "approved"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.reopen", loaded && (state_is (self, "submitted") || signed_states));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.sign-report", signed_states);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.export-report", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.export-bundle", loaded);
  _at_assessment_view_update_recheck_actions (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.publish", signed_states);
}

/* ---- submit ------------------------------------------------------------------------------------ */

static gboolean
do_submit (AtSignDialog *dialog,
           AtSigner     *signer,
           gpointer      user_data,
           GError      **error)
{
  AtAssessmentView *self = user_data;

  if (!at_assessment_submit (store (self), assessment_id (self), signer, error))
    return FALSE;
  at_assessment_view_refresh (self);
  toast_on (window (self), _("Submitted for recheck"));
  return TRUE;
}

static void
submit_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  const char *lead = at_assessment_get_lead (assessment (self));
  guint open = at_worksheet_get_n_assessable (self->worksheet) - at_worksheet_get_n_assessed (self->worksheet);
  GtkWidget *dialog;

  if (!need_identity (self) || !at_assessment_view_flush (self))
    return;
  if (g_strcmp0 (at_identity_get_id (me (self)), lead) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("Only the lead assessor, %s, submits the assessment. Switch to their profile to submit."),
                                                  person_name (self, lead));
      at_gui_toast (widget, message);
      return;
    }
  if (open > 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u clause has no verdict yet: every clause needs one before the recheck.",
                                                               "%u clauses have no verdict yet: every clause needs one before the recheck.", open),
                                                  open);
      at_gui_toast (widget, message);
      gtk_drop_down_set_selected (self->filter_dropdown, 1);
      return;
    }
  dialog = at_sign_dialog_new (window (self), store (self), me (self), _("Submit for Recheck"),
                               _("You sign the records as they are now. Until the reviewer returns the assessment, nothing in it can change. "
                                 "The reviewer must be an expert who took no part in the assessment (QCS 11.4)."),
                               _("_Submit"));
  at_sign_dialog_set_callback (AT_SIGN_DIALOG (dialog), do_submit, g_object_ref (self), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- recheck ----------------------------------------------------------------------------------- */

typedef struct
{
  AtAssessmentView *view;
  GtkToggleButton  *approve;
  GtkTextView      *conclusion;
} Review;

static void
review_free (Review *r)
{
  g_object_unref (r->view);
  g_free (r);
}

static char *
text_of (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static gboolean
do_review (AtSignDialog *dialog,
           AtSigner     *signer,
           gpointer      user_data,
           GError      **error)
{
  Review *r = user_data;
  g_autofree char *conclusion = text_of (r->conclusion);
  gboolean approve = gtk_toggle_button_get_active (r->approve);

  if (!at_assessment_review (store (r->view), assessment_id (r->view), signer, approve, conclusion, error))
    return FALSE;
  at_assessment_view_refresh (r->view);
  toast_on (window (r->view), approve ? _("Approved after the recheck") : _("Returned for rework"));
  return TRUE;
}

static void
on_conclusion_changed (GtkTextBuffer *buffer,
                       AtSignDialog  *dialog)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  at_sign_dialog_set_ready (dialog, *text != '\0');
}

static void
review_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  Review *r;
  GtkWidget *dialog, *choice, *approve, *ret, *label, *view;

  if (!need_role (self, AT_ROLE_REVIEWER))
    return;
  dialog = at_sign_dialog_new (window (self), store (self), me (self), _("Recheck"),
                               _("Your signed conclusion closes this round of the recheck: approve the assessment, or return "
                                 "it with your queries for rework. It goes into the report (QCS 11.4)."),
                               _("_Sign Conclusion"));
  choice = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (choice, "linked");
  gtk_widget_set_halign (choice, GTK_ALIGN_START);
  approve = gtk_toggle_button_new_with_mnemonic (_("_Approve"));
  ret = gtk_toggle_button_new_with_mnemonic (_("Return for _Rework"));
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (ret), GTK_TOGGLE_BUTTON (approve));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (approve), TRUE);
  gtk_box_append (GTK_BOX (choice), approve);
  gtk_box_append (GTK_BOX (choice), ret);
  label = gtk_label_new (_("Recheck conclusion"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_widget_set_size_request (view, -1, 120);
  gtk_widget_add_css_class (view, "card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Recheck conclusion"), -1);
  /* what the recheck clause by clause has come to: approval needs every clause agreed */
  {
    const AtReviewProgress *p = at_worksheet_get_review_progress (self->worksheet);
    g_autofree char *text = NULL;
    GtkWidget *status;

    if (p->agreed < p->assessable)
      {
        text = g_strdup_printf (_("Round %u: %u of %u clauses agreed, %u queried, %u not reviewed yet. "
                                  "Approval needs every clause agreed; a return sends the queries to the assessors."),
                                p->round, p->agreed, p->assessable, p->queried, p->assessable - p->reviewed);
        gtk_widget_set_sensitive (approve, FALSE);
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ret), TRUE);
      }
    else
      text = g_strdup_printf (_("Round %u: every one of the %u clauses is agreed."), p->round, p->assessable);
    status = gtk_label_new (text);
    gtk_label_set_wrap (GTK_LABEL (status), TRUE);
    gtk_label_set_xalign (GTK_LABEL (status), 0);
    gtk_widget_add_css_class (status, "dim-label");
    at_sign_dialog_add_content (AT_SIGN_DIALOG (dialog), status);
  }
  at_sign_dialog_add_content (AT_SIGN_DIALOG (dialog), choice);
  at_sign_dialog_add_content (AT_SIGN_DIALOG (dialog), label);
  at_sign_dialog_add_content (AT_SIGN_DIALOG (dialog), view);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed", G_CALLBACK (on_conclusion_changed), dialog);
  at_sign_dialog_set_ready (AT_SIGN_DIALOG (dialog), FALSE);

  r = g_new0 (Review, 1);
  r->view = g_object_ref (self);
  r->approve = GTK_TOGGLE_BUTTON (approve);
  r->conclusion = GTK_TEXT_VIEW (view);
  at_sign_dialog_set_callback (AT_SIGN_DIALOG (dialog), do_review, r, (GDestroyNotify) review_free);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

/* ---- certificate ------------------------------------------------------------------------------- */

typedef struct
{
  AtAssessmentView *view;
  AtBusyDialog     *busy;
} Issued;

static void
issued_by_registry (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Issued *issued = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = at_registry_certificate_issue_finish (result, &error);
  GtkWindow *parent = window (issued->view);

  at_busy_dialog_finish (issued->busy);
  at_assessment_view_refresh (issued->view);
  if (number == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        error_dialog (parent, _("The certificate was not issued"), error->message);
    }
  else
    {
      /* Translators: after issuing, %s is the certificate number */
      g_autofree char *message = g_strdup_printf (_("Certificate %s issued"), number);
      toast_on (parent, message);
    }
  g_object_unref (issued->view);
  g_free (issued);
}

static gboolean
do_certificate (AtSignDialog *dialog,
                AtSigner     *signer,
                gpointer      user_data,
                GError      **error)
{
  AtAssessmentView *self = user_data;
  GtkSpinButton *years = g_object_get_data (G_OBJECT (dialog), "years");
  g_autofree char *url = registry_url (self);
  g_autofree char *number = NULL;
  g_autofree char *message = NULL;

  /* with a registry, the registry gives the number (two issuers never give the same one), over
   * the network: in a worker thread, behind a progress dialog */
  if (url != NULL)
    {
      Issued *issued = g_new0 (Issued, 1);

      issued->view = g_object_ref (self);
      issued->busy = at_busy_dialog_new (window (self), _("Issuing Certificate"),
                                         _("Asking the registry for the certificate number and signing the decision…"));
      at_registry_certificate_issue_async (url, store (self), assessment_id (self), signer,
                                           gtk_spin_button_get_value_as_int (years),
                                           at_busy_dialog_get_cancellable (issued->busy), issued_by_registry, issued);
      return TRUE;
    }
  number = at_certificate_issue (store (self), assessment_id (self), signer, gtk_spin_button_get_value_as_int (years), error);
  if (number == NULL)
    return FALSE;
  at_assessment_view_refresh (self);
  /* Translators: after issuing, %s is the certificate number */
  message = g_strdup_printf (_("Certificate %s issued"), number);
  toast_on (window (self), message);
  return TRUE;
}

static void
certificate_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  g_autofree char *default_years = at_settings_get (store (self), "certificate.valid-years", "3");
  GtkWidget *dialog, *row, *spin;

  if (!need_role (self, AT_ROLE_ISSUER))
    return;
  dialog = at_sign_dialog_new (window (self), store (self), me (self), _("Issue Certificate"),
                               registry_url (self) != NULL
                               ? _("You decide on certification and sign the decision. The registry gives the certificate number now; "
                                   "the issue date is today (QCS 11.5, ISO/IEC 17065 7.7).")
                               : _("You decide on certification and sign the decision. The certificate number is given now; "
                                   "the issue date is today (QCS 11.5, ISO/IEC 17065 7.7)."),
                               _("_Issue"));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Valid for (years)"));
  spin = gtk_spin_button_new_with_range (1, 10, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), g_ascii_strtod (default_years, NULL));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Valid for (years)"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  gtk_widget_add_css_class (row, "card");
  at_sign_dialog_add_content (AT_SIGN_DIALOG (dialog), row);
  g_object_set_data (G_OBJECT (dialog), "years", spin);
  at_sign_dialog_set_callback (AT_SIGN_DIALOG (dialog), do_certificate, g_object_ref (self), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- reopen ------------------------------------------------------------------------------------ */

static void
on_reopen_response (AdwMessageDialog *dialog,
                    const char       *response,
                    AtAssessmentView *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason");
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (g_strcmp0 (response, "reopen") != 0)
    return;
  reason = at_gui_entry_text (entry);
  if (!at_assessment_reopen (store (self), assessment_id (self), at_identity_get_id (me (self)), reason, &error))
    {
      error_dialog (window (self), _("The assessment was not reopened"), error->message);
      return;
    }
  at_assessment_view_refresh (self);
  at_gui_toast (GTK_WIDGET (self), _("Reopened: the earlier sign-offs no longer count"));
}

static void
on_reason_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = at_gui_entry_text (entry);

  adw_message_dialog_set_response_enabled (dialog, "reopen", *reason != '\0');
}

static void
reopen_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  GtkWidget *dialog, *entry;

  if (!need_identity (self))
    return;
  dialog = adw_message_dialog_new (window (self), _("Reopen the Assessment?"),
                                   _("Reopening lets the records change again and voids the submission, the recheck approval and "
                                     "any certificate decision: they have to be signed again. The reason is kept in the audit trail."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Why it is reopened"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "reopen", _("_Reopen"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reopen", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "reopen", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "reason", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_reason_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reopen_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- details, nonconformities, verification ------------------------------------------------------ */

static void
details_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  GtkWidget *dialog;

  at_assessment_view_flush (self);
  dialog = at_assessment_dialog_new_for_edit (window (self), self->app, assessment (self));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (at_assessment_view_refresh), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_at_assessment_view_show_nonconformities (AtAssessmentView *self,
                                          const char       *nc_id)
{
  if (self->nc_window == NULL)
    {
      self->nc_window = GTK_WINDOW (at_nc_window_new (window (self), self->app, self->worksheet));
      g_object_add_weak_pointer (G_OBJECT (self->nc_window), (gpointer *) &self->nc_window);
      g_signal_connect_object (self->nc_window, "changed", G_CALLBACK (at_assessment_view_refresh), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->nc_window, "show-clause", G_CALLBACK (at_assessment_view_select_clause), self, G_CONNECT_SWAPPED);
    }
  at_nc_window_reload (AT_NC_WINDOW (self->nc_window), nc_id);
  gtk_window_present (self->nc_window);
}

static void
on_assignments_changed (AtAssessmentView *self)
{
  at_assessment_view_refresh (self);
}

static void
assign_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  GtkWidget *win;

  if (!need_identity (self))
    return;
  win = at_assign_window_new (window (self), self->app, self->worksheet);
  g_signal_connect_object (win, "changed", G_CALLBACK (on_assignments_changed), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (win));
}

static void
nonconformities_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _at_assessment_view_show_nonconformities (AT_ASSESSMENT_VIEW (widget), NULL);
}

static void
verify_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) signoffs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) body = g_string_new (NULL);
  guint n_entries = 0;
  gboolean signoffs_ok;
  GtkWidget *dialog;

  at_assessment_view_flush (self);
  if (!at_audit_verify (store (self), assessment_id (self), problems, &n_entries, &error))
    {
      error_dialog (window (self), _("The records could not be checked"), error->message);
      return;
    }
  signoffs_ok = at_signoffs_verify (store (self), assessment_id (self), signoffs, NULL);

  if (problems->len == 0)
    g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                               "The audit trail is intact: %u entry, and every record matches it.",
                                               "The audit trail is intact: %u entries, and every record matches them.", n_entries),
                            n_entries);
  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (body, "%s• %s", body->len ? "\n" : "", (char *) problems->pdata[i]);
  for (guint i = 0; i < signoffs->len; i++)
    g_string_append_printf (body, "\n• %s", (char *) signoffs->pdata[i]);
  if (signoffs->len == 0)
    g_string_append_printf (body, "\n%s", _("No sign-offs yet."));

  dialog = adw_message_dialog_new (window (self),
                                   problems->len == 0 && signoffs_ok ? _("Records and Signatures Check Out")
                                                                     : _("Something Does Not Match"),
                                   body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- report ------------------------------------------------------------------------------------ */

typedef struct
{
  AtAssessmentView *view;
  GFile            *file;
  GtkDropDown      *language;
  GtkDropDown      *kind;
  AtBusyDialog     *busy;
} Report;

static void
report_free (Report *r)
{
  g_clear_object (&r->view);
  g_clear_object (&r->file);
  g_free (r);
}

static void
on_open_file (AdwToast *toast,
              GtkWindow *parent)
{
  const char *uri = g_object_get_data (G_OBJECT (toast), "uri");

  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}

static void
toast_with_open (GtkWindow  *parent,
                 const char *message,
                 GFile      *file)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (parent));
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_timeout (toast, 10);
  g_object_set_data_full (G_OBJECT (toast), "uri", g_file_get_uri (file), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_open_file), parent, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (content), toast);
}

static void
report_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Report *r = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = window (r->view);

  at_busy_dialog_finish (r->busy);
  if (!at_report_write_finish (AT_STORE (source), result, &error))
    error_dialog (parent, _("The report was not written"), error->message);
  else
    toast_with_open (parent, _("Report saved"), r->file);
  report_free (r);
}

static gboolean
do_report (AtSignDialog *dialog,
           AtSigner     *signer,
           gpointer      user_data,
           GError      **error)
{
  Report *r = user_data;
  Report *copy = g_new0 (Report, 1);
  g_autofree char *path = g_file_get_path (r->file);
  AtLang lang = gtk_drop_down_get_selected (r->language) == 1 ? AT_LANG_EN : AT_LANG_ZH_CN;
  gboolean draft = gtk_drop_down_get_selected (r->kind) == 1;
  GSettings *settings = at_application_get_settings (r->view->app);

  if (settings)
    g_settings_set_string (settings, "report-language", at_lang_to_string (lang));
  copy->view = g_object_ref (r->view);
  copy->file = g_object_ref (r->file);
  copy->busy = at_busy_dialog_new (window (r->view), _("Exporting Report"),
                                   _("Writing the report, embedding the font and signing it…"));
  at_report_write_async (store (r->view), assessment_id (r->view), path, lang, draft,
                         draft ? NULL : signer, at_busy_dialog_get_cancellable (copy->busy),
                         report_written, copy);
  return TRUE;
}

static void
on_report_kind (GtkDropDown  *kind,
                GParamSpec   *pspec,
                AtSignDialog *dialog)
{
  at_sign_dialog_set_needs_key (dialog, gtk_drop_down_get_selected (kind) == 0);
}

static GtkWidget *
labelled (const char *title,
          GtkWidget  *widget)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
  gtk_widget_add_css_class (row, "card");
  return row;
}

static void
open_report_dialog (AtAssessmentView *self,
                    GFile            *file)
{
  static const char * const languages[] = { N_("Chinese"), N_("English"), NULL };
  const char * const kinds[] = { _("Signed by you"), _("Draft preview (unsigned)"), NULL };
  const char * const tr_languages[] = { _(languages[0]), _(languages[1]), NULL };
  GSettings *settings = at_application_get_settings (self->app);
  g_autofree char *saved = settings ? g_settings_get_string (settings, "report-language") : g_strdup ("");
  AtLang lang = *saved ? at_lang_parse (saved, NULL) : at_gui_lang ();
  gboolean can_sign = me (self) != NULL && (state_is (self, "approved") || state_is (self, "certified"));
  GtkWidget *dialog, *language, *kind;
  Report *r;

  dialog = at_sign_dialog_new (window (self), store (self), me (self) ? me (self) : NULL, _("Export Report"),
                               at_assessment_get_kind (assessment (self)) == AT_KIND_SELF
                               ? _("The self-assessment report, in the language you choose. A signed report needs the approval of the recheck and is signed by the organisation.")
                               : _("The certificate report, in the language you choose. A signed report is signed first by the reviewer who approved it; the issuer then countersigns it. A draft can be made at any time."),
                               _("_Export"));
  language = gtk_drop_down_new_from_strings (tr_languages);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (language), lang == AT_LANG_EN ? 1 : 0);
  kind = gtk_drop_down_new_from_strings (kinds);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (kind), can_sign ? 0 : 1);
  gtk_widget_set_sensitive (kind, can_sign);
  at_sign_dialog_add_content (AT_SIGN_DIALOG (dialog), labelled (_("Language"), language));
  at_sign_dialog_add_content (AT_SIGN_DIALOG (dialog), labelled (_("Report"), kind));
  g_signal_connect (kind, "notify::selected", G_CALLBACK (on_report_kind), dialog);
  at_sign_dialog_set_needs_key (AT_SIGN_DIALOG (dialog), can_sign);

  r = g_new0 (Report, 1);
  r->view = g_object_ref (self);
  r->file = g_object_ref (file);
  r->language = GTK_DROP_DOWN (language);
  r->kind = GTK_DROP_DOWN (kind);
  at_sign_dialog_set_callback (AT_SIGN_DIALOG (dialog), do_report, r, (GDestroyNotify) report_free);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Save dialogs: the file is chosen first, then what goes into it. */
typedef void (*ChosenFunc) (AtAssessmentView *self, GFile *file);

typedef struct
{
  AtAssessmentView *view;
  ChosenFunc        func;
} Choice;

static void
choice_free (Choice *c)
{
  g_object_unref (c->view);
  g_free (c);
}

static void
on_chosen (GListModel *files,
           gpointer    user_data)
{
  Choice *c = user_data;
  g_autoptr(GFile) file = g_list_model_get_item (files, 0);

  c->func (c->view, file);
}

static void
choose_file (AtAssessmentView     *self,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *suggested_name,
             const char           *pattern,
             const char           *filter_name,
             ChosenFunc            func)
{
  const char * const patterns[] = { pattern, NULL };
  Choice *c = g_new0 (Choice, 1);

  c->view = g_object_ref (self);
  c->func = func;
  at_gui_choose_file (window (self), title, action, action == GTK_FILE_CHOOSER_ACTION_SAVE ? _("_Save") : _("_Open"),
                      FALSE, filter_name, patterns, suggested_name, on_chosen, c, (GDestroyNotify) choice_free);
}

/* "某通信公司 QCS 2026-12-02" without characters file systems refuse */
static char *
file_stem (AtAssessmentView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *stem = g_strdup_printf ("%s %s %s", at_assessment_get_org (assessment (self)),
                                           at_catalog_get_code (at_assessment_get_catalog (assessment (self))), date);

  return g_strdelimit (g_steal_pointer (&stem), "/\\:*?\"<>|", '-');
}

static void
export_report_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  g_autofree char *stem = file_stem (self);
  g_autofree char *suggested = g_strdup_printf ("%s.pdf", stem);

  if (!need_identity (self) || !at_assessment_view_flush (self))
    return;
  choose_file (self, _("Export Report"), GTK_FILE_CHOOSER_ACTION_SAVE, suggested, "*.pdf", _("PDF documents"),
               open_report_dialog);
}

static gboolean
do_countersign (AtSignDialog *dialog,
                AtSigner     *signer,
                gpointer      user_data,
                GError      **error)
{
  GFile *file = G_FILE (g_object_get_data (G_OBJECT (dialog), "file"));
  AtAssessmentView *self = user_data;
  g_autofree char *path = g_file_get_path (file);

  if (!at_report_sign (store (self), path, signer, error))
    return FALSE;
  toast_with_open (window (self), _("Report countersigned"), file);
  return TRUE;
}

static void
countersign_chosen (AtAssessmentView *self,
                    GFile            *file)
{
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: %s is the report's file name */
  g_autofree char *description = g_strdup_printf (_("Adds your signature to %s as a new revision; the signatures already in it stay valid."), name);
  GtkWidget *dialog = at_sign_dialog_new (window (self), store (self), me (self), _("Countersign Report"),
                                          description, _("_Sign"));

  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  at_sign_dialog_set_callback (AT_SIGN_DIALOG (dialog), do_countersign, g_object_ref (self), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_report_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);

  if (!need_identity (self))
    return;
  choose_file (self, _("Countersign a Report"), GTK_FILE_CHOOSER_ACTION_OPEN, NULL, "*.pdf", _("PDF documents"),
               countersign_chosen);
}

/* ---- bundle ------------------------------------------------------------------------------------ */

static void
bundle_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Report *r = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = window (r->view);

  at_busy_dialog_finish (r->busy);
  if (!at_bundle_export_finish (AT_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        error_dialog (parent, _("The bundle was not written"), error->message);
    }
  else
    toast_on (parent, _("Bundle saved: it carries the assessment, its evidence and its signatures"));
  report_free (r);
}

static gboolean
do_bundle (AtSignDialog *dialog,
           AtSigner     *signer,
           gpointer      user_data,
           GError      **error)
{
  AtAssessmentView *self = user_data;
  GFile *file = G_FILE (g_object_get_data (G_OBJECT (dialog), "file"));
  g_autofree char *path = g_file_get_path (file);
  Report *r = g_new0 (Report, 1);

  r->view = g_object_ref (self);
  r->file = g_object_ref (file);
  r->busy = at_busy_dialog_new (window (self), _("Exporting Bundle"),
                                _("Packing the records and every evidence file, checking each against its SHA-256…"));
  at_bundle_export_async (store (self), assessment_id (self), path, signer, at_busy_dialog_progress, r->busy,
                          at_busy_dialog_get_cancellable (r->busy), bundle_written, r);
  return TRUE;
}

static void
bundle_chosen (AtAssessmentView *self,
               GFile            *file)
{
  GtkWidget *dialog = at_sign_dialog_new (window (self), store (self), me (self), _("Export Bundle"),
                                          _("The bundle carries this assessment to another computer: the records, the evidence, "
                                            "the sign-offs and the public certificates, never a private key. You sign it, so the "
                                            "receiver can tell it was not altered."),
                                          _("_Export"));

  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  at_sign_dialog_set_callback (AT_SIGN_DIALOG (dialog), do_bundle, g_object_ref (self), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_bundle_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  g_autofree char *stem = file_stem (self);
  g_autofree char *suggested = g_strdup_printf ("%s.attest", stem);

  if (!need_identity (self) || !at_assessment_view_flush (self))
    return;
  choose_file (self, _("Export Bundle"), GTK_FILE_CHOOSER_ACTION_SAVE, suggested, "*.attest", _("Attest bundles"),
               bundle_chosen);
}

/* ---- registry ---------------------------------------------------------------------------------- */

typedef struct
{
  AtAssessmentView *view;
  AtBusyDialog     *busy;
} Publish;

static void
published (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Publish *p = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = window (p->view);

  at_busy_dialog_finish (p->busy);
  if (!at_registry_publish_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        error_dialog (parent, _("The assessment was not published"), error->message);
    }
  else
    toast_on (parent, _("Published to the registry: the signed bundle and its certificate"));
  g_object_unref (p->view);
  g_free (p);
}

static gboolean
do_publish (AtSignDialog *dialog,
            AtSigner     *signer,
            gpointer      user_data,
            GError      **error)
{
  AtAssessmentView *self = user_data;
  g_autofree char *url = registry_url (self);
  Publish *p = g_new0 (Publish, 1);

  p->view = g_object_ref (self);
  p->busy = at_busy_dialog_new (window (self), _("Publishing to the Registry"),
                                _("Signing the bundle, checking it as an import would, and storing it in the registry…"));
  at_registry_publish_async (url, store (self), assessment_id (self), signer, at_busy_dialog_get_cancellable (p->busy),
                             published, p);
  return TRUE;
}

static void
publish_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  g_autofree char *url = registry_url (self);
  GtkWidget *dialog;

  if (!need_identity (self) || !at_assessment_view_flush (self))
    return;
  if (url == NULL)
    {
      at_gui_toast (widget, _("No registry is set up: enter its address on the Registry page (main menu, Registry) first."));
      return;
    }
  dialog = at_sign_dialog_new (window (self), store (self), me (self), _("Publish to Registry"),
                               _("The registry keeps this assessment's signed bundle and its certificate, where the certification "
                                 "body and the organisation's customers can check them. You sign the bundle; it is checked as an "
                                 "import checks it before anything is stored."),
                               _("_Publish"));
  at_sign_dialog_set_callback (AT_SIGN_DIALOG (dialog), do_publish, g_object_ref (self), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_at_assessment_view_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "view.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "view.details", NULL, details_action);
  gtk_widget_class_install_action (widget_class, "view.nonconformities", NULL, nonconformities_action);
  gtk_widget_class_install_action (widget_class, "view.assign", NULL, assign_action);
  gtk_widget_class_install_action (widget_class, "view.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "view.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "view.review", NULL, review_action);
  gtk_widget_class_install_action (widget_class, "view.certificate", NULL, certificate_action);
  gtk_widget_class_install_action (widget_class, "view.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "view.export-report", NULL, export_report_action);
  gtk_widget_class_install_action (widget_class, "view.sign-report", NULL, sign_report_action);
  gtk_widget_class_install_action (widget_class, "view.export-bundle", NULL, export_bundle_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "view.export-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "view.export-bundle", NULL);
}
