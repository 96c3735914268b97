/* at-assessment-view-recheck.c — the reviewer's desk and the rework, in the assessment view
 *
 * Once an assessment is submitted the checklist becomes the recheck's: the progress counts
 * reviewed clauses, the marks say agreed / queried / changed, Ctrl+Shift+A agrees and moves on
 * to the next clause to review. Before a reviewer starts, the independence rule of QCS 11.4 is
 * put to them once, with core's answer for this person. A returned assessment shows its queries
 * to the assessors, and the history of the rounds is one window away.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-assessment-view-private.h"
#include "at-gui-labels.h"

static AtAssessment *
assessment (AtAssessmentView *self)
{
  return at_worksheet_get_assessment (self->worksheet);
}

static gboolean
state_is (AtAssessmentView *self,
          const char       *state)
{
  return g_strcmp0 (at_assessment_get_state (assessment (self)), state) == 0;
}

static gboolean
is_reviewer (AtAssessmentView *self)
{
  AtIdentity *who = at_application_get_identity (self->app);

  return who != NULL && at_identity_has_role (who, AT_ROLE_REVIEWER);
}

/* Why the current identity may not recheck this assessment, or NULL. */
static char *
dependence (AtAssessmentView *self)
{
  AtIdentity *who = at_application_get_identity (self->app);

  if (who == NULL)
    return g_strdup (_("no profile is chosen"));
  return at_review_dependence (at_application_get_store (self->app), at_assessment_get_id (assessment (self)),
                               at_identity_get_id (who));
}

char *
_at_assessment_view_recheck_progress (AtAssessmentView *self,
                                      double           *fraction)
{
  const AtReviewProgress *p = at_worksheet_get_review_progress (self->worksheet);

  if (p->round == 0 || !(state_is (self, "submitted") || state_is (self, "returned")))
    return NULL;
  if (state_is (self, "returned"))
    {
      *fraction = p->queried ? (double) (p->queried - p->awaiting) / p->queried : 1;
      /* Translators: the checklist's progress while the assessors answer the recheck's queries */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u query answered", "%u of %u queries answered", p->queried),
                              p->queried - p->awaiting, p->queried);
    }
  *fraction = p->assessable ? (double) p->reviewed / p->assessable : 0;
  if (p->queried > 0)
    /* Translators: the recheck's progress, “84 / 130 reviewed · 3 queries” */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u / %u reviewed · %u query", "%u / %u reviewed · %u queries", p->queried),
                            p->reviewed, p->assessable, p->queried);
  /* Translators: the recheck's progress, “84 / 130 reviewed” */
  return g_strdup_printf (_("%u / %u reviewed"), p->reviewed, p->assessable);
}

gboolean
_at_assessment_view_recheck_banner (AtAssessmentView  *self,
                                    char             **text,
                                    const char       **button,
                                    const char       **action)
{
  const AtReviewProgress *p = at_worksheet_get_review_progress (self->worksheet);

  if (state_is (self, "submitted") && is_reviewer (self))
    {
      g_autofree char *why = dependence (self);

      if (why != NULL)
        {
          AtIdentity *who = at_application_get_identity (self->app);
          /* Translators: %s is a person, the second %s why they took part (“is the lead assessor”) */
          *text = g_strdup_printf (_("%s %s, so cannot recheck this assessment: the recheck is for an independent expert (QCS 11.4)."),
                                   who ? at_identity_get_name (who) : "", why);
          *button = NULL;
          return TRUE;
        }
      if (p->reviewed < p->assessable)
        {
          /* Translators: the banner of the reviewer's desk */
          *text = g_strdup_printf (_("Recheck, round %u: %u of %u clauses reviewed. Agree each clause, or query it with a comment."),
                                   p->round, p->reviewed, p->assessable);
          *button = _("_Next to Review");
          *action = "view.next-to-review";
        }
      else if (p->queried > 0)
        {
          *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Every clause is reviewed and %u is queried: return the assessment so the assessors answer it.",
                                                "Every clause is reviewed and %u are queried: return the assessment so the assessors answer them.",
                                                p->queried), p->queried);
          *button = _("_Return…");
          *action = "view.review";
        }
      else
        {
          *text = g_strdup (_("Every clause is agreed. Sign your recheck conclusion to approve the assessment."));
          *button = _("_Approve…");
          *action = "view.review";
        }
      return TRUE;
    }
  if (state_is (self, "returned") && p->round > 0)
    {
      if (p->awaiting > 0)
        {
          *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Returned for rework: %u query of round %u waits for an answer. Answer it, or change the finding or its evidence.",
                                                "Returned for rework: %u queries of round %u wait for an answer. Answer each, or change the finding or its evidence.",
                                                p->awaiting), p->awaiting, p->round);
          *button = _("_Next Query");
          *action = "view.next-to-review";
        }
      else
        {
          *text = g_strdup (_("Every query is answered. The lead assessor can submit the assessment again."));
          *button = _("_Submit for Recheck…");
          *action = "view.submit";
        }
      return TRUE;
    }
  return FALSE;
}

