/* at-clause-page.c — one clause of an assessment: requirement, verdict, methods, measurements,
 * notes, evidence and nonconformities
 *
 * Every control writes through core the moment it changes — a verdict or a method at once, a
 * note or a sample series after a short pause in typing — so nothing is lost if the laptop
 * closes. Each write is one transaction of its own; the page then tells the view, which
 * refreshes the worksheet and with it the clause's row.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-clause-page-private.h"
#include "at-gui-labels.h"
#include "at-indicator-row.h"
#include "at-nc-dialog.h"

#define NOTE_PAUSE_MS    700
#define MEASURE_PAUSE_MS 700

G_DEFINE_FINAL_TYPE (AtClausePage, at_clause_page, GTK_TYPE_WIDGET)

enum { SIGNAL_RECORDED, SIGNAL_SELECT_CLAUSE, SIGNAL_SHOW_NC, SIGNAL_RECHECK_AGREED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const method_names[] = { "document", "observation", "interview", "demonstration" };
/* the order of the verdict buttons, and of the keys 1–4 */
static const AtVerdict verdict_order[] = { AT_VERDICT_CONFORM, AT_VERDICT_PARTIAL, AT_VERDICT_NONCONFORM, AT_VERDICT_NA };

AtStore *
_at_clause_page_store (AtClausePage *self)
{
  return at_worksheet_get_store (self->worksheet);
}

const char *
_at_clause_page_assessment (AtClausePage *self)
{
  return at_assessment_get_id (at_worksheet_get_assessment (self->worksheet));
}

const char *
_at_clause_page_actor (AtClausePage *self)
{
  AtIdentity *who = at_application_get_identity (self->app);

  return who ? at_identity_get_id (who) : NULL;
}

const char *
_at_clause_page_person_name (AtClausePage *self,
                             const char   *identity_id)
{
  GPtrArray *all = at_application_get_identities (self->app);

  for (guint i = 0; all && i < all->len; i++)
    if (g_strcmp0 (at_identity_get_id (all->pdata[i]), identity_id) == 0)
      return at_identity_get_name (all->pdata[i]);
  return identity_id;
}

void
_at_clause_page_recorded (AtClausePage *self)
{
  AtClause *clause = self->item ? at_worksheet_item_get_clause (self->item) : NULL;

  /* the view refreshes the worksheet in this emission; the recheck then shows what changed */
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0);
  if (clause != NULL && at_clause_get_assessable (clause))
    at_recheck_panel_set_clause (self->recheck_panel, at_clause_get_number (clause));
}

static AtClause *
current_clause (AtClausePage *self)
{
  return self->item ? at_worksheet_item_get_clause (self->item) : NULL;
}

static AtVerdict
current_verdict (AtClausePage *self)
{
  return self->finding ? at_finding_get_verdict (self->finding) : AT_VERDICT_OPEN;
}

/* NULL when the current identity may record on this assessment now; else why not. */
static char *
locked_reason (AtClausePage *self)
{
  AtAssessment *a = at_worksheet_get_assessment (self->worksheet);
  AtIdentity *who = at_application_get_identity (self->app);
  const char *state = at_assessment_get_state (a);
  AtRoles may = at_assessment_get_kind (a) == AT_KIND_SELF ? AT_ROLE_ASSESSOR | AT_ROLE_ORGANISATION : AT_ROLE_ASSESSOR;

  if (g_strcmp0 (state, "submitted") == 0)
    return g_strdup (_("Submitted for recheck: nothing can change until the reviewer returns it."));
  if (g_strcmp0 (state, "approved") == 0)
    return g_strdup (_("Approved after the recheck: reopen the assessment to change it."));
  if (g_strcmp0 (state, "certified") == 0)
    return g_strdup (_("Certified: reopen the assessment to change it."));
  if (who == NULL)
    return g_strdup (_("Create a profile to record findings."));
  if (!at_identity_has_role (who, may))
    return g_strdup_printf (_("You are working as %s, who is not an assessor: switch to an assessor's profile to record findings."),
                            at_identity_get_name (who));
  return NULL;
}

