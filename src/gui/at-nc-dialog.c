/* at-nc-dialog.c — raise a nonconformity on a clause, with its rectification suggestion
 *
 * QCS 11.3 asks the assessor to state what does not conform and to suggest a rectification; the
 * organisation answers it later. The dialog starts from what the measurements already say.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-nc-dialog.h"

struct _AtNcDialog
{
  AdwWindow     parent_instance;

  AtStore      *store;
  char         *assessment_id;
  AtClause     *clause;
  char         *actor;

  GtkButton    *raise_button;
  AdwActionRow *clause_row;
  AdwComboRow  *grade_row;
  GtkTextView  *text_view;
  GtkTextView  *suggestion_view;
  AdwEntryRow  *due_row;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (AtNcDialog, at_nc_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_RAISED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
update (AtNcDialog *self)
{
  g_autofree char *text = view_text (self->text_view);
  g_autofree char *suggestion = view_text (self->suggestion_view);

  gtk_widget_set_sensitive (GTK_WIDGET (self->raise_button), *text && *suggestion);
}

static void
on_raise (AtNcDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = view_text (self->text_view);
  g_autofree char *suggestion = view_text (self->suggestion_view);
  g_autofree char *due = at_gui_entry_text (self->due_row);
  g_autofree char *id = NULL;
  static const AtGrade grades[] = { AT_GRADE_MAJOR, AT_GRADE_MINOR, AT_GRADE_OBSERVATION };
  AtNonconformitySpec spec = {
    .grade = grades[MIN (adw_combo_row_get_selected (self->grade_row), G_N_ELEMENTS (grades) - 1)],
    .text = text,
    .suggestion = suggestion,
    .due = *due ? due : NULL,
  };

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->raise_button)))
    return;
  id = at_nonconformity_add (self->store, self->assessment_id, at_clause_get_number (self->clause),
                             self->actor, &spec, &error);
  if (id == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_RAISED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

GtkWidget *
at_nc_dialog_new (GtkWindow  *parent,
                  AtStore    *store,
                  const char *assessment_id,
                  AtClause   *clause,
                  const char *actor,
                  const char *prefill)
{
  AtNcDialog *self = g_object_new (AT_TYPE_NC_DIALOG, "transient-for", parent, NULL);
  g_autofree char *title = at_clause_dup_label (clause, at_gui_lang ());
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  /* a sensible default: rectification within three months */
  g_autoptr(GDateTime) due = g_date_time_add_months (now, 3);
  g_autofree char *due_text = g_date_time_format (due, "%Y-%m-%d");

  self->store = g_object_ref (store);
  self->assessment_id = g_strdup (assessment_id);
  self->clause = g_object_ref (clause);
  self->actor = g_strdup (actor);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->clause_row), title);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), prefill ? prefill : "", -1);
  gtk_editable_set_text (GTK_EDITABLE (self->due_row), due_text);
  adw_combo_row_set_selected (self->grade_row, 1);
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  return GTK_WIDGET (self);
}

static void
at_nc_dialog_dispose (GObject *object)
{
  AtNcDialog *self = AT_NC_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->clause);
  g_clear_pointer (&self->assessment_id, g_free);
  g_clear_pointer (&self->actor, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_NC_DIALOG);

  G_OBJECT_CLASS (at_nc_dialog_parent_class)->dispose (object);
}

static void
raise_action (GtkWidget *widget, const char *name, GVariant *param)
{
  on_raise (AT_NC_DIALOG (widget));
}

static void
at_nc_dialog_class_init (AtNcDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_nc_dialog_dispose;

  signals[SIGNAL_RAISED] = g_signal_new ("raised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-nc-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtNcDialog, raise_button);
  gtk_widget_class_bind_template_child (widget_class, AtNcDialog, clause_row);
  gtk_widget_class_bind_template_child (widget_class, AtNcDialog, grade_row);
  gtk_widget_class_bind_template_child (widget_class, AtNcDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, AtNcDialog, suggestion_view);
  gtk_widget_class_bind_template_child (widget_class, AtNcDialog, due_row);
  gtk_widget_class_bind_template_child (widget_class, AtNcDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_raise);
  gtk_widget_class_install_action (widget_class, "nc.raise", NULL, raise_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "nc.raise", NULL);
}

static void
at_nc_dialog_init (AtNcDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->text_view), "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->suggestion_view), "changed", G_CALLBACK (update), self);
}
