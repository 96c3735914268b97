/* at-assessment.c — one assessment of one organisation against one catalog version */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "at-assessment.h"
#include "at-audit-private.h"
#include "at-error.h"
#include "at-identity.h"
#include "at-nonconformity.h"
#include "at-standards.h"
#include "at-store-private.h"
#include "at-change-private.h"

struct _AtAssessment
{
  GObject    parent_instance;

  char      *id;
  char      *org;
  char      *state;
  char      *lead;
  char      *scope;
  GStrv      sites;
  char      *address;
  GStrv      team;
  char      *start_date;
  char      *end_date;
  char      *created;
  char      *updated;
  AtKind     kind;
  AtCatalog *catalog;
  AtBasis    basis;
  char      *based_on;
};

G_DEFINE_FINAL_TYPE (AtAssessment, at_assessment, G_TYPE_OBJECT)

static const char * const kind_names[] = { "third-party", "self", NULL };
static const char * const basis_names[] = { "", "application", "surveillance", NULL };

const char *
at_basis_to_string (AtBasis basis)
{
  return basis == AT_BASIS_NONE || (guint) basis >= G_N_ELEMENTS (basis_names) - 1 ? NULL : basis_names[basis];
}

static AtBasis
basis_parse (const char *name)
{
  for (guint i = 1; basis_names[i]; i++)
    if (g_strcmp0 (basis_names[i], name) == 0)
      return i;
  return AT_BASIS_NONE;
}

const char *
at_kind_to_string (AtKind kind)
{
  return kind_names[kind];
}

AtKind
at_kind_parse (const char  *name,
               GError     **error)
{
  for (guint i = 0; kind_names[i]; i++)
    if (g_strcmp0 (kind_names[i], name) == 0)
      return i;
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("unknown kind “%s”: use third-party or self"), name ? name : "");
  return AT_KIND_THIRD_PARTY;
}

static void
at_assessment_finalize (GObject *object)
{
  AtAssessment *self = AT_ASSESSMENT (object);

  g_free (self->id);
  g_free (self->org);
  g_free (self->state);
  g_free (self->lead);
  g_free (self->scope);
  g_strfreev (self->sites);
  g_free (self->address);
  g_strfreev (self->team);
  g_free (self->start_date);
  g_free (self->end_date);
  g_free (self->created);
  g_free (self->updated);
  g_free (self->based_on);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (at_assessment_parent_class)->finalize (object);
}

static void
at_assessment_class_init (AtAssessmentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_assessment_finalize;
}

static void
at_assessment_init (AtAssessment *self)
{
}

const char *at_assessment_get_id (AtAssessment *self) { return self->id; }
const char *at_assessment_get_org (AtAssessment *self) { return self->org; }
const char *at_assessment_get_state (AtAssessment *self) { return self->state; }
const char *at_assessment_get_lead (AtAssessment *self) { return self->lead; }
const char *at_assessment_get_scope (AtAssessment *self) { return self->scope; }
const char * const *at_assessment_get_sites (AtAssessment *self) { return (const char * const *) self->sites; }
AtKind at_assessment_get_kind (AtAssessment *self) { return self->kind; }
const char *at_assessment_get_created (AtAssessment *self) { return self->created; }
const char *at_assessment_get_updated (AtAssessment *self) { return self->updated; }
const char *at_assessment_get_address (AtAssessment *self) { return self->address; }
const char * const *at_assessment_get_team (AtAssessment *self) { return (const char * const *) self->team; }
const char *at_assessment_get_start_date (AtAssessment *self) { return self->start_date; }
const char *at_assessment_get_end_date (AtAssessment *self) { return self->end_date; }
AtCatalog *at_assessment_get_catalog (AtAssessment *self) { return self->catalog; }
AtBasis at_assessment_get_basis (AtAssessment *self) { return self->basis; }
const char *at_assessment_get_based_on (AtAssessment *self) { return self->based_on; }

