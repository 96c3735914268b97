/* at-bundle-merge.c — a team member's bundle merged into this store's assessment
 *
 * Both logs start with the same entries (the revision the lead handed out). After that point
 * each log says which records its side changed: the last state a log holds for a record is the
 * record on that side. A record only the member changed is taken; one only this store changed
 * stays; one both changed to the same state is settled; evidence rows are a union by hash;
 * anything else is a conflict for the lead to decide. The merge is one transaction: a “merge”
 * entry naming the member's log head, then every record taken, logged under the name of the
 * member who changed it (their log, checked and signed, says who), then the member's own log
 * after the common point, kept as it was signed (audit_branches), so that anyone can check it
 * continues this store's history and ends where the merge entry says.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-audit-private.h"
#include "at-bundle-private.h"
#include "at-change-private.h"
#include "at-error.h"
#include "at-finding.h"
#include "at-identity.h"
#include "at-merge.h"
#include "at-records-private.h"
#include "at-standards.h"
#include "at-store-private.h"

typedef struct
{
  gint64  n;
  char   *hash;
  char   *at;
  char   *actor;
  char   *action;
  char   *entity;
  char   *key;
  char   *state;
} Entry;

static void entry_free (Entry *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Entry, entry_free)

static void
entry_free (Entry *e)
{
  g_free (e->hash);
  g_free (e->at);
  g_free (e->actor);
  g_free (e->action);
  g_free (e->entity);
  g_free (e->key);
  g_free (e->state);
  g_free (e);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
canonical (JsonObject *o)
{
  g_autoptr(JsonNode) node = NULL;

  if (o == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), o);
  return _at_json_canonical (node);
}

/* ------------------------------------------------------------------------------------------ */
/* A conflict                                                                                 */

struct _AtMergeConflict
{
  GObject             parent_instance;

  const AtEntityDesc *desc;
  char               *key;
  char               *label;
  JsonObject         *mine;
  char               *mine_by;
  char               *mine_at;
  JsonObject         *theirs;
  char               *theirs_by;
  char               *theirs_at;
  char               *theirs_action;
  char               *mine_name;
  char               *theirs_name;
  GStrv               mine_evidence;
  GStrv               theirs_evidence;
  AtMergeChoice       choice;
  JsonObject         *edited;
};

G_DEFINE_FINAL_TYPE (AtMergeConflict, at_merge_conflict, G_TYPE_OBJECT)

static void
at_merge_conflict_finalize (GObject *object)
{
  AtMergeConflict *self = AT_MERGE_CONFLICT (object);

  g_free (self->key);
  g_free (self->label);
  g_clear_pointer (&self->mine, json_object_unref);
  g_free (self->mine_by);
  g_free (self->mine_at);
  g_clear_pointer (&self->theirs, json_object_unref);
  g_free (self->theirs_by);
  g_free (self->theirs_at);
  g_free (self->theirs_action);
  g_free (self->mine_name);
  g_free (self->theirs_name);
  g_strfreev (self->mine_evidence);
  g_strfreev (self->theirs_evidence);
  g_clear_pointer (&self->edited, json_object_unref);
  G_OBJECT_CLASS (at_merge_conflict_parent_class)->finalize (object);
}

static void
at_merge_conflict_class_init (AtMergeConflictClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_merge_conflict_finalize;
}

static void
at_merge_conflict_init (AtMergeConflict *self)
{
}

const char   *at_merge_conflict_get_entity    (AtMergeConflict *self) { return self->desc->entity; }
const char   *at_merge_conflict_get_key       (AtMergeConflict *self) { return self->key; }
const char   *at_merge_conflict_get_label     (AtMergeConflict *self) { return self->label; }
JsonObject   *at_merge_conflict_get_mine      (AtMergeConflict *self) { return self->mine; }
const char   *at_merge_conflict_get_mine_by   (AtMergeConflict *self) { return self->mine_by; }
const char   *at_merge_conflict_get_mine_at   (AtMergeConflict *self) { return self->mine_at; }
JsonObject   *at_merge_conflict_get_theirs    (AtMergeConflict *self) { return self->theirs; }
const char   *at_merge_conflict_get_theirs_by (AtMergeConflict *self) { return self->theirs_by; }
const char   *at_merge_conflict_get_theirs_at (AtMergeConflict *self) { return self->theirs_at; }
const char   *at_merge_conflict_get_mine_name (AtMergeConflict *self) { return self->mine_name; }
const char   *at_merge_conflict_get_theirs_name (AtMergeConflict *self) { return self->theirs_name; }
const char * const *at_merge_conflict_get_mine_evidence (AtMergeConflict *self) { return (const char * const *) self->mine_evidence; }
const char * const *at_merge_conflict_get_theirs_evidence (AtMergeConflict *self) { return (const char * const *) self->theirs_evidence; }
AtMergeChoice at_merge_conflict_get_choice    (AtMergeConflict *self) { return self->choice; }

