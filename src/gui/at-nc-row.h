/* at-nc-row.h — one nonconformity with its follow-up: the row of the follow-up desk and of an
 * assessment's nonconformities window */
#pragma once

#include "at-application.h"

G_BEGIN_DECLS

typedef enum
{
  AT_NC_ROW_IN_ASSESSMENT = 0,       /* in the assessment's own window: “Go to Clause” */
  AT_NC_ROW_DESK          = 1 << 0,  /* on the follow-up desk: the organisation, “Open Assessment” */
} AtNcRowFlags;

#define AT_TYPE_NC_ROW (at_nc_row_get_type ())
G_DECLARE_FINAL_TYPE (AtNcRow, at_nc_row, AT, NC_ROW, AdwExpanderRow)

/* org may be NULL (not shown). Signals: “changed” (nc id) after a follow-up step was recorded
 * from the row — the list it is in reloads; “show-clause” (assessment id, clause). */
GtkWidget       *at_nc_row_new               (AtApplication   *app,
                                              AtNonconformity *nc,
                                              const char      *org,
                                              AtNcRowFlags     flags);
AtNonconformity *at_nc_row_get_nonconformity (AtNcRow         *self);
gboolean         at_nc_row_get_overdue       (AtNcRow         *self);

G_END_DECLS
