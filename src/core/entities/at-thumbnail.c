/* at-thumbnail.c — small upright previews of photo evidence, made once per file and kept
 *
 * See at-thumbnail.h. gdk-pixbuf decodes, with the loader of the format the first bytes name
 * (photo_format()); the preview is written like every other file of the store, to a
 * locked temporary, fsynced and renamed, so a preview on disk is always whole.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "at-error.h"
#include "at-util.h"
#include "at-thumbnail.h"

/* a decompression bomb is refused before it is decoded */
#define MAX_PIXELS (120 * 1000 * 1000)

static gboolean
is_sha256 (const char *s)
{
  return s != NULL && strlen (s) == 64 && strspn (s, "0123456789abcdef") == 64;
}

/**
 * at_thumbnail_path:
 *
 * Returns: (transfer full) (nullable): where the preview of @sha256 is kept, NULL if @sha256 is
 * not a SHA-256 in lowercase hex.
 */
char *
at_thumbnail_path (const char *data_dir,
                   const char *sha256)
{
  g_autofree char *name = NULL;
  char prefix[3];

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (!is_sha256 (sha256))
    return NULL;
  memcpy (prefix, sha256, 2);
  prefix[2] = '\0';
  name = g_strconcat (sha256, ".jpg", NULL);
  return g_build_filename (data_dir, "thumbnails", prefix, name, NULL);
}

/* A JPEG cut short (a disk that filled, a copy from a backup that stopped) ends without its
 * end-of-image marker; such a file is made again rather than shown half grey. */
static gboolean
looks_whole (GBytes *jpeg)
{
  gsize len;
  const guchar *p = g_bytes_get_data (jpeg, &len);

  return len >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[len - 2] == 0xff && p[len - 1] == 0xd9;
}

/* What cameras, phones and scanners write, told by the file's first bytes. A photo can come
 * from a stranger's bundle, and gdk-pixbuf would hand a file to whichever installed loader
 * claims it (SVG through librsvg, GIF, icons, XPM, TGA…) — even gdk_pixbuf_get_file_info()
 * renders an SVG whole to learn its size. So the format is chosen here and its loader named;
 * other images stay evidence without a preview. Left out after fuzzing Debian 12's loaders
 * (tests/fuzz/regressions/fuzz-thumbnail): GIF, whose loader asks for a frame 0 pixels wide,
 * and BMP, whose loader allocates whatever size a header claims (up to 4 GB from 30 bytes). */
static const char *
photo_format (const guchar *p,
              gsize         len)
{
  if (len >= 3 && memcmp (p, "\xff\xd8\xff", 3) == 0)
    return "jpeg";
  if (len >= 8 && memcmp (p, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (len >= 4 && (memcmp (p, "II*\0", 4) == 0 || memcmp (p, "MM\0*", 4) == 0))
    return "tiff";
  if (len >= 12 && memcmp (p, "RIFF", 4) == 0 && memcmp (p + 8, "WEBP", 4) == 0)
    return "webp";
  return NULL;
}

typedef struct
{
  int width;
  int height;
} Size;

/* Called once the loader knows the size, before it allocates the image: a decompression bomb
 * is stopped here (a size of 0 × 0 makes every loader give up), and the JPEG loader decodes
 * straight at 1/2, 1/4 or 1/8 scale when asked for a small size, which is most of the speed. */
static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  Size *size = user_data;

  size->width = width;
  size->height = height;
  if (width <= 0 || height <= 0 || (gint64) width * height > MAX_PIXELS)
    gdk_pixbuf_loader_set_size (loader, 0, 0);
  else if (width > AT_THUMBNAIL_SIDE || height > AT_THUMBNAIL_SIDE)
    {
      /* scaled down to fit, never up */
      double scale = MIN ((double) AT_THUMBNAIL_SIDE / width, (double) AT_THUMBNAIL_SIDE / height);

      gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)), MAX (1, (int) (height * scale + 0.5)));
    }
}

