/* at-workflow.c — the chapter-11 states of an assessment and the rules that refuse
 *
 * draft → in-progress → submitted → returned | approved → certified; reopen goes back to
 * in-progress from submitted, approved or certified, with a reason, and voids the sign-offs.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdlib.h>
#include <string.h>

#include "at-audit-private.h"
#include "at-clause-digest-private.h"
#include "at-records-private.h"
#include "at-review.h"
#include "at-settings.h"
#include "at-workflow.h"
#include "at-error.h"
#include "at-store-private.h"
#include "at-workflow-private.h"

const char *
_at_signoff_kind_label (const char *kind)
{
  static const char * const kinds[] = {
    NC_("sign-off kind in a message", "submission"),
    NC_("sign-off kind in a message", "approval"),
    NC_("sign-off kind in a message", "return"),
    NC_("sign-off kind in a message", "certificate"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i]) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "sign-off kind in a message", kinds[i]);
  return kind;
}

/* ------------------------------------------------------------------------------------------ */
/* Sign-offs                                                                                   */

/* The exact text a sign-off signs. The records enter through their digest; the previous
 * sign-off in force through its id, so an approval is bound to the submission it approves.
 * Since the recheck went clause by clause (format 2) the recheck's records enter too, through
 * their own digest: the reviewer's return signs the queries it sends back, the resubmission
 * the answers. A sign-off made before that (no review digest) keeps its format-1 text. */
static char *
signoff_text (const char *assessment_id,
              const char *kind,
              const char *signer,
              const char *signed_at,
              const char *digest,
              const char *review_digest,
              const char *conclusion,
              const char *previous)
{
  if (review_digest == NULL)
    return g_strdup_printf ("attest-signoff/1\nassessment: %s\nkind: %s\nsigner: %s\nsigned-at: %s\n"
                            "records-sha256: %s\nprevious: %s\nconclusion: %s\n",
                            assessment_id, kind, signer, signed_at, digest,
                            previous ? previous : "", conclusion ? conclusion : "");
  return g_strdup_printf ("attest-signoff/2\nassessment: %s\nkind: %s\nsigner: %s\nsigned-at: %s\n"
                          "records-sha256: %s\nrecheck-sha256: %s\nprevious: %s\nconclusion: %s\n",
                          assessment_id, kind, signer, signed_at, digest, review_digest,
                          previous ? previous : "", conclusion ? conclusion : "");
}

static char *
last_signoff_id (AtStore    *store,
                 const char *assessment_id)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT id FROM signoffs WHERE assessment_id = ? AND valid = 1 "
                                                           "ORDER BY signed_at DESC, rowid DESC LIMIT 1", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW ? g_strdup (_at_col_text (stmt, 0)) : NULL;
}

/* Inside the caller's transaction: signs the records as they are now and stores the sign-off. */
static gboolean
add_signoff (AtStore     *store,
             const char  *assessment_id,
             AtSigner    *signer,
             const char  *kind,
             const char  *conclusion,
             GError     **error)
{
  AtIdentity *who = at_signer_get_identity (signer);
  g_autofree char *digest = _at_records_digest (store, assessment_id, error);
  g_autofree char *review_digest = digest ? _at_review_digest (store, assessment_id, error) : NULL;
  g_autofree char *now = at_now_iso8601 ();
  g_autofree char *previous = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GBytes) cms = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (digest == NULL || review_digest == NULL)
    return FALSE;
  previous = last_signoff_id (store, assessment_id);
  text = signoff_text (assessment_id, kind, at_identity_get_id (who), now, digest, review_digest, conclusion, previous);
  cms = at_signer_sign_detached (signer, (const guchar *) text, strlen (text), error);
  if (cms == NULL)
    return FALSE;

  id = g_uuid_string_random ();
  stmt = _at_store_prepare (store, "INSERT INTO signoffs (id, assessment_id, kind, signer, conclusion, digest, signed_at, cms, previous, "
                                   "review_digest, valid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, at_identity_get_id (who), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, conclusion, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 8, g_bytes_get_data (cms, NULL), g_bytes_get_size (cms), SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, previous, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, review_digest, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, stmt, error))
    return FALSE;

  return _at_audit_append (store, assessment_id, at_identity_get_id (who), kind, "signoff", id, error);
}

