/* at-temp.h — temporary files and folders that say whether the process writing them lives
 *
 * A process killed half-way (SIGKILL, a dead battery) leaves its temporary files behind, and
 * their age says nothing about it: a bundle import may take an hour, a crash may be a second
 * ago. So every temporary file or folder Attest makes is locked (flock) by the process that
 * writes it, for as long as it writes; the kernel drops the lock with the process. A temporary
 * whose lock can be taken belongs to nobody alive, and the next sweep removes it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

int       at_temp_file_new    (const char  *dir,
                               const char  *prefix,
                               int          mode,
                               char       **path_out,
                               GError     **error);
char     *at_temp_dir_new     (const char  *parent,
                               const char  *prefix,
                               int         *lock_fd_out,
                               GError     **error);
void      at_temp_dir_remove  (const char  *path,
                               int          lock_fd);
guint     at_temp_sweep       (const char  *dir,
                               const char  *prefix);

G_END_DECLS
