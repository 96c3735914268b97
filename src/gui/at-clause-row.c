/* at-clause-row.c — a clause in the checklist: verdict mark, number, title, evidence, NC
 *
 * Rows follow their worksheet item: a refresh after a change notifies the item, and only that
 * row redraws. The accessible name starts with the clause number (DESIGN.md, "The window"),
 * then says what the eye sees: the verdict, the evidence and the nonconformities.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-clause-row.h"
#include "at-gui-labels.h"

struct _AtClauseRow
{
  GtkListBoxRow    parent_instance;

  AtWorksheetItem *item;
  GtkWidget       *box;
  GtkWidget       *fold;
  GtkWidget       *mark;
  GtkWidget       *number;
  GtkWidget       *title;
  GtkWidget       *evidence;
  GtkWidget       *evidence_count;
  GtkWidget       *nc;
  GtkWidget       *review;      /* the recheck's mark: agreed, queried, changed since */
};

G_DEFINE_FINAL_TYPE (AtClauseRow, at_clause_row, GTK_TYPE_LIST_BOX_ROW)

enum { SIGNAL_TOGGLED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const verdict_marks[AT_N_VERDICTS] = {
  [AT_VERDICT_OPEN] = "○",
  [AT_VERDICT_CONFORM] = "✓",
  [AT_VERDICT_PARTIAL] = "◐",
  [AT_VERDICT_NONCONFORM] = "✗",
  [AT_VERDICT_NA] = "–",
};

/* The recheck's mark, once there is a recheck: ✔ agreed, ? queried (waiting for an answer
 * while returned), ● changed since the clause was last reviewed. */
static void
update_review (AtClauseRow *self,
               GString     *a11y)
{
  AtReviewState state = at_worksheet_item_get_review_state (self->item);
  gboolean changed = at_worksheet_item_get_review_changed (self->item);
  gboolean awaiting = at_worksheet_item_get_awaiting_answer (self->item);
  const char *mark = NULL, *css = NULL, *tip = NULL;

  if (!at_clause_get_assessable (at_worksheet_item_get_clause (self->item)))
    return;
  if (state == AT_REVIEW_QUERIED)
    {
      mark = "?";
      css = "review-queried";
      tip = awaiting ? _("Queried in the recheck: waiting for an answer") : _("Queried in the recheck");
    }
  else if (changed)
    {
      mark = "●";
      css = "review-changed";
      tip = _("Changed since the recheck last looked at it");
    }
  else if (state == AT_REVIEW_AGREED)
    {
      mark = "✔";
      css = "review-agreed";
      tip = _("Agreed in the recheck");
    }

  if (mark != NULL && self->review == NULL)
    {
      self->review = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->review, "review-mark");
      gtk_box_append (GTK_BOX (self->box), self->review);
    }
  if (self->review == NULL)
    return;
  gtk_widget_set_visible (self->review, mark != NULL);
  gtk_widget_remove_css_class (self->review, "review-queried");
  gtk_widget_remove_css_class (self->review, "review-changed");
  gtk_widget_remove_css_class (self->review, "review-agreed");
  if (mark == NULL)
    return;
  gtk_label_set_text (GTK_LABEL (self->review), mark);
  gtk_widget_add_css_class (self->review, css);
  at_gui_set_tooltip (self->review, tip);
  /* Translators: in a clause row's accessible name, after the verdict */
  g_string_append_printf (a11y, _(", %s"), tip);
}

