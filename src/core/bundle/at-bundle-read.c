/* at-bundle-read.c — reading a .attest file and checking everything in it
 *
 * The reader trusts nothing: the archive is read as a stream (tar inside zstd, nothing else),
 * every entry's name, type and size is checked from its header before any of its data is read,
 * the manifest must come first and be well-formed and signed before any evidence is extracted,
 * and each evidence file is hashed while it is copied. Any problem is one sentence naming it.
 */
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

#include "at-bundle-private.h"
#include "at-error.h"
#include "at-util.h"

#define READ_BLOCK (64 * 1024)
#define COPY_CHUNK (1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

static void
file_free (gpointer data)
{
  AtBundleFile *file = data;

  if (file->tmp_path != NULL)
    g_unlink (file->tmp_path);
  g_free (file->tmp_path);
  g_free (file->sha256);
  g_free (file);
}

void
_at_bundle_contents_free (AtBundleContents *contents)
{
  if (contents == NULL)
    return;
  g_clear_pointer (&contents->files, g_hash_table_unref);
  g_clear_pointer (&contents->file_order, g_ptr_array_unref);
  g_clear_pointer (&contents->root, json_node_unref);
  g_clear_pointer (&contents->manifest_bytes, g_bytes_unref);
  g_clear_pointer (&contents->signature, g_bytes_unref);
  g_free (contents->path);
  g_free (contents);
}

/* ---- the archive ----------------------------------------------------------------------- */

typedef enum { ENTRY_MANIFEST, ENTRY_SIGNATURE, ENTRY_EVIDENCE } EntryKind;

static gboolean G_GNUC_PRINTF (2, 3)
refuse (GError     **error,
        const char  *fmt,
        ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, fmt);
  msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error_literal (error, AT_ERROR, AT_ERROR_INVALID, msg);
  return FALSE;
}

static gboolean
climbs_out (const char *name)
{
  g_auto(GStrv) parts = g_strsplit (name, "/", -1);

  for (guint i = 0; parts[i]; i++)
    if (g_str_equal (parts[i], ".."))
      return TRUE;
  return FALSE;
}

/* Name and type rules, from the header alone. */
static gboolean
classify (struct archive_entry  *entry,
          EntryKind             *kind,
          GError               **error)
{
  const char *name = archive_entry_pathname (entry);
  mode_t type = archive_entry_filetype (entry);

  if (name == NULL || *name == '\0')
    return refuse (error, _("the bundle holds an entry without a name"));
  if (name[0] == '/')
    return refuse (error, _("the bundle holds an absolute path, “%s”: a bundle holds only its own relative names"), name);
  if (climbs_out (name))
    return refuse (error, _("the entry “%s” climbs out of the bundle with “..”"), name);
  if (archive_entry_hardlink (entry) != NULL)
    return refuse (error, _("“%s” is a hard link: a bundle holds regular files only"), name);
  if (type == AE_IFLNK || archive_entry_symlink (entry) != NULL)
    return refuse (error, _("“%s” is a symbolic link: a bundle holds regular files only"), name);
  if (type == AE_IFCHR || type == AE_IFBLK)
    return refuse (error, _("“%s” is a device: a bundle holds regular files only"), name);
  if (type == AE_IFIFO)
    return refuse (error, _("“%s” is a FIFO: a bundle holds regular files only"), name);
  if (type == AE_IFDIR)
    return refuse (error, _("“%s” is a folder: a bundle holds regular files only"), name);
  if (type != AE_IFREG)
    return refuse (error, _("“%s” is not a regular file: a bundle holds regular files only"), name);

  if (g_str_equal (name, AT_BUNDLE_MANIFEST))
    *kind = ENTRY_MANIFEST;
  else if (g_str_equal (name, AT_BUNDLE_SIGNATURE))
    *kind = ENTRY_SIGNATURE;
  else if (g_str_has_prefix (name, AT_BUNDLE_EVIDENCE) && _at_bundle_is_sha256 (name + strlen (AT_BUNDLE_EVIDENCE)))
    *kind = ENTRY_EVIDENCE;
  else
    return refuse (error, _("“%s” is not part of an Attest bundle (it holds manifest.json, manifest.json.sig and evidence/<sha256> only)"), name);

  if (!archive_entry_size_is_set (entry) || archive_entry_size (entry) < 0)
    return refuse (error, _("the entry “%s” has no size"), name);
  return TRUE;
}

static gboolean
check_size_limit (const char  *name,
                  EntryKind    kind,
                  guint64      size,
                  GError     **error)
{
  static const char * const limit_names[] = { "64 MiB", "1 MiB", "4 GiB" };
  const guint64 limits[] = { AT_BUNDLE_MAX_MANIFEST_SIZE, AT_BUNDLE_MAX_SIGNATURE_SIZE, AT_BUNDLE_MAX_ENTRY_SIZE };
  g_autofree char *human = NULL;

  if (size <= limits[kind])
    return TRUE;
  human = _at_bundle_format_size (size);
  return refuse (error, _("“%s” is %s, over the limit of %s for %s"), name, human, limit_names[kind],
                 kind == ENTRY_EVIDENCE ? _("one evidence file") : _("that entry"));
}

