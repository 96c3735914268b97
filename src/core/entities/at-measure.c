/* at-measure.c — measurements taken from the organisation's own data
 *
 * Like adding evidence, a measurement from a file is three steps so the slow one never holds
 * the database: prepare (check the request, resolve the indicator; the store's thread), run
 * (copy and hash each file to a temporary name, then parse that copy — the bytes measured are
 * the bytes hashed; any thread), commit (place the files, insert their rows, write the
 * measurement with its source, one transaction; the store's thread).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-audit-private.h"
#include "at-change-private.h"
#include "at-error.h"
#include "at-evidence-private.h"
#include "at-measure.h"
#include "at-records-private.h"
#include "at-store-private.h"
#include "at-table.h"
#include "at-transcript.h"
#include "at-wordlist.h"

/* hits kept per transcript in the record; the count is always complete */
#define MAX_HITS_KEPT 200

typedef struct
{
  gboolean            transcripts;
  char               *assessment_id;
  char               *clause;
  char               *actor;
  AtAssessment       *assessment;   /* holds the catalog the indicator points into */
  const AtIndicator  *indicator;
  GPtrArray          *ingests;      /* AtEvidenceIngest */

  /* a table */
  char               *column;
  AtConvert           convert;
  GStrv               filters;
  char               *encoding;
  guint               sample;
  GStrv               strata;
  gboolean            has_seed;
  guint64             seed;

  /* transcripts */
  char               *wordlist;
  GStrv               items;

  /* the outcome of run */
  gboolean            has_value;
  double              value;
  GArray             *samples;      /* double */
  JsonNode           *source;
} Job;

static void
job_free (Job *job)
{
  g_free (job->assessment_id);
  g_free (job->clause);
  g_free (job->actor);
  g_clear_object (&job->assessment);
  g_clear_pointer (&job->ingests, g_ptr_array_unref);
  g_free (job->column);
  g_strfreev (job->filters);
  g_free (job->encoding);
  g_strfreev (job->strata);
  g_free (job->wordlist);
  g_strfreev (job->items);
  g_clear_pointer (&job->samples, g_array_unref);
  g_clear_pointer (&job->source, json_node_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static char *
indicator_list (AtClause *clause,
                gboolean  (*want) (const AtIndicator *, gpointer),
                gpointer   data)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < at_clause_get_n_indicators (clause); i++)
    {
      const AtIndicator *ind = at_clause_get_indicator (clause, i);
      if (want == NULL || want (ind, data))
        g_string_append_printf (s, "%s%s", s->len ? ", " : "", ind->id);
    }
  return g_string_free (s, FALSE);
}

static gboolean
takes_samples (const AtIndicator *ind, gpointer data)
{
  return at_indicator_takes_samples (ind);
}

static gboolean
counts_wordlist (const AtIndicator *ind, gpointer data)
{
  return ind->wordlist != NULL && (data == NULL || g_str_equal (ind->wordlist, data));
}

/* The indicator named, or the clause's only one that fits. */
static const AtIndicator *
resolve_indicator (AtClause    *clause,
                   const char  *id,
                   gboolean   (*want) (const AtIndicator *, gpointer),
                   gpointer     data,
                   const char  *none_fits,
                   GError     **error)
{
  const AtIndicator *found = NULL;
  guint n = 0;

  if (id != NULL)
    {
      const AtIndicator *ind = at_clause_find_indicator (clause, id);
      g_autofree char *all = indicator_list (clause, NULL, NULL);

      if (ind == NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("clause %s has no indicator “%s” (it has: %s)"),
                       at_clause_get_number (clause), id, *all ? all : _("none"));
          return NULL;
        }
      if (!want (ind, data))
        {
          g_set_error_literal (error, AT_ERROR, AT_ERROR_INVALID, none_fits);
          return NULL;
        }
      return ind;
    }

  for (guint i = 0; i < at_clause_get_n_indicators (clause); i++)
    if (want (at_clause_get_indicator (clause, i), data))
      {
        found = at_clause_get_indicator (clause, i);
        n++;
      }
  if (n == 0)
    {
      g_set_error_literal (error, AT_ERROR, AT_ERROR_INVALID, none_fits);
      return NULL;
    }
  if (n > 1)
    {
      g_autofree char *ids = indicator_list (clause, want, data);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("clause %s has several indicators this can measure (%s): name one with --indicator"),
                   at_clause_get_number (clause), ids);
      return NULL;
    }
  return found;
}

