/* at-recheck-panel.c — the recheck on a clause page: the reviewer's mark, the assessors' answer
 *
 * The panel reads the clause's recheck from core (at_review_status_for) whenever the clause, the
 * identity or the records change, and writes through at_review_comment / at_review_answer:
 * every rule (state, role, independence, a query needs a comment) is core's, and a refusal
 * reaches the person as core's sentence.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-recheck-panel.h"

struct _AtRecheckPanel
{
  GtkWidget      parent_instance;

  AtApplication *app;
  AtWorksheet   *worksheet;
  char          *clause;
  gboolean       reviewing;   /* the identity may mark this clause now */
  gboolean       answering;   /* the identity may answer its query now */

  /* template children */
  GtkWidget     *card;
  GtkLabel      *heading;
  GtkLabel      *state_pill;
  GtkWidget     *changes_box;
  GtkLabel      *changes_heading;
  GtkLabel      *changes_label;
  GtkLabel      *history_label;
  GtkWidget     *review_box;
  GtkTextView   *comment_view;
  GtkWidget     *answer_box;
  GtkTextView   *answer_view;
};

G_DEFINE_FINAL_TYPE (AtRecheckPanel, at_recheck_panel, GTK_TYPE_WIDGET)

enum { SIGNAL_RECORDED, SIGNAL_AGREED, N_SIGNALS };
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
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text ? text : "", -1);
}

static const char *
person (AtRecheckPanel *self,
        const char     *id)
{
  GPtrArray *all = at_application_get_identities (self->app);

  for (guint i = 0; all && i < all->len; i++)
    if (g_strcmp0 (at_identity_get_id (all->pdata[i]), id) == 0)
      return at_identity_get_name (all->pdata[i]);
  return id ? id : "?";
}

static const char *
member (JsonObject *o,
        const char *name)
{
  JsonNode *n = o && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

/* Earlier rounds (all rounds, for anyone but the reviewer at work): “Round 1 · queried by
 * Rita: …  Answer (Lena, …): …” */
static char *
history_text (AtRecheckPanel *self,
              AtReviewItem   *item,
              guint           skip_round)
{
  JsonArray *h = at_review_item_get_history (item);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; h && i < json_array_get_length (h); i++)
    {
      JsonObject *row = json_array_get_object_element (h, i);
      guint round = (guint) json_object_get_int_member (row, "round");
      gboolean queried = g_strcmp0 (member (row, "state"), "queried") == 0;
      g_autofree char *when = at_gui_format_time (member (row, "reviewed_at"));

      if (round == skip_round)
        continue;
      if (out->len)
        g_string_append (out, "\n");
      /* Translators: a line of a clause's recheck history: round, what, who, when */
      g_string_append_printf (out, queried ? _("Round %u · queried by %s, %s") : _("Round %u · agreed by %s, %s"),
                              round, person (self, member (row, "reviewer")), when);
      if (member (row, "comment"))
        g_string_append_printf (out, ": %s", member (row, "comment"));
      if (member (row, "answer"))
        {
          g_autofree char *at = at_gui_format_time (member (row, "answered_at"));
          /* Translators: the assessors' answer to a query, in a clause's recheck history */
          g_string_append_printf (out, _("\n    Answer (%s, %s): %s"), person (self, member (row, "answered_by")), at,
                                  member (row, "answer"));
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
set_pill (AtRecheckPanel *self,
          const char     *text,
          const char     *css)
{
  static const char * const classes[] = { "open", "approved", "returned", "submitted" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_pill), classes[i]);
  gtk_label_set_text (self->state_pill, text);
  if (css)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_pill), css);
}

