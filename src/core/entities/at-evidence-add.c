/* at-evidence-add.c — bringing a file in as evidence: check, stream and hash, place, record
 *
 * Adding a file is three steps, so the slow one never holds the database:
 *   1. check the request against the database (assessment, actor, clauses, workflow);
 *   2. stream the file once into <data_dir>/evidence/.tmp-XXXXXX (locked while this process
 *      lives, see at-temp.h), hashing it on the way, fsync;
 *   3. in one transaction: move the temporary file to evidence/<aa>/<sha256> (or drop it when
 *      that file is already there), insert the rows, append the audit entries, commit.
 * Step 3 holds the write lock while it places or deletes a file, so a removal that deletes the
 * last reference's file cannot race an add that is about to refer to it. A crash anywhere leaves
 * at worst a temporary file whose lock died with the process (swept by the next open or ingest)
 * or a complete, unreferenced file.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libexif/exif-data.h>
#include <libexif/exif-loader.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "at-audit-private.h"
#include "at-error.h"
#include "at-evidence-copy-private.h"
#include "at-util.h"
#include "at-evidence-private.h"
#include "at-store-private.h"
#include "at-temp.h"
#include "at-thumbnail.h"
#include "at-change-private.h"
#include "at-nonconformity.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExifLoader, exif_loader_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExifData, exif_data_unref)


struct _AtEvidenceIngest
{
  /* the request, copied: the async variant outlives the caller's strings */
  char           *assessment_id;
  char           *path;
  char           *actor;
  GStrv           clauses;
  gboolean        has_kind;
  AtEvidenceKind  kind;
  char           *note;
  char           *original_name;
  char           *evidence_dir;
  char           *data_dir;
  AtProgressFunc  progress;
  gpointer        progress_data;
  char           *nc_id;           /* for a corrective action's evidence; NULL for evidence */

  /* the result of the ingest */
  char           *tmp_path;          /* complete and synced, not yet placed; NULL once placed */
  int             tmp_fd;            /* holds tmp_path's lock until it is placed or removed */
  char           *sha256;
  gint64          size;
  char           *captured_at;
};
typedef struct _AtEvidenceIngest AddData;

static void
add_data_free (AddData *data)
{
  /* a temporary file nobody placed (failure, cancellation) goes with the request */
  if (data->tmp_path != NULL)
    g_unlink (data->tmp_path);
  if (data->tmp_fd >= 0)
    close (data->tmp_fd);
  g_free (data->tmp_path);
  g_free (data->assessment_id);
  g_free (data->path);
  g_free (data->actor);
  g_strfreev (data->clauses);
  g_free (data->note);
  g_free (data->original_name);
  g_free (data->evidence_dir);
  g_free (data->data_dir);
  g_free (data->sha256);
  g_free (data->captured_at);
  g_free (data->nc_id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AddData, add_data_free)

static AddData *
add_data_new (AtStore            *store,
              const char         *assessment_id,
              const char         *path,
              const char         *actor,
              const char * const *clauses,
              const char         *kind_or_null,
              const char         *note,
              AtProgressFunc      progress,
              gpointer            progress_data,
              GError            **error)
{
  g_autoptr(AddData) data = g_new0 (AddData, 1);
  g_autoptr(GPtrArray) unique = g_ptr_array_new ();

  data->tmp_fd = -1;

  data->assessment_id = g_strdup (assessment_id);
  data->path = g_strdup (path);
  data->actor = g_strdup (actor);
  data->original_name = g_path_get_basename (path);
  data->evidence_dir = at_store_get_path (store, "evidence", NULL);
  data->data_dir = g_strdup (at_store_get_data_dir (store));
  data->progress = progress;
  data->progress_data = progress_data;

  /* an empty note is no note; surrounding blanks are typing noise */
  data->note = note ? g_strstrip (g_strdup (note)) : NULL;
  if (data->note != NULL && *data->note == '\0')
    g_clear_pointer (&data->note, g_free);

  /* “--clause 1.1 --clause 1.1” is one link */
  for (guint i = 0; clauses && clauses[i]; i++)
    {
      char *c = g_strstrip (g_strdup (clauses[i]));

      if (g_ptr_array_find_with_equal_func (unique, c, g_str_equal, NULL))
        g_free (c);
      else
        g_ptr_array_add (unique, c);
    }
  g_ptr_array_add (unique, NULL);
  data->clauses = (GStrv) g_ptr_array_free (g_steal_pointer (&unique), FALSE);

  if (kind_or_null != NULL)
    {
      GError *local_error = NULL;

      data->has_kind = TRUE;
      data->kind = at_evidence_kind_parse (kind_or_null, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
    }
  return g_steal_pointer (&data);
}

/* Step 1: everything the database can refuse, before a byte is copied — a gigabyte of video
 * should not be streamed only to learn that the clause number was mistyped. */
static gboolean nc_check (AtStore *store, AddData *data, gboolean write, GError **error);

static gboolean
add_check (AtStore  *store,
           AddData  *data,
           GError  **error)
{
  g_autoptr(AtAssessment) assessment = NULL;
  AtCatalog *catalog;

  if (data->nc_id != NULL)
    return nc_check (store, data, FALSE, error);

  assessment = at_assessment_lookup (store, data->assessment_id, error);
  if (assessment == NULL)
    return FALSE;
  catalog = at_assessment_get_catalog (assessment);

  for (guint i = 0; data->clauses[i]; i++)
    {
      AtClause *clause = at_catalog_lookup (catalog, data->clauses[i]);

      if (clause == NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("%s %s has no clause “%s”"),
                       at_catalog_get_code (catalog), at_catalog_get_version (catalog), data->clauses[i]);
          return FALSE;
        }
      if (!at_clause_get_assessable (clause))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("clause %s is a heading, not a checklist item: link the evidence to one of the clauses under it"),
                       data->clauses[i]);
          return FALSE;
        }
    }

  /* The workflow's own checks (actor exists, may record, state is editable), run and rolled
   * back: they are checked again, for real, when the rows are written. */
  if (!_at_change_begin (store, data->assessment_id, data->actor, AT_CHANGE_RECORD, NULL, NULL, error))
    return FALSE;
  _at_change_abort (store);
  return TRUE;
}

