/* at-indicator-row.c — one indicator of a clause: its limit, the measured input, the verdict of
 * the numbers as they are typed
 *
 * A value indicator takes one number; the others take a series of samples, typed one per line
 * or pasted as a column from a spreadsheet (commas, semicolons, tabs and spaces separate too).
 * Every keystroke re-evaluates with core's arithmetic, so what the row shows is what the report
 * will say. The row only reports its input ("changed"); the page decides when to save it.
 * A series can also come from a call-record export and a word-list indicator from transcripts
 * ("import-data", "check-transcripts"): the page runs those, the row shows where it came from.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "at-gui-labels.h"
#include "at-indicator-row.h"

struct _AtIndicatorRow
{
  GtkWidget          parent_instance;

  const AtIndicator *indicator;
  GtkWidget         *box;
  GtkWidget         *entry;      /* value indicators */
  GtkTextView       *samples;    /* the others */
  GtkLabel          *result;
  GtkLabel          *badge;
  GtkLabel          *source;     /* where an imported series came from */
  gboolean           loading;
  gboolean           valid;
  AtIndicatorResult  evaluated;
};

G_DEFINE_FINAL_TYPE (AtIndicatorRow, at_indicator_row, GTK_TYPE_WIDGET)

enum { SIGNAL_CHANGED, SIGNAL_IMPORT, SIGNAL_CHECK_TRANSCRIPTS, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
input_text (AtIndicatorRow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (self->entry)
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  buffer = gtk_text_view_get_buffer (self->samples);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Parses the input with core's parser (the same one the fuzzer runs); on failure *message
 * says which line and why. */
static gboolean
parse (AtIndicatorRow  *self,
       gboolean        *has_value,
       double          *value,
       GArray         **samples,
       char           **message)
{
  g_autofree char *raw = input_text (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) numbers = at_indicator_parse_samples (self->indicator, raw, &error);

  if (numbers == NULL)
    {
      *message = g_strdup (error->message);
      return FALSE;
    }

  *has_value = FALSE;
  if (self->entry)
    {
      *has_value = numbers->len == 1;
      *value = numbers->len == 1 ? g_array_index (numbers, double, 0) : 0;
    }
  if (samples)
    *samples = self->entry ? NULL : g_steal_pointer (&numbers);
  return TRUE;
}

static void
evaluate (AtIndicatorRow *self)
{
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GArray) numbers = NULL;
  gboolean has_value = FALSE;
  double value = 0;

  gtk_widget_remove_css_class (GTK_WIDGET (self->result), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->badge), "pass");
  gtk_widget_remove_css_class (GTK_WIDGET (self->badge), "fail");

  self->valid = parse (self, &has_value, &value, &numbers, &message);
  if (!self->valid)
    {
      memset (&self->evaluated, 0, sizeof self->evaluated);
      gtk_label_set_text (self->result, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->result), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->badge), FALSE);
      return;
    }

  at_indicator_evaluate (self->indicator, has_value, value,
                         numbers ? (double *) numbers->data : NULL, numbers ? numbers->len : 0,
                         &self->evaluated);
  text = at_gui_indicator_result (self->indicator, &self->evaluated);
  gtk_label_set_text (self->result, text);
  gtk_widget_set_visible (GTK_WIDGET (self->badge), self->evaluated.measured);
  if (self->evaluated.measured)
    {
      gtk_label_set_text (self->badge, self->evaluated.pass ? _("Meets the limit") : _("Fails the limit"));
      gtk_widget_add_css_class (GTK_WIDGET (self->badge), self->evaluated.pass ? "pass" : "fail");
    }
}

static void
on_input_changed (AtIndicatorRow *self)
{
  evaluate (self);
  if (!self->loading)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_action_clicked (GtkButton      *button,
                   AtIndicatorRow *self)
{
  g_signal_emit (self, signals[GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "signal"))], 0);
}

const AtIndicator *
at_indicator_row_get_indicator (AtIndicatorRow *self)
{
  return self->indicator;
}

gboolean
at_indicator_row_get_input (AtIndicatorRow  *self,
                            gboolean        *has_value,
                            double          *value,
                            GArray         **samples)
{
  g_autofree char *message = NULL;

  return parse (self, has_value, value, samples, &message);
}

gboolean
at_indicator_row_get_pass (AtIndicatorRow *self,
                           gboolean       *measured)
{
  *measured = self->valid && self->evaluated.measured;
  return self->evaluated.pass;
}

static void
fill (AtIndicatorRow      *self,
      const AtMeasurement *m)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (m != NULL && self->entry && m->has_value)
    {
      g_autofree char *v = at_number_format (m->value);
      g_string_append (text, v);
    }
  for (guint i = 0; m != NULL && self->samples && i < m->n_samples; i++)
    {
      g_autofree char *v = at_number_format (m->samples[i]);
      g_string_append_printf (text, "%s%s", i ? "\n" : "", v);
    }

  {
    g_autofree char *source = m ? at_gui_measurement_source (m->source) : NULL;
    gtk_label_set_text (self->source, source ? source : "");
    gtk_widget_set_visible (GTK_WIDGET (self->source), source != NULL);
  }

  self->loading = TRUE;
  if (self->entry)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text->str);
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->samples), text->str, -1);
  self->loading = FALSE;
  evaluate (self);
}

void
at_indicator_row_set_measurement (AtIndicatorRow      *self,
                                  const AtMeasurement *measurement)
{
  g_return_if_fail (AT_IS_INDICATOR_ROW (self));
  fill (self, measurement);
}