static char *
strv_to_json (const char * const *sites)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; sites && sites[i]; i++)
    json_builder_add_string_value (builder, sites[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static GStrv
strv_from_json (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
    }
  return g_strv_builder_end (builder);
}

static char *
clean (const char *text)
{
  return text ? g_strstrip (g_strdup (text)) : NULL;
}

/* NULL for "" after trimming: an empty field is no value, in the records as on screen. */
static char *
clean_or_null (const char *text)
{
  g_autofree char *c = clean (text);

  return c && *c ? g_steal_pointer (&c) : NULL;
}

/* Trimmed, without empty entries and without repeats, in the order given. */
static GStrv
clean_list (const char * const *items,
            const char         *except)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; items && items[i]; i++)
    {
      char *item = clean_or_null (items[i]);

      if (item == NULL || g_strcmp0 (item, except) == 0 || g_hash_table_contains (seen, item))
        {
          g_free (item);
          continue;
        }
      g_strv_builder_add (builder, item);
      g_hash_table_add (seen, item);
    }
  return g_strv_builder_end (builder);
}

/* The team are assessors (or, in a self-assessment, people of the organisation) this store
 * knows: the recheck's independence rule and the report's team table rely on it. */
static gboolean
check_team (AtStore             *store,
            AtKind               kind,
            const char * const  *team,
            GError             **error)
{
  AtRoles may = kind == AT_KIND_SELF ? AT_ROLE_ASSESSOR | AT_ROLE_ORGANISATION : AT_ROLE_ASSESSOR;

  for (guint i = 0; team && team[i]; i++)
    {
      g_autoptr(AtIdentity) member = at_identity_lookup (store, team[i], error);

      if (member == NULL)
        return FALSE;
      if (!at_identity_has_role (member, may))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("%s cannot be on the assessment team: the identity does not have the %s role"),
                       at_identity_get_name (member), kind == AT_KIND_SELF ? _("assessor or organisation") : _("assessor"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_dates (const char  *start,
             const char  *end,
             GError     **error)
{
  GDate s, e;

  if (start != NULL && !at_due_date_parse (start, &s, error))
    return FALSE;
  if (end != NULL && !at_due_date_parse (end, &e, error))
    return FALSE;
  if (start != NULL && end != NULL && g_date_compare (&e, &s) < 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the assessment cannot end (%s) before it starts (%s)"), end, start);
      return FALSE;
    }
  return TRUE;
}

/* What an assessment may start from: an application is a self-assessment its organisation
 * submitted; a surveillance follows an assessment of the same catalog's standard. */
static gboolean
check_basis (AtAssessment            *base,
             const AtAssessmentSpec  *spec,
             GError                 **error)
{
  if (spec->kind != AT_KIND_THIRD_PARTY && spec->basis == AT_BASIS_APPLICATION)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("an application is evaluated by a third-party assessment"));
      return FALSE;
    }
  if (spec->basis == AT_BASIS_APPLICATION)
    {
      if (base->kind != AT_KIND_SELF)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("assessment %s is a third-party assessment, not an organisation's self-assessment: "
                       "only a self-assessment is application material"), base->id);
          return FALSE;
        }
      if (_at_state_is_editable (base->state))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("the self-assessment %s is %s: the organisation submits it before it is application material"),
                       base->id, _at_state_label (base->state));
          return FALSE;
        }
    }
  if (g_strcmp0 (at_catalog_get_code (base->catalog), spec->standard) != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("assessment %s was made against %s, not %s"),
                   base->id, at_catalog_get_code (base->catalog), spec->standard);
      return FALSE;
    }
  return TRUE;
}

/* Inside the creating transaction: the application's evidence becomes the new assessment's
 * document-evaluation material, on the same clauses, recorded as brought in by the lead and
 * marked with where it came from. Its verdicts stay where they are. */
