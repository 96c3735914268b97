/* at-util.c — small helpers shared across core */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <unistd.h>

#include "at-error.h"
#include "at-temp.h"
#include "at-util.h"

G_DEFINE_QUARK (at-error-quark, at_error)

AtLang
at_lang_from_locale (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "zh"))
        return AT_LANG_ZH_CN;
      if (g_str_has_prefix (names[i], "en"))
        return AT_LANG_EN;
    }
  return AT_LANG_EN;
}

AtLang
at_lang_parse (const char  *name,
               GError     **error)
{
  if (g_strcmp0 (name, "zh_CN") == 0 || g_strcmp0 (name, "zh") == 0)
    return AT_LANG_ZH_CN;
  if (g_strcmp0 (name, "en") != 0)
    g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                 _("unknown language “%s”: use zh_CN or en"), name ? name : "");
  return AT_LANG_EN;
}

const char *
at_lang_to_string (AtLang lang)
{
  return lang == AT_LANG_ZH_CN ? "zh_CN" : "en";
}

char *
at_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

char *
at_sha256_hex (const void *data,
               gsize       len)
{
  guchar md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  GString *hex;

  if (!EVP_Digest (data, len, md, &md_len, EVP_sha256 (), NULL))
    g_error ("OpenSSL SHA-256 failed");

  hex = g_string_sized_new (md_len * 2);
  for (unsigned int i = 0; i < md_len; i++)
    g_string_append_printf (hex, "%02x", md[i]);
  return g_string_free (hex, FALSE);
}

/* An errno as a person reads it: a full disk (or quota) is something they can act on, so it is
 * said plainly, in their language; the rest as the C library says it. */
const char *
at_strerror (int errnum)
{
  if (errnum == ENOSPC || errnum == EDQUOT)
    return _("the disk is full");
  return g_strerror (errnum);
}

gboolean
at_fsync_dir (const char  *dir,
              GError     **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED,
                   _("could not sync folder %s: %s"), dir, at_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Write to a temporary name in the same folder (locked while we write it, see at-temp.h),
 * fsync, rename, fsync the folder: a crash leaves either the old file or the new one, never
 * half of either, and the next write of the same file removes what a killed one left. */
gboolean
at_write_file_atomic (const char  *path,
                      const void  *data,
                      gsize        len,
                      int          mode,
                      GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strdup_printf (".%s.tmp-", base);
  g_autofree char *tmp = NULL;
  const char *p = data;
  gsize left = len;
  int saved;
  int fd;

  at_temp_sweep (dir, prefix);
  fd = at_temp_file_new (dir, prefix, mode, &tmp, error);
  if (fd < 0)
    return FALSE;

  while (left > 0)
    {
      gssize n = write (fd, p, left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed;
      p += n;
      left -= n;
    }
  if (fsync (fd) != 0)
    goto failed;
  if (g_rename (tmp, path) != 0)
    {
      saved = errno;
      g_unlink (tmp);
      close (fd);
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not rename into %s: %s"), path, at_strerror (saved));
      return FALSE;
    }
  /* the lock goes only now: until the rename a sweeper must leave the temporary alone */
  if (close (fd) != 0)
    {
      saved = errno;
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not write %s: %s"), path, at_strerror (saved));
      return FALSE;
    }
  return at_fsync_dir (dir, error);

failed:
  saved = errno;
  g_unlink (tmp);
  close (fd);
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not write %s: %s"), path, at_strerror (saved));
  return FALSE;
}