static gboolean
damaged (struct archive  *a,
         const char      *what,
         GError         **error)
{
  const char *msg = archive_error_string (a);

  return refuse (error, _("the bundle is truncated or damaged (%s): %s"), what, msg ? msg : _("unexpected end of data"));
}

static void
report_progress (struct archive *a,
                 guint64         total,
                 AtProgressFunc  progress,
                 gpointer        progress_data)
{
  if (progress != NULL)
    {
      gint64 done = archive_filter_bytes (a, -1);
      progress (MIN ((guint64) MAX (done, 0), total), total, progress_data);
    }
}

/* The manifest and the signature, whole, into memory (both are size-limited). */
static GBytes *
read_small (struct archive  *a,
            const char      *name,
            guint64          size,
            GError         **error)
{
  guchar *buf = g_malloc (size + 1);
  guint64 got = 0;

  while (got < size)
    {
      la_ssize_t n = archive_read_data (a, buf + got, size - got);
      if (n <= 0)
        {
          g_free (buf);
          damaged (a, name, error);
          return NULL;
        }
      got += n;
    }
  return g_bytes_new_take (buf, size);
}

static gboolean
write_all (int           fd,
           const guchar *data,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

/* Streams one evidence file into the temporary area (or nowhere), hashing it on the way. */
static gboolean
read_evidence (struct archive  *a,
               AtBundleFile    *file,
               const char      *tmp_dir,
               guchar          *buf,
               guint64          total,
               AtProgressFunc   progress,
               gpointer         progress_data,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(EVP_MD_CTX) md = EVP_MD_CTX_new ();
  g_autofree char *path = tmp_dir ? g_build_filename (tmp_dir, file->sha256, NULL) : NULL;
  guchar digest[EVP_MAX_MD_SIZE];
  char hex[65];
  unsigned int digest_len = 0;
  guint64 got = 0;
  int fd = -1;

  if (md == NULL || !EVP_DigestInit_ex (md, EVP_sha256 (), NULL))
    return refuse (error, _("OpenSSL could not hash"));
  if (path != NULL)
    {
      fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          int saved = errno;
          g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not create %s: %s"), path, at_strerror (saved));
          return FALSE;
        }
      file->tmp_path = g_steal_pointer (&path);
    }

  for (;;)
    {
      la_ssize_t n = archive_read_data (a, buf, COPY_CHUNK);

      if (n == 0)
        break;
      if (n < 0)
        {
          g_autofree char *what = g_strconcat (AT_BUNDLE_EVIDENCE, file->sha256, NULL);
          if (fd >= 0)
            close (fd);
          return damaged (a, what, error);
        }
      got += n;
      EVP_DigestUpdate (md, buf, n);
      if (fd >= 0 && !write_all (fd, buf, n))
        {
          int saved = errno;
          g_autofree char *area = g_path_get_dirname (file->tmp_path);
          g_autofree char *data_dir = g_path_get_dirname (area);
          g_autofree char *size = _at_bundle_format_size (file->size);

          close (fd);
          /* the temporary name means nothing to a person; the data directory and the size do */
          g_set_error (error, AT_ERROR, AT_ERROR_FAILED,
                       _("could not unpack evidence/%s (%s) into the data directory %s: %s"),
                       file->sha256, size, data_dir, at_strerror (saved));
          return FALSE;
        }
      report_progress (a, total, progress, progress_data);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          if (fd >= 0)
            close (fd);
          return FALSE;
        }
    }

  if (fd >= 0 && (fsync (fd) != 0 || close (fd) != 0))
    {
      int saved = errno;
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not write %s: %s"), file->tmp_path, at_strerror (saved));
      return FALSE;
    }

  if (got != file->size)
    return refuse (error, _("evidence/%s ends after %llu of its %llu bytes: the bundle is truncated"),
                   file->sha256, (unsigned long long) got, (unsigned long long) file->size);
  EVP_DigestFinal_ex (md, digest, &digest_len);
  for (unsigned int i = 0; i < 32; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", digest[i]);
  if (!g_str_equal (hex, file->sha256))
    return refuse (error, _("evidence/%s does not match its SHA-256 (the file in the bundle hashes to %s): it was changed or damaged"),
                   file->sha256, hex);
  file->seen = TRUE;
  return TRUE;
}

