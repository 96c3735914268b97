/* at-finding.c — verdicts, methods, notes and measured values per clause */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-audit-private.h"
#include "at-error.h"
#include "at-finding.h"
#include "at-store-private.h"
#include "at-change-private.h"

/* In AtVerdict order; these are also the values of findings.verdict. */
static const char * const verdict_names[] = { "open", "conform", "partial", "nonconform", "na", NULL };

/* In the order QCS 11.3 names them; stored methods keep this order whatever order they came in. */
static const char * const method_names[] = { "document", "observation", "interview", "demonstration", NULL };

const char *
at_verdict_label (AtVerdict verdict)
{
  switch (verdict)
    {
    case AT_VERDICT_CONFORM:    return C_("verdict in a message", "conform");
    case AT_VERDICT_PARTIAL:    return C_("verdict in a message", "partially conform");
    case AT_VERDICT_NONCONFORM: return C_("verdict in a message", "nonconform");
    case AT_VERDICT_NA:         return C_("verdict in a message", "not applicable");
    case AT_VERDICT_OPEN:
    default:                    return C_("verdict in a message", "not assessed");
    }
}

const char *
at_verdict_to_string (AtVerdict verdict)
{
  g_return_val_if_fail (verdict < AT_N_VERDICTS, NULL);

  return verdict_names[verdict];
}

gboolean
at_verdict_parse (const char  *name,
                  AtVerdict   *out,
                  GError     **error)
{
  for (guint i = 0; verdict_names[i]; i++)
    if (g_strcmp0 (verdict_names[i], name) == 0)
      {
        *out = i;
        return TRUE;
      }
  g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
               _("unknown verdict “%s”: use conform, partial, nonconform, na or open"), name ? name : "");
  return FALSE;
}

gboolean
at_method_is_valid (const char *name)
{
  return name != NULL && g_strv_contains (method_names, name);
}

/* ------------------------------------------------------------------------------------------ */

static void
measurement_free (AtMeasurement *m)
{
  g_free (m->indicator);
  g_free (m->samples);
  g_free (m->recorded_by);
  g_free (m->recorded_at);
  g_free (m->source);
  g_free (m);
}

struct _AtFinding
{
  GObject    parent_instance;

  char      *clause;
  AtVerdict  verdict;
  GStrv      methods;
  char      *note;
  char      *recorded_by;   /* NULL when only measurements were recorded */
  char      *recorded_at;
  GPtrArray *measurements;  /* AtMeasurement, in the clause's indicator order */
};

G_DEFINE_FINAL_TYPE (AtFinding, at_finding, G_TYPE_OBJECT)

static void
at_finding_finalize (GObject *object)
{
  AtFinding *self = AT_FINDING (object);

  g_free (self->clause);
  g_strfreev (self->methods);
  g_free (self->note);
  g_free (self->recorded_by);
  g_free (self->recorded_at);
  g_ptr_array_unref (self->measurements);

  G_OBJECT_CLASS (at_finding_parent_class)->finalize (object);
}

static void
at_finding_class_init (AtFindingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_finding_finalize;
}

static void
at_finding_init (AtFinding *self)
{
  self->measurements = g_ptr_array_new_with_free_func ((GDestroyNotify) measurement_free);
  self->methods = g_new0 (char *, 1);
}

const char *at_finding_get_clause (AtFinding *self) { return self->clause; }
AtVerdict at_finding_get_verdict (AtFinding *self) { return self->verdict; }
const char * const *at_finding_get_methods (AtFinding *self) { return (const char * const *) self->methods; }
const char *at_finding_get_note (AtFinding *self) { return self->note; }
const char *at_finding_get_recorded_by (AtFinding *self) { return self->recorded_by; }
const char *at_finding_get_recorded_at (AtFinding *self) { return self->recorded_at; }
guint at_finding_get_n_measurements (AtFinding *self) { return self->measurements->len; }