static gboolean
carry_application (AtStore       *store,
                   AtAssessment  *self,
                   GError       **error)
{
  g_autofree char *origin = g_strdup_printf ("application:%s", self->based_on);
  g_autofree char *now = at_now_iso8601 ();
  g_autoptr(sqlite3_stmt) ev = NULL;
  g_autoptr(sqlite3_stmt) links = NULL;
  g_autoptr(GPtrArray) shas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  int rc;

  ev = _at_store_prepare (store, "INSERT INTO evidence (assessment_id, sha256, kind, size, original_name, note, captured_at, "
                                 "added_by, added_at, origin) SELECT ?1, sha256, kind, size, original_name, note, captured_at, "
                                 "?2, ?3, ?4 FROM evidence WHERE assessment_id = ?5 ORDER BY rowid RETURNING sha256", error);
  if (ev == NULL)
    return FALSE;
  sqlite3_bind_text (ev, 1, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ev, 2, self->lead, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ev, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ev, 4, origin, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ev, 5, self->based_on, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (ev)) == SQLITE_ROW)
    g_ptr_array_add (shas, g_strdup (_at_col_text (ev, 0)));
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not carry the application's evidence over"));
      return FALSE;
    }

  links = _at_store_prepare (store, "INSERT INTO evidence_links (assessment_id, sha256, clause) "
                                    "SELECT ?1, sha256, clause FROM evidence_links WHERE assessment_id = ?2 "
                                    "ORDER BY rowid RETURNING sha256 || '/' || clause", error);
  if (links == NULL)
    return FALSE;
  sqlite3_bind_text (links, 1, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (links, 2, self->based_on, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (links)) == SQLITE_ROW)
    g_ptr_array_add (keys, g_strdup (_at_col_text (links, 0)));
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not carry the application's evidence over"));
      return FALSE;
    }
  g_clear_pointer (&links, sqlite3_finalize);
  g_clear_pointer (&ev, sqlite3_finalize);

  for (guint i = 0; i < shas->len; i++)
    if (!_at_audit_append (store, self->id, self->lead, "add-evidence", "evidence", shas->pdata[i], error))
      return FALSE;
  for (guint i = 0; i < keys->len; i++)
    if (!_at_audit_append (store, self->id, self->lead, "add-evidence", "link", keys->pdata[i], error))
      return FALSE;
  return TRUE;
}

AtAssessment *
at_assessment_create (AtStore                 *store,
                      const AtAssessmentSpec  *spec,
                      GError                 **error)
{
  g_autoptr(AtAssessment) self = g_object_new (AT_TYPE_ASSESSMENT, NULL);
  g_autoptr(AtIdentity) lead = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = at_now_iso8601 ();
  g_autofree char *sites = NULL;
  g_autofree char *team = NULL;
  gint64 catalog_id;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  self->org = clean (spec->org);
  if (self->org == NULL || *self->org == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("an assessment needs the organisation's name"));
      return NULL;
    }
  if (spec->standard == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("an assessment needs a standard"));
      return NULL;
    }
  self->start_date = clean_or_null (spec->start_date);
  self->end_date = clean_or_null (spec->end_date);
  if (!check_dates (self->start_date, self->end_date, error))
    return NULL;
  self->catalog = at_standards_get (store, spec->standard, spec->version, error);
  if (self->catalog == NULL)
    return NULL;
  catalog_id = at_standards_lookup_id (store, self->catalog, error);
  if (catalog_id < 0)
    return NULL;

  lead = at_identity_lookup (store, spec->lead, error);
  if (lead == NULL)
    return NULL;
  if (spec->kind == AT_KIND_THIRD_PARTY && !at_identity_has_role (lead, AT_ROLE_ASSESSOR))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s cannot lead a third-party assessment: the identity does not have the assessor role"),
                   at_identity_get_name (lead));
      return NULL;
    }
  if (spec->kind == AT_KIND_SELF && !at_identity_has_role (lead, AT_ROLE_ASSESSOR | AT_ROLE_ORGANISATION))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s cannot lead a self-assessment: the identity has neither the organisation nor the assessor role"),
                   at_identity_get_name (lead));
      return NULL;
    }
  self->team = clean_list (spec->team, at_identity_get_id (lead));
  if (!check_team (store, spec->kind, (const char * const *) self->team, error))
    return NULL;

  if (spec->basis != AT_BASIS_NONE)
    {
      g_autoptr(AtAssessment) base = at_assessment_lookup (store, spec->based_on, error);

      if (base == NULL || !check_basis (base, spec, error))
        return NULL;
      self->basis = spec->basis;
      self->based_on = g_strdup (spec->based_on);
    }

  self->id = g_uuid_string_random ();
  self->kind = spec->kind;
  self->state = g_strdup ("draft");
  self->lead = g_strdup (at_identity_get_id (lead));
  self->scope = clean_or_null (spec->scope);
  self->address = clean_or_null (spec->address);
  self->sites = clean_list (spec->sites, NULL);
  self->created = g_strdup (now);
  self->updated = g_strdup (now);
  sites = strv_to_json ((const char * const *) self->sites);
  team = strv_to_json ((const char * const *) self->team);

  if (!_at_store_begin (store, error))
    return NULL;
  stmt = _at_store_prepare (store, "INSERT INTO assessments (id, catalog_id, kind, state, org, lead, scope, sites, created_at, updated_at, "
                                   "address, team, start_date, end_date, basis, based_on) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    {
      _at_store_rollback (store);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, catalog_id);
  sqlite3_bind_text (stmt, 3, at_kind_to_string (self->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, self->state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, self->org, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, self->lead, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, self->scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, sites, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, self->address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, team, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, self->start_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, self->end_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 15, at_basis_to_string (self->basis), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, self->based_on, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, stmt, error) ||
      !_at_audit_append (store, self->id, self->lead, "create", "assessment", self->id, error) ||
      (self->basis == AT_BASIS_APPLICATION && !carry_application (store, self, error)) ||
      !_at_store_commit (store, error))
    {
      _at_store_rollback (store);
      return NULL;
    }

  return g_steal_pointer (&self);
}

