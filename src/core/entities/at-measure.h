/* at-measure.h — measurements taken from the organisation's own data
 *
 * A call-record export (CSV or XLSX) or a set of call transcripts becomes an indicator's
 * measurement in one step: the file is stored as evidence linked to the clause, the series is
 * taken from it (column, unit conversion, filters, an optional stratified random draw with a
 * recorded seed) or the transcripts are checked against the catalog's word list, and the
 * measurement is recorded with its data source — all in one transaction, so a reviewer finds
 * the file, its hash and everything needed to redo the sum.
 */
#pragma once

#include "at-finding.h"
#include "at-series.h"

G_BEGIN_DECLS

typedef struct
{
  const char         *indicator;   /* NULL: the clause's one indicator computed from samples */
  const char         *column;
  AtConvert           convert;
  const char * const *filters;
  const char         *encoding;    /* CSV only: NULL tells UTF-8 from GB18030 */
  guint               sample;      /* 0: every row that passes the filters */
  const char * const *strata;
  gboolean            has_seed;
  guint64             seed;        /* without has_seed, a seed is drawn and recorded */
} AtMeasureSpec;

/* Each returns what was recorded as a JSON object: clause, indicator, evidence, the indicator's
 * result (as in indicator_results) and the data source. */
JsonNode *at_measure_table             (AtStore              *store,
                                        const char           *assessment_id,
                                        const char           *clause,
                                        const char           *actor,
                                        const char           *path,
                                        const AtMeasureSpec  *spec,
                                        GCancellable         *cancellable,
                                        GError              **error);
void      at_measure_table_async       (AtStore              *store,
                                        const char           *assessment_id,
                                        const char           *clause,
                                        const char           *actor,
                                        const char           *path,
                                        const AtMeasureSpec  *spec,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);

/* @paths: one transcript per call; @indicator NULL: the clause's indicator that names @wordlist */
JsonNode *at_measure_transcripts       (AtStore              *store,
                                        const char           *assessment_id,
                                        const char           *clause,
                                        const char           *actor,
                                        const char * const   *paths,
                                        const char           *wordlist,
                                        const char           *indicator,
                                        GCancellable         *cancellable,
                                        GError              **error);
void      at_measure_transcripts_async (AtStore              *store,
                                        const char           *assessment_id,
                                        const char           *clause,
                                        const char           *actor,
                                        const char * const   *paths,
                                        const char           *wordlist,
                                        const char           *indicator,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);

JsonNode *at_measure_finish            (AtStore              *store,
                                        GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
