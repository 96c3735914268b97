/* at-bundle-private.h — what the bundle reader, exporter and importer share */
#pragma once

#include <json-glib/json-glib.h>

#include "at-bundle.h"
#include "at-records-private.h"

G_BEGIN_DECLS

#define AT_BUNDLE_MANIFEST  "manifest.json"
#define AT_BUNDLE_SIGNATURE "manifest.json.sig"
#define AT_BUNDLE_EVIDENCE  "evidence/"

typedef struct
{
  char    *sha256;
  guint64  size;
  char    *tmp_path;   /* the checked copy in the temporary area; NULL when only hashed */
  gboolean seen;
} AtBundleFile;

/* A bundle read and checked: the manifest (structure, types, signature) and every evidence file
 * (listed, present once, size and SHA-256 as listed). Nothing of it is in a store yet. */
typedef struct
{
  char       *path;
  GBytes     *manifest_bytes;
  GBytes     *signature;
  JsonNode   *root;
  JsonObject *manifest;        /* the members below all point into root */
  const char *assessment_id;
  const char *exported_by;
  const char *exported_at;
  JsonObject *exporter;        /* exported_by's entry in identities */
  JsonObject *catalog;
  JsonArray  *identities;
  JsonObject *records;
  JsonArray  *audit;
  JsonArray  *branches;        /* team members' logs merged in, as they signed them; may be NULL */
  GHashTable *files;           /* sha256 → AtBundleFile */
  GPtrArray  *file_order;      /* AtBundleFile *, in manifest order */
  guint64     evidence_bytes;
} AtBundleContents;

/* The .attest file being written to fd: tar entries, zstd-compressed (at-bundle-writer.c). */
typedef struct _AtBundleWriter AtBundleWriter;
AtBundleWriter   *_at_bundle_writer_open     (int                fd,
                                              const char        *out_path,
                                              GError           **error);
gboolean          _at_bundle_writer_bytes    (AtBundleWriter    *writer,
                                              const char        *name,
                                              GBytes            *bytes,
                                              time_t             mtime,
                                              GError           **error);
/* The files from the data directory, each checked against its SHA-256 and size as it goes;
 * *done grows by their bytes, reported to progress against total. */
gboolean          _at_bundle_writer_evidence (AtBundleWriter    *writer,
                                              AtStore           *store,
                                              GPtrArray         *sha256s,
                                              GArray            *sizes,
                                              time_t             mtime,
                                              AtProgressFunc     progress,
                                              gpointer           progress_data,
                                              guint64           *done,
                                              guint64            total,
                                              GCancellable      *cancellable,
                                              GError           **error);
/* Ends the archive and writes what is left (the caller fsyncs). */
gboolean          _at_bundle_writer_close    (AtBundleWriter    *writer,
                                              GError           **error);
void              _at_bundle_writer_free     (AtBundleWriter    *writer);
/* Reads path; with tmp_dir, every evidence file is kept there (fsynced) under its SHA-256,
 * without it only hashed. */
AtBundleContents *_at_bundle_read            (const char        *path,
                                              const char        *tmp_dir,
                                              AtProgressFunc     progress,
                                              gpointer           progress_data,
                                              GCancellable      *cancellable,
                                              GError           **error);
void              _at_bundle_contents_free   (AtBundleContents  *contents);

/* An import that asks check, once the bundle is read and checked and before anything is
 * written, whether this bundle is the one wanted (FALSE with an error: nothing is imported). */
typedef gboolean (*AtBundleCheckFunc) (AtBundleContents  *contents,
                                       gpointer           user_data,
                                       GError           **error);
char             *_at_bundle_import_checked  (AtStore             *store,
                                              const char          *path,
                                              AtBundleImportFlags  flags,
                                              AtBundleCheckFunc    check,
                                              gpointer             check_data,
                                              AtBundleOutcome     *outcome_out,
                                              AtProgressFunc       progress,
                                              gpointer             progress_data,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* at-bundle-manifest.c: the manifest's structure and types (filling in contents), its
 * signature, and its audit log's hash chain and its records against that log — in that order. */
gboolean          _at_bundle_check_manifest  (AtBundleContents  *contents,
                                              GError           **error);
gboolean          _at_bundle_check_signature (AtBundleContents  *contents,
                                              GError           **error);
gboolean          _at_bundle_check_records   (AtBundleContents  *contents,
                                              GError           **error);

/* at-bundle-apply.c: one checked bundle into a store, in one transaction. With scratch (a
 * throwaway store, for verifying), everything is checked and nothing kept. */
char             *_at_bundle_apply           (AtStore             *store,
                                              AtBundleContents    *contents,
                                              AtBundleImportFlags  flags,
                                              gboolean             scratch,
                                              AtBundleOutcome     *outcome,
                                              GError             **error);

/* at-bundle-apply.c, for a merge: the bundle's people and files, and one of its rows. */
gboolean          _at_bundle_put_identities  (AtStore           *store,
                                              AtBundleContents  *contents,
                                              GError           **error);
gboolean          _at_bundle_put_files       (AtStore           *store,
                                              AtBundleContents  *contents,
                                              GError           **error);
gboolean          _at_bundle_put_row         (AtStore           *store,
                                              AtBundleContents  *contents,
                                              gint64             catalog_id,
                                              const AtEntityDesc *desc,
                                              const char        *key,
                                              JsonObject        *row,
                                              GError           **error);
/* A temporary area in the data directory to read a bundle into, locked while in use, and its
 * removal. */
char             *_at_bundle_area_new        (AtStore           *store,
                                              int               *lock_fd,
                                              GError           **error);
void              _at_bundle_area_remove     (const char        *area,
                                              int                lock_fd);

gboolean          _at_bundle_is_sha256       (const char        *text);
/* The identity id Attest derives from a certificate (the start of its SHA-256 fingerprint),
 * and the whole fingerprint in hex when fingerprint_out is given. */
char             *_at_bundle_cert_id         (const char        *cert_pem,
                                              char             **fingerprint_out,
                                              GError           **error);
char             *_at_bundle_evidence_path   (AtStore           *store,
                                              const char        *sha256);
/* The key of a manifest row, as _at_records_keys spells it; NULL when a key column is missing. */
char             *_at_bundle_row_key         (const char        *entity,
                                              JsonObject        *row);
char             *_at_bundle_format_size     (guint64            bytes);
/* The columns of table that name an identity (its foreign keys to identities). */
GPtrArray        *_at_bundle_identity_columns (AtStore          *store,
                                              const char        *table,
                                              GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtBundleContents, _at_bundle_contents_free)

G_END_DECLS
