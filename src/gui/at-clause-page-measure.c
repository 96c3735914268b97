/* at-clause-page-measure.c — measurements from the organisation's own data on the clause page:
 * a call-record export for a sample indicator (through the import dialog), transcripts for a
 * word-list indicator (straight to core, in a thread) */
#include "config.h"

#include <glib/gi18n.h>

#include "at-clause-page-private.h"
#include "at-gui-labels.h"
#include "at-gui-util.h"
#include "at-import-dialog.h"
#include "at-indicator-row.h"

typedef struct
{
  AtClausePage      *page;
  const AtIndicator *indicator;
} Pending;

static void
pending_free (Pending *p)
{
  g_clear_object (&p->page);
  g_free (p);
}

static void
after_measuring (AtClausePage *self,
                 JsonNode     *outcome)
{
  JsonObject *o = json_node_get_object (outcome);
  JsonObject *r = json_object_get_object_member (o, "result");
  const AtIndicator *indicator = NULL;
  AtClause *clause = at_worksheet_item_get_clause (self->item);
  g_autofree char *message = NULL;

  _at_clause_page_refresh_measurements (self);
  _at_clause_page_recorded (self);

  if (clause != NULL)
    indicator = at_clause_find_indicator (clause, json_object_get_string_member (o, "indicator"));
  if (indicator != NULL && json_object_get_member (r, "pass") != NULL &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (r, "pass")))
    {
      gboolean pass = json_object_get_boolean_member (r, "pass");
      const char *label = at_gui_text (&indicator->label);
      /* Translators: a toast, “Measured Calls answered within 15 s: meets the limit” */
      message = g_strdup_printf (_("Measured %s: %s"), *label ? label : indicator->id,
                                 pass ? _("meets the limit") : _("fails the limit"));
      at_gui_toast (GTK_WIDGET (self), message);
    }
}

static void
on_imported (AtImportDialog *dialog,
             JsonNode       *outcome,
             AtClausePage   *self)
{
  if (self->worksheet != NULL)
    after_measuring (self, outcome);
}

static void
data_chosen (GListModel *files,
             gpointer    user_data)
{
  Pending *p = user_data;
  AtClausePage *self = p->page;
  g_autoptr(GFile) file = g_list_model_get_item (files, 0);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  AtClause *clause = self->item ? at_worksheet_item_get_clause (self->item) : NULL;
  GtkWidget *dialog;

  if (path == NULL || clause == NULL || self->worksheet == NULL)
    return;
  dialog = at_import_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _at_clause_page_store (self),
                                 _at_clause_page_assessment (self), clause, p->indicator,
                                 _at_clause_page_actor (self), path);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_imported), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_at_clause_page_import_data (AtClausePage   *self,
                             AtIndicatorRow *row)
{
  static const char * const patterns[] = { "*.csv", "*.CSV", "*.xlsx", "*.XLSX", "*.txt", "*.tsv", NULL };
  Pending *p = g_new0 (Pending, 1);

  at_clause_page_flush (self);
  p->page = g_object_ref (self);
  p->indicator = at_indicator_row_get_indicator (row);
  at_gui_choose_file (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Import Data"),
                      GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), FALSE, _("Call records (CSV, XLSX)"), patterns, NULL,
                      data_chosen, p, (GDestroyNotify) pending_free);
}

static void
transcripts_checked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AtClausePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) outcome = at_measure_finish (AT_STORE (source), result, &error);

  if (self->worksheet == NULL)
    return;
  if (outcome == NULL)
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  after_measuring (self, outcome);
}

static void
transcripts_chosen (GListModel *files,
                    gpointer    user_data)
{
  Pending *p = user_data;
  AtClausePage *self = p->page;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  AtClause *clause = self->item ? at_worksheet_item_get_clause (self->item) : NULL;
  g_autofree char *message = NULL;

  if (clause == NULL || self->worksheet == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      char *path = g_file_get_path (file);
      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  if (paths->len == 0)
    return;
  g_ptr_array_add (paths, NULL);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checking %u transcript…", "Checking %u transcripts…",
                                          paths->len - 1), paths->len - 1);
  at_gui_toast (GTK_WIDGET (self), message);
  at_measure_transcripts_async (_at_clause_page_store (self), _at_clause_page_assessment (self),
                                at_clause_get_number (clause), _at_clause_page_actor (self),
                                (const char * const *) paths->pdata, p->indicator->wordlist, p->indicator->id,
                                NULL, transcripts_checked, g_object_ref (self));
}

void
_at_clause_page_check_transcripts (AtClausePage   *self,
                                   AtIndicatorRow *row)
{
  static const char * const patterns[] = { "*.txt", "*.srt", "*.vtt", "*.TXT", "*.SRT", "*.VTT", NULL };
  Pending *p = g_new0 (Pending, 1);

  at_clause_page_flush (self);
  p->page = g_object_ref (self);
  p->indicator = at_indicator_row_get_indicator (row);
  at_gui_choose_file (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Check Transcripts"),
                      GTK_FILE_CHOOSER_ACTION_OPEN, _("_Check"), TRUE, _("Transcripts (text, SRT, WebVTT)"), patterns,
                      NULL, transcripts_chosen, p, (GDestroyNotify) pending_free);
}