static gboolean
finish (AtStore  *store,
        gboolean  ok,
        GError  **error)
{
  if (!ok)
    {
      _at_store_rollback (store);
      return FALSE;
    }
  return _at_store_commit (store, error);
}

static GPtrArray *
unassessed_clauses (AtStore      *store,
                    AtAssessment *assessment,
                    GError      **error)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT clause FROM findings WHERE assessment_id = ? AND verdict <> 'open'", error);
  GPtrArray *all = at_catalog_get_all_clauses (at_assessment_get_catalog (assessment));

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, at_assessment_get_id (assessment), -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (done, g_strdup (_at_col_text (stmt, 0)));

  for (guint i = 0; i < all->len; i++)
    if (at_clause_get_assessable (all->pdata[i]) &&
        !g_hash_table_contains (done, at_clause_get_number (all->pdata[i])))
      g_ptr_array_add (missing, (gpointer) at_clause_get_number (all->pdata[i]));
  return g_steal_pointer (&missing);
}

/* The checks a submission must pass, inside its transaction. */
static gboolean
check_submission (AtStore     *store,
                  const char  *assessment_id,
                  AtIdentity  *who,
                  GError     **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  const char *state;

  a = at_assessment_lookup (store, assessment_id, error);
  if (a == NULL)
    return FALSE;
  state = at_assessment_get_state (a);

  if (g_strcmp0 (at_identity_get_id (who), at_assessment_get_lead (a)) != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("only the lead assessor (%s) can submit this assessment, not %s"),
                   at_assessment_get_lead (a), at_identity_get_name (who));
      return FALSE;
    }
  if (!_at_state_is_editable (state))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("assessment %s cannot be submitted: %s"),
                   assessment_id, _at_state_refusal (state));
      return FALSE;
    }

  missing = unassessed_clauses (store, a, error);
  if (missing == NULL)
    return FALSE;
  if (missing->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);
      for (guint i = 0; i < MIN (missing->len, 8); i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "", (const char *) missing->pdata[i]);
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%u clause(s) have no verdict yet (%s%s); record a verdict for every clause before submitting"),
                   missing->len, list->str, missing->len > 8 ? ", …" : "");
      return FALSE;
    }
  /* a resubmission answers the queries it was returned with */
  return !g_str_equal (state, "returned") || _at_review_check_answers (store, assessment_id, error);
}

gboolean
at_assessment_submit (AtStore     *store,
                      const char  *assessment_id,
                      AtSigner    *lead,
                      GError     **error)
{
  AtIdentity *who = at_signer_get_identity (lead);
  gboolean ok;

  /* the write lock first: the rules are checked against the state being changed */
  if (!_at_store_begin (store, error))
    return FALSE;
  ok = check_submission (store, assessment_id, who, error) &&
       add_signoff (store, assessment_id, lead, "submission", NULL, error) &&
       _at_set_state (store, assessment_id, at_identity_get_id (who), "submitted", "submit", error);
  /* The recheck starts now: the digest of every clause is kept with the submission, so that
   * the reviewer's checklist opens on them instead of reading every record first. */
  if (ok)
    {
      g_autoptr(GHashTable) digests = _at_clause_digests (store, assessment_id, NULL);
    }
  return finish (store, ok, error);
}

