/* at-catalog.h — a standard as a checklist: clauses, methods, indicators
 *
 * A catalog is loaded from the open JSON format documented in templates/README.md and is
 * immutable once loaded. Clauses are GObjects so the GUI can show them through list models.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "at-util.h"

G_BEGIN_DECLS

typedef struct
{
  char *zh_CN;
  char *en;
} AtText;

const char *at_text_get (const AtText *text,
                         AtLang        lang);

typedef enum
{
  AT_CMP_GE, AT_CMP_LE, AT_CMP_GT, AT_CMP_LT, AT_CMP_EQ,
} AtComparator;

typedef enum
{
  AT_AGG_VALUE, AT_AGG_EACH, AT_AGG_MEAN, AT_AGG_SHARE,
} AtAggregate;

typedef struct
{
  char         *quantity;
  char         *unit;
  AtComparator  comparator;
  double        limit;
} AtLimit;

typedef struct
{
  char        *id;
  AtText       label;
  AtText       scope;
  AtLimit      limit;     /* the compared value's limit */
  AtAggregate  aggregate;
  gboolean     has_sample;
  AtLimit      sample;    /* only with AT_AGG_SHARE */
  char        *wordlist;  /* the word list a transcript check counts hits of, or NULL */
} AtIndicator;

const char *at_comparator_to_string (AtComparator comparator);
const char *at_aggregate_to_string  (AtAggregate  aggregate);
gboolean    at_comparator_holds     (AtComparator comparator,
                                     double       value,
                                     double       limit);

#define AT_TYPE_CLAUSE (at_clause_get_type ())
G_DECLARE_FINAL_TYPE (AtClause, at_clause, AT, CLAUSE, GObject)

const char         *at_clause_get_number      (AtClause *self);
const AtText       *at_clause_get_title       (AtClause *self);
const AtText       *at_clause_get_text        (AtClause *self);
const AtText       *at_clause_get_guidance    (AtClause *self);
gboolean            at_clause_get_assessable  (AtClause *self);
const char * const *at_clause_get_methods     (AtClause *self);
guint               at_clause_get_n_indicators (AtClause *self);
const AtIndicator  *at_clause_get_indicator   (AtClause *self,
                                               guint     index);
const AtIndicator  *at_clause_find_indicator  (AtClause   *self,
                                               const char *id);
GListModel         *at_clause_get_children    (AtClause *self);
AtClause           *at_clause_get_parent      (AtClause *self);
guint               at_clause_get_depth       (AtClause *self);
char               *at_clause_dup_label       (AtClause *self,
                                               AtLang    lang);

#define AT_TYPE_CATALOG (at_catalog_get_type ())
G_DECLARE_FINAL_TYPE (AtCatalog, at_catalog, AT, CATALOG, GObject)

AtCatalog    *at_catalog_load_bytes        (GBytes      *bytes,
                                            const char  *filename,
                                            GPtrArray   *warnings,
                                            GError     **error);
AtCatalog    *at_catalog_load_file         (const char  *path,
                                            GPtrArray   *warnings,
                                            GError     **error);
const char   *at_catalog_get_code          (AtCatalog *self);
const char   *at_catalog_get_version       (AtCatalog *self);
const char   *at_catalog_get_source        (AtCatalog *self);
const char   *at_catalog_get_sha256        (AtCatalog *self);
const AtText *at_catalog_get_title         (AtCatalog *self);
GBytes       *at_catalog_get_bytes         (AtCatalog *self);
GListModel   *at_catalog_get_clauses       (AtCatalog *self);
GPtrArray    *at_catalog_get_all_clauses   (AtCatalog *self);
AtClause     *at_catalog_lookup            (AtCatalog  *self,
                                            const char *number);
guint         at_catalog_get_n_assessable  (AtCatalog *self);
guint         at_catalog_get_n_indicators  (AtCatalog *self);
JsonNode     *at_catalog_to_json           (AtCatalog *self);
const char * const *at_catalog_get_wordlist (AtCatalog  *self,
                                            const char *id);

G_END_DECLS
