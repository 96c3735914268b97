/* at-clause-page-evidence.c — the clause page's evidence strip: add (chooser, drop, paste),
 * open, remove with undo
 *
 * Files are queued and added one at a time off the main thread (core hashes and copies them in
 * a worker, then writes the rows back here), each with the clause that was shown when it was
 * queued: moving on to the next clause while a large video is still copying is fine.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "at-clause-page-private.h"
#include "at-evidence-tile.h"
#include "at-gui-labels.h"

#define STRIP_FIRST 24

typedef struct
{
  GFile *file;
  char  *assessment_id;
  char  *clause;
  char  *actor;
  char  *temp_dir;      /* a pasted image written for the occasion into this folder, locked
                         * while we live (at-temp.h); removed once added */
  int    temp_lock;
} Ingest;

#define PASTE_PREFIX "attest-paste-"

static void
ingest_free (Ingest *in)
{
  /* the pasted image and the folder made for it */
  if (in->temp_dir != NULL)
    at_temp_dir_remove (in->temp_dir, in->temp_lock);
  g_free (in->temp_dir);
  g_clear_object (&in->file);
  g_free (in->assessment_id);
  g_free (in->clause);
  g_free (in->actor);
  g_free (in);
}

typedef struct
{
  AtEvidence *evidence;
  char       *assessment_id;
  char       *actor;
} Removal;

static void
removal_free (Removal *r)
{
  g_clear_object (&r->evidence);
  g_free (r->assessment_id);
  g_free (r->actor);
  g_free (r);
}

/* ---- the strip ------------------------------------------------------------------------------- */

static gboolean
pending_removal (AtClausePage *self,
                 const char   *sha256)
{
  for (guint i = 0; i < self->pending_removals->len; i++)
    if (g_str_equal (at_evidence_get_sha256 (((Removal *) self->pending_removals->pdata[i])->evidence), sha256))
      return TRUE;
  return FALSE;
}

static void on_tile_remove (AtEvidenceTile *tile, AtClausePage *self);

void
_at_clause_page_load_evidence (AtClausePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *heading = NULL;
  AtClause *clause = self->item ? at_worksheet_item_get_clause (self->item) : NULL;
  guint shown = 0, hidden = 0;

  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->evidence_box))))
      gtk_flow_box_remove (self->evidence_box, child);
  }
  gtk_widget_set_sensitive (self->add_evidence_button, self->editable);
  if (clause == NULL)
    return;

  list = at_evidence_list_for_clause (_at_clause_page_store (self), _at_clause_page_assessment (self),
                                      at_clause_get_number (clause), &error);
  if (list == NULL)
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      AtEvidence *e = list->pdata[i];
      GtkWidget *tile;

      if (pending_removal (self, at_evidence_get_sha256 (e)))
        continue;
      /* a clause with hundreds of photos opens on the first ones; the rest on request */
      if (shown >= STRIP_FIRST && !self->evidence_show_all)
        {
          hidden++;
          continue;
        }
      tile = at_evidence_tile_new (e, at_store_get_data_dir (_at_clause_page_store (self)), _at_clause_page_person_name (self, at_evidence_get_added_by (e)),
                                   self->editable);
      g_signal_connect (tile, "remove", G_CALLBACK (on_tile_remove), self);
      gtk_flow_box_append (self->evidence_box, tile);
      shown++;
    }
  /* Translators: the evidence section's heading with its count, “Evidence (3)” */
  heading = shown ? g_strdup_printf (_("Evidence (%u)"), shown + hidden) : g_strdup (_("Evidence"));
  gtk_widget_set_visible (self->evidence_more, hidden > 0);
  if (hidden > 0)
    {
      /* Translators: below the first evidence tiles of a clause that has many */
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show %u More File", "Show %u More Files", hidden), hidden);
      gtk_button_set_label (GTK_BUTTON (self->evidence_more), more);
    }
  gtk_label_set_text (self->evidence_heading, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->evidence_box), shown > 0);
  gtk_widget_set_visible (self->evidence_empty, shown == 0);
}