static gboolean
check_review (AtStore     *store,
              const char  *assessment_id,
              AtIdentity  *who,
              gboolean     approve,
              GError     **error)
{
  g_autoptr(AtAssessment) a = at_assessment_lookup (store, assessment_id, error);

  if (a == NULL)
    return FALSE;
  if (!at_identity_has_role (who, AT_ROLE_REVIEWER))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("%s cannot recheck: the identity does not have the reviewer role"),
                   at_identity_get_name (who));
      return FALSE;
    }
  if (!_at_review_check_independent (store, assessment_id, who, error))
    return FALSE;
  if (g_strcmp0 (at_assessment_get_state (a), "submitted") != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("assessment %s is %s, not submitted: the recheck comes after the lead assessor submits it"),
                   assessment_id, _at_state_label (at_assessment_get_state (a)));
      return FALSE;
    }
  /* approval: every clause looked at and agreed, in this round */
  return !approve || _at_review_check_approval (store, assessment_id, error);
}

gboolean
at_assessment_review (AtStore     *store,
                      const char  *assessment_id,
                      AtSigner    *reviewer,
                      gboolean     approve,
                      const char  *conclusion,
                      GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (conclusion ? conclusion : ""));
  AtIdentity *who = at_signer_get_identity (reviewer);
  const char *id = at_identity_get_id (who);

  if (*clean == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("a recheck needs a conclusion (--conclusion)"));
      return FALSE;
    }

  if (!_at_store_begin (store, error))
    return FALSE;
  return finish (store,
                 check_review (store, assessment_id, who, approve, error) &&
                 add_signoff (store, assessment_id, reviewer, approve ? "approval" : "return", clean, error) &&
                 _at_set_state (store, assessment_id, id, approve ? "approved" : "returned",
                                approve ? "approve" : "return", error),
                 error);
}