void
at_merge_conflict_choose (AtMergeConflict *self,
                          AtMergeChoice    choice)
{
  g_return_if_fail (AT_IS_MERGE_CONFLICT (self));
  g_return_if_fail (choice != AT_MERGE_TAKE_EDITED || self->edited != NULL);
  self->choice = choice;
}

gboolean
at_merge_conflict_edit (AtMergeConflict  *self,
                        const char       *verdict,
                        const char       *note,
                        GError          **error)
{
  JsonObject *base = self->mine ? self->mine : self->theirs;
  AtVerdict v;
  g_autofree char *clean = note ? g_strstrip (g_strdup (note)) : NULL;
  g_autoptr(JsonNode) copy = NULL;

  g_return_val_if_fail (AT_IS_MERGE_CONFLICT (self), FALSE);
  if (!g_str_equal (self->desc->entity, "finding") || base == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("only a finding can be written anew in a merge: keep one side of %s"),
                   self->label);
      return FALSE;
    }
  if (!at_verdict_parse (verdict, &v, error))
    return FALSE;
  copy = json_node_copy (json_node_init_object (json_node_alloc (), base));
  g_clear_pointer (&self->edited, json_object_unref);
  self->edited = json_object_ref (json_node_get_object (copy));
  json_object_set_string_member (self->edited, "verdict", verdict);
  if (clean != NULL && *clean != '\0')
    json_object_set_string_member (self->edited, "note", clean);
  else
    json_object_set_null_member (self->edited, "note");
  self->choice = AT_MERGE_TAKE_EDITED;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The merge                                                                                  */

typedef struct
{
  const AtEntityDesc *desc;
  char               *key;
  JsonObject         *row;     /* NULL: delete */
  char               *actor;
  char               *action;
} Take;

static void
take_free (Take *t)
{
  g_free (t->key);
  g_clear_pointer (&t->row, json_object_unref);
  g_free (t->actor);
  g_free (t->action);
  g_free (t);
}

struct _AtMerge
{
  GObject           parent_instance;

  AtStore          *store;
  char             *area;
  int               area_lock;
  AtBundleContents *c;
  AtMergeKind       kind;
  guint             base;        /* entries both logs share */
  char             *our_head;    /* our last entry's hash when prepared */
  gint64            catalog_id;
  char             *signer_name;
  GPtrArray        *taken;       /* Take */
  GPtrArray        *conflicts;   /* AtMergeConflict */
};

G_DEFINE_FINAL_TYPE (AtMerge, at_merge, G_TYPE_OBJECT)

static void
at_merge_finalize (GObject *object)
{
  AtMerge *self = AT_MERGE (object);

  g_clear_pointer (&self->c, _at_bundle_contents_free);
  if (self->area != NULL)
    _at_bundle_area_remove (self->area, self->area_lock);
  g_free (self->area);
  g_free (self->our_head);
  g_free (self->signer_name);
  g_clear_pointer (&self->taken, g_ptr_array_unref);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (at_merge_parent_class)->finalize (object);
}

static void
at_merge_class_init (AtMergeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_merge_finalize;
}

static void
at_merge_init (AtMerge *self)
{
  self->area_lock = -1;
  self->taken = g_ptr_array_new_with_free_func ((GDestroyNotify) take_free);
  self->conflicts = g_ptr_array_new_with_free_func (g_object_unref);
}

AtMergeKind  at_merge_get_kind          (AtMerge *self) { return self->kind; }
const char  *at_merge_get_assessment_id (AtMerge *self) { return self->c->assessment_id; }
const char  *at_merge_get_signer_name   (AtMerge *self) { return self->signer_name; }
guint        at_merge_get_n_taken       (AtMerge *self) { return self->taken->len; }
GPtrArray   *at_merge_get_conflicts     (AtMerge *self) { return self->conflicts; }

