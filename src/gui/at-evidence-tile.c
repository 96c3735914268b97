/* at-evidence-tile.c — one piece of evidence in a clause's strip: thumbnail or icon, name, size
 *
 * Photos show as thumbnails: the store's kept preview (at-thumbnail.h, made at ingest or now),
 * cropped to the tile in a worker thread and kept in a small cache, so a clause page with dozens
 * of photos opens at once and fills in. Every other kind shows its icon.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "at-evidence-tile.h"
#include "at-gui-labels.h"

#define THUMB_WIDTH  144
#define THUMB_HEIGHT 108
#define CACHE_MAX    512

struct _AtEvidenceTile
{
  GtkWidget     parent_instance;

  AtEvidence   *evidence;
  char         *added_by_name;
  GtkWidget    *box;
  GtkOverlay   *overlay;
  GtkPicture   *picture;     /* photos, until the thumbnail turns out unreadable */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (AtEvidenceTile, at_evidence_tile, GTK_TYPE_WIDGET)

enum { SIGNAL_REMOVE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- thumbnails ---------------------------------------------------------------------------- */

/* the preview's path (content-addressed: one path is one content forever) → GdkTexture */
static GHashTable *
thumbnail_cache (void)
{
  static GHashTable *cache;

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return cache;
}

/* task data: { data_dir, sha256, NULL } */
static void
thumbnail_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GStrv where = task_data;
  GError *error = NULL;
  g_autoptr(GBytes) preview = at_thumbnail_load (where[0], where[1], &error);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) loaded = NULL;
  double scale;
  int w, h;

  if (preview == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* the kept preview (at-thumbnail.h) is small and upright already */
  stream = g_memory_input_stream_new_from_bytes (preview);
  loaded = gdk_pixbuf_new_from_stream (stream, cancellable, &error);
  if (loaded == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* fill the tile and crop the middle: every tile the same size, so the strip lines up (and
   * the picture's natural size is the tile's) */
  w = gdk_pixbuf_get_width (loaded);
  h = gdk_pixbuf_get_height (loaded);
  scale = MAX ((double) THUMB_WIDTH / w, (double) THUMB_HEIGHT / h);
  {
    g_autoptr(GdkPixbuf) scaled = gdk_pixbuf_scale_simple (loaded, MAX (THUMB_WIDTH, (int) (w * scale + 0.5)),
                                                           MAX (THUMB_HEIGHT, (int) (h * scale + 0.5)),
                                                           GDK_INTERP_BILINEAR);

    g_task_return_pointer (task,
                           gdk_pixbuf_new_subpixbuf (scaled, (gdk_pixbuf_get_width (scaled) - THUMB_WIDTH) / 2,
                                                     (gdk_pixbuf_get_height (scaled) - THUMB_HEIGHT) / 2,
                                                     THUMB_WIDTH, THUMB_HEIGHT),
                           g_object_unref);
  }
}

static GtkWidget *
kind_icon (AtEvidenceKind kind)
{
  GtkWidget *icon = gtk_image_new_from_icon_name (at_gui_evidence_kind_icon (kind));

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 48);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_set_size_request (icon, THUMB_WIDTH, THUMB_HEIGHT);
  gtk_widget_add_css_class (icon, "evidence-preview");
  return icon;
}

static void
thumbnail_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AtEvidenceTile) self = user_data;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), NULL);
  GdkTexture *texture;

  if (self->picture == NULL)
    return;
  /* not an image GdkPixbuf can read: the photo shows as the kind's icon, like any other file */
  if (pixbuf == NULL)
    {
      if (!g_cancellable_is_cancelled (self->cancellable))
        {
          gtk_overlay_set_child (self->overlay, kind_icon (AT_EVIDENCE_PHOTO));
          self->picture = NULL;
        }
      return;
    }
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  if (g_hash_table_size (thumbnail_cache ()) >= CACHE_MAX)
    g_hash_table_remove_all (thumbnail_cache ());
  {
    GStrv where = g_task_get_task_data (G_TASK (result));

    g_hash_table_insert (thumbnail_cache (), at_thumbnail_path (where[0], where[1]), texture);
  }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
load_thumbnail (AtEvidenceTile *self,
                const char     *data_dir)
{
  const char *sha256 = at_evidence_get_sha256 (self->evidence);
  g_autofree char *key = at_thumbnail_path (data_dir, sha256);
  GdkTexture *cached = key ? g_hash_table_lookup (thumbnail_cache (), key) : NULL;
  g_autoptr(GTask) task = NULL;
  char **where;

  if (cached != NULL)
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (cached));
      return;
    }
  task = g_task_new (NULL, self->cancellable, thumbnail_loaded, g_object_ref (self));
  where = g_new0 (char *, 3);
  where[0] = g_strdup (data_dir);
  where[1] = g_strdup (sha256);
  g_task_set_task_data (task, where, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, thumbnail_thread);
}

/* ---- the tile ------------------------------------------------------------------------------ */

