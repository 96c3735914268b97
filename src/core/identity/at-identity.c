/* at-identity.c — the people who sign: a name, roles, and an X.509 key kept as PKCS#12
 *
 * The private key never leaves its PKCS#12 file (mode 0600, AES-256 under the passphrase); the
 * database holds only the public certificate, so a copied database reveals no key.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include "at-error.h"
#include "at-identity-private.h"
#include "at-store-private.h"
#include "at-util.h"

struct _AtIdentity
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *org;
  char    *cert_pem;
  AtRoles  roles;
};

G_DEFINE_FINAL_TYPE (AtIdentity, at_identity, G_TYPE_OBJECT)

static const struct { AtRoles role; const char *name; } role_names[] = {
  { AT_ROLE_ASSESSOR, "assessor" },
  { AT_ROLE_REVIEWER, "reviewer" },
  { AT_ROLE_ISSUER, "issuer" },
  { AT_ROLE_ORGANISATION, "organisation" },
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PKCS12, PKCS12_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

static void
at_identity_finalize (GObject *object)
{
  AtIdentity *self = AT_IDENTITY (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->org);
  g_free (self->cert_pem);

  G_OBJECT_CLASS (at_identity_parent_class)->finalize (object);
}

static void
at_identity_class_init (AtIdentityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_identity_finalize;
}

static void
at_identity_init (AtIdentity *self)
{
}

const char *at_identity_get_id (AtIdentity *self) { return self->id; }
const char *at_identity_get_name (AtIdentity *self) { return self->name; }
const char *at_identity_get_org (AtIdentity *self) { return self->org; }
AtRoles at_identity_get_roles (AtIdentity *self) { return self->roles; }
const char *at_identity_get_cert_pem (AtIdentity *self) { return self->cert_pem; }

gboolean
at_identity_has_role (AtIdentity *self,
                      AtRoles     role)
{
  return (self->roles & role) != 0;
}

char *
at_identity_dup_label (AtIdentity *self)
{
  if (self->org != NULL && *self->org != '\0')
    return g_strdup_printf ("%s (%s)", self->name, self->org);
  return g_strdup (self->name);
}

AtRoles
at_roles_parse (const char * const *names,
                GError            **error)
{
  AtRoles roles = 0;

  for (guint i = 0; names && names[i]; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (role_names); j++)
        if (g_str_equal (names[i], role_names[j].name))
          {
            roles |= role_names[j].role;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("unknown role “%s”: use assessor, reviewer, issuer or organisation"), names[i]);
          return 0;
        }
    }
  return roles;
}

char *
at_roles_to_string (AtRoles roles)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint j = 0; j < G_N_ELEMENTS (role_names); j++)
    if (roles & role_names[j].role)
      g_string_append_printf (s, "%s%s", s->len ? "," : "", role_names[j].name);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static AtRoles
roles_from_column (const char *text)
{
  g_auto(GStrv) names = g_strsplit (text ? text : "", ",", -1);

  return at_roles_parse ((const char * const *) names, NULL);
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

static char *
cert_to_pem (X509 *cert)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;

  PEM_write_bio_X509 (bio, cert);
  len = BIO_get_mem_data (bio, &data);
  return g_strndup (data, len);
}

/* The id is the start of the certificate's SHA-256 fingerprint: stable across machines, so a
 * bundle names the same person the same way everywhere. */
static char *
cert_id (X509 *cert)
{
  guchar md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  GString *hex = g_string_new (NULL);

  X509_digest (cert, EVP_sha256 (), md, &len);
  for (unsigned int i = 0; i < 8 && i < len; i++)
    g_string_append_printf (hex, "%02x", md[i]);
  return g_string_free (hex, FALSE);
}

static char *
subject_entry (X509 *cert,
               int   nid)
{
  X509_NAME *subject = X509_get_subject_name (cert);
  int idx = X509_NAME_get_index_by_NID (subject, nid, -1);
  ASN1_STRING *data;
  unsigned char *utf8 = NULL;
  char *out;
  int len;

  if (idx < 0)
    return NULL;
  data = X509_NAME_ENTRY_get_data (X509_NAME_get_entry (subject, idx));
  len = ASN1_STRING_to_UTF8 (&utf8, data);
  if (len < 0)
    return NULL;
  out = g_strndup ((const char *) utf8, len);
  OPENSSL_free (utf8);
  return out;
}

