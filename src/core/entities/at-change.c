/* at-change.c — the one way a record of an assessment changes: rules, transaction, audit
 *
 * draft → in-progress → submitted → returned | approved → certified; only draft, in-progress and
 * returned accept records. The sign-offs that move between the states live in the workflow.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "at-audit-private.h"
#include "at-change-private.h"
#include "at-error.h"
#include "at-store-private.h"

gboolean
_at_state_is_editable (const char *state)
{
  return g_strcmp0 (state, "draft") == 0 || g_strcmp0 (state, "in-progress") == 0 ||
         g_strcmp0 (state, "returned") == 0;
}

const char *
_at_state_refusal (const char *state)
{
  if (g_strcmp0 (state, "submitted") == 0)
    return _("it has been submitted for recheck; it cannot change until the reviewer returns it or it is reopened");
  if (g_strcmp0 (state, "approved") == 0)
    return _("it has been approved; reopen it (with a reason) to change it");
  if (g_strcmp0 (state, "certified") == 0)
    return _("it has been certified; reopen it (with a reason) to change it");
  return _("its state does not allow changes");
}

const char *
_at_state_label (const char *state)
{
  static const char * const states[] = {
    NC_("assessment state in a message", "draft"),
    NC_("assessment state in a message", "in-progress"),
    NC_("assessment state in a message", "submitted"),
    NC_("assessment state in a message", "returned"),
    NC_("assessment state in a message", "approved"),
    NC_("assessment state in a message", "certified"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (g_strcmp0 (state, states[i]) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "assessment state in a message", states[i]);
  return state;
}

gboolean
_at_set_state (AtStore     *store,
               const char  *assessment_id,
               const char  *actor,
               const char  *state,
               const char  *action,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "UPDATE assessments SET state = ?, updated_at = ? WHERE id = ?", error);
  g_autofree char *now = at_now_iso8601 ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, assessment_id, -1, SQLITE_TRANSIENT);
  return _at_store_step_done (store, stmt, error) &&
         _at_audit_append (store, assessment_id, actor, action, "assessment", assessment_id, error);
}

static gboolean
check_change (AtAssessment  *assessment,
              AtIdentity    *identity,
              AtChangeKind   kind,
              GError       **error)
{
  const char *state = at_assessment_get_state (assessment);
  const char *id = at_assessment_get_id (assessment);

  if (kind == AT_CHANGE_RECORD)
    {
      AtRoles may = at_assessment_get_kind (assessment) == AT_KIND_SELF
                    ? AT_ROLE_ASSESSOR | AT_ROLE_ORGANISATION : AT_ROLE_ASSESSOR;

      if (!_at_state_is_editable (state))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("assessment %s cannot be changed: %s"),
                       id, _at_state_refusal (state));
          return FALSE;
        }
      if (!at_identity_has_role (identity, may))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("%s cannot record in this assessment: only %s may"),
                       at_identity_get_name (identity),
                       may & AT_ROLE_ORGANISATION ? _("assessors and the organisation") : _("assessors"));
          return FALSE;
        }
    }
  else if (kind == AT_CHANGE_REVIEW)
    {
      if (!at_identity_has_role (identity, AT_ROLE_REVIEWER))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("%s cannot recheck: the identity does not have the reviewer role"),
                       at_identity_get_name (identity));
          return FALSE;
        }
      if (g_strcmp0 (state, "submitted") != 0)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("assessment %s is %s, not submitted: the recheck comes after the lead assessor submits it"),
                       id, _at_state_label (state));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
_at_change_begin (AtStore        *store,
                  const char     *assessment_id,
                  const char     *actor,
                  AtChangeKind    kind,
                  AtAssessment  **out_assessment,
                  AtIdentity    **out_actor,
                  GError        **error)
{
  g_autoptr(AtAssessment) assessment = NULL;
  g_autoptr(AtIdentity) identity = NULL;

  /* The write lock first, then the rules: another program (the window beside attest-cli)
   * may have submitted the assessment a moment ago, and the state read here is the state
   * this change will be committed against. */
  if (!_at_store_begin (store, error))
    return FALSE;

  if (!(assessment = at_assessment_lookup (store, assessment_id, error)) ||
      !(identity = at_identity_lookup (store, actor, error)) ||
      !check_change (assessment, identity, kind, error))
    {
      _at_store_rollback (store);
      return FALSE;
    }

  if (kind == AT_CHANGE_RECORD && g_strcmp0 (at_assessment_get_state (assessment), "draft") == 0 &&
      !_at_set_state (store, assessment_id, actor, "in-progress", "start", error))
    {
      _at_store_rollback (store);
      return FALSE;
    }

  if (out_assessment)
    *out_assessment = g_steal_pointer (&assessment);
  if (out_actor)
    *out_actor = g_steal_pointer (&identity);
  return TRUE;
}

gboolean
_at_change_commit (AtStore  *store,
                   GError  **error)
{
  /* For tests/cli/test_crash.py only: ATTEST_TEST_COMMIT_DELAY_MS holds every change's
   * transaction open that long just before COMMIT, so the test can SIGKILL attest-cli inside
   * it. Unset (always, outside that test) it costs one getenv. */
  const char *delay = g_getenv ("ATTEST_TEST_COMMIT_DELAY_MS");

  if (delay != NULL)
    g_usleep (g_ascii_strtoull (delay, NULL, 10) * G_TIME_SPAN_MILLISECOND);

  return _at_store_commit (store, error);
}

void
_at_change_abort (AtStore *store)
{
  _at_store_rollback (store);
}
