/* at-worksheet.c — one assessment's checklist as a live model for a view */
#include "config.h"

#include <string.h>

#include "at-evidence.h"
#include "at-nonconformity.h"
#include "at-assignment.h"
#include "at-worksheet.h"

/* ---- items --------------------------------------------------------------------------------- */

struct _AtWorksheetItem
{
  GObject          parent_instance;

  AtClause        *clause;
  AtWorksheetItem *parent;      /* not owned */
  GListStore      *children;    /* AtWorksheetItem */
  char            *haystack;    /* number, titles and texts, case-folded, for search */

  AtVerdict        verdict;
  guint            n_evidence;
  guint            n_nc;
  guint            n_open_nc;
  guint            n_assessable;
  guint            n_assessed;
  AtReviewState    review;
  gboolean         review_changed;
  gboolean         awaiting_answer;
  char            *assignee;
  const char      *mine;        /* the worksheet's “me”, for AT_WORKSHEET_MINE */
};

enum
{
  ITEM_PROP_0,
  ITEM_PROP_VERDICT,
  ITEM_PROP_N_EVIDENCE,
  ITEM_PROP_N_NONCONFORMITIES,
  ITEM_PROP_N_ASSESSED,
  ITEM_PROP_REVIEW,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

G_DEFINE_FINAL_TYPE (AtWorksheetItem, at_worksheet_item, G_TYPE_OBJECT)

static void
at_worksheet_item_finalize (GObject *object)
{
  AtWorksheetItem *self = AT_WORKSHEET_ITEM (object);

  g_clear_object (&self->clause);
  g_clear_object (&self->children);
  g_free (self->haystack);
  g_free (self->assignee);

  G_OBJECT_CLASS (at_worksheet_item_parent_class)->finalize (object);
}

static void
at_worksheet_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtWorksheetItem *self = AT_WORKSHEET_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_VERDICT:
      g_value_set_uint (value, self->verdict);
      break;
    case ITEM_PROP_N_EVIDENCE:
      g_value_set_uint (value, self->n_evidence);
      break;
    case ITEM_PROP_N_NONCONFORMITIES:
      g_value_set_uint (value, self->n_nc);
      break;
    case ITEM_PROP_N_ASSESSED:
      g_value_set_uint (value, self->n_assessed);
      break;
    case ITEM_PROP_REVIEW:
      g_value_set_uint (value, self->review);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
at_worksheet_item_class_init (AtWorksheetItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = at_worksheet_item_finalize;
  object_class->get_property = at_worksheet_item_get_property;

  item_properties[ITEM_PROP_VERDICT] =
    g_param_spec_uint ("verdict", NULL, NULL, 0, AT_N_VERDICTS - 1, AT_VERDICT_OPEN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_N_EVIDENCE] =
    g_param_spec_uint ("n-evidence", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_N_NONCONFORMITIES] =
    g_param_spec_uint ("n-nonconformities", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_N_ASSESSED] =
    g_param_spec_uint ("n-assessed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the recheck state, the changed-since mark or the awaited answer: one notification for all */
  item_properties[ITEM_PROP_REVIEW] =
    g_param_spec_uint ("review", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
at_worksheet_item_init (AtWorksheetItem *self)
{
  self->children = g_list_store_new (AT_TYPE_WORKSHEET_ITEM);
}

static void
append_folded (GString      *out,
               const AtText *text)
{
  for (guint lang = AT_LANG_ZH_CN; lang <= AT_LANG_EN; lang++)
    {
      const char *s = text ? (lang == AT_LANG_ZH_CN ? text->zh_CN : text->en) : NULL;

      if (s != NULL)
        {
          g_autofree char *folded = g_utf8_casefold (s, -1);
          g_string_append_c (out, '\n');
          g_string_append (out, folded);
        }
    }
}

static char *
clause_haystack (AtClause *clause)
{
  GString *hay = g_string_new (at_clause_get_number (clause));

  append_folded (hay, at_clause_get_title (clause));
  append_folded (hay, at_clause_get_text (clause));
  return g_string_free (hay, FALSE);
}

static AtWorksheetItem *
item_new (AtClause        *clause,
          AtWorksheetItem *parent)
{
  AtWorksheetItem *self = g_object_new (AT_TYPE_WORKSHEET_ITEM, NULL);

  self->clause = g_object_ref (clause);
  self->parent = parent;
  self->haystack = clause_haystack (clause);
  self->n_assessable = at_clause_get_assessable (clause) ? 1 : 0;
  return self;
}

AtClause *at_worksheet_item_get_clause (AtWorksheetItem *self) { return self->clause; }
AtVerdict at_worksheet_item_get_verdict (AtWorksheetItem *self) { return self->verdict; }
guint at_worksheet_item_get_n_evidence (AtWorksheetItem *self) { return self->n_evidence; }
guint at_worksheet_item_get_n_nonconformities (AtWorksheetItem *self) { return self->n_nc; }
guint at_worksheet_item_get_n_open_nonconformities (AtWorksheetItem *self) { return self->n_open_nc; }
guint at_worksheet_item_get_n_assessable (AtWorksheetItem *self) { return self->n_assessable; }
guint at_worksheet_item_get_n_assessed (AtWorksheetItem *self) { return self->n_assessed; }
AtReviewState at_worksheet_item_get_review_state (AtWorksheetItem *self) { return self->review; }
gboolean at_worksheet_item_get_review_changed (AtWorksheetItem *self) { return self->review_changed; }
gboolean at_worksheet_item_get_awaiting_answer (AtWorksheetItem *self) { return self->awaiting_answer; }
const char *at_worksheet_item_get_assignee (AtWorksheetItem *self) { return self->assignee; }
GListModel *at_worksheet_item_get_children (AtWorksheetItem *self) { return G_LIST_MODEL (self->children); }
AtWorksheetItem *at_worksheet_item_get_parent (AtWorksheetItem *self) { return self->parent; }

/* A search that looks like a clause number ("7.4", "4.a") finds that clause and the ones under
 * it; anything else is words, all of which must appear in the number, title or text, in either
 * language. Both are tried, so "5G" finds the clauses that mention 5G. */
/* A search, folded and split once: the words, and the whole text for a clause number. */
typedef struct
{
  char  *folded;
  GStrv  words;
} Search;

static void
search_init (Search     *q,
             const char *text)
{
  g_autoptr(GString) spaced = NULL;

  q->folded = g_strstrip (g_utf8_casefold (text ? text : "", -1));
  /* split on bytes only after the ideographic space has become a plain one */
  spaced = g_string_new (q->folded);
  g_string_replace (spaced, "　", " ", 0);
  q->words = g_strsplit_set (spaced->str, " \t\n", -1);
}

static void
search_clear (Search *q)
{
  g_clear_pointer (&q->folded, g_free);
  g_clear_pointer (&q->words, g_strfreev);
}

/* A search that looks like a clause number ("7.4", "4.a") finds that clause and the ones under
 * it; anything else is words, all of which must appear in the number, title or text, in either
 * language. Both are tried, so "5G" finds the clauses that mention 5G. */
static gboolean
search_matches_haystack (AtClause     *clause,
                         const char   *haystack,
                         const Search *q)
{
  const char *number = at_clause_get_number (clause);
  gsize len = strlen (q->folded);

  if (len == 0)
    return TRUE;
  if (g_str_has_prefix (number, q->folded) &&
      (number[len] == '\0' || number[len] == '.' || q->folded[len - 1] == '.'))
    return TRUE;
  for (guint i = 0; q->words[i]; i++)
    if (*q->words[i] != '\0' && strstr (haystack, q->words[i]) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
at_clause_matches_search (AtClause   *clause,
                          const char *search)
{
  g_autofree char *haystack = NULL;
  Search q;
  gboolean found;

  g_return_val_if_fail (AT_IS_CLAUSE (clause), FALSE);
  if (search == NULL || *search == '\0')
    return TRUE;
  haystack = clause_haystack (clause);
  search_init (&q, search);
  found = search_matches_haystack (clause, haystack, &q);
  search_clear (&q);
  return found;
}

static gboolean
filter_matches (AtWorksheetItem   *self,
                AtWorksheetFilter  filter)
{
  switch (filter)
    {
    case AT_WORKSHEET_ALL:
      return TRUE;
    case AT_WORKSHEET_NOT_ASSESSED:
      return self->verdict == AT_VERDICT_OPEN;
    case AT_WORKSHEET_NONCONFORM:
      return self->verdict == AT_VERDICT_NONCONFORM || self->verdict == AT_VERDICT_PARTIAL;
    case AT_WORKSHEET_WITH_NC:
      return self->n_nc > 0;
    case AT_WORKSHEET_WITHOUT_EVIDENCE:
      return self->n_evidence == 0;
    case AT_WORKSHEET_NOT_REVIEWED:
      return self->review == AT_REVIEW_UNREVIEWED;
    case AT_WORKSHEET_QUERIED:
      return self->review == AT_REVIEW_QUERIED;
    case AT_WORKSHEET_CHANGED:
      return self->review_changed;
    case AT_WORKSHEET_MINE:
      return self->assignee != NULL && g_strcmp0 (self->assignee, self->mine) == 0;
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* An assessable clause matches when it passes the filter and the search; a heading is shown
 * when any clause under it matches, or — with no filter — when its own title matches. */
static gboolean
own_match (AtWorksheetItem   *self,
           AtWorksheetFilter  filter,
           const Search      *q)
{
  if (at_clause_get_assessable (self->clause))
    return filter_matches (self, filter) && search_matches_haystack (self->clause, self->haystack, q);
  return filter == AT_WORKSHEET_ALL && search_matches_haystack (self->clause, self->haystack, q);
}

static gboolean
matches_below (AtWorksheetItem   *self,
               AtWorksheetFilter  filter,
               const Search      *q)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->children));

  if (own_match (self, filter, q))
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtWorksheetItem) child = g_list_model_get_item (G_LIST_MODEL (self->children), i);
      if (matches_below (child, filter, q))
        return TRUE;
    }
  return FALSE;
}

gboolean
at_worksheet_item_matches (AtWorksheetItem   *self,
                           AtWorksheetFilter  filter,
                           const char        *search)
{
  Search q;
  gboolean found;

  g_return_val_if_fail (AT_IS_WORKSHEET_ITEM (self), FALSE);

  search_init (&q, search);
  found = matches_below (self, filter, &q);
  search_clear (&q);
  return found;
}

/* ---- the worksheet ------------------------------------------------------------------------- */

struct _AtWorksheet
{
  GObject       parent_instance;

  AtStore      *store;
  AtAssessment *assessment;
  GListStore   *roots;
  GPtrArray    *items;   /* every item, in document order */
  GHashTable   *by_number;
  guint         n_assessable;
  guint         n_assessed;
  AtReviewProgress review;
  char         *me;
  guint         n_mine;
};

enum
{
  PROP_0,
  PROP_N_ASSESSED,
  PROP_ASSESSMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (AtWorksheet, at_worksheet, G_TYPE_OBJECT)

static void
at_worksheet_finalize (GObject *object)
{
  AtWorksheet *self = AT_WORKSHEET (object);

  g_clear_object (&self->store);
  g_free (self->me);
  g_clear_object (&self->assessment);
  g_clear_object (&self->roots);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_number, g_hash_table_unref);

  G_OBJECT_CLASS (at_worksheet_parent_class)->finalize (object);
}

static void
at_worksheet_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AtWorksheet *self = AT_WORKSHEET (object);

  switch (prop_id)
    {
    case PROP_N_ASSESSED:
      g_value_set_uint (value, self->n_assessed);
      break;
    case PROP_ASSESSMENT:
      g_value_set_object (value, self->assessment);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
at_worksheet_class_init (AtWorksheetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = at_worksheet_finalize;
  object_class->get_property = at_worksheet_get_property;

  properties[PROP_N_ASSESSED] =
    g_param_spec_uint ("n-assessed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* replaced by each refresh: the state and set-up details may have changed */
  properties[PROP_ASSESSMENT] =
    g_param_spec_object ("assessment", NULL, NULL, AT_TYPE_ASSESSMENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
at_worksheet_init (AtWorksheet *self)
{
  self->roots = g_list_store_new (AT_TYPE_WORKSHEET_ITEM);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_number = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
build (AtWorksheet     *self,
       GListModel      *clauses,
       GListStore      *into,
       AtWorksheetItem *parent)
{
  for (guint i = 0; i < g_list_model_get_n_items (clauses); i++)
    {
      g_autoptr(AtClause) clause = g_list_model_get_item (clauses, i);
      AtWorksheetItem *item = item_new (clause, parent);

      g_ptr_array_add (self->items, item);
      g_hash_table_insert (self->by_number, (gpointer) at_clause_get_number (clause), item);
      g_list_store_append (into, item);
      build (self, at_clause_get_children (clause), item->children, item);
    }
}

AtWorksheet *
at_worksheet_new (AtStore     *store,
                  const char  *assessment_id,
                  GError     **error)
{
  g_autoptr(AtWorksheet) self = g_object_new (AT_TYPE_WORKSHEET, NULL);

  g_return_val_if_fail (AT_IS_STORE (store), NULL);

  self->store = g_object_ref (store);
  self->assessment = at_assessment_lookup (store, assessment_id, error);
  if (self->assessment == NULL)
    return NULL;
  build (self, at_catalog_get_clauses (at_assessment_get_catalog (self->assessment)), self->roots, NULL);
  for (guint i = 0; i < self->items->len; i++)
    self->n_assessable += ((AtWorksheetItem *) self->items->pdata[i])->n_assessable;
  if (!at_worksheet_refresh (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

#define SET_AND_NOTIFY(item, field, value, prop)                                   \
  G_STMT_START {                                                                   \
    if ((item)->field != (value))                                                  \
      {                                                                            \
        (item)->field = (value);                                                   \
        g_object_notify_by_pspec (G_OBJECT (item), item_properties[prop]);         \
      }                                                                            \
  } G_STMT_END

/* The recheck's state per clause, read only once there is a recheck to speak of (it digests
 * every clause's records). */
static gboolean
refresh_review (AtWorksheet   *self,
                AtAssessment  *assessment,
                GError       **error)
{
  g_autoptr(GPtrArray) status = NULL;
  g_autoptr(GHashTable) by_clause = g_hash_table_new (g_str_hash, g_str_equal);
  AtReviewProgress progress = { 0 };
  if (at_review_current_round (self->store, at_assessment_get_id (assessment)) > 0)
    {
      status = at_review_status (self->store, at_assessment_get_id (assessment), &progress, error);
      if (status == NULL)
        return FALSE;
      if (progress.round == 0)
        g_clear_pointer (&status, g_ptr_array_unref);
    }
  for (guint i = 0; status && i < status->len; i++)
    g_hash_table_insert (by_clause, (gpointer) at_review_item_get_clause (status->pdata[i]), status->pdata[i]);

  for (guint i = 0; i < self->items->len; i++)
    {
      AtWorksheetItem *item = self->items->pdata[i];
      AtReviewItem *r = g_hash_table_lookup (by_clause, at_clause_get_number (item->clause));
      AtReviewState state = r ? at_review_item_get_state (r) : AT_REVIEW_UNREVIEWED;
      gboolean changed = r ? at_review_item_get_changed (r) : FALSE;
      gboolean awaiting = r ? at_review_item_get_awaiting_answer (r) : FALSE;

      if (item->review != state || item->review_changed != changed || item->awaiting_answer != awaiting)
        {
          item->review = state;
          item->review_changed = changed;
          item->awaiting_answer = awaiting;
          g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_REVIEW]);
        }
    }
  self->review = progress;
  return TRUE;
}

/* Who of the team takes each clause; the rows follow (through the review notification). */
static gboolean
refresh_assignments (AtWorksheet   *self,
                     AtAssessment  *assessment,
                     GError       **error)
{
  g_autoptr(GHashTable) map = at_assignment_map (self->store, at_assessment_get_id (assessment), error);

  if (map == NULL)
    return FALSE;
  self->n_mine = 0;
  for (guint i = 0; i < self->items->len; i++)
    {
      AtWorksheetItem *item = self->items->pdata[i];
      const char *who = g_hash_table_lookup (map, at_clause_get_number (item->clause));

      item->mine = self->me;
      self->n_mine += who != NULL && g_strcmp0 (who, self->me) == 0;
      if (g_strcmp0 (who, item->assignee) != 0)
        {
          g_free (item->assignee);
          item->assignee = g_strdup (who);
          g_object_notify_by_pspec (G_OBJECT (item), item_properties[ITEM_PROP_REVIEW]);
        }
    }
  return TRUE;
}

void
at_worksheet_set_me (AtWorksheet *self,
                     const char  *identity_id)
{
  g_return_if_fail (AT_IS_WORKSHEET (self));
  g_free (self->me);
  self->me = g_strdup (identity_id);
  self->n_mine = 0;
  for (guint i = 0; i < self->items->len; i++)
    {
      AtWorksheetItem *item = self->items->pdata[i];

      item->mine = self->me;
      self->n_mine += item->assignee != NULL && g_strcmp0 (item->assignee, self->me) == 0;
    }
}

guint
at_worksheet_get_n_mine (AtWorksheet *self)
{
  return self->n_mine;
}

gboolean
at_worksheet_refresh (AtWorksheet  *self,
                      GError      **error)
{
  g_autoptr(AtAssessment) assessment = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) ncs = NULL;
  g_autoptr(GHashTable) evidence = NULL;
  g_autoptr(GHashTable) verdicts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) nc_all = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) nc_open = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_assessed = 0;

  g_return_val_if_fail (AT_IS_WORKSHEET (self), FALSE);

  if (!(assessment = at_assessment_lookup (self->store, at_assessment_get_id (self->assessment), error)) ||
      !(findings = at_finding_list (self->store, at_assessment_get_id (self->assessment), error)) ||
      !(ncs = at_nonconformity_list (self->store, at_assessment_get_id (self->assessment), error)) ||
      !(evidence = at_evidence_count_by_clause (self->store, at_assessment_get_id (self->assessment), error)))
    return FALSE;

  for (guint i = 0; i < findings->len; i++)
    g_hash_table_insert (verdicts, (gpointer) at_finding_get_clause (findings->pdata[i]),
                         GUINT_TO_POINTER (at_finding_get_verdict (findings->pdata[i])));
  for (guint i = 0; i < ncs->len; i++)
    {
      const char *clause = at_nonconformity_get_clause (ncs->pdata[i]);
      GHashTable *table = at_nonconformity_get_status (ncs->pdata[i]) == AT_NC_CLOSED ? NULL : nc_open;

      g_hash_table_insert (nc_all, (gpointer) clause, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (nc_all, clause)) + 1));
      if (table)
        g_hash_table_insert (table, (gpointer) clause, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (table, clause)) + 1));
    }

  /* items are in document order: walking them backwards visits every child before its parent */
  for (guint i = self->items->len; i-- > 0;)
    {
      AtWorksheetItem *item = self->items->pdata[i];
      const char *number = at_clause_get_number (item->clause);
      AtVerdict verdict = GPOINTER_TO_UINT (g_hash_table_lookup (verdicts, number));
      guint n_evidence = GPOINTER_TO_UINT (g_hash_table_lookup (evidence, number));
      guint n_nc = GPOINTER_TO_UINT (g_hash_table_lookup (nc_all, number));
      guint n_sub_assessed = 0, n_sub_assessable = 0;
      GListModel *children = G_LIST_MODEL (item->children);

      for (guint c = 0; c < g_list_model_get_n_items (children); c++)
        {
          g_autoptr(AtWorksheetItem) child = g_list_model_get_item (children, c);
          n_sub_assessed += child->n_assessed;
          n_sub_assessable += child->n_assessable;
        }
      if (at_clause_get_assessable (item->clause))
        {
          n_sub_assessed += verdict != AT_VERDICT_OPEN ? 1 : 0;
          n_sub_assessable += 1;
          n_assessed += verdict != AT_VERDICT_OPEN ? 1 : 0;
        }
      item->n_assessable = n_sub_assessable;
      item->n_open_nc = GPOINTER_TO_UINT (g_hash_table_lookup (nc_open, number));
      SET_AND_NOTIFY (item, verdict, verdict, ITEM_PROP_VERDICT);
      SET_AND_NOTIFY (item, n_evidence, n_evidence, ITEM_PROP_N_EVIDENCE);
      SET_AND_NOTIFY (item, n_nc, n_nc, ITEM_PROP_N_NONCONFORMITIES);
      SET_AND_NOTIFY (item, n_assessed, n_sub_assessed, ITEM_PROP_N_ASSESSED);
    }

  if (!refresh_review (self, assessment, error) || !refresh_assignments (self, assessment, error))
    return FALSE;

  g_set_object (&self->assessment, assessment);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSESSMENT]);
  if (self->n_assessed != n_assessed)
    {
      self->n_assessed = n_assessed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ASSESSED]);
    }
  return TRUE;
}