static X509 *
make_self_signed (EVP_PKEY    *key,
                  const char  *name,
                  const char  *org,
                  GError     **error)
{
  g_autoptr(X509) cert = X509_new ();
  X509_NAME *subject;
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  unsigned char serial[16];
  BIGNUM *bn;

  RAND_bytes (serial, sizeof serial);
  serial[0] &= 0x7f; /* a positive serial */
  bn = BN_bin2bn (serial, sizeof serial, NULL);
  BN_to_ASN1_INTEGER (bn, X509_get_serialNumber (cert));
  BN_free (bn);

  X509_set_version (cert, X509_VERSION_3);
  X509_gmtime_adj (X509_getm_notBefore (cert), 0);
  X509_gmtime_adj (X509_getm_notAfter (cert), 60L * 60 * 24 * 365 * 10);
  X509_set_pubkey (cert, key);

  subject = X509_get_subject_name (cert);
  X509_NAME_add_entry_by_txt (subject, "CN", MBSTRING_UTF8, (const unsigned char *) name, -1, -1, 0);
  if (org != NULL && *org != '\0')
    X509_NAME_add_entry_by_txt (subject, "O", MBSTRING_UTF8, (const unsigned char *) org, -1, -1, 0);
  X509_set_issuer_name (cert, subject);

  X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_basic_constraints, "critical,CA:FALSE");
  X509_add_ext (cert, ext, -1);
  X509_EXTENSION_free (ext);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_key_usage, "critical,digitalSignature,nonRepudiation");
  X509_add_ext (cert, ext, -1);
  X509_EXTENSION_free (ext);

  if (X509_sign (cert, key, EVP_sha256 ()) == 0)
    {
      set_openssl_error (error, _("could not sign the certificate"));
      return NULL;
    }
  return g_steal_pointer (&cert);
}

static gboolean
insert_identity (AtStore     *store,
                 AtIdentity  *identity,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *roles = at_roles_to_string (identity->roles);
  g_autofree char *now = at_now_iso8601 ();
  int rc;

  stmt = _at_store_prepare (store, "INSERT INTO identities (id, name, roles, org, cert_pem, created_at) "
                                   "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, identity->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, identity->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, roles, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, identity->org, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, identity->cert_pem, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("identity %s (%s) is already in this store"),
                   identity->id, identity->name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not save the identity"));
      return FALSE;
    }
  return TRUE;
}

char *
_at_identity_key_path (AtStore    *store,
                       const char *id)
{
  g_autofree char *base = g_strconcat (id, ".p12", NULL);

  return at_store_get_path (store, "identities", base, NULL);
}

/* Saves the PKCS#12 file first and the row second, in one transaction: a crash between the
 * two leaves an orphan key file, never a row whose key is missing. */
static AtIdentity *
save_identity (AtStore      *store,
               X509         *cert,
               const char   *name,
               const char   *org,
               AtRoles       roles,
               const guchar *p12,
               gsize         p12_len,
               GError      **error)
{
  g_autoptr(AtIdentity) self = g_object_new (AT_TYPE_IDENTITY, NULL);
  g_autofree char *dir = at_store_get_path (store, "identities", NULL);
  g_autofree char *path = NULL;

  self->id = cert_id (cert);
  self->name = g_strdup (name);
  self->org = g_strdup (org);
  self->roles = roles;
  self->cert_pem = cert_to_pem (cert);

  if (!_at_store_begin (store, error))
    return NULL;
  if (!insert_identity (store, self, error))
    {
      _at_store_rollback (store);
      return NULL;
    }

  path = _at_identity_key_path (store, self->id);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      _at_store_rollback (store);
      g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("could not create %s: %s"), dir, at_strerror (saved));
      return NULL;
    }
  if (!at_write_file_atomic (path, p12, p12_len, 0600, error) || !_at_store_commit (store, error))
    {
      _at_store_rollback (store);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
check_passphrase (const char  *passphrase,
                  GError     **error)
{
  if (passphrase == NULL || g_utf8_strlen (passphrase, -1) < 8)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the passphrase must have at least 8 characters"));
      return FALSE;
    }
  return TRUE;
}