/* The clause a reviewer (or an assessor answering) turns to next, after the selected one: not
 * yet reviewed, or waiting for an answer. */
static gboolean
wants_attention (AtAssessmentView *self,
                 AtWorksheetItem  *item)
{
  if (!at_clause_get_assessable (at_worksheet_item_get_clause (item)))
    return FALSE;
  if (state_is (self, "returned"))
    return at_worksheet_item_get_awaiting_answer (item);
  return at_worksheet_item_get_review_state (item) == AT_REVIEW_UNREVIEWED;
}

void
_at_assessment_view_next_to_review (AtAssessmentView *self,
                                    gboolean          from_start)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->clause_list);
  guint n = self->rows->len;
  guint start = row && !from_start ? (guint) gtk_list_box_row_get_index (row) + 1 : 0;

  for (guint k = 0; k < n; k++)
    {
      guint i = (start + k) % n;
      AtWorksheetItem *item = at_clause_row_get_item (self->rows->pdata[i]);

      if (wants_attention (self, item))
        {
          at_assessment_view_select_clause (self, at_clause_get_number (at_worksheet_item_get_clause (item)));
          return;
        }
    }
  at_gui_toast (GTK_WIDGET (self), state_is (self, "returned")
                                   ? _("Every query is answered.")
                                   : _("Every clause is reviewed: return or approve the assessment."));
}

static void
next_to_review_action (GtkWidget *widget, const char *name, GVariant *param)
{
  _at_assessment_view_next_to_review (AT_ASSESSMENT_VIEW (widget), FALSE);
}

static void
recheck_agree_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_clause_page_recheck (AT_ASSESSMENT_VIEW (widget)->clause_page, AT_REVIEW_AGREED);
}

static void
recheck_query_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_clause_page_recheck (AT_ASSESSMENT_VIEW (widget)->clause_page, AT_REVIEW_QUERIED);
}

/* ---- the independence rule, put to the reviewer before they start ---------------------------- */

void
_at_assessment_view_check_independence (AtAssessmentView *self)
{
  AtIdentity *who = at_application_get_identity (self->app);
  g_autofree char *key = NULL;
  g_autofree char *why = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->worksheet == NULL || who == NULL || !state_is (self, "submitted") || !is_reviewer (self))
    return;
  key = g_strdup_printf ("%s\n%s", at_assessment_get_id (assessment (self)), at_identity_get_id (who));
  if (g_hash_table_contains (self->independence_shown, key))
    return;
  g_hash_table_add (self->independence_shown, g_steal_pointer (&key));

  why = dependence (self);
  if (why == NULL)
    body = g_strdup_printf (_("QCS 11.4: the recheck is done by an independent expert, who took no part in the assessment. "
                              "Attest found no record of %s in it: not on the team, no finding, evidence or nonconformity.\n\n"
                              "Review every clause with its records and evidence: agree it, or query it with a comment. "
                              "Queries go back to the assessors when you return the assessment; approval needs every clause agreed."),
                            at_identity_get_name (who));
  else
    body = g_strdup_printf (_("QCS 11.4: the recheck is done by an independent expert, who took no part in the assessment. "
                              "%s %s, so cannot recheck it. Ask an expert who did not take part to open it."),
                            at_identity_get_name (who), why);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   why == NULL ? _("Recheck as an Independent Expert") : _("You Cannot Recheck This Assessment"),
                                   body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", why == NULL ? _("_Start the Recheck") : _("_Close"));
  if (why == NULL)
    adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close", ADW_RESPONSE_SUGGESTED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the rounds, one window ----------------------------------------------------------------- */

