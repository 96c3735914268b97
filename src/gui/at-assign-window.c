/* at-assign-window.c — the lead splits the clauses among the assessment team
 *
 * One row per chapter and per section under it, each with the team member who takes its
 * clauses: choosing someone assigns every clause under the row to them (core refuses anyone
 * but the lead, and anyone not on the team, with a sentence). A row whose clauses are split
 * between people says so.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-assign-window.h"
#include "at-gui-labels.h"

struct _AtAssignWindow
{
  AdwWindow            parent_instance;

  AtApplication       *app;
  AtWorksheet         *worksheet;
  GPtrArray           *people;     /* identity ids: NULL (nobody), the lead, the team */
  gboolean             filling;

  AdwToastOverlay     *toasts;
  AdwPreferencesGroup *group;
};

G_DEFINE_FINAL_TYPE (AtAssignWindow, at_assign_window, ADW_TYPE_WINDOW)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
person (AtAssignWindow *self,
        const char     *id)
{
  GPtrArray *all = at_application_get_identities (self->app);

  for (guint i = 0; all && i < all->len; i++)
    if (g_strcmp0 (at_identity_get_id (all->pdata[i]), id) == 0)
      return at_identity_get_name (all->pdata[i]);
  return id;
}

/* Who takes every assessable clause under item: an index into people, or -1 when they are
 * split between people. */
static int
common_assignee (AtAssignWindow  *self,
                 AtWorksheetItem *item)
{
  GListModel *children = at_worksheet_item_get_children (item);
  int found = -2;

  if (at_clause_get_assessable (at_worksheet_item_get_clause (item)))
    {
      const char *who = at_worksheet_item_get_assignee (item);

      if (who == NULL)
        return 0;
      /* people[0] is nobody (NULL) */
      for (guint i = 1; i < self->people->len; i++)
        if (g_strcmp0 (self->people->pdata[i], who) == 0)
          return (int) i;
      return -1;
    }
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(AtWorksheetItem) child = g_list_model_get_item (children, i);
      int r = common_assignee (self, child);

      if (r == -2)
        continue;
      if (found == -2)
        found = r;
      else if (found != r)
        return -1;
    }
  return found;
}

static void
on_selected (AdwComboRow    *row,
             GParamSpec     *pspec,
             AtAssignWindow *self)
{
  AtWorksheetItem *item = g_object_get_data (G_OBJECT (row), "item");
  guint pos = adw_combo_row_get_selected (row);
  const char *chapter[] = { at_clause_get_number (at_worksheet_item_get_clause (item)), NULL };
  AtAssessment *a = at_worksheet_get_assessment (self->worksheet);
  AtIdentity *me = at_application_get_identity (self->app);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (self->filling || pos == GTK_INVALID_LIST_POSITION || pos >= self->people->len)
    return;
  if (!at_assignment_set (at_worksheet_get_store (self->worksheet), at_assessment_get_id (a),
                          me ? at_identity_get_id (me) : "", self->people->pdata[pos], NULL, chapter, &n, &error))
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
fill (AtAssignWindow *self)
{
  GtkWidget *child;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GPtrArray *items = at_worksheet_get_items (self->worksheet);
  AtAssessment *a = at_worksheet_get_assessment (self->worksheet);
  const char * const *team = at_assessment_get_team (a);

  self->filling = TRUE;
  g_ptr_array_set_size (self->people, 0);
  g_ptr_array_add (self->people, NULL);
  gtk_string_list_append (names, _("Nobody"));
  g_ptr_array_add (self->people, g_strdup (at_assessment_get_lead (a)));
  {
    /* Translators: the lead assessor among the people a chapter can be assigned to */
    g_autofree char *lead = g_strdup_printf (_("%s (lead)"), person (self, at_assessment_get_lead (a)));
    gtk_string_list_append (names, lead);
  }
  for (guint i = 0; team && team[i]; i++)
    {
      g_ptr_array_add (self->people, g_strdup (team[i]));
      gtk_string_list_append (names, person (self, team[i]));
    }
  gtk_string_list_append (names, _("Several people"));

  /* the rows the last fill made */
  while ((child = g_object_get_data (G_OBJECT (self), "first-row")) != NULL)
    {
      GtkWidget *next = g_object_get_data (G_OBJECT (child), "next-row");
      adw_preferences_group_remove (self->group, child);
      g_object_set_data (G_OBJECT (self), "first-row", next);
    }

  {
    GtkWidget *last = NULL;

    for (guint i = 0; i < items->len; i++)
      {
        AtWorksheetItem *item = items->pdata[i];
        AtClause *clause = at_worksheet_item_get_clause (item);
        GtkWidget *row;
        int who;
        g_autofree char *title = NULL;
        g_autofree char *count = NULL;

        /* chapters and the sections under them: the way a team splits a standard (single
         * clauses are assigned from the command line) */
        if (at_clause_get_depth (clause) > 1 || at_clause_get_assessable (clause) ||
            at_worksheet_item_get_n_assessable (item) == 0)
          continue;
        title = at_clause_dup_label (clause, at_gui_lang ());
        count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u clause", "%u clauses", at_worksheet_item_get_n_assessable (item)),
                                 at_worksheet_item_get_n_assessable (item));
        row = adw_combo_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), count);
        if (at_clause_get_depth (clause) == 1)
          gtk_widget_set_margin_start (row, 18);
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
        who = common_assignee (self, item);
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), who < 0 ? self->people->len : (guint) who);
        g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (item), g_object_unref);
        g_signal_connect (row, "notify::selected", G_CALLBACK (on_selected), self);
        adw_preferences_group_add (self->group, row);
        if (last == NULL)
          g_object_set_data (G_OBJECT (self), "first-row", row);
        else
          g_object_set_data (G_OBJECT (last), "next-row", row);
        last = row;
      }
  }
  self->filling = FALSE;
}

static void
on_worksheet_changed (AtAssignWindow *self)
{
  fill (self);
}

GtkWidget *
at_assign_window_new (GtkWindow     *parent,
                      AtApplication *app,
                      AtWorksheet   *worksheet)
{
  AtAssignWindow *self = g_object_new (AT_TYPE_ASSIGN_WINDOW, "transient-for", parent, NULL);
  g_autofree char *title = g_strdup_printf (_("Team Assignments — %s"), at_assessment_get_org (at_worksheet_get_assessment (worksheet)));

  self->app = g_object_ref (app);
  self->worksheet = g_object_ref (worksheet);
  gtk_window_set_title (GTK_WINDOW (self), title);
  g_signal_connect_object (worksheet, "notify::assessment", G_CALLBACK (on_worksheet_changed), self, G_CONNECT_SWAPPED);
  fill (self);
  return GTK_WIDGET (self);
}

static void
at_assign_window_dispose (GObject *object)
{
  AtAssignWindow *self = AT_ASSIGN_WINDOW (object);

  g_clear_object (&self->worksheet);
  g_clear_object (&self->app);
  g_clear_pointer (&self->people, g_ptr_array_unref);
  G_OBJECT_CLASS (at_assign_window_parent_class)->dispose (object);
}

static void
at_assign_window_class_init (AtAssignWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_assign_window_dispose;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-assign-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtAssignWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, AtAssignWindow, group);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
at_assign_window_init (AtAssignWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->people = g_ptr_array_new_with_free_func (g_free);
}