/* A checklist item that the current identity may change now; if not, the person is told why. */
static gboolean
may_change (AtClausePage *self)
{
  g_autofree char *why = NULL;

  if (current_clause (self) == NULL || !at_clause_get_assessable (current_clause (self)))
    return FALSE;
  if (self->editable)
    return TRUE;
  why = locked_reason (self);
  at_gui_toast (GTK_WIDGET (self), why ? why : _("This clause cannot change now."));
  return FALSE;
}

/* ---- writing --------------------------------------------------------------------------------- */

static void reload_finding (AtClausePage *self);
static void show_recorded (AtClausePage *self);

static gboolean
write_finding (AtClausePage         *self,
               const AtFindingInput *input)
{
  g_autoptr(GError) error = NULL;
  AtClause *clause = current_clause (self);

  if (clause == NULL || !self->editable)
    return FALSE;
  if (!at_finding_set (_at_clause_page_store (self), _at_clause_page_assessment (self),
                       at_clause_get_number (clause), _at_clause_page_actor (self), input, &error))
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      return FALSE;
    }
  reload_finding (self);
  show_recorded (self);
  _at_clause_page_recorded (self);
  return TRUE;
}

static void
sync_verdict_buttons (AtClausePage *self)
{
  AtVerdict verdict = current_verdict (self);

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (verdict_order); i++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->verdict_buttons[verdict_order[i]]), verdict_order[i] == verdict);
  self->loading = FALSE;
}

void
at_clause_page_set_verdict (AtClausePage *self,
                            AtVerdict     verdict)
{
  AtFindingInput input = { .verdict = verdict };

  g_return_if_fail (AT_IS_CLAUSE_PAGE (self));

  if (!may_change (self))
    return;
  at_clause_page_flush (self);
  write_finding (self, &input);
  sync_verdict_buttons (self);
}

static void
on_verdict_toggled (GtkToggleButton *button,
                    AtClausePage    *self)
{
  AtVerdict verdict = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "verdict"));

  if (self->loading)
    return;
  /* the buttons act as one choice: pressing the chosen one again keeps it */
  if (!gtk_toggle_button_get_active (button))
    {
      if (current_verdict (self) == verdict)
        sync_verdict_buttons (self);
      return;
    }
  at_clause_page_set_verdict (self, verdict);
}

static void
on_method_toggled (GtkCheckButton *check,
                   AtClausePage   *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) methods = NULL;
  AtFindingInput input = { 0 };

  if (self->loading)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->method_checks[i])))
      g_strv_builder_add (builder, method_names[i]);
  methods = g_strv_builder_end (builder);
  input.verdict = current_verdict (self);
  input.methods = (const char * const *) methods;
  if (!write_finding (self, &input))
    reload_finding (self);
}