/* “<what>: <why>”, with a full disk said plainly since a person can act on it */
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
  g_set_error (error, AT_ERROR, code, "%s: %s", what, at_strerror (saved_errno));
  return FALSE;
}

/* Opens the file to add, refusing what is not a regular file before it could block us (a FIFO
 * blocks open() until a writer appears). */
static int
open_source (const char  *path,
             GStatBuf    *st,
             GError     **error)
{
  int fd;

  if (g_stat (path, st) != 0)
    {
      int saved = errno;
      if (saved == ENOENT || saved == ENOTDIR)
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("there is no file “%s”"), path);
      else
        set_io_error (error, AT_ERROR_INVALID, saved, _("could not read “%s”"), path);
      return -1;
    }
  if (S_ISDIR (st->st_mode))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is a folder: add the files in it one by one"), path);
      return -1;
    }
  if (!S_ISREG (st->st_mode))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("“%s” is not a regular file: a device, pipe or socket cannot be kept as evidence"), path);
      return -1;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      set_io_error (error, AT_ERROR_INVALID, errno, _("could not read “%s”"), path);
      return -1;
    }
  /* it may have been swapped for something else between stat and open */
  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode))
    {
      close (fd);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” changed while it was being opened"), path);
      return -1;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return fd;
}

/* EXIF dates are local time without a zone, “YYYY:MM:DD HH:MM:SS”; we keep them as ISO 8601
 * local time, since inventing a zone would make them wrong. Unknown (“0000:00:00 …”) is NULL. */
static char *
exif_date_to_iso8601 (const char *text,
                      gsize       len)
{
  guint v[6];
  static const guint pos[6] = { 0, 5, 8, 11, 14, 17 };
  static const guint width[6] = { 4, 2, 2, 2, 2, 2 };

  if (len < 19)
    return NULL;
  for (guint i = 0; i < 6; i++)
    {
      v[i] = 0;
      for (guint j = 0; j < width[i]; j++)
        {
          if (!g_ascii_isdigit (text[pos[i] + j]))
            return NULL;
          v[i] = v[i] * 10 + (text[pos[i] + j] - '0');
        }
    }
  if (!g_date_valid_dmy (v[2], v[1], v[0]) || v[3] > 23 || v[4] > 59 || v[5] > 60)
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02uT%02u:%02u:%02u", v[0], v[1], v[2], v[3], v[4], v[5]);
}

