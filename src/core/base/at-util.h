/* at-util.h — small helpers shared across core */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum { AT_LANG_ZH_CN, AT_LANG_EN } AtLang;

/* Progress of long work (ingest, report, bundle): bytes or items done out of total. Called
 * from the worker thread; GUI callers hop to the main loop themselves. */
typedef void (*AtProgressFunc) (guint64  done,
                                guint64  total,
                                gpointer user_data);

AtLang      at_lang_from_locale     (void);
AtLang      at_lang_parse           (const char  *name,
                                     GError     **error);
const char *at_lang_to_string       (AtLang       lang);

char       *at_now_iso8601          (void);
char       *at_sha256_hex           (const void  *data,
                                     gsize        len);
gboolean    at_write_file_atomic    (const char  *path,
                                     const void  *data,
                                     gsize        len,
                                     int          mode,
                                     GError     **error);
gboolean    at_fsync_dir            (const char  *dir,
                                     GError     **error);
const char *at_strerror             (int          errnum);

G_END_DECLS