static void
fill (AtRecheckPanel *self)
{
  AtStore *store;
  AtAssessment *a;
  AtIdentity *who;
  const AtReviewProgress *p;
  g_autoptr(AtReviewItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dependence = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *history = NULL;
  const char *state;
  gboolean may_record;
  AtReviewState mark;
  guint shown_round;

  self->reviewing = self->answering = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  if (self->worksheet == NULL || self->clause == NULL)
    goto done;
  p = at_worksheet_get_review_progress (self->worksheet);
  if (p->round == 0)
    goto done;

  store = at_worksheet_get_store (self->worksheet);
  a = at_worksheet_get_assessment (self->worksheet);
  state = at_assessment_get_state (a);
  who = at_application_get_identity (self->app);
  item = at_review_status_for (store, at_assessment_get_id (a), self->clause, &error);
  if (item == NULL)
    goto done;
  mark = at_review_item_get_state (item);

  if (who != NULL && g_strcmp0 (state, "submitted") == 0 && at_identity_has_role (who, AT_ROLE_REVIEWER))
    {
      dependence = at_review_dependence (store, at_assessment_get_id (a), at_identity_get_id (who));
      self->reviewing = dependence == NULL;
    }
  may_record = who != NULL &&
               at_identity_has_role (who, at_assessment_get_kind (a) == AT_KIND_SELF
                                          ? AT_ROLE_ASSESSOR | AT_ROLE_ORGANISATION : AT_ROLE_ASSESSOR);
  self->answering = may_record && g_strcmp0 (state, "returned") == 0 && mark == AT_REVIEW_QUERIED &&
                    at_review_item_get_round (item) == p->round;

  /* Translators: the heading of the recheck on a clause page */
  heading = g_strdup_printf (_("Recheck · round %u"), p->round);
  gtk_label_set_text (self->heading, heading);
  if (mark == AT_REVIEW_AGREED)
    set_pill (self, at_review_item_get_carried (item) ? _("Agreed, unchanged since") : _("Agreed"), "approved");
  else if (mark == AT_REVIEW_QUERIED)
    set_pill (self, at_review_item_get_awaiting_answer (item) ? _("Queried · awaiting an answer") : _("Queried"), "returned");
  else if (at_review_item_get_changed (item))
    set_pill (self, _("Changed · to review again"), "submitted");
  else
    set_pill (self, _("Not reviewed yet"), NULL);
  gtk_widget_remove_css_class (self->card, "queried");
  gtk_widget_remove_css_class (self->card, "agreed");
  if (mark == AT_REVIEW_QUERIED)
    gtk_widget_add_css_class (self->card, "queried");
  else if (mark == AT_REVIEW_AGREED)
    gtk_widget_add_css_class (self->card, "agreed");

  /* what changed since the round the clause was last reviewed in */
  gtk_widget_set_visible (self->changes_box, FALSE);
  if (at_review_item_get_changed (item) && at_review_item_get_history (item) != NULL)
    {
      JsonArray *h = at_review_item_get_history (item);
      guint last = (guint) json_object_get_int_member (json_array_get_object_element (h, json_array_get_length (h) - 1), "round");
      g_autoptr(GPtrArray) lines = at_review_changes (store, at_assessment_get_id (a), self->clause, last, NULL);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *changes_heading = g_strdup_printf (_("Changed since round %u:"), last);

      for (guint i = 0; lines && i < lines->len; i++)
        g_string_append_printf (text, "%s• %s", i ? "\n" : "", (const char *) lines->pdata[i]);
      gtk_label_set_text (self->changes_heading, changes_heading);
      gtk_label_set_text (self->changes_label, text->str);
      gtk_widget_set_visible (self->changes_box, text->len > 0);
    }

  /* the reviewer at work sees the current round in the comment field, not in the history */
  shown_round = self->reviewing ? p->round : 0;
  history = history_text (self, item, shown_round);
  gtk_label_set_text (self->history_label, history);
  gtk_widget_set_visible (GTK_WIDGET (self->history_label), *history != '\0');

  gtk_widget_set_visible (self->review_box, self->reviewing);
  if (self->reviewing)
    set_view_text (self->comment_view, at_review_item_get_round (item) == p->round && !at_review_item_get_carried (item)
                                       ? at_review_item_get_comment (item) : NULL);
  gtk_widget_set_visible (self->answer_box, self->answering);
  if (self->answering)
    set_view_text (self->answer_view, at_review_item_get_answer (item));

  gtk_widget_set_visible (GTK_WIDGET (self), self->reviewing || self->answering || *history != '\0' ||
                                              gtk_widget_get_visible (self->changes_box));
done:
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recheck.agree", self->reviewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recheck.query", self->reviewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recheck.answer", self->answering);
}

gboolean
at_recheck_panel_mark (AtRecheckPanel *self,
                       AtReviewState   state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *comment = NULL;
  AtAssessment *a;

  if (!self->reviewing)
    return FALSE;
  comment = view_text (self->comment_view);
  a = at_worksheet_get_assessment (self->worksheet);
  if (!at_review_comment (at_worksheet_get_store (self->worksheet), at_assessment_get_id (a), self->clause,
                          at_identity_get_id (at_application_get_identity (self->app)), state, comment, &error))
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      if (state == AT_REVIEW_QUERIED)
        gtk_widget_grab_focus (GTK_WIDGET (self->comment_view));
      return FALSE;
    }
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0);
  if (state == AT_REVIEW_AGREED)
    g_signal_emit (self, signals[SIGNAL_AGREED], 0);
  return TRUE;
}