static void
update (AtClauseRow *self)
{
  AtClause *clause;
  AtVerdict verdict;
  guint n_evidence, n_nc;
  g_autofree char *title = NULL;
  g_autoptr(GString) a11y = NULL;
  const char *text;

  if (self->item == NULL)
    return;
  clause = at_worksheet_item_get_clause (self->item);
  verdict = at_worksheet_item_get_verdict (self->item);
  n_evidence = at_worksheet_item_get_n_evidence (self->item);
  n_nc = at_worksheet_item_get_n_nonconformities (self->item);

  text = at_text_get (at_clause_get_title (clause), at_gui_lang ());
  if (text == NULL)
    text = at_text_get (at_clause_get_text (clause), at_gui_lang ());
  gtk_label_set_text (GTK_LABEL (self->number), at_clause_get_number (clause));
  gtk_label_set_text (GTK_LABEL (self->title), text ? text : "");

  for (guint v = 0; v < AT_N_VERDICTS; v++)
    gtk_widget_remove_css_class (self->mark, at_gui_verdict_css (v));
  a11y = g_string_new (at_clause_get_number (clause));
  if (text)
    g_string_append_printf (a11y, " %s", text);

  if (at_clause_get_assessable (clause))
    {
      gtk_label_set_text (GTK_LABEL (self->mark), verdict_marks[verdict]);
      gtk_widget_add_css_class (self->mark, at_gui_verdict_css (verdict));
      gtk_widget_remove_css_class (self->mark, "chapter-progress");
      gtk_widget_remove_css_class (self->title, "heading");
      at_gui_set_tooltip (self->mark, at_gui_verdict_label (verdict));
      g_string_append_printf (a11y, " — %s", at_gui_verdict_label (verdict));
    }
  else
    {
      g_autofree char *progress = g_strdup_printf ("%u/%u", at_worksheet_item_get_n_assessed (self->item),
                                                   at_worksheet_item_get_n_assessable (self->item));
      gtk_label_set_text (GTK_LABEL (self->mark), at_worksheet_item_get_n_assessable (self->item) ? progress : "");
      gtk_widget_add_css_class (self->mark, "chapter-progress");
      gtk_widget_add_css_class (self->title, "heading");
      at_gui_set_tooltip (self->mark, NULL);
      if (at_worksheet_item_get_n_assessable (self->item))
        /* Translators: in a heading row's accessible name, “12 of 17 assessed” */
        g_string_append_printf (a11y, _(" — %u of %u assessed"), at_worksheet_item_get_n_assessed (self->item),
                                at_worksheet_item_get_n_assessable (self->item));
    }

  if (n_evidence && self->evidence == NULL)
    {
      self->evidence = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
      self->evidence_count = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->evidence_count, "caption");
      gtk_widget_add_css_class (self->evidence_count, "numeric");
      gtk_box_append (GTK_BOX (self->evidence), gtk_image_new_from_icon_name ("mail-attachment-symbolic"));
      gtk_box_append (GTK_BOX (self->evidence), self->evidence_count);
      gtk_widget_add_css_class (self->evidence, "dim-label");
      at_gui_set_tooltip (self->evidence, _("Evidence"));
      gtk_box_insert_child_after (GTK_BOX (self->box), self->evidence, self->title);
    }
  if (n_nc && self->nc == NULL)
    {
      self->nc = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (self->nc, "nc-mark");
      at_gui_set_tooltip (self->nc, _("Has nonconformities"));
      gtk_box_append (GTK_BOX (self->box), self->nc);
    }
  if (n_evidence)
    {
      g_autofree char *count = g_strdup_printf ("%u", n_evidence);
      gtk_label_set_text (GTK_LABEL (self->evidence_count), count);
      /* Translators: in a clause row's accessible name */
      g_string_append_printf (a11y, g_dngettext (GETTEXT_PACKAGE, ", %u evidence file", ", %u evidence files", n_evidence), n_evidence);
    }
  if (self->evidence)
    gtk_widget_set_visible (self->evidence, n_evidence > 0);
  if (self->nc)
    gtk_widget_set_visible (self->nc, n_nc > 0);
  if (n_nc)
    g_string_append_printf (a11y, g_dngettext (GETTEXT_PACKAGE, ", %u nonconformity", ", %u nonconformities", n_nc), n_nc);

  update_review (self, a11y);

  /* the list is a tree drawn flat: each row says how deep it is */
  gtk_widget_set_margin_start (self->box, 4 + 16 * (int) at_clause_get_depth (clause));

  title = g_string_free (g_steal_pointer (&a11y), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

AtWorksheetItem *
at_clause_row_get_item (AtClauseRow *self)
{
  return self ? self->item : NULL;
}

void
at_clause_row_set_expanded (AtClauseRow *self,
                            gboolean     expanded)
{
  g_autofree char *label = NULL;
  const char *number = self->item ? at_clause_get_number (at_worksheet_item_get_clause (self->item)) : "";

  if (self->fold == NULL)
    return;
  gtk_button_set_icon_name (GTK_BUTTON (self->fold), expanded ? "pan-down-symbolic" : "pan-end-symbolic");
  /* Translators: the fold button of a heading in the clause list, %s is its number */
  label = g_strdup_printf (expanded ? _("Fold %s") : _("Unfold %s"), number);
  at_gui_set_tooltip (self->fold, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fold), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
on_fold_clicked (AtClauseRow *self)
{
  if (self->item)
    g_signal_emit (self, signals[SIGNAL_TOGGLED], 0, self->item);
}

GtkWidget *
at_clause_row_new (AtWorksheetItem *item)
{
  AtClauseRow *self = g_object_new (AT_TYPE_CLAUSE_ROW, NULL);

  /* a row lives as long as its item: it follows the item's changes until the list goes */
  self->item = g_object_ref (item);
  if (g_list_model_get_n_items (at_worksheet_item_get_children (item)) > 0)
    {
      self->fold = gtk_button_new_from_icon_name ("pan-down-symbolic");
      gtk_widget_add_css_class (self->fold, "flat");
      gtk_widget_add_css_class (self->fold, "fold");
      gtk_widget_set_valign (self->fold, GTK_ALIGN_CENTER);
      gtk_widget_set_focus_on_click (self->fold, FALSE);
      g_signal_connect_swapped (self->fold, "clicked", G_CALLBACK (on_fold_clicked), self);
      gtk_box_prepend (GTK_BOX (self->box), self->fold);
    }
  g_signal_connect_object (item, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  at_clause_row_set_expanded (self, TRUE);
  return GTK_WIDGET (self);
}

static void
at_clause_row_dispose (GObject *object)
{
  AtClauseRow *self = AT_CLAUSE_ROW (object);

  g_clear_object (&self->item);

  G_OBJECT_CLASS (at_clause_row_parent_class)->dispose (object);
}

static void
at_clause_row_class_init (AtClauseRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = at_clause_row_dispose;

  signals[SIGNAL_TOGGLED] = g_signal_new ("toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, AT_TYPE_WORKSHEET_ITEM);
}

static void
at_clause_row_init (AtClauseRow *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (GTK_WIDGET (self), "clause-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), self->box);

  /* the fold button only on headings (at_clause_row_new): a button is a dozen CSS nodes and
   * controllers, and most rows are clauses without children */
  self->mark = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->mark, "verdict-mark");
  gtk_widget_add_css_class (self->mark, "numeric");
  gtk_box_append (GTK_BOX (self->box), self->mark);

  self->number = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->number, "clause-number");
  gtk_box_append (GTK_BOX (self->box), self->number);

  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->title), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (self->title), TRUE);
  /* a long title must not widen the sidebar: it ellipsizes within it */
  gtk_label_set_max_width_chars (GTK_LABEL (self->title), 24);
  gtk_label_set_width_chars (GTK_LABEL (self->title), 12);
  gtk_widget_set_hexpand (self->title, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->title);
  /* the evidence count and the NC mark are made when a row first needs them: most rows never
   * do, and a list re-filtered while typing makes rows by the dozen */
}