static void
on_show_more (AtClausePage *self)
{
  self->evidence_show_all = TRUE;
  _at_clause_page_load_evidence (self);
}

/* ---- adding ---------------------------------------------------------------------------------- */

static void start_next_ingest (AtClausePage *self);

/* core calls this from its worker thread: only an atomic store here, the main loop polls */
static void
ingest_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  AtClausePage *self = user_data;

  g_atomic_int_set (&self->ingest_permille, total ? (gint) (done * 1000 / total) : 0);
}

static gboolean
poll_progress (gpointer data)
{
  AtClausePage *self = data;

  gtk_progress_bar_set_fraction (self->ingest_bar, g_atomic_int_get (&self->ingest_permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
ingest_finished (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AtClausePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = at_evidence_add_finish (AT_STORE (source), result, &error);
  Ingest *in = g_object_steal_data (G_OBJECT (self), "ingest");

  g_clear_object (&self->ingesting);
  self->ingest_done++;
  if (sha == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *name = g_file_get_basename (in->file);
      /* Translators: an evidence file could not be added: “photo.jpg: …” */
      g_autofree char *message = g_strdup_printf (_("%s was not added: %s"), name, error->message);
      at_gui_toast (GTK_WIDGET (self), message);
    }
  if (in != NULL)
    ingest_free (in);
  if (self->worksheet != NULL)
    {
      _at_clause_page_load_evidence (self);
      _at_clause_page_recorded (self);
      start_next_ingest (self);
    }
}

static void
start_next_ingest (AtClausePage *self)
{
  Ingest *in = g_queue_pop_head (self->ingest_queue);
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  const char *clauses[2] = { NULL, NULL };

  if (in == NULL)
    {
      g_clear_handle_id (&self->ingest_poll, g_source_remove);
      g_clear_object (&self->ingest_cancellable);
      gtk_revealer_set_reveal_child (self->ingest_revealer, FALSE);
      self->ingest_done = self->ingest_total = 0;
      return;
    }

  path = g_file_get_path (in->file);
  name = g_file_get_basename (in->file);
  if (path == NULL)
    {
      /* Translators: %s is a file's name; only files on this computer can be evidence */
      g_autofree char *message = g_strdup_printf (_("%s is not a local file and was not added"), name);
      at_gui_toast (GTK_WIDGET (self), message);
      ingest_free (in);
      self->ingest_done++;
      start_next_ingest (self);
      return;
    }

  /* Translators: progress of adding evidence, “Adding hall.jpg (2 of 3)…” */
  label = g_strdup_printf (_("Adding %s (%u of %u)…"), name, self->ingest_done + 1, self->ingest_total);
  gtk_label_set_text (self->ingest_label, label);
  gtk_progress_bar_set_fraction (self->ingest_bar, 0);
  gtk_revealer_set_reveal_child (self->ingest_revealer, TRUE);
  g_atomic_int_set (&self->ingest_permille, 0);
  if (self->ingest_poll == 0)
    self->ingest_poll = g_timeout_add (100, poll_progress, self);
  if (self->ingest_cancellable == NULL)
    self->ingest_cancellable = g_cancellable_new ();

  self->ingesting = g_object_ref (in->file);
  g_object_set_data (G_OBJECT (self), "ingest", in);
  clauses[0] = in->clause;
  at_evidence_add_async (_at_clause_page_store (self), in->assessment_id, path, in->actor, clauses,
                         NULL, NULL, ingest_progress, self, self->ingest_cancellable,
                         ingest_finished, g_object_ref (self));
}

static void
queue_file (AtClausePage *self,
            GFile        *file,
            char         *temp_dir,
            int           temp_lock)
{
  Ingest *in = g_new0 (Ingest, 1);

  in->file = g_object_ref (file);
  in->assessment_id = g_strdup (_at_clause_page_assessment (self));
  in->clause = g_strdup (at_clause_get_number (at_worksheet_item_get_clause (self->item)));
  in->actor = g_strdup (_at_clause_page_actor (self));
  in->temp_dir = temp_dir;
  in->temp_lock = temp_lock;
  g_queue_push_tail (self->ingest_queue, in);
  self->ingest_total++;
  if (self->ingesting == NULL)
    start_next_ingest (self);
}

static gboolean
can_add (AtClausePage *self)
{
  if (self->item == NULL || !at_clause_get_assessable (at_worksheet_item_get_clause (self->item)))
    return FALSE;
  if (!self->editable)
    {
      at_gui_toast (GTK_WIDGET (self), _("Evidence cannot be added to this assessment now."));
      return FALSE;
    }
  return TRUE;
}

static void
queue_list (AtClausePage *self,
            GSList       *files)
{
  for (GSList *l = files; l; l = l->next)
    queue_file (self, l->data, NULL, -1);
}

static void
on_files_chosen (GListModel *files,
                 gpointer    user_data)
{
  AtClausePage *self = user_data;

  if (self->worksheet == NULL || !can_add (self))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      queue_file (self, file, NULL, -1);
    }
}

void
at_clause_page_add_evidence (AtClausePage *self)
{
  g_return_if_fail (AT_IS_CLAUSE_PAGE (self));
  if (!can_add (self))
    return;
  at_gui_choose_file (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Add Evidence"),
                      GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), TRUE, NULL, NULL, NULL,
                      on_files_chosen, g_object_ref (self), g_object_unref);
}

void
_at_clause_page_on_ingest_stop (AtClausePage *self)
{
  Ingest *in;

  while ((in = g_queue_pop_head (self->ingest_queue)))
    ingest_free (in);
  g_cancellable_cancel (self->ingest_cancellable);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         AtClausePage  *self)
{
  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || !can_add (self))
    return FALSE;
  queue_list (self, g_value_get_boxed (value));
  return TRUE;
}

