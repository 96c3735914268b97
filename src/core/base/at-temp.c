/* at-temp.c — temporary files and folders locked by the process that writes them
 *
 * The creator makes the file (or the folder and its ".lock" file), then takes an exclusive
 * flock on it. Between the two a sweeper may find it unlocked and remove it; so the creator,
 * once it holds the lock, checks that the name still leads to the file it locked, and starts
 * again if not. A sweeper removes only while it holds the lock itself, so whichever of the two
 * gets the lock first wins cleanly.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "at-error.h"
#include "at-temp.h"
#include "at-util.h"

#define LOCK_NAME ".lock"
#define ATTEMPTS  8

/* fd is locked and the name still leads to it (not removed or replaced meanwhile) */
static gboolean
still_there (int         fd,
             const char *path)
{
  struct stat by_fd, by_name;

  return fstat (fd, &by_fd) == 0 && lstat (path, &by_name) == 0 &&
         by_fd.st_dev == by_name.st_dev && by_fd.st_ino == by_name.st_ino;
}

static int
lock_blocking (int fd)
{
  int rc;

  while ((rc = flock (fd, LOCK_EX)) != 0 && errno == EINTR)
    ;
  return rc;
}

/**
 * at_temp_file_new:
 * @prefix: the start of the name; six random characters follow
 * @path_out: (out): where the file is
 *
 * Creates a file in @dir for writing, locked for as long as the returned descriptor is open
 * (close it only once the file is renamed into place or removed).
 *
 * Returns: the descriptor (O_WRONLY), or -1 with @error set
 */
int
at_temp_file_new (const char  *dir,
                  const char  *prefix,
                  int          mode,
                  char       **path_out,
                  GError     **error)
{
  int saved = EAGAIN;

  for (guint attempt = 0; attempt < ATTEMPTS; attempt++)
    {
      g_autofree char *tmpl = g_strdup_printf ("%s/%sXXXXXX", dir, prefix);
      /* read and write: an ingest hashes what it copied from the copy itself */
      int fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, mode);

      if (fd < 0)
        {
          saved = errno;
          break;
        }
      if (lock_blocking (fd) == 0 && still_there (fd, tmpl))
        {
          *path_out = g_steal_pointer (&tmpl);
          return fd;
        }
      saved = errno;
      close (fd);
    }
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not create a file in %s: %s"), dir, at_strerror (saved));
  return -1;
}

/**
 * at_temp_dir_new:
 * @lock_fd_out: (out): holds the folder's lock; give it to at_temp_dir_remove()
 *
 * Creates a private folder (0700) in @parent, locked through the ".lock" file in it for as long
 * as *@lock_fd_out is open.
 *
 * Returns: (transfer full): the folder's path, or NULL with @error set
 */
char *
at_temp_dir_new (const char  *parent,
                 const char  *prefix,
                 int         *lock_fd_out,
                 GError     **error)
{
  int saved = EAGAIN;

  for (guint attempt = 0; attempt < ATTEMPTS; attempt++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%sXXXXXX", parent, prefix);
      g_autofree char *lock = NULL;
      int fd;

      if (g_mkdtemp_full (path, 0700) == NULL)
        {
          saved = errno;
          break;
        }
      lock = g_build_filename (path, LOCK_NAME, NULL);
      fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0)
        {
          saved = errno;
          /* a sweeper took the empty folder away before we could lock it: try another name */
          if (saved == ENOENT)
            continue;
          g_rmdir (path);
          break;
        }
      if (lock_blocking (fd) == 0 && still_there (fd, lock))
        {
          *lock_fd_out = fd;
          return g_steal_pointer (&path);
        }
      saved = errno;
      close (fd);
    }
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not create a temporary folder in %s: %s"),
               parent, at_strerror (saved));
  return NULL;
}

/* The folder and what is in it (temporary areas hold files and plain folders; links are
 * removed, never followed). */
static void
remove_tree (const char *path,
             gboolean    top)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      struct stat st;

      /* the lock file goes last, with the folder (a sub-folder's ".lock" is nothing special) */
      if (top && g_str_equal (name, LOCK_NAME))
        continue;
      if (lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
        {
          remove_tree (child, FALSE);
          g_rmdir (child);
        }
      else
        g_unlink (child);
    }
}

static void
remove_locked_dir (const char *path)
{
  g_autofree char *lock = g_build_filename (path, LOCK_NAME, NULL);

  remove_tree (path, TRUE);
  g_unlink (lock);
  g_rmdir (path);
}

/**
 * at_temp_dir_remove:
 *
 * Removes a folder made by at_temp_dir_new() with everything in it, then drops its lock.
 */
void
at_temp_dir_remove (const char *path,
                    int         lock_fd)
{
  remove_locked_dir (path);
  if (lock_fd >= 0)
    close (lock_fd);
}

/* Takes the lock of a temporary nobody holds; -1 when it is held (or gone). */
static int
try_lock (const char *path,
          gboolean    is_dir)
{
  g_autofree char *lock = is_dir ? g_build_filename (path, LOCK_NAME, NULL) : g_strdup (path);
  /* a folder whose creator died before making its lock file gets one now */
  int fd = open (lock, (is_dir ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);

  if (fd < 0)
    return -1;
  if (flock (fd, LOCK_EX | LOCK_NB) != 0 || !still_there (fd, lock))
    {
      close (fd);
      return -1;
    }
  return fd;
}

/**
 * at_temp_sweep:
 *
 * Removes every file and folder in @dir whose name starts with @prefix and whose lock no live
 * process holds: what killed processes left. Those of live processes, in this one or another,
 * are left alone.
 *
 * Returns: how many were removed
 */
guint
at_temp_sweep (const char *dir,
               const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint removed = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat st;
      int fd;

      if (!g_str_has_prefix (name, prefix))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (lstat (path, &st) != 0 || !(S_ISDIR (st.st_mode) || S_ISREG (st.st_mode)))
        continue;
      fd = try_lock (path, S_ISDIR (st.st_mode));
      if (fd < 0)
        continue;
      /* removed while locked: a creator that locks it after us finds it gone and starts again */
      if (S_ISDIR (st.st_mode))
        remove_locked_dir (path);
      else
        g_unlink (path);
      close (fd);
      removed++;
    }
  return removed;
}