GtkWidget *
at_indicator_row_new (const AtIndicator   *indicator,
                      const AtMeasurement *measurement,
                      gboolean             editable)
{
  AtIndicatorRow *self = g_object_new (AT_TYPE_INDICATOR_ROW, NULL);
  const char *label = at_gui_text (&indicator->label);
  g_autofree char *requirement = at_gui_indicator_requirement (indicator);
  g_autofree char *a11y = NULL;
  GtkWidget *title, *req, *top, *status, *input;

  self->indicator = indicator;

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  title = gtk_label_new (*label ? label : indicator->id);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  req = gtk_label_new (requirement);
  gtk_widget_add_css_class (req, "requirement");
  gtk_widget_add_css_class (req, "numeric");
  gtk_widget_set_valign (req, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (top), req);
  gtk_box_append (GTK_BOX (self->box), top);

  if (at_indicator_takes_samples (indicator))
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();
      GtkWidget *hint = gtk_label_new (_("One sample per line; a column pasted from a spreadsheet works too."));

      self->samples = GTK_TEXT_VIEW (gtk_text_view_new ());
      gtk_text_view_set_top_margin (self->samples, 6);
      gtk_text_view_set_bottom_margin (self->samples, 6);
      gtk_text_view_set_left_margin (self->samples, 8);
      gtk_text_view_set_right_margin (self->samples, 8);
      gtk_text_view_set_monospace (self->samples, TRUE);
      gtk_text_view_set_editable (self->samples, editable);
      gtk_text_view_set_accepts_tab (self->samples, FALSE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->samples));
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 96);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 200);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_widget_add_css_class (scroller, "card");
      gtk_widget_add_css_class (scroller, "samples");
      g_signal_connect_swapped (gtk_text_view_get_buffer (self->samples), "changed",
                                G_CALLBACK (on_input_changed), self);
      /* Translators: the accessible name of a sample series input, %s is the indicator */
      a11y = g_strdup_printf (_("Samples: %s"), *label ? label : indicator->id);
      input = scroller;
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->samples), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      gtk_box_append (GTK_BOX (self->box), input);
      gtk_label_set_xalign (GTK_LABEL (hint), 0);
      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_widget_add_css_class (hint, "caption");
      gtk_box_append (GTK_BOX (self->box), hint);
    }
  else
    {
      g_autofree char *unit = at_gui_unit_label (indicator->limit.unit);

      self->entry = gtk_entry_new ();
      gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_NUMBER);
      gtk_editable_set_editable (GTK_EDITABLE (self->entry), editable);
      gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), unit);
      gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 12);
      gtk_widget_set_halign (self->entry, GTK_ALIGN_START);
      g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_input_changed), self);
      /* Translators: the accessible name of a measured value input, %s is the indicator */
      a11y = g_strdup_printf (_("Value: %s"), *label ? label : indicator->id);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }

  /* one value: the entry and what it comes to, side by side; a series: the result below it */
  status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  if (self->entry)
    {
      gtk_widget_set_valign (self->entry, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (status), self->entry);
    }
  self->badge = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->badge), "result-badge");
  gtk_widget_set_valign (GTK_WIDGET (self->badge), GTK_ALIGN_CENTER);
  self->result = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->result, 0);
  gtk_label_set_wrap (self->result, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->result), TRUE);
  gtk_label_set_selectable (self->result, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->result), "numeric");
  gtk_box_append (GTK_BOX (status), GTK_WIDGET (self->badge));
  gtk_box_append (GTK_BOX (status), GTK_WIDGET (self->result));
  gtk_box_append (GTK_BOX (self->box), status);

  /* measured from the organisation's own data: a call-record export, or transcripts */
  self->source = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->source, 0);
  gtk_label_set_wrap (self->source, TRUE);
  gtk_label_set_selectable (self->source, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->source), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->source), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->source), FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->source));
  if (editable && (at_indicator_takes_samples (indicator) || indicator->wordlist != NULL))
    {
      gboolean transcripts = indicator->wordlist != NULL;
      GtkWidget *button = gtk_button_new_with_mnemonic (transcripts ? _("Check _Transcripts…") : _("_Import Data…"));
      g_autofree char *name = NULL;

      gtk_widget_set_halign (button, GTK_ALIGN_START);
      at_gui_set_tooltip (button, transcripts
                          ? _("Check call transcripts (text, SRT, WebVTT) against the catalog's word list")
                          : _("Take the samples from a call-record export (CSV or XLSX), kept as evidence"));
      /* Translators: accessible names of the buttons; %s is the indicator */
      name = g_strdup_printf (transcripts ? _("Check transcripts: %s") : _("Import data: %s"), *label ? label : indicator->id);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data (G_OBJECT (button), "signal", GUINT_TO_POINTER (transcripts ? SIGNAL_CHECK_TRANSCRIPTS : SIGNAL_IMPORT));
      g_signal_connect (button, "clicked", G_CALLBACK (on_action_clicked), self);
      gtk_box_append (GTK_BOX (self->box), button);
    }

  fill (self, measurement);
  return GTK_WIDGET (self);
}

static void
at_indicator_row_dispose (GObject *object)
{
  AtIndicatorRow *self = AT_INDICATOR_ROW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (at_indicator_row_parent_class)->dispose (object);
}

static void
at_indicator_row_class_init (AtIndicatorRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_indicator_row_dispose;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* the page has the store and the window: it runs the import or the transcript check */
  signals[SIGNAL_IMPORT] = g_signal_new ("import-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CHECK_TRANSCRIPTS] = g_signal_new ("check-transcripts", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "indicator");
}

static void
at_indicator_row_init (AtIndicatorRow *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}