static void
pasted_files (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AtClausePage) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);

  if (value == NULL)
    at_gui_toast (GTK_WIDGET (self), error->message);
  else if (self->worksheet && can_add (self))
    queue_list (self, g_value_get_boxed (value));
}

static void
pasted_texture (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AtClausePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  int lock = -1;

  if (texture == NULL)
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  if (self->worksheet == NULL || !can_add (self))
    return;
  /* what a killed window left of its pastes goes first */
  at_temp_sweep (g_get_tmp_dir (), PASTE_PREFIX);
  dir = at_temp_dir_new (g_get_tmp_dir (), PASTE_PREFIX, &lock, &error);
  if (dir == NULL)
    {
      at_gui_toast (GTK_WIDGET (self), error->message);
      return;
    }
  /* Translators: the file name of an image pasted as evidence (keep it a file name) */
  name = g_strdup_printf (_("pasted-image-%s.png"), stamp);
  path = g_build_filename (dir, name, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    {
      at_gui_toast (GTK_WIDGET (self), _("The pasted image could not be saved"));
      at_temp_dir_remove (dir, lock);
      return;
    }
  file = g_file_new_for_path (path);
  queue_file (self, file, g_steal_pointer (&dir), lock);
}

void
at_clause_page_paste_evidence (AtClausePage *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  g_return_if_fail (AT_IS_CLAUSE_PAGE (self));
  if (!can_add (self))
    return;
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                    pasted_files, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    gdk_clipboard_read_texture_async (clipboard, NULL, pasted_texture, g_object_ref (self));
  else
    at_gui_toast (GTK_WIDGET (self), _("The clipboard holds no file or image to add as evidence"));
}

/* ---- opening --------------------------------------------------------------------------------- */

/* The stored file is named by its hash: it opens as a copy under its real name (at-gui-util.c). */
void
_at_clause_page_on_evidence_activated (AtClausePage    *self,
                                       GtkFlowBoxChild *child)
{
  AtEvidence *e = at_evidence_tile_get_evidence (AT_EVIDENCE_TILE (gtk_flow_box_child_get_child (child)));
  g_autofree char *path = at_evidence_get_path (_at_clause_page_store (self), at_evidence_get_sha256 (e));

  at_gui_open_stored_file (GTK_WIDGET (self), path, at_evidence_get_original_name (e));
}

/* ---- removing, with undo ----------------------------------------------------------------------- */

static void
commit_removal (AtClausePage *self,
                Removal      *r)
{
  g_autoptr(GError) error = NULL;

  if (!at_evidence_remove (_at_clause_page_store (self), r->assessment_id, at_evidence_get_sha256 (r->evidence),
                           r->actor, &error))
    at_gui_toast (GTK_WIDGET (self), error->message);
  g_ptr_array_remove (self->pending_removals, r);
}

void
_at_clause_page_commit_removals (AtClausePage *self)
{
  gboolean any = self->pending_removals->len > 0;

  while (self->pending_removals->len > 0)
    commit_removal (self, self->pending_removals->pdata[0]);
  if (any && self->worksheet)
    _at_clause_page_recorded (self);
}

static void
on_toast_dismissed (AdwToast     *toast,
                    AtClausePage *self)
{
  Removal *r = g_object_get_data (G_OBJECT (toast), "removal");

  if (r != NULL && g_ptr_array_find (self->pending_removals, r, NULL))
    {
      commit_removal (self, r);
      _at_clause_page_load_evidence (self);
      _at_clause_page_recorded (self);
    }
}

static void
on_toast_undo (AdwToast     *toast,
               AtClausePage *self)
{
  Removal *r = g_object_get_data (G_OBJECT (toast), "removal");

  g_object_set_data (G_OBJECT (toast), "removal", NULL);
  if (r != NULL && g_ptr_array_find (self->pending_removals, r, NULL))
    {
      g_ptr_array_remove (self->pending_removals, r);
      _at_clause_page_load_evidence (self);
    }
}

static void
on_tile_remove (AtEvidenceTile *tile,
                AtClausePage   *self)
{
  AtEvidence *e = at_evidence_tile_get_evidence (tile);
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  Removal *r = g_new0 (Removal, 1);
  g_autofree char *title = NULL;
  AdwToast *toast;

  r->evidence = g_object_ref (e);
  r->assessment_id = g_strdup (_at_clause_page_assessment (self));
  r->actor = g_strdup (_at_clause_page_actor (self));
  g_ptr_array_add (self->pending_removals, r);
  _at_clause_page_load_evidence (self);

  {
    g_autofree char *escaped = g_markup_escape_text (at_evidence_get_original_name (e), -1);
    /* Translators: a toast after removing evidence; the file leaves the whole assessment */
    title = g_strdup_printf (_("%s removed from the assessment"), escaped);
  }
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 8);
  g_object_set_data (G_OBJECT (toast), "removal", r);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_toast_undo), self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    {
      commit_removal (self, r);
      g_object_unref (toast);
    }
}

