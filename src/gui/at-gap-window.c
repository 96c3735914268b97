/* at-gap-window.c — the gap view of an assessment: what fails or is missing, chapter by chapter
 *
 * What an organisation assessing itself needs before it applies for certification (QCS 11.2),
 * and what any assessor wants before submitting: the whole at a glance (how many clauses are
 * gaps, and of which kind), then each chapter with its counts and its gap clauses — each with
 * its verdict and open nonconformities, one activation away from the clause itself.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gap-window.h"
#include "at-gui-labels.h"
#include "at-tally-bar.h"

struct _AtGapWindow
{
  AdwWindow            parent_instance;

  AtApplication       *app;
  char                *assessment_id;
  GPtrArray           *chapter_rows;

  AdwWindowTitle      *window_title;
  GtkLabel            *total_label;
  GtkLabel            *detail_label;
  AtTallyBar          *total_bar;
  GtkFlowBox          *legend_box;
  AdwPreferencesGroup *chapters_group;
};

G_DEFINE_FINAL_TYPE (AtGapWindow, at_gap_window, ADW_TYPE_WINDOW)

enum { SIGNAL_SHOW_CLAUSE, N_SIGNALS };
static guint signals[N_SIGNALS];

const char *
at_gap_window_get_assessment_id (AtGapWindow *self)
{
  g_return_val_if_fail (AT_IS_GAP_WINDOW (self), NULL);
  return self->assessment_id;
}

static guint
count (JsonObject *o,
       const char *name)
{
  return (guint) json_object_get_int_member_with_default (o, name, 0);
}

/* The counts of a chapter or of the whole, by AtVerdict. */
static void
counts_of (JsonObject *o,
           guint      *counts)
{
  counts[AT_VERDICT_OPEN] = count (o, "open");
  counts[AT_VERDICT_CONFORM] = count (o, "conform");
  counts[AT_VERDICT_PARTIAL] = count (o, "partial");
  counts[AT_VERDICT_NONCONFORM] = count (o, "nonconform");
  counts[AT_VERDICT_NA] = count (o, "na");
}

/* “3 nonconform, 2 partially conform, 7 not assessed”: the kinds of gap there are. */
static char *
gap_kinds (const guint *counts)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (counts[AT_VERDICT_NONCONFORM])
    /* Translators: a count of clauses by verdict, in the gap view */
    g_ptr_array_add (parts, g_strdup_printf (_("%u nonconform"), counts[AT_VERDICT_NONCONFORM]));
  if (counts[AT_VERDICT_PARTIAL])
    g_ptr_array_add (parts, g_strdup_printf (_("%u partially conform"), counts[AT_VERDICT_PARTIAL]));
  if (counts[AT_VERDICT_OPEN])
    g_ptr_array_add (parts, g_strdup_printf (_("%u not assessed"), counts[AT_VERDICT_OPEN]));
  g_ptr_array_add (parts, NULL);
  /* Translators: between the counts, as in “3 nonconform, 2 partially conform” */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

static const char *
title_of (JsonObject *o)
{
  return json_object_get_string_member_with_default (o, at_gui_lang () == AT_LANG_ZH_CN ? "title_zh" : "title_en", "");
}

static void
on_clause_activated (AdwActionRow *row,
                     AtGapWindow  *self)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_CLAUSE], 0, self->assessment_id, g_object_get_data (G_OBJECT (row), "clause"));
}

