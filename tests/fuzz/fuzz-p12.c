/* fuzz-p12.c — libFuzzer target for PKCS#12 key files (identity import)
 *
 * `identity import FILE.p12` and the first-run dialog read a key file that someone else made
 * (the certification body's CA, a colleague's export). The input is the file; the passphrase is
 * make-corpus.sh's. The first byte's bit 0 asks the harness to recompute the file's MAC with
 * that passphrase first, so mutations get past the integrity check to the bags, the ciphers
 * and the certificate behind it instead of dying at the MAC. An answer is a key and a
 * certificate that belong together and are valid today, or a sentence.
 */
#include "config.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <stdint.h>

#include "fuzz-glib.h"
#include "at-core.h"
#include "at-identity-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define PASSPHRASE "fuzz corpus passphrase"  /* make-corpus.sh's */

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_glib_init ();
  return 0;
}

/* The input with its MAC made anew (same digest as before when it names one we know). */
static guchar *
remac (const guchar *data,
       gsize         len,
       int          *out_len)
{
  const unsigned char *p = data;
  PKCS12 *p12 = d2i_PKCS12 (NULL, &p, (long) len);
  const X509_ALGOR *macalg = NULL;
  const ASN1_OBJECT *obj = NULL;
  const EVP_MD *md = NULL;
  unsigned char *der = NULL;

  *out_len = 0;
  if (p12 == NULL)
    return NULL;
  PKCS12_get0_mac (NULL, &macalg, NULL, NULL, p12);
  if (macalg != NULL)
    {
      X509_ALGOR_get0 (&obj, NULL, NULL, macalg);
      md = EVP_get_digestbyobj (obj);
    }
  if (PKCS12_set_mac (p12, PASSPHRASE, -1, NULL, 0, 1, md) == 1)
    *out_len = i2d_PKCS12 (p12, &der);
  PKCS12_free (p12);
  if (*out_len <= 0)
    {
      OPENSSL_free (der);
      return NULL;
    }
  return der;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  EVP_PKEY *key = NULL;
  X509 *cert = NULL;
  const guchar *body;
  guchar *remade = NULL;
  gsize body_len;
  gboolean ok;

  if (size < 1)
    return 0;
  body = data + 1;
  body_len = size - 1;
  if (data[0] & 1)
    {
      int n = 0;

      remade = remac (body, body_len, &n);
      if (remade == NULL)
        {
          ERR_clear_error ();
          return 0;
        }
      body = remade;
      body_len = n;
    }

  ok = _at_identity_open_p12 (body, body_len, PASSPHRASE, &key, &cert, &error);
  g_assert (ok == (error == NULL));
  if (ok)
    {
      g_assert (key != NULL && cert != NULL);
      g_assert (X509_check_private_key (cert, key) == 1);
    }
  else
    {
      g_assert (key == NULL && cert == NULL);
      g_assert (error->message != NULL && *error->message != '\0');
    }
  /* what a refusal leaves on OpenSSL's error queue would be blamed on the next call */
  g_assert (ERR_peek_error () == 0);
  EVP_PKEY_free (key);
  X509_free (cert);
  OPENSSL_free (remade);
  return 0;
}