const AtMeasurement *
at_finding_get_measurement (AtFinding *self,
                            guint      index)
{
  g_return_val_if_fail (AT_IS_FINDING (self), NULL);
  g_return_val_if_fail (index < self->measurements->len, NULL);

  return g_ptr_array_index (self->measurements, index);
}

const AtMeasurement *
at_finding_find_measurement (AtFinding  *self,
                             const char *indicator)
{
  g_return_val_if_fail (AT_IS_FINDING (self), NULL);

  for (guint i = 0; i < self->measurements->len; i++)
    {
      const AtMeasurement *m = g_ptr_array_index (self->measurements, i);
      if (g_strcmp0 (m->indicator, indicator) == 0)
        return m;
    }
  return NULL;
}

void
at_finding_evaluate (AtFinding         *self,
                     const AtIndicator *indicator,
                     AtIndicatorResult *out)
{
  const AtMeasurement *m;

  g_return_if_fail (AT_IS_FINDING (self));
  g_return_if_fail (indicator != NULL);

  m = at_finding_find_measurement (self, indicator->id);
  if (m == NULL)
    at_indicator_evaluate (indicator, FALSE, 0.0, NULL, 0, out);
  else
    at_indicator_evaluate (indicator, m->has_value, m->value, m->samples, m->n_samples, out);
}

/* ------------------------------------------------------------------------------------------ */

static char *
strv_to_json (const char * const *strv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; strv && strv[i]; i++)
    json_builder_add_string_value (b, strv[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* Written by hand rather than by json-glib, which prints every double with 17 digits. */
static char *
samples_to_json (const double *samples,
                 guint         n_samples)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < n_samples; i++)
    {
      g_autofree char *number = at_number_format (samples[i]);
      g_string_append_printf (s, "%s%s", i ? "," : "", number);
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonNode) node = text ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return json_array_new ();
  return json_array_ref (json_node_get_array (node));
}

static GStrv
methods_from_json (const char *text)
{
  g_autoptr(JsonArray) array = parse_array (text);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (e));
    }
  return g_strv_builder_end (builder);
}

static void
samples_from_json (const char  *text,
                   double     **samples,
                   guint       *n_samples)
{
  g_autoptr(JsonArray) array = parse_array (text);
  guint n = json_array_get_length (array);

  *samples = g_new0 (double, MAX (n, 1));
  *n_samples = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (e))
        (*samples)[(*n_samples)++] = json_node_get_double (e);
    }
}

static guint
indicator_index (AtClause   *clause,
                 const char *id)
{
  for (guint i = 0; clause && i < at_clause_get_n_indicators (clause); i++)
    if (g_strcmp0 (at_clause_get_indicator (clause, i)->id, id) == 0)
      return i;
  return G_MAXUINT;
}

/* The clause's indicator order, which is the order the standard states its limits in; rows
 * for indicators the catalog does not know (never written by Attest) come last. */
static int
compare_by_indicator_order (gconstpointer a,
                            gconstpointer b,
                            gpointer      clause)
{
  const AtMeasurement *ma = *(AtMeasurement * const *) a;
  const AtMeasurement *mb = *(AtMeasurement * const *) b;
  guint ia = indicator_index (clause, ma->indicator);
  guint ib = indicator_index (clause, mb->indicator);

  if (ia != ib)
    return ia < ib ? -1 : 1;
  return strcmp (ma->indicator, mb->indicator);
}

static int
compare_by_clause (gconstpointer a,
                   gconstpointer b)
{
  AtFinding *fa = *(AtFinding * const *) a;
  AtFinding *fb = *(AtFinding * const *) b;

  return strcmp (fa->clause, fb->clause);
}

static AtFinding *
finding_new (const char *clause)
{
  AtFinding *f = g_object_new (AT_TYPE_FINDING, NULL);

  f->clause = g_strdup (clause);
  f->verdict = AT_VERDICT_OPEN;
  return f;
}

/* Reads the findings (and the measurements, attached to their clause's finding) of one
 * assessment, or of one clause of it, in the catalog's order. A measurement on a clause without
 * a finding row gets an “open” finding, so no measured value is ever hidden. */
