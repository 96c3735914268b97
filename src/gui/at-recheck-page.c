/* at-recheck-page.c — the reviewer's queue: the assessments submitted for recheck
 *
 * QCS 11.4: an independent expert rechecks what the assessors recorded. The queue lists every
 * assessment of the data directory that waits for its recheck — made here or imported from a
 * bundle — with how far the recheck of the current round has got, and says before anything is
 * opened whether the person working may recheck it, and if not, why (core's independence rule).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-recheck-page.h"

struct _AtRecheckPage
{
  GtkWidget            parent_instance;

  AtApplication       *app;
  GPtrArray           *rows;
  guint                n_submitted;

  GtkStack            *stack;
  AdwPreferencesGroup *group;
};

G_DEFINE_FINAL_TYPE (AtRecheckPage, at_recheck_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_N_SUBMITTED, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_OPEN, N_SIGNALS };
static guint signals[N_SIGNALS];

guint
at_recheck_page_get_n_submitted (AtRecheckPage *self)
{
  g_return_val_if_fail (AT_IS_RECHECK_PAGE (self), 0);
  return self->n_submitted;
}

static void
on_open_clicked (AtRecheckPage *self,
                 GtkButton     *button)
{
  g_signal_emit (self, signals[SIGNAL_OPEN], 0, g_object_get_data (G_OBJECT (button), "assessment-id"));
}

/* Whether the current identity may recheck the assessment, as a sentence; *ok says which. */
static char *
independence (AtRecheckPage *self,
              AtAssessment  *a,
              gboolean      *ok)
{
  AtIdentity *me = at_application_get_identity (self->app);
  g_autofree char *reason = NULL;

  *ok = FALSE;
  if (me == NULL)
    return g_strdup (_("Create a profile to recheck."));
  if (!at_identity_has_role (me, AT_ROLE_REVIEWER))
    return g_strdup (_("Only a reviewer may recheck it."));
  reason = at_review_dependence (at_application_get_store (self->app), at_assessment_get_id (a), at_identity_get_id (me));
  if (reason != NULL)
    /* Translators: %s %s is a person and core's reason: “Not yours to recheck: Wang Ping is the lead assessor.” */
    return g_strdup_printf (_("Not yours to recheck: %s %s."), at_identity_get_name (me), reason);
  *ok = TRUE;
  return g_strdup (_("You took no part in it: you may recheck it."));
}

static GtkWidget *
progress_bar (guint done,
              guint total)
{
  GtkWidget *bar = gtk_progress_bar_new ();

  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 100, -1);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), total ? (double) done / total : 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Recheck progress"), -1);
  return bar;
}

static GtkWidget *
queue_row (AtRecheckPage *self,
           AtAssessment  *a)
{
  AtCatalog *catalog = at_assessment_get_catalog (a);
  AtReviewProgress p = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = at_review_status (at_application_get_store (self->app), at_assessment_get_id (a), &p, &error);
  gboolean ok = FALSE;
  g_autofree char *may = independence (self, a, &ok);
  g_autofree char *progress = NULL;
  g_autofree char *first = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *open_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (ok ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  GtkWidget *open;

  if (items == NULL)
    progress = g_strdup (error->message);
  else
    /* Translators: the recheck's progress in the reviewer's queue: “Round 1 · 84 / 130 reviewed, 3 queries” */
    progress = g_strdup_printf (g_dngettext (NULL, "Round %u · %u / %u reviewed, %u query", "Round %u · %u / %u reviewed, %u queries",
                                             p.queried),
                                p.round, p.reviewed, p.assessable, p.queried);
  /* Translators: “优质通信服务规范 1.1 · Third-party assessment · lead Wang Ping” */
  first = g_strdup_printf (_("%s %s · %s · lead %s"), at_gui_text (at_catalog_get_title (catalog)), at_catalog_get_version (catalog),
                           at_gui_kind_label (at_assessment_get_kind (a)),
                           at_application_get_person_name (self->app, at_assessment_get_lead (a)));
  subtitle = g_strjoin ("\n", first, progress, may, NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), at_assessment_get_org (a));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, ok ? "success" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, may, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), progress_bar (p.reviewed, p.assessable));

  open = gtk_button_new_from_icon_name ("go-next-symbolic");
  /* Translators: the accessible name of the button that opens an assessment for its recheck */
  open_label = g_strdup_printf (_("Recheck %s"), at_assessment_get_org (a));
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  at_gui_set_tooltip (open, open_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  g_object_set_data_full (G_OBJECT (open), "assessment-id", g_strdup (at_assessment_get_id (a)), g_free);
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (on_open_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), open);
  return row;
}

