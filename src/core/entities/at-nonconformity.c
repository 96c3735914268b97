/* at-nonconformity.c — nonconformities, rectification suggestions and their follow-up */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>
#include <time.h>

#include "at-audit-private.h"
#include "at-error.h"
#include "at-finding.h"
#include "at-nonconformity.h"
#include "at-store-private.h"
#include "at-change-private.h"

/* In enum order; also the values of the grade and status columns. */
static const char * const grade_names[] = { "major", "minor", "observation", NULL };
static const char * const status_names[] = { "open", "responded", "closed", NULL };

const char *
at_grade_to_string (AtGrade grade)
{
  g_return_val_if_fail ((guint) grade < G_N_ELEMENTS (grade_names) - 1, NULL);

  return grade_names[grade];
}

gboolean
at_grade_parse (const char  *name,
                AtGrade     *out,
                GError     **error)
{
  for (guint i = 0; grade_names[i]; i++)
    if (g_strcmp0 (grade_names[i], name) == 0)
      {
        *out = i;
        return TRUE;
      }
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("unknown grade “%s”: use major, minor or observation"),
               name ? name : "");
  return FALSE;
}

const char *
at_nc_status_to_string (AtNcStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names) - 1, NULL);

  return status_names[status];
}

/* Exactly YYYY-MM-DD and a day that exists: “2025-02-30” and “2025-2-3” are both refused, so
 * the stored text sorts and compares as a date. */
gboolean
at_due_date_parse (const char  *text,
                   GDate       *out,
                   GError     **error)
{
  static const char pattern[] = "dddd-dd-dd";
  guint year, month, day;

  if (text == NULL || strlen (text) != strlen (pattern))
    goto bad;
  for (guint i = 0; pattern[i]; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != '-')
      goto bad;

  year = g_ascii_strtoull (text, NULL, 10);
  month = g_ascii_strtoull (text + 5, NULL, 10);
  day = g_ascii_strtoull (text + 8, NULL, 10);
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("there is no date %s"), text);
      return FALSE;
    }
  if (out != NULL)
    g_date_set_dmy (out, day, month, year);
  return TRUE;

bad:
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("“%s” is not a date: write it as YYYY-MM-DD"), text ? text : "");
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */

struct _AtNonconformity
{
  GObject     parent_instance;

  char       *id;
  char       *assessment_id;
  guint       seq;
  char       *label;
  char       *clause;
  AtGrade     grade;
  char       *text;
  char       *suggestion;
  char       *due;
  AtNcStatus  status;
  char       *response;
  char       *responded_by;
  char       *responded_at;
  char       *verified_by;
  char       *verified_at;
  char       *raised_by;
  char       *raised_at;
};

G_DEFINE_FINAL_TYPE (AtNonconformity, at_nonconformity, G_TYPE_OBJECT)

static void
at_nonconformity_finalize (GObject *object)
{
  AtNonconformity *self = AT_NONCONFORMITY (object);

  g_free (self->id);
  g_free (self->assessment_id);
  g_free (self->label);
  g_free (self->clause);
  g_free (self->text);
  g_free (self->suggestion);
  g_free (self->due);
  g_free (self->response);
  g_free (self->responded_by);
  g_free (self->responded_at);
  g_free (self->verified_by);
  g_free (self->verified_at);
  g_free (self->raised_by);
  g_free (self->raised_at);

  G_OBJECT_CLASS (at_nonconformity_parent_class)->finalize (object);
}

static void
at_nonconformity_class_init (AtNonconformityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_nonconformity_finalize;
}

static void
at_nonconformity_init (AtNonconformity *self)
{
}

const char *at_nonconformity_get_id (AtNonconformity *self) { return self->id; }
const char *at_nonconformity_get_assessment_id (AtNonconformity *self) { return self->assessment_id; }
guint at_nonconformity_get_seq (AtNonconformity *self) { return self->seq; }
const char *at_nonconformity_get_label (AtNonconformity *self) { return self->label; }
const char *at_nonconformity_get_clause (AtNonconformity *self) { return self->clause; }
AtGrade at_nonconformity_get_grade (AtNonconformity *self) { return self->grade; }
const char *at_nonconformity_get_text (AtNonconformity *self) { return self->text; }
const char *at_nonconformity_get_suggestion (AtNonconformity *self) { return self->suggestion; }
const char *at_nonconformity_get_due (AtNonconformity *self) { return self->due; }
AtNcStatus at_nonconformity_get_status (AtNonconformity *self) { return self->status; }
const char *at_nonconformity_get_response (AtNonconformity *self) { return self->response; }
const char *at_nonconformity_get_responded_by (AtNonconformity *self) { return self->responded_by; }
const char *at_nonconformity_get_responded_at (AtNonconformity *self) { return self->responded_at; }
const char *at_nonconformity_get_verified_by (AtNonconformity *self) { return self->verified_by; }
const char *at_nonconformity_get_verified_at (AtNonconformity *self) { return self->verified_at; }
const char *at_nonconformity_get_raised_by (AtNonconformity *self) { return self->raised_by; }
const char *at_nonconformity_get_raised_at (AtNonconformity *self) { return self->raised_at; }

