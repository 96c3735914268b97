/* at-indicator-row.h — one indicator of a clause: its limit, the measured input, the verdict of
 * the numbers as they are typed */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_INDICATOR_ROW (at_indicator_row_get_type ())
G_DECLARE_FINAL_TYPE (AtIndicatorRow, at_indicator_row, AT, INDICATOR_ROW, GtkWidget)

/* indicator must outlive the row (it belongs to the catalog the page holds) */
GtkWidget         *at_indicator_row_new           (const AtIndicator   *indicator,
                                                   const AtMeasurement *measurement_or_null,
                                                   gboolean             editable);
const AtIndicator *at_indicator_row_get_indicator (AtIndicatorRow      *self);
/* What the input holds now. FALSE when it does not parse (the row says why). An empty input
 * is valid, with *has_value FALSE and no samples. */
gboolean           at_indicator_row_get_input     (AtIndicatorRow      *self,
                                                   gboolean            *has_value,
                                                   double              *value,
                                                   GArray             **samples);
gboolean           at_indicator_row_get_pass      (AtIndicatorRow      *self,
                                                   gboolean            *measured);
/* Shows what is recorded now (after an import), without reporting it as input. */
void               at_indicator_row_set_measurement (AtIndicatorRow    *self,
                                                   const AtMeasurement *measurement_or_null);

G_END_DECLS