/* Step 1, the store's thread. */
static gboolean
job_prepare (AtStore            *store,
             Job                *job,
             const char         *indicator,
             const char * const *paths,
             GError            **error)
{
  const char *clauses[] = { job->clause, NULL };
  AtCatalog *catalog;
  AtClause *clause;

  job->assessment = at_assessment_lookup (store, job->assessment_id, error);
  if (job->assessment == NULL)
    return FALSE;
  catalog = at_assessment_get_catalog (job->assessment);
  clause = at_finding_check_clause (catalog, job->clause, error);
  if (clause == NULL)
    return FALSE;

  if (job->transcripts)
    {
      const char * const *items = at_catalog_get_wordlist (catalog, job->wordlist);
      g_autofree char *msg = NULL;

      if (items == NULL)
        {
          g_set_error (error, AT_ERROR, AT_ERROR_NOT_FOUND, _("%s %s has no word list “%s”"),
                       at_catalog_get_code (catalog), at_catalog_get_version (catalog), job->wordlist);
          return FALSE;
        }
      job->items = g_strdupv ((char **) items);
      msg = g_strdup_printf (_("clause %s has no indicator that counts the calls with a phrase of word list “%s”"),
                             job->clause, job->wordlist);
      job->indicator = resolve_indicator (clause, indicator, counts_wordlist, job->wordlist, msg, error);
    }
  else
    {
      g_autofree char *ids = indicator_list (clause, NULL, NULL);
      g_autofree char *msg = NULL;

      if (*ids)
        msg = g_strdup_printf (_("clause %s has no indicator computed from samples: its indicators (%s) take one value"),
                               job->clause, ids);
      else
        msg = g_strdup_printf (_("clause %s has no measurable indicator"), job->clause);
      job->indicator = resolve_indicator (clause, indicator, takes_samples, NULL, msg, error);
    }
  if (job->indicator == NULL)
    return FALSE;

  job->ingests = g_ptr_array_new_with_free_func ((GDestroyNotify) _at_evidence_ingest_free);
  for (guint i = 0; paths[i]; i++)
    {
      AtEvidenceIngest *ingest = _at_evidence_ingest_new (store, job->assessment_id, paths[i], job->actor, clauses,
                                                          "document", NULL, error);
      if (ingest == NULL)
        return FALSE;
      g_ptr_array_add (job->ingests, ingest);
    }
  if (job->ingests->len == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("no file to measure from"));
      return FALSE;
    }
  return TRUE;
}

/* “calls.csv: row 7, …”: every message about a file's content names the file */
static void
prefix_error (GError     **error,
              const char  *name)
{
  if (error != NULL && *error != NULL)
    g_prefix_error (error, "%s: ", name);
}

static void
add_string_array (JsonBuilder        *b,
                  const char         *name,
                  const char * const *strv)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; strv && strv[i]; i++)
    json_builder_add_string_value (b, strv[i]);
  json_builder_end_array (b);
}