void
at_merge_choose_all (AtMerge       *self,
                     AtMergeChoice  choice)
{
  g_return_if_fail (choice == AT_MERGE_TAKE_MINE || choice == AT_MERGE_TAKE_THEIRS);
  for (guint i = 0; i < self->conflicts->len; i++)
    at_merge_conflict_choose (self->conflicts->pdata[i], choice);
}

static GPtrArray *
our_log (AtStore     *store,
         const char  *assessment_id,
         GError     **error)
{
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (store, "SELECT n, hash, at, actor, action, entity, entity_key, state "
                                                           "FROM audit_log WHERE assessment_id = ? ORDER BY n", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Entry *e = g_new0 (Entry, 1);

      e->n = sqlite3_column_int64 (stmt, 0);
      e->hash = g_strdup (_at_col_text (stmt, 1));
      e->at = g_strdup (_at_col_text (stmt, 2));
      e->actor = g_strdup (_at_col_text (stmt, 3));
      e->action = g_strdup (_at_col_text (stmt, 4));
      e->entity = g_strdup (_at_col_text (stmt, 5));
      e->key = g_strdup (_at_col_text (stmt, 6));
      e->state = g_strdup (_at_col_text (stmt, 7));
      g_ptr_array_add (log, e);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the audit trail"));
      return NULL;
    }
  return g_steal_pointer (&log);
}

static Entry *
their_entry (AtBundleContents *c,
             guint             i)
{
  JsonObject *o = json_array_get_object_element (c->audit, i);
  Entry *e = g_new0 (Entry, 1);

  e->n = json_object_get_int_member (o, "n");
  e->hash = g_strdup (json_object_get_string_member (o, "hash"));
  e->at = g_strdup (json_object_get_string_member_with_default (o, "at", NULL));
  e->actor = g_strdup (json_object_get_string_member_with_default (o, "actor", NULL));
  e->action = g_strdup (json_object_get_string_member_with_default (o, "action", NULL));
  e->entity = g_strdup (json_object_get_string_member_with_default (o, "entity", NULL));
  e->key = g_strdup (json_object_get_string_member_with_default (o, "entity_key", NULL));
  e->state = g_strdup (json_object_get_string_member_with_default (o, "state", NULL));
  return e;
}

static char *
record_label (const char *entity,
              const char *key,
              JsonObject *row)
{
  if (g_str_equal (entity, "assessment"))
    return g_strdup (_("the assessment's set-up"));
  if (g_str_equal (entity, "finding"))
    return g_strdup_printf (_("the finding on clause %s"), key);
  if (g_str_equal (entity, "measurement"))
    return g_strdup_printf (_("the measurement %s"), key);
  if (g_str_equal (entity, "evidence"))
    return g_strdup_printf (_("evidence %s"), row && json_object_has_member (row, "original_name")
                                                ? json_object_get_string_member (row, "original_name") : key);
  if (g_str_equal (entity, "link"))
    return g_strdup_printf (_("the evidence link %s"), key);
  if (g_str_equal (entity, "nc"))
    {
      /* the number as text first: a G_GINT64_FORMAT inside the message would hide it from xgettext */
      g_autofree char *number = g_strdup_printf ("NC-%" G_GINT64_FORMAT, row && json_object_has_member (row, "seq")
                                                                           ? json_object_get_int_member (row, "seq") : 0);
      return g_strdup_printf (_("nonconformity %s"), number);
    }
  if (g_str_equal (entity, "assignment"))
    return g_strdup_printf (_("the assignment of clause %s"), key);
  return g_strdup_printf ("%s %s", entity, key);
}

/* A person's name: this store's identity, or the one the bundle carries. */
static char *
person_name (AtMerge    *self,
             const char *id)
{
  g_autoptr(AtIdentity) who = id ? at_identity_lookup (self->store, id, NULL) : NULL;

  if (who != NULL)
    return g_strdup (at_identity_get_name (who));
  for (guint i = 0; id && i < json_array_get_length (self->c->identities); i++)
    {
      JsonObject *o = json_array_get_object_element (self->c->identities, i);
      if (g_strcmp0 (json_object_get_string_member (o, "id"), id) == 0)
        return g_strdup (json_object_get_string_member (o, "name"));
    }
  return g_strdup (id ? id : "?");
}

/* The names of the files linked to clause on one side: mine from the store, theirs from the
 * bundle's records. */