#define SELECT_NC \
  "SELECT id, assessment_id, seq, clause, grade, text, suggestion, due, status, response, " \
  "responded_by, responded_at, verified_by, verified_at, raised_by, raised_at FROM nonconformities "

static int
name_index (const char * const *names,
            const char         *name)
{
  for (int i = 0; names[i]; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return 0;
}

static AtNonconformity *
nc_from_row (sqlite3_stmt *stmt)
{
  AtNonconformity *self = g_object_new (AT_TYPE_NONCONFORMITY, NULL);

  self->id = g_strdup (_at_col_text (stmt, 0));
  self->assessment_id = g_strdup (_at_col_text (stmt, 1));
  self->seq = sqlite3_column_int (stmt, 2);
  self->label = g_strdup_printf ("NC-%u", self->seq);
  self->clause = g_strdup (_at_col_text (stmt, 3));
  self->grade = name_index (grade_names, _at_col_text (stmt, 4));
  self->text = g_strdup (_at_col_text (stmt, 5));
  self->suggestion = g_strdup (_at_col_text (stmt, 6));
  self->due = g_strdup (_at_col_text (stmt, 7));
  self->status = name_index (status_names, _at_col_text (stmt, 8));
  self->response = g_strdup (_at_col_text (stmt, 9));
  self->responded_by = g_strdup (_at_col_text (stmt, 10));
  self->responded_at = g_strdup (_at_col_text (stmt, 11));
  self->verified_by = g_strdup (_at_col_text (stmt, 12));
  self->verified_at = g_strdup (_at_col_text (stmt, 13));
  self->raised_by = g_strdup (_at_col_text (stmt, 14));
  self->raised_at = g_strdup (_at_col_text (stmt, 15));
  return self;
}

static GPtrArray *
read_list (AtStore     *store,
           const char  *assessment_id,
           GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, SELECT_NC "WHERE assessment_id = ? ORDER BY seq", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, nc_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the nonconformities"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
at_nonconformity_list (AtStore     *store,
                       const char  *assessment_id,
                       GError     **error)
{
  g_autoptr(AtAssessment) assessment = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  assessment = at_assessment_lookup (store, assessment_id, error);
  if (assessment == NULL)
    return NULL;
  return read_list (store, assessment_id, error);
}

AtNonconformity *
at_nonconformity_lookup (AtStore     *store,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _at_store_prepare (store, SELECT_NC "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id ? id : "", -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("no nonconformity “%s” (see “attest-cli nc list A”)"), id ? id : "");
      return NULL;
    }
  return nc_from_row (stmt);
}

static void
add_member (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
nc_to_builder (AtNonconformity *self,
               AtStore         *store,
               JsonBuilder     *b)
{
  json_builder_begin_object (b);
  add_member (b, "id", self->id);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, self->seq);
  add_member (b, "label", self->label);
  add_member (b, "clause", self->clause);
  add_member (b, "grade", grade_names[self->grade]);
  add_member (b, "text", self->text);
  add_member (b, "suggestion", self->suggestion);
  add_member (b, "due", self->due);
  add_member (b, "status", status_names[self->status]);
  add_member (b, "response", self->response);
  add_member (b, "responded_by", self->responded_by);
  add_member (b, "responded_at", self->responded_at);
  add_member (b, "verified_by", self->verified_by);
  add_member (b, "verified_at", self->verified_at);
  add_member (b, "raised_by", self->raised_by);
  add_member (b, "raised_at", self->raised_at);
  if (store != NULL)
    {
      g_autoptr(JsonArray) history = at_nonconformity_history (store, self, NULL);
      g_autoptr(JsonArray) evidence = at_nonconformity_evidence (store, self, NULL);

      json_builder_set_member_name (b, "history");
      json_builder_add_value (b, json_node_init_array (json_node_alloc (), history ? history : json_array_new ()));
      json_builder_set_member_name (b, "evidence");
      json_builder_add_value (b, json_node_init_array (json_node_alloc (), evidence ? evidence : json_array_new ()));
    }
  json_builder_end_object (b);
}

JsonNode *
at_nonconformity_to_json (AtNonconformity *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (AT_IS_NONCONFORMITY (self), NULL);

  nc_to_builder (self, NULL, b);
  return json_builder_get_root (b);
}

JsonNode *
at_nonconformity_to_json_full (AtNonconformity *self,
                               AtStore         *store)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (AT_IS_NONCONFORMITY (self), NULL);

  nc_to_builder (self, store, b);
  return json_builder_get_root (b);
}

void
_at_nonconformities_to_json (AtStore      *store,
                             AtAssessment *assessment,
                             JsonBuilder  *builder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = read_list (store, at_assessment_get_id (assessment), &error);

  if (list == NULL)
    {
      /* the caller has no error to return; an empty list would look like none were raised */
      g_critical ("could not read the nonconformities of %s: %s", at_assessment_get_id (assessment), error->message);
      list = g_ptr_array_new_with_free_func (g_object_unref);
    }

  json_builder_set_member_name (builder, "nonconformities");
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    nc_to_builder (g_ptr_array_index (list, i), store, builder);
  json_builder_end_array (builder);
}

/* ------------------------------------------------------------------------------------------ */
/* Follow-up across assessments                                                               */

gboolean
at_nonconformity_is_overdue (AtNonconformity *self,
                             GDate           *today)
{
  GDate due;

  g_return_val_if_fail (AT_IS_NONCONFORMITY (self), FALSE);
  if (self->status == AT_NC_CLOSED || self->due == NULL || !at_due_date_parse (self->due, &due, NULL))
    return FALSE;
  return g_date_compare (&due, today) < 0;
}

GPtrArray *
at_nonconformity_list_open (AtStore     *store,
                            gboolean     overdue_only,
                            GDate       *today,
                            GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GDate now;
  int rc;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);

  if (today == NULL)
    {
      g_date_clear (&now, 1);
      g_date_set_time_t (&now, time (NULL));
      today = &now;
    }
  /* the most pressing first: the earliest due, then those without a date */
  stmt = _at_store_prepare (store, SELECT_NC "WHERE status <> 'closed' ORDER BY due IS NULL, due, assessment_id, seq", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AtNonconformity *nc = nc_from_row (stmt);

      if (overdue_only && !at_nonconformity_is_overdue (nc, today))
        g_object_unref (nc);
      else
        g_ptr_array_add (list, nc);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the nonconformities"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* The follow-up as the audit trail recorded it: raised, each response, each verification and
 * each piece of evidence attached to a corrective action. */
JsonArray *
at_nonconformity_history (AtStore          *store,
                          AtNonconformity  *self,
                          GError          **error)
{
  g_autoptr(JsonArray) history = json_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s/%%", self->id);
  int rc;

  stmt = _at_store_prepare (store, "SELECT action, actor, at, entity, state FROM audit_log WHERE assessment_id = ?1 AND "
                                   "((entity = 'nc' AND entity_key = ?2) OR (entity = 'nc-evidence' AND entity_key LIKE ?3)) "
                                   "ORDER BY n", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, prefix, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *state = NULL;
      JsonObject *event = json_object_new ();
      const char *action = _at_col_text (stmt, 0);

      if (_at_col_text (stmt, 4) && json_parser_load_from_data (parser, _at_col_text (stmt, 4), -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        state = json_node_get_object (json_parser_get_root (parser));

      /* a bundle's copy logs "copy" for every record; the NC's own fields still tell its state */
      json_object_set_string_member (event, "action", action);
      json_object_set_string_member (event, "by", _at_col_text (stmt, 1));
      json_object_set_string_member (event, "at", _at_col_text (stmt, 2));
      if (g_str_equal (_at_col_text (stmt, 3), "nc-evidence"))
        {
          json_object_set_string_member (event, "evidence",
                                         state ? json_object_get_string_member_with_default (state, "sha256", NULL) : NULL);
          json_object_set_string_member (event, "name",
                                         state ? json_object_get_string_member_with_default (state, "original_name", NULL) : NULL);
        }
      else if (state != NULL)
        {
          json_object_set_string_member (event, "status", json_object_get_string_member_with_default (state, "status", NULL));
          if (g_strcmp0 (action, "respond") == 0)
            json_object_set_string_member (event, "text", json_object_get_string_member_with_default (state, "response", NULL));
        }
      json_array_add_object_element (history, event);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the audit trail"));
      return NULL;
    }
  return g_steal_pointer (&history);
}

JsonArray *
at_nonconformity_evidence (AtStore          *store,
                           AtNonconformity  *self,
                           GError          **error)
{
  g_autoptr(JsonArray) files = json_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _at_store_prepare (store, "SELECT sha256, kind, size, original_name, note, added_by, added_at FROM nc_evidence "
                                   "WHERE assessment_id = ? AND nc_id = ? ORDER BY added_at, rowid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *file = json_object_new ();

      json_object_set_string_member (file, "sha256", _at_col_text (stmt, 0));
      json_object_set_string_member (file, "kind", _at_col_text (stmt, 1));
      json_object_set_int_member (file, "size", sqlite3_column_int64 (stmt, 2));
      json_object_set_string_member (file, "original_name", _at_col_text (stmt, 3));
      json_object_set_string_member (file, "note", _at_col_text (stmt, 4));
      json_object_set_string_member (file, "added_by", _at_col_text (stmt, 5));
      json_object_set_string_member (file, "added_at", _at_col_text (stmt, 6));
      json_array_add_object_element (files, file);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the corrective actions' evidence"));
      return NULL;
    }
  return g_steal_pointer (&files);
}

/* ------------------------------------------------------------------------------------------ */

static char *
required_text (const char  *text,
               const char  *what,
               GError     **error)
{
  g_autofree char *clean = text ? g_strstrip (g_strdup (text)) : NULL;

  if (clean == NULL || *clean == '\0')
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("%s must not be empty"), what);
      return NULL;
    }
  return g_steal_pointer (&clean);
}

char *
at_nonconformity_add (AtStore                    *store,
                      const char                 *assessment_id,
                      const char                 *clause,
                      const char                 *actor,
                      const AtNonconformitySpec  *spec,
                      GError                    **error)
{
  g_autoptr(AtAssessment) assessment = NULL;
  g_autoptr(AtIdentity) identity = NULL;
  g_autoptr(sqlite3_stmt) next = NULL;
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autofree char *text = NULL;
  g_autofree char *suggestion = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  gint64 seq;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((guint) spec->grade >= G_N_ELEMENTS (grade_names) - 1)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("unknown grade %d"), (int) spec->grade);
      return NULL;
    }
  if (!(text = required_text (spec->text, _("the nonconformity's text"), error)) ||
      !(suggestion = required_text (spec->suggestion, _("the rectification suggestion"), error)))
    return NULL;
  if (spec->due != NULL && !at_due_date_parse (spec->due, NULL, error))
    return NULL;

  assessment = at_assessment_lookup (store, assessment_id, error);
  if (assessment == NULL)
    return NULL;
  if (at_finding_check_clause (at_assessment_get_catalog (assessment), clause, error) == NULL)
    return NULL;

  if (!_at_change_begin (store, assessment_id, actor, AT_CHANGE_RECORD, NULL, &identity, error))
    return NULL;

  /* inside the write transaction, so two writers cannot take the same number */
  next = _at_store_prepare (store, "SELECT coalesce (max (seq), 0) + 1 FROM nonconformities WHERE assessment_id = ?", error);
  if (next == NULL)
    goto fail;
  sqlite3_bind_text (next, 1, assessment_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (next) != SQLITE_ROW)
    {
      _at_store_set_error (store, error, _("could not number the nonconformity"));
      goto fail;
    }
  seq = sqlite3_column_int64 (next, 0);

  id = g_uuid_string_random ();
  now = at_now_iso8601 ();
  put = _at_store_prepare (store, "INSERT INTO nonconformities (id, assessment_id, seq, clause, grade, text, suggestion, due, "
                                  "status, raised_by, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)", error);
  if (put == NULL)
    goto fail;
  sqlite3_bind_text (put, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 2, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (put, 3, seq);
  sqlite3_bind_text (put, 4, clause, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 5, grade_names[spec->grade], -1, SQLITE_STATIC);
  sqlite3_bind_text (put, 6, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 7, suggestion, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 8, spec->due, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 9, at_identity_get_id (identity), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (put, 10, now, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, put, error) ||
      !_at_audit_append (store, assessment_id, at_identity_get_id (identity), "raise", "nc", id, error) ||
      !_at_change_commit (store, error))
    goto fail;

  return g_steal_pointer (&id);

fail:
  _at_change_abort (store);
  return NULL;
}

/* Begins a follow-up change of one NC: looks it up, begins the transaction, and reads the NC
 * again inside it, so the status the rules are checked against is the one being changed. */
static AtNonconformity *
begin_follow_up (AtStore     *store,
                 const char  *id,
                 const char  *actor,
                 AtIdentity **out_actor,
                 GError     **error)
{
  g_autoptr(AtNonconformity) nc = at_nonconformity_lookup (store, id, error);

  if (nc == NULL)
    return NULL;
  if (!_at_change_begin (store, nc->assessment_id, actor, AT_CHANGE_FOLLOW_UP, NULL, out_actor, error))
    return NULL;
  g_clear_object (&nc);
  nc = at_nonconformity_lookup (store, id, error);
  if (nc == NULL)
    {
      g_clear_object (out_actor);
      _at_change_abort (store);
      return NULL;
    }
  return g_steal_pointer (&nc);
}

static gboolean
update_follow_up (AtStore          *store,
                  AtNonconformity  *nc,
                  const char       *sql,
                  const char       *text,
                  const char       *actor,
                  const char       *action,
                  GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, sql, error);
  g_autofree char *now = at_now_iso8601 ();

  if (stmt == NULL)
    return FALSE;
  /* the follow-up statements take ?1 the id, ?2 the actor, ?3 the time and, if any, ?4 the text */
  sqlite3_bind_text (stmt, 1, nc->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (text != NULL)
    sqlite3_bind_text (stmt, 4, text, -1, SQLITE_TRANSIENT);
  return _at_store_step_done (store, stmt, error) &&
         _at_audit_append (store, nc->assessment_id, actor, action, "nc", nc->id, error) &&
         _at_change_commit (store, error);
}

gboolean
at_nonconformity_respond (AtStore     *store,
                          const char  *id,
                          const char  *actor,
                          const char  *response,
                          GError     **error)
{
  g_autoptr(AtNonconformity) nc = NULL;
  g_autoptr(AtIdentity) identity = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(text = required_text (response, _("the response"), error)))
    return FALSE;
  nc = begin_follow_up (store, id, actor, &identity, error);
  if (nc == NULL)
    return FALSE;

  if (!at_identity_has_role (identity, AT_ROLE_ORGANISATION | AT_ROLE_ASSESSOR))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s cannot respond to %s: only the organisation or an assessor may"),
                   at_identity_get_name (identity), nc->label);
      goto fail;
    }
  if (nc->status == AT_NC_CLOSED)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("%s is closed: an assessor must reopen it before it takes another response"), nc->label);
      goto fail;
    }

  if (!update_follow_up (store, nc,
                         "UPDATE nonconformities SET status = 'responded', response = ?4, "
                         "responded_by = ?2, responded_at = ?3 WHERE id = ?1",
                         text, at_identity_get_id (identity), "respond", error))
    goto fail;
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}

