/* at-busy-dialog.c — long work in progress: what is happening, how far, and a way to stop
 *
 * Modal on purpose: a report or a bundle reads the whole assessment from a worker thread, and
 * nothing may change it meanwhile. Core reports progress from that thread; the dialog keeps the
 * figure in an atomic and the main loop draws it ten times a second.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-busy-dialog.h"

struct _AtBusyDialog
{
  AdwWindow       parent_instance;

  GCancellable   *cancellable;
  gint            permille;     /* -1 until core reports a fraction: the bar pulses */
  guint           poll;
  gboolean        finished;

  GtkLabel       *description_label;
  GtkProgressBar *bar;
};

G_DEFINE_FINAL_TYPE (AtBusyDialog, at_busy_dialog, ADW_TYPE_WINDOW)

void
at_busy_dialog_progress (guint64  done,
                         guint64  total,
                         gpointer user_data)
{
  AtBusyDialog *self = user_data;

  g_atomic_int_set (&self->permille, total ? (gint) (done * 1000 / total) : 0);
}

static gboolean
poll_progress (gpointer data)
{
  AtBusyDialog *self = data;
  gint permille = g_atomic_int_get (&self->permille);

  if (permille < 0)
    gtk_progress_bar_pulse (self->bar);
  else
    gtk_progress_bar_set_fraction (self->bar, permille / 1000.0);
  return G_SOURCE_CONTINUE;
}

AtBusyDialog *
at_busy_dialog_new (GtkWindow  *parent,
                    const char *title,
                    const char *description)
{
  AtBusyDialog *self = g_object_new (AT_TYPE_BUSY_DIALOG, "transient-for", parent, "title", title, NULL);

  gtk_label_set_text (self->description_label, description);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

GCancellable *
at_busy_dialog_get_cancellable (AtBusyDialog *self)
{
  return self->cancellable;
}

void
at_busy_dialog_finish (AtBusyDialog *self)
{
  self->finished = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_stop (AtBusyDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_label_set_text (self->description_label, _("Stopping…"));
}

/* closing the window is a request to stop; the work's callback closes it for good */
static gboolean
at_busy_dialog_close_request (GtkWindow *window)
{
  AtBusyDialog *self = AT_BUSY_DIALOG (window);

  if (self->finished)
    return FALSE;
  on_stop (self);
  return TRUE;
}

static void
at_busy_dialog_dispose (GObject *object)
{
  AtBusyDialog *self = AT_BUSY_DIALOG (object);

  g_clear_handle_id (&self->poll, g_source_remove);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_BUSY_DIALOG);

  G_OBJECT_CLASS (at_busy_dialog_parent_class)->dispose (object);
}

static void
at_busy_dialog_class_init (AtBusyDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_busy_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = at_busy_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-busy-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtBusyDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, AtBusyDialog, bar);
  gtk_widget_class_bind_template_callback (widget_class, on_stop);
}

static void
at_busy_dialog_init (AtBusyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->permille = -1;
  self->poll = g_timeout_add (100, poll_progress, self);
}
