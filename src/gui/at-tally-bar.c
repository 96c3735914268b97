/* at-tally-bar.c — a thin bar split by verdict: how a chapter or an assessment stands
 *
 * Conform, not applicable, partially conform, nonconform, not assessed, left to right, each as
 * wide as its share; the colours are the style's, so the dark style follows. Screen readers get
 * the counts as the bar's name.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "at-gui-labels.h"
#include "at-tally-bar.h"

struct _AtTallyBar
{
  GtkWidget parent_instance;

  guint     counts[AT_N_VERDICTS];
};

G_DEFINE_FINAL_TYPE (AtTallyBar, at_tally_bar, GTK_TYPE_WIDGET)

/* the order on the bar: what is settled first, the gaps last */
static const AtVerdict order[] = {
  AT_VERDICT_CONFORM, AT_VERDICT_NA, AT_VERDICT_PARTIAL, AT_VERDICT_NONCONFORM, AT_VERDICT_OPEN,
};

static void
colour_of (GtkWidget *widget,
           AtVerdict  verdict,
           GdkRGBA   *out)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  const char *name = NULL;

  switch (verdict)
    {
    case AT_VERDICT_CONFORM:    name = "success_color"; break;
    case AT_VERDICT_PARTIAL:    name = "warning_color"; break;
    case AT_VERDICT_NONCONFORM: name = "error_color"; break;
    case AT_VERDICT_NA:
    case AT_VERDICT_OPEN:
    default:                    break;
    }
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (name == NULL || !gtk_style_context_lookup_color (style, name, out))
    {
      gtk_style_context_get_color (style, out);
      /* not applicable reads as settled, not assessed as missing */
      out->alpha = verdict == AT_VERDICT_NA ? 0.35 : 0.15;
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
at_tally_bar_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  AtTallyBar *self = AT_TALLY_BAR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint total = 0;
  float x = 0;
  GskRoundedRect clip;

  for (guint i = 0; i < AT_N_VERDICTS; i++)
    total += self->counts[i];
  gsk_rounded_rect_init_from_rect (&clip, &GRAPHENE_RECT_INIT (0, 0, width, height), height / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  if (total == 0)
    {
      GdkRGBA empty;

      colour_of (widget, AT_VERDICT_OPEN, &empty);
      gtk_snapshot_append_color (snapshot, &empty, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  for (guint i = 0; total > 0 && i < G_N_ELEMENTS (order); i++)
    {
      float w = (float) width * self->counts[order[i]] / total;
      GdkRGBA colour;

      if (w <= 0)
        continue;
      colour_of (widget, order[i], &colour);
      gtk_snapshot_append_color (snapshot, &colour, &GRAPHENE_RECT_INIT (x, 0, w, height));
      x += w;
    }
  gtk_snapshot_pop (snapshot);
}

static void
at_tally_bar_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  /* as wide as it is given: the rows set a width, the heading's bar fills its box */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 8;
  else
    *minimum = *natural = 8;
}

void
at_tally_bar_set_counts (AtTallyBar  *self,
                         const guint *counts)
{
  g_autoptr(GString) name = g_string_new (NULL);

  g_return_if_fail (AT_IS_TALLY_BAR (self));

  memcpy (self->counts, counts, sizeof self->counts);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (counts[order[i]] == 0)
        continue;
      if (name->len)
        g_string_append (name, _(", "));
      /* Translators: one part of the verdict bar's spoken name, “12 Conform” */
      g_string_append_printf (name, _("%u %s"), counts[order[i]], at_gui_verdict_label (order[i]));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name->str, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GtkWidget *
at_tally_bar_new (void)
{
  return g_object_new (AT_TYPE_TALLY_BAR, NULL);
}

static void
at_tally_bar_class_init (AtTallyBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = at_tally_bar_snapshot;
  widget_class->measure = at_tally_bar_measure;
  gtk_widget_class_set_css_name (widget_class, "tallybar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
at_tally_bar_init (AtTallyBar *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}
