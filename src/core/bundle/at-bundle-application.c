/* at-bundle-application.c — a third-party assessment from an organisation's application
 *
 * QCS 11.3 a: the certification body evaluates the documents an organisation submits. In
 * Attest the organisation submits its signed self-assessment as a bundle; the body imports it
 * (checked like any bundle, and it stays on file as the organisation made it) and starts a
 * third-party assessment on it: the organisation's evidence arrives as document-evaluation
 * material on the same clauses, its verdicts are shown beside for reference and never copied.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "at-bundle-private.h"
#include "at-error.h"
#include "at-identity.h"
#include "at-workflow-private.h"

typedef struct
{
  char *org;
  char *address;
  char *scope;
  char *code;
  char *version;
  GStrv sites;
} Application;

static void
application_clear (Application *app)
{
  g_free (app->org);
  g_free (app->address);
  g_free (app->scope);
  g_free (app->code);
  g_free (app->version);
  g_strfreev (app->sites);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Application, application_clear)

/* Before anything is written: the bundle holds a self-assessment its organisation submitted. */
static gboolean
check_application (AtBundleContents  *c,
                   gpointer           user_data,
                   GError           **error)
{
  Application *app = user_data;
  JsonObject *row = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (c->records, "assessment"), 0), "row");
  const char *kind = json_object_get_string_member_with_default (row, "kind", "");
  const char *state = json_object_get_string_member_with_default (row, "state", "");
  g_autoptr(JsonNode) sites = NULL;

  if (!g_str_equal (kind, "self"))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("%s holds a third-party assessment, not an organisation's self-assessment: only a self-assessment is application material"),
                   c->path);
      return FALSE;
    }
  if (_at_state_is_editable (state))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("the self-assessment in %s is %s: the organisation submits it before it is application material"),
                   c->path, _at_state_label (state));
      return FALSE;
    }
  app->org = g_strdup (json_object_get_string_member_with_default (row, "org", NULL));
  app->address = g_strdup (json_object_get_string_member_with_default (row, "address", NULL));
  app->scope = g_strdup (json_object_get_string_member_with_default (row, "scope", NULL));
  app->code = g_strdup (json_object_get_string_member_with_default (c->catalog, "code", NULL));
  app->version = g_strdup (json_object_get_string_member_with_default (c->catalog, "version", NULL));
  sites = json_from_string (json_object_get_string_member_with_default (row, "sites", "[]"), NULL);
  if (sites != NULL && JSON_NODE_HOLDS_ARRAY (sites))
    {
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      JsonArray *array = json_node_get_array (sites);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (json_node_get_value_type (json_array_get_element (array, i)) == G_TYPE_STRING)
          g_strv_builder_add (b, json_array_get_string_element (array, i));
      app->sites = g_strv_builder_end (b);
    }
  return TRUE;
}

AtAssessment *
at_assessment_create_from_bundle (AtStore                 *store,
                                  const char              *path,
                                  const AtAssessmentSpec  *spec,
                                  AtProgressFunc           progress,
                                  gpointer                 progress_data,
                                  GCancellable            *cancellable,
                                  GError                 **error)
{
  g_auto(Application) app = { 0 };
  g_autofree char *self_id = NULL;
  g_autoptr(AtIdentity) lead = NULL;
  AtBundleOutcome outcome;
  AtAssessmentSpec s;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL && spec != NULL, NULL);

  /* what the import cannot undo is checked before it: who leads */
  lead = at_identity_lookup (store, spec->lead, error);
  if (lead == NULL)
    return NULL;
  if (!at_identity_has_role (lead, AT_ROLE_ASSESSOR))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s cannot lead a third-party assessment: the identity does not have the assessor role"),
                   at_identity_get_name (lead));
      return NULL;
    }

  /* the application stays on file as the organisation signed it (an import it already has
   * is left as it is) */
  self_id = _at_bundle_import_checked (store, path, AT_BUNDLE_IMPORT_NONE, check_application, &app, &outcome,
                                       progress, progress_data, cancellable, error);
  if (self_id == NULL)
    return NULL;

  s = *spec;
  s.kind = AT_KIND_THIRD_PARTY;
  s.standard = app.code;
  s.version = app.version;
  s.org = spec->org ? spec->org : app.org;
  s.address = spec->address ? spec->address : app.address;
  s.scope = spec->scope ? spec->scope : app.scope;
  s.sites = spec->sites ? spec->sites : (const char * const *) app.sites;
  s.basis = AT_BASIS_APPLICATION;
  s.based_on = self_id;
  return at_assessment_create (store, &s, error);
}