static GStrv
evidence_names (AtMerge    *self,
                const char *clause,
                gboolean    theirs)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  if (theirs)
    {
      JsonNode *links = json_object_get_member (self->c->records, "link");
      JsonNode *ev = json_object_get_member (self->c->records, "evidence");

      for (guint i = 0; links && i < json_array_get_length (json_node_get_array (links)); i++)
        {
          JsonObject *row = json_object_get_object_member (json_array_get_object_element (json_node_get_array (links), i), "row");
          const char *sha = json_object_get_string_member (row, "sha256");

          if (g_strcmp0 (json_object_get_string_member (row, "clause"), clause) != 0)
            continue;
          for (guint k = 0; ev && k < json_array_get_length (json_node_get_array (ev)); k++)
            {
              JsonObject *e = json_object_get_object_member (json_array_get_object_element (json_node_get_array (ev), k), "row");
              if (g_strcmp0 (json_object_get_string_member (e, "sha256"), sha) == 0)
                g_strv_builder_add (b, json_object_get_string_member (e, "original_name"));
            }
        }
    }
  else
    {
      g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (self->store, "SELECT e.original_name FROM evidence_links l JOIN evidence e "
                                                                     "ON e.assessment_id = l.assessment_id AND e.sha256 = l.sha256 "
                                                                     "WHERE l.assessment_id = ? AND l.clause = ? ORDER BY e.rowid", NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, self->c->assessment_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, clause, -1, SQLITE_TRANSIENT);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            g_strv_builder_add (b, _at_col_text (stmt, 0));
        }
    }
  return g_strv_builder_end (b);
}

/* The assessment's row compared without its workflow bookkeeping (state, updated_at). */
static gboolean
same_record (const AtEntityDesc *desc,
             const char         *a,
             const char         *b)
{
  g_autoptr(JsonObject) x = NULL;
  g_autoptr(JsonObject) y = NULL;
  g_autofree char *cx = NULL;
  g_autofree char *cy = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  if (!g_str_equal (desc->entity, "assessment"))
    return g_str_equal (a, b);
  x = parse_object (a);
  y = parse_object (b);
  if (x == NULL || y == NULL)
    return FALSE;
  for (guint i = 0; desc->unsigned_columns[i]; i++)
    {
      if (json_object_has_member (x, desc->unsigned_columns[i]))
        json_object_remove_member (x, desc->unsigned_columns[i]);
      if (json_object_has_member (y, desc->unsigned_columns[i]))
        json_object_remove_member (y, desc->unsigned_columns[i]);
    }
  cx = canonical (x);
  cy = canonical (y);
  return g_str_equal (cx, cy);
}

/* Every record the bundle changed since the common point: taken, settled, or a conflict. */
static gboolean
plan (AtMerge    *self,
      GPtrArray  *ours,
      GError    **error)
{
  AtBundleContents *c = self->c;
  guint theirs_n = json_array_get_length (c->audit);
  g_autoptr(GHashTable) our_changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);   /* → Entry */
  g_autoptr(GHashTable) their_last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) entry_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);

  for (guint i = self->base; i < ours->len; i++)
    {
      Entry *e = ours->pdata[i];
      g_hash_table_insert (our_changes, g_strdup_printf ("%s\n%s", e->entity, e->key), e);
    }
  for (guint i = self->base; i < theirs_n; i++)
    {
      Entry *e = their_entry (c, i);
      char *id = g_strdup_printf ("%s\n%s", e->entity, e->key);

      if (!g_hash_table_contains (their_last, id))
        g_ptr_array_add (order, g_strdup (id));
      g_hash_table_insert (their_last, id, e);
    }

  for (guint i = 0; i < order->len; i++)
    {
      Entry *theirs = g_hash_table_lookup (their_last, order->pdata[i]);
      Entry *mine = g_hash_table_lookup (our_changes, order->pdata[i]);
      const AtEntityDesc *desc = _at_records_lookup (theirs->entity);
      g_autoptr(GError) local = NULL;
      g_autofree char *now = NULL;

      if (desc == NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the bundle's log changes a kind of record this Attest does not know (%s)"),
                       theirs->entity);
          return FALSE;
        }
      now = _at_records_state (self->store, theirs->entity, c->assessment_id, theirs->key, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (same_record (desc, now, theirs->state))
        continue;                                   /* the same on both sides: settled */
      if (mine == NULL)
        {
          Take *t = g_new0 (Take, 1);

          t->desc = desc;
          t->key = g_strdup (theirs->key);
          t->row = parse_object (theirs->state);
          t->actor = g_strdup (theirs->actor);
          t->action = g_strdup (theirs->action);
          g_ptr_array_add (self->taken, t);
          continue;
        }
      if (g_str_equal (desc->entity, "evidence") && now != NULL && theirs->state != NULL)
        continue;                                   /* the same file: a union by hash keeps this store's record */

      {
        AtMergeConflict *conflict = g_object_new (AT_TYPE_MERGE_CONFLICT, NULL);

        conflict->desc = desc;
        conflict->key = g_strdup (theirs->key);
        conflict->mine = parse_object (now);
        conflict->mine_by = g_strdup (mine->actor);
        conflict->mine_at = g_strdup (mine->at);
        conflict->theirs = parse_object (theirs->state);
        conflict->theirs_by = g_strdup (theirs->actor);
        conflict->theirs_at = g_strdup (theirs->at);
        conflict->theirs_action = g_strdup (theirs->action);
        conflict->mine_name = person_name (self, mine->actor);
        conflict->theirs_name = person_name (self, theirs->actor);
        conflict->label = record_label (desc->entity, theirs->key, conflict->mine ? conflict->mine : conflict->theirs);
        if (g_str_equal (desc->entity, "finding"))
          {
            conflict->mine_evidence = evidence_names (self, theirs->key, FALSE);
            conflict->theirs_evidence = evidence_names (self, theirs->key, TRUE);
          }
        g_ptr_array_add (self->conflicts, conflict);
      }
    }
  return TRUE;
}

