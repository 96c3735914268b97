/* at-bundle-writer.c — the .attest file itself: tar, compressed with zstd, streamed to disk
 *
 * libarchive writes the tar (pax where ustar cannot say it); the compression is ours, with
 * libzstd, so that each entry is compressed as it deserves. Photos, recordings and most office
 * files are compressed already: zstd at its default level would spend most of the export's time
 * failing to shrink them, so they go through its fastest level, and everything else (the
 * manifest, text, spreadsheets) through level 3, as `zstd` and `bsdtar --zstd` do. A level
 * change ends one zstd frame and starts the next; a zstd stream of several frames is one
 * stream to every reader (libarchive, bsdtar, zstd, older Attest).
 *
 * The evidence files are read and hashed in a second thread, a few chunks ahead of the
 * compression: a file that no longer matches its name is a damaged store, and shipping it would
 * only move the problem to the importer. The compressed stream goes out in 256 KiB writes, and
 * the kernel is asked to start writing each 16 MiB to disk as soon as it is complete, so that
 * the fsync at the end has little left to wait for.
 */
#define _GNU_SOURCE   /* sync_file_range */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "at-bundle-private.h"
#include "at-error.h"

#define READ_CHUNK      (128 * 1024)
#define QUEUE_DEPTH     16                   /* chunks read ahead: 2 MiB */
#define OUT_CHUNK       (128 * 1024)
#define WRITEBACK_EVERY (16 * 1024 * 1024)
#define LEVEL_TEXT      3                    /* zstd's own default */
#define LEVEL_PACKED    (-1)                 /* the fastest that still looks for repeats */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

struct _AtBundleWriter
{
  struct archive *archive;
  int             fd;
  char           *out_path;

  ZSTD_CCtx      *zstd;
  int             level;
  gboolean        in_frame;   /* bytes went in since the frame began */
  guchar         *out;
  gsize           out_len;

  guint64         written;
  guint64         writeback_from;
  int             write_errno;
};

/* ---- the compressed stream -------------------------------------------------------------------- */

static gboolean
flush_out (AtBundleWriter *w)
{
  gsize done = 0;

  while (done < w->out_len)
    {
      gssize n = write (w->fd, w->out + done, w->out_len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          w->write_errno = errno;
          return FALSE;
        }
      done += n;
    }
  w->written += w->out_len;
  w->out_len = 0;
  /* start the disk on what is complete; fsync later waits for the rest only */
  if (w->written - w->writeback_from >= WRITEBACK_EVERY)
    {
      sync_file_range (w->fd, w->writeback_from, w->written - w->writeback_from, SYNC_FILE_RANGE_WRITE);
      w->writeback_from = w->written;
    }
  return TRUE;
}

/* Feeds bytes to zstd (ZSTD_e_continue), or ends the frame (ZSTD_e_end, no bytes). */
static gboolean
compress (AtBundleWriter     *w,
          const void         *data,
          gsize               len,
          ZSTD_EndDirective   mode)
{
  ZSTD_inBuffer in = { data, len, 0 };

  for (;;)
    {
      ZSTD_outBuffer out = { w->out, OUT_CHUNK, w->out_len };
      size_t left = ZSTD_compressStream2 (w->zstd, &out, &in, mode);

      if (ZSTD_isError (left))
        {
          archive_set_error (w->archive, EIO, "zstd: %s", ZSTD_getErrorName (left));
          return FALSE;
        }
      w->out_len = out.pos;
      if (w->out_len == OUT_CHUNK && !flush_out (w))
        {
          archive_set_error (w->archive, w->write_errno, "%s", g_strerror (w->write_errno));
          return FALSE;
        }
      if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0)
        return TRUE;
    }
}

static la_ssize_t
on_write (struct archive *a,
          void           *user_data,
          const void     *buffer,
          size_t          length)
{
  AtBundleWriter *w = user_data;

  if (length > 0)
    w->in_frame = TRUE;
  return compress (w, buffer, length, ZSTD_e_continue) ? (la_ssize_t) length : -1;
}