static void
agree_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_recheck_panel_mark (AT_RECHECK_PANEL (widget), AT_REVIEW_AGREED);
}

static void
query_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_recheck_panel_mark (AT_RECHECK_PANEL (widget), AT_REVIEW_QUERIED);
}

static void
answer_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtRecheckPanel *self = AT_RECHECK_PANEL (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = view_text (self->answer_view);
  AtAssessment *a = at_worksheet_get_assessment (self->worksheet);

  if (!self->answering)
    return;
  if (!at_review_answer (at_worksheet_get_store (self->worksheet), at_assessment_get_id (a), self->clause,
                         at_identity_get_id (at_application_get_identity (self->app)), answer, &error))
    {
      at_gui_toast (widget, error->message);
      return;
    }
  at_gui_toast (widget, _("Answer sent with the assessment's records"));
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0);
}

static void
on_identity_changed (AtRecheckPanel *self)
{
  fill (self);
}

void
at_recheck_panel_set_context (AtRecheckPanel *self,
                              AtApplication  *app,
                              AtWorksheet    *worksheet)
{
  if (self->app != app)
    {
      if (self->app)
        g_signal_handlers_disconnect_by_data (self->app, self);
      g_set_object (&self->app, app);
      if (app)
        g_signal_connect_object (app, "notify::identity", G_CALLBACK (on_identity_changed), self, G_CONNECT_SWAPPED);
    }
  g_set_object (&self->worksheet, worksheet);
  g_clear_pointer (&self->clause, g_free);
  fill (self);
}

void
at_recheck_panel_set_clause (AtRecheckPanel *self,
                             const char     *clause)
{
  g_free (self->clause);
  self->clause = g_strdup (clause);
  fill (self);
}

static void
at_recheck_panel_dispose (GObject *object)
{
  AtRecheckPanel *self = AT_RECHECK_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_RECHECK_PANEL);
  g_clear_object (&self->worksheet);
  g_clear_object (&self->app);
  g_clear_pointer (&self->clause, g_free);
  G_OBJECT_CLASS (at_recheck_panel_parent_class)->dispose (object);
}

static void
at_recheck_panel_class_init (AtRecheckPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_recheck_panel_dispose;

  /* recorded: the recheck's records changed (the view refreshes); agreed: the reviewer agreed
   * and would move on to the next clause to review */
  signals[SIGNAL_RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_AGREED] = g_signal_new ("agreed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-recheck-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, card);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, heading);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, state_pill);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, changes_box);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, changes_heading);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, changes_label);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, history_label);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, review_box);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, comment_view);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, answer_box);
  gtk_widget_class_bind_template_child (widget_class, AtRecheckPanel, answer_view);

  gtk_widget_class_install_action (widget_class, "recheck.agree", NULL, agree_action);
  gtk_widget_class_install_action (widget_class, "recheck.query", NULL, query_action);
  gtk_widget_class_install_action (widget_class, "recheck.answer", NULL, answer_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
at_recheck_panel_init (AtRecheckPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
