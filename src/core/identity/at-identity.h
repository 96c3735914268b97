/* at-identity.h — the people who sign: a name, roles, and an X.509 key kept as PKCS#12 */
#pragma once

#include "at-store.h"

G_BEGIN_DECLS

#define AT_TYPE_IDENTITY (at_identity_get_type ())
G_DECLARE_FINAL_TYPE (AtIdentity, at_identity, AT, IDENTITY, GObject)

typedef enum
{
  AT_ROLE_ASSESSOR     = 1 << 0,
  AT_ROLE_REVIEWER     = 1 << 1,
  AT_ROLE_ISSUER       = 1 << 2,
  AT_ROLE_ORGANISATION = 1 << 3,
} AtRoles;

AtRoles      at_roles_parse            (const char * const *names,
                                        GError            **error);
char        *at_roles_to_string        (AtRoles             roles);

AtIdentity  *at_identity_create        (AtStore     *store,
                                        const char  *name,
                                        AtRoles      roles,
                                        const char  *org,
                                        const char  *passphrase,
                                        GError     **error);
AtIdentity  *at_identity_import        (AtStore     *store,
                                        const char  *p12_path,
                                        AtRoles      roles,
                                        const char  *passphrase,
                                        GError     **error);
GPtrArray   *at_identity_list          (AtStore     *store,
                                        GError     **error);
AtIdentity  *at_identity_lookup        (AtStore     *store,
                                        const char  *id,
                                        GError     **error);

const char  *at_identity_get_id        (AtIdentity *self);
const char  *at_identity_get_name      (AtIdentity *self);
const char  *at_identity_get_org       (AtIdentity *self);
AtRoles      at_identity_get_roles     (AtIdentity *self);
const char  *at_identity_get_cert_pem  (AtIdentity *self);
gboolean     at_identity_has_role      (AtIdentity *self,
                                        AtRoles     role);
char        *at_identity_dup_label     (AtIdentity *self);

G_END_DECLS
