/* at-evidence-tile.c — one piece of evidence in a clause's strip: thumbnail or icon, name, size
 *
 * Photos show as thumbnails, scaled in a worker thread and kept in a small cache: a clause page
 * with dozens of photos opens at once and fills in. Every other kind shows its icon.
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
  GtkWidget    *box;
  GtkStack     *preview;
  GtkPicture   *picture;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (AtEvidenceTile, at_evidence_tile, GTK_TYPE_WIDGET)

enum { SIGNAL_REMOVE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- thumbnails ---------------------------------------------------------------------------- */

/* path (content-addressed: one path is one content forever) → GdkTexture */
static GHashTable *
thumbnail_cache (void)
{
  static GHashTable *cache;

  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return cache;
}

static void
thumbnail_thread (GTask        *task,
                  gpointer      source,
                  gpointer      path,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(GdkPixbuf) loaded = gdk_pixbuf_new_from_file (path, &error);
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  double scale;
  int w, h;

  if (loaded == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* a phone's portrait photo is stored sideways with an EXIF orientation */
  upright = gdk_pixbuf_apply_embedded_orientation (loaded);
  /* fill the tile and crop the middle: every tile the same size, so the strip lines up (and
   * the picture's natural size is the tile's) */
  w = gdk_pixbuf_get_width (upright);
  h = gdk_pixbuf_get_height (upright);
  scale = MAX ((double) THUMB_WIDTH / w, (double) THUMB_HEIGHT / h);
  scaled = gdk_pixbuf_scale_simple (upright, MAX (THUMB_WIDTH, (int) (w * scale + 0.5)),
                                    MAX (THUMB_HEIGHT, (int) (h * scale + 0.5)), GDK_INTERP_BILINEAR);
  g_task_return_pointer (task,
                         gdk_pixbuf_new_subpixbuf (scaled, (gdk_pixbuf_get_width (scaled) - THUMB_WIDTH) / 2,
                                                   (gdk_pixbuf_get_height (scaled) - THUMB_HEIGHT) / 2,
                                                   THUMB_WIDTH, THUMB_HEIGHT),
                         g_object_unref);
}

static void
thumbnail_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AtEvidenceTile) self = user_data;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), NULL);
  GdkTexture *texture;

  /* not an image GdkPixbuf can read (or cancelled): the icon stays */
  if (pixbuf == NULL || self->picture == NULL)
    return;
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  if (g_hash_table_size (thumbnail_cache ()) >= CACHE_MAX)
    g_hash_table_remove_all (thumbnail_cache ());
  g_hash_table_insert (thumbnail_cache (), g_strdup (g_task_get_task_data (G_TASK (result))), texture);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child (self->preview, GTK_WIDGET (self->picture));
}

static void
load_thumbnail (AtEvidenceTile *self,
                const char     *path)
{
  GdkTexture *cached = g_hash_table_lookup (thumbnail_cache (), path);
  g_autoptr(GTask) task = NULL;

  if (cached != NULL)
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (cached));
      gtk_stack_set_visible_child (self->preview, GTK_WIDGET (self->picture));
      return;
    }
  task = g_task_new (NULL, self->cancellable, thumbnail_loaded, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (path), g_free);
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

GtkWidget *
at_evidence_tile_new (AtEvidence *evidence,
                      const char *path,
                      const char *added_by_name,
                      gboolean    removable)
{
  AtEvidenceTile *self = g_object_new (AT_TYPE_EVIDENCE_TILE, NULL);
  AtEvidenceKind kind = at_evidence_get_kind (evidence);
  g_autofree char *size = g_format_size (at_evidence_get_size (evidence));
  g_autofree char *meta = g_strdup_printf ("%s · %s", at_gui_evidence_kind_label (kind), size);
  g_autofree char *added = at_gui_format_time (at_evidence_get_added_at (evidence));
  g_autoptr(GString) tip = g_string_new (at_evidence_get_original_name (evidence));
  g_autofree char *a11y = NULL;
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (at_gui_evidence_kind_icon (kind));
  GtkWidget *name = gtk_label_new (at_evidence_get_original_name (evidence));
  GtkWidget *info = gtk_label_new (meta);

  self->evidence = g_object_ref (evidence);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 48);
  gtk_widget_add_css_class (icon, "dim-label");
  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_COVER);
  self->preview = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_child (self->preview, icon);
  gtk_stack_add_child (self->preview, GTK_WIDGET (self->picture));
  gtk_widget_set_size_request (GTK_WIDGET (self->preview), THUMB_WIDTH, THUMB_HEIGHT);
  gtk_widget_add_css_class (GTK_WIDGET (self->preview), "evidence-preview");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->preview));

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
      gtk_widget_set_tooltip_text (remove, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect_swapped (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
      gtk_overlay_add_overlay (GTK_OVERLAY (overlay), remove);
    }
  gtk_box_append (GTK_BOX (self->box), overlay);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 18);
  gtk_widget_set_size_request (name, THUMB_WIDTH, -1);
  gtk_box_append (GTK_BOX (self->box), name);
  gtk_widget_add_css_class (info, "dim-label");
  gtk_widget_add_css_class (info, "caption");
  gtk_box_append (GTK_BOX (self->box), info);

  g_string_append_printf (tip, "\n%s", meta);
  /* Translators: a tooltip line of an evidence tile: “Added by 李明, 2026-12-02 11:27” */
  g_string_append_printf (tip, _("\nAdded by %s, %s"),
                          added_by_name ? added_by_name : at_evidence_get_added_by (evidence), added);
  if (at_evidence_get_captured_at (evidence))
    {
      g_autofree char *taken = at_gui_format_time (at_evidence_get_captured_at (evidence));
      /* Translators: a tooltip line of an evidence tile: when the photo was taken (from EXIF) */
      g_string_append_printf (tip, _("\nTaken %s"), taken);
    }
  if (at_evidence_get_note (evidence))
    g_string_append_printf (tip, "\n%s", at_evidence_get_note (evidence));
  g_string_append_printf (tip, "\nSHA-256 %.16s…", at_evidence_get_sha256 (evidence));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tip->str);
  /* Translators: the accessible name of an evidence tile, %s is the file's name */
  a11y = g_strdup_printf (_("Evidence %s"), at_evidence_get_original_name (evidence));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

  if (kind == AT_EVIDENCE_PHOTO && path != NULL)
    load_thumbnail (self, path);
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