/* What a member's bundle may not do: cross the workflow (submit, sign), claim changes by
 * anyone but its signer, or rewrite a history this store handed out. */
static gboolean
check_branch (AtMerge    *self,
              GPtrArray  *ours,
              GError    **error)
{
  AtBundleContents *c = self->c;
  guint theirs_n = json_array_get_length (c->audit);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) points = g_string_new (NULL);
  gboolean any = FALSE, continues = FALSE;
  Entry *base = ours->pdata[self->base - 1];

  for (guint i = self->base; i < theirs_n; i++)
    {
      g_autoptr(Entry) e = NULL;

      e = their_entry (c, i);
      if (g_str_equal (e->entity, "signoff") || g_str_equal (e->entity, "certificate") ||
          (g_str_equal (e->entity, "assessment") && e->action &&
           (g_str_equal (e->action, "submit") || g_str_equal (e->action, "approve") || g_str_equal (e->action, "return") ||
            g_str_equal (e->action, "certify") || g_str_has_prefix (e->action, "reopen"))))
        {
          g_autofree char *entry = g_strdup_printf ("%" G_GINT64_FORMAT, e->n);

          g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                       _("the bundle's revision went through the workflow (“%s” at its entry %s): "
                         "a merge never crosses it; import the bundle as a copy (--as-copy) to look at it"),
                       e->action, entry);
          return FALSE;
        }
      if (g_strcmp0 (e->actor, c->exported_by) != 0)
        {
          g_autofree char *entry = g_strdup_printf ("%" G_GINT64_FORMAT, e->n);

          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("the bundle claims a change by %s (its entry %s, “%s”) made after it left this store's "
                         "history, but it is signed by %s: a member's bundle carries only the member's own changes; nothing was merged"),
                       e->actor ? e->actor : _("nobody"), entry, e->action, c->exported_by);
          return FALSE;
        }
    }

  /* the common point must be a revision this store handed out (when it has handed any out) */
  stmt = _at_store_prepare (self->store, "SELECT DISTINCT head_n, head_hash FROM bundle_exports WHERE assessment_id = ? ORDER BY head_n", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->assessment_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      any = TRUE;
      if (sqlite3_column_int64 (stmt, 0) == base->n && g_strcmp0 (_at_col_text (stmt, 1), base->hash) == 0)
        continues = TRUE;
      g_string_append_printf (points, "%s%" G_GINT64_FORMAT, points->len ? ", " : "", (gint64) sqlite3_column_int64 (stmt, 0));
    }
  if (any && !continues)
    {
      g_autofree char *entry = g_strdup_printf ("%" G_GINT64_FORMAT, base->n);

      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the bundle's history does not continue a revision handed out from this store: it leaves this store's "
                     "history after entry %s, but revisions were handed out at entries %s. "
                     "It rewrites history; nothing was merged"),
                   entry, points->str);
      return FALSE;
    }
  return TRUE;
}