static GPtrArray *
read_findings (AtStore       *store,
               AtAssessment  *assessment,
               const char    *only_clause,
               GError       **error)
{
  g_autoptr(GHashTable) by_clause = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) leftover = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;
  AtCatalog *catalog = at_assessment_get_catalog (assessment);
  GPtrArray *all = at_catalog_get_all_clauses (catalog);
  const char *id = at_assessment_get_id (assessment);
  int rc;

  stmt = _at_store_prepare (store, "SELECT clause, verdict, methods, note, recorded_by, recorded_at FROM findings "
                                   "WHERE assessment_id = ?1 AND (?2 IS NULL OR clause = ?2)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, only_clause, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AtFinding *f = finding_new (_at_col_text (stmt, 0));

      if (!at_verdict_parse (_at_col_text (stmt, 1), &f->verdict, NULL))
        f->verdict = AT_VERDICT_OPEN;
      g_strfreev (f->methods);
      f->methods = methods_from_json (_at_col_text (stmt, 2));
      f->note = g_strdup (_at_col_text (stmt, 3));
      f->recorded_by = g_strdup (_at_col_text (stmt, 4));
      f->recorded_at = g_strdup (_at_col_text (stmt, 5));
      g_hash_table_replace (by_clause, f->clause, f);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the findings"));
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _at_store_prepare (store, "SELECT clause, indicator, value, samples, recorded_by, recorded_at, source FROM measurements "
                                   "WHERE assessment_id = ?1 AND (?2 IS NULL OR clause = ?2)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, only_clause, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *clause = _at_col_text (stmt, 0);
      AtFinding *f = g_hash_table_lookup (by_clause, clause);
      AtMeasurement *m = g_new0 (AtMeasurement, 1);

      if (f == NULL)
        {
          f = finding_new (clause);
          g_hash_table_replace (by_clause, f->clause, f);
        }
      m->indicator = g_strdup (_at_col_text (stmt, 1));
      m->has_value = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
      m->value = sqlite3_column_double (stmt, 2);
      samples_from_json (_at_col_text (stmt, 3), &m->samples, &m->n_samples);
      m->recorded_by = g_strdup (_at_col_text (stmt, 4));
      m->recorded_at = g_strdup (_at_col_text (stmt, 5));
      m->source = g_strdup (_at_col_text (stmt, 6));
      g_ptr_array_add (f->measurements, m);
    }
  if (rc != SQLITE_DONE)
    {
      _at_store_set_error (store, error, _("could not read the measured values"));
      return NULL;
    }

  for (guint i = 0; i < all->len && g_hash_table_size (by_clause) > 0; i++)
    {
      AtClause *clause = g_ptr_array_index (all, i);
      AtFinding *f;

      if (!g_hash_table_steal_extended (by_clause, at_clause_get_number (clause), NULL, &value))
        continue;
      f = value;
      g_ptr_array_sort_with_data (f->measurements, compare_by_indicator_order, clause);
      g_ptr_array_add (list, f);
    }

  /* Clauses not in the catalog cannot be recorded through Attest; show them rather than hide
   * what is in the database. */
  g_hash_table_iter_init (&iter, by_clause);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (leftover, value);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (leftover, compare_by_clause);
  while (leftover->len > 0)
    g_ptr_array_add (list, g_ptr_array_steal_index (leftover, 0));

  return g_steal_pointer (&list);
}

GPtrArray *
at_finding_list (AtStore     *store,
                 const char  *assessment_id,
                 GError     **error)
{
  g_autoptr(AtAssessment) assessment = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  assessment = at_assessment_lookup (store, assessment_id, error);
  if (assessment == NULL)
    return NULL;
  return read_findings (store, assessment, NULL, error);
}