static char *
note_text (AtClausePage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
save_note (AtClausePage *self)
{
  g_autofree char *note = note_text (self);
  g_autofree char *trimmed = g_strstrip (g_strdup (note));
  AtFindingInput input = { .verdict = current_verdict (self), .note = note };

  g_clear_handle_id (&self->note_timeout, g_source_remove);
  /* an emptied note on a clause with no record yet: nothing to write */
  if (*trimmed == '\0' && self->finding == NULL)
    {
      gtk_label_set_text (self->note_status, "");
      return;
    }
  if (write_finding (self, &input))
    {
      g_autofree char *when = at_gui_format_time (self->finding ? at_finding_get_recorded_at (self->finding) : NULL);
      g_autofree char *text = g_strdup_printf (_("Saved %s"), when);
      gtk_label_set_text (self->note_status, text);
    }
  else
    gtk_label_set_text (self->note_status, _("Not saved"));
}

static gboolean
note_pause_over (gpointer data)
{
  AtClausePage *self = data;

  self->note_timeout = 0;
  save_note (self);
  return G_SOURCE_REMOVE;
}

static void
on_note_changed (AtClausePage *self)
{
  if (self->loading || !self->editable)
    return;
  gtk_label_set_text (self->note_status, _("Editing…"));
  g_clear_handle_id (&self->note_timeout, g_source_remove);
  self->note_timeout = g_timeout_add (NOTE_PAUSE_MS, note_pause_over, self);
}

static void
save_measurements (AtClausePage *self)
{
  GHashTableIter iter;
  gpointer key;

  g_clear_handle_id (&self->measure_timeout, g_source_remove);
  g_hash_table_iter_init (&iter, self->dirty_rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      AtIndicatorRow *row = key;
      const AtIndicator *indicator = at_indicator_row_get_indicator (row);
      g_autoptr(GArray) samples = NULL;
      gboolean has_value = FALSE;
      double value = 0;
      AtClause *clause = current_clause (self);

      /* an input that does not parse stays unsaved, and the row says why */
      if (!at_indicator_row_get_input (row, &has_value, &value, &samples))
        continue;
      g_hash_table_iter_remove (&iter);

      if (!has_value && (samples == NULL || samples->len == 0))
        {
          g_autoptr(GError) error = NULL;

          if (self->finding == NULL || at_finding_find_measurement (self->finding, indicator->id) == NULL)
            continue;
          if (!at_finding_clear_measurement (_at_clause_page_store (self), _at_clause_page_assessment (self),
                                             at_clause_get_number (clause), indicator->id,
                                             _at_clause_page_actor (self), &error))
            at_gui_toast (GTK_WIDGET (self), error->message);
          else
            {
              reload_finding (self);
              _at_clause_page_recorded (self);
            }
          continue;
        }

      {
        AtFindingInput input = {
          .verdict = current_verdict (self),
          .indicator = indicator->id,
          .has_value = has_value,
          .value = value,
          .samples = samples ? (double *) samples->data : NULL,
          .n_samples = samples ? samples->len : 0,
        };
        write_finding (self, &input);
      }
    }
}

static gboolean
measure_pause_over (gpointer data)
{
  AtClausePage *self = data;

  self->measure_timeout = 0;
  save_measurements (self);
  return G_SOURCE_REMOVE;
}

static void
on_indicator_changed (AtIndicatorRow *row,
                      AtClausePage   *self)
{
  if (self->loading || !self->editable)
    return;
  g_hash_table_add (self->dirty_rows, row);
  g_clear_handle_id (&self->measure_timeout, g_source_remove);
  self->measure_timeout = g_timeout_add (MEASURE_PAUSE_MS, measure_pause_over, self);
}

void
at_clause_page_flush (AtClausePage *self)
{
  g_return_if_fail (AT_IS_CLAUSE_PAGE (self));

  if (self->note_timeout)
    save_note (self);
  if (self->measure_timeout)
    save_measurements (self);
  _at_clause_page_commit_removals (self);
}

/* ---- showing ---------------------------------------------------------------------------------- */

static void
reload_finding (AtClausePage *self)
{
  AtClause *clause = current_clause (self);

  g_clear_object (&self->finding);
  if (clause != NULL && at_clause_get_assessable (clause))
    self->finding = at_finding_get (_at_clause_page_store (self), _at_clause_page_assessment (self),
                                    at_clause_get_number (clause), NULL);
}

static void
show_recorded (AtClausePage *self)
{
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (self->finding == NULL)
    {
      gtk_label_set_text (self->recorded_label, _("Nothing recorded on this clause yet."));
      return;
    }
  /* measured from a data file or transcripts before any verdict was given */
  if (at_finding_get_recorded_by (self->finding) == NULL)
    {
      gtk_label_set_text (self->recorded_label, _("Measured; no verdict recorded yet."));
      return;
    }
  when = at_gui_format_time (at_finding_get_recorded_at (self->finding));
  /* Translators: “Last recorded by 李明, 2026-12-02 11:27” */
  text = g_strdup_printf (_("Last recorded by %s, %s"),
                          _at_clause_page_person_name (self, at_finding_get_recorded_by (self->finding)), when);
  gtk_label_set_text (self->recorded_label, text);
}

static void
fill_methods (AtClausePage *self)
{
  const char * const *recorded = self->finding ? at_finding_get_methods (self->finding) : NULL;
  const char * const *suggested = at_clause_get_methods (current_clause (self));

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    {
      GtkWidget *check = self->method_checks[i];
      gboolean fits = suggested && g_strv_contains (suggested, method_names[i]);
      g_autofree char *tip = NULL;

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), recorded && g_strv_contains (recorded, method_names[i]));
      gtk_widget_set_sensitive (check, self->editable);
      tip = fits ? g_strdup (_("The catalog suggests this method for the clause"))
                 : g_strdup (_("Not among the catalog's methods for this clause"));
      at_gui_set_tooltip (check, tip);
      if (fits)
        gtk_widget_add_css_class (check, "suggested");
      else
        gtk_widget_remove_css_class (check, "suggested");
    }
  self->loading = FALSE;
}

