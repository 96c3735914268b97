/* at-tally-bar.h — a thin bar split by verdict: how a chapter or an assessment stands */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_TALLY_BAR (at_tally_bar_get_type ())
G_DECLARE_FINAL_TYPE (AtTallyBar, at_tally_bar, AT, TALLY_BAR, GtkWidget)

GtkWidget *at_tally_bar_new        (void);
/* counts[AT_N_VERDICTS], by AtVerdict; the bar keeps a copy */
void       at_tally_bar_set_counts (AtTallyBar  *self,
                                    const guint *counts);

G_END_DECLS
