/* at-evidence-tile.h — one piece of evidence in a clause's strip: thumbnail or icon, name, size */
#pragma once

#include <adwaita.h>

#include "at-core.h"

G_BEGIN_DECLS

#define AT_TYPE_EVIDENCE_TILE (at_evidence_tile_get_type ())
G_DECLARE_FINAL_TYPE (AtEvidenceTile, at_evidence_tile, AT, EVIDENCE_TILE, GtkWidget)

GtkWidget  *at_evidence_tile_new          (AtEvidence *evidence,
                                           const char *data_dir,
                                           const char *added_by_name,
                                           gboolean    removable);
AtEvidence *at_evidence_tile_get_evidence (AtEvidenceTile *self);

G_END_DECLS