static int
on_close (struct archive *a,
          void           *user_data)
{
  AtBundleWriter *w = user_data;

  if (!compress (w, NULL, 0, ZSTD_e_end) || !flush_out (w))
    return ARCHIVE_FATAL;
  return ARCHIVE_OK;
}

/* The level for what comes next; a change closes the frame so far (cheap: a few bytes). */
static gboolean
set_level (AtBundleWriter *w,
           int             level)
{
  if (level == w->level)
    return TRUE;
  if (w->in_frame && !compress (w, NULL, 0, ZSTD_e_end))
    return FALSE;
  w->in_frame = FALSE;
  w->level = level;
  return !ZSTD_isError (ZSTD_CCtx_setParameter (w->zstd, ZSTD_c_compressionLevel, level));
}

/* Already compressed: JPEG, PNG, GIF, WebP, HEIF/MP4/MOV (ISO media), Matroska/WebM, MP3, Ogg,
 * FLAC, zip (and the office formats built on it), gzip, xz, zstd, 7-zip, PDF. */
static gboolean
is_packed (const guchar *b,
           gsize         n)
{
  static const struct { gsize at; const char *magic; gsize len; } kinds[] = {
    { 0, "\xff\xd8\xff", 3 }, { 0, "\x89PNG", 4 }, { 0, "GIF8", 4 }, { 8, "WEBP", 4 },
    { 4, "ftyp", 4 }, { 0, "\x1a\x45\xdf\xa3", 4 }, { 0, "ID3", 3 }, { 0, "OggS", 4 }, { 0, "fLaC", 4 },
    { 0, "PK\x03\x04", 4 }, { 0, "\x1f\x8b", 2 }, { 0, "\xfd" "7zXZ", 5 }, { 0, "\x28\xb5\x2f\xfd", 4 },
    { 0, "7z\xbc\xaf", 4 }, { 0, "%PDF", 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (n >= kinds[i].at + kinds[i].len && memcmp (b + kinds[i].at, kinds[i].magic, kinds[i].len) == 0)
      return TRUE;
  /* MPEG audio frames */
  return n >= 2 && b[0] == 0xff && (b[1] & 0xe0) == 0xe0;
}

static gboolean
failed (AtBundleWriter  *w,
        GError         **error)
{
  const char *msg = archive_error_string (w->archive);
  int code = archive_errno (w->archive);

  if (w->write_errno != 0)
    code = w->write_errno;
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not write %s: %s"), w->out_path,
               code == ENOSPC ? _("the disk is full") : msg ? msg : at_strerror (code));
  return FALSE;
}

AtBundleWriter *
_at_bundle_writer_open (int          fd,
                        const char  *out_path,
                        GError     **error)
{
  AtBundleWriter *w = g_new0 (AtBundleWriter, 1);

  w->fd = fd;
  w->out_path = g_strdup (out_path);
  w->out = g_malloc (OUT_CHUNK);
  w->zstd = ZSTD_createCCtx ();
  w->level = LEVEL_TEXT;
  w->archive = archive_write_new ();
  if (w->zstd == NULL || ZSTD_isError (ZSTD_CCtx_setParameter (w->zstd, ZSTD_c_compressionLevel, w->level)) ||
      /* the frames carry their checksum, as the zstd tool writes them */
      ZSTD_isError (ZSTD_CCtx_setParameter (w->zstd, ZSTD_c_checksumFlag, 1)))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not write %s: %s"), out_path, "zstd");
      _at_bundle_writer_free (w);
      return NULL;
    }
  /* pax only where ustar cannot say it (files over 8 GiB); tar's own blocking is not needed
   * under compression, so every write reaches the compressor as it is made */
  if (archive_write_set_format_pax_restricted (w->archive) != ARCHIVE_OK ||
      archive_write_set_bytes_per_block (w->archive, 0) != ARCHIVE_OK ||
      archive_write_open2 (w->archive, w, NULL, on_write, on_close, NULL) != ARCHIVE_OK)
    {
      failed (w, error);
      _at_bundle_writer_free (w);
      return NULL;
    }
  return w;
}