static char *
exif_captured_at (ExifLoader *loader)
{
  static const struct { ExifIfd ifd; ExifTag tag; } dates[] = {
    { EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL },
    { EXIF_IFD_0, EXIF_TAG_DATE_TIME },
  };
  g_autoptr(ExifData) exif = NULL;
  const unsigned char *buf = NULL;
  unsigned int size = 0;

  exif_loader_get_buf (loader, &buf, &size);
  if (buf == NULL || size == 0)
    return NULL;
  /* Load without “following the specification”: that option fills in missing mandatory tags,
   * and a missing DateTime would come back as the time of the import. */
  exif = exif_data_new ();
  exif_data_unset_option (exif, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_load_data (exif, buf, size);

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      ExifEntry *entry = exif_content_get_entry (exif->ifd[dates[i].ifd], dates[i].tag);
      char *iso;

      if (entry == NULL || entry->format != EXIF_FORMAT_ASCII || entry->data == NULL)
        continue;
      iso = exif_date_to_iso8601 ((const char *) entry->data, entry->size);
      if (iso != NULL)
        return iso;
    }
  return NULL;
}

/* ---- what the bytes say about the file ---------------------------------------------------- */

struct _AtEvidenceSniff
{
  char           *name;
  gboolean        has_kind;
  AtEvidenceKind  kind;
  gboolean        first;
  ExifLoader     *loader;       /* while the EXIF reader still wants data */
  char           *captured_at;
};

AtEvidenceSniff *
_at_evidence_sniff_new (const char     *original_name,
                        gboolean        has_kind,
                        AtEvidenceKind  kind)
{
  AtEvidenceSniff *self = g_new0 (AtEvidenceSniff, 1);

  self->name = g_strdup (original_name);
  self->has_kind = has_kind;
  self->kind = kind;
  self->first = TRUE;
  return self;
}

void
_at_evidence_sniff_free (AtEvidenceSniff *self)
{
  g_clear_pointer (&self->loader, exif_loader_unref);
  g_free (self->captured_at);
  g_free (self->name);
  g_free (self);
}

/* The kind is guessed from the first chunk (name and magic bytes); a photo's chunks go to the
 * EXIF reader until it says (returns 0) that it has the EXIF block or knows there is none. */
void
_at_evidence_sniff_feed (AtEvidenceSniff *self,
                         const guchar    *buf,
                         gsize            n)
{
  if (n == 0)
    return;
  if (self->first)
    {
      if (!self->has_kind)
        self->kind = at_evidence_kind_guess (self->name, buf, n);
      if (self->kind == AT_EVIDENCE_PHOTO)
        self->loader = exif_loader_new ();
      self->first = FALSE;
    }
  /* exif_loader_write takes an unsigned int: feed a huge chunk in pieces */
  while (self->loader != NULL && n > 0)
    {
      unsigned int piece = (unsigned int) MIN (n, (gsize) G_MAXINT);

      if (!exif_loader_write (self->loader, (unsigned char *) buf, piece))
        {
          g_free (self->captured_at);
          self->captured_at = exif_captured_at (self->loader);
          g_clear_pointer (&self->loader, exif_loader_unref);
        }
      buf += piece;
      n -= piece;
    }
}

AtEvidenceKind
_at_evidence_sniff_finish (AtEvidenceSniff  *self,
                           char            **captured_at)
{
  if (self->loader != NULL)
    {
      g_free (self->captured_at);
      self->captured_at = exif_captured_at (self->loader);
      g_clear_pointer (&self->loader, exif_loader_unref);
    }
  *captured_at = g_steal_pointer (&self->captured_at);
  return self->kind;
}

/* What the copy shows us on its way (at-evidence-copy.c): each chunk goes to the sniffer, which
 * takes the kind from the first bytes and a photo's EXIF block from its start. */
static void
sniff_chunk (const guchar *buf,
             gsize         n,
             gpointer      user_data)
{
  _at_evidence_sniff_feed (user_data, buf, n);
}

/* The copy into the store, hashed as it lands; memory stays at a window whatever the size of
 * the file. */