static void
fill_indicators (AtClausePage *self)
{
  AtClause *clause = current_clause (self);
  GtkWidget *child;
  guint n = at_clause_get_n_indicators (clause);

  g_hash_table_remove_all (self->dirty_rows);
  g_ptr_array_set_size (self->indicator_rows, 0);
  while ((child = gtk_widget_get_first_child (self->indicators_box)))
    gtk_box_remove (GTK_BOX (self->indicators_box), child);

  gtk_widget_set_visible (self->indicators_section, n > 0);
  for (guint i = 0; i < n; i++)
    {
      const AtIndicator *indicator = at_clause_get_indicator (clause, i);
      const AtMeasurement *m = self->finding ? at_finding_find_measurement (self->finding, indicator->id) : NULL;
      GtkWidget *row = at_indicator_row_new (indicator, m, self->editable);

      g_signal_connect (row, "changed", G_CALLBACK (on_indicator_changed), self);
      g_signal_connect_swapped (row, "import-data", G_CALLBACK (_at_clause_page_import_data), self);
      g_signal_connect_swapped (row, "check-transcripts", G_CALLBACK (_at_clause_page_check_transcripts), self);
      g_ptr_array_add (self->indicator_rows, row);
      gtk_box_append (GTK_BOX (self->indicators_box), row);
    }
}

/* After a measurement from a file or transcripts: the same rows show the new input, so widgets
 * are updated rather than rebuilt under a screen reader's feet. */
void
_at_clause_page_refresh_measurements (AtClausePage *self)
{
  reload_finding (self);
  show_recorded (self);
  for (guint i = 0; i < self->indicator_rows->len; i++)
    {
      AtIndicatorRow *row = self->indicator_rows->pdata[i];
      const AtIndicator *indicator = at_indicator_row_get_indicator (row);

      g_hash_table_remove (self->dirty_rows, row);
      at_indicator_row_set_measurement (row, self->finding ? at_finding_find_measurement (self->finding, indicator->id) : NULL);
    }
  _at_clause_page_load_evidence (self);
}

static void
fill_note (AtClausePage *self)
{
  const char *note = self->finding ? at_finding_get_note (self->finding) : NULL;

  self->loading = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view), note ? note : "", -1);
  gtk_text_view_set_editable (self->note_view, self->editable);
  gtk_label_set_text (self->note_status, "");
  self->loading = FALSE;
}

static GtkWidget *
nc_row (AtClausePage    *self,
        AtNonconformity *nc)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *status = gtk_label_new (at_gui_nc_status_label (at_nonconformity_get_status (nc)));
  g_autofree char *title = g_strdup_printf ("%s · %s", at_nonconformity_get_label (nc),
                                            at_gui_grade_label (at_nonconformity_get_grade (nc)));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), at_nonconformity_get_text (nc));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_widget_add_css_class (status, "state-pill");
  gtk_widget_add_css_class (status, at_nc_status_to_string (at_nonconformity_get_status (nc)));
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "nc-id", g_strdup (at_nonconformity_get_id (nc)), g_free);
  return row;
}

static void
fill_nonconformities (AtClausePage *self)
{
  g_autoptr(GPtrArray) all = at_nonconformity_list (_at_clause_page_store (self), _at_clause_page_assessment (self), NULL);
  const char *number = at_clause_get_number (current_clause (self));
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->nc_list))))
    gtk_list_box_remove (self->nc_list, child);
  for (guint i = 0; all && i < all->len; i++)
    if (g_strcmp0 (at_nonconformity_get_clause (all->pdata[i]), number) == 0)
      {
        gtk_list_box_append (self->nc_list, nc_row (self, all->pdata[i]));
        shown++;
      }
  gtk_widget_set_visible (GTK_WIDGET (self->nc_list), shown > 0);
  gtk_widget_set_sensitive (self->raise_nc_button, self->editable);
}

