/* at-assignment.h — who of the team takes which clause (QCS 11.3 b: on-site evaluation by a team)
 *
 * The lead assigns clauses, or whole chapters, to members of the assessment team (or to
 * themself); each member's checklist then shows their share first. An assignment says how the
 * work was split, not what was found: it is logged and carried by bundles, not signed.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-store.h"

G_BEGIN_DECLS

/* Assigns every assessable clause of clauses and chapters (a chapter: every assessable clause
 * under that number) to assignee, or clears their assignment when assignee is NULL. Only the
 * lead assigns, only while the assessment can change, only to the lead or the team. */
gboolean    at_assignment_set     (AtStore             *store,
                                   const char          *assessment_id,
                                   const char          *actor,
                                   const char          *assignee,
                                   const char * const  *clauses,
                                   const char * const  *chapters,
                                   guint               *n_assigned,
                                   GError             **error);
/* clause → assignee identity id (both strings owned by the table) */
GHashTable *at_assignment_map     (AtStore             *store,
                                   const char          *assessment_id,
                                   GError             **error);

/* `assessment show --json`'s "assignments": [{ clause, assignee, assigned_by, assigned_at }] */
void        _at_assignments_to_json (AtStore           *store,
                                     const char        *assessment_id,
                                     JsonBuilder       *builder);

G_END_DECLS