gboolean
at_nonconformity_verify (AtStore     *store,
                         const char  *id,
                         const char  *actor,
                         gboolean     close,
                         GError     **error)
{
  g_autoptr(AtNonconformity) nc = NULL;
  g_autoptr(AtIdentity) identity = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  nc = begin_follow_up (store, id, actor, &identity, error);
  if (nc == NULL)
    return FALSE;

  if (!at_identity_has_role (identity, AT_ROLE_ASSESSOR))
    {
      if (close)
        g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("%s cannot close %s: only an assessor verifies corrective actions"),
                     at_identity_get_name (identity), nc->label);
      else
        g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("%s cannot reopen %s: only an assessor verifies corrective actions"),
                     at_identity_get_name (identity), nc->label);
      goto fail;
    }
  if (close && nc->status == AT_NC_CLOSED)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("%s is already closed"), nc->label);
      goto fail;
    }
  if (!close && nc->status == AT_NC_OPEN)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("%s is already open"), nc->label);
      goto fail;
    }

  /* Reopening keeps the response that did not convince: the record shows what was rejected,
   * and verified_by / verified_at name whoever decided last, either way. */
  if (!update_follow_up (store, nc,
                         close ? "UPDATE nonconformities SET status = 'closed', verified_by = ?2, verified_at = ?3 "
                                 "WHERE id = ?1"
                               : "UPDATE nonconformities SET status = 'open', verified_by = ?2, verified_at = ?3 "
                                 "WHERE id = ?1",
                         NULL, at_identity_get_id (identity), close ? "close" : "reopen", error))
    goto fail;
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}