static gboolean
write_header (AtBundleWriter  *w,
              const char      *name,
              guint64          size,
              time_t           mtime,
              GError         **error)
{
  struct archive_entry *entry = archive_entry_new ();
  int r;

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, size);
  archive_entry_set_mtime (entry, mtime, 0);
  r = archive_write_header (w->archive, entry);
  archive_entry_free (entry);
  return r == ARCHIVE_OK || failed (w, error);
}

gboolean
_at_bundle_writer_bytes (AtBundleWriter  *w,
                         const char      *name,
                         GBytes          *bytes,
                         time_t           mtime,
                         GError         **error)
{
  gsize len = 0;
  const guchar *data = g_bytes_get_data (bytes, &len);

  if (!set_level (w, LEVEL_TEXT))
    return failed (w, error);
  if (!write_header (w, name, len, mtime, error))
    return FALSE;
  if (len > 0 && archive_write_data (w->archive, data, len) != (la_ssize_t) len)
    return failed (w, error);
  return archive_write_finish_entry (w->archive) == ARCHIVE_OK || failed (w, error);
}

/* ---- the evidence, read and hashed ahead ----------------------------------------------------- */

typedef struct
{
  guchar  *data;      /* NULL: the end of a file */
  gsize    len;
  GError  *error;     /* the reader stopped here */
} Chunk;

typedef struct
{
  AtStore      *store;
  GPtrArray    *files;
  GArray       *sizes;
  GAsyncQueue  *full;       /* Chunk *, in order */
  GAsyncQueue  *empty;      /* buffers to reuse */
  gint          stop;       /* the writer gave up */
} Reader;

static void
chunk_free (Chunk *c)
{
  g_free (c->data);
  g_clear_error (&c->error);
  g_free (c);
}

static void
push (Reader  *r,
      guchar  *data,
      gsize    len,
      GError  *error)
{
  Chunk *c = g_new0 (Chunk, 1);

  c->data = data;
  c->len = len;
  c->error = error;
  g_async_queue_push (r->full, c);
}

/* One file: every chunk pushed, then the end (data NULL), or an error. FALSE to stop. */
static gboolean
read_one (Reader     *r,
          const char *sha256,
          guint64     size)
{
  g_autofree char *path = _at_bundle_evidence_path (r->store, sha256);
  g_autoptr(EVP_MD_CTX) md = EVP_MD_CTX_new ();
  guchar digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  char hex[65];
  guint64 left = size;
  struct stat st;
  GError *error = NULL;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (&error, AT_ERROR, AT_ERROR_FAILED, _("evidence %s is missing from the data directory (%s)"),
                   sha256, g_strerror (saved));
      push (r, NULL, 0, error);
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || (guint64) st.st_size != size)
    {
      close (fd);
      g_set_error (&error, AT_ERROR, AT_ERROR_FAILED, _("evidence %s in the data directory is not the size its record gives (%llu"
                   " bytes): the store is damaged"), sha256, (unsigned long long) size);
      push (r, NULL, 0, error);
      return FALSE;
    }
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  EVP_DigestInit_ex (md, EVP_sha256 (), NULL);

  while (left > 0)
    {
      guchar *buf = g_async_queue_pop (r->empty);
      gsize got = 0, want = MIN (left, READ_CHUNK);

      if (g_atomic_int_get (&r->stop))
        {
          g_free (buf);
          close (fd);
          return FALSE;
        }
      while (got < want)
        {
          gssize n = read (fd, buf + got, want - got);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              int saved = errno;
              g_free (buf);
              close (fd);
              g_set_error (&error, AT_ERROR, AT_ERROR_FAILED, _("could not read evidence %s: %s"), sha256,
                           n == 0 ? _("it ended early") : g_strerror (saved));
              push (r, NULL, 0, error);
              return FALSE;
            }
          got += n;
        }
      EVP_DigestUpdate (md, buf, got);
      left -= got;
      push (r, buf, got, NULL);
    }
  close (fd);

  EVP_DigestFinal_ex (md, digest, &digest_len);
  for (unsigned int i = 0; i < 32; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", digest[i]);
  if (!g_str_equal (hex, sha256))
    {
      g_set_error (&error, AT_ERROR, AT_ERROR_FAILED,
                   _("evidence %s in the data directory no longer matches its SHA-256: the store is damaged"), sha256);
      push (r, NULL, 0, error);
      return FALSE;
    }
  push (r, NULL, 0, NULL);
  return TRUE;
}

