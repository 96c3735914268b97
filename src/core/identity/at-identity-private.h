#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "at-identity.h"

G_BEGIN_DECLS

char     *_at_identity_key_path  (AtStore       *store,
                                  const char    *id);
gboolean  _at_identity_open_p12  (const guchar  *data,
                                  gsize          len,
                                  const char    *passphrase,
                                  EVP_PKEY     **key_out,
                                  X509         **cert_out,
                                  GError       **error);
gboolean  _at_identity_check_validity (X509     *cert,
                                       GError  **error);

G_END_DECLS