AtIdentity *
at_identity_create (AtStore     *store,
                    const char  *name,
                    AtRoles      roles,
                    const char  *org,
                    const char  *passphrase,
                    GError     **error)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) cert = NULL;
  g_autoptr(PKCS12) p12 = NULL;
  g_autofree char *friendly = NULL;
  unsigned char *der = NULL;
  AtIdentity *identity;
  int der_len;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);

  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));

  if (*trimmed == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("an identity needs a name"));
      return NULL;
    }
  if (roles == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("an identity needs at least one role"));
      return NULL;
    }
  if (!check_passphrase (passphrase, error))
    return NULL;

  /* P-256: signatures every PDF reader and OpenSSL verify, and keys made in milliseconds. */
  key = EVP_EC_gen ("P-256");
  if (key == NULL)
    {
      set_openssl_error (error, _("could not create a key"));
      return NULL;
    }
  cert = make_self_signed (key, trimmed, org, error);
  if (cert == NULL)
    return NULL;

  /* OpenSSL 3 defaults: AES-256-CBC with PBKDF2 for the key and certificate, HMAC-SHA-256. */
  friendly = g_strdup (trimmed);
  p12 = PKCS12_create (passphrase, friendly, key, cert, NULL, 0, 0, 0, 0, 0);
  if (p12 == NULL || (der_len = i2d_PKCS12 (p12, &der)) <= 0)
    {
      set_openssl_error (error, _("could not create the PKCS#12 file"));
      return NULL;
    }

  identity = save_identity (store, cert, trimmed, org, roles, der, der_len, error);
  OPENSSL_free (der);
  return identity;
}

/* The largest PKCS#12 file we read: a key, its certificate and a chain are a few kilobytes. */
#define MAX_P12_SIZE (1024 * 1024)

/* The MAC's digest: HMAC with SHA-1 is what the legacy format used; SHA-2 is what OpenSSL 3
 * and current Windows write. */
static gboolean
mac_is_current (PKCS12      *p12,
                const char **name_out)
{
  const X509_ALGOR *macalg = NULL;
  const ASN1_OBJECT *obj = NULL;
  int nid;

  PKCS12_get0_mac (NULL, &macalg, NULL, NULL, p12);
  if (macalg == NULL)
    return FALSE;
  X509_ALGOR_get0 (&obj, NULL, NULL, macalg);
  nid = OBJ_obj2nid (obj);
  *name_out = nid != NID_undef ? OBJ_nid2sn (nid) : "?";
  return nid == NID_sha256 || nid == NID_sha384 || nid == NID_sha512;
}

/* Password-based encryption as OpenSSL 3 and current Windows write it: PBES2 (PBKDF2) with
 * AES. The PKCS#12 v1 schemes (3DES, RC2, RC4 with a SHA-1 key derivation) are legacy: RC2 and
 * RC4 need OpenSSL's legacy provider, and all of them are weak. */
static gboolean
pbe_is_current (const X509_ALGOR  *alg,
                const char       **name_out)
{
  const ASN1_OBJECT *obj = NULL;
  const void *param = NULL;
  int ptype = 0;
  PBE2PARAM *pbe2;
  const ASN1_OBJECT *kdf = NULL, *cipher = NULL;
  int kdf_nid, cipher_nid;
  gboolean ok;

  X509_ALGOR_get0 (&obj, &ptype, &param, alg);
  *name_out = OBJ_obj2nid (obj) != NID_undef ? OBJ_nid2sn (OBJ_obj2nid (obj)) : "?";
  if (OBJ_obj2nid (obj) != NID_pbes2 || ptype != V_ASN1_SEQUENCE || param == NULL)
    return FALSE;

  pbe2 = ASN1_TYPE_unpack_sequence (ASN1_ITEM_rptr (PBE2PARAM), (const ASN1_TYPE *) alg->parameter);
  if (pbe2 == NULL)
    {
      ERR_clear_error ();
      return FALSE;
    }
  X509_ALGOR_get0 (&kdf, NULL, NULL, pbe2->keyfunc);
  X509_ALGOR_get0 (&cipher, NULL, NULL, pbe2->encryption);
  kdf_nid = OBJ_obj2nid (kdf);
  cipher_nid = OBJ_obj2nid (cipher);
  ok = (kdf_nid == NID_id_pbkdf2 || kdf_nid == NID_id_scrypt) &&
       (cipher_nid == NID_aes_128_cbc || cipher_nid == NID_aes_192_cbc || cipher_nid == NID_aes_256_cbc);
  if (!ok)
    *name_out = cipher_nid != NID_undef ? OBJ_nid2sn (cipher_nid) : "?";
  PBE2PARAM_free (pbe2);
  return ok;
}

static gboolean check_bags (const STACK_OF (PKCS12_SAFEBAG) *bags, guint depth, GError **error);

static gboolean
refuse_legacy (const char  *name,
               GError     **error)
{
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
               _("the PKCS#12 file is protected with %s, an outdated and weak method: export it again with "
                 "current settings (AES-256 and SHA-256, as “openssl pkcs12 -export” does by default)"), name);
  return FALSE;
}