static GtkWidget *
child_row (AtWorksheetItem *item)
{
  AtClause *clause = at_worksheet_item_get_clause (item);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = at_clause_dup_label (clause, at_gui_lang ());
  GtkWidget *status;

  if (at_clause_get_assessable (clause))
    {
      AtVerdict verdict = at_worksheet_item_get_verdict (item);
      status = gtk_label_new (at_gui_verdict_label (verdict));
      gtk_widget_add_css_class (status, "verdict-pill");
      gtk_widget_add_css_class (status, at_gui_verdict_css (verdict));
    }
  else
    {
      g_autofree char *progress = g_strdup_printf ("%u / %u", at_worksheet_item_get_n_assessed (item),
                                                   at_worksheet_item_get_n_assessable (item));
      status = gtk_label_new (progress);
      gtk_widget_add_css_class (status, "numeric");
      gtk_widget_add_css_class (status, "dim-label");
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "number", g_strdup (at_clause_get_number (clause)), g_free);
  return row;
}

static void
fill_children (AtClausePage *self)
{
  GListModel *children = at_worksheet_item_get_children (self->item);
  GtkWidget *child;
  g_autofree char *heading = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->children_list))))
    gtk_list_box_remove (self->children_list, child);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(AtWorksheetItem) item = g_list_model_get_item (children, i);
      gtk_list_box_append (self->children_list, child_row (item));
    }
  /* Translators: above the list of clauses under a heading, “12 / 17 assessed” */
  heading = g_strdup_printf (_("Clauses — %u / %u assessed"), at_worksheet_item_get_n_assessed (self->item),
                             at_worksheet_item_get_n_assessable (self->item));
  gtk_label_set_text (self->children_heading, heading);
  gtk_widget_set_visible (self->children_section, g_list_model_get_n_items (children) > 0);
}

/* What the assessment started from, beside this clause: the organisation's own verdict on it
 * (an application, QCS 11.3 a) or the previous assessment's verdict and nonconformities
 * (surveillance). For reference only: nothing of it is copied into this assessment. */
static void
fill_reference (AtClausePage *self,
                const char   *number)
{
  AtAssessment *a = self->worksheet ? at_worksheet_get_assessment (self->worksheet) : NULL;
  const char *based_on = a ? at_assessment_get_based_on (a) : NULL;
  g_autoptr(AtAssessment) base = NULL;
  g_autoptr(AtFinding) finding = NULL;
  g_autoptr(GPtrArray) ncs = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *heading = NULL;

  gtk_widget_set_visible (self->reference_box, FALSE);
  if (number == NULL || based_on == NULL ||
      (base = at_assessment_lookup (_at_clause_page_store (self), based_on, NULL)) == NULL)
    return;
  finding = at_finding_get (_at_clause_page_store (self), based_on, number, NULL);
  ncs = at_nonconformity_list (_at_clause_page_store (self), based_on, NULL);

  when = at_gui_format_time (at_assessment_get_created (base));
  heading = at_assessment_get_basis (a) == AT_BASIS_APPLICATION
            /* Translators: the reference card of a clause page: the application's verdict */
            ? g_strdup_printf (_("The organisation's self-assessment (%s), for reference"), when)
            /* Translators: the reference card of a clause page: the previous assessment's verdict */
            : g_strdup_printf (_("The previous assessment (%s), for reference"), when);
  gtk_label_set_text (self->reference_heading, heading);

  g_string_append (text, at_gui_verdict_label (finding ? at_finding_get_verdict (finding) : AT_VERDICT_OPEN));
  if (finding && at_finding_get_note (finding) && *at_finding_get_note (finding))
    g_string_append_printf (text, " — %s", at_finding_get_note (finding));
  for (guint i = 0; ncs && i < ncs->len; i++)
    if (g_strcmp0 (at_nonconformity_get_clause (ncs->pdata[i]), number) == 0)
      /* Translators: a nonconformity of the previous assessment: label, grade, status, text */
      g_string_append_printf (text, _("\n%s · %s · %s: %s"), at_nonconformity_get_label (ncs->pdata[i]),
                              at_gui_grade_label (at_nonconformity_get_grade (ncs->pdata[i])),
                              at_gui_nc_status_label (at_nonconformity_get_status (ncs->pdata[i])),
                              at_nonconformity_get_text (ncs->pdata[i]));
  gtk_label_set_text (self->reference_label, text->str);
  gtk_widget_set_visible (self->reference_box, TRUE);
}

