/* at-nc-window.c — every nonconformity of an assessment, with its follow-up
 *
 * Follow-up goes on after the certificate: the organisation answers with its corrective action,
 * an assessor verifies it and closes the nonconformity (or reopens it). Each step is recorded as
 * the current identity; core refuses (and the window says why) when that person may not.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-nc-window.h"

struct _AtNcWindow
{
  AdwWindow            parent_instance;

  AtApplication       *app;
  AtWorksheet         *worksheet;
  GPtrArray           *rows;

  AdwPreferencesGroup *group;
  GtkWidget           *empty;
};

G_DEFINE_FINAL_TYPE (AtNcWindow, at_nc_window, ADW_TYPE_WINDOW)

enum { SIGNAL_CHANGED, SIGNAL_SHOW_CLAUSE, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
person (AtNcWindow *self,
        const char *id)
{
  GPtrArray *all = at_application_get_identities (self->app);

  for (guint i = 0; all && i < all->len; i++)
    if (g_strcmp0 (at_identity_get_id (all->pdata[i]), id) == 0)
      return at_identity_get_name (all->pdata[i]);
  return id;
}

static const char *
actor (AtNcWindow *self)
{
  AtIdentity *me = at_application_get_identity (self->app);

  return me ? at_identity_get_id (me) : "";
}

static void
toast (AtNcWindow *self,
       const char *message)
{
  at_gui_toast (GTK_WIDGET (self->group), message);
}

static void
changed (AtNcWindow *self,
         const char *focus)
{
  at_nc_window_reload (self, focus);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_verify (GtkButton  *button,
           AtNcWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "nc-id");
  gboolean close = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "close"));
  g_autoptr(GError) error = NULL;

  if (!at_nonconformity_verify (at_application_get_store (self->app), id, actor (self), close, &error))
    {
      toast (self, error->message);
      return;
    }
  changed (self, id);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             AtNcWindow       *self)
{
  GtkTextView *view = g_object_get_data (G_OBJECT (dialog), "view");
  const char *id = g_object_get_data (G_OBJECT (dialog), "nc-id");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "record") != 0)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!at_nonconformity_respond (at_application_get_store (self->app), id, actor (self), text, &error))
    {
      toast (self, error->message);
      return;
    }
  changed (self, id);
}

static void
on_respond (GtkButton  *button,
            AtNcWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "nc-id");
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Corrective Action"),
                                              _("What the organisation changed, and the evidence it offers. An assessor then verifies it."));
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_widget_set_size_request (view, 360, 120);
  gtk_widget_add_css_class (view, "card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Corrective action"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), view);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "record", _("_Record"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "record", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "view", view);
  g_object_set_data_full (G_OBJECT (dialog), "nc-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
}

static void
on_show_clause (GtkButton  *button,
                AtNcWindow *self)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_CLAUSE], 0, g_object_get_data (G_OBJECT (button), "clause"));
}

static GtkWidget *
fact_row (const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value ? value : "—");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  return row;
}

static GtkWidget *
button (const char *label,
        const char *id)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (b), "nc-id", g_strdup (id), g_free);
  return b;
}

static GtkWidget *
nc_row (AtNcWindow      *self,
        AtNonconformity *nc)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *status = gtk_label_new (at_gui_nc_status_label (at_nonconformity_get_status (nc)));
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *actions_row = adw_action_row_new ();
  GtkWidget *b;
  g_autofree char *title = g_strdup_printf ("%s · %s · %s", at_nonconformity_get_label (nc),
                                            at_nonconformity_get_clause (nc),
                                            at_gui_grade_label (at_nonconformity_get_grade (nc)));
  g_autofree char *raised_when = at_gui_format_time (at_nonconformity_get_raised_at (nc));
  g_autofree char *raised = g_strdup_printf ("%s, %s", person (self, at_nonconformity_get_raised_by (nc)), raised_when);
  const char *id = at_nonconformity_get_id (nc);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), at_nonconformity_get_text (nc));
  gtk_widget_add_css_class (status, "state-pill");
  gtk_widget_add_css_class (status, at_nc_status_to_string (at_nonconformity_get_status (nc)));
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), status);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), fact_row (_("What was found"), at_nonconformity_get_text (nc)));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), fact_row (_("Rectification suggestion"), at_nonconformity_get_suggestion (nc)));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), fact_row (_("Rectify by"), at_nonconformity_get_due (nc)));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), fact_row (_("Raised by"), raised));
  if (at_nonconformity_get_response (nc))
    {
      g_autofree char *when = at_gui_format_time (at_nonconformity_get_responded_at (nc));
      /* Translators: “Corrective action, by 张三, 2026-12-20 10:00” */
      g_autofree char *what = g_strdup_printf (_("Corrective action, by %s, %s"),
                                               person (self, at_nonconformity_get_responded_by (nc)), when);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), fact_row (what, at_nonconformity_get_response (nc)));
    }
  if (at_nonconformity_get_verified_by (nc))
    {
      g_autofree char *when = at_gui_format_time (at_nonconformity_get_verified_at (nc));
      g_autofree char *who = g_strdup_printf ("%s, %s", person (self, at_nonconformity_get_verified_by (nc)), when);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), fact_row (_("Verified by"), who));
    }

  b = button (_("Go to _Clause"), id);
  g_object_set_data_full (G_OBJECT (b), "clause", g_strdup (at_nonconformity_get_clause (nc)), g_free);
  g_signal_connect (b, "clicked", G_CALLBACK (on_show_clause), self);
  gtk_box_append (GTK_BOX (actions), b);
  if (at_nonconformity_get_status (nc) != AT_NC_CLOSED)
    {
      b = button (_("Record _Response…"), id);
      g_signal_connect (b, "clicked", G_CALLBACK (on_respond), self);
      gtk_box_append (GTK_BOX (actions), b);
      b = button (_("Verify and C_lose"), id);
      g_object_set_data (G_OBJECT (b), "close", GINT_TO_POINTER (TRUE));
      gtk_widget_add_css_class (b, "suggested-action");
      g_signal_connect (b, "clicked", G_CALLBACK (on_verify), self);
      gtk_box_append (GTK_BOX (actions), b);
    }
  else
    {
      b = button (_("Re_open"), id);
      g_object_set_data (G_OBJECT (b), "close", GINT_TO_POINTER (FALSE));
      g_signal_connect (b, "clicked", G_CALLBACK (on_verify), self);
      gtk_box_append (GTK_BOX (actions), b);
    }
  gtk_widget_set_margin_top (actions, 6);
  gtk_widget_set_margin_bottom (actions, 6);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions_row), actions);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), actions_row);
  g_object_set_data_full (G_OBJECT (row), "nc-id", g_strdup (id), g_free);
  return row;
}

