/* at-evidence-private.h — what at-evidence.c and at-evidence-add.c share */
#pragma once

#include "at-evidence.h"

G_BEGIN_DECLS

/* ingests write <data_dir>/evidence/.tmp-XXXXXX; one this old was left by a killed ingest */
#define _AT_EVIDENCE_TEMP_PREFIX ".tmp-"
#define _AT_EVIDENCE_STALE_AFTER G_TIME_SPAN_HOUR

gboolean _at_evidence_is_sha256 (const char *text);

G_END_DECLS