static gboolean
run_table (Job           *job,
           GError       **error)
{
  AtEvidenceIngest *ingest = job->ingests->pdata[0];
  const char *name = _at_evidence_ingest_get_name (ingest);
  g_autoptr(AtTable) table = NULL;
  g_autoptr(AtSeries) series = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  AtSeriesSpec spec = {
    .column = job->column, .convert = job->convert, .filters = (const char * const *) job->filters,
    .sample = job->sample, .strata = (const char * const *) job->strata, .has_seed = job->has_seed, .seed = job->seed,
  };
  char delimiter[2] = { 0 };

  table = at_table_read_file (_at_evidence_ingest_get_tmp_path (ingest), job->encoding, error);
  if (table == NULL || !(series = at_series_extract (table, &spec, error)))
    {
      prefix_error (error, name);
      return FALSE;
    }

  /* the indicator's own checks (no negative duration, no share above 100 %), row by row */
  for (guint i = 0; i < series->values->len; i++)
    if (!at_indicator_check_input (job->indicator, g_array_index (series->values, double, i), TRUE, error))
      {
        g_autofree char *where = at_table_describe_column (table, series->column_index);
        g_prefix_error (error, _("%s: row %u, %s: "), name, g_array_index (series->rows, guint, i), where);
        return FALSE;
      }

  job->samples = g_array_ref (series->values);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "table");
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, _at_evidence_ingest_get_sha256 (ingest));
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, _at_evidence_ingest_get_size (ingest));
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, at_table_get_format (table));
  if (at_table_get_encoding (table) != NULL)
    {
      delimiter[0] = at_table_get_delimiter (table);
      json_builder_set_member_name (b, "encoding");
      json_builder_add_string_value (b, at_table_get_encoding (table));
      json_builder_set_member_name (b, "delimiter");
      json_builder_add_string_value (b, delimiter);
    }
  if (at_table_get_sheet (table) != NULL)
    {
      json_builder_set_member_name (b, "sheet");
      json_builder_add_string_value (b, at_table_get_sheet (table));
    }
  json_builder_set_member_name (b, "column");
  json_builder_add_string_value (b, series->column);
  json_builder_set_member_name (b, "convert");
  json_builder_add_string_value (b, at_convert_to_string (job->convert));
  add_string_array (b, "filters", (const char * const *) job->filters);
  json_builder_set_member_name (b, "rows_total");
  json_builder_add_int_value (b, series->rows_total);
  json_builder_set_member_name (b, "rows_matched");
  json_builder_add_int_value (b, series->rows_matched);
  json_builder_set_member_name (b, "rows_blank");
  json_builder_add_int_value (b, series->rows_blank);
  json_builder_set_member_name (b, "rows_used");
  json_builder_add_int_value (b, series->values->len);
  json_builder_set_member_name (b, "sample");
  if (series->sampled)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "n");
      json_builder_add_int_value (b, series->sample);
      add_string_array (b, "strata", (const char * const *) job->strata);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) series->seed);
      json_builder_set_member_name (b, "method");
      json_builder_add_string_value (b, AT_SAMPLE_METHOD);
      json_builder_set_member_name (b, "strata_counts");
      json_builder_begin_array (b);
      for (guint i = 0; i < series->strata->len; i++)
        {
          AtStratum *s = &g_array_index (series->strata, AtStratum, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "stratum");
          json_builder_add_string_value (b, s->key);
          json_builder_set_member_name (b, "population");
          json_builder_add_int_value (b, s->population);
          json_builder_set_member_name (b, "drawn");
          json_builder_add_int_value (b, s->drawn);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      /* the rows drawn, as the file numbers them: a reviewer pulls the same calls */
      json_builder_set_member_name (b, "rows");
      json_builder_begin_array (b);
      for (guint i = 0; i < series->rows->len; i++)
        json_builder_add_int_value (b, g_array_index (series->rows, guint, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  job->source = json_builder_get_root (b);
  return TRUE;
}

static gboolean
run_transcripts (Job           *job,
                 GError       **error)
{
  g_autoptr(AtWordlist) wordlist = at_wordlist_new ((const char * const *) job->items);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint with_hits = 0;

  job->samples = g_array_new (FALSE, FALSE, sizeof (double));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "transcript");
  json_builder_set_member_name (b, "wordlist");
  json_builder_add_string_value (b, job->wordlist);
  json_builder_set_member_name (b, "items");
  json_builder_add_int_value (b, at_wordlist_get_n_items (wordlist));
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);

  for (guint f = 0; f < job->ingests->len; f++)
    {
      AtEvidenceIngest *ingest = job->ingests->pdata[f];
      const char *name = _at_evidence_ingest_get_name (ingest);
      g_autoptr(GMappedFile) file = g_mapped_file_new (_at_evidence_ingest_get_tmp_path (ingest), FALSE, error);
      g_autoptr(GPtrArray) cues = NULL;
      AtTranscriptFormat format;
      const char *encoding = NULL;
      guint hits = 0;

      if (file == NULL ||
          !(cues = at_transcript_parse (g_mapped_file_get_contents (file), g_mapped_file_get_length (file),
                                        &format, &encoding, error)))
        {
          prefix_error (error, name);
          json_builder_end_array (b);
          json_builder_end_object (b);
          return FALSE;
        }

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, _at_evidence_ingest_get_sha256 (ingest));
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, at_transcript_format_to_string (format));
      json_builder_set_member_name (b, "encoding");
      json_builder_add_string_value (b, encoding);
      json_builder_set_member_name (b, "cues");
      json_builder_add_int_value (b, cues->len);
      json_builder_set_member_name (b, "hits");
      json_builder_begin_array (b);
      for (guint c = 0; c < cues->len; c++)
        {
          AtCue *cue = cues->pdata[c];
          g_autoptr(GArray) found = at_wordlist_match (wordlist, cue->text);

          for (guint h = 0; h < found->len; h++, hits++)
            {
              AtWordHit *hit = &g_array_index (found, AtWordHit, h);

              if (hits >= MAX_HITS_KEPT)
                continue;
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "item");
              json_builder_add_int_value (b, hit->item);
              json_builder_set_member_name (b, "phrase");
              json_builder_add_string_value (b, hit->phrase);
              json_builder_set_member_name (b, "part");
              json_builder_add_string_value (b, hit->part);
              json_builder_set_member_name (b, "line");
              json_builder_add_int_value (b, cue->line);
              json_builder_set_member_name (b, "at");
              if (cue->start)
                json_builder_add_string_value (b, cue->start);
              else
                json_builder_add_null_value (b);
              json_builder_set_member_name (b, "text");
              json_builder_add_string_value (b, cue->text);
              json_builder_end_object (b);
            }
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "hits_total");
      json_builder_add_int_value (b, hits);
      json_builder_end_object (b);

      {
        double d = hits;
        g_array_append_val (job->samples, d);
      }
      with_hits += hits > 0;
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "calls");
  json_builder_add_int_value (b, job->ingests->len);
  json_builder_set_member_name (b, "calls_with_hits");
  json_builder_add_int_value (b, with_hits);
  json_builder_end_object (b);

  job->has_value = TRUE;
  job->value = with_hits;
  job->source = json_builder_get_root (b);
  return TRUE;
}