/* The photo at @source, scaled down to fit AT_THUMBNAIL_SIDE, upright, on white, as JPEG. */
static GBytes *
encode (const char  *source,
        GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) flat = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  const char *format;
  const guchar *bytes;
  gsize len = 0;
  Size size = { 0, 0 };
  int w, h;

  file = g_mapped_file_new (source, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("could not read the image “%s”: %s"), source,
                   local_error->message);
      return NULL;
    }
  bytes = (const guchar *) g_mapped_file_get_contents (file);
  len = g_mapped_file_get_length (file);
  format = photo_format (bytes, len);
  if (format == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("“%s” is not an image of a kind that is previewed; JPEG, PNG, TIFF and WebP are"), source);
      return NULL;
    }
  loader = gdk_pixbuf_loader_new_with_type (format, &local_error);
  if (loader == NULL)
    {
      /* WebP's loader is a package of its own */
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("could not read the image “%s”: %s"), source,
                   local_error->message);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &size);
  /* A file cut short decodes as far as it goes: the loader then has an image and an error.
   * The preview shows what the evidence holds, as a viewer would. */
  gdk_pixbuf_loader_write (loader, bytes, len, &local_error);
  gdk_pixbuf_loader_close (loader, local_error ? NULL : &local_error);
  if ((gint64) size.width * size.height > MAX_PIXELS)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is too large an image to preview (%d × %d)"), source,
                   size.width, size.height);
      return NULL;
    }
  loaded = gdk_pixbuf_loader_get_pixbuf (loader);
  if (loaded != NULL)
    {
      g_object_ref (loaded);
      g_clear_error (&local_error);
    }
  /* a phone's portrait photo is stored sideways with an EXIF orientation */
  if (loaded == NULL || (upright = gdk_pixbuf_apply_embedded_orientation (loaded)) == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("could not read the image “%s”: %s"), source,
                   local_error ? local_error->message : _("unknown error"));
      return NULL;
    }
  if (gdk_pixbuf_get_bits_per_sample (upright) != 8 || gdk_pixbuf_get_n_channels (upright) < 3)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is not an image this program can read"), source);
      return NULL;
    }

  /* JPEG has no transparency: a PNG's transparent parts are white, as on the printed page */
  w = gdk_pixbuf_get_width (upright);
  h = gdk_pixbuf_get_height (upright);
  flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, w, h);
  if (flat == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("out of memory"));
      return NULL;
    }
  {
    const guchar *pixels = gdk_pixbuf_read_pixels (upright);
    guchar *out = gdk_pixbuf_get_pixels (flat);
    int stride = gdk_pixbuf_get_rowstride (upright);
    int out_stride = gdk_pixbuf_get_rowstride (flat);
    int n_channels = gdk_pixbuf_get_n_channels (upright);

    for (int row = 0; row < h; row++)
      for (int col = 0; col < w; col++)
        {
          const guchar *src = pixels + (gsize) row * stride + (gsize) col * n_channels;
          guchar *dst = out + (gsize) row * out_stride + (gsize) col * 3;
          int alpha = n_channels == 4 ? src[3] : 255;

          for (int k = 0; k < 3; k++)
            dst[k] = (src[k] * alpha + 255 * (255 - alpha)) / 255;
        }
  }

  if (!gdk_pixbuf_save_to_buffer (flat, &buffer, &len, "jpeg", &local_error, "quality", "85", NULL))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not make a preview of “%s”: %s"), source,
                   local_error->message);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&buffer), len);
}

/**
 * at_thumbnail_make:
 * @source: the photo's bytes, stored or about to be stored as @sha256
 *
 * Makes the preview of @sha256 from @source and keeps it, unless a whole one is kept already.
 * Failing to keep it (a read-only or full disk) is no failure: the preview is returned all the
 * same and made again next time.
 *
 * Returns: (transfer full): the preview, or NULL with @error set when @source is not an image
 * gdk-pixbuf reads.
 */