gboolean
at_assessment_reopen (AtStore     *store,
                      const char  *assessment_id,
                      const char  *actor,
                      const char  *reason,
                      GError     **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(AtIdentity) who = NULL;
  g_autoptr(GPtrArray) voided = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (reason ? reason : ""));
  g_autofree char *action = NULL;
  const char *state;
  gboolean ok = TRUE;

  if (*clean == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("reopening needs a reason (--reason)"));
      return FALSE;
    }
  if (!(a = at_assessment_lookup (store, assessment_id, error)) ||
      !(who = at_identity_lookup (store, actor, error)))
    return FALSE;

  state = at_assessment_get_state (a);
  if (g_strcmp0 (state, "submitted") != 0 && g_strcmp0 (state, "approved") != 0 &&
      g_strcmp0 (state, "certified") != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("assessment %s is %s: only a submitted, approved or certified assessment is reopened"),
                   assessment_id, _at_state_label (state));
      return FALSE;
    }
  if (g_strcmp0 (at_assessment_get_lead (a), actor) != 0 && !at_identity_has_role (who, AT_ROLE_ISSUER))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("only the lead assessor or an issuer can reopen the assessment, not %s"),
                   at_identity_get_name (who));
      return FALSE;
    }

  if (!_at_store_begin (store, error))
    return FALSE;

  find = _at_store_prepare (store, "SELECT id FROM signoffs WHERE assessment_id = ? AND valid = 1", error);
  ok = find != NULL;
  if (ok)
    {
      sqlite3_bind_text (find, 1, assessment_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (find) == SQLITE_ROW)
        g_ptr_array_add (voided, g_strdup (_at_col_text (find, 0)));
    }

  /* The earlier sign-offs signed records that are about to change: they stay on file, void. */
  ok = ok && _at_store_exec (store, "SAVEPOINT reopen", error);
  if (ok)
    {
      g_autoptr(sqlite3_stmt) upd = _at_store_prepare (store, "UPDATE signoffs SET valid = 0, voided_at = ?2, voided_by = ?3, void_reason = ?4 "
                                                              "WHERE assessment_id = ?1 AND valid = 1", error);
      g_autoptr(sqlite3_stmt) cert = _at_store_prepare (store, "UPDATE certificates SET status = 'withdrawn' WHERE assessment_id = ? AND status = 'valid'", error);

      ok = upd && cert;
      if (ok)
        {
          g_autofree char *now = at_now_iso8601 ();

          sqlite3_bind_text (upd, 1, assessment_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (upd, 2, now, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (upd, 3, actor, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (upd, 4, clean, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (cert, 1, assessment_id, -1, SQLITE_TRANSIENT);
          ok = _at_store_step_done (store, upd, error) && _at_store_step_done (store, cert, error);
        }
      if (ok && sqlite3_changes (_at_store_get_db (store)) > 0)
        ok = _at_audit_append (store, assessment_id, actor, "withdraw", "certificate", assessment_id, error);
    }
  for (guint i = 0; ok && i < voided->len; i++)
    ok = _at_audit_append (store, assessment_id, actor, "void", "signoff", voided->pdata[i], error);

  action = g_strdup_printf ("reopen: %s", clean);
  ok = ok && _at_store_exec (store, "RELEASE reopen", error) &&
       _at_set_state (store, assessment_id, actor, "in-progress", action, error);
  return finish (store, ok, error);
}

/* The parts of the certificate number pattern (certificate.pattern, {CODE}-{YEAR}-{SEQ:4} by
 * default) for this assessment today: the text before the sequence, its width, the text after. */
static gboolean
number_parts (AtStore       *store,
              AtAssessment  *a,
              char         **prefix_out,
              guint         *width_out,
              char         **suffix_out,
              GError       **error)
{
  g_autofree char *pattern = at_settings_get (store, "certificate.pattern", "{CODE}-{YEAR}-{SEQ:4}");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *year = g_date_time_format (now, "%Y");
  const char *code = at_catalog_get_code (at_assessment_get_catalog (a));
  const char *seq = strstr (pattern, "{SEQ");
  const char *end;
  GString *prefix, *suffix;

  if (seq == NULL || (end = strchr (seq, '}')) == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the certificate number pattern “%s” has no {SEQ}"), pattern);
      return FALSE;
    }
  *width_out = seq[4] == ':' ? (guint) CLAMP (atoi (seq + 5), 1, 12) : 4;
  prefix = g_string_new_len (pattern, seq - pattern);
  suffix = g_string_new (end + 1);
  g_string_replace (prefix, "{CODE}", code, 0);
  g_string_replace (prefix, "{YEAR}", year, 0);
  g_string_replace (suffix, "{CODE}", code, 0);
  g_string_replace (suffix, "{YEAR}", year, 0);
  *prefix_out = g_string_free (prefix, FALSE);
  *suffix_out = g_string_free (suffix, FALSE);
  return TRUE;
}

static gboolean
number_used (AtStore     *store,
             const char  *number,
             gboolean    *used,
             GError     **error)
{
  /* A reissue replaces the assessment's certificate row, but the certificate sign-off of the
   * withdrawn one stays on file with its number: that number is never handed out again. */
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT 1 FROM certificates WHERE number = ?1 "
                                                           "UNION ALL SELECT 1 FROM signoffs WHERE kind = 'certificate' AND conclusion = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  *used = sqlite3_step (stmt) == SQLITE_ROW;
  return TRUE;
}

/* QCS-2026-0007: the first sequence number not yet used by any certificate this store has
 * issued (withdrawn ones included), so numbers stay unique in this store. */
static char *
local_number (const char  *prefix,
              guint        width,
              const char  *suffix,
              gpointer     user_data,
              GError     **error)
{
  AtStore *store = user_data;

  for (guint n = 1;; n++)
    {
      g_autofree char *number = g_strdup_printf ("%s%0*u%s", prefix, (int) width, n, suffix);
      gboolean used;

      if (!number_used (store, number, &used, error))
        return NULL;
      if (!used)
        return g_steal_pointer (&number);
    }
}

/* The number from number_func, asked again while it hands out one this store has already used
 * (a number given here before a registry was set up): a number is never on two certificates. */
static char *
next_certificate_number (AtStore        *store,
                         AtAssessment   *a,
                         AtNumberFunc    number_func,
                         gpointer        number_data,
                         GError        **error)
{
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  guint width;

  if (!number_parts (store, a, &prefix, &width, &suffix, error))
    return NULL;
  for (guint attempt = 0; attempt < 1000; attempt++)
    {
      g_autofree char *number = number_func (prefix, width, suffix, number_data, error);
      gboolean used;

      if (number == NULL || !number_used (store, number, &used, error))
        return NULL;
      if (!used)
        return g_steal_pointer (&number);
    }
  g_set_error (error, AT_ERROR, AT_ERROR_FAILED, _("no certificate number could be found that this data directory has not used"));
  return NULL;
}

char *
at_certificate_issue (AtStore     *store,
                      const char  *assessment_id,
                      AtSigner    *issuer,
                      guint        valid_years,
                      GError     **error)
{
  return at_certificate_issue_full (store, assessment_id, issuer, valid_years, local_number, store, error);
}

char *
at_certificate_issue_full (AtStore       *store,
                           const char    *assessment_id,
                           AtSigner      *issuer,
                           guint          valid_years,
                           AtNumberFunc   number_func,
                           gpointer       number_data,
                           GError       **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDateTime) decided = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *number = NULL;
  g_autofree char *decided_at = NULL;
  g_autofree char *issued_on = NULL;
  g_autofree char *valid_until = NULL;
  AtIdentity *who = at_signer_get_identity (issuer);
  const char *id = at_identity_get_id (who);
  gboolean ok;

  if (valid_years < 1 || valid_years > 10)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("a certificate is valid for 1 to 10 years, not %u"), valid_years);
      return NULL;
    }
  a = at_assessment_lookup (store, assessment_id, error);
  if (a == NULL)
    return NULL;
  if (!at_identity_has_role (who, AT_ROLE_ISSUER))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("%s cannot issue certificates: the identity does not have the issuer role"),
                   at_identity_get_name (who));
      return NULL;
    }
  if (at_assessment_get_kind (a) == AT_KIND_SELF)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("a self-assessment does not lead to a certificate: only a third-party assessment is certified (QCS 11.5)"));
      return NULL;
    }
  if (g_strcmp0 (at_assessment_get_state (a), "approved") != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("assessment %s is %s: a certificate is issued only after the recheck approved it"),
                   assessment_id, _at_state_label (at_assessment_get_state (a)));
      return NULL;
    }

  if (!_at_store_begin (store, error))
    return NULL;
  number = next_certificate_number (store, a, number_func, number_data, error);
  /* Issued on the day of the decision, never before it. */
  decided_at = g_date_time_format (decided, "%Y-%m-%dT%H:%M:%SZ");
  issued_on = g_date_time_format (decided, "%Y-%m-%d");
  until = g_date_time_add_years (decided, (int) valid_years);
  valid_until = g_date_time_format (until, "%Y-%m-%d");

  ok = number != NULL &&
       (stmt = _at_store_prepare (store, "INSERT INTO certificates (assessment_id, number, issued_by, decided_at, issued_on, valid_until, status) "
                                         "VALUES (?, ?, ?, ?, ?, ?, 'valid') "
                                         "ON CONFLICT (assessment_id) DO UPDATE SET number = excluded.number, issued_by = excluded.issued_by, "
                                         "decided_at = excluded.decided_at, issued_on = excluded.issued_on, "
                                         "valid_until = excluded.valid_until, status = 'valid'", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, decided_at, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, issued_on, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, valid_until, -1, SQLITE_TRANSIENT);
      ok = _at_store_step_done (store, stmt, error);
    }
  ok = ok && _at_audit_append (store, assessment_id, id, "issue", "certificate", assessment_id, error) &&
       add_signoff (store, assessment_id, issuer, "certificate", number, error) &&
       _at_set_state (store, assessment_id, id, "certified", "certify", error);
  if (!finish (store, ok, error))
    return NULL;
  return g_steal_pointer (&number);
}

