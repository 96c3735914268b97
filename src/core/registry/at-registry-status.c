/* at-registry-status.c — a certificate's status: suspended, withdrawn, restored, expired
 *
 * Each change is signed by an issuer (CMS, like a sign-off) over a canonical text that names
 * the certificate, the new status, the reason, the signer and the time, and the hash of the
 * change before it; so a change cannot be altered, reordered or taken out of the middle of the
 * history without the history failing its check when it is read. Expired is not stored: it
 * follows from the validity.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-bundle-private.h"
#include "at-error.h"
#include "at-registry-private.h"

static char *
change_text (const char *number,
             const char *status,
             const char *reason,
             const char *signer,
             const char *signed_at,
             const char *previous)
{
  return g_strdup_printf ("attest-certificate-status/1\nnumber: %s\nstatus: %s\nreason: %s\nsigner: %s\nsigned-at: %s\nprevious: %s\n",
                          number, status, reason, signer, signed_at, previous);
}

typedef struct
{
  JsonNode   *root;      /* the object at_registry_status returns */
  char       *status;    /* as stored: valid, suspended, withdrawn */
  char       *last_hash; /* the hash the next change links to ("" for none) */
  gboolean    published;
  char       *valid_until;
} Certificate;

static void
certificate_clear (Certificate *c)
{
  g_clear_pointer (&c->root, json_node_unref);
  g_clear_pointer (&c->status, g_free);
  g_clear_pointer (&c->last_hash, g_free);
  g_clear_pointer (&c->valid_until, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Certificate, certificate_clear)

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* Reads a certificate and checks its whole history; lock takes the row for an update. */
static gboolean
read_certificate (AtRegistry   *self,
                  const char   *number,
                  gboolean      lock,
                  Certificate  *c,
                  GError      **error)
{
  const char *values[] = { number };
  g_autoptr(PGresult) cert = NULL;
  g_autoptr(PGresult) changes = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *previous = g_strdup ("");
  g_autofree char *since = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *now = today ();
  const char *status = "valid";
  const char *shown;

  cert = _at_registry_query (self, lock
                             ? "SELECT c.number, c.assessment_id, a.org, a.standard, a.standard_version, c.issued_by, i.name, "
                               "  c.issued_on, c.valid_until, c.published_at IS NOT NULL, to_char(c.allocated_at, 'YYYY-MM-DD') "
                               "FROM certificates c LEFT JOIN assessments a ON a.id = c.assessment_id "
                               "LEFT JOIN identities i ON i.id = c.issued_by WHERE c.number = $1 FOR UPDATE OF c"
                             : "SELECT c.number, c.assessment_id, a.org, a.standard, a.standard_version, c.issued_by, i.name, "
                               "  c.issued_on, c.valid_until, c.published_at IS NOT NULL, to_char(c.allocated_at, 'YYYY-MM-DD') "
                               "FROM certificates c LEFT JOIN assessments a ON a.id = c.assessment_id "
                               "LEFT JOIN identities i ON i.id = c.issued_by WHERE c.number = $1",
                             1, values, NULL, error);
  if (cert == NULL)
    return FALSE;
  if (PQntuples (cert) == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("the registry has no certificate %s"), number);
      return FALSE;
    }
  c->published = g_strcmp0 (PQgetvalue (cert, 0, 9), "t") == 0;
  if (!c->published)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND,
                   _("certificate %s was numbered by the registry on %s for assessment %s but has not been published: "
                     "publish the assessment first (attest-cli registry publish A)"),
                   number, PQgetvalue (cert, 0, 10), PQgetvalue (cert, 0, 1));
      return FALSE;
    }
  c->valid_until = g_strdup (_at_pg_text (cert, 0, 8));
  since = g_strdup (_at_pg_text (cert, 0, 7));

  changes = _at_registry_query_full (self, "SELECT status, reason, signer, signer_name, signer_cert, signed_at, previous, hash, cms "
                                           "FROM status_changes WHERE number = $1 ORDER BY id",
                                     1, values, NULL, NULL, FALSE, NULL, error);
  if (changes == NULL)
    return FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  for (int i = 0; i < PQntuples (changes); i++)
    {
      const char *signer = PQgetvalue (changes, i, 2);
      const char *pem = PQgetvalue (changes, i, 4);
      g_autofree char *text = change_text (number, PQgetvalue (changes, i, 0), PQgetvalue (changes, i, 1), signer,
                                           PQgetvalue (changes, i, 5), PQgetvalue (changes, i, 6));
      g_autofree char *hash = at_sha256_hex (text, strlen (text));
      g_autofree char *cert_id = _at_bundle_cert_id (pem, NULL, NULL);
      size_t cms_len = 0;
      guchar *cms_raw = PQunescapeBytea ((const guchar *) PQgetvalue (changes, i, 8), &cms_len);
      g_autoptr(GBytes) cms = g_bytes_new (cms_raw, cms_len);
      g_autoptr(GError) local = NULL;
      const char *problem = NULL;

      PQfreemem (cms_raw);
      if (g_strcmp0 (PQgetvalue (changes, i, 6), previous) != 0)
        problem = _("it does not follow the change before it: a change was taken out or reordered");
      else if (g_strcmp0 (hash, PQgetvalue (changes, i, 7)) != 0)
        problem = _("its text was altered after it was signed");
      else if (g_strcmp0 (cert_id, signer) != 0)
        problem = _("it carries the certificate of someone other than its signer");
      else if (!at_signature_verify (cms, (const guchar *) text, strlen (text), pem, &local))
        problem = local->message;
      if (problem != NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("the status history of certificate %s does not verify: change %d (%s, %s) — %s"),
                       number, i + 1, at_registry_status_label (PQgetvalue (changes, i, 0)), PQgetvalue (changes, i, 5), problem);
          return FALSE;
        }
      g_free (previous);
      previous = g_strdup (hash);
      status = PQgetvalue (changes, i, 0);
      g_free (since);
      since = g_strndup (PQgetvalue (changes, i, 5), 10);
      g_free (reason);
      reason = g_strdup (PQgetvalue (changes, i, 1));

      json_builder_begin_object (b);
      for (guint k = 0; k < 4; k++)
        {
          static const char * const names[] = { "status", "reason", "signer", "signer_name" };
          json_builder_set_member_name (b, names[k]);
          json_builder_add_string_value (b, PQgetvalue (changes, i, k));
        }
      json_builder_set_member_name (b, "signed_at");
      json_builder_add_string_value (b, PQgetvalue (changes, i, 5));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  /* withdrawn is final; valid and suspended end with the validity */
  shown = status;
  if (!g_str_equal (status, "withdrawn") && c->valid_until != NULL && strcmp (c->valid_until, now) < 0)
    {
      shown = "expired";
      g_free (since);
      since = g_strdup (c->valid_until);
    }
  {
    static const char * const names[] = { "number", "assessment_id", "org", "standard", "standard_version", "issued_by",
                                           "issued_by_name", "issued_on", "valid_until" };
    for (guint k = 0; k < G_N_ELEMENTS (names); k++)
      {
        json_builder_set_member_name (b, names[k]);
        json_builder_add_string_value (b, _at_pg_text (cert, 0, k));
      }
  }
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, shown);
  json_builder_set_member_name (b, "since");
  json_builder_add_string_value (b, since);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);

  c->root = json_builder_get_root (b);
  c->status = g_strdup (status);
  c->last_hash = g_steal_pointer (&previous);
  return TRUE;
}