AtFinding *
at_finding_get (AtStore     *store,
                const char  *assessment_id,
                const char  *clause,
                GError     **error)
{
  g_autoptr(AtAssessment) assessment = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (clause != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  assessment = at_assessment_lookup (store, assessment_id, error);
  if (assessment == NULL)
    return NULL;
  list = read_findings (store, assessment, clause, error);
  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("nothing is recorded on clause %s yet"), clause);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (list, 0));
}

AtClause *
at_finding_check_clause (AtCatalog   *catalog,
                         const char  *number,
                         GError     **error)
{
  AtClause *clause;

  g_return_val_if_fail (AT_IS_CATALOG (catalog), NULL);

  clause = at_catalog_lookup (catalog, number);
  if (clause == NULL)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("no clause %s in %s %s"), number ? number : "",
                   at_catalog_get_code (catalog), at_catalog_get_version (catalog));
      return NULL;
    }
  if (!at_clause_get_assessable (clause))
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("clause %s is a heading, not a checklist item"), number);
      return NULL;
    }
  return clause;
}

/* ------------------------------------------------------------------------------------------ */

/* One indicator's new measured input, checked and ready to write. */
typedef struct
{
  const AtIndicator *indicator;
  gboolean           has_value;
  double             value;
  char              *samples; /* JSON array */
} Target;

static void
target_free (Target *t)
{
  g_free (t->samples);
  g_free (t);
}

static char *
indicator_ids (AtClause *clause,
               int       takes_samples) /* -1: all */
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < at_clause_get_n_indicators (clause); i++)
    {
      const AtIndicator *ind = at_clause_get_indicator (clause, i);
      if (takes_samples < 0 || at_indicator_takes_samples (ind) == takes_samples)
        g_string_append_printf (s, "%s%s", s->len ? ", " : "", ind->id);
    }
  return g_string_free (s, FALSE);
}

static gboolean
add_target (GPtrArray             *targets,
            AtClause              *clause,
            const AtIndicator     *ind,
            const AtFindingInput  *input,
            GError               **error)
{
  Target *t;
  gboolean samples = at_indicator_takes_samples (ind);

  if (samples && input->has_value)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("indicator %s of clause %s is computed from samples (%s): give them with --sample, not --value"),
                   ind->id, at_clause_get_number (clause), at_aggregate_to_string (ind->aggregate));
      return FALSE;
    }
  if (!samples && input->n_samples > 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("indicator %s of clause %s is one measured value: give it with --value, not --sample"),
                   ind->id, at_clause_get_number (clause));
      return FALSE;
    }

  if (!samples && !at_indicator_check_input (ind, input->value, FALSE, error))
    return FALSE;
  for (guint i = 0; samples && i < input->n_samples; i++)
    if (!at_indicator_check_input (ind, input->samples[i], TRUE, error))
      return FALSE;

  t = g_new0 (Target, 1);
  t->indicator = ind;
  t->has_value = !samples;
  t->value = input->value;
  t->samples = samples ? samples_to_json (input->samples, input->n_samples) : g_strdup ("[]");
  g_ptr_array_add (targets, t);
  return TRUE;
}

/* Which indicators the measured input goes to: the one named, or else the clause's one value
 * indicator for a value and all its sample indicators for samples. */
