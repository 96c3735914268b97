/* at-assignment.c — who of the team takes which clause */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "at-assessment.h"
#include "at-assignment.h"
#include "at-audit-private.h"
#include "at-change-private.h"
#include "at-error.h"
#include "at-store-private.h"

static void
add_assessable (AtClause   *clause,
                GPtrArray  *into)
{
  GListModel *children = at_clause_get_children (clause);

  if (at_clause_get_assessable (clause) &&
      !g_ptr_array_find_with_equal_func (into, at_clause_get_number (clause), g_str_equal, NULL))
    g_ptr_array_add (into, (gpointer) at_clause_get_number (clause));
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(AtClause) child = g_list_model_get_item (children, i);
      add_assessable (child, into);
    }
}

/* The assessable clauses named, chapters expanded; an error names the first unknown number. */
static GPtrArray *
expand (AtCatalog           *catalog,
        const char * const  *clauses,
        const char * const  *chapters,
        GError             **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new ();

  for (guint i = 0; clauses && clauses[i]; i++)
    {
      AtClause *c = at_catalog_lookup (catalog, clauses[i]);

      if (c == NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("%s %s has no clause “%s”"),
                       at_catalog_get_code (catalog), at_catalog_get_version (catalog), clauses[i]);
          return NULL;
        }
      if (!at_clause_get_assessable (c))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("clause %s is a heading, not a checklist item: assign it with --chapter %s"), clauses[i], clauses[i]);
          return NULL;
        }
      add_assessable (c, out);
    }
  for (guint i = 0; chapters && chapters[i]; i++)
    {
      AtClause *c = at_catalog_lookup (catalog, chapters[i]);

      if (c == NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("%s %s has no chapter “%s”"),
                       at_catalog_get_code (catalog), at_catalog_get_version (catalog), chapters[i]);
          return NULL;
        }
      add_assessable (c, out);
    }
  if (out->len == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("name the clauses (--clause) or chapters (--chapter) to assign"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

gboolean
at_assignment_set (AtStore             *store,
                   const char          *assessment_id,
                   const char          *actor,
                   const char          *assignee,
                   const char * const  *clauses,
                   const char * const  *chapters,
                   guint               *n_assigned,
                   GError             **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(AtIdentity) who = NULL;
  g_autoptr(AtIdentity) member = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *now = at_now_iso8601 ();
  guint changed = 0;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);

  if (!_at_change_begin (store, assessment_id, actor, AT_CHANGE_RECORD, &a, &who, error))
    return FALSE;
  if (g_strcmp0 (at_assessment_get_lead (a), actor) != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED, _("only the lead assessor assigns clauses, not %s"),
                   at_identity_get_name (who));
      goto fail;
    }
  if (assignee != NULL)
    {
      if (!(member = at_identity_lookup (store, assignee, error)))
        goto fail;
      if (g_strcmp0 (at_assessment_get_lead (a), assignee) != 0 && !g_strv_contains (at_assessment_get_team (a), assignee))
        {
          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("%s is not on the assessment team: add them to the team first (assessment update --team)"),
                       at_identity_get_name (member));
          goto fail;
        }
    }
  if (!(list = expand (at_assessment_get_catalog (a), clauses, chapters, error)))
    goto fail;

  for (guint i = 0; i < list->len; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (assignee != NULL)
        {
          stmt = _at_store_prepare (store, "INSERT INTO assignments (assessment_id, clause, assignee, assigned_by, assigned_at) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (assessment_id, clause) DO UPDATE SET "
                                           "assignee = excluded.assignee, assigned_by = excluded.assigned_by, "
                                           "assigned_at = excluded.assigned_at WHERE assignee <> excluded.assignee", error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_text (stmt, 3, assignee, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 4, actor, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
        }
      else if (!(stmt = _at_store_prepare (store, "DELETE FROM assignments WHERE assessment_id = ?1 AND clause = ?2", error)))
        goto fail;
      sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, list->pdata[i], -1, SQLITE_TRANSIENT);
      if (!_at_store_step_done (store, stmt, error))
        goto fail;
      if (sqlite3_changes (_at_store_get_db (store)) == 0)
        continue;
      changed++;
      if (!_at_audit_append (store, assessment_id, actor, assignee ? "assign" : "unassign", "assignment", list->pdata[i], error))
        goto fail;
    }
  if (!_at_change_commit (store, error))
    goto fail;
  if (n_assigned)
    *n_assigned = changed;
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}

GHashTable *
at_assignment_map (AtStore     *store,
                   const char  *assessment_id,
                   GError     **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT clause, assignee FROM assignments WHERE assessment_id = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (map, g_strdup (_at_col_text (stmt, 0)), g_strdup (_at_col_text (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the assignments"));
      return NULL;
    }
  return g_steal_pointer (&map);
}

void
_at_assignments_to_json (AtStore     *store,
                         const char  *assessment_id,
                         JsonBuilder *b)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT clause, assignee, assigned_by, assigned_at FROM assignments "
                                                           "WHERE assessment_id = ? ORDER BY clause", NULL);
  static const char * const names[] = { "clause", "assignee", "assigned_by", "assigned_at" };

  json_builder_set_member_name (b, "assignments");
  json_builder_begin_array (b);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          json_builder_begin_object (b);
          for (guint i = 0; i < G_N_ELEMENTS (names); i++)
            {
              json_builder_set_member_name (b, names[i]);
              json_builder_add_string_value (b, _at_col_text (stmt, i));
            }
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
}