/* Every sign-off, superseded ones included (a reopen voided them: they are listed, checked as
 * signatures, and answer for nothing). Which sign-offs answer for the records as they are now: while the assessment is submitted,
 * approved or certified, those from its last submission on (earlier rounds signed records that
 * the rework then changed, as the recheck asked); while it is being worked on, none. Every
 * sign-off's signature is checked whatever its round. The decision of the round (approval or
 * return) and the certificate also answer for the recheck's records. */
gboolean
at_signoffs_verify (AtStore     *store,
                    const char  *assessment_id,
                    GPtrArray   *lines,
                    GError     **error)
{
  return _at_signoffs_verify_full (store, assessment_id, lines, NULL, error);
}

/* As at_signoffs_verify; @failed (may be NULL) gets a copy of the lines of the sign-offs that
 * fail, so a caller need not tell them apart by their (translated) words. */
gboolean
_at_signoffs_verify_full (AtStore     *store,
                          const char  *assessment_id,
                          GPtrArray   *lines,
                          GPtrArray   *failed,
                          GError     **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *review_digest = NULL;
  gboolean all_ok = TRUE;
  gboolean locked;
  gint64 last_submission = -1;
  guint round = 0;
  int rc;

  if (!(a = at_assessment_lookup (store, assessment_id, error)) ||
      !(digest = _at_records_digest (store, assessment_id, error)) ||
      !(review_digest = _at_review_digest (store, assessment_id, error)))
    return FALSE;
  locked = !_at_state_is_editable (at_assessment_get_state (a));

  stmt = _at_store_prepare (store, "SELECT max (rowid) FROM signoffs WHERE assessment_id = ? AND valid = 1 AND kind = 'submission'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    last_submission = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _at_store_prepare (store, "SELECT s.id, s.kind, s.signer, s.conclusion, s.digest, s.signed_at, s.cms, i.cert_pem, i.name, s.previous, "
                                   "s.review_digest, s.rowid, s.valid, s.voided_at, v.name, s.void_reason "
                                   "FROM signoffs s JOIN identities i ON i.id = s.signer LEFT JOIN identities v ON v.id = s.voided_by "
                                   "WHERE s.assessment_id = ? ORDER BY s.signed_at, s.rowid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = _at_col_text (stmt, 1);
      const char *signed_review = _at_col_text (stmt, 10);
      g_autofree char *text = signoff_text (assessment_id, kind, _at_col_text (stmt, 2),
                                            _at_col_text (stmt, 5), _at_col_text (stmt, 4), signed_review,
                                            _at_col_text (stmt, 3), _at_col_text (stmt, 9));
      g_autoptr(GBytes) cms = g_bytes_new (sqlite3_column_blob (stmt, 6), sqlite3_column_bytes (stmt, 6));
      g_autoptr(GError) local_error = NULL;
      const char *label = _at_signoff_kind_label (kind);
      const char *who = _at_col_text (stmt, 8);
      const char *when = _at_col_text (stmt, 5);
      gboolean superseded = sqlite3_column_int (stmt, 12) == 0;
      gboolean in_force = !superseded && locked && sqlite3_column_int64 (stmt, 11) >= last_submission;
      gboolean decision = g_str_equal (kind, "approval") || g_str_equal (kind, "return") || g_str_equal (kind, "certificate");

      round += g_str_equal (kind, "submission");
      if (!at_signature_verify (cms, (const guchar *) text, strlen (text), _at_col_text (stmt, 7), &local_error))
        {
          all_ok = FALSE;
          g_ptr_array_add (lines, g_strdup_printf (_("%s by %s (%s): INVALID — %s"), label, who, when, local_error->message));
          if (failed != NULL)
            g_ptr_array_add (failed, g_strdup (lines->pdata[lines->len - 1]));
        }
      else if (superseded)
        /* a reopen superseded it: on file, its signature intact, answering for nothing now */
        g_ptr_array_add (lines, g_strdup_printf (_("%s by %s (%s): superseded on %s by %s (%s); its signature is intact"),
                                                 label, who, when, _at_col_text (stmt, 13) ? _at_col_text (stmt, 13) : "?",
                                                 _at_col_text (stmt, 14) ? _at_col_text (stmt, 14) : "?",
                                                 _at_col_text (stmt, 15) ? _at_col_text (stmt, 15) : _("reopened")));
      else if (!in_force && g_strcmp0 (_at_col_text (stmt, 4), digest) != 0)
        g_ptr_array_add (lines, g_strdup_printf (_("%s by %s (%s): valid, for the records of round %u (reworked since)"),
                                                 label, who, when, round));
      else if (in_force && g_strcmp0 (_at_col_text (stmt, 4), digest) != 0)
        {
          all_ok = FALSE;
          g_ptr_array_add (lines, g_strdup_printf (_("%s by %s (%s): the signature is intact, but the records changed after it was signed"),
                                                   label, who, when));
          if (failed != NULL)
            g_ptr_array_add (failed, g_strdup (lines->pdata[lines->len - 1]));
        }
      else if (in_force && decision && signed_review != NULL && g_strcmp0 (signed_review, review_digest) != 0)
        {
          all_ok = FALSE;
          g_ptr_array_add (lines, g_strdup_printf (_("%s by %s (%s): the signature is intact, but the recheck's records changed after it was signed"),
                                                   label, who, when));
          if (failed != NULL)
            g_ptr_array_add (failed, g_strdup (lines->pdata[lines->len - 1]));
        }
      else
        g_ptr_array_add (lines, g_strdup_printf (_("%s by %s (%s): valid"), label, who, when));
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the sign-offs"));
      return FALSE;
    }
  return all_ok;
}