static const char *
jstr (JsonObject *o,
      const char *name)
{
  JsonNode *n = o && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

static const char *
name_of (AtAssessmentView *self,
         const char       *id)
{
  GPtrArray *all = at_application_get_identities (self->app);

  for (guint i = 0; all && i < all->len; i++)
    if (g_strcmp0 (at_identity_get_id (all->pdata[i]), id) == 0)
      return at_identity_get_name (all->pdata[i]);
  return id ? id : "?";
}

static GtkWidget *
text_label (const char *text,
            const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* One round: submitted by whom and when, the decision, the counts, each query and its answer. */
static GtkWidget *
round_widget (AtAssessmentView *self,
              JsonObject       *round,
              JsonArray        *review,
              JsonArray        *signoffs)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  guint n = (guint) json_object_get_int_member (round, "round");
  const char *outcome = jstr (round, "outcome");
  g_autofree char *title = NULL;
  g_autofree char *submitted = at_gui_format_time (jstr (round, "submitted_at"));
  g_autofree char *line = NULL;
  g_autofree char *counts = NULL;

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "recheck-card");
  gtk_widget_add_css_class (box, g_strcmp0 (outcome, "approved") == 0 ? "agreed" : outcome ? "queried" : "open");

  /* Translators: the heading of one round in the recheck history */
  title = g_strdup_printf (_("Round %u"), n);
  {
    GtkWidget *heading = text_label (title, "heading");

    gtk_label_set_selectable (GTK_LABEL (heading), FALSE);
    gtk_box_append (GTK_BOX (box), heading);
  }
  if (outcome != NULL)
    {
      g_autofree char *decided = at_gui_format_time (jstr (round, "decided_at"));
      line = g_strdup_printf (g_strcmp0 (outcome, "approved") == 0
                              /* Translators: submitted by A, when; approved by B, when */
                              ? _("Submitted by %s, %s. Approved by %s, %s.")
                              : _("Submitted by %s, %s. Returned for rework by %s, %s."),
                              name_of (self, jstr (round, "submitted_by")), submitted,
                              name_of (self, jstr (round, "decided_by")), decided);
    }
  else
    line = g_strdup_printf (_("Submitted by %s, %s. The recheck is under way."), name_of (self, jstr (round, "submitted_by")), submitted);
  gtk_box_append (GTK_BOX (box), text_label (line, NULL));
  /* Translators: a round's counts; agreements carried from earlier rounds are not counted again */
  counts = g_strdup_printf (_("In this round: %u agreed, %u queried, %u answered"), (guint) json_object_get_int_member (round, "agreed"),
                            (guint) json_object_get_int_member (round, "queried"), (guint) json_object_get_int_member (round, "answered"));
  gtk_box_append (GTK_BOX (box), text_label (counts, "dim-label"));
  if (json_object_get_boolean_member_with_default (round, "superseded", FALSE))
    {
      g_autofree char *when = at_gui_format_time (jstr (round, "superseded_at"));
      g_autofree char *text = g_strdup_printf (_("Superseded on %s: the assessment was reopened (%s)."), when,
                                               jstr (round, "superseded_because") ? jstr (round, "superseded_because") : "—");
      gtk_box_append (GTK_BOX (box), text_label (text, "warning"));
    }
  if (jstr (round, "conclusion"))
    {
      g_autofree char *text = g_strdup_printf (_("Conclusion: %s"), jstr (round, "conclusion"));
      gtk_box_append (GTK_BOX (box), text_label (text, NULL));
    }

  for (guint i = 0; review && i < json_array_get_length (review); i++)
    {
      JsonObject *item = json_array_get_object_element (review, i);
      JsonArray *comments = json_object_get_array_member (item, "comments");

      for (guint c = 0; comments && c < json_array_get_length (comments); c++)
        {
          JsonObject *cm = json_array_get_object_element (comments, c);
          g_autoptr(GString) text = g_string_new (NULL);

          if ((guint) json_object_get_int_member (cm, "round") != n || g_strcmp0 (jstr (cm, "state"), "queried") != 0)
            continue;
          /* Translators: a query in the recheck history: clause, reviewer, comment */
          g_string_append_printf (text, _("%s · queried by %s: %s"), jstr (item, "clause"), name_of (self, jstr (cm, "reviewer")),
                                  jstr (cm, "comment") ? jstr (cm, "comment") : "—");
          if (jstr (cm, "answer"))
            g_string_append_printf (text, _("\n    Answer (%s): %s"), name_of (self, jstr (cm, "answered_by")), jstr (cm, "answer"));
          gtk_box_append (GTK_BOX (box), text_label (text->str, "caption"));
        }
    }
  return box;
}

