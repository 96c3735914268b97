/* at-nc-response-dialog.c — the corrective action for a nonconformity, with its evidence
 *
 * The organisation (or an assessor for it) says what it changed and attaches the files that
 * show it. The files go in first, one by one in a worker thread each, then the response: a file
 * that cannot be attached stops before anything claims the action is complete, and the dialog
 * stays open with the files still to attach. The progress is shown in the dialog itself rather
 * than in a busy dialog over it: the dialog closes as soon as the work is done, and a second
 * window appearing and going away in between gains nothing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-nc-response-dialog.h"

struct _AtNcResponseDialog
{
  AdwWindow            parent_instance;

  AtApplication       *app;
  AtNonconformity     *nc;
  GPtrArray           *files;      /* GFile, in the order attached */
  GPtrArray           *file_rows;
  GCancellable        *busy;         /* while attaching */
  guint                n_to_attach;
  guint                n_attached;     /* in this attempt */
  gboolean             attached_any;   /* in any attempt: the lists behind must show them */

  GtkButton           *record_button;
  AdwPreferencesGroup *nc_group;
  AdwActionRow        *found_row;
  AdwActionRow        *suggestion_row;
  GtkTextView         *text_view;
  AdwPreferencesGroup *files_group;
  GtkWidget           *no_files_row;
  GtkWidget           *text_group;
  GtkWidget           *progress_group;
  GtkLabel            *progress_label;
  GtkProgressBar      *progress_bar;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (AtNcResponseDialog, at_nc_response_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_RECORDED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
response_text (AtNcResponseDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (text);
}

static void
update (AtNcResponseDialog *self)
{
  g_autofree char *text = response_text (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->record_button), *text != '\0' && self->busy == NULL);
  gtk_widget_set_visible (self->no_files_row, self->files->len == 0);
  gtk_widget_set_visible (self->progress_group, self->busy != NULL);
  gtk_widget_set_sensitive (self->text_group, self->busy == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->files_group), self->busy == NULL);
}

static void
show_error (AtNcResponseDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* ---- the files ------------------------------------------------------------------------------- */

static void remove_file (AtNcResponseDialog *self, GFile *file);

static void
on_remove_clicked (GtkButton          *button,
                   AtNcResponseDialog *self)
{
  remove_file (self, g_object_get_data (G_OBJECT (button), "file"));
}

static void
add_file (AtNcResponseDialog *self,
          GFile              *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *remove_label = NULL;
  GtkWidget *row;
  GtkWidget *remove;

  if (path == NULL)
    {
      show_error (self, _("Only files on this computer can be attached."));
      return;
    }
  for (guint i = 0; i < self->files->len; i++)
    if (g_file_equal (self->files->pdata[i], file))
      return;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("mail-attachment-symbolic"));
  remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
  /* Translators: the accessible name of the button that takes a file off the list, %s is its name */
  remove_label = g_strdup_printf (_("Remove %s"), name);
  at_gui_set_tooltip (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data_full (G_OBJECT (remove), "file", g_object_ref (file), g_object_unref);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_preferences_group_add (self->files_group, row);

  g_ptr_array_add (self->files, g_object_ref (file));
  g_ptr_array_add (self->file_rows, row);
  show_error (self, NULL);
  update (self);
}

static void
remove_file (AtNcResponseDialog *self,
             GFile              *file)
{
  for (guint i = 0; i < self->files->len; i++)
    if (self->files->pdata[i] == file)
      {
        adw_preferences_group_remove (self->files_group, self->file_rows->pdata[i]);
        g_ptr_array_remove_index (self->file_rows, i);
        g_ptr_array_remove_index (self->files, i);
        break;
      }
  update (self);
}

static void
on_files_chosen (GListModel *files,
                 gpointer    user_data)
{
  AtNcResponseDialog *self = user_data;

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      add_file (self, file);
    }
}

static void
attach_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  at_gui_choose_file (GTK_WINDOW (widget), _("Attach Evidence"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), TRUE,
                      NULL, NULL, NULL, on_files_chosen, g_object_ref (widget), g_object_unref);
}

static gboolean
on_drop (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         AtNcResponseDialog *self)
{
  GSList *list;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->busy != NULL)
    return FALSE;
  list = g_value_get_boxed (value);
  for (GSList *l = list; l; l = l->next)
    add_file (self, l->data);
  return TRUE;
}

/* ---- recording ------------------------------------------------------------------------------- */

static const char *
actor (AtNcResponseDialog *self)
{
  AtIdentity *me = at_application_get_identity (self->app);

  return me ? at_identity_get_id (me) : "";
}

static void attach_next (AtNcResponseDialog *self);

static void
finish_busy (AtNcResponseDialog *self)
{
  g_clear_object (&self->busy);
  update (self);
}

static void
show_progress (AtNcResponseDialog *self)
{
  guint done = self->n_to_attach - self->files->len;
  g_autofree char *name = self->files->len ? g_file_get_basename (self->files->pdata[0]) : NULL;
  g_autofree char *text = NULL;

  if (name != NULL)
    /* Translators: while files are attached: “Attaching roster.pdf (2 of 3)…” */
    text = g_strdup_printf (_("Attaching %s (%u of %u)…"), name, done + 1, self->n_to_attach);
  gtk_label_set_text (self->progress_label, text ? text : "");
  gtk_progress_bar_set_fraction (self->progress_bar, self->n_to_attach ? (double) done / self->n_to_attach : 1.0);
}

static void
on_stop (AtNcResponseDialog *self)
{
  if (self->busy != NULL)
    g_cancellable_cancel (self->busy);
}

