/* at-evidence-copy-private.h — a file copied into the store and hashed as it lands there */
#pragma once

#include <glib/gstdio.h>

#include "at-util.h"

G_BEGIN_DECLS

/* Sees every byte of the copy once, in order, in pieces of at most 1 MiB. */
typedef void (*AtCopyChunkFunc) (const guchar *data,
                                 gsize         len,
                                 gpointer      user_data);

/* Copies the regular file open as in_fd (before: what fstat said when it was opened) into the
 * empty file out_fd, and gives the SHA-256 (lowercase hex) and size of what out_fd then holds.
 * The kernel copies where it can (a reflink, copy_file_range); the hash is always of the copy.
 * A source that changed while it was copied is refused. path names the source in messages;
 * progress is called in this thread. */
gboolean _at_evidence_copy (int               in_fd,
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
                            GError          **error);

G_END_DECLS