static gpointer
reader_thread (gpointer data)
{
  Reader *r = data;

  for (guint i = 0; i < r->files->len; i++)
    if (!read_one (r, r->files->pdata[i], g_array_index (r->sizes, gint64, i)))
      break;
  return NULL;
}

gboolean
_at_bundle_writer_evidence (AtBundleWriter  *w,
                            AtStore         *store,
                            GPtrArray       *files,
                            GArray          *sizes,
                            time_t           mtime,
                            AtProgressFunc   progress,
                            gpointer         progress_data,
                            guint64         *done,
                            guint64          total,
                            GCancellable    *cancellable,
                            GError         **error)
{
  Reader r = { store, files, sizes, g_async_queue_new_full ((GDestroyNotify) chunk_free),
               g_async_queue_new_full (g_free), 0 };
  GThread *thread;
  gboolean ok = TRUE;

  if (files->len == 0)
    {
      g_async_queue_unref (r.full);
      g_async_queue_unref (r.empty);
      return TRUE;
    }
  for (guint i = 0; i < QUEUE_DEPTH; i++)
    g_async_queue_push (r.empty, g_malloc (READ_CHUNK));
  thread = g_thread_new ("attest-export-read", reader_thread, &r);

  for (guint i = 0; ok && i < files->len; i++)
    {
      g_autofree char *name = g_strconcat (AT_BUNDLE_EVIDENCE, (char *) files->pdata[i], NULL);
      guint64 size = g_array_index (sizes, gint64, i);
      gboolean first = TRUE;

      for (;;)
        {
          Chunk *c = g_async_queue_pop (r.full);
          gboolean end = c->data == NULL;

          if (c->error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&c->error));
              ok = FALSE;
            }
          else if (first)
            {
              /* the first bytes say what the file is, and so how hard to compress it */
              ok = set_level (w, c->len > 0 && is_packed (c->data, c->len) ? LEVEL_PACKED : LEVEL_TEXT) || failed (w, error);
              ok = ok && write_header (w, name, size, mtime, error);
              first = FALSE;
            }
          if (ok && !end)
            {
              if (archive_write_data (w->archive, c->data, c->len) != (la_ssize_t) c->len)
                ok = failed (w, error);
              *done += c->len;
              if (progress)
                progress (*done, total, progress_data);
              if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
                ok = FALSE;
            }
          if (!end)
            {
              /* the buffer goes back to the reader */
              g_async_queue_push (r.empty, g_steal_pointer (&c->data));
            }
          chunk_free (c);
          if (end || !ok)
            break;
        }
      if (ok && archive_write_finish_entry (w->archive) != ARCHIVE_OK)
        ok = failed (w, error);
    }

  if (!ok)
    {
      /* let the reader see the stop: it waits for a free buffer before each read */
      g_atomic_int_set (&r.stop, 1);
      for (guint i = 0; i < QUEUE_DEPTH; i++)
        g_async_queue_push (r.empty, g_malloc (1));
    }
  g_thread_join (thread);
  g_async_queue_unref (r.full);
  g_async_queue_unref (r.empty);
  return ok;
}

gboolean
_at_bundle_writer_close (AtBundleWriter  *w,
                         GError         **error)
{
  return archive_write_close (w->archive) == ARCHIVE_OK || failed (w, error);
}

void
_at_bundle_writer_free (AtBundleWriter *w)
{
  if (w == NULL)
    return;
  if (w->archive)
    archive_write_free (w->archive);
  ZSTD_freeCCtx (w->zstd);
  g_free (w->out);
  g_free (w->out_path);
  g_free (w);
}
