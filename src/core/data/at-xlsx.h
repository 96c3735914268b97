/* at-xlsx.h — the first sheet of an XLSX workbook as an AtTable */
#pragma once

#include "at-table.h"

G_BEGIN_DECLS

/* What a workbook may unpack to. A call-record export of a million rows stays well below; a
 * ZIP bomb does not. */
#define AT_XLSX_MAX_ENTRIES       10000
#define AT_XLSX_MAX_UNPACKED      (512 * 1024 * 1024)
#define AT_XLSX_MAX_RATIO         200

AtTable *at_xlsx_read (const void  *data,
                       gsize        len,
                       GError     **error);

G_END_DECLS