void
_at_signoffs_to_json (AtStore      *store,
                      AtAssessment *assessment,
                      JsonBuilder  *b)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  json_builder_set_member_name (b, "signoffs");
  json_builder_begin_array (b);
  stmt = _at_store_prepare (store, "SELECT s.id, s.kind, s.signer, i.name, s.conclusion, s.digest, s.signed_at, s.valid, "
                                   "s.voided_at, s.voided_by, s.void_reason "
                                   "FROM signoffs s JOIN identities i ON i.id = s.signer "
                                   "WHERE s.assessment_id = ? ORDER BY s.signed_at, s.rowid", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, at_assessment_get_id (assessment), -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          static const char * const names[] = { "id", "kind", "signer", "signer_name", "conclusion", "digest", "signed_at" };

          json_builder_begin_object (b);
          for (guint i = 0; i < G_N_ELEMENTS (names); i++)
            {
              json_builder_set_member_name (b, names[i]);
              json_builder_add_string_value (b, _at_col_text (stmt, i));
            }
          json_builder_set_member_name (b, "valid");
          json_builder_add_boolean_value (b, sqlite3_column_int (stmt, 7) != 0);
          /* a reopen supersedes the sign-offs in force: when, by whom, why */
          if (sqlite3_column_int (stmt, 7) == 0 && sqlite3_column_type (stmt, 8) != SQLITE_NULL)
            {
              static const char * const voided[] = { "superseded_at", "superseded_by", "superseded_because" };

              for (guint i = 0; i < G_N_ELEMENTS (voided); i++)
                {
                  json_builder_set_member_name (b, voided[i]);
                  json_builder_add_string_value (b, _at_col_text (stmt, 8 + i));
                }
            }
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);

  g_clear_pointer (&stmt, sqlite3_finalize);
  json_builder_set_member_name (b, "certificate");
  stmt = _at_store_prepare (store, "SELECT c.number, c.issued_by, i.name, c.decided_at, c.issued_on, c.valid_until, c.status "
                                   "FROM certificates c JOIN identities i ON i.id = c.issued_by WHERE c.assessment_id = ?", NULL);
  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, at_assessment_get_id (assessment), -1, SQLITE_TRANSIENT);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      static const char * const names[] = { "number", "issued_by", "issued_by_name", "decided_at", "issued_on", "valid_until", "status" };

      json_builder_begin_object (b);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          json_builder_set_member_name (b, names[i]);
          json_builder_add_string_value (b, _at_col_text (stmt, i));
        }
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
}
