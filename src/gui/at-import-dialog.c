/* at-import-dialog.c — an indicator's samples from a call-record export (CSV or XLSX)
 *
 * The file is read once, in a thread, and kept as an AtTable: the preview, the choices and the
 * live result all work on it, so what the dialog shows before Import is what core will record
 * (core reads the file again, from the copy it hashes, when it records the measurement). A seed
 * is drawn when the dialog opens and shown, so the sample previewed is the sample recorded.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"
#include "at-gui-util.h"
#include "at-import-dialog.h"

#define PREVIEW_ROWS 50
#define PREVIEW_COLUMNS 40

struct _AtImportDialog
{
  AdwWindow          parent_instance;

  AtStore           *store;
  char              *assessment_id;
  AtClause          *clause;
  const AtIndicator *indicator;
  char              *actor;
  char              *path;
  AtTable           *table;
  GCancellable      *cancellable;
  guint              pulse;
  gboolean           valid;

  GtkStack          *stack;
  AdwStatusPage     *error_page;
  GtkButton         *import_button;
  GtkLabel          *file_label;
  GtkColumnView     *preview;
  AdwComboRow       *column_row;
  AdwComboRow       *convert_row;
  AdwEntryRow       *filters_row;
  GtkSpinButton     *sample_spin;
  AdwEntryRow       *strata_row;
  AdwEntryRow       *seed_row;
  GtkLabel          *outcome_label;
  GtkProgressBar    *progress;
};

G_DEFINE_FINAL_TYPE (AtImportDialog, at_import_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_IMPORTED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* “a; b；c” → { "a", "b", "c" }: a Chinese input method types full-width separators */
static GStrv
split_list (const char *text,
            const char *separators)
{
  g_autoptr(GString) s = g_string_new (text);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  g_string_replace (s, "；", ";", 0);
  g_string_replace (s, "，", ",", 0);
  parts = g_strsplit_set (s->str, separators, -1);
  for (guint i = 0; parts[i]; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (b, parts[i]);
  return g_strv_builder_end (b);
}

/* The choices as core takes them; FALSE (with a sentence) when one does not parse. */
static gboolean
read_spec (AtImportDialog  *self,
           AtMeasureSpec   *spec,
           GStrv           *filters,
           GStrv           *strata,
           char           **message)
{
  g_autofree char *filter_text = at_gui_entry_text (self->filters_row);
  g_autofree char *strata_text = at_gui_entry_text (self->strata_row);
  g_autofree char *seed_text = at_gui_entry_text (self->seed_row);
  guint column = adw_combo_row_get_selected (self->column_row);

  memset (spec, 0, sizeof *spec);
  if (self->table == NULL || column >= at_table_get_n_columns (self->table))
    {
      *message = g_strdup (_("Choose the column that holds the samples."));
      return FALSE;
    }
  spec->indicator = self->indicator->id;
  spec->column = at_table_get_header (self->table, column);
  spec->convert = MIN (adw_combo_row_get_selected (self->convert_row), AT_CONVERT_HOUR);
  *filters = split_list (filter_text, ";");
  *strata = split_list (strata_text, ",");
  spec->filters = (const char * const *) *filters;
  spec->strata = (const char * const *) *strata;
  spec->sample = (guint) gtk_spin_button_get_value_as_int (self->sample_spin);
  if (*seed_text != '\0')
    {
      if (!g_ascii_string_to_unsigned (seed_text, 10, 0, AT_SAMPLE_MAX_SEED, &spec->seed, NULL))
        {
          *message = g_strdup_printf (_("The seed must be a whole number from 0 to %s."), AT_SAMPLE_MAX_SEED_TEXT);
          return FALSE;
        }
      spec->has_seed = TRUE;
    }
  if (spec->sample == 0 && **strata != NULL)
    {
      *message = g_strdup (_("Strata shape a random sample: give the sample size too."));
      return FALSE;
    }
  return TRUE;
}

/* What the choices give, computed on the table in memory as the person changes them. */
static void
update (AtImportDialog *self)
{
  g_auto(GStrv) filters = NULL;
  g_auto(GStrv) strata = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtSeries) series = NULL;
  AtMeasureSpec spec;
  AtSeriesSpec sspec;

  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), "error");
  self->valid = FALSE;
  if (read_spec (self, &spec, &filters, &strata, &message))
    {
      sspec = (AtSeriesSpec) { spec.column, spec.convert, spec.filters, spec.sample, spec.strata, spec.has_seed, spec.seed };
      series = at_series_extract (self->table, &sspec, &error);
      if (series == NULL)
        message = g_strdup (error->message);
      for (guint i = 0; series && i < series->values->len; i++)
        if (!at_indicator_check_input (self->indicator, g_array_index (series->values, double, i), TRUE, &error))
          {
            /* Translators: “row 12: sample -3 for indicator … is negative …” */
            message = g_strdup_printf (_("row %u: %s"), g_array_index (series->rows, guint, i), error->message);
            g_clear_pointer (&series, at_series_free);
            break;
          }
    }

  if (series != NULL)
    {
      AtIndicatorResult r;
      g_autofree char *result = NULL;

      at_indicator_evaluate (self->indicator, FALSE, 0, (const double *) series->values->data, series->values->len, &r);
      result = at_gui_indicator_result (self->indicator, &r);
      /* Translators: “Would record 88.2 % (88 of 100) … — meets the limit. 100 of 100000 rows.” */
      message = g_strdup_printf (_("Would record %s — %s. %u of %u rows are used."), result,
                                 r.pass ? _("meets the limit") : _("fails the limit"),
                                 series->values->len, series->rows_total);
      self->valid = TRUE;
    }
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->outcome_label), "error");
  gtk_label_set_text (self->outcome_label, message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), self->valid && self->cancellable == NULL);
}