static void
recheck_history_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AtAssessmentView *self = AT_ASSESSMENT_VIEW (widget);
  g_autoptr(JsonNode) root = at_assessment_to_json_full (assessment (self), at_application_get_store (self->app));
  JsonObject *o = json_node_get_object (root);
  JsonArray *rounds = json_object_get_array_member (o, "rounds");
  JsonArray *review = json_object_get_array_member (o, "review");
  JsonArray *signoffs = json_object_get_array_member (o, "signoffs");
  GtkWidget *win, *toolbar, *scroller, *clamp, *box;
  g_autofree char *title = g_strdup_printf (_("Recheck History — %s"), at_assessment_get_org (assessment (self)));

  win = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (win), title);
  gtk_window_set_transient_for (GTK_WINDOW (win), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_set_modal (GTK_WINDOW (win), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (win), 640, 560);
  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (toolbar), adw_header_bar_new ());
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  clamp = adw_clamp_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Recheck rounds"), -1);

  if (rounds == NULL || json_array_get_length (rounds) == 0)
    {
      GtkWidget *empty = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "document-send-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("Not Submitted Yet"));
      adw_status_page_set_description (ADW_STATUS_PAGE (empty), _("The recheck starts when the lead assessor submits the assessment."));
      gtk_box_append (GTK_BOX (box), empty);
    }
  for (guint i = 0; rounds && i < json_array_get_length (rounds); i++)
    gtk_box_append (GTK_BOX (box), round_widget (self, json_array_get_object_element (rounds, i), review, signoffs));

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_box_append (GTK_BOX (toolbar), scroller);
  adw_window_set_content (ADW_WINDOW (win), toolbar);
  at_gui_close_on_escape (GTK_WINDOW (win));
  gtk_window_present (GTK_WINDOW (win));
}

void
_at_assessment_view_update_recheck_actions (AtAssessmentView *self)
{
  gboolean loaded = self->worksheet != NULL;
  gboolean submitted = loaded && state_is (self, "submitted");
  gboolean returned = loaded && state_is (self, "returned");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.recheck-agree", submitted);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.recheck-query", submitted);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.next-to-review", submitted || returned);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.recheck-history", loaded);
}

void
_at_assessment_view_install_recheck (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "view.recheck-agree", NULL, recheck_agree_action);
  gtk_widget_class_install_action (widget_class, "view.recheck-query", NULL, recheck_query_action);
  gtk_widget_class_install_action (widget_class, "view.next-to-review", NULL, next_to_review_action);
  gtk_widget_class_install_action (widget_class, "view.recheck-history", NULL, recheck_history_action);

}

/* The reviewer types a comment and agrees or queries without leaving the comment field: these
 * keys are taken before the text view sees them (it would unselect on Ctrl+Shift+A). */
void
_at_assessment_view_add_recheck_shortcuts (AtAssessmentView *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  static const struct { guint key; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "view.recheck-agree" },
    { GDK_KEY_q, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "view.recheck-query" },
    { GDK_KEY_j, GDK_CONTROL_MASK, "view.next-to-review" },
  };

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, keys[i].mods),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