static GtkWidget *
gap_row (AtGapWindow *self,
         JsonObject  *gap)
{
  const char *clause = json_object_get_string_member_with_default (gap, "clause", "");
  AtVerdict verdict = AT_VERDICT_OPEN;
  guint ncs = count (gap, "open_ncs");
  g_autofree char *title = g_strdup_printf ("%s %s", clause, title_of (gap));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *mark;

  at_verdict_parse (json_object_get_string_member_with_default (gap, "verdict", "open"), &verdict, NULL);
  if (ncs > 0)
    /* Translators: under a gap clause: “Nonconform · 1 open nonconformity” */
    subtitle = g_strdup_printf (g_dngettext (NULL, "%s · %u open nonconformity", "%s · %u open nonconformities", ncs),
                                at_gui_verdict_label (verdict), ncs);
  else
    subtitle = g_strdup (at_gui_verdict_label (verdict));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  mark = gtk_image_new_from_icon_name (verdict == AT_VERDICT_OPEN ? "radio-symbolic" : "dialog-warning-symbolic");
  gtk_widget_add_css_class (mark, at_gui_verdict_css (verdict));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), mark);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "clause", g_strdup (clause), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (on_clause_activated), self);
  return row;
}

static GtkWidget *
chapter_row (AtGapWindow *self,
             JsonObject  *chapter)
{
  JsonArray *gaps = json_object_get_array_member (chapter, "list");
  guint counts[AT_N_VERDICTS];
  guint n_gaps = count (chapter, "gaps");
  guint assessable = count (chapter, "assessable");
  g_autofree char *title = g_strdup_printf ("%s %s", json_object_get_string_member_with_default (chapter, "chapter", ""),
                                            title_of (chapter));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *bar = at_tally_bar_new ();

  counts_of (chapter, counts);
  if (n_gaps == 0)
    /* Translators: a chapter of the gap view without gaps */
    subtitle = g_strdup_printf (g_dngettext (NULL, "No gaps: its clause conforms or does not apply",
                                             "No gaps: its %u clauses conform or do not apply", assessable), assessable);
  else
    {
      g_autofree char *kinds = gap_kinds (counts);
      /* Translators: a chapter of the gap view: “3 of 24 clauses are gaps: 1 nonconform, 2 not assessed” */
      subtitle = g_strdup_printf (g_dngettext (NULL, "%u of %u clauses is a gap: %s", "%u of %u clauses are gaps: %s", n_gaps),
                                  n_gaps, assessable, kinds);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  at_tally_bar_set_counts (AT_TALLY_BAR (bar), counts);
  gtk_widget_set_size_request (bar, 140, 10);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), bar);
  adw_expander_row_set_icon_name (ADW_EXPANDER_ROW (row), n_gaps ? "dialog-warning-symbolic" : "emblem-ok-symbolic");
  for (guint i = 0; gaps && i < json_array_get_length (gaps); i++)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), gap_row (self, json_array_get_object_element (gaps, i)));
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), n_gaps > 0);
  if (n_gaps > 0)
    gtk_widget_add_css_class (row, "has-gaps");
  return row;
}

static GtkWidget *
legend_item (AtVerdict verdict,
             guint     n)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = at_tally_bar_new ();
  guint counts[AT_N_VERDICTS] = { 0 };
  g_autofree char *text = g_strdup_printf (_("%u %s"), n, at_gui_verdict_label (verdict));
  GtkWidget *label = gtk_label_new (text);

  counts[verdict] = 1;
  at_tally_bar_set_counts (AT_TALLY_BAR (swatch), counts);
  gtk_widget_set_size_request (swatch, 12, 10);
  /* the label says it all: the swatch is decoration for a screen reader */
  gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