/* ---- set-up ------------------------------------------------------------------------------------ */

void
_at_clause_page_evidence_init (AtClausePage *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  self->ingest_queue = g_queue_new ();
  self->evidence_more = gtk_button_new ();
  gtk_widget_set_halign (self->evidence_more, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->evidence_more, "pill");
  gtk_widget_set_visible (self->evidence_more, FALSE);
  g_signal_connect_swapped (self->evidence_more, "clicked", G_CALLBACK (on_show_more), self);
  gtk_box_insert_child_after (GTK_BOX (self->evidence_section), self->evidence_more, GTK_WIDGET (self->evidence_box));
  self->pending_removals = g_ptr_array_new_with_free_func ((GDestroyNotify) removal_free);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->evidence_section), GTK_EVENT_CONTROLLER (drop));
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (drop));
}

void
_at_clause_page_evidence_dispose (AtClausePage *self)
{
  if (self->ingest_queue != NULL)
    {
      _at_clause_page_on_ingest_stop (self);
      g_queue_free (self->ingest_queue);
      self->ingest_queue = NULL;
    }
  g_clear_handle_id (&self->ingest_poll, g_source_remove);
  g_clear_object (&self->ingest_cancellable);
  g_clear_pointer (&self->pending_removals, g_ptr_array_unref);
}