void
at_nc_window_reload (AtNcWindow *self,
                     const char *focus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = at_nonconformity_list (at_application_get_store (self->app),
                                                     at_assessment_get_id (at_worksheet_get_assessment (self->worksheet)),
                                                     &error);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  if (list == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      GtkWidget *row = nc_row (self, list->pdata[i]);

      /* the one asked for, or else the first: the window opens on something to read */
      if (g_strcmp0 (focus, at_nonconformity_get_id (list->pdata[i])) == 0 || (focus == NULL && i == 0))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_widget_set_visible (self->empty, list->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->group), list->len > 0);
}

GtkWidget *
at_nc_window_new (GtkWindow     *parent,
                  AtApplication *app,
                  AtWorksheet   *worksheet)
{
  AtNcWindow *self = g_object_new (AT_TYPE_NC_WINDOW, "transient-for", parent, NULL);
  /* Translators: the title of the nonconformities window, %s is the organisation */
  g_autofree char *title = g_strdup_printf (_("Nonconformities — %s"),
                                            at_assessment_get_org (at_worksheet_get_assessment (worksheet)));

  self->app = g_object_ref (app);
  self->worksheet = g_object_ref (worksheet);
  gtk_window_set_title (GTK_WINDOW (self), title);
  return GTK_WIDGET (self);
}

static void
at_nc_window_dispose (GObject *object)
{
  AtNcWindow *self = AT_NC_WINDOW (object);

  g_clear_object (&self->app);
  g_clear_object (&self->worksheet);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_NC_WINDOW);

  G_OBJECT_CLASS (at_nc_window_parent_class)->dispose (object);
}

static void
at_nc_window_class_init (AtNcWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_nc_window_dispose;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SHOW_CLAUSE] = g_signal_new ("show-clause", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-nc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtNcWindow, group);
  gtk_widget_class_bind_template_child (widget_class, AtNcWindow, empty);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
at_nc_window_init (AtNcWindow *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