static void
on_recheck_recorded (AtClausePage *self)
{
  _at_clause_page_recorded (self);
}

static void
on_recheck_agreed (AtClausePage *self)
{
  g_signal_emit (self, signals[SIGNAL_RECHECK_AGREED], 0);
}

void
at_clause_page_recheck (AtClausePage  *self,
                        AtReviewState  state)
{
  at_recheck_panel_mark (self->recheck_panel, state);
}

static void
fill (AtClausePage *self)
{
  AtClause *clause = current_clause (self);
  g_autofree char *why = NULL;
  const AtText *text, *guidance;
  AtLang lang = at_gui_lang ();
  AtLang other = lang == AT_LANG_EN ? AT_LANG_ZH_CN : AT_LANG_EN;
  gboolean assessable;

  if (clause == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "clause");

  assessable = at_clause_get_assessable (clause);
  why = locked_reason (self);
  self->editable = assessable && why == NULL;
  reload_finding (self);

  text = at_clause_get_text (clause);
  guidance = at_clause_get_guidance (clause);
  gtk_label_set_text (self->number_label, at_clause_get_number (clause));
  /* an untitled item (4.a, 7.4.2.2) reads under its parent's title */
  {
    AtClause *named = clause;

    while (named && at_text_get (at_clause_get_title (named), lang) == NULL)
      named = at_clause_get_parent (named);
    gtk_label_set_text (self->title_label, named ? at_text_get (at_clause_get_title (named), lang)
                                                 : at_clause_get_number (clause));
  }
  gtk_widget_set_visible (self->locked_box, assessable && why != NULL);
  gtk_label_set_text (self->locked_label, why ? why : "");

  gtk_widget_set_visible (self->requirement_box, text != NULL && text->zh_CN != NULL);
  gtk_label_set_text (self->text_label, at_text_get (text, lang) ? at_text_get (text, lang) : "");
  /* the other language too, when the catalog has it: reports are written in either */
  gtk_label_set_text (self->other_text_label, text && text->en && at_text_get (text, other) != at_text_get (text, lang)
                                              ? at_text_get (text, other) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->other_text_label), *gtk_label_get_text (self->other_text_label) != '\0');
  gtk_widget_set_visible (self->guidance_expander, guidance != NULL && guidance->zh_CN != NULL);
  gtk_label_set_text (self->guidance_label, at_text_get (guidance, lang) ? at_text_get (guidance, lang) : "");

  at_recheck_panel_set_clause (self->recheck_panel, assessable ? at_clause_get_number (clause) : NULL);
  /* the team member who takes the clause */
  {
    const char *assignee = assessable ? at_worksheet_item_get_assignee (self->item) : NULL;
    AtIdentity *who = self->app ? at_application_get_identity (self->app) : NULL;
    g_autofree char *text = NULL;

    if (assignee != NULL && who != NULL && g_str_equal (assignee, at_identity_get_id (who)))
      text = g_strdup (_("Assigned to you"));
    else if (assignee != NULL)
      /* Translators: a clause page's line under the title: the team member who takes the clause */
      text = g_strdup_printf (_("Assigned to %s"), _at_clause_page_person_name (self, assignee));
    gtk_label_set_text (self->assignee_label, text ? text : "");
    gtk_widget_set_visible (GTK_WIDGET (self->assignee_label), text != NULL);
  }
  fill_reference (self, assessable ? at_clause_get_number (clause) : NULL);

  gtk_widget_set_visible (self->assess_box, assessable);
  gtk_widget_set_visible (self->note_section, assessable);
  gtk_widget_set_visible (self->evidence_section, assessable);
  gtk_widget_set_visible (self->nc_section, assessable);
  gtk_widget_set_visible (self->children_section, !assessable);
  gtk_widget_set_visible (self->indicators_section, FALSE);

  if (assessable)
    {
      for (guint i = 0; i < G_N_ELEMENTS (verdict_order); i++)
        gtk_widget_set_sensitive (self->verdict_buttons[verdict_order[i]], self->editable);
      sync_verdict_buttons (self);
      show_recorded (self);
      fill_methods (self);
      fill_indicators (self);
      fill_note (self);
      _at_clause_page_load_evidence (self);
      fill_nonconformities (self);
    }
  else
    fill_children (self);
}