/* ---- the preview ----------------------------------------------------------------------------- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           AtImportDialog           *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  guint row = (guint) g_ascii_strtoull (gtk_string_object_get_string (gtk_list_item_get_item (item)), NULL, 10);
  g_autofree char *text = g_strdup (at_table_get_cell (self->table, row, column));

  /* a cell with a line break (a quoted note) shows on one line */
  g_strdelimit (text, "\r\n", ' ');
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
fill_preview (AtImportDialog *self)
{
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  guint n_columns = MIN (at_table_get_n_columns (self->table), PREVIEW_COLUMNS);

  for (guint r = 0; r < MIN (at_table_get_n_rows (self->table), PREVIEW_ROWS); r++)
    {
      g_autofree char *index = g_strdup_printf ("%u", r);
      gtk_string_list_append (rows, index);
    }
  for (guint c = 0; c < n_columns; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autofree char *letter = at_table_column_letter (c);
      g_autofree char *title = g_strdup_printf ("%s · %s", letter, at_table_get_header (self->table, c));
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      column = gtk_column_view_column_new (title, factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->preview, column);
    }
  gtk_column_view_set_model (self->preview, GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)))));
}

/* The first column whose first rows are all numbers, as they stand or as times. */
static void
guess_column (AtImportDialog *self)
{
  guint n_rows = MIN (at_table_get_n_rows (self->table), PREVIEW_ROWS);

  for (guint pass = 0; pass < 2; pass++)
    for (guint c = 0; c < at_table_get_n_columns (self->table); c++)
      {
        AtConvert convert = pass == 0 ? AT_CONVERT_NONE : AT_CONVERT_CLOCK;
        guint numbers = 0;
        gboolean all = TRUE;

        for (guint r = 0; r < n_rows && all; r++)
          {
            const char *cell = at_table_get_cell (self->table, r, c);
            double v;
            if (*cell == '\0')
              continue;
            all = at_convert_apply (convert, cell, &v) && (pass == 0 || strchr (cell, ':'));
            numbers += all;
          }
        if (all && numbers > 0)
          {
            adw_combo_row_set_selected (self->column_row, c);
            adw_combo_row_set_selected (self->convert_row, convert);
            return;
          }
      }
}

static void
table_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AtImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) headers = gtk_string_list_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *what = NULL;
  AtTable *table = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_object (&self->cancellable);
  if (table == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      return;
    }
  self->table = table;

  name = g_path_get_basename (self->path);
  if (at_table_get_sheet (table) != NULL)
    /* Translators: “calls.xlsx · sheet 话单 · 100000 rows, 9 columns” */
    what = g_strdup_printf (_("%s · sheet %s · %u rows, %u columns"), name, at_table_get_sheet (table),
                            at_table_get_n_rows (table), at_table_get_n_columns (table));
  else
    /* Translators: “calls.csv · CSV in GB18030 · 100000 rows, 9 columns” */
    what = g_strdup_printf (_("%s · CSV in %s · %u rows, %u columns"), name, at_table_get_encoding (table),
                            at_table_get_n_rows (table), at_table_get_n_columns (table));
  gtk_label_set_text (self->file_label, what);

  for (guint c = 0; c < at_table_get_n_columns (table); c++)
    {
      g_autofree char *letter = at_table_column_letter (c);
      g_autofree char *item = g_strdup_printf ("%s · %s", letter, at_table_get_header (table, c));
      gtk_string_list_append (headers, item);
    }
  adw_combo_row_set_model (self->column_row, G_LIST_MODEL (headers));
  fill_preview (self);
  guess_column (self);
  gtk_stack_set_visible_child_name (self->stack, "table");
  update (self);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  AtTable *table = at_table_read_file (task_data, NULL, &error);

  if (table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, table, g_object_unref);
}