static gboolean
check_bags (const STACK_OF (PKCS12_SAFEBAG) *bags,
            guint                            depth,
            GError                         **error)
{
  /* safe contents may nest; real files do not go deeper than one level */
  if (depth > 4)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the file is not a PKCS#12 key file"));
      return FALSE;
    }
  for (int i = 0; i < sk_PKCS12_SAFEBAG_num (bags); i++)
    {
      const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value (bags, i);
      const char *name = NULL;

      switch (PKCS12_SAFEBAG_get_nid (bag))
        {
        case NID_keyBag:
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("the private key in the PKCS#12 file is not encrypted: export it again with a passphrase"));
          return FALSE;
        case NID_pkcs8ShroudedKeyBag:
          {
            const X509_ALGOR *alg = NULL;

            X509_SIG_get0 (PKCS12_SAFEBAG_get0_pkcs8 (bag), &alg, NULL);
            if (alg == NULL || !pbe_is_current (alg, &name))
              return refuse_legacy (name ? name : "?", error);
            break;
          }
        case NID_safeContentsBag:
          if (!check_bags (PKCS12_SAFEBAG_get0_safes (bag), depth + 1, error))
            return FALSE;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* Every encryption in the file is current, checked before anything is decrypted: a legacy
 * cipher would otherwise end in an OpenSSL error nobody can act on. */
static gboolean
check_encryption (PKCS12      *p12,
                  const char  *passphrase,
                  GError     **error)
{
  STACK_OF (PKCS7) *safes = PKCS12_unpack_authsafes (p12);
  gboolean ok = TRUE;

  if (safes == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the file is not a PKCS#12 key file"));
      return FALSE;
    }
  for (int i = 0; ok && i < sk_PKCS7_num (safes); i++)
    {
      PKCS7 *p7 = sk_PKCS7_value (safes, i);
      STACK_OF (PKCS12_SAFEBAG) *bags = NULL;
      const char *name = NULL;

      switch (OBJ_obj2nid (p7->type))
        {
        case NID_pkcs7_data:
          bags = PKCS12_unpack_p7data (p7);
          break;
        case NID_pkcs7_encrypted:
          if (p7->d.encrypted == NULL || p7->d.encrypted->enc_data == NULL ||
              p7->d.encrypted->enc_data->algorithm == NULL ||
              !pbe_is_current (p7->d.encrypted->enc_data->algorithm, &name))
            ok = refuse_legacy (name ? name : "?", error);
          else
            bags = PKCS12_unpack_p7encdata (p7, passphrase, -1);
          break;
        default:
          break;
        }
      if (ok && bags == NULL)
        {
          ERR_clear_error ();
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the file is not a PKCS#12 key file"));
          ok = FALSE;
        }
      if (ok)
        ok = check_bags (bags, 0, error);
      sk_PKCS12_SAFEBAG_pop_free (bags, PKCS12_SAFEBAG_free);
    }
  sk_PKCS7_pop_free (safes, PKCS7_free);
  return ok;
}

/* “2031-05-04”, for messages */
static char *
asn1_date (const ASN1_TIME *t)
{
  struct tm tm = { 0 };

  if (t == NULL || !ASN1_TIME_to_tm (t, &tm))
    return g_strdup ("?");
  return g_strdup_printf ("%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

gboolean
_at_identity_check_validity (X509    *cert,
                             GError **error)
{
  g_autofree char *who = subject_entry (cert, NID_commonName);

  if (X509_cmp_current_time (X509_get0_notBefore (cert)) >= 0)
    {
      g_autofree char *from = asn1_date (X509_get0_notBefore (cert));
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the certificate of %s is not valid yet (from %s): check the computer's clock, or wait until then"),
                   who ? who : "?", from);
      return FALSE;
    }
  if (X509_cmp_current_time (X509_get0_notAfter (cert)) <= 0)
    {
      g_autofree char *until = asn1_date (X509_get0_notAfter (cert));
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the certificate of %s expired on %s: ask the certification body for a new one and import it"),
                   who ? who : "?", until);
      return FALSE;
    }
  ERR_clear_error ();
  return TRUE;
}

/* A PKCS#12 file from anywhere (imported, or our own from the data directory), opened with the
 * passphrase and checked: the passphrase, the integrity check and encryption are current, the
 * key and certificate are there and belong together, and the certificate is valid today.
 * Each refusal is a sentence saying what to do. */
gboolean
_at_identity_open_p12 (const guchar  *data,
                       gsize          len,
                       const char    *passphrase,
                       EVP_PKEY     **key_out,
                       X509         **cert_out,
                       GError       **error)
{
  const unsigned char *p = data;
  g_autoptr(PKCS12) p12 = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) cert = NULL;
  STACK_OF (X509) *ca = NULL;
  const char *mac_name = NULL;

  if (len > MAX_P12_SIZE || len > G_MAXLONG || (p12 = d2i_PKCS12 (NULL, &p, (long) len)) == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the file is not a PKCS#12 key file"));
      return FALSE;
    }
  if (!PKCS12_mac_present (p12))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the PKCS#12 file has no integrity check (MAC), so a changed file cannot be told from the original: "
                     "export it again with a passphrase"));
      return FALSE;
    }
  if (!PKCS12_verify_mac (p12, passphrase, -1))
    {
      ERR_clear_error ();
      g_set_error (error, AT_ERROR, AT_ERROR_PASSPHRASE, _("the passphrase is wrong"));
      return FALSE;
    }
  if (!check_encryption (p12, passphrase, error))
    return FALSE;
  if (!mac_is_current (p12, &mac_name))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the PKCS#12 file's integrity check uses %s, an outdated method: export it again with current "
                     "settings (AES-256 and SHA-256, as “openssl pkcs12 -export” does by default)"),
                   mac_name ? mac_name : "?");
      return FALSE;
    }
  if (!PKCS12_parse (p12, passphrase, &key, &cert, &ca))
    {
      set_openssl_error (error, _("could not read the key and certificate from the PKCS#12 file"));
      return FALSE;
    }
  if (key != NULL && cert == NULL && sk_X509_num (ca) > 0)
    {
      sk_X509_pop_free (ca, X509_free);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the key does not belong to the certificate: the PKCS#12 file holds a certificate for another key"));
      return FALSE;
    }
  sk_X509_pop_free (ca, X509_free);
  if (key == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the PKCS#12 file holds no private key"));
      return FALSE;
    }
  if (cert == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the PKCS#12 file holds no certificate for its private key"));
      return FALSE;
    }
  if (X509_check_private_key (cert, key) != 1)
    {
      ERR_clear_error ();
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the key does not belong to the certificate"));
      return FALSE;
    }
  if (!_at_identity_check_validity (cert, error))
    return FALSE;

  *key_out = g_steal_pointer (&key);
  *cert_out = g_steal_pointer (&cert);
  return TRUE;
}