JsonNode *
at_registry_status (AtRegistry  *self,
                    const char  *number,
                    GError     **error)
{
  g_auto(Certificate) c = { 0 };

  g_return_val_if_fail (AT_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  if (!read_certificate (self, number, FALSE, &c, error))
    return NULL;
  return g_steal_pointer (&c.root);
}

/* Whether the change is allowed from where the certificate is; NULL when it is. */
static char *
refusal (const char  *number,
         Certificate *c,
         const char  *to)
{
  g_autofree char *now = today ();
  gboolean expired = c->valid_until != NULL && strcmp (c->valid_until, now) < 0;

  if (g_str_equal (c->status, "withdrawn"))
    return g_strdup_printf (_("certificate %s is withdrawn; a withdrawn certificate stays withdrawn"), number);
  if (g_str_equal (to, "valid") && expired)
    return g_strdup_printf (_("certificate %s expired on %s; restoring it would not make it valid again"), number, c->valid_until);
  if (g_str_equal (to, "suspended") && expired)
    return g_strdup_printf (_("certificate %s expired on %s; there is nothing left to suspend"), number, c->valid_until);
  if (g_str_equal (to, c->status))
    return g_strdup_printf (_("certificate %s is already %s"), number, at_registry_status_label (to));
  return NULL;
}

gboolean
at_registry_set_status (AtRegistry  *self,
                        const char  *number,
                        const char  *status,
                        const char  *reason,
                        AtSigner    *issuer,
                        GError     **error)
{
  g_auto(Certificate) c = { 0 };
  AtIdentity *who = at_signer_get_identity (issuer);
  g_autofree char *clean = g_strstrip (g_strdup (reason ? reason : ""));
  g_autofree char *now = at_now_iso8601 ();
  g_autofree char *text = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *why_not = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) updated = NULL;

  g_return_val_if_fail (AT_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (!g_str_equal (status, "valid") && !g_str_equal (status, "suspended") && !g_str_equal (status, "withdrawn"))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("a certificate is made valid, suspended or withdrawn, not “%s”"), status);
      return FALSE;
    }
  /* one line: the reason is part of the signed text */
  g_strdelimit (clean, "\r\n", ' ');
  if (*clean == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("a change of a certificate's status needs a reason (--reason)"));
      return FALSE;
    }
  if (!at_identity_has_role (who, AT_ROLE_ISSUER))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s cannot change the status of a certificate: the identity does not have the issuer role"),
                   at_identity_get_name (who));
      return FALSE;
    }

  if (!_at_registry_exec (self, "BEGIN", error))
    return FALSE;
  if (!read_certificate (self, number, TRUE, &c, error))
    {
      _at_registry_rollback (self);
      return FALSE;
    }
  why_not = refusal (number, &c, status);
  if (why_not != NULL)
    {
      _at_registry_rollback (self);
      g_set_error_literal (error, AT_ERROR, AT_ERROR_REFUSED, why_not);
      return FALSE;
    }

  text = change_text (number, status, clean, at_identity_get_id (who), now, c.last_hash);
  hash = at_sha256_hex (text, strlen (text));
  cms = at_signer_sign_detached (issuer, (const guchar *) text, strlen (text), error);
  if (cms == NULL)
    {
      _at_registry_rollback (self);
      return FALSE;
    }
  {
    const char *values[] = { number, status, clean, at_identity_get_id (who), at_identity_get_name (who),
                             at_identity_get_cert_pem (who), now, c.last_hash, hash, g_bytes_get_data (cms, NULL) };
    const int lengths[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, (int) g_bytes_get_size (cms) };
    const int binary[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

    inserted = _at_registry_query_full (self, "INSERT INTO status_changes (number, status, reason, signer, signer_name, signer_cert, "
                                              "  signed_at, previous, hash, cms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                                        10, values, lengths, binary, FALSE, NULL, error);
    updated = inserted ? _at_registry_query (self, "UPDATE certificates SET status = $2 WHERE number = $1", 2, values, NULL, error) : NULL;
  }
  if (updated == NULL || !_at_registry_exec (self, "COMMIT", error))
    {
      _at_registry_rollback (self);
      return FALSE;
    }
  return TRUE;
}
