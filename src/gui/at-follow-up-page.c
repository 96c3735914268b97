/* at-follow-up-page.c — the follow-up desk: every open nonconformity across the assessments
 *
 * Follow-up is the one part of the process that outlives an assessment (QCS 11, step 7): the
 * certificate is issued, and the nonconformities still wait for their corrective actions. The
 * desk lists every one not closed yet, of every assessment in the data directory, the earliest
 * due first, the overdue ones apart; each row is the nonconformity with its whole follow-up.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <time.h>

#include "at-follow-up-page.h"
#include "at-gui-labels.h"
#include "at-nc-row.h"

struct _AtFollowUpPage
{
  GtkWidget            parent_instance;

  AtApplication       *app;
  GPtrArray           *rows;      /* AtNcRow, in whichever group */
  guint                n_overdue;

  GtkStack            *stack;
  AdwPreferencesGroup *summary_group;
  GtkToggleButton     *overdue_button;
  AdwPreferencesGroup *overdue_group;
  AdwPreferencesGroup *open_group;
  GtkWidget           *none_overdue_group;
};

G_DEFINE_FINAL_TYPE (AtFollowUpPage, at_follow_up_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_N_OVERDUE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_OPEN, N_SIGNALS };
static guint signals[N_SIGNALS];

guint
at_follow_up_page_get_n_overdue (AtFollowUpPage *self)
{
  g_return_val_if_fail (AT_IS_FOLLOW_UP_PAGE (self), 0);
  return self->n_overdue;
}

static void
on_filter_toggled (AtFollowUpPage *self)
{
  gboolean only = gtk_toggle_button_get_active (self->overdue_button);
  guint n_open = self->rows->len - self->n_overdue;

  gtk_widget_set_visible (GTK_WIDGET (self->overdue_group), self->n_overdue > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->open_group), !only && n_open > 0);
  gtk_widget_set_visible (self->none_overdue_group, only && self->n_overdue == 0);
  /* with nothing overdue the heading “Open” says nothing the summary does not */
  adw_preferences_group_set_title (self->open_group, self->n_overdue > 0 ? _("Not Yet Due") : "");
}

static void
on_row_changed (AtNcRow        *row,
                const char     *id,
                AtFollowUpPage *self)
{
  at_follow_up_page_reload (self);
}

static void
on_row_show_clause (AtNcRow        *row,
                    const char     *assessment_id,
                    const char     *clause,
                    AtFollowUpPage *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN], 0, assessment_id, clause);
}

static void
set_summary (AtFollowUpPage *self)
{
  guint n = self->rows->len;
  /* Translators: the heading of the follow-up desk */
  g_autofree char *open = g_strdup_printf (g_dngettext (NULL, "%u open nonconformity", "%u open nonconformities", n), n);
  g_autofree char *title = NULL;

  if (self->n_overdue > 0)
    /* Translators: “12 open nonconformities, 3 overdue” */
    title = g_strdup_printf (_("%s, %u overdue"), open, self->n_overdue);
  adw_preferences_group_set_title (self->summary_group, title ? title : open);
}

void
at_follow_up_page_reload (AtFollowUpPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) orgs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  AtStore *store;
  GDate today;
  guint n_overdue = 0;

  g_return_if_fail (AT_IS_FOLLOW_UP_PAGE (self));
  if (self->app == NULL)
    return;
  store = at_application_get_store (self->app);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = self->rows->pdata[i];
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)), row);
    }
  g_ptr_array_set_size (self->rows, 0);

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  list = at_nonconformity_list_open (store, FALSE, &today, &error);
  if (list == NULL)
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      list = g_ptr_array_new_with_free_func (g_object_unref);
    }
  for (guint i = 0; i < list->len; i++)
    {
      AtNonconformity *nc = list->pdata[i];
      const char *aid = at_nonconformity_get_assessment_id (nc);
      const char *org = g_hash_table_lookup (orgs, aid);
      GtkWidget *row;

      if (org == NULL)
        {
          g_autoptr(AtAssessment) a = at_assessment_lookup (store, aid, NULL);
          org = a ? at_assessment_get_org (a) : aid;
          g_hash_table_insert (orgs, g_strdup (aid), g_strdup (org));
          org = g_hash_table_lookup (orgs, aid);
        }
      row = at_nc_row_new (self->app, nc, org, AT_NC_ROW_DESK);
      g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed), self, 0);
      g_signal_connect_object (row, "show-clause", G_CALLBACK (on_row_show_clause), self, 0);
      if (at_nc_row_get_overdue (AT_NC_ROW (row)))
        {
          adw_preferences_group_add (self->overdue_group, row);
          n_overdue++;
        }
      else
        adw_preferences_group_add (self->open_group, row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_stack_set_visible_child_name (self->stack, list->len == 0 ? "empty" : "list");
  if (self->n_overdue != n_overdue)
    {
      self->n_overdue = n_overdue;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OVERDUE]);
    }
  set_summary (self);
  on_filter_toggled (self);
}

/* Only the count, for the tab's badge: the rows, with their history, are built when the desk is
 * shown. */
void
at_follow_up_page_update_count (AtFollowUpPage *self)
{
  g_autoptr(GPtrArray) overdue = NULL;
  GDate today;

  g_return_if_fail (AT_IS_FOLLOW_UP_PAGE (self));
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  if (self->app == NULL || !(overdue = at_nonconformity_list_open (at_application_get_store (self->app), TRUE, &today, NULL)))
    return;
  if (self->n_overdue != overdue->len)
    {
      self->n_overdue = overdue->len;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OVERDUE]);
    }
}

static void
on_identity_changed (AtFollowUpPage *self)
{
  /* the steps each row offers depend on who is working; a hidden desk is rebuilt when shown */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    at_follow_up_page_reload (self);
}

void
at_follow_up_page_set_application (AtFollowUpPage *self,
                                   AtApplication  *app)
{
  g_return_if_fail (AT_IS_FOLLOW_UP_PAGE (self));

  if (self->app == app)
    return;
  g_set_object (&self->app, app);
  g_signal_connect_object (app, "notify::identity", G_CALLBACK (on_identity_changed), self, G_CONNECT_SWAPPED);
  at_follow_up_page_update_count (self);
}

static void
at_follow_up_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtFollowUpPage *self = AT_FOLLOW_UP_PAGE (object);

  switch (prop_id)
    {
    case PROP_N_OVERDUE:
      g_value_set_uint (value, self->n_overdue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
at_follow_up_page_dispose (GObject *object)
{
  AtFollowUpPage *self = AT_FOLLOW_UP_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_FOLLOW_UP_PAGE);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (at_follow_up_page_parent_class)->dispose (object);
}

static void
at_follow_up_page_class_init (AtFollowUpPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = at_follow_up_page_dispose;
  object_class->get_property = at_follow_up_page_get_property;

  properties[PROP_N_OVERDUE] =
    g_param_spec_uint ("n-overdue", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-follow-up-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtFollowUpPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtFollowUpPage, summary_group);
  gtk_widget_class_bind_template_child (widget_class, AtFollowUpPage, overdue_button);
  gtk_widget_class_bind_template_child (widget_class, AtFollowUpPage, overdue_group);
  gtk_widget_class_bind_template_child (widget_class, AtFollowUpPage, open_group);
  gtk_widget_class_bind_template_child (widget_class, AtFollowUpPage, none_overdue_group);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
at_follow_up_page_init (AtFollowUpPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