/* Step 2, any thread. */
static gboolean
job_run (Job           *job,
         GCancellable  *cancellable,
         GError       **error)
{
  for (guint i = 0; i < job->ingests->len; i++)
    if (!_at_evidence_ingest_run (job->ingests->pdata[i], cancellable, error))
      return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return job->transcripts ? run_transcripts (job, error) : run_table (job, error);
}

static char *
samples_json (GArray *samples)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < samples->len; i++)
    {
      g_autofree char *number = at_number_format (g_array_index (samples, double, i));
      g_string_append_printf (s, "%s%s", i ? "," : "", number);
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static JsonNode *
job_outcome (Job *job)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  AtIndicatorResult r;

  at_indicator_evaluate (job->indicator, job->has_value, job->value,
                         job->has_value ? NULL : (const double *) job->samples->data,
                         job->has_value ? 0 : job->samples->len, &r);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "clause");
  json_builder_add_string_value (b, job->clause);
  json_builder_set_member_name (b, "indicator");
  json_builder_add_string_value (b, job->indicator->id);
  json_builder_set_member_name (b, "evidence");
  json_builder_begin_array (b);
  for (guint i = 0; i < job->ingests->len; i++)
    json_builder_add_string_value (b, _at_evidence_ingest_get_sha256 (job->ingests->pdata[i]));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "result");
  at_indicator_result_to_json (job->indicator, &r, b);
  json_builder_set_member_name (b, "source");
  json_builder_add_value (b, json_node_copy (job->source));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Step 3, the store's thread: one transaction for the files, their rows and the measurement. */
static JsonNode *
job_commit (AtStore  *store,
            Job      *job,
            GError  **error)
{
  g_autoptr(AtIdentity) identity = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) placed = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_autofree char *now = at_now_iso8601 ();
  g_autofree char *samples = NULL;
  g_autofree char *source = NULL;
  g_autofree char *key = g_strdup_printf ("%s/%s", job->clause, job->indicator->id);
  const char *actor_id;

  if (!_at_change_begin (store, job->assessment_id, job->actor, AT_CHANGE_RECORD, NULL, &identity, error))
    return NULL;
  actor_id = at_identity_get_id (identity);

  g_array_set_size (placed, job->ingests->len);
  for (guint i = 0; i < job->ingests->len; i++)
    if (!_at_evidence_ingest_place (store, job->ingests->pdata[i], &g_array_index (placed, gboolean, i), error))
      goto fail;

  /* a word-list check keeps each call's hit count beside the value: the hits are its samples */
  samples = samples_json (job->samples);
  source = _at_json_canonical (job->source);
  stmt = _at_store_prepare (store, "INSERT OR REPLACE INTO measurements "
                                   "(assessment_id, clause, indicator, value, samples, recorded_by, recorded_at, source) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, job->assessment_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, job->clause, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, job->indicator->id, -1, SQLITE_TRANSIENT);
  if (job->has_value)
    sqlite3_bind_double (stmt, 4, job->value);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, samples, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, actor_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, source, -1, SQLITE_TRANSIENT);
  if (!_at_store_step_done (store, stmt, error) ||
      !_at_audit_append (store, job->assessment_id, actor_id, "measure", "measurement", key, error) ||
      !_at_change_commit (store, error))
    goto fail;
  return job_outcome (job);