AtAssessment *at_worksheet_get_assessment (AtWorksheet *self) { return self->assessment; }
AtStore *at_worksheet_get_store (AtWorksheet *self) { return self->store; }
GListModel *at_worksheet_get_roots (AtWorksheet *self) { return G_LIST_MODEL (self->roots); }
GPtrArray *at_worksheet_get_items (AtWorksheet *self) { return self->items; }
guint at_worksheet_get_n_assessable (AtWorksheet *self) { return self->n_assessable; }
guint at_worksheet_get_n_assessed (AtWorksheet *self) { return self->n_assessed; }
const AtReviewProgress *at_worksheet_get_review_progress (AtWorksheet *self) { return &self->review; }

GHashTable *
at_worksheet_select (AtWorksheet       *self,
                     AtWorksheetFilter  filter,
                     const char        *search)
{
  GHashTable *kept = g_hash_table_new (NULL, NULL);
  Search q;

  g_return_val_if_fail (AT_IS_WORKSHEET (self), kept);

  search_init (&q, search);
  /* document order backwards: every child is decided before its parent */
  for (guint i = self->items->len; i-- > 0;)
    {
      AtWorksheetItem *item = self->items->pdata[i];

      if (g_hash_table_contains (kept, item) || own_match (item, filter, &q))
        {
          g_hash_table_add (kept, item);
          if (item->parent)
            g_hash_table_add (kept, item->parent);
        }
    }
  search_clear (&q);
  return kept;
}

AtWorksheetItem *
at_worksheet_lookup (AtWorksheet *self,
                     const char  *number)
{
  g_return_val_if_fail (AT_IS_WORKSHEET (self), NULL);
  return number ? g_hash_table_lookup (self->by_number, number) : NULL;
}
