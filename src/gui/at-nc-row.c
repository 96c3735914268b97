/* at-nc-row.c — one nonconformity with its follow-up
 *
 * Collapsed, the row says what and how pressing: the organisation (on the desk), the label and
 * clause, the grade, the status and whether it is overdue. Expanded, it has everything the
 * organisation and the assessor need to settle it: what was found, the suggestion, the due date,
 * the corrective action and the files that show it, the history from the audit trail, and the
 * steps the current identity may take. The same row serves the follow-up desk (every open
 * nonconformity) and the nonconformities window of one assessment.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <time.h>

#include "at-gui-labels.h"
#include "at-nc-response-dialog.h"
#include "at-nc-row.h"

struct _AtNcRow
{
  AdwExpanderRow   parent_instance;

  AtApplication   *app;
  AtNonconformity *nc;
  AtNcRowFlags     flags;
  gboolean         overdue;
};

G_DEFINE_FINAL_TYPE (AtNcRow, at_nc_row, ADW_TYPE_EXPANDER_ROW)

enum { SIGNAL_CHANGED, SIGNAL_SHOW_CLAUSE, N_SIGNALS };
static guint signals[N_SIGNALS];

AtNonconformity *
at_nc_row_get_nonconformity (AtNcRow *self)
{
  g_return_val_if_fail (AT_IS_NC_ROW (self), NULL);
  return self->nc;
}

gboolean
at_nc_row_get_overdue (AtNcRow *self)
{
  g_return_val_if_fail (AT_IS_NC_ROW (self), FALSE);
  return self->overdue;
}

static const char *
person (AtNcRow    *self,
        const char *id)
{
  return at_application_get_person_name (self->app, id);
}

static gboolean
may (AtNcRow *self,
     AtRoles  roles)
{
  AtIdentity *me = at_application_get_identity (self->app);

  return me != NULL && at_identity_has_role (me, roles);
}

static void
changed (AtNcRow    *self,
         const char *message)
{
  if (message != NULL)
    at_gui_toast (GTK_WIDGET (self), message);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, at_nonconformity_get_id (self->nc));
}

/* Days since the due date passed; 0 when it has not. */
static int
days_overdue (AtNonconformity *nc)
{
  GDate due, today;

  if (at_nonconformity_get_due (nc) == NULL || !at_due_date_parse (at_nonconformity_get_due (nc), &due, NULL))
    return 0;
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  return MAX (0, g_date_days_between (&due, &today));
}

/* The due date as a fact: “2026-01-31 — 12 days overdue”. */
static char *
due_value (AtNcRow *self)
{
  const char *due = at_nonconformity_get_due (self->nc);
  int days;

  if (due == NULL)
    return g_strdup (_("No due date"));
  if (!self->overdue)
    return g_strdup (due);
  days = days_overdue (self->nc);
  /* Translators: “2026-01-31 — 12 days overdue” */
  return g_strdup_printf (g_dngettext (NULL, "%s — %d day overdue", "%s — %d days overdue", days), due, days);
}

static char *
due_text (AtNcRow *self)
{
  const char *due = at_nonconformity_get_due (self->nc);
  int days;

  if (due == NULL)
    return g_strdup (_("No due date"));
  if (!self->overdue)
    /* Translators: when the corrective action is due, “Rectify by 2027-03-31” */
    return g_strdup_printf (_("Rectify by %s"), due);
  days = days_overdue (self->nc);
  /* Translators: “Rectify by 2026-01-31 — 12 days overdue” */
  return g_strdup_printf (g_dngettext (NULL, "Rectify by %s — %d day overdue", "Rectify by %s — %d days overdue", days),
                          due, days);
}

/* ---- steps ----------------------------------------------------------------------------------- */

static void
on_recorded (AtNcResponseDialog *dialog,
             const char         *id,
             gboolean            complete,
             AtNcRow            *self)
{
  g_autofree char *message = NULL;

  if (complete)
    /* Translators: a toast, %s is the nonconformity's label (“NC-3”) */
    message = g_strdup_printf (_("Corrective action recorded for %s"), at_nonconformity_get_label (self->nc));
  changed (self, message);
}

