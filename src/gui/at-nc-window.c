/* at-nc-window.c — every nonconformity of an assessment, with its follow-up
 *
 * Follow-up goes on after the certificate: the organisation answers with its corrective action
 * and the files that show it, an assessor verifies it and closes the nonconformity (or reopens
 * it). Each step is recorded as the current identity; core refuses (and the window says why)
 * when that person may not. The rows are the follow-up desk's (at-nc-row.c).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-nc-row.h"
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

static void
on_row_changed (AtNcRow    *row,
                const char *id,
                AtNcWindow *self)
{
  g_autofree char *focus = g_strdup (id);

  at_nc_window_reload (self, focus);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_row_show_clause (AtNcRow    *row,
                    const char *assessment_id,
                    const char *clause,
                    AtNcWindow *self)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_CLAUSE], 0, clause);
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
      at_gui_toast (GTK_WIDGET (self->group), error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      GtkWidget *row = at_nc_row_new (self->app, list->pdata[i], NULL, AT_NC_ROW_IN_ASSESSMENT);

      /* the one asked for, or else the first: the window opens on something to read */
      if (g_strcmp0 (focus, at_nonconformity_get_id (list->pdata[i])) == 0 || (focus == NULL && i == 0))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed), self, 0);
      g_signal_connect_object (row, "show-clause", G_CALLBACK (on_row_show_clause), self, 0);
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_widget_set_visible (self->empty, list->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->group), list->len > 0);
}

static void
on_identity_changed (AtNcWindow *self)
{
  /* the steps offered depend on who is working */
  at_nc_window_reload (self, NULL);
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
  g_signal_connect_object (app, "notify::identity", G_CALLBACK (on_identity_changed), self, G_CONNECT_SWAPPED);
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