fail:
  _at_change_abort (store);
  for (guint i = 0; i < placed->len; i++)
    if (g_array_index (placed, gboolean, i))
      _at_evidence_ingest_unplace (store, job->ingests->pdata[i]);
  return NULL;
}

static Job *
table_job (const char          *assessment_id,
           const char          *clause,
           const char          *actor,
           const AtMeasureSpec *spec)
{
  Job *job = g_new0 (Job, 1);

  job->assessment_id = g_strdup (assessment_id);
  job->clause = g_strstrip (g_strdup (clause));
  job->actor = g_strdup (actor);
  job->column = g_strdup (spec->column);
  job->convert = spec->convert;
  job->filters = g_strdupv ((char **) spec->filters);
  job->encoding = g_strdup (spec->encoding);
  job->sample = spec->sample;
  job->strata = g_strdupv ((char **) spec->strata);
  job->has_seed = spec->has_seed;
  job->seed = spec->seed;
  return job;
}

static Job *
transcript_job (const char *assessment_id,
                const char *clause,
                const char *actor,
                const char *wordlist)
{
  Job *job = g_new0 (Job, 1);

  job->transcripts = TRUE;
  job->assessment_id = g_strdup (assessment_id);
  job->clause = g_strstrip (g_strdup (clause));
  job->actor = g_strdup (actor);
  job->wordlist = g_strdup (wordlist);
  return job;
}

JsonNode *
at_measure_table (AtStore              *store,
                  const char           *assessment_id,
                  const char           *clause,
                  const char           *actor,
                  const char           *path,
                  const AtMeasureSpec  *spec,
                  GCancellable         *cancellable,
                  GError              **error)
{
  const char *paths[] = { path, NULL };
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL && spec != NULL && spec->column != NULL, NULL);

  job = table_job (assessment_id, clause, actor, spec);
  if (!job_prepare (store, job, spec->indicator, paths, error) || !job_run (job, cancellable, error))
    return NULL;
  return job_commit (store, job, error);
}

JsonNode *
at_measure_transcripts (AtStore             *store,
                        const char          *assessment_id,
                        const char          *clause,
                        const char          *actor,
                        const char * const  *paths,
                        const char          *wordlist,
                        const char          *indicator,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (AT_IS_STORE (store), NULL);
  g_return_val_if_fail (paths != NULL && wordlist != NULL, NULL);

  job = transcript_job (assessment_id, clause, actor, wordlist);
  if (!job_prepare (store, job, indicator, paths, error) || !job_run (job, cancellable, error))
    return NULL;
  return job_commit (store, job, error);
}

/* ------------------------------------------------------------------------------------------ */

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (!job_run (task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Back in the caller's context: the store's one connection is used from there only. */
static void
run_done (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *outcome;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  outcome = job_commit (AT_STORE (source_object), g_task_get_task_data (task), &error);
  if (outcome == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify) json_node_unref);
}

static void
start (AtStore             *store,
       Job                 *job,
       const char          *indicator,
       const char * const  *paths,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, at_measure_finish);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (!job_prepare (store, job, indicator, paths, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  worker = g_task_new (store, cancellable, run_done, g_object_ref (task));
  g_task_set_task_data (worker, job, NULL);
  g_task_run_in_thread (worker, run_thread);
}

void
at_measure_table_async (AtStore              *store,
                        const char           *assessment_id,
                        const char           *clause,
                        const char           *actor,
                        const char           *path,
                        const AtMeasureSpec  *spec,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  const char *paths[] = { path, NULL };

  g_return_if_fail (AT_IS_STORE (store));
  g_return_if_fail (path != NULL && spec != NULL && spec->column != NULL);

  start (store, table_job (assessment_id, clause, actor, spec), spec->indicator, paths, cancellable, callback, user_data);
}

void
at_measure_transcripts_async (AtStore              *store,
                              const char           *assessment_id,
                              const char           *clause,
                              const char           *actor,
                              const char * const   *paths,
                              const char           *wordlist,
                              const char           *indicator,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_return_if_fail (AT_IS_STORE (store));
  g_return_if_fail (paths != NULL && wordlist != NULL);

  start (store, transcript_job (assessment_id, clause, actor, wordlist), indicator, paths, cancellable, callback, user_data);
}

JsonNode *
at_measure_finish (AtStore       *store,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == at_measure_finish, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