gboolean
at_gap_window_reload (AtGapWindow  *self,
                      GError      **error)
{
  static const AtVerdict legend[] = {
    AT_VERDICT_CONFORM, AT_VERDICT_NA, AT_VERDICT_PARTIAL, AT_VERDICT_NONCONFORM, AT_VERDICT_OPEN,
  };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *total;
  JsonArray *chapters;
  GtkWidget *child;
  guint counts[AT_N_VERDICTS];
  guint n_gaps, assessable;
  g_autofree char *heading = NULL;
  g_autofree char *kinds = NULL;

  g_return_val_if_fail (AT_IS_GAP_WINDOW (self), FALSE);

  root = at_gaps_analyse (at_application_get_store (self->app), self->assessment_id, error);
  if (root == NULL)
    return FALSE;
  total = json_object_get_object_member (json_node_get_object (root), "total");
  chapters = json_object_get_array_member (json_node_get_object (root), "chapters");

  counts_of (total, counts);
  n_gaps = count (total, "gaps");
  assessable = count (total, "assessable");
  if (n_gaps == 0)
    /* Translators: the gap view's heading when there is nothing left to do */
    heading = g_strdup_printf (g_dngettext (NULL, "No gaps: the clause conforms or does not apply",
                                            "No gaps: all %u clauses conform or do not apply", assessable), assessable);
  else
    /* Translators: the gap view's heading: “12 of 130 clauses are gaps” */
    heading = g_strdup_printf (g_dngettext (NULL, "%u of %u clauses is a gap", "%u of %u clauses are gaps", n_gaps),
                               n_gaps, assessable);
  gtk_label_set_text (self->total_label, heading);
  kinds = gap_kinds (counts);
  gtk_label_set_text (self->detail_label, kinds);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), n_gaps > 0);
  at_tally_bar_set_counts (self->total_bar, counts);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->legend_box))))
    gtk_flow_box_remove (self->legend_box, child);
  for (guint i = 0; i < G_N_ELEMENTS (legend); i++)
    if (counts[legend[i]] > 0)
      {
        gtk_flow_box_append (self->legend_box, legend_item (legend[i], counts[legend[i]]));
        /* the legend is read, not chosen from */
        gtk_widget_set_focusable (gtk_widget_get_last_child (GTK_WIDGET (self->legend_box)), FALSE);
      }

  for (guint i = 0; i < self->chapter_rows->len; i++)
    adw_preferences_group_remove (self->chapters_group, self->chapter_rows->pdata[i]);
  g_ptr_array_set_size (self->chapter_rows, 0);
  for (guint i = 0; chapters && i < json_array_get_length (chapters); i++)
    {
      GtkWidget *row = chapter_row (self, json_array_get_object_element (chapters, i));

      adw_preferences_group_add (self->chapters_group, row);
      g_ptr_array_add (self->chapter_rows, row);
    }
  return TRUE;
}

GtkWidget *
at_gap_window_new (GtkWindow     *parent,
                   AtApplication *app,
                   const char    *assessment_id,
                   GError       **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autofree char *title = NULL;
  AtGapWindow *self;

  g_return_val_if_fail (AT_IS_APPLICATION (app), NULL);

  a = at_assessment_lookup (at_application_get_store (app), assessment_id, error);
  if (a == NULL)
    return NULL;
  /* a window belongs to GTK's list of toplevels: destroyed, not unreferenced */
  self = g_object_new (AT_TYPE_GAP_WINDOW, "transient-for", parent, NULL);
  self->app = g_object_ref (app);
  self->assessment_id = g_strdup (assessment_id);
  if (!at_gap_window_reload (self, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  /* Translators: the title of the gap view, %s is the organisation */
  title = g_strdup_printf (_("Gaps — %s"), at_assessment_get_org (a));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_subtitle (self->window_title, at_assessment_get_org (a));
  return GTK_WIDGET (self);
}

static void
at_gap_window_dispose (GObject *object)
{
  AtGapWindow *self = AT_GAP_WINDOW (object);

  g_clear_object (&self->app);
  g_clear_pointer (&self->assessment_id, g_free);
  g_clear_pointer (&self->chapter_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_GAP_WINDOW);

  G_OBJECT_CLASS (at_gap_window_parent_class)->dispose (object);
}

static void
at_gap_window_class_init (AtGapWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_gap_window_dispose;

  signals[SIGNAL_SHOW_CLAUSE] = g_signal_new ("show-clause", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (AT_TYPE_TALLY_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-gap-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtGapWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtGapWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, AtGapWindow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, AtGapWindow, total_bar);
  gtk_widget_class_bind_template_child (widget_class, AtGapWindow, legend_box);
  gtk_widget_class_bind_template_child (widget_class, AtGapWindow, chapters_group);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
at_gap_window_init (AtGapWindow *self)
{
  self->chapter_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
