/* fuzz-thumbnail.c — libFuzzer target for the previews of photo evidence
 *
 * A photo's preview is made from the file itself — at ingest, and when a report or the clause
 * page finds one missing, as for every photo of a bundle just imported from someone else. The
 * input is that file: the format check, gdk-pixbuf's decoders behind it (JPEG, PNG, TIFF,
 * WebP), the EXIF orientation, the size limits, flattening onto white and the JPEG written out.
 * Either a preview comes out — a whole JPEG, opaque, upright, no side over AT_THUMBNAIL_SIDE —
 * or a sentence, and nothing is kept in the second case.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "fuzz-glib.h"
#include "at-core.h"
#include "at-thumbnail.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define SHA "5b0e4c8d2f1a3b6c7d8e9f00112233445566778899aabbccddeeff0011223344"

static char *data_dir;
static char *source;
static char *kept;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_glib_init ();
  data_dir = g_dir_make_tmp ("attest-fuzz-thumbnail-XXXXXX", NULL);
  g_assert (data_dir != NULL);
  source = g_build_filename (data_dir, "photo", NULL);
  kept = at_thumbnail_path (data_dir, SHA);
  return 0;
}

static void
check_preview (GBytes *jpeg)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  g_autoptr(GError) error = NULL;
  gsize len;
  const guchar *p = g_bytes_get_data (jpeg, &len);
  GdkPixbuf *pixbuf;

  g_assert (len >= 4 && p[0] == 0xff && p[1] == 0xd8 && p[len - 2] == 0xff && p[len - 1] == 0xd9);
  g_assert (gdk_pixbuf_loader_write (loader, p, len, &error));
  g_assert (gdk_pixbuf_loader_close (loader, &error));
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert (pixbuf != NULL);
  g_assert (!gdk_pixbuf_get_has_alpha (pixbuf));
  g_assert (gdk_pixbuf_get_width (pixbuf) > 0 && gdk_pixbuf_get_width (pixbuf) <= AT_THUMBNAIL_SIDE);
  g_assert (gdk_pixbuf_get_height (pixbuf) > 0 && gdk_pixbuf_get_height (pixbuf) <= AT_THUMBNAIL_SIDE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) preview = NULL;

  g_assert (g_file_set_contents (source, (const char *) data, size, NULL));
  preview = at_thumbnail_make (data_dir, SHA, source, &error);
  if (preview != NULL)
    {
      g_autoptr(GBytes) again = NULL;

      g_assert (error == NULL);
      check_preview (preview);
      /* kept, and the kept one is what a second call returns */
      again = at_thumbnail_make (data_dir, SHA, source, &error);
      g_assert (again != NULL && g_bytes_equal (again, preview));
    }
  else
    {
      g_assert (error != NULL && error->message[0] != '\0');
      g_assert (!g_file_test (kept, G_FILE_TEST_EXISTS));
    }
  at_thumbnail_forget (data_dir, SHA);
  g_unlink (source);
  return 0;
}
