/* at-evidence-copy.c — a file copied into the store and hashed as it lands there
 *
 * The bytes are moved by the kernel where it can: a reflink (FICLONE) on file systems that
 * share blocks (btrfs, XFS), or copy_file_range, which copies inside the kernel without passing
 * through our memory. The SHA-256 is computed from the copy — read back from the new file's
 * pages while the kernel is still copying the rest in a second thread — so the stored file is
 * exactly what was hashed, whatever happens to the original meanwhile.
 * An original that changed during the copy (its size or times moved) is refused rather than
 * kept as a mixture. Where the kernel cannot copy (another file system type on an older
 * kernel), one pass reads, hashes and writes.
 */
#define _GNU_SOURCE   /* copy_file_range, sync_file_range */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "at-error.h"
#include "at-evidence-copy-private.h"

#define SLICE           (1024 * 1024)        /* what the one-pass copy moves at a time */
#define READ_CHUNK      (128 * 1024)         /* what hashing the copy reads at a time */
#define COPY_STEP       (8 * 1024 * 1024)    /* one copy_file_range call */
#define WRITEBACK_EVERY (16 * 1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

static gboolean G_GNUC_PRINTF (4, 5)
set_io_error (GError     **error,
              AtError      code,
              int          saved_errno,
              const char  *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, AT_ERROR, code, "%s: %s", what,
               saved_errno == ENOSPC ? _("the disk is full") : g_strerror (saved_errno));
  return FALSE;
}

static gboolean
is_store_errno (int e)
{
  return e == ENOSPC || e == EDQUOT || e == EFBIG || e == EROFS;
}

typedef struct
{
  EVP_MD_CTX      *md;
  AtCopyChunkFunc  chunk_func;
  gpointer         chunk_data;
  AtProgressFunc   progress;
  gpointer         progress_data;
  guint64          total;
  guint64          hashed;
  guint64          reported;
} Hash;

/* Progress goes out once per MiB (and at the end), whatever the pieces hashed. */
static void
report (Hash     *h,
        gboolean  end)
{
  if (h->progress && h->hashed > h->reported && (end || h->hashed - h->reported >= SLICE))
    {
      h->reported = h->hashed - (end ? 0 : h->hashed % SLICE);
      h->progress (h->reported, MAX (h->total, h->reported), h->progress_data);
    }
}

static void
hash_slice (Hash         *h,
            const guchar *data,
            gsize         len)
{
  EVP_DigestUpdate (h->md, data, len);
  if (h->chunk_func)
    h->chunk_func (data, len, h->chunk_data);
  h->hashed += len;
  report (h, FALSE);
}

/* ---- the kernel copies, we hash the copy ------------------------------------------------------ */

typedef struct
{
  int      in_fd;
  int      out_fd;
  GMutex   lock;
  GCond    cond;
  guint64  copied;       /* bytes in out_fd, ready to hash */
  gboolean done;
  int      failed_errno; /* the copy stopped on this */
  gboolean unsupported;  /* the kernel cannot copy these two: nothing was copied */
  gint     stop;         /* the hasher gave up */
} Copier;

static gpointer
copier_thread (gpointer data)
{
  Copier *c = data;
  guint64 copied = 0, writeback_from = 0;

  while (!g_atomic_int_get (&c->stop))
    {
      gssize n = copy_file_range (c->in_fd, NULL, c->out_fd, NULL, COPY_STEP, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;

          g_mutex_lock (&c->lock);
          if (copied == 0 && (e == EXDEV || e == EINVAL || e == ENOSYS || e == EOPNOTSUPP || e == EBADF))
            c->unsupported = TRUE;
          else
            c->failed_errno = e;
          g_mutex_unlock (&c->lock);
          break;
        }
      if (n == 0)
        break;
      copied += n;
      /* the disk starts on what is copied; the fsync at the end waits for the tail only */
      if (copied - writeback_from >= WRITEBACK_EVERY)
        {
          sync_file_range (c->out_fd, writeback_from, copied - writeback_from, SYNC_FILE_RANGE_WRITE);
          writeback_from = copied;
        }
      g_mutex_lock (&c->lock);
      c->copied = copied;
      g_cond_signal (&c->cond);
      g_mutex_unlock (&c->lock);
    }
  g_mutex_lock (&c->lock);
  c->done = TRUE;
  g_cond_signal (&c->cond);
  g_mutex_unlock (&c->lock);
  return NULL;
}

/* Hashes out_fd from h->hashed up to upto. Read into a buffer the size of a core's cache, not
 * mapped: SHA-256 straight from mapped pages ran at half the speed here (every load a miss). */