static void
on_remove_clicked (AtEvidenceTile *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

AtEvidence *
at_evidence_tile_get_evidence (AtEvidenceTile *self)
{
  return self->evidence;
}

/* The tooltip is written when it is asked for: a strip of a hundred tiles opens without
 * formatting a hundred dates nobody hovers over. */
static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  AtEvidenceTile *self = AT_EVIDENCE_TILE (widget);
  AtEvidence *e = self->evidence;
  g_autofree char *size = g_format_size (at_evidence_get_size (e));
  g_autofree char *added = at_gui_format_time (at_evidence_get_added_at (e));
  g_autoptr(GString) tip = g_string_new (at_evidence_get_original_name (e));

  g_string_append_printf (tip, "\n%s · %s", at_gui_evidence_kind_label (at_evidence_get_kind (e)), size);
  /* Translators: a tooltip line of an evidence tile: “Added by 李明, 2026-12-02 11:27” */
  g_string_append_printf (tip, _("\nAdded by %s, %s"),
                          self->added_by_name ? self->added_by_name : at_evidence_get_added_by (e), added);
  if (at_evidence_get_captured_at (e))
    {
      g_autofree char *taken = at_gui_format_time (at_evidence_get_captured_at (e));
      /* Translators: a tooltip line of an evidence tile: when the photo was taken (from EXIF) */
      g_string_append_printf (tip, _("\nTaken %s"), taken);
    }
  if (at_evidence_get_note (e))
    g_string_append_printf (tip, "\n%s", at_evidence_get_note (e));
  g_string_append_printf (tip, "\nSHA-256 %.16s…", at_evidence_get_sha256 (e));
  gtk_tooltip_set_text (tooltip, tip->str);
  return TRUE;
}

GtkWidget *
at_evidence_tile_new (AtEvidence *evidence,
                      const char *data_dir,
                      const char *added_by_name,
                      gboolean    removable)
{
  AtEvidenceTile *self = g_object_new (AT_TYPE_EVIDENCE_TILE, NULL);
  AtEvidenceKind kind = at_evidence_get_kind (evidence);
  g_autofree char *size = g_format_size (at_evidence_get_size (evidence));
  g_autofree char *meta = g_strdup_printf ("%s · %s", at_gui_evidence_kind_label (kind), size);
  g_autofree char *a11y = NULL;
  GtkWidget *name = gtk_label_new (at_evidence_get_original_name (evidence));
  GtkWidget *info = gtk_label_new (meta);

  self->evidence = g_object_ref (evidence);
  self->added_by_name = g_strdup (added_by_name);
  self->overlay = GTK_OVERLAY (gtk_overlay_new ());

  if (kind == AT_EVIDENCE_PHOTO && data_dir != NULL)
    {
      self->picture = GTK_PICTURE (gtk_picture_new ());
      gtk_picture_set_can_shrink (self->picture, TRUE);
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), THUMB_WIDTH, THUMB_HEIGHT);
      gtk_widget_add_css_class (GTK_WIDGET (self->picture), "evidence-preview");
      gtk_overlay_set_child (self->overlay, GTK_WIDGET (self->picture));
    }
  else
    gtk_overlay_set_child (self->overlay, kind_icon (kind));

  if (removable)
    {
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      /* Translators: accessible name and tooltip of the remove button on an evidence tile */
      g_autofree char *label = g_strdup_printf (_("Remove %s"), at_evidence_get_original_name (evidence));

      gtk_widget_set_halign (remove, GTK_ALIGN_END);
      gtk_widget_set_valign (remove, GTK_ALIGN_START);
      gtk_widget_set_margin_top (remove, 4);
      gtk_widget_set_margin_end (remove, 4);
      gtk_widget_add_css_class (remove, "osd");
      gtk_widget_add_css_class (remove, "circular");
      at_gui_set_tooltip (remove, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect_swapped (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
      gtk_overlay_add_overlay (self->overlay, remove);
    }
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->overlay));

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 18);
  gtk_widget_set_size_request (name, THUMB_WIDTH, -1);
  gtk_box_append (GTK_BOX (self->box), name);
  gtk_widget_add_css_class (info, "dim-label");
  gtk_widget_add_css_class (info, "caption");
  gtk_box_append (GTK_BOX (self->box), info);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  /* Translators: the accessible name of an evidence tile, %s is the file's name */
  a11y = g_strdup_printf (_("Evidence %s"), at_evidence_get_original_name (evidence));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

  if (self->picture != NULL)
    load_thumbnail (self, data_dir);
  return GTK_WIDGET (self);
}

static void
at_evidence_tile_dispose (GObject *object)
{
  AtEvidenceTile *self = AT_EVIDENCE_TILE (object);

  g_cancellable_cancel (self->cancellable);
  self->picture = NULL;
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->evidence);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->added_by_name, g_free);

  G_OBJECT_CLASS (at_evidence_tile_parent_class)->dispose (object);
}

static void
at_evidence_tile_class_init (AtEvidenceTileClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = at_evidence_tile_dispose;

  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "evidence-tile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
at_evidence_tile_init (AtEvidenceTile *self)
{
  self->cancellable = g_cancellable_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}
