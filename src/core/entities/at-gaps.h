/* at-gaps.h — the gap view of an assessment: what fails or is missing, chapter by chapter
 *
 * What an organisation assessing itself (QCS 11.2) needs before certification: per chapter the
 * counts by verdict, and the clauses that are not there yet — nonconform, partially conform,
 * or not assessed — each with its open nonconformities.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-store.h"

G_BEGIN_DECLS

/* { "total": { assessable, conform, partial, nonconform, na, open, gaps },
 *   "chapters": [ { chapter, title_zh, title_en, assessable, conform, partial, nonconform, na,
 *                   open, gaps: [ { clause, title_zh, title_en, verdict, open_ncs } ] } ] }
 * Chapters without an assessable clause are left out. */
JsonNode *at_gaps_analyse (AtStore     *store,
                           const char  *assessment_id,
                           GError     **error);

G_END_DECLS