static GPtrArray *
resolve_targets (AtClause              *clause,
                 const AtFindingInput  *input,
                 GError               **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  const char *number = at_clause_get_number (clause);
  guint n = at_clause_get_n_indicators (clause);

  if (!input->has_value && input->n_samples == 0)
    {
      if (input->indicator != NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("an indicator (%s) was named but no value or sample was given for it"), input->indicator);
          return NULL;
        }
      return g_steal_pointer (&targets);
    }

  if (n == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("clause %s has no indicators: there is no value to measure for it"), number);
      return NULL;
    }

  if (input->indicator != NULL)
    {
      const AtIndicator *ind = at_clause_find_indicator (clause, input->indicator);

      if (ind == NULL)
        {
          g_autofree char *ids = indicator_ids (clause, -1);
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("clause %s has no indicator “%s” (it has %s)"),
                       number, input->indicator, ids);
          return NULL;
        }
      if (!add_target (targets, clause, ind, input, error))
        return NULL;
      return g_steal_pointer (&targets);
    }

  if (input->has_value)
    {
      const AtIndicator *only = NULL;
      guint n_value = 0;

      for (guint i = 0; i < n; i++)
        if (!at_indicator_takes_samples (at_clause_get_indicator (clause, i)))
          {
            only = at_clause_get_indicator (clause, i);
            n_value++;
          }
      if (n_value == 0)
        {
          g_autofree char *ids = indicator_ids (clause, TRUE);
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("clause %s has no indicator measured by one value: its indicators (%s) are computed from samples, give them with --sample"),
                       number, ids);
          return NULL;
        }
      if (n_value > 1)
        {
          g_autofree char *ids = indicator_ids (clause, FALSE);
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("clause %s has %u indicators measured by one value: name one with --indicator (%s)"),
                       number, n_value, ids);
          return NULL;
        }
      {
        AtFindingInput value_only = *input;
        value_only.n_samples = 0;
        if (!add_target (targets, clause, only, &value_only, error))
          return NULL;
      }
    }

  if (input->n_samples > 0)
    {
      AtFindingInput samples_only = *input;
      guint before = targets->len;

      samples_only.has_value = FALSE;
      for (guint i = 0; i < n; i++)
        {
          const AtIndicator *ind = at_clause_get_indicator (clause, i);
          if (at_indicator_takes_samples (ind) && !add_target (targets, clause, ind, &samples_only, error))
            return NULL;
        }
      if (targets->len == before)
        {
          g_autofree char *ids = indicator_ids (clause, FALSE);
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                       _("clause %s has no indicator computed from samples: its indicators (%s) take one value, give it with --value"),
                       number, ids);
          return NULL;
        }
    }

  return g_steal_pointer (&targets);
}

/* The methods as stored: known names only, each once, in the standard's order. */
static char *
methods_json (const char * const  *methods,
              GError             **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; methods[i]; i++)
    if (!at_method_is_valid (methods[i]))
      {
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                     _("unknown method “%s”: use document, observation, interview or demonstration"), methods[i]);
        return NULL;
      }
  for (guint i = 0; method_names[i]; i++)
    if (g_strv_contains (methods, method_names[i]))
      g_strv_builder_add (builder, method_names[i]);
  strv = g_strv_builder_end (builder);
  return strv_to_json ((const char * const *) strv);
}

