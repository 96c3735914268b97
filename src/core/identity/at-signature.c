/* at-signature.c — detached CMS signatures (SHA-256) made with an identity's key */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <glib/gstdio.h>

#include "at-error.h"
#include "at-identity-private.h"
#include "at-signature.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CMS_ContentInfo, CMS_ContentInfo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_STORE, X509_STORE_free)

struct _AtSigner
{
  GObject     parent_instance;

  AtIdentity *identity;
  EVP_PKEY   *key;
  X509       *cert;
};

G_DEFINE_FINAL_TYPE (AtSigner, at_signer, G_TYPE_OBJECT)

static void
at_signer_finalize (GObject *object)
{
  AtSigner *self = AT_SIGNER (object);

  g_clear_object (&self->identity);
  g_clear_pointer (&self->key, EVP_PKEY_free);
  g_clear_pointer (&self->cert, X509_free);

  G_OBJECT_CLASS (at_signer_parent_class)->finalize (object);
}

static void
at_signer_class_init (AtSignerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_signer_finalize;
}

static void
at_signer_init (AtSigner *self)
{
}

static void
set_openssl_error (GError     **error,
                   const char  *what)
{
  unsigned long code = ERR_get_error ();
  char buf[256] = "";

  if (code != 0)
    ERR_error_string_n (code, buf, sizeof buf);
  ERR_clear_error ();
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, "%s%s%s", what, *buf ? ": " : "", buf);
}

AtSigner *
at_signer_unlock (AtStore     *store,
                  const char  *identity_id,
                  const char  *passphrase,
                  GError     **error)
{
  g_autoptr(AtSigner) self = g_object_new (AT_TYPE_SIGNER, NULL);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  GStatBuf st;

  self->identity = at_identity_lookup (store, identity_id, error);
  if (self->identity == NULL)
    return NULL;
  if (passphrase == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("a passphrase is needed to sign as %s"),
                   at_identity_get_name (self->identity));
      return NULL;
    }

  path = _at_identity_key_path (store, identity_id);
  /* A key file copied with cp or restored from a backup may have come back readable by others:
   * it is ours, so make it private again before the key is used (0600, as written). */
  if (g_stat (path, &st) == 0 && (st.st_mode & 077) != 0)
    g_chmod (path, 0600);
  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the key of %s is missing from this data directory (%s)"),
                   at_identity_get_name (self->identity), local_error->message);
      return NULL;
    }
  if (!_at_identity_open_p12 ((const guchar *) contents, len, passphrase, &self->key, &self->cert, error))
    {
      g_prefix_error (error, "%s: ", at_identity_get_name (self->identity));
      return NULL;
    }
  return g_steal_pointer (&self);
}

AtIdentity *
at_signer_get_identity (AtSigner *self)
{
  return self->identity;
}

static GBytes *
sign_bio (AtSigner  *self,
          BIO       *in,
          GError   **error)
{
  g_autoptr(CMS_ContentInfo) cms = NULL;
  unsigned char *der = NULL;
  int der_len;
  GBytes *out;

  /* SHA-256 is OpenSSL 3's default digest for CMS with EC and RSA keys; DETACHED because the
   * signed bytes live elsewhere (the records, the PDF byte ranges); BINARY so no line endings
   * are rewritten. */
  cms = CMS_sign (self->cert, self->key, NULL, in, CMS_DETACHED | CMS_BINARY);
  if (cms == NULL)
    {
      set_openssl_error (error, _("could not sign"));
      return NULL;
    }
  der_len = i2d_CMS_ContentInfo (cms, &der);
  if (der_len <= 0)
    {
      set_openssl_error (error, _("could not encode the signature"));
      return NULL;
    }
  out = g_bytes_new (der, der_len);
  OPENSSL_free (der);
  return out;
}

GBytes *
at_signer_sign_detached (AtSigner      *self,
                         const guchar  *data,
                         gsize          len,
                         GError       **error)
{
  g_autoptr(BIO) in = BIO_new_mem_buf (data, (int) len);

  return sign_bio (self, in, error);
}

GBytes *
at_signer_sign_ranges (AtSigner      *self,
                       const guchar  *data1,
                       gsize          len1,
                       const guchar  *data2,
                       gsize          len2,
                       GError       **error)
{
  g_autoptr(BIO) in = BIO_new (BIO_s_mem ());

  BIO_write (in, data1, (int) len1);
  BIO_write (in, data2, (int) len2);
  return sign_bio (self, in, error);
}

static CMS_ContentInfo *
parse_cms (GBytes   *cms_der,
           GError  **error)
{
  gsize len = 0;
  const unsigned char *p = g_bytes_get_data (cms_der, &len);
  CMS_ContentInfo *cms = d2i_CMS_ContentInfo (NULL, &p, (long) len);

  if (cms == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the signature is not a CMS structure"));
    }
  return cms;
}

gboolean
at_signature_verify (GBytes        *cms_der,
                     const guchar  *data,
                     gsize          len,
                     const char    *cert_pem,
                     GError       **error)
{
  g_autoptr(CMS_ContentInfo) cms = parse_cms (cms_der, error);
  g_autoptr(BIO) content = NULL;
  g_autoptr(BIO) pem = NULL;
  g_autoptr(X509) cert = NULL;
  g_autoptr(X509_STORE) trust = X509_STORE_new ();
  STACK_OF (X509) *certs;
  int ok;

  if (cms == NULL)
    return FALSE;

  pem = BIO_new_mem_buf (cert_pem, -1);
  cert = PEM_read_bio_X509 (pem, NULL, NULL, NULL);
  if (cert == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the signer's certificate cannot be read"));
      return FALSE;
    }

  certs = sk_X509_new_null ();
  sk_X509_push (certs, cert);
  content = BIO_new_mem_buf (data, (int) len);
  /* CMS_NO_SIGNER_CERT_VERIFY: the certificate is pinned by the caller (the one Attest
   * recorded for this person), so a chain to a CA adds nothing here. */
  ok = CMS_verify (cms, certs, trust, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN);
  sk_X509_free (certs);
  if (ok != 1)
    {
      ERR_clear_error ();
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the signature does not match: the signed data changed, or someone else signed it"));
      return FALSE;
    }
  return TRUE;
}

char *
at_signature_signer_pem (GBytes  *cms_der,
                         GError **error)
{
  g_autoptr(CMS_ContentInfo) cms = parse_cms (cms_der, error);
  g_autoptr(BIO) out = NULL;
  STACK_OF (X509) *certs;
  char *data = NULL;
  long len;

  if (cms == NULL)
    return NULL;
  certs = CMS_get1_certs (cms);
  if (certs == NULL || sk_X509_num (certs) == 0)
    {
      if (certs)
        sk_X509_pop_free (certs, X509_free);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the signature carries no certificate"));
      return NULL;
    }
  out = BIO_new (BIO_s_mem ());
  PEM_write_bio_X509 (out, sk_X509_value (certs, 0));
  sk_X509_pop_free (certs, X509_free);
  len = BIO_get_mem_data (out, &data);
  return g_strndup (data, len);
}
