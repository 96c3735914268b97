/* at-thumbnail.h — small upright previews of photo evidence, made once per file and kept
 *
 * Decoding a 12-megapixel photo costs tens of milliseconds; a report with a hundred of them, or
 * a clause page full of them, would pay that every time. Evidence is stored by content, so a
 * preview made once is right forever: it is kept at <data_dir>/thumbnails/<aa>/<sha256>.jpg, a
 * baseline JPEG whose longer side is AT_THUMBNAIL_SIDE pixels (never scaled up), turned upright
 * from the photo's EXIF orientation and flattened onto white. Ingest makes it; whoever finds it
 * missing (a store from before, a bundle just imported) makes it then. The previews are derived
 * data: losing them loses nothing, and they leave with the last reference to their evidence.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AT_THUMBNAIL_SIDE 320

GBytes  *at_thumbnail_load  (const char  *data_dir,
                             const char  *sha256,
                             GError     **error);
GBytes  *at_thumbnail_make  (const char  *data_dir,
                             const char  *sha256,
                             const char  *source,
                             GError     **error);
char    *at_thumbnail_path  (const char  *data_dir,
                             const char  *sha256);
void     at_thumbnail_make_missing (const char         *data_dir,
                                    const char * const *sha256s);
void     at_thumbnail_forget (const char *data_dir,
                             const char  *sha256);

G_END_DECLS