AtIdentity *
at_identity_import (AtStore     *store,
                    const char  *p12_path,
                    AtRoles      roles,
                    const char  *passphrase,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autofree char *org = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) cert = NULL;
  gsize len = 0;
  GStatBuf st;

  /* a key file is a few kilobytes: do not read a video someone picked by mistake */
  if (g_stat (p12_path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > MAX_P12_SIZE)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("%s: the file is too large to be a PKCS#12 key file"), p12_path);
      return NULL;
    }
  if (!g_file_get_contents (p12_path, &contents, &len, &local_error))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, "%s", local_error->message);
      return NULL;
    }
  if (passphrase == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("no passphrase given for %s"), p12_path);
      return NULL;
    }
  if (!_at_identity_open_p12 ((const guchar *) contents, len, passphrase, &key, &cert, error))
    {
      g_prefix_error (error, "%s: ", p12_path);
      return NULL;
    }

  name = subject_entry (cert, NID_commonName);
  org = subject_entry (cert, NID_organizationName);
  if (name == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("%s: the certificate names no person (no CN)"), p12_path);
      return NULL;
    }

  return save_identity (store, cert, name, org, roles ? roles : AT_ROLE_ASSESSOR,
                        (const guchar *) contents, len, error);
}

static AtIdentity *
identity_from_row (sqlite3_stmt *stmt)
{
  AtIdentity *self = g_object_new (AT_TYPE_IDENTITY, NULL);

  self->id = g_strdup (_at_col_text (stmt, 0));
  self->name = g_strdup (_at_col_text (stmt, 1));
  self->roles = roles_from_column (_at_col_text (stmt, 2));
  self->org = g_strdup (_at_col_text (stmt, 3));
  self->cert_pem = g_strdup (_at_col_text (stmt, 4));
  return self;
}

GPtrArray *
at_identity_list (AtStore  *store,
                  GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT id, name, roles, org, cert_pem FROM identities ORDER BY created_at, name", error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, identity_from_row (stmt));
  return g_steal_pointer (&list);
}

AtIdentity *
at_identity_lookup (AtStore     *store,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT id, name, roles, org, cert_pem FROM identities WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id ? id : "", -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("no identity “%s” (see “attest-cli identity list”)"), id ? id : "");
      return NULL;
    }
  return identity_from_row (stmt);
}