AtMerge *
at_merge_prepare (AtStore         *store,
                  const char      *path,
                  AtProgressFunc   progress,
                  gpointer         progress_data,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_autoptr(AtMerge) self = g_object_new (AT_TYPE_MERGE, NULL);
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GError) local = NULL;
  AtBundleContents *c;
  guint theirs_n;
  JsonObject *row;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self->store = g_object_ref (store);
  self->area = _at_bundle_area_new (store, &self->area_lock, error);
  if (self->area == NULL)
    return NULL;
  self->c = c = _at_bundle_read (path, self->area, progress, progress_data, cancellable, error);
  if (c == NULL)
    return NULL;
  self->signer_name = g_strdup (json_object_get_string_member_with_default (c->exporter, "name", c->exported_by));

  a = at_assessment_lookup (store, c->assessment_id, &local);
  if (a == NULL)
    {
      if (!g_error_matches (local, AT_ERROR, AT_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      self->kind = AT_MERGE_NEW;
      return g_steal_pointer (&self);
    }
  if (!(ours = our_log (store, c->assessment_id, error)))
    return NULL;

  theirs_n = json_array_get_length (c->audit);
  while (self->base < ours->len && self->base < theirs_n &&
         g_str_equal (((Entry *) ours->pdata[self->base])->hash,
                      json_object_get_string_member (json_array_get_object_element (c->audit, self->base), "hash")))
    self->base++;
  self->our_head = ours->len ? g_strdup (((Entry *) ours->pdata[ours->len - 1])->hash) : NULL;

  if (self->base == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("the bundle's assessment %s has another history than this store's from its first entry: "
                     "it is not the same assessment's; nothing was merged"), c->assessment_id);
      return NULL;
    }
  if (self->base == theirs_n)
    {
      self->kind = AT_MERGE_UNCHANGED;
      return g_steal_pointer (&self);
    }
  if (self->base == ours->len)
    {
      self->kind = AT_MERGE_FAST_FORWARD;
      return g_steal_pointer (&self);
    }

  self->kind = AT_MERGE_DIVERGED;
  if (!_at_state_is_editable (at_assessment_get_state (a)))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("assessment %s is %s here: a merge never crosses the workflow; only an assessment that is being "
                     "worked on takes a team member's work"), c->assessment_id, _at_state_label (at_assessment_get_state (a)));
      return NULL;
    }
  row = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (c->records, "assessment"), 0), "row");
  if (!_at_state_is_editable (json_object_get_string_member_with_default (row, "state", "")))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   _("the bundle's assessment is %s: a merge never crosses the workflow"),
                   _at_state_label (json_object_get_string_member_with_default (row, "state", "?")));
      return NULL;
    }
  if (g_strcmp0 (json_object_get_string_member (c->catalog, "sha256"), at_catalog_get_sha256 (at_assessment_get_catalog (a))) != 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the bundle's assessment was made on another text of the catalog: nothing was merged"));
      return NULL;
    }
  self->catalog_id = at_standards_lookup_id (store, at_assessment_get_catalog (a), error);
  if (self->catalog_id < 0 || !check_branch (self, ours, error) || !plan (self, ours, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------------------------ */
/* Applying it                                                                                */

static guint
entity_index (const AtEntityDesc *desc)
{
  const AtEntityDesc *all;
  guint n;

  all = _at_records_entities (&n);
  return (guint) (desc - all);
}

static gint
by_entity_order (gconstpointer a,
                 gconstpointer b)
{
  const Take *x = *(const Take * const *) a;
  const Take *y = *(const Take * const *) b;

  return (gint) entity_index (x->desc) - (gint) entity_index (y->desc);
}

/* A new nonconformity from the member whose number is taken here gets the next free one. */
static gboolean
renumber_nc (AtMerge     *self,
             JsonObject  *row,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _at_store_prepare (self->store, "SELECT EXISTS (SELECT 1 FROM nonconformities WHERE assessment_id = ?1 AND seq = ?2 AND id <> ?3), "
                                         "(SELECT coalesce (max (seq), 0) + 1 FROM nonconformities WHERE assessment_id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->c->assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, json_object_get_int_member (row, "seq"));
  sqlite3_bind_text (stmt, 3, json_object_get_string_member (row, "id"), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0))
    json_object_set_int_member (row, "seq", sqlite3_column_int64 (stmt, 1));
  return TRUE;
}

static gboolean
evidence_here (AtMerge    *self,
               const char *link_key)
{
  g_auto(GStrv) parts = g_strsplit (link_key, "/", 2);
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (self->store, "SELECT 1 FROM evidence WHERE assessment_id = ? AND sha256 = ?", NULL);

  if (stmt == NULL || parts[0] == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->c->assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, parts[0], -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
put (AtMerge     *self,
     Take        *t,
     GError     **error)
{
  g_autofree char *action = g_strdup_printf ("merge: %s", t->action ? t->action : "change");

  /* the lead kept the removal of a file the member linked: the link goes with it */
  if (g_str_equal (t->desc->entity, "link") && t->row != NULL && !evidence_here (self, t->key))
    return TRUE;
  if (g_str_equal (t->desc->entity, "nc") && t->row != NULL && !renumber_nc (self, t->row, error))
    return FALSE;
  return _at_bundle_put_row (self->store, self->c, self->catalog_id, t->desc, t->key, t->row, error) &&
         _at_audit_append (self->store, self->c->assessment_id, t->actor, action, t->desc->entity, t->key, error);
}

static gboolean
keep_branch (AtMerge    *self,
             gint64      merge_n,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  static const char * const names[] = { "at", "actor", "action", "entity", "entity_key", "state", "prev_hash", "hash" };

  stmt = _at_store_prepare (self->store, "INSERT INTO audit_branches (assessment_id, merge_n, idx, n, at, actor, action, entity, "
                                         "entity_key, state, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = self->base, idx = 0; i < json_array_get_length (self->c->audit); i++, idx++)
    {
      JsonObject *e = json_array_get_object_element (self->c->audit, i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, self->c->assessment_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, merge_n);
      sqlite3_bind_int (stmt, 3, idx);
      sqlite3_bind_int64 (stmt, 4, json_object_get_int_member (e, "n"));
      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        sqlite3_bind_text (stmt, 5 + j, json_object_get_string_member_with_default (e, names[j], NULL), -1, SQLITE_TRANSIENT);
      if (!_at_store_step_done (self->store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gint64
last_n (AtMerge *self)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (self->store, "SELECT max (n) FROM audit_log WHERE assessment_id = ?", NULL);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, self->c->assessment_id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
}

static char *
head_hash (AtMerge *self)
{
  g_autoptr(sqlite3_stmt) stmt = _at_store_prepare (self->store, "SELECT hash FROM audit_log WHERE assessment_id = ? ORDER BY n DESC LIMIT 1", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->c->assessment_id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW ? g_strdup (_at_col_text (stmt, 0)) : NULL;
}

static gboolean
apply_diverged (AtMerge     *self,
                const char  *actor,
                GError     **error)
{
  AtBundleContents *c = self->c;
  JsonObject *head = json_array_get_object_element (c->audit, json_array_get_length (c->audit) - 1);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AtAssessment) a = NULL;
  g_autofree char *now_head = NULL;
  g_autofree char *merge_action = NULL;
  gint64 merge_n;
  guint n_entries = 0;

  if (!_at_store_begin (self->store, error))
    return FALSE;

  /* nothing may have moved here since the merge was worked out */
  now_head = head_hash (self);
  if (g_strcmp0 (now_head, self->our_head) != 0 ||
      !(a = at_assessment_lookup (self->store, c->assessment_id, error)) ||
      !_at_state_is_editable (at_assessment_get_state (a)))
    {
      _at_store_rollback (self->store);
      if (error && *error == NULL)
        g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                     _("assessment %s changed here since the merge was prepared: prepare it again"), c->assessment_id);
      return FALSE;
    }

  merge_action = g_strdup_printf ("merge: the work of %s (%s), their entries %u to %u, head %s",
                                  self->signer_name, c->exported_by, self->base + 1, json_array_get_length (c->audit),
                                  json_object_get_string_member (head, "hash"));
  if (!_at_bundle_put_identities (self->store, c, error) ||
      !_at_audit_append (self->store, c->assessment_id, actor, merge_action, "assessment", c->assessment_id, error))
    goto fail;
  merge_n = last_n (self);

  /* the records: taken ones, then the decided conflicts; removals before additions, owners
   * before what hangs off them */
  for (guint i = 0; i < self->taken->len; i++)
    g_ptr_array_add (all, self->taken->pdata[i]);
  g_ptr_array_sort (all, by_entity_order);
  for (guint i = all->len; i-- > 0;)
    if (((Take *) all->pdata[i])->row == NULL && !put (self, all->pdata[i], error))
      goto fail;
  for (guint i = 0; i < all->len; i++)
    if (((Take *) all->pdata[i])->row != NULL && !put (self, all->pdata[i], error))
      goto fail;

  for (guint i = 0; i < self->conflicts->len; i++)
    {
      AtMergeConflict *k = self->conflicts->pdata[i];
      /* a Take on loan: put() reads it, nothing in it is freed here but the row */
      Take t = { k->desc, k->key, NULL, NULL, NULL };

      if (k->choice == AT_MERGE_TAKE_MINE)
        {
          /* the member's change is refused: the log says so, under the name of who decided */
          if (!_at_audit_append (self->store, c->assessment_id, actor, "merge: kept this store's record", k->desc->entity, k->key, error))
            goto fail;
          continue;
        }
      if (k->choice == AT_MERGE_TAKE_THEIRS)
        {
          t.row = k->theirs ? json_object_ref (k->theirs) : NULL;
          t.actor = k->theirs_by;
          t.action = k->theirs_action;
        }
      else
        {
          g_autofree char *now = at_now_iso8601 ();

          t.row = json_object_ref (k->edited);
          if (actor != NULL)
            json_object_set_string_member (t.row, "recorded_by", actor);
          json_object_set_string_member (t.row, "recorded_at", now);
          t.actor = (char *) actor;
          t.action = (char *) "resolved by editing";
        }
      if (!put (self, &t, error))
        {
          g_clear_pointer (&t.row, json_object_unref);
          goto fail;
        }
      g_clear_pointer (&t.row, json_object_unref);
    }

  if (!keep_branch (self, merge_n, error) || !_at_bundle_put_files (self->store, c, error))
    goto fail;

  /* the records and the log must agree, and the kept branch continue this history */
  if (!at_audit_verify (self->store, c->assessment_id, problems, &n_entries, error))
    goto fail;
  if (problems->len > 0)
    {
      g_autofree char *all_problems = NULL;

      g_ptr_array_add (problems, NULL);
      all_problems = g_strjoinv ("\n", (char **) problems->pdata);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the merged records do not agree with the audit trail, so nothing was merged:\n%s"),
                   all_problems);
      goto fail;
    }
  return _at_store_commit (self->store, error);

fail:
  _at_store_rollback (self->store);
  return FALSE;
}

gboolean
at_merge_apply (AtMerge     *self,
                const char  *actor,
                GError     **error)
{
  g_autoptr(GString) undecided = g_string_new (NULL);
  AtBundleOutcome outcome;
  guint n = 0;

  g_return_val_if_fail (AT_IS_MERGE (self), FALSE);

  if (self->kind == AT_MERGE_UNCHANGED)
    return TRUE;
  if (self->kind == AT_MERGE_NEW || self->kind == AT_MERGE_FAST_FORWARD)
    {
      g_autofree char *id = _at_bundle_apply (self->store, self->c, AT_BUNDLE_IMPORT_NONE, FALSE, &outcome, error);
      return id != NULL;
    }

  for (guint i = 0; i < self->conflicts->len; i++)
    {
      AtMergeConflict *k = self->conflicts->pdata[i];

      if (k->choice != AT_MERGE_UNDECIDED)
        continue;
      if (n++ < 8)
        g_string_append_printf (undecided, "%s%s", undecided->len ? ", " : "", k->label);
    }
  if (n > 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE, "%u conflict is not decided yet (%s%s): nothing was merged",
                                "%u conflicts are not decided yet (%s%s): nothing was merged", n),
                   n, undecided->str, n > 8 ? ", …" : "");
      return FALSE;
    }
  return apply_diverged (self, actor, error);
}

/* ------------------------------------------------------------------------------------------ */
/* In a worker thread                                                                         */

typedef struct
{
  char           *path;
  AtProgressFunc  progress;
  gpointer        progress_data;
} PrepareData;

static void
prepare_data_free (PrepareData *d)
{
  g_free (d->path);
  g_free (d);
}

static void
prepare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *d = task_data;
  GError *error = NULL;
  AtMerge *merge = at_merge_prepare (source, d->path, d->progress, d->progress_data, cancellable, &error);

  if (merge == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, merge, g_object_unref);
}

void
at_merge_prepare_async (AtStore             *store,
                        const char          *path,
                        AtProgressFunc       progress,
                        gpointer             progress_data,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  PrepareData *d = g_new0 (PrepareData, 1);

  d->path = g_strdup (path);
  d->progress = progress;
  d->progress_data = progress_data;
  g_task_set_source_tag (task, at_merge_prepare_async);
  g_task_set_task_data (task, d, (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

AtMerge *
at_merge_prepare_finish (AtStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
