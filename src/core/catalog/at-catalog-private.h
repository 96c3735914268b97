/* at-catalog-private.h — the strict JSON scan behind the catalog loader's positions
 *
 * json-glib keeps no positions in its tree and accepts more than JSON (single-quoted strings,
 * hex numbers, raw control characters, text after the value). The loader therefore scans the
 * text itself first: the scan refuses anything that is not JSON, naming the exact place, and
 * records where every object, array, member name and array element starts, in the order the
 * brackets open — the same order in which json-glib's parser signals them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gsize      open;     /* byte offset of the “{” or “[” */
  gboolean   is_array;
  GArray    *starts;   /* gsize: arrays, where each element starts; objects, each name's opening quote */
  GPtrArray *keys;     /* objects only: each member name as written between its quotes */
} AtJsonContainer;

typedef struct
{
  GPtrArray *containers;     /* AtJsonContainer, in the order their brackets open */
  GArray    *duplicate_at;   /* gsize: the opening quote of a member name seen before in its object */
  GPtrArray *duplicate_keys; /* the names, beside duplicate_at */
} AtJsonScan;

AtJsonScan *_at_json_scan      (const char  *data,
                                gsize        len,
                                gsize       *error_offset,
                                char       **error_message);
void        _at_json_scan_free (AtJsonScan  *scan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtJsonScan, _at_json_scan_free)

G_END_DECLS