static void
describe_identity (AtRecheckPage *self)
{
  AtIdentity *me = at_application_get_identity (self->app);
  g_autofree char *text = NULL;

  if (me == NULL)
    text = g_strdup ("");
  else if (at_identity_has_role (me, AT_ROLE_REVIEWER))
    /* Translators: the description of the reviewer's queue, %s is the person working */
    text = g_strdup_printf (_("You are working as %s. Open an assessment to recheck it clause by clause: agree, or query with a comment."),
                            at_identity_get_name (me));
  else
    text = g_strdup_printf (_("You are working as %s, who is not a reviewer: switch to a reviewer's profile with the button at the top to recheck."),
                            at_identity_get_name (me));
  adw_preferences_group_set_description (self->group, text);
}

void
at_recheck_page_reload (AtRecheckPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  guint n = 0;

  g_return_if_fail (AT_IS_RECHECK_PAGE (self));
  if (self->app == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);

  list = at_assessment_list (at_application_get_store (self->app), &error);
  if (list == NULL)
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      list = g_ptr_array_new_with_free_func (g_object_unref);
    }
  for (guint i = 0; i < list->len; i++)
    {
      GtkWidget *row;

      if (g_strcmp0 (at_assessment_get_state (list->pdata[i]), "submitted") != 0)
        continue;
      row = queue_row (self, list->pdata[i]);
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
      n++;
    }
  describe_identity (self);
  gtk_stack_set_visible_child_name (self->stack, n == 0 ? "empty" : "list");
  if (self->n_submitted != n)
    {
      self->n_submitted = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SUBMITTED]);
    }
}

/* Only the count, for the tab's badge: the progress of each recheck is computed when the queue
 * is shown. */
void
at_recheck_page_update_count (AtRecheckPage *self)
{
  g_autoptr(GPtrArray) list = NULL;
  guint n = 0;

  g_return_if_fail (AT_IS_RECHECK_PAGE (self));
  if (self->app == NULL || !(list = at_assessment_list (at_application_get_store (self->app), NULL)))
    return;
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (at_assessment_get_state (list->pdata[i]), "submitted") == 0)
      n++;
  if (self->n_submitted != n)
    {
      self->n_submitted = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SUBMITTED]);
    }
}

static void
on_identity_changed (AtRecheckPage *self)
{
  /* who may recheck what depends on who is working; a hidden queue is rebuilt when shown */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    at_recheck_page_reload (self);
}

void
at_recheck_page_set_application (AtRecheckPage *self,
                                 AtApplication *app)
{
  g_return_if_fail (AT_IS_RECHECK_PAGE (self));

  if (self->app == app)
    return;
  g_set_object (&self->app, app);
  g_signal_connect_object (app, "notify::identity", G_CALLBACK (on_identity_changed), self, G_CONNECT_SWAPPED);
  at_recheck_page_update_count (self);
}

static void
at_recheck_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AtRecheckPage *self = AT_RECHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_N_SUBMITTED:
      g_value_set_uint (value, self->n_submitted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
at_recheck_page_dispose (GObject *object)
{
  AtRecheckPage *self = AT_RECHECK_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_RECHECK_PAGE);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (at_recheck_page_parent_class)->dispose (object);
}

static void
at_recheck_page_class_init (AtRecheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = at_recheck_page_dispose;
  object_class->get_property = at_recheck_page_get_property;

  properties[PROP_N_SUBMITTED] =
    g_param_spec_uint ("n-submitted", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-recheck-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPage, group);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
at_recheck_page_init (AtRecheckPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