void
at_clause_page_set_item (AtClausePage    *self,
                         AtWorksheetItem *item)
{
  g_return_if_fail (AT_IS_CLAUSE_PAGE (self));

  if (self->item == item)
    return;
  at_clause_page_flush (self);
  g_set_object (&self->item, item);
  self->evidence_show_all = FALSE;
  fill (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
}

AtWorksheetItem *
at_clause_page_get_item (AtClausePage *self)
{
  return self->item;
}

void
at_clause_page_reload (AtClausePage *self)
{
  g_return_if_fail (AT_IS_CLAUSE_PAGE (self));

  at_clause_page_flush (self);
  fill (self);
}

void
at_clause_page_set_context (AtClausePage  *self,
                            AtApplication *app,
                            AtWorksheet   *worksheet)
{
  at_clause_page_flush (self);
  g_set_object (&self->app, app);
  g_set_object (&self->worksheet, worksheet);
  g_clear_object (&self->item);
  at_recheck_panel_set_context (self->recheck_panel, app, worksheet);
  fill (self);
}

/* A nonconformity prefilled from what fails: the indicators that miss their limits. */
static char *
failing_summary (AtClausePage *self)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < self->indicator_rows->len; i++)
    {
      AtIndicatorRow *row = self->indicator_rows->pdata[i];
      const AtIndicator *indicator = at_indicator_row_get_indicator (row);
      gboolean measured = FALSE;
      gboolean pass = at_indicator_row_get_pass (row, &measured);
      AtIndicatorResult result;
      g_autoptr(GArray) samples = NULL;
      gboolean has_value = FALSE;
      double value = 0;
      g_autofree char *got = NULL;
      g_autofree char *wanted = NULL;

      if (!measured || pass || !at_indicator_row_get_input (row, &has_value, &value, &samples))
        continue;
      at_indicator_evaluate (indicator, has_value, value, samples ? (double *) samples->data : NULL,
                             samples ? samples->len : 0, &result);
      got = at_gui_indicator_result (indicator, &result);
      wanted = at_gui_indicator_requirement (indicator);
      /* Translators: a prefilled nonconformity: “15 s answer rate: 75 % (15 of 20) …; required ≥ 85 % …” */
      g_string_append_printf (out, _("%s: %s; required %s."), at_gui_text (&indicator->label), got, wanted);
      g_string_append_c (out, '\n');
    }
  if (out->len > 0)
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
on_nc_raised (AtClausePage *self)
{
  fill_nonconformities (self);
  _at_clause_page_recorded (self);
}

void
at_clause_page_new_nonconformity (AtClausePage *self)
{
  g_autofree char *prefill = NULL;
  GtkWidget *dialog;

  g_return_if_fail (AT_IS_CLAUSE_PAGE (self));

  if (!may_change (self))
    return;
  at_clause_page_flush (self);
  prefill = failing_summary (self);
  dialog = at_nc_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                             _at_clause_page_store (self), _at_clause_page_assessment (self),
                             current_clause (self), _at_clause_page_actor (self), prefill);
  g_signal_connect_object (dialog, "raised", G_CALLBACK (on_nc_raised), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_nc_activated (AtClausePage  *self,
                 GtkListBoxRow *row)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_NC], 0, g_object_get_data (G_OBJECT (row), "nc-id"));
}

static void
on_child_activated (AtClausePage  *self,
                    GtkListBoxRow *row)
{
  g_signal_emit (self, signals[SIGNAL_SELECT_CLAUSE], 0, g_object_get_data (G_OBJECT (row), "number"));
}

static void
on_ingest_stop (AtClausePage *self)
{
  _at_clause_page_on_ingest_stop (self);
}

static void
on_evidence_activated (AtClausePage    *self,
                       GtkFlowBoxChild *child)
{
  _at_clause_page_on_evidence_activated (self, child);
}

static void
add_evidence_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_clause_page_add_evidence (AT_CLAUSE_PAGE (widget));
}