static gboolean
copy_and_hash (AddData        *data,
               int             in_fd,
               const GStatBuf *st,
               int             out_fd,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(AtEvidenceSniff) sniff = _at_evidence_sniff_new (data->original_name, data->has_kind, data->kind);
  guint64 size = 0;
  gboolean ok;

  ok = _at_evidence_copy (in_fd, st, out_fd, data->path, sniff_chunk, sniff, data->progress, data->progress_data,
                          cancellable, &data->sha256, &size, error);
  if (ok && size == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is empty: there is nothing to keep as evidence"), data->path);
      ok = FALSE;
    }
  g_free (data->captured_at);
  data->kind = _at_evidence_sniff_finish (sniff, &data->captured_at);
  data->size = size;
  return ok;
}

/* Step 2 (any thread; touches files only): the file, copied, hashed and synced to a temporary
 * name. On failure nothing is left behind. */
static gboolean
add_ingest (AddData       *data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *tmp_path = NULL;
  gboolean created_dir;
  gboolean ok;
  GStatBuf st;
  int in_fd;
  int out_fd;

  in_fd = open_source (data->path, &st, error);
  if (in_fd < 0)
    return FALSE;

  /* Every ingest sweeps up after earlier ones that were killed half-way. */
  created_dir = !g_file_test (data->evidence_dir, G_FILE_TEST_IS_DIR);
  if (g_mkdir_with_parents (data->evidence_dir, 0700) != 0)
    {
      set_io_error (error, AT_ERROR_FAILED, errno, _("could not create the folder %s"), data->evidence_dir);
      close (in_fd);
      return FALSE;
    }

  /* read too: the hash is computed from the copy (at-evidence-copy.c) */
  out_fd = at_temp_file_new (data->evidence_dir, _AT_EVIDENCE_TEMP_PREFIX, 0600, &tmp_path, error);
  if (out_fd < 0)
    {
      close (in_fd);
      return FALSE;
    }

  ok = copy_and_hash (data, in_fd, &st, out_fd, cancellable, error);
  close (in_fd);
  if (ok && fsync (out_fd) != 0)
    ok = set_io_error (error, AT_ERROR_FAILED, errno, _("could not store a copy of “%s”"), data->path);

  if (!ok)
    {
      g_unlink (tmp_path);
      close (out_fd);
      /* leave no empty folder behind either; rmdir fails harmlessly if another ingest is using it */
      if (created_dir)
        g_rmdir (data->evidence_dir);
      return FALSE;
    }
  /* kept open: the lock says this temporary is alive until it is placed */
  data->tmp_fd = out_fd;
  data->tmp_path = g_steal_pointer (&tmp_path);

  /* A photo's preview is made here, in the ingest's thread, while the file is in the page
   * cache: the report and the clause page then show it without decoding megapixels. It is
   * derived data, so a photo gdk-pixbuf cannot read is still evidence, just without one. */
  if (data->kind == AT_EVIDENCE_PHOTO && !g_cancellable_is_cancelled (cancellable))
    {
      g_autoptr(GBytes) preview = at_thumbnail_make (data->data_dir, data->sha256, data->tmp_path, NULL);
    }
  return TRUE;
}

static void
release_tmp (AddData *data)
{
  if (data->tmp_fd >= 0)
    close (data->tmp_fd);
  data->tmp_fd = -1;
}

/* Inside the transaction: the temporary file becomes evidence/<aa>/<sha256>, or is dropped if
 * that file is already stored. *placed says whether this call put the file there. */
static gboolean
place_file (AtStore   *store,
            AddData   *data,
            gboolean  *placed,
            GError   **error)
{
  g_autofree char *final = at_evidence_get_path (store, data->sha256);
  g_autofree char *dir = g_path_get_dirname (final);
  gboolean new_dir;
  GStatBuf st;

  *placed = FALSE;
  if (g_lstat (final, &st) == 0)
    {
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("%s is in the way of the evidence file: it is not a regular file"), final);
          return FALSE;
        }
      /* content-addressed: a file under this name is already exactly these bytes */
      g_unlink (data->tmp_path);
      g_clear_pointer (&data->tmp_path, g_free);
      release_tmp (data);
      return TRUE;
    }

  new_dir = !g_file_test (dir, G_FILE_TEST_IS_DIR);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_io_error (error, AT_ERROR_FAILED, errno, _("could not create the folder %s"), dir);
  if (g_rename (data->tmp_path, final) != 0)
    return set_io_error (error, AT_ERROR_FAILED, errno, _("could not store the evidence as %s"), final);
  g_clear_pointer (&data->tmp_path, g_free);
  release_tmp (data);
  *placed = TRUE;

  /* the rename is durable only once the folder holding the new name is synced, and the
   * folder itself only once its parent is */
  return at_fsync_dir (dir, error) && (!new_dir || at_fsync_dir (data->evidence_dir, error));
}

