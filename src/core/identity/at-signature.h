/* at-signature.h — detached CMS signatures (SHA-256) made with an identity's key */
#pragma once

#include "at-identity.h"

G_BEGIN_DECLS

#define AT_TYPE_SIGNER (at_signer_get_type ())
G_DECLARE_FINAL_TYPE (AtSigner, at_signer, AT, SIGNER, GObject)

/* Opens the identity's PKCS#12 with the passphrase: the key stays in memory only as long as
 * the signer lives. A wrong passphrase is AT_ERROR_PASSPHRASE. */
AtSigner   *at_signer_unlock        (AtStore       *store,
                                     const char    *identity_id,
                                     const char    *passphrase,
                                     GError       **error);
AtIdentity *at_signer_get_identity  (AtSigner      *self);
GBytes     *at_signer_sign_detached (AtSigner      *self,
                                     const guchar  *data,
                                     gsize          len,
                                     GError       **error);
GBytes     *at_signer_sign_ranges   (AtSigner      *self,
                                     const guchar  *data1,
                                     gsize          len1,
                                     const guchar  *data2,
                                     gsize          len2,
                                     GError       **error);

/* Verifies a detached CMS signature over data against the given PEM certificate (the signer's,
 * as Attest recorded it). Self-signed certificates are accepted: trust in the person comes
 * from the certification body's records, not from a CA chain here. */
gboolean    at_signature_verify     (GBytes        *cms_der,
                                     const guchar  *data,
                                     gsize          len,
                                     const char    *cert_pem,
                                     GError       **error);
/* The certificate (PEM) embedded in a CMS signature, for reports verified without a store. */
char       *at_signature_signer_pem (GBytes        *cms_der,
                                     GError       **error);

G_END_DECLS