static gboolean
write_finding (AtStore     *store,
               const char  *assessment_id,
               const char  *clause,
               const char  *actor,
               AtVerdict    verdict,
               const char  *methods,
               gboolean     keep_note,
               const char  *note,
               const char  *now,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _at_store_prepare (store,
                            "INSERT INTO findings (assessment_id, clause, verdict, methods, note, recorded_by, recorded_at) "
                            "VALUES (?1, ?2, ?3, coalesce (?4, '[]'), ?5, ?7, ?8) "
                            "ON CONFLICT (assessment_id, clause) DO UPDATE SET "
                            "  verdict = excluded.verdict, "
                            "  methods = coalesce (?4, findings.methods), "
                            "  note = CASE WHEN ?6 THEN findings.note ELSE excluded.note END, "
                            "  recorded_by = excluded.recorded_by, "
                            "  recorded_at = excluded.recorded_at", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, clause, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, verdict_names[verdict], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, methods, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, keep_note ? NULL : note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, keep_note);
  sqlite3_bind_text (stmt, 7, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  return _at_store_step_done (store, stmt, error);
}

static gboolean
write_measurement (AtStore       *store,
                   const char    *assessment_id,
                   const char    *clause,
                   const char    *actor,
                   const Target  *t,
                   const char    *now,
                   GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _at_store_prepare (store, "INSERT OR REPLACE INTO measurements "
                                   "(assessment_id, clause, indicator, value, samples, recorded_by, recorded_at) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, clause, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, t->indicator->id, -1, SQLITE_TRANSIENT);
  if (t->has_value)
    sqlite3_bind_double (stmt, 4, t->value);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, t->samples, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
  return _at_store_step_done (store, stmt, error);
}

gboolean
at_finding_set (AtStore               *store,
                const char            *assessment_id,
                const char            *clause_number,
                const char            *actor,
                const AtFindingInput  *input,
                GError               **error)
{
  g_autoptr(AtAssessment) assessment = NULL;
  g_autoptr(AtIdentity) identity = NULL;
  g_autoptr(GPtrArray) targets = NULL;
  g_autofree char *methods = NULL;
  g_autofree char *note = NULL;
  g_autofree char *now = NULL;
  const char *actor_id;
  AtClause *clause;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (input->samples != NULL || input->n_samples == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Everything that can be checked is checked before the transaction begins. */
  if ((guint) input->verdict >= AT_N_VERDICTS)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("unknown verdict %d"), (int) input->verdict);
      return FALSE;
    }
  if (input->methods != NULL && !(methods = methods_json (input->methods, error)))
    return FALSE;
  if (input->note != NULL)
    {
      note = g_strstrip (g_strdup (input->note));
      if (*note == '\0')
        g_clear_pointer (&note, g_free);
    }

  assessment = at_assessment_lookup (store, assessment_id, error);
  if (assessment == NULL)
    return FALSE;
  clause = at_finding_check_clause (at_assessment_get_catalog (assessment), clause_number, error);
  if (clause == NULL)
    return FALSE;
  targets = resolve_targets (clause, input, error);
  if (targets == NULL)
    return FALSE;

  /* the targets point into the catalog that assessment holds: keep it until the end */
  if (!_at_change_begin (store, assessment_id, actor, AT_CHANGE_RECORD, NULL, &identity, error))
    return FALSE;

  actor_id = at_identity_get_id (identity);
  now = at_now_iso8601 ();
  if (!write_finding (store, assessment_id, clause_number, actor_id, input->verdict, methods,
                      input->note == NULL, note, now, error) ||
      !_at_audit_append (store, assessment_id, actor_id, "record", "finding", clause_number, error))
    goto fail;

  for (guint i = 0; i < targets->len; i++)
    {
      const Target *t = g_ptr_array_index (targets, i);
      g_autofree char *key = g_strdup_printf ("%s/%s", clause_number, t->indicator->id);

      if (!write_measurement (store, assessment_id, clause_number, actor_id, t, now, error) ||
          !_at_audit_append (store, assessment_id, actor_id, "measure", "measurement", key, error))
        goto fail;
    }

  if (!_at_change_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}

gboolean
at_finding_clear_measurement (AtStore     *store,
                              const char  *assessment_id,
                              const char  *clause_number,
                              const char  *indicator,
                              const char  *actor,
                              GError     **error)
{
  g_autoptr(AtAssessment) assessment = NULL;
  g_autoptr(AtIdentity) identity = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key = NULL;
  AtClause *clause;

  g_return_val_if_fail (AT_IS_STORE (store), FALSE);
  g_return_val_if_fail (indicator != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  assessment = at_assessment_lookup (store, assessment_id, error);
  if (assessment == NULL)
    return FALSE;
  clause = at_finding_check_clause (at_assessment_get_catalog (assessment), clause_number, error);
  if (clause == NULL)
    return FALSE;
  if (at_clause_find_indicator (clause, indicator) == NULL)
    {
      g_autofree char *ids = indicator_ids (clause, -1);
      if (*ids)
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("clause %s has no indicator “%s” (it has %s)"),
                     clause_number, indicator, ids);
      else
        g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("clause %s has no indicator “%s”"), clause_number, indicator);
      return FALSE;
    }

  if (!_at_change_begin (store, assessment_id, actor, AT_CHANGE_RECORD, NULL, &identity, error))
    return FALSE;

  key = g_strdup_printf ("%s/%s", clause_number, indicator);
  stmt = _at_store_prepare (store, "DELETE FROM measurements WHERE assessment_id = ? AND clause = ? AND indicator = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, clause_number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, indicator, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, stmt, error))
    goto fail;
  if (sqlite3_changes (_at_store_get_db (store)) == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("nothing is measured for indicator %s of clause %s"),
                   indicator, clause_number);
      goto fail;
    }
  if (!_at_audit_append (store, assessment_id, at_identity_get_id (identity), "clear", "measurement", key, error) ||
      !_at_change_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _at_change_abort (store);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */

static AtClause *
chapter_of (AtClause *clause)
{
  while (at_clause_get_parent (clause) != NULL)
    clause = at_clause_get_parent (clause);
  return clause;
}

GArray *
at_finding_tally (AtCatalog *catalog,
                     GPtrArray *findings)
{
  g_autoptr(GHashTable) verdicts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) chapters = g_array_new (FALSE, TRUE, sizeof (AtTally));
  GListModel *top;
  GPtrArray *all;
  GArray *out;
  AtTally total = { 0 };

  g_return_val_if_fail (AT_IS_CATALOG (catalog), NULL);

  for (guint i = 0; findings && i < findings->len; i++)
    {
      AtFinding *f = g_ptr_array_index (findings, i);
      g_hash_table_insert (verdicts, f->clause, GUINT_TO_POINTER (f->verdict));
    }

  top = at_catalog_get_clauses (catalog);
  for (guint i = 0; i < g_list_model_get_n_items (top); i++)
    {
      g_autoptr(AtClause) chapter = g_list_model_get_item (top, i);
      AtTally p = { .chapter = at_clause_get_number (chapter) };
      g_array_append_val (chapters, p);
    }

  all = at_catalog_get_all_clauses (catalog);
  for (guint i = 0; i < all->len; i++)
    {
      AtClause *clause = g_ptr_array_index (all, i);
      const char *chapter = at_clause_get_number (chapter_of (clause));
      AtVerdict verdict;
      AtTally *p = NULL;

      if (!at_clause_get_assessable (clause))
        continue;
      verdict = GPOINTER_TO_UINT (g_hash_table_lookup (verdicts, at_clause_get_number (clause)));
      for (guint c = 0; c < chapters->len && p == NULL; c++)
        if (g_str_equal (g_array_index (chapters, AtTally, c).chapter, chapter))
          p = &g_array_index (chapters, AtTally, c);
      g_assert (p != NULL);

      p->assessable++;
      p->by_verdict[verdict]++;
      total.assessable++;
      total.by_verdict[verdict]++;
      if (verdict != AT_VERDICT_OPEN)
        {
          p->assessed++;
          total.assessed++;
        }
    }

  /* chapters without a checklist item (scope, references, terms) have nothing to show */
  out = g_array_new (FALSE, TRUE, sizeof (AtTally));
  g_array_append_val (out, total);
  for (guint c = 0; c < chapters->len; c++)
    if (g_array_index (chapters, AtTally, c).assessable > 0)
      g_array_append_val (out, g_array_index (chapters, AtTally, c));
  return out;
}

/* ------------------------------------------------------------------------------------------ */

static void
add_number_or_null (JsonBuilder *b,
                    gboolean     has,
                    double       number)
{
  if (has)
    json_builder_add_double_value (b, number);
  else
    json_builder_add_null_value (b);
}

static void
finding_to_json (JsonBuilder *b,
                 AtFinding   *f,
                 AtClause    *clause)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "clause");
  json_builder_add_string_value (b, f->clause);
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, verdict_names[f->verdict]);
  json_builder_set_member_name (b, "methods");
  json_builder_begin_array (b);
  for (guint i = 0; f->methods[i]; i++)
    json_builder_add_string_value (b, f->methods[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, f->note);
  json_builder_set_member_name (b, "recorded_by");
  json_builder_add_string_value (b, f->recorded_by);
  json_builder_set_member_name (b, "recorded_at");
  json_builder_add_string_value (b, f->recorded_at);

  json_builder_set_member_name (b, "measurements");
  json_builder_begin_array (b);
  for (guint i = 0; i < f->measurements->len; i++)
    {
      const AtMeasurement *m = g_ptr_array_index (f->measurements, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "indicator");
      json_builder_add_string_value (b, m->indicator);
      json_builder_set_member_name (b, "value");
      add_number_or_null (b, m->has_value, m->value);
      json_builder_set_member_name (b, "samples");
      json_builder_begin_array (b);
      for (guint j = 0; j < m->n_samples; j++)
        json_builder_add_double_value (b, m->samples[j]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "recorded_by");
      json_builder_add_string_value (b, m->recorded_by);
      json_builder_set_member_name (b, "recorded_at");
      json_builder_add_string_value (b, m->recorded_at);
      /* where the series came from (attest-cli measure): file, hash, rows, filters, sample plan */
      json_builder_set_member_name (b, "source");
      {
        g_autoptr(JsonNode) source = m->source ? json_from_string (m->source, NULL) : NULL;
        if (source != NULL)
          json_builder_add_value (b, g_steal_pointer (&source));
        else
          json_builder_add_null_value (b);
      }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  /* every indicator of the clause, measured or not, so a reader sees what is still missing */
  json_builder_set_member_name (b, "indicator_results");
  json_builder_begin_array (b);
  for (guint i = 0; clause && i < at_clause_get_n_indicators (clause); i++)
    {
      const AtIndicator *ind = at_clause_get_indicator (clause, i);
      AtIndicatorResult r;

      at_finding_evaluate (f, ind, &r);
      at_indicator_result_to_json (ind, &r, b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
counts_to_json (JsonBuilder      *b,
                const AtTally *p)
{
  json_builder_set_member_name (b, "assessable");
  json_builder_add_int_value (b, p->assessable);
  json_builder_set_member_name (b, "assessed");
  json_builder_add_int_value (b, p->assessed);
}

static void
progress_to_json (JsonBuilder *b,
                  GArray      *progress)
{
  const AtTally *total = &g_array_index (progress, AtTally, 0);

  json_builder_set_member_name (b, "progress");
  json_builder_begin_object (b);
  counts_to_json (b, total);
  json_builder_set_member_name (b, "by_verdict");
  json_builder_begin_object (b);
  for (guint v = 0; v < AT_N_VERDICTS; v++)
    {
      /* open last: the order people read a tally in */
      AtVerdict verdict = (v + 1) % AT_N_VERDICTS;
      json_builder_set_member_name (b, verdict_names[verdict]);
      json_builder_add_int_value (b, total->by_verdict[verdict]);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "chapters");
  json_builder_begin_array (b);
  for (guint c = 1; c < progress->len; c++)
    {
      const AtTally *p = &g_array_index (progress, AtTally, c);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, p->chapter);
      counts_to_json (b, p);
      for (guint v = 0; v < AT_N_VERDICTS; v++)
        {
          AtVerdict verdict = (v + 1) % AT_N_VERDICTS;
          json_builder_set_member_name (b, verdict_names[verdict]);
          json_builder_add_int_value (b, p->by_verdict[verdict]);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

void
_at_findings_to_json (AtStore      *store,
                      AtAssessment *assessment,
                      JsonBuilder  *builder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = read_findings (store, assessment, NULL, &error);
  g_autoptr(GArray) progress = NULL;
  AtCatalog *catalog = at_assessment_get_catalog (assessment);

  if (findings == NULL)
    {
      /* the caller has no error to return; an empty list would look like nothing recorded */
      g_critical ("could not read the findings of %s: %s", at_assessment_get_id (assessment), error->message);
      findings = g_ptr_array_new_with_free_func (g_object_unref);
    }

  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < findings->len; i++)
    {
      AtFinding *f = g_ptr_array_index (findings, i);
      finding_to_json (builder, f, at_catalog_lookup (catalog, f->clause));
    }
  json_builder_end_array (builder);

  progress = at_finding_tally (catalog, findings);
  progress_to_json (builder, progress);
}