static gboolean
insert_rows (AtStore  *store,
             AddData  *data,
             GError  **error)
{
  sqlite3 *db = _at_store_get_db (store);
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autofree char *now = at_now_iso8601 ();

  /* Added again to the same assessment: the first record stands (who added it first, and
   * when); only new clause links are merged in. */
  put = _at_store_prepare (store, "INSERT INTO evidence (assessment_id, sha256, kind, size, original_name, note, "
                                  "captured_at, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT (assessment_id, sha256) DO NOTHING", error);
  if (put == NULL)
    return FALSE;
  sqlite3_bind_text (put, 1, data->assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 2, data->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 3, at_evidence_kind_to_string (data->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (put, 4, data->size);
  sqlite3_bind_text (put, 5, data->original_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 6, data->note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 7, data->captured_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 8, data->actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 9, now, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, put, error))
    return FALSE;
  if (sqlite3_changes (db) > 0 &&
      !_at_audit_append (store, data->assessment_id, data->actor, "add-evidence", "evidence", data->sha256, error))
    return FALSE;

  for (guint i = 0; data->clauses[i]; i++)
    {
      g_autoptr(sqlite3_stmt) link = _at_store_prepare (store, "INSERT INTO evidence_links (assessment_id, sha256, clause) "
                                                               "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", error);
      g_autofree char *key = g_strdup_printf ("%s/%s", data->sha256, data->clauses[i]);

      if (link == NULL)
        return FALSE;
      sqlite3_bind_text (link, 1, data->assessment_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (link, 2, data->sha256, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (link, 3, data->clauses[i], -1, SQLITE_TRANSIENT);
      if (!_at_store_step_done (store, link, error))
        return FALSE;
      if (sqlite3_changes (db) > 0 &&
          !_at_audit_append (store, data->assessment_id, data->actor, "add-evidence", "link", key, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- a corrective action's evidence --------------------------------------------------- */

/* The follow-up's rules: the NC exists and is not closed, and the organisation or an assessor
 * attaches. With write, the transaction is left open for the rows; without, rolled back. */
static gboolean
nc_check (AtStore  *store,
          AddData  *data,
          gboolean  write,
          GError  **error)
{
  g_autoptr(AtNonconformity) nc = at_nonconformity_lookup (store, data->nc_id, error);
  g_autoptr(AtIdentity) who = NULL;

  if (nc == NULL)
    return FALSE;
  g_free (data->assessment_id);
  data->assessment_id = g_strdup (at_nonconformity_get_assessment_id (nc));
  if (!_at_change_begin (store, data->assessment_id, data->actor, AT_CHANGE_FOLLOW_UP, NULL, &who, error))
    return FALSE;

  /* read again under the write lock: the status checked is the one the file is added to */
  g_clear_object (&nc);
  nc = at_nonconformity_lookup (store, data->nc_id, error);
  if (nc == NULL)
    goto fail;
  if (!at_identity_has_role (who, AT_ROLE_ORGANISATION | AT_ROLE_ASSESSOR))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s cannot attach evidence to %s: only the organisation or an assessor may"),
                   at_identity_get_name (who), at_nonconformity_get_label (nc));
      goto fail;
    }
  if (at_nonconformity_get_status (nc) == AT_NC_CLOSED)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s is closed: an assessor must reopen it before its corrective action takes more evidence"),
                   at_nonconformity_get_label (nc));
      goto fail;
    }
  if (!write)
    _at_change_abort (store);
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}

static gboolean
nc_insert_row (AtStore  *store,
               AddData  *data,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autofree char *now = at_now_iso8601 ();
  g_autofree char *key = g_strdup_printf ("%s/%s", data->nc_id, data->sha256);

  put = _at_store_prepare (store, "INSERT INTO nc_evidence (assessment_id, nc_id, sha256, kind, size, original_name, note, "
                                  "added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", error);
  if (put == NULL)
    return FALSE;
  sqlite3_bind_text (put, 1, data->assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 2, data->nc_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 3, data->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 4, at_evidence_kind_to_string (data->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (put, 5, data->size);
  sqlite3_bind_text (put, 6, data->original_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 7, data->note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 8, data->actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 9, now, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, put, error))
    return FALSE;
  return sqlite3_changes (_at_store_get_db (store)) == 0 ||
         _at_audit_append (store, data->assessment_id, data->actor, "attach", "nc-evidence", key, error);
}

/* Step 3 (the store's thread): place the file and write the rows in one transaction. */
static char *
add_commit (AtStore  *store,
            AddData  *data,
            GError  **error)
{
  gboolean placed = FALSE;
  gboolean begun;

  begun = data->nc_id != NULL
          ? nc_check (store, data, TRUE, error)
          : _at_change_begin (store, data->assessment_id, data->actor, AT_CHANGE_RECORD, NULL, NULL, error);
  if (!begun)
    return NULL;

  if (!place_file (store, data, &placed, error) ||
      !(data->nc_id != NULL ? nc_insert_row (store, data, error) : insert_rows (store, data, error)) ||
      !_at_change_commit (store, error))
    {
      _at_change_abort (store);
      /* we hold the write lock and just created the file, so nothing else refers to it */
      if (placed)
        {
          g_autofree char *final = at_evidence_get_path (store, data->sha256);
          g_unlink (final);
        }
      return NULL;
    }
  return g_strdup (data->sha256);
}

/**
 * at_evidence_add:
 * @clauses: (nullable): clause numbers the file supports; each must be assessable
 * @kind_or_null: (nullable): document, photo, audio, video or other; NULL guesses from the content
 * @progress: (nullable): called in this thread after each 1 MiB chunk with bytes done and total
 *
 * Stores the file at @path (once per data directory, by content) and records it in the
 * assessment, linked to @clauses. The same file added again to the same assessment keeps its
 * first record and gains any new links. Cancelling leaves nothing behind.
 *
 * Returns: (transfer full): the file's SHA-256 in lowercase hex, or NULL with @error set.
 */
char *
at_evidence_add (AtStore             *store,
                 const char          *assessment_id,
                 const char          *path,
                 const char          *actor,
                 const char * const  *clauses,
                 const char          *kind_or_null,
                 const char          *note,
                 AtProgressFunc       progress,
                 gpointer             progress_data,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(AddData) data = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (assessment_id != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = add_data_new (store, assessment_id, path, actor, clauses, kind_or_null, note, progress, progress_data, error);
  if (data == NULL || !add_check (store, data, error))
    return NULL;
  at_evidence_clean_temporary (store);
  if (!add_ingest (data, cancellable, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return add_commit (store, data, error);
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  at_evidence_clean_temporary (source_object);
  if (!add_ingest (task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Back in the caller's context: the database part, which must not run in the worker because
 * the store's one connection would then carry two threads' transactions at once. */
static void
add_ingested (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AddData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *sha256;

  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      g_task_return_error_if_cancelled (task))
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sha256 = add_commit (AT_STORE (source_object), data, &error);
  if (sha256 == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, sha256, g_free);
}

/**
 * at_evidence_add_async:
 * @progress: (nullable): called in the worker thread (see #AtProgressFunc)
 *
 * at_evidence_add() with the copying and hashing in a worker thread. The request is checked
 * against the database before this returns work to the thread, and the rows are written back in
 * the caller's context. @progress_data must stay valid until @callback runs.
 */
void
at_evidence_add_async (AtStore             *store,
                       const char          *assessment_id,
                       const char          *path,
                       const char          *actor,
                       const char * const  *clauses,
                       const char          *kind_or_null,
                       const char          *note,
                       AtProgressFunc       progress,
                       gpointer             progress_data,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  AddData *data;

  g_return_if_fail (AT_IS_STORE (store));
  g_return_if_fail (assessment_id != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, at_evidence_add_async);

  data = add_data_new (store, assessment_id, path, actor, clauses, kind_or_null, note, progress, progress_data, &error);
  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  if (!add_check (store, data, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  worker = g_task_new (store, cancellable, add_ingested, g_object_ref (task));
  g_task_set_source_tag (worker, add_thread);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, add_thread);
}

char *
at_evidence_add_finish (AtStore       *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == at_evidence_add_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/**
 * at_nonconformity_add_evidence:
 *
 * Attaches the file at @path to the corrective action of nonconformity @nc_id: stored once by
 * content like any evidence, recorded with the follow-up (in any state of the assessment, by the
 * organisation or an assessor, while the NC is not closed).
 *
 * Returns: (transfer full): the file's SHA-256, or NULL with @error set.
 */
char *
at_nonconformity_add_evidence (AtStore       *store,
                               const char    *nc_id,
                               const char    *path,
                               const char    *actor,
                               const char    *kind_or_null,
                               const char    *note,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(AddData) data = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (nc_id != NULL && path != NULL, NULL);

  data = add_data_new (store, "", path, actor, NULL, kind_or_null, note, NULL, NULL, error);
  if (data == NULL)
    return NULL;
  data->nc_id = g_strdup (nc_id);
  if (!add_check (store, data, error))
    return NULL;
  at_evidence_clean_temporary (store);
  if (!add_ingest (data, cancellable, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return add_commit (store, data, error);
}

void
at_nonconformity_add_evidence_async (AtStore             *store,
                                     const char          *nc_id,
                                     const char          *path,
                                     const char          *actor,
                                     const char          *kind_or_null,
                                     const char          *note,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  AddData *data;

  g_return_if_fail (AT_IS_STORE (store));
  g_return_if_fail (nc_id != NULL && path != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, at_nonconformity_add_evidence_async);
  data = add_data_new (store, "", path, actor, NULL, kind_or_null, note, NULL, NULL, &error);
  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->nc_id = g_strdup (nc_id);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);
  if (!add_check (store, data, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  worker = g_task_new (store, cancellable, add_ingested, g_object_ref (task));
  g_task_set_source_tag (worker, add_thread);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, add_thread);
}

char *
at_nonconformity_add_evidence_finish (AtStore       *store,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == at_nonconformity_add_evidence_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* For operations that record evidence together with other rows in one transaction (a
 * measurement taken from a data file): the same three steps, with step 3 inside the caller's
 * transaction. */

AtEvidenceIngest *
_at_evidence_ingest_new (AtStore            *store,
                         const char         *assessment_id,
                         const char         *path,
                         const char         *actor,
                         const char * const *clauses,
                         const char         *kind_or_null,
                         const char         *note,
                         GError            **error)
{
  g_autoptr(AddData) data = add_data_new (store, assessment_id, path, actor, clauses, kind_or_null, note, NULL, NULL, error);

  if (data == NULL || !add_check (store, data, error))
    return NULL;
  return g_steal_pointer (&data);
}

gboolean
_at_evidence_ingest_run (AtEvidenceIngest  *ingest,
                         GCancellable      *cancellable,
                         GError           **error)
{
  return add_ingest (ingest, cancellable, error);
}

const char *_at_evidence_ingest_get_tmp_path (AtEvidenceIngest *ingest) { return ingest->tmp_path; }
const char *_at_evidence_ingest_get_sha256 (AtEvidenceIngest *ingest) { return ingest->sha256; }
const char *_at_evidence_ingest_get_name (AtEvidenceIngest *ingest) { return ingest->original_name; }
gint64 _at_evidence_ingest_get_size (AtEvidenceIngest *ingest) { return ingest->size; }

gboolean
_at_evidence_ingest_place (AtStore           *store,
                           AtEvidenceIngest  *ingest,
                           gboolean          *placed,
                           GError           **error)
{
  return place_file (store, ingest, placed, error) && insert_rows (store, ingest, error);
}

/* After a rolled-back transaction: the file this ingest placed is referred to by nothing. */
void
_at_evidence_ingest_unplace (AtStore          *store,
                             AtEvidenceIngest *ingest)
{
  g_autofree char *final = at_evidence_get_path (store, ingest->sha256);
  g_unlink (final);
}

void
_at_evidence_ingest_free (AtEvidenceIngest *ingest)
{
  add_data_free (ingest);
}