static void
respond (AtNcResponseDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = response_text (self);
  const char *id = at_nonconformity_get_id (self->nc);

  finish_busy (self);
  if (!at_nonconformity_respond (at_application_get_store (self->app), id, actor (self), text, &error))
    {
      g_autofree char *message = NULL;

      if (self->n_attached > 0)
        /* Translators: %s is core's sentence; the files stay attached to the corrective action */
        message = g_strdup_printf (g_dngettext (NULL, "The file was attached, but the response was not recorded: %s",
                                                "The files were attached, but the response was not recorded: %s",
                                                self->n_attached), error->message);
      show_error (self, message ? message : error->message);
      self->n_attached = 0;
      return;
    }
  self->attached_any = FALSE;
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0, id, TRUE);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
attached (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AtNcResponseDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = at_nonconformity_add_evidence_finish (AT_STORE (source), result, &error);
  GFile *file = self->files->len ? self->files->pdata[0] : NULL;

  if (sha == NULL)
    {
      g_autofree char *name = file ? g_file_get_basename (file) : g_strdup ("");
      g_autofree char *message = NULL;

      finish_busy (self);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("Stopped. The files still listed were not attached; nothing was recorded as the response."));
      else
        /* Translators: “report.pdf could not be attached: <core's sentence>. Nothing …” */
        message = g_strdup_printf (_("%s could not be attached: %s. The response was not recorded; the files still listed wait to be attached."),
                                   name, error->message);
      show_error (self, message);
      return;
    }
  self->n_attached++;
  self->attached_any = TRUE;
  if (file != NULL)
    remove_file (self, file);
  attach_next (self);
}

static void
attach_next (AtNcResponseDialog *self)
{
  g_autofree char *path = NULL;

  if (self->files->len == 0)
    {
      respond (self);
      return;
    }
  show_progress (self);
  path = g_file_get_path (self->files->pdata[0]);
  at_nonconformity_add_evidence_async (at_application_get_store (self->app), at_nonconformity_get_id (self->nc), path,
                                       actor (self), NULL, NULL, self->busy, attached, g_object_ref (self));
}

static void
on_record (AtNcResponseDialog *self)
{
  g_autofree char *text = response_text (self);

  if (*text == '\0' || self->busy != NULL)
    return;
  if (at_application_get_identity (self->app) == NULL)
    {
      show_error (self, _("Create a profile first: every change is recorded with who made it."));
      return;
    }
  show_error (self, NULL);
  self->n_attached = 0;
  if (self->files->len == 0)
    {
      respond (self);
      return;
    }
  self->n_to_attach = self->files->len;
  self->busy = g_cancellable_new ();
  update (self);
  attach_next (self);
}

static void
record_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  on_record (AT_NC_RESPONSE_DIALOG (widget));
}

GtkWidget *
at_nc_response_dialog_new (GtkWindow       *parent,
                           AtApplication   *app,
                           AtNonconformity *nc)
{
  AtNcResponseDialog *self = g_object_new (AT_TYPE_NC_RESPONSE_DIALOG, "transient-for", parent, NULL);
  /* Translators: the heading above a nonconformity in the corrective action dialog: “NC-3 · 7.4.2.2 · Minor” */
  g_autofree char *title = g_strdup_printf (_("%s · %s · %s"), at_nonconformity_get_label (nc),
                                            at_nonconformity_get_clause (nc), at_gui_grade_label (at_nonconformity_get_grade (nc)));

  self->app = g_object_ref (app);
  self->nc = g_object_ref (nc);
  adw_preferences_group_set_title (self->nc_group, title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->found_row), at_nonconformity_get_text (nc));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->suggestion_row), at_nonconformity_get_suggestion (nc));
  /* a response recorded earlier (then reopened) is the starting point of the next one */
  if (at_nonconformity_get_response (nc) != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), at_nonconformity_get_response (nc), -1);
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  return GTK_WIDGET (self);
}

static gboolean
at_nc_response_dialog_close_request (GtkWindow *window)
{
  AtNcResponseDialog *self = AT_NC_RESPONSE_DIALOG (window);

  /* the files are being attached: closing stops that first; the dialog stays to say so */
  if (self->busy != NULL)
    {
      g_cancellable_cancel (self->busy);
      return TRUE;
    }
  /* files went in, but no response: they are recorded all the same, and the lists say so */
  if (self->attached_any)
    {
      self->attached_any = FALSE;
      g_signal_emit (self, signals[SIGNAL_RECORDED], 0, at_nonconformity_get_id (self->nc), FALSE);
    }
  return GTK_WINDOW_CLASS (at_nc_response_dialog_parent_class)->close_request (window);
}

static void
at_nc_response_dialog_dispose (GObject *object)
{
  AtNcResponseDialog *self = AT_NC_RESPONSE_DIALOG (object);

  g_clear_object (&self->app);
  g_clear_object (&self->nc);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->file_rows, g_ptr_array_unref);
  g_clear_object (&self->busy);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_NC_RESPONSE_DIALOG);

  G_OBJECT_CLASS (at_nc_response_dialog_parent_class)->dispose (object);
}

static void
at_nc_response_dialog_class_init (AtNcResponseDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_nc_response_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = at_nc_response_dialog_close_request;

  signals[SIGNAL_RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-nc-response-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, record_button);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, nc_group);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, found_row);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, suggestion_row);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, files_group);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, no_files_row);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, text_group);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, progress_group);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AtNcResponseDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_record);
  gtk_widget_class_bind_template_callback (widget_class, on_stop);

  gtk_widget_class_install_action (widget_class, "response.attach", NULL, attach_action);
  gtk_widget_class_install_action (widget_class, "response.record", NULL, record_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "response.attach", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "response.record", NULL);
}

static void
at_nc_response_dialog_init (AtNcResponseDialog *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->file_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->text_view), "changed", G_CALLBACK (update), self);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
