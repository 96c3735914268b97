/* at-application.h — the Attest application: one store, the current identity, app-wide actions */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_APPLICATION (at_application_get_type ())
G_DECLARE_FINAL_TYPE (AtApplication, at_application, AT, APPLICATION, AdwApplication)

AtApplication *at_application_new           (void);
/* Opens the data directory (NULL: the default one) unless it is open, and reads its identities. */
gboolean       at_application_open_store    (AtApplication *self,
                                             const char    *data_dir,
                                             GError       **error);
AtStore       *at_application_get_store     (AtApplication *self);
GSettings     *at_application_get_settings  (AtApplication *self);
/* The person who records and signs in this session, or NULL before the first profile. */
AtIdentity    *at_application_get_identity  (AtApplication *self);
void           at_application_set_identity  (AtApplication *self,
                                             const char    *identity_id);
/* Re-reads the identities (after one was created or imported); keeps the current one. */
void           at_application_reload_identities (AtApplication *self);
GPtrArray     *at_application_get_identities (AtApplication *self);
const char    *at_application_get_person_name (AtApplication *self,
                                               const char    *identity_id);

G_END_DECLS