GBytes *
at_thumbnail_make (const char  *data_dir,
                   const char  *sha256,
                   const char  *source,
                   GError     **error)
{
  g_autofree char *path = at_thumbnail_path (data_dir, sha256);
  g_autofree char *dir = NULL;
  g_autoptr(GMappedFile) kept = NULL;
  g_autoptr(GBytes) jpeg = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  if (path == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is not a SHA-256"), sha256 ? sha256 : "");
      return NULL;
    }
  kept = g_mapped_file_new (path, FALSE, NULL);
  if (kept != NULL)
    {
      jpeg = g_mapped_file_get_bytes (kept);
      if (looks_whole (jpeg))
        return g_steal_pointer (&jpeg);
      g_clear_pointer (&jpeg, g_bytes_unref);
    }

  jpeg = encode (source, error);
  if (jpeg == NULL)
    return NULL;
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) == 0)
    at_write_file_atomic (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), 0600, NULL);
  return g_steal_pointer (&jpeg);
}

/**
 * at_thumbnail_load:
 *
 * The preview of the stored evidence @sha256, made now if it was not kept yet.
 *
 * Returns: (transfer full): a JPEG, or NULL with @error set when the file is missing or not an
 * image.
 */
GBytes *
at_thumbnail_load (const char  *data_dir,
                   const char  *sha256,
                   GError     **error)
{
  g_autofree char *source = NULL;
  char prefix[3];

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (!is_sha256 (sha256))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is not a SHA-256"), sha256 ? sha256 : "");
      return NULL;
    }
  memcpy (prefix, sha256, 2);
  prefix[2] = '\0';
  source = g_build_filename (data_dir, "evidence", prefix, sha256, NULL);
  if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("the evidence file %s is missing"), source);
      return NULL;
    }
  return at_thumbnail_make (data_dir, sha256, source, error);
}

/**
 * at_thumbnail_forget:
 *
 * Deletes the kept preview of @sha256, once no assessment refers to the evidence any more.
 */
void
at_thumbnail_forget (const char *data_dir,
                     const char *sha256)
{
  g_autofree char *path = at_thumbnail_path (data_dir, sha256);
  g_autofree char *dir = NULL;

  if (path == NULL || g_unlink (path) != 0)
    return;
  dir = g_path_get_dirname (path);
  /* an emptied thumbnails/<aa> goes too; rmdir refuses one still in use */
  if (g_rmdir (dir) != 0)
    at_fsync_dir (dir, NULL);
}

static void
make_one (gpointer sha256,
          gpointer data_dir)
{
  g_autoptr(GBytes) preview = at_thumbnail_load (data_dir, sha256, NULL);
}

/**
 * at_thumbnail_make_missing:
 * @sha256s: (array zero-terminated=1): the evidence whose previews are about to be shown
 *
 * Makes the previews not kept yet (evidence from a bundle just imported, a store from before
 * previews) on every core at once, and returns when all are made or found not to be images.
 */
void
at_thumbnail_make_missing (const char         *data_dir,
                           const char * const *sha256s)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  GThreadPool *pool;

  g_return_if_fail (data_dir != NULL);

  for (guint i = 0; sha256s != NULL && sha256s[i] != NULL; i++)
    {
      g_autofree char *path = at_thumbnail_path (data_dir, sha256s[i]);

      if (path != NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
        g_ptr_array_add (missing, g_strdup (sha256s[i]));
    }
  if (missing->len < 2)
    return; /* one is made as it is shown */

  pool = g_thread_pool_new (make_one, (gpointer) data_dir, (int) MIN (g_get_num_processors (), missing->len),
                            FALSE, NULL);
  for (guint i = 0; i < missing->len; i++)
    g_thread_pool_push (pool, missing->pdata[i], NULL);
  /* wait for every queued one, then let the threads go */
  g_thread_pool_free (pool, FALSE, TRUE);
}