static void
new_nc_action (GtkWidget *widget, const char *name, GVariant *param)
{
  at_clause_page_new_nonconformity (AT_CLAUSE_PAGE (widget));
}

/* ---- construction ----------------------------------------------------------------------------- */

static void
build_controls (AtClausePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (verdict_order); i++)
    {
      AtVerdict verdict = verdict_order[i];
      /* the accessible name is the label alone (DESIGN.md fixes it); the key is in the tooltip */
      GtkWidget *button = gtk_toggle_button_new_with_label (at_gui_verdict_label (verdict));
      /* Translators: tooltip of a verdict button, “Conform (key 1)” */
      g_autofree char *tip = g_strdup_printf (_("%s (key %u)"), at_gui_verdict_label (verdict), i + 1);

      g_object_set_data (G_OBJECT (button), "verdict", GUINT_TO_POINTER (verdict));
      at_gui_set_tooltip (button, tip);
      gtk_widget_add_css_class (button, at_gui_verdict_css (verdict));
      g_signal_connect (button, "toggled", G_CALLBACK (on_verdict_toggled), self);
      gtk_box_append (GTK_BOX (self->verdict_box), button);
      self->verdict_buttons[verdict] = button;
    }
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (at_gui_method_label (method_names[i]));

      g_signal_connect (check, "toggled", G_CALLBACK (on_method_toggled), self);
      gtk_flow_box_append (self->methods_box, check);
      self->method_checks[i] = check;
    }
}

gboolean
at_clause_page_is_busy (AtClausePage *self)
{
  return self->ingesting != NULL;
}

static void
at_clause_page_dispose (GObject *object)
{
  AtClausePage *self = AT_CLAUSE_PAGE (object);

  if (self->worksheet != NULL)
    at_clause_page_flush (self);
  g_clear_handle_id (&self->note_timeout, g_source_remove);
  g_clear_handle_id (&self->measure_timeout, g_source_remove);
  _at_clause_page_evidence_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_CLAUSE_PAGE);
  g_clear_object (&self->finding);
  g_clear_object (&self->item);
  g_clear_object (&self->worksheet);
  g_clear_object (&self->app);
  g_clear_pointer (&self->indicator_rows, g_ptr_array_unref);
  g_clear_pointer (&self->dirty_rows, g_hash_table_unref);

  G_OBJECT_CLASS (at_clause_page_parent_class)->dispose (object);
}

static void
at_clause_page_class_init (AtClausePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_clause_page_dispose;

  signals[SIGNAL_RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SELECT_CLAUSE] = g_signal_new ("select-clause", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SHOW_NC] = g_signal_new ("show-nonconformity", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* recheck-agreed: the reviewer agreed this clause and moves on */
  signals[SIGNAL_RECHECK_AGREED] = g_signal_new ("recheck-agreed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (AT_TYPE_RECHECK_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-clause-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, number_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, assignee_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, locked_box);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, locked_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, recheck_panel);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, reference_box);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, reference_heading);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, reference_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, requirement_box);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, text_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, other_text_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, guidance_expander);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, guidance_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, assess_box);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, recorded_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, methods_box);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, indicators_section);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, indicators_box);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, note_section);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, note_view);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, note_status);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, evidence_section);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, evidence_heading);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, add_evidence_button);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, ingest_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, ingest_label);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, ingest_bar);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, evidence_box);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, evidence_empty);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, nc_section);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, raise_nc_button);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, nc_list);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, children_section);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, children_heading);
  gtk_widget_class_bind_template_child (widget_class, AtClausePage, children_list);
  gtk_widget_class_bind_template_callback (widget_class, on_nc_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_child_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_ingest_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_evidence_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_recheck_recorded);
  gtk_widget_class_bind_template_callback (widget_class, on_recheck_agreed);

  gtk_widget_class_install_action (widget_class, "clause.add-evidence", NULL, add_evidence_action);
  gtk_widget_class_install_action (widget_class, "clause.new-nonconformity", NULL, new_nc_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
at_clause_page_init (AtClausePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->indicator_rows = g_ptr_array_new ();
  self->dirty_rows = g_hash_table_new (NULL, NULL);
  build_controls (self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note_view), "changed", G_CALLBACK (on_note_changed), self);
  _at_clause_page_evidence_init (self);
}