static void
on_respond (AtNcRow *self)
{
  GtkWidget *dialog = at_nc_response_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->app, self->nc);

  g_signal_connect_object (dialog, "recorded", G_CALLBACK (on_recorded), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_verify_response (AdwMessageDialog *dialog,
                    const char       *response,
                    AtNcRow          *self)
{
  gboolean close = g_strcmp0 (response, "close") == 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AtIdentity *me = at_application_get_identity (self->app);

  if (!close && g_strcmp0 (response, "reopen") != 0)
    return;
  if (!at_nonconformity_verify (at_application_get_store (self->app), at_nonconformity_get_id (self->nc),
                                me ? at_identity_get_id (me) : "", close, &error))
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  /* Translators: a toast, %s is the nonconformity's label (“NC-3”) */
  message = g_strdup_printf (close ? _("%s verified and closed") : _("%s reopened"), at_nonconformity_get_label (self->nc));
  changed (self, message);
}

static void
confirm_verify (AtNcRow  *self,
                gboolean  close)
{
  const char *label = at_nonconformity_get_label (self->nc);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL,
                                              close ? _("The corrective action is verified as effective. If it turns out not to be, an assessor can reopen the nonconformity.")
                                                    : _("The organisation then records another corrective action, and an assessor verifies it again."));

  /* Translators: the question before closing or reopening, %s is the label (“NC-3”) */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), close ? _("Close %s?") : _("Reopen %s?"), label);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    close ? "close" : "reopen", close ? _("Verify and C_lose") : _("Re_open"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), close ? "close" : "reopen", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), close ? "close" : "reopen");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_verify_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_close_clicked (AtNcRow *self)
{
  confirm_verify (self, TRUE);
}

static void
on_reopen_clicked (AtNcRow *self)
{
  confirm_verify (self, FALSE);
}

static void
on_show_clause (AtNcRow *self)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_CLAUSE], 0, at_nonconformity_get_assessment_id (self->nc),
                 at_nonconformity_get_clause (self->nc));
}

static void
on_open_file (GtkButton *button,
              AtNcRow   *self)
{
  const char *sha = g_object_get_data (G_OBJECT (button), "sha256");
  g_autofree char *path = at_evidence_get_path (at_application_get_store (self->app), sha);

  at_gui_open_stored_file (GTK_WIDGET (self), path, g_object_get_data (G_OBJECT (button), "name"));
}

/* ---- the rows inside ------------------------------------------------------------------------- */

static GtkWidget *
fact_row (const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value && *value ? value : "—");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  return row;
}

static GtkWidget *
file_row (AtNcRow    *self,
          JsonObject *file)
{
  const char *name = json_object_get_string_member_with_default (file, "original_name", "");
  const char *sha = json_object_get_string_member_with_default (file, "sha256", "");
  AtEvidenceKind kind = at_evidence_kind_parse (json_object_get_string_member_with_default (file, "kind", "other"), NULL);
  g_autofree char *size = g_format_size (json_object_get_int_member_with_default (file, "size", 0));
  g_autofree char *when = at_gui_format_time (json_object_get_string_member_with_default (file, "added_at", NULL));
  /* Translators: under an attached file: “Photo · 1.2 MB · Zhao Min, 2026-12-20 10:00” */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s · %s, %s"), at_gui_evidence_kind_label (kind), size,
                                               person (self, json_object_get_string_member_with_default (file, "added_by", NULL)),
                                               when);
  /* Translators: the accessible name of the button that opens an attached file, %s is its name */
  g_autofree char *open_label = g_strdup_printf (_("Open %s"), name);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open = gtk_button_new_from_icon_name ("document-open-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (at_gui_evidence_kind_icon (kind)));
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  at_gui_set_tooltip (open, open_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  g_object_set_data_full (G_OBJECT (open), "sha256", g_strdup (sha), g_free);
  g_object_set_data_full (G_OBJECT (open), "name", g_strdup (name), g_free);
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_file), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), open);
  return row;
}

