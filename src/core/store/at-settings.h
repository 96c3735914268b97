/* at-settings.h — the certification body's settings kept in the store
 *
 * Known keys: certificate.pattern ({CODE}-{YEAR}-{SEQ:4}), certificate.valid-years, body.name,
 * body.address. Unknown keys and values the workflow could later refuse are refused here.
 */
#pragma once

#include "at-store.h"

G_BEGIN_DECLS

char     *at_settings_get (AtStore     *store,
                           const char  *key,
                           const char  *fallback);
gboolean  at_settings_set (AtStore     *store,
                           const char  *key,
                           const char  *value,
                           GError     **error);

G_END_DECLS