AtAssessment *
at_assessment_create_from (AtStore                 *store,
                           const char              *previous_id,
                           const AtAssessmentSpec  *spec,
                           GError                 **error)
{
  g_autoptr(AtAssessment) previous = at_assessment_lookup (store, previous_id, error);
  AtAssessmentSpec s;

  if (previous == NULL)
    return NULL;
  s = *spec;
  s.standard = spec->standard ? spec->standard : at_catalog_get_code (previous->catalog);
  /* the version the previous one used, unless another standard (or version) is asked for */
  if (spec->standard == NULL && spec->version == NULL)
    s.version = at_catalog_get_version (previous->catalog);
  s.org = spec->org ? spec->org : previous->org;
  s.address = spec->address ? spec->address : previous->address;
  s.scope = spec->scope ? spec->scope : previous->scope;
  s.sites = spec->sites ? spec->sites : (const char * const *) previous->sites;
  s.basis = spec->basis != AT_BASIS_NONE ? spec->basis : AT_BASIS_SURVEILLANCE;
  s.based_on = previous->id;
  return at_assessment_create (store, &s, error);
}

gboolean
at_assessment_update (AtStore                 *store,
                      const char              *id,
                      const char              *actor,
                      const AtAssessmentSpec  *details,
                      GError                 **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *org = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *address = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *sites = NULL;
  g_autofree char *team = NULL;
  g_autofree char *now = at_now_iso8601 ();
  g_auto(GStrv) team_list = NULL;
  g_auto(GStrv) site_list = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (details != NULL, FALSE);

  a = at_assessment_lookup (store, id, error);
  if (a == NULL)
    return FALSE;

  org = details->org ? clean (details->org) : g_strdup (a->org);
  if (*org == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("an assessment needs the organisation's name"));
      return FALSE;
    }
  scope = details->scope ? clean_or_null (details->scope) : g_strdup (a->scope);
  address = details->address ? clean_or_null (details->address) : g_strdup (a->address);
  start = details->start_date ? clean_or_null (details->start_date) : g_strdup (a->start_date);
  end = details->end_date ? clean_or_null (details->end_date) : g_strdup (a->end_date);
  if (!check_dates (start, end, error))
    return FALSE;
  site_list = clean_list (details->sites ? details->sites : (const char * const *) a->sites, NULL);
  team_list = clean_list (details->team ? details->team : (const char * const *) a->team, a->lead);
  if (!check_team (store, a->kind, (const char * const *) team_list, error))
    return FALSE;
  sites = strv_to_json ((const char * const *) site_list);
  team = strv_to_json ((const char * const *) team_list);

  /* the same rules as any record: editable state, and an assessor (or the organisation) */
  if (!_at_change_begin (store, id, actor, AT_CHANGE_RECORD, NULL, NULL, error))
    return FALSE;
  stmt = _at_store_prepare (store, "UPDATE assessments SET org = ?, scope = ?, address = ?, start_date = ?, end_date = ?, "
                                   "sites = ?, team = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    {
      _at_change_abort (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, org, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, sites, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, team, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, id, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, stmt, error) ||
      !_at_audit_append (store, id, actor, "update", "assessment", id, error) ||
      !_at_change_commit (store, error))
    {
      _at_change_abort (store);
      return FALSE;
    }
  return TRUE;
}

