/* at-finding.h — verdicts, methods, notes and measured values per clause
 *
 * A finding is what the assessment concluded on one assessable clause: a verdict, the methods
 * used to reach it, a note, and the values measured for the clause's indicators. Findings are
 * read as immutable AtFinding objects; every change goes through at_finding_set().
 */
#pragma once

#include "at-assessment.h"
#include "at-indicator.h"
#include "at-store.h"

G_BEGIN_DECLS

typedef enum
{
  AT_VERDICT_OPEN,       /* not assessed yet */
  AT_VERDICT_CONFORM,
  AT_VERDICT_PARTIAL,
  AT_VERDICT_NONCONFORM,
  AT_VERDICT_NA,
} AtVerdict;

#define AT_N_VERDICTS (AT_VERDICT_NA + 1)

const char *at_verdict_to_string (AtVerdict    verdict);
gboolean    at_verdict_parse     (const char  *name,
                                  AtVerdict   *out,
                                  GError     **error);
gboolean    at_method_is_valid   (const char  *name);
/* A verdict as a sentence names it (“partially conform”), in the user's language. */
const char *at_verdict_label     (AtVerdict    verdict);

/* One indicator's measured input. A value indicator holds a value; the others hold samples. */
typedef struct
{
  char    *indicator;
  gboolean has_value;
  double   value;
  double  *samples;
  guint    n_samples;
  char    *recorded_by;
  char    *recorded_at;
  char    *source;        /* JSON: the data file the series was measured from, or NULL when typed */
} AtMeasurement;

#define AT_TYPE_FINDING (at_finding_get_type ())
G_DECLARE_FINAL_TYPE (AtFinding, at_finding, AT, FINDING, GObject)

const char          *at_finding_get_clause       (AtFinding  *self);
AtVerdict            at_finding_get_verdict      (AtFinding  *self);
const char * const  *at_finding_get_methods      (AtFinding  *self);
const char          *at_finding_get_note         (AtFinding  *self);
const char          *at_finding_get_recorded_by  (AtFinding  *self);
const char          *at_finding_get_recorded_at  (AtFinding  *self);
guint                at_finding_get_n_measurements (AtFinding *self);
const AtMeasurement *at_finding_get_measurement  (AtFinding  *self,
                                                  guint       index);
const AtMeasurement *at_finding_find_measurement (AtFinding  *self,
                                                  const char *indicator);
void                 at_finding_evaluate         (AtFinding         *self,
                                                  const AtIndicator *indicator,
                                                  AtIndicatorResult *out);

GPtrArray *at_finding_list (AtStore     *store,
                            const char  *assessment_id,
                            GError     **error);
AtFinding *at_finding_get  (AtStore     *store,
                            const char  *assessment_id,
                            const char  *clause,
                            GError     **error);

typedef struct
{
  AtVerdict           verdict;
  const char * const *methods;    /* NULL keeps the recorded methods; { NULL } clears them */
  const char         *note;       /* NULL keeps the recorded note; "" clears it */

  /* Measured input, optional. Without an indicator, a value goes to the clause's one
   * value indicator and samples to all its sample indicators. */
  const char         *indicator;
  gboolean            has_value;
  double              value;
  const double       *samples;
  guint               n_samples;
} AtFindingInput;

gboolean at_finding_set               (AtStore              *store,
                                       const char           *assessment_id,
                                       const char           *clause,
                                       const char           *actor,
                                       const AtFindingInput *input,
                                       GError              **error);
gboolean at_finding_clear_measurement (AtStore              *store,
                                       const char           *assessment_id,
                                       const char           *clause,
                                       const char           *indicator,
                                       const char           *actor,
                                       GError              **error);

/* Counts of an assessment's assessable clauses, for the whole and for each chapter. */
typedef struct
{
  const char *chapter;                   /* the top-level clause's number; NULL for the whole */
  guint       assessable;
  guint       assessed;                  /* verdict other than open */
  guint       by_verdict[AT_N_VERDICTS];
} AtTally;

GArray   *at_finding_tally (AtCatalog *catalog,
                               GPtrArray *findings);

/* The assessable clause that a finding or a nonconformity may be recorded on, or an error
 * that says why not (no such clause, or a heading). */
AtClause *at_finding_check_clause (AtCatalog   *catalog,
                                   const char  *number,
                                   GError     **error);

G_END_DECLS