/* ---- importing ------------------------------------------------------------------------------- */

static gboolean
pulse (gpointer data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (data));
  return G_SOURCE_CONTINUE;
}

static void
set_busy (AtImportDialog *self,
          gboolean        busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress), busy);
  g_clear_handle_id (&self->pulse, g_source_remove);
  if (busy)
    self->pulse = g_timeout_add (100, pulse, self->progress);
  gtk_widget_set_sensitive (GTK_WIDGET (self->column_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->convert_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->filters_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sample_spin), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->strata_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seed_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), !busy && self->valid);
}

static void
measured (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AtImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) outcome = at_measure_finish (AT_STORE (source), result, &error);

  g_clear_object (&self->cancellable);
  if (outcome == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      gtk_label_set_text (self->outcome_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->outcome_label), "error");
      return;
    }
  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, outcome);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_import (AtImportDialog *self)
{
  g_auto(GStrv) filters = NULL;
  g_auto(GStrv) strata = NULL;
  g_autofree char *message = NULL;
  AtMeasureSpec spec;

  if (!self->valid || self->cancellable != NULL || !read_spec (self, &spec, &filters, &strata, &message))
    return;
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  gtk_label_set_text (self->outcome_label, _("Storing the file as evidence and recording the measurement…"));
  at_measure_table_async (self->store, self->assessment_id, at_clause_get_number (self->clause), self->actor,
                          self->path, &spec, self->cancellable, measured, g_object_ref (self));
}

static void
on_cancel (AtImportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
on_close_request (GtkWindow *window)
{
  AtImportDialog *self = AT_IMPORT_DIALOG (window);

  /* reading or recording stops: core leaves nothing half-written */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

GtkWidget *
at_import_dialog_new (GtkWindow         *parent,
                      AtStore           *store,
                      const char        *assessment_id,
                      AtClause          *clause,
                      const AtIndicator *indicator,
                      const char        *actor,
                      const char        *path)
{
  AtImportDialog *self = g_object_new (AT_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GTask) task = NULL;
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, at_random_seed () % 1000000);
  g_autofree char *title = NULL;
  const char *label = at_gui_text (&indicator->label);

  self->store = g_object_ref (store);
  self->assessment_id = g_strdup (assessment_id);
  self->clause = g_object_ref (clause);
  self->indicator = indicator;
  self->actor = g_strdup (actor);
  self->path = g_strdup (path);
  /* Translators: the dialog's title, “Import Data: Calls answered by an agent within 15 s” */
  title = g_strdup_printf (_("Import Data: %s"), *label ? label : indicator->id);
  gtk_window_set_title (GTK_WINDOW (self), title);
  /* drawn now and shown, so the sample previewed is the one recorded */
  gtk_editable_set_text (GTK_EDITABLE (self->seed_row), seed);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, table_read, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, read_thread);
  return GTK_WIDGET (self);
}

static void
at_import_dialog_dispose (GObject *object)
{
  AtImportDialog *self = AT_IMPORT_DIALOG (object);

  g_clear_handle_id (&self->pulse, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->clause);
  g_clear_object (&self->table);
  g_clear_pointer (&self->assessment_id, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->path, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), AT_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (at_import_dialog_parent_class)->dispose (object);
}

static void
import_action (GtkWidget *widget, const char *name, GVariant *param)
{
  on_import (AT_IMPORT_DIALOG (widget));
}

static void
at_import_dialog_class_init (AtImportDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_import_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = on_close_request;

  signals[SIGNAL_IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/attestbench/Attest/at-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, column_row);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, convert_row);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, filters_row);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, sample_spin);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, strata_row);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, seed_row);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, AtImportDialog, progress);
  gtk_widget_class_bind_template_callback (widget_class, on_import);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);

  gtk_widget_class_install_action (widget_class, "import.run", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "import.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
at_import_dialog_init (AtImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->column_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->convert_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->filters_row, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->sample_spin, "value-changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->strata_row, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->seed_row, "changed", G_CALLBACK (update), self);
}