#define SELECT_ASSESSMENT \
  "SELECT id, catalog_id, kind, state, org, lead, scope, sites, created_at, " \
  "address, team, start_date, end_date, updated_at, basis, based_on FROM assessments "

static AtAssessment *
assessment_from_row (AtStore       *store,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  g_autoptr(AtAssessment) self = g_object_new (AT_TYPE_ASSESSMENT, NULL);

  self->id = g_strdup (_at_col_text (stmt, 0));
  self->catalog = at_standards_get_by_id (store, sqlite3_column_int64 (stmt, 1), error);
  if (self->catalog == NULL)
    return NULL;
  self->kind = at_kind_parse (_at_col_text (stmt, 2), NULL);
  self->state = g_strdup (_at_col_text (stmt, 3));
  self->org = g_strdup (_at_col_text (stmt, 4));
  self->lead = g_strdup (_at_col_text (stmt, 5));
  self->scope = g_strdup (_at_col_text (stmt, 6));
  self->sites = strv_from_json (_at_col_text (stmt, 7));
  self->created = g_strdup (_at_col_text (stmt, 8));
  self->address = g_strdup (_at_col_text (stmt, 9));
  self->team = strv_from_json (_at_col_text (stmt, 10) ? _at_col_text (stmt, 10) : "[]");
  self->start_date = g_strdup (_at_col_text (stmt, 11));
  self->end_date = g_strdup (_at_col_text (stmt, 12));
  self->updated = g_strdup (_at_col_text (stmt, 13));
  self->basis = basis_parse (_at_col_text (stmt, 14));
  self->based_on = g_strdup (_at_col_text (stmt, 15));
  return g_steal_pointer (&self);
}

GPtrArray *
at_assessment_list (AtStore  *store,
                    GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, SELECT_ASSESSMENT "ORDER BY created_at DESC, id", error);

  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      AtAssessment *a = assessment_from_row (store, stmt, error);
      if (a == NULL)
        return NULL;
      g_ptr_array_add (list, a);
    }
  return g_steal_pointer (&list);
}

AtAssessment *
at_assessment_lookup (AtStore     *store,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, SELECT_ASSESSMENT "WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id ? id : "", -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("no assessment “%s” (see “attest-cli assessment list”)"), id ? id : "");
      return NULL;
    }
  return assessment_from_row (store, stmt, error);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *value)
{
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
at_assessment_to_json (AtAssessment *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  _at_assessment_json_members (self, b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The set-up's members, into an object the caller has begun. */
void
_at_assessment_json_members (AtAssessment *self,
                             JsonBuilder  *b)
{
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->id);
  json_builder_set_member_name (b, "standard");
  json_builder_add_string_value (b, at_catalog_get_code (self->catalog));
  json_builder_set_member_name (b, "catalog_version");
  json_builder_add_string_value (b, at_catalog_get_version (self->catalog));
  json_builder_set_member_name (b, "catalog_sha256");
  json_builder_add_string_value (b, at_catalog_get_sha256 (self->catalog));
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, at_kind_to_string (self->kind));
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, self->state);
  json_builder_set_member_name (b, "org");
  json_builder_add_string_value (b, self->org);
  json_builder_set_member_name (b, "lead");
  json_builder_add_string_value (b, self->lead);
  json_builder_set_member_name (b, "scope");
  add_string_or_null (b, self->scope);
  json_builder_set_member_name (b, "sites");
  json_builder_begin_array (b);
  for (guint i = 0; self->sites[i]; i++)
    json_builder_add_string_value (b, self->sites[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "address");
  add_string_or_null (b, self->address);
  json_builder_set_member_name (b, "team");
  json_builder_begin_array (b);
  for (guint i = 0; self->team[i]; i++)
    json_builder_add_string_value (b, self->team[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "start_date");
  add_string_or_null (b, self->start_date);
  json_builder_set_member_name (b, "end_date");
  add_string_or_null (b, self->end_date);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, self->created);
  json_builder_set_member_name (b, "basis");
  add_string_or_null (b, at_basis_to_string (self->basis));
  json_builder_set_member_name (b, "based_on");
  add_string_or_null (b, self->based_on);
}