static gboolean
hash_copy (Hash          *h,
           int            out_fd,
           guchar        *buf,
           guint64        upto,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  while (h->hashed < upto)
    {
      gssize n = pread (out_fd, buf, MIN (READ_CHUNK, upto - h->hashed), h->hashed);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return set_io_error (error, AT_ERROR_FAILED, n == 0 ? EIO : errno, _("could not store a copy of “%s”"), path);
      hash_slice (h, buf, n);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* TRUE: copied and hashed (or failed, with error set); FALSE with *unsupported: nothing done,
 * the caller copies by itself. */
static gboolean
kernel_copy (int            in_fd,
             int            out_fd,
             Hash          *h,
             const char    *path,
             GCancellable  *cancellable,
             gboolean      *unsupported,
             GError       **error)
{
  Copier c = { in_fd, out_fd };
  g_autofree guchar *buf = g_malloc (READ_CHUNK);
  GThread *thread;
  gboolean ok = TRUE;
  struct stat st;

  *unsupported = FALSE;

  /* a reflink shares the blocks: nothing to copy, only the hash to read */
  if (ioctl (out_fd, FICLONE, in_fd) == 0)
    {
      if (fstat (out_fd, &st) != 0)
        return set_io_error (error, AT_ERROR_FAILED, errno, _("could not store a copy of “%s”"), path);
      return hash_copy (h, out_fd, buf, st.st_size, path, cancellable, error);
    }

  g_mutex_init (&c.lock);
  g_cond_init (&c.cond);
  thread = g_thread_new ("attest-copy", copier_thread, &c);
  for (;;)
    {
      guint64 ready;
      gboolean done;

      g_mutex_lock (&c.lock);
      while (c.copied == h->hashed && !c.done)
        g_cond_wait (&c.cond, &c.lock);
      ready = c.copied;
      done = c.done;
      g_mutex_unlock (&c.lock);

      if (ready > h->hashed && !hash_copy (h, out_fd, buf, ready, path, cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (done && h->hashed == ready)
        break;
    }
  g_atomic_int_set (&c.stop, 1);
  g_thread_join (thread);

  if (ok && c.failed_errno != 0)
    ok = is_store_errno (c.failed_errno)
         ? set_io_error (error, AT_ERROR_FAILED, c.failed_errno, _("could not store a copy of “%s”"), path)
         : set_io_error (error, AT_ERROR_INVALID, c.failed_errno, _("could not read “%s”"), path);
  if (ok && c.unsupported)
    {
      *unsupported = TRUE;
      ok = FALSE;
    }
  g_mutex_clear (&c.lock);
  g_cond_clear (&c.cond);
  return ok;
}

/* ---- or one pass through our memory --------------------------------------------------------- */

static gssize
read_full (int     fd,
           guchar *buf,
           gsize   size)
{
  gsize got = 0;

  /* short reads are legal and would misalign the slices */
  while (got < size)
    {
      gssize n = read (fd, buf + got, size - got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      got += n;
    }
  return got;
}

static gboolean
write_full (int           fd,
            const guchar *buf,
            gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      buf += n;
      len -= n;
    }
  return TRUE;
}

static gboolean
user_copy (int            in_fd,
           int            out_fd,
           Hash          *h,
           const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree guchar *buf = g_malloc (SLICE);

  for (;;)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      n = read_full (in_fd, buf, SLICE);
      if (n < 0)
        return set_io_error (error, AT_ERROR_INVALID, errno, _("could not read “%s”"), path);
      if (n == 0)
        return TRUE;
      /* written first: what is hashed is what was stored */
      if (!write_full (out_fd, buf, n))
        return set_io_error (error, AT_ERROR_FAILED, errno, _("could not store a copy of “%s”"), path);
      hash_slice (h, buf, n);
    }
}

gboolean
_at_evidence_copy (int               in_fd,
                   const GStatBuf   *before,
                   int               out_fd,
                   const char       *path,
                   AtCopyChunkFunc   chunk_func,
                   gpointer          chunk_data,
                   AtProgressFunc    progress,
                   gpointer          progress_data,
                   GCancellable     *cancellable,
                   char            **sha256_out,
                   guint64          *size_out,
                   GError          **error)
{
  g_autoptr(EVP_MD_CTX) md = EVP_MD_CTX_new ();
  Hash h = { md, chunk_func, chunk_data, progress, progress_data, before->st_size, 0, 0 };
  guchar digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  gboolean unsupported = FALSE;
  struct stat after;

  if (md == NULL || !EVP_DigestInit_ex (md, EVP_sha256 (), NULL))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not start SHA-256 (OpenSSL)"));
      return FALSE;
    }

  if (!kernel_copy (in_fd, out_fd, &h, path, cancellable, &unsupported, error))
    {
      if (!unsupported)
        return FALSE;
      if (!user_copy (in_fd, out_fd, &h, path, cancellable, error))
        return FALSE;
    }

  report (&h, TRUE);

  /* a file written to while we copied it is no one state of it */
  if (fstat (in_fd, &after) != 0 || after.st_size != before->st_size || (guint64) after.st_size != h.hashed ||
      after.st_mtim.tv_sec != before->st_mtim.tv_sec || after.st_mtim.tv_nsec != before->st_mtim.tv_nsec ||
      after.st_ctim.tv_sec != before->st_ctim.tv_sec || after.st_ctim.tv_nsec != before->st_ctim.tv_nsec)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("“%s” changed while it was being added: add it again once nothing is writing to it"), path);
      return FALSE;
    }

  if (!EVP_DigestFinal_ex (md, digest, &digest_len))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("SHA-256 failed (OpenSSL)"));
      return FALSE;
    }
  *sha256_out = g_malloc (digest_len * 2 + 1);
  for (unsigned int i = 0; i < digest_len; i++)
    g_snprintf (*sha256_out + 2 * i, 3, "%02x", digest[i]);
  *size_out = h.hashed;
  return TRUE;
}