/* One line of the follow-up history: who did what, when. */
static GtkWidget *
history_row (AtNcRow    *self,
             JsonObject *event)
{
  const char *action = json_object_get_string_member_with_default (event, "action", "");
  const char *who = person (self, json_object_get_string_member_with_default (event, "by", NULL));
  const char *text = json_object_get_string_member_with_default (event, "text", NULL);
  g_autofree char *when = at_gui_format_time (json_object_get_string_member_with_default (event, "at", NULL));
  g_autofree char *title = NULL;
  const char *icon = "document-edit-symbolic";
  GtkWidget *row = adw_action_row_new ();

  if (g_str_equal (action, "raise"))
    {
      title = g_strdup_printf (_("Raised by %s"), who);
      icon = "dialog-warning-symbolic";
    }
  else if (g_str_equal (action, "respond"))
    /* Translators: a step of the history, %s is a person */
    title = g_strdup_printf (_("Corrective action recorded by %s"), who);
  else if (g_str_equal (action, "attach"))
    {
      /* Translators: a step of the history: “Zhao Min attached roster.pdf” */
      title = g_strdup_printf (_("%s attached %s"), who, json_object_get_string_member_with_default (event, "name", ""));
      icon = "mail-attachment-symbolic";
    }
  else if (g_str_equal (action, "close"))
    {
      title = g_strdup_printf (_("Verified and closed by %s"), who);
      icon = "emblem-ok-symbolic";
    }
  else if (g_str_equal (action, "reopen"))
    {
      title = g_strdup_printf (_("Reopened by %s"), who);
      icon = "edit-undo-symbolic";
    }
  else
    /* a bundle's copy and the like: what it says, and who */
    title = g_strdup_printf (_("%s (%s)"), who, action);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (text != NULL && *text != '\0')
    {
      /* Translators: under a step of the history: “2026-12-20 10:00 · “Roster kept since May”” */
      g_autofree char *subtitle = g_strdup_printf (_("%s · “%s”"), when, text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
  gtk_widget_add_css_class (row, "history-row");
  return row;
}

static GtkWidget *
heading_row (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (row, "nc-section");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static GtkWidget *
step_button (const char *label,
             GCallback   callback,
             gpointer    self)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (b, "clicked", callback, self);
  return b;
}

static GtkWidget *
pill (const char *text,
      const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "state-pill");
  if (css)
    gtk_widget_add_css_class (label, css);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static char *
shortened (const char *text,
           glong       max_chars)
{
  g_autofree char *line = g_strdup (text ? text : "");
  char *nl = strchr (line, '\n');

  if (nl)
    *nl = '\0';
  if (g_utf8_strlen (line, -1) <= max_chars && nl == NULL)
    return g_steal_pointer (&line);
  if (g_utf8_strlen (line, -1) > max_chars)
    {
      g_autofree char *head = g_utf8_substring (line, 0, max_chars - 1);
      return g_strconcat (head, "…", NULL);
    }
  return g_strconcat (line, "…", NULL);
}

static void
build (AtNcRow    *self,
       const char *org)
{
  AtNonconformity *nc = self->nc;
  AdwExpanderRow *row = ADW_EXPANDER_ROW (self);
  AtStore *store = at_application_get_store (self->app);
  AtNcStatus status = at_nonconformity_get_status (nc);
  const char *grade = at_gui_grade_label (at_nonconformity_get_grade (nc));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) history = at_nonconformity_history (store, nc, &error);
  g_autoptr(JsonArray) files = at_nonconformity_evidence (store, nc, NULL);
  g_autofree char *due = due_text (self);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *actions_row = adw_action_row_new ();
  gboolean desk = (self->flags & AT_NC_ROW_DESK) != 0;

  /* ---- collapsed ---- */
  if (desk && org != NULL)
    /* Translators: a row of the follow-up desk: “Northwind Telecom · NC-3 · 7.4.2.2” */
    title = g_strdup_printf (_("%s · %s · %s"), org, at_nonconformity_get_label (nc), at_nonconformity_get_clause (nc));
  else
    title = g_strdup_printf (_("%s · %s · %s"), at_nonconformity_get_label (nc), at_nonconformity_get_clause (nc), grade);
  if (desk)
    {
      g_autofree char *text = shortened (at_nonconformity_get_text (nc), 90);
      subtitle = g_strdup_printf ("%s\n%s", text, due);
    }
  else
    subtitle = g_strdup (at_nonconformity_get_text (nc));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (row, subtitle);
  /* each action goes before the ones added earlier: they read grade, overdue, status */
  adw_expander_row_add_action (row, pill (at_gui_nc_status_label (status), at_nc_status_to_string (status)));
  if (self->overdue)
    {
      adw_expander_row_add_action (row, pill (_("Overdue"), "overdue"));
      adw_expander_row_set_icon_name (row, "task-past-due-symbolic");
    }
  else if (desk)
    adw_expander_row_set_icon_name (row, "task-due-symbolic");
  if (desk)
    adw_expander_row_add_action (row, pill (grade, at_grade_to_string (at_nonconformity_get_grade (nc))));
  /* Translators: how a screen reader names a nonconformity's row: “Northwind · NC-3 · 7.4.2.2, Minor, overdue, Open” */
  accessible = g_strdup_printf (_("%s, %s%s, %s"), title, grade, self->overdue ? _(", overdue") : "",
                                at_gui_nc_status_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  if (self->overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self), "nc-overdue");

  /* ---- expanded ---- */
  adw_expander_row_add_row (row, fact_row (_("What was found"), at_nonconformity_get_text (nc)));
  adw_expander_row_add_row (row, fact_row (_("Rectification suggestion"), at_nonconformity_get_suggestion (nc)));
  {
    g_autofree char *value = due_value (self);
    adw_expander_row_add_row (row, fact_row (_("Rectify by"), value));
  }
  if (at_nonconformity_get_response (nc) != NULL)
    {
      g_autofree char *when = at_gui_format_time (at_nonconformity_get_responded_at (nc));
      /* Translators: “Corrective action, by 张三, 2026-12-20 10:00” */
      g_autofree char *what = g_strdup_printf (_("Corrective action, by %s, %s"),
                                               person (self, at_nonconformity_get_responded_by (nc)), when);
      adw_expander_row_add_row (row, fact_row (what, at_nonconformity_get_response (nc)));
    }
  if (files != NULL && json_array_get_length (files) > 0)
    {
      adw_expander_row_add_row (row, heading_row (_("Evidence of the Corrective Action")));
      for (guint i = 0; i < json_array_get_length (files); i++)
        adw_expander_row_add_row (row, file_row (self, json_array_get_object_element (files, i)));
    }
  if (history != NULL)
    {
      adw_expander_row_add_row (row, heading_row (_("History")));
      for (guint i = 0; i < json_array_get_length (history); i++)
        adw_expander_row_add_row (row, history_row (self, json_array_get_object_element (history, i)));
    }
  else
    adw_expander_row_add_row (row, fact_row (_("History"), error->message));

  if (desk)
    gtk_box_append (GTK_BOX (actions), step_button (_("Open _Assessment"), G_CALLBACK (on_show_clause), self));
  else
    gtk_box_append (GTK_BOX (actions), step_button (_("Go to _Clause"), G_CALLBACK (on_show_clause), self));
  if (status != AT_NC_CLOSED)
    {
      if (may (self, AT_ROLE_ORGANISATION | AT_ROLE_ASSESSOR))
        gtk_box_append (GTK_BOX (actions), step_button (_("_Record Corrective Action…"), G_CALLBACK (on_respond), self));
      if (may (self, AT_ROLE_ASSESSOR))
        {
          GtkWidget *b = step_button (_("Verify and C_lose…"), G_CALLBACK (on_close_clicked), self);
          gtk_widget_add_css_class (b, "suggested-action");
          gtk_box_append (GTK_BOX (actions), b);
        }
    }
  else if (may (self, AT_ROLE_ASSESSOR))
    gtk_box_append (GTK_BOX (actions), step_button (_("Re_open…"), G_CALLBACK (on_reopen_clicked), self));
  gtk_widget_set_margin_top (actions, 6);
  gtk_widget_set_margin_bottom (actions, 6);
  /* on a narrow window the buttons wrap rather than push the row wider than the window */
  gtk_widget_set_halign (actions, GTK_ALIGN_END);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions_row), actions);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (actions_row), FALSE);
  adw_expander_row_add_row (row, actions_row);
}

GtkWidget *
at_nc_row_new (AtApplication   *app,
               AtNonconformity *nc,
               const char      *org,
               AtNcRowFlags     flags)
{
  AtNcRow *self;
  GDate today;

  g_return_val_if_fail (AT_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (AT_IS_NONCONFORMITY (nc), NULL);

  self = g_object_new (AT_TYPE_NC_ROW, NULL);
  self->app = g_object_ref (app);
  self->nc = g_object_ref (nc);
  self->flags = flags;
  /* today, explicitly: the row is built now, and the date is what “overdue” is measured on */
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  self->overdue = at_nonconformity_is_overdue (nc, &today);
  build (self, org);
  return GTK_WIDGET (self);
}

static void
at_nc_row_dispose (GObject *object)
{
  AtNcRow *self = AT_NC_ROW (object);

  g_clear_object (&self->app);
  g_clear_object (&self->nc);

  G_OBJECT_CLASS (at_nc_row_parent_class)->dispose (object);
}

static void
at_nc_row_class_init (AtNcRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = at_nc_row_dispose;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SHOW_CLAUSE] = g_signal_new ("show-clause", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
at_nc_row_init (AtNcRow *self)
{
}