static gboolean
read_entries (AtBundleContents  *c,
              struct archive    *a,
              const char        *tmp_dir,
              guint64            total,
              AtProgressFunc     progress,
              gpointer           progress_data,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autofree guchar *buf = g_malloc (COPY_CHUNK);
  struct archive_entry *entry;
  guint index = 0;

  for (;;)
    {
      const char *name;
      EntryKind kind = ENTRY_MANIFEST;
      guint64 size;
      int r;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      r = archive_read_next_header (a, &entry);
      if (r == ARCHIVE_EOF)
        break;
      if (r != ARCHIVE_OK)
        {
          const char *msg = archive_error_string (a);
          if (index == 0)
            return refuse (error, _("%s is not an Attest bundle (a tar archive compressed with zstd): %s"),
                           c->path, msg ? msg : _("unknown format"));
          return damaged (a, _("after the last good entry"), error);
        }

      /* Only tar inside exactly one zstd layer: no raw data, no other formats, no nesting. */
      if (index == 0 &&
          (archive_filter_count (a) != 2 || archive_filter_code (a, 0) != ARCHIVE_FILTER_ZSTD ||
           (archive_format (a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_TAR))
        return refuse (error, _("%s is not an Attest bundle: it is not a tar archive compressed with zstd"), c->path);

      if (++index > AT_BUNDLE_MAX_ENTRIES)
        return refuse (error, _("the bundle holds more than %u entries"), AT_BUNDLE_MAX_ENTRIES);
      if (!classify (entry, &kind, error))
        return FALSE;
      name = archive_entry_pathname (entry);
      size = archive_entry_size (entry);
      if (!check_size_limit (name, kind, size, error))
        return FALSE;

      switch (kind)
        {
        case ENTRY_MANIFEST:
          if (index != 1)
            return refuse (error, _("manifest.json appears twice in the bundle"));
          if (!(c->manifest_bytes = read_small (a, name, size, error)))
            return FALSE;
          break;

        case ENTRY_SIGNATURE:
          if (index == 1)
            return refuse (error, _("a bundle starts with manifest.json; this one starts with “%s”"), name);
          if (index != 2)
            return refuse (error, _("manifest.json.sig appears twice in the bundle"));
          if (!(c->signature = read_small (a, name, size, error)))
            return FALSE;
          /* Everything the manifest says is checked before any evidence is extracted. */
          if (!_at_bundle_check_manifest (c, error) || !_at_bundle_check_signature (c, error) ||
              !_at_bundle_check_records (c, error))
            return FALSE;
          break;

        case ENTRY_EVIDENCE:
          {
            AtBundleFile *file;

            if (index == 1)
              return refuse (error, _("a bundle starts with manifest.json; this one starts with “%s”"), name);
            if (index == 2)
              return refuse (error, _("the bundle is not signed: manifest.json.sig must follow manifest.json, but “%s” does"), name);
            file = g_hash_table_lookup (c->files, name + strlen (AT_BUNDLE_EVIDENCE));
            if (file == NULL)
              return refuse (error, _("“%s” is not listed in the bundle's manifest"), name);
            if (file->seen)
              return refuse (error, _("“%s” appears twice in the bundle"), name);
            if (size != file->size)
              return refuse (error, _("“%s” is %llu bytes, but the manifest says %llu"),
                             name, (unsigned long long) size, (unsigned long long) file->size);
            if (!read_evidence (a, file, tmp_dir, buf, total, progress, progress_data, cancellable, error))
              return FALSE;
          }
          break;

        default:
          g_assert_not_reached ();
        }
      report_progress (a, total, progress, progress_data);
    }

  if (c->manifest_bytes == NULL)
    return refuse (error, _("%s holds no manifest.json: it is not an Attest bundle"), c->path);
  if (c->signature == NULL)
    return refuse (error, _("the bundle is not signed: manifest.json.sig is missing"));
  for (guint i = 0; i < c->file_order->len; i++)
    {
      AtBundleFile *file = c->file_order->pdata[i];
      if (!file->seen)
        return refuse (error, _("evidence/%s is listed in the manifest but missing from the bundle (is the file truncated?)"),
                       file->sha256);
    }
  return TRUE;
}

AtBundleContents *
_at_bundle_read (const char     *path,
                 const char     *tmp_dir,
                 AtProgressFunc  progress,
                 gpointer        progress_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(AtBundleContents) c = g_new0 (AtBundleContents, 1);
  struct archive *a;
  struct stat st;
  gboolean ok;
  int fd;

  c->path = g_strdup (path);
  c->files = g_hash_table_new (g_str_hash, g_str_equal);
  c->file_order = g_ptr_array_new_with_free_func (file_free);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("could not open %s: %s"), path, at_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("%s is not a file"), path);
      return NULL;
    }

  a = archive_read_new ();
  archive_read_support_filter_zstd (a);
  archive_read_support_format_tar (a);
  if (archive_read_open_fd (a, fd, READ_BLOCK) != ARCHIVE_OK)
    {
      const char *msg = archive_error_string (a);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("%s is not an Attest bundle (a tar archive compressed with zstd): %s"),
                   path, msg ? msg : _("unknown format"));
      archive_read_free (a);
      close (fd);
      return NULL;
    }

  ok = read_entries (c, a, tmp_dir, st.st_size, progress, progress_data, cancellable, error);
  archive_read_free (a);
  close (fd);
  if (!ok)
    return NULL;
  if (progress != NULL)
    progress (st.st_size, st.st_size, progress_data);
  return g_steal_pointer (&c);
}
