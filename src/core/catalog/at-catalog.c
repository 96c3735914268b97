/* at-catalog.c — loading and validating standard catalogs
 *
 * The validator reports every problem it finds, each as `file:line:column: what is wrong`, so a
 * person writing a catalog fixes them in one pass. json-glib keeps no positions in its tree, so
 * a strict scan of the text (at-catalog-scan.c) first records where every object, array, member
 * name and element starts; the loader pairs those with the parser's signals as the tree is built,
 * and the walk over the tree then looks positions up by node.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "at-catalog-private.h"
#include "at-catalog.h"
#include "at-error.h"

#define CATALOG_FORMAT "attest-catalog/1"

static const char * const known_methods[] = { "document", "observation", "interview", "demonstration", NULL };
static const char * const known_quantities[] = { "rate", "duration", "count", "length", "speed", "amount", "score", NULL };
static const char * const known_units[] = {
  "%", "s", "min", "h", "d", "wd", "month", "year", "km", "m", "Mbit/s", "chars/min",
  "times", "CNY", "points", "items", "calls", NULL
};
static const char * const comparator_names[] = { ">=", "<=", ">", "<", "=", NULL };
static const char * const aggregate_names[] = { "value", "each", "mean", "share", NULL };

const char *
at_text_get (const AtText *text,
             AtLang        lang)
{
  if (text == NULL)
    return NULL;
  if (lang == AT_LANG_EN && text->en != NULL && *text->en != '\0')
    return text->en;
  return text->zh_CN;
}

static void
at_text_clear (AtText *text)
{
  g_clear_pointer (&text->zh_CN, g_free);
  g_clear_pointer (&text->en, g_free);
}

const char *
at_comparator_to_string (AtComparator comparator)
{
  return comparator_names[comparator];
}

const char *
at_aggregate_to_string (AtAggregate aggregate)
{
  return aggregate_names[aggregate];
}

gboolean
at_comparator_holds (AtComparator comparator,
                     double       value,
                     double       limit)
{
  /* Measured values come from people typing decimals; compare with a tolerance far below any
   * unit a standard states so that 95.0 meets “≥ 95” however it was rounded on the way. */
  const double eps = 1e-9 * MAX (1.0, fabs (limit));

  switch (comparator)
    {
    case AT_CMP_GE: return value >= limit - eps;
    case AT_CMP_LE: return value <= limit + eps;
    case AT_CMP_GT: return value > limit + eps;
    case AT_CMP_LT: return value < limit - eps;
    case AT_CMP_EQ: return fabs (value - limit) <= eps;
    default: g_assert_not_reached ();
    }
}

static void
at_text_clear_auto (AtText *text)
{
  at_text_clear (text);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AtText, at_text_clear_auto)

static void
at_indicator_free (AtIndicator *ind)
{
  g_free (ind->id);
  at_text_clear (&ind->label);
  at_text_clear (&ind->scope);
  g_free (ind->limit.quantity);
  g_free (ind->limit.unit);
  g_free (ind->sample.quantity);
  g_free (ind->sample.unit);
  g_free (ind->wordlist);
  g_free (ind);
}

/* ------------------------------------------------------------------------------------------ */

struct _AtClause
{
  GObject     parent_instance;

  char       *number;
  AtText      title;
  AtText      text;
  AtText      guidance;
  gboolean    assessable;
  GStrv       methods;
  GPtrArray  *indicators;
  GListStore *children;
  AtClause   *parent; /* weak: the parent owns its children */
  guint       depth;
};

G_DEFINE_FINAL_TYPE (AtClause, at_clause, G_TYPE_OBJECT)

static void
at_clause_finalize (GObject *object)
{
  AtClause *self = AT_CLAUSE (object);

  g_free (self->number);
  at_text_clear (&self->title);
  at_text_clear (&self->text);
  at_text_clear (&self->guidance);
  g_strfreev (self->methods);
  g_ptr_array_unref (self->indicators);
  g_object_unref (self->children);

  G_OBJECT_CLASS (at_clause_parent_class)->finalize (object);
}

static void
at_clause_class_init (AtClauseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_clause_finalize;
}

static void
at_clause_init (AtClause *self)
{
  self->indicators = g_ptr_array_new_with_free_func ((GDestroyNotify) at_indicator_free);
  self->children = g_list_store_new (AT_TYPE_CLAUSE);
  self->methods = g_new0 (char *, 1);
}

const char *at_clause_get_number (AtClause *self) { return self->number; }
const AtText *at_clause_get_title (AtClause *self) { return self->title.zh_CN ? &self->title : NULL; }
const AtText *at_clause_get_text (AtClause *self) { return self->text.zh_CN ? &self->text : NULL; }
const AtText *at_clause_get_guidance (AtClause *self) { return self->guidance.zh_CN ? &self->guidance : NULL; }
gboolean at_clause_get_assessable (AtClause *self) { return self->assessable; }
const char * const *at_clause_get_methods (AtClause *self) { return (const char * const *) self->methods; }
guint at_clause_get_n_indicators (AtClause *self) { return self->indicators->len; }
GListModel *at_clause_get_children (AtClause *self) { return G_LIST_MODEL (self->children); }
AtClause *at_clause_get_parent (AtClause *self) { return self->parent; }
guint at_clause_get_depth (AtClause *self) { return self->depth; }

const AtIndicator *
at_clause_get_indicator (AtClause *self,
                         guint     index)
{
  g_return_val_if_fail (AT_IS_CLAUSE (self), NULL);
  g_return_val_if_fail (index < self->indicators->len, NULL);

  return g_ptr_array_index (self->indicators, index);
}

const AtIndicator *
at_clause_find_indicator (AtClause   *self,
                          const char *id)
{
  for (guint i = 0; i < self->indicators->len; i++)
    {
      const AtIndicator *ind = g_ptr_array_index (self->indicators, i);
      if (g_strcmp0 (ind->id, id) == 0)
        return ind;
    }
  return NULL;
}

/* “7.4.2.2 服务响应” — the title, or the start of the text for clauses without one. */
char *
at_clause_dup_label (AtClause *self,
                     AtLang    lang)
{
  const char *label = at_text_get (at_clause_get_title (self), lang);

  if (label == NULL)
    {
      const char *text = at_text_get (at_clause_get_text (self), lang);
      if (text == NULL)
        return g_strdup (self->number);
      if (g_utf8_strlen (text, -1) > 60)
        {
          g_autofree char *cut = g_utf8_substring (text, 0, 60);
          return g_strdup_printf ("%s %s…", self->number, cut);
        }
      label = text;
    }
  return g_strdup_printf ("%s %s", self->number, label);
}

/* ------------------------------------------------------------------------------------------ */

struct _AtCatalog
{
  GObject     parent_instance;

  char       *code;
  char       *version;
  char       *source;
  char       *sha256;
  AtText      title;
  GBytes     *bytes;
  JsonNode   *root;
  GListStore *clauses;
  GPtrArray  *all;        /* every clause in document order */
  GHashTable *by_number;  /* number → AtClause (borrowed) */
  GHashTable *wordlists;  /* id → GStrv */
  guint       n_assessable;
  guint       n_indicators;
};

G_DEFINE_FINAL_TYPE (AtCatalog, at_catalog, G_TYPE_OBJECT)

static void
at_catalog_finalize (GObject *object)
{
  AtCatalog *self = AT_CATALOG (object);

  g_free (self->code);
  g_free (self->version);
  g_free (self->source);
  g_free (self->sha256);
  at_text_clear (&self->title);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->root, json_node_unref);
  g_object_unref (self->clauses);
  g_ptr_array_unref (self->all);
  g_hash_table_unref (self->by_number);
  g_hash_table_unref (self->wordlists);

  G_OBJECT_CLASS (at_catalog_parent_class)->finalize (object);
}

static void
at_catalog_class_init (AtCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = at_catalog_finalize;
}

static void
at_catalog_init (AtCatalog *self)
{
  self->clauses = g_list_store_new (AT_TYPE_CLAUSE);
  self->all = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_number = g_hash_table_new (g_str_hash, g_str_equal);
  self->wordlists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
}

const char *at_catalog_get_code (AtCatalog *self) { return self->code; }
const char *at_catalog_get_version (AtCatalog *self) { return self->version; }
const char *at_catalog_get_source (AtCatalog *self) { return self->source; }
const char *at_catalog_get_sha256 (AtCatalog *self) { return self->sha256; }
const AtText *at_catalog_get_title (AtCatalog *self) { return &self->title; }
GBytes *at_catalog_get_bytes (AtCatalog *self) { return self->bytes; }
GListModel *at_catalog_get_clauses (AtCatalog *self) { return G_LIST_MODEL (self->clauses); }
GPtrArray *at_catalog_get_all_clauses (AtCatalog *self) { return self->all; }
guint at_catalog_get_n_assessable (AtCatalog *self) { return self->n_assessable; }
guint at_catalog_get_n_indicators (AtCatalog *self) { return self->n_indicators; }

AtClause *
at_catalog_lookup (AtCatalog  *self,
                   const char *number)
{
  g_return_val_if_fail (AT_IS_CATALOG (self), NULL);

  return number ? g_hash_table_lookup (self->by_number, number) : NULL;
}

const char * const *
at_catalog_get_wordlist (AtCatalog  *self,
                         const char *id)
{
  return g_hash_table_lookup (self->wordlists, id);
}

JsonNode *
at_catalog_to_json (AtCatalog *self)
{
  return json_node_copy (self->root);
}

/* ------------------------------------------------------------------------------------------ */
/* The loader                                                                                  */

typedef struct
{
  const char *data;      /* the text, after a byte order mark if there was one */
  gsize       len;
  const char *filename;
  AtJsonScan *scan;      /* where every container, member name and element starts */
  guint       n_started; /* containers the parser has opened so far: an index into the scan */
  GArray     *open;      /* guint: stack of the scan indexes of the containers being parsed */
  GHashTable *positions; /* “%p”, “%p/name”, “%p[i]” → byte offset, as a gsize */
  GPtrArray  *errors;
  GPtrArray  *warnings;
  GHashTable *numbers;   /* clause numbers seen */
  GHashTable *wordlist_refs; /* AtIndicator * → position of its “wordlist” member */
  guint       n_reported[2];   /* errors, warnings listed so far */
  guint       n_suppressed[2]; /* and not listed, past MAX_REPORTS */
  gsize       lc_off;          /* line_column's last answer, to go on from */
  guint       lc_line;
  gsize       lc_start;
} Loader;

#define NO_POSITION G_MAXSIZE

/* A hostile catalog (one in a bundle from outside) can hold a problem on every other byte:
 * past this many of each kind, they are counted rather than each located in the text. */
#define MAX_REPORTS 50

/* Line and column (in characters, from 1) of a byte offset, as people and editors count. */
static void
line_column (Loader *l,
             gsize   off,
             guint  *line,
             guint  *column)
{
  gsize start = 0, from = 0;

  *line = 1;
  off = MIN (off, l->len);
  /* problems come mostly in the order of the text: go on from the last one instead of from the
   * start each time */
  if (l->lc_line > 0 && off >= l->lc_off)
    {
      from = l->lc_off;
      *line = l->lc_line;
      start = l->lc_start;
    }
  for (gsize i = from; i < off; i++)
    if (l->data[i] == '\n')
      {
        (*line)++;
        start = i + 1;
      }
  l->lc_off = off;
  l->lc_line = *line;
  l->lc_start = start;
  *column = g_utf8_strlen (l->data + start, off - start) + 1;
}

static void
remember (Loader *l,
          char   *key,
          gsize   off)
{
  g_hash_table_insert (l->positions, key, g_memdup2 (&off, sizeof off));
}

static AtJsonContainer *
open_container (Loader *l)
{
  guint index;

  if (l->open->len == 0)
    return NULL;
  index = g_array_index (l->open, guint, l->open->len - 1);
  return index < l->scan->containers->len ? l->scan->containers->pdata[index] : NULL;
}

/* The parser opens containers in the order their brackets appear, which is the order the scan
 * recorded them in; counting the openings pairs each JsonObject or JsonArray with its place. */
static void
on_container_start (JsonParser *parser,
                    Loader     *l)
{
  g_array_append_val (l->open, l->n_started);
  l->n_started++;
}

static void
on_container_end (Loader   *l,
                  gpointer  container)
{
  AtJsonContainer *c = open_container (l);

  if (c != NULL)
    remember (l, g_strdup_printf ("%p", container), c->open);
  if (l->open->len > 0)
    g_array_set_size (l->open, l->open->len - 1);
}

static void
on_object_end (JsonParser *parser, JsonObject *object, Loader *l)
{
  on_container_end (l, object);
}

static void
on_array_end (JsonParser *parser, JsonArray *array, Loader *l)
{
  on_container_end (l, array);
}

/* A member is reported after its value, while its object is still the innermost one open. With
 * a repeated name the parser keeps the last value, so the last name is the one to point at. */
static void
on_object_member (JsonParser *parser, JsonObject *object, const char *name, Loader *l)
{
  AtJsonContainer *c = open_container (l);

  if (c == NULL || c->is_array)
    return;
  for (guint i = c->keys->len; i > 0; i--)
    if (g_str_equal (c->keys->pdata[i - 1], name))
      {
        remember (l, g_strdup_printf ("%p/%s", object, name), g_array_index (c->starts, gsize, i - 1));
        return;
      }
}

static void
on_array_element (JsonParser *parser, JsonArray *array, guint index, Loader *l)
{
  AtJsonContainer *c = open_container (l);

  if (c != NULL && c->is_array && index < c->starts->len)
    remember (l, g_strdup_printf ("%p[%u]", array, index), g_array_index (c->starts, gsize, index));
}

static gsize
lookup_pos (Loader *l, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gsize
lookup_pos (Loader     *l,
            const char *fmt,
            ...)
{
  g_autofree char *key = NULL;
  gsize *off;
  va_list args;

  va_start (args, fmt);
  key = g_strdup_vprintf (fmt, args);
  va_end (args);

  off = g_hash_table_lookup (l->positions, key);
  return off ? *off : NO_POSITION;
}

/* Where a node starts: containers by their bracket, scalars by the position given (where their
 * member's name or their array slot starts). */
static gsize
node_pos (Loader     *l,
          JsonNode   *node,
          gsize       fallback)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return lookup_pos (l, "%p", json_node_get_object (node));
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return lookup_pos (l, "%p", json_node_get_array (node));
  return fallback;
}

/* A member's position is its name's: “"limit": "95"” is pointed at where “"limit"” starts. */
static gsize
member_pos (Loader     *l,
            JsonObject *object,
            const char *name)
{
  gsize off = lookup_pos (l, "%p/%s", object, name);

  return off != NO_POSITION ? off : lookup_pos (l, "%p", object);
}

static void report (Loader *l, GPtrArray *into, gsize pos, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static void
report (Loader     *l,
        GPtrArray  *into,
        gsize       pos,
        const char *fmt,
        ...)
{
  g_autofree char *what = NULL;
  guint line = 1, column = 1;
  guint kind = into == l->errors ? 0 : 1;
  va_list args;

  if (l->n_reported[kind] >= MAX_REPORTS)
    {
      l->n_suppressed[kind]++;
      return;
    }
  l->n_reported[kind]++;
  va_start (args, fmt);
  what = g_strdup_vprintf (fmt, args);
  va_end (args);

  if (pos != NO_POSITION)
    line_column (l, pos, &line, &column);
  g_ptr_array_add (into, g_strdup_printf ("%s:%u:%u: %s", l->filename, line, column, what));
}

#define ERROR_AT(pos, ...) report (l, l->errors, pos, __VA_ARGS__)

static const char *
node_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node)) return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node)) return _("an array");
  if (JSON_NODE_HOLDS_NULL (node)) return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN: return _("a boolean");
    case G_TYPE_STRING: return _("a string");
    default: return _("a number");
    }
}

/* “a string”, “an array”: what get_member wants, worded as node_kind words what it found */
static const char *
kind_phrase (const char *kind)
{
  if (g_str_equal (kind, "string")) return _("a string");
  if (g_str_equal (kind, "boolean")) return _("a boolean");
  if (g_str_equal (kind, "number")) return _("a number");
  if (g_str_equal (kind, "object")) return _("an object");
  return _("an array");
}

static void
warn_unknown_keys (Loader             *l,
                   JsonObject         *object,
                   const char * const *known,
                   const char         *what)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *iter = members; iter; iter = iter->next)
    if (!g_strv_contains (known, iter->data))
      report (l, l->warnings, member_pos (l, object, iter->data),
              _("unknown key “%s” in %s is ignored"), (const char *) iter->data, what);
}

/* Fetches a member of the given kind; reports it missing (when required) or of the wrong type. */
static JsonNode *
get_member (Loader      *l,
            JsonObject  *object,
            const char  *name,
            const char  *kind,
            gboolean     required,
            const char  *what)
{
  JsonNode *node = json_object_get_member (object, name);
  gboolean ok;

  if (node == NULL)
    {
      if (required)
        ERROR_AT (lookup_pos (l, "%p", object), _("%s has no “%s”"), what, name);
      return NULL;
    }

  if (g_str_equal (kind, "string"))
    ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
  else if (g_str_equal (kind, "boolean"))
    ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
  else if (g_str_equal (kind, "number"))
    ok = JSON_NODE_HOLDS_VALUE (node) && (json_node_get_value_type (node) == G_TYPE_INT64 ||
                                          json_node_get_value_type (node) == G_TYPE_DOUBLE);
  else if (g_str_equal (kind, "object"))
    ok = JSON_NODE_HOLDS_OBJECT (node);
  else
    ok = JSON_NODE_HOLDS_ARRAY (node);

  if (!ok)
    {
      ERROR_AT (member_pos (l, object, name), _("“%s” in %s must be %s, not %s"), name, what,
                kind_phrase (kind), node_kind (node));
      return NULL;
    }
  return node;
}

static const char *
get_string (Loader *l, JsonObject *object, const char *name, gboolean required, const char *what)
{
  JsonNode *node = get_member (l, object, name, "string", required, what);
  const char *s;

  if (node == NULL)
    return NULL;
  s = json_node_get_string (node);
  if (required && *s == '\0')
    {
      ERROR_AT (member_pos (l, object, name), _("“%s” in %s is empty"), name, what);
      return NULL;
    }
  return s;
}

static int
get_enum (Loader             *l,
          JsonObject         *object,
          const char         *name,
          const char * const *allowed,
          const char         *what)
{
  const char *s = get_string (l, object, name, TRUE, what);
  g_autofree char *list = NULL;

  if (s == NULL)
    return -1;
  for (int i = 0; allowed[i]; i++)
    if (g_str_equal (allowed[i], s))
      return i;

  list = g_strjoinv (", ", (char **) allowed);
  ERROR_AT (member_pos (l, object, name), _("unknown %s “%s” in %s (expected one of: %s)"),
            name, s, what, list);
  return -1;
}

static gboolean
load_text (Loader      *l,
           JsonObject  *object,
           const char  *name,
           gboolean     required,
           const char  *what,
           AtText      *out)
{
  static const char * const keys[] = { "zh_CN", "en", NULL };
  JsonNode *node = get_member (l, object, name, "object", required, what);
  g_autofree char *inner = NULL;
  JsonObject *text;
  const char *zh, *en;

  if (node == NULL)
    return FALSE;

  text = json_node_get_object (node);
  inner = g_strdup_printf (_("“%s” of %s"), name, what);
  zh = get_member (l, text, "zh_CN", "string", FALSE, inner) ? json_object_get_string_member (text, "zh_CN") : NULL;
  if (zh == NULL || *zh == '\0')
    {
      if (!json_object_has_member (text, "zh_CN") || zh != NULL)
        ERROR_AT (lookup_pos (l, "%p", text), _("%s has no Chinese text (zh_CN)"), inner);
      return FALSE;
    }
  en = get_member (l, text, "en", "string", FALSE, inner) ? json_object_get_string_member (text, "en") : NULL;
  warn_unknown_keys (l, text, keys, inner);

  out->zh_CN = g_strdup (zh);
  out->en = g_strdup (en);
  return TRUE;
}

static gboolean
valid_id (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_islower (*s) && !g_ascii_isdigit (*s) && *s != '-')
      return FALSE;
  return TRUE;
}

static gboolean
valid_number (const char *s)
{
  /* “5”, “7.4.2.2”, “4.a”, annexes “A.1.2”: dot-separated parts of ASCII letters and digits */
  gboolean part_empty = TRUE;

  if (s == NULL || !(g_ascii_isdigit (*s) || g_ascii_isupper (*s)))
    return FALSE;
  for (; *s; s++)
    {
      if (*s == '.')
        {
          if (part_empty)
            return FALSE;
          part_empty = TRUE;
        }
      else if (g_ascii_isalnum (*s))
        part_empty = FALSE;
      else
        return FALSE;
    }
  return !part_empty;
}

/* Which units measure which quantity: a “rate” in hours or a “duration” in % is a typing
 * mistake that would otherwise only show up as nonsense in a report. */
static const struct
{
  const char *quantity;
  const char *units[8];
} quantity_units[] = {
  { "rate",     { "%", NULL } },
  { "duration", { "s", "min", "h", "d", "wd", "month", "year", NULL } },
  { "count",    { "times", "items", "calls", NULL } },
  { "length",   { "km", "m", NULL } },
  { "speed",    { "Mbit/s", "chars/min", NULL } },
  { "amount",   { "CNY", NULL } },
  { "score",    { "points", NULL } },
};

static const char * const *
units_of (const char *quantity)
{
  for (guint i = 0; i < G_N_ELEMENTS (quantity_units); i++)
    if (g_str_equal (quantity_units[i].quantity, quantity))
      return quantity_units[i].units;
  g_assert_not_reached ();
}

static gboolean
load_limit (Loader     *l,
            JsonObject *object,
            const char *what,
            AtLimit    *out)
{
  int quantity = get_enum (l, object, "quantity", known_quantities, what);
  int unit = get_enum (l, object, "unit", known_units, what);
  int comparator = get_enum (l, object, "comparator", comparator_names, what);
  JsonNode *limit = get_member (l, object, "limit", "number", TRUE, what);
  gboolean ok = quantity >= 0 && unit >= 0 && comparator >= 0 && limit != NULL;

  if (quantity >= 0 && unit >= 0 && !g_strv_contains (units_of (known_quantities[quantity]), known_units[unit]))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) units_of (known_quantities[quantity]));
      ERROR_AT (member_pos (l, object, "unit"), _("unit “%s” does not measure a %s in %s (expected one of: %s)"),
                known_units[unit], known_quantities[quantity], what, list);
      ok = FALSE;
    }
  /* Every quantity a standard limits is a size, a time or a share: none is negative, and no
   * share is above all of it. */
  if (limit != NULL && json_node_get_double (limit) < 0)
    {
      ERROR_AT (member_pos (l, object, "limit"), _("the limit %g in %s is negative"), json_node_get_double (limit), what);
      ok = FALSE;
    }
  else if (limit != NULL && unit >= 0 && g_str_equal (known_units[unit], "%") && json_node_get_double (limit) > 100)
    {
      ERROR_AT (member_pos (l, object, "limit"), _("the limit %g %% in %s is over 100 %%"), json_node_get_double (limit), what);
      ok = FALSE;
    }

  if (!ok)
    return FALSE;

  out->quantity = g_strdup (known_quantities[quantity]);
  out->unit = g_strdup (known_units[unit]);
  out->comparator = comparator;
  out->limit = json_node_get_double (limit);
  return TRUE;
}

static AtIndicator *
load_indicator (Loader     *l,
                AtClause   *clause,
                JsonNode   *node,
                gsize       pos)
{
  static const char * const keys[] = {
    "id", "label", "quantity", "unit", "comparator", "limit", "aggregate", "sample", "scope", "wordlist", NULL
  };
  static const char * const sample_keys[] = { "quantity", "unit", "comparator", "limit", NULL };
  g_autofree char *what = NULL;
  AtIndicator *ind;
  JsonObject *object;
  JsonNode *sample;
  const char *id;
  int aggregate;
  gboolean ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      ERROR_AT (pos, _("an indicator of clause %s must be an object, not %s"), clause->number, node_kind (node));
      return NULL;
    }
  object = json_node_get_object (node);

  id = get_string (l, object, "id", TRUE, _("an indicator"));
  if (id != NULL && !valid_id (id))
    {
      ERROR_AT (member_pos (l, object, "id"), _("indicator id “%s” may hold only a–z, 0–9 and “-”"), id);
      id = NULL;
    }
  what = g_strdup_printf (_("indicator “%s” of clause %s"), id ? id : "?", clause->number);
  if (id != NULL && at_clause_find_indicator (clause, id) != NULL)
    {
      ERROR_AT (member_pos (l, object, "id"), _("duplicate indicator id “%s” in clause %s"), id, clause->number);
      ok = FALSE;
    }

  warn_unknown_keys (l, object, keys, what);

  ind = g_new0 (AtIndicator, 1);
  ind->id = g_strdup (id);
  ok &= id != NULL;
  ok &= load_text (l, object, "label", TRUE, what, &ind->label);
  load_text (l, object, "scope", FALSE, what, &ind->scope);
  ok &= load_limit (l, object, what, &ind->limit);
  if (json_object_has_member (object, "wordlist"))
    {
      /* checked against the catalog's wordlists once they are loaded (see check_wordlist_refs) */
      ind->wordlist = g_strdup (get_string (l, object, "wordlist", TRUE, what));
      ok &= ind->wordlist != NULL;
      if (ind->wordlist != NULL)
        g_hash_table_insert (l->wordlist_refs, ind, GSIZE_TO_POINTER (member_pos (l, object, "wordlist")));
    }

  aggregate = get_enum (l, object, "aggregate", aggregate_names, what);
  ok &= aggregate >= 0;
  ind->aggregate = MAX (aggregate, 0);

  sample = json_object_get_member (object, "sample");
  if (aggregate == AT_AGG_SHARE && sample == NULL)
    {
      ERROR_AT (lookup_pos (l, "%p", object), _("%s aggregates by share and needs a “sample” limit"), what);
      ok = FALSE;
    }
  else if (aggregate >= 0 && aggregate != AT_AGG_SHARE && sample != NULL)
    {
      ERROR_AT (member_pos (l, object, "sample"), _("%s has a “sample” limit, which only a “share” aggregate uses"), what);
      ok = FALSE;
    }
  else if (sample != NULL && get_member (l, object, "sample", "object", TRUE, what) != NULL)
    {
      g_autofree char *swhat = g_strdup_printf (_("the sample limit of %s"), what);
      JsonObject *sobj = json_node_get_object (sample);

      warn_unknown_keys (l, sobj, sample_keys, swhat);
      ind->has_sample = load_limit (l, sobj, swhat, &ind->sample);
      ok &= ind->has_sample;
    }
  else if (sample != NULL)
    ok = FALSE;

  /* A share is the percentage of samples that meet the sample limit: a rate in %, nothing else. */
  if (aggregate == AT_AGG_SHARE && ind->limit.quantity && !g_str_equal (ind->limit.quantity, "rate"))
    {
      ERROR_AT (member_pos (l, object, "quantity"), _("%s aggregates by share, so its quantity must be “rate”"), what);
      ok = FALSE;
    }

  if (!ok)
    {
      at_indicator_free (ind);
      return NULL;
    }
  return ind;
}

static AtClause *load_clause (Loader *l, AtCatalog *catalog, AtClause *parent, JsonNode *node, gsize pos);

static void
load_clause_array (Loader     *l,
                   AtCatalog  *catalog,
                   AtClause   *parent,
                   JsonArray  *array,
                   GListStore *into)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *child = json_array_get_element (array, i);
      g_autoptr(AtClause) clause = load_clause (l, catalog, parent, child,
                                                node_pos (l, child, lookup_pos (l, "%p[%u]", array, i)));
      if (clause != NULL)
        g_list_store_append (into, clause);
    }
}

static AtClause *
load_clause (Loader    *l,
             AtCatalog *catalog,
             AtClause  *parent,
             JsonNode  *node,
             gsize      pos)
{
  static const char * const keys[] = {
    "number", "title", "text", "assessable", "methods", "guidance", "indicators", "children", NULL
  };
  g_autoptr(AtClause) self = NULL;
  g_autofree char *what = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *number;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      ERROR_AT (pos, _("a clause must be an object, not %s"), node_kind (node));
      return NULL;
    }
  object = json_node_get_object (node);
  self = g_object_new (AT_TYPE_CLAUSE, NULL);
  self->parent = parent;
  self->depth = parent ? parent->depth + 1 : 0;

  number = get_string (l, object, "number", TRUE, _("a clause"));
  if (number != NULL && !valid_number (number))
    {
      ERROR_AT (member_pos (l, object, "number"),
                _("clause number “%s” is not of the form 7.4.2.2, 4.a or A.1"), number);
      number = NULL;
    }
  else if (number != NULL && parent != NULL && parent->number != NULL &&
           !(g_str_has_prefix (number, parent->number) && number[strlen (parent->number)] == '.'))
    {
      ERROR_AT (member_pos (l, object, "number"),
                _("clause number “%s” does not extend its parent's number “%s”"), number, parent->number);
    }
  if (number != NULL && g_hash_table_contains (l->numbers, number))
    {
      ERROR_AT (member_pos (l, object, "number"), _("duplicate clause number “%s”"), number);
      number = NULL;
    }
  if (number != NULL)
    g_hash_table_add (l->numbers, g_strdup (number));

  self->number = g_strdup (number ? number : "?");
  what = g_strdup_printf (_("clause %s"), self->number);
  warn_unknown_keys (l, object, keys, what);

  member = get_member (l, object, "assessable", "boolean", TRUE, what);
  self->assessable = member ? json_node_get_boolean (member) : FALSE;

  load_text (l, object, "title", FALSE, what, &self->title);
  load_text (l, object, "guidance", FALSE, what, &self->guidance);
  if (!load_text (l, object, "text", FALSE, what, &self->text) &&
      self->assessable && !json_object_has_member (object, "text"))
    ERROR_AT (lookup_pos (l, "%p", object), _("assessable %s has no requirement “text”"), what);
  if (!self->assessable && self->title.zh_CN == NULL && self->text.zh_CN == NULL &&
      !json_object_has_member (object, "title") && !json_object_has_member (object, "text"))
    ERROR_AT (lookup_pos (l, "%p", object), _("%s has neither a “title” nor a “text”"), what);

  member = get_member (l, object, "methods", "array", self->assessable, what);
  if (member != NULL)
    {
      JsonArray *array = json_node_get_array (member);
      g_autoptr(GPtrArray) methods = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *m = json_array_get_element (array, i);
          const char *s = JSON_NODE_HOLDS_VALUE (m) && json_node_get_value_type (m) == G_TYPE_STRING
                          ? json_node_get_string (m) : NULL;
          if (s == NULL || !g_strv_contains (known_methods, s))
            ERROR_AT (node_pos (l, m, lookup_pos (l, "%p[%u]", array, i)),
                      _("unknown method %s%s%s in %s (expected document, observation, interview or demonstration)"),
                      s ? "“" : "", s ? s : node_kind (m), s ? "”" : "", what);
          else if (g_ptr_array_find_with_equal_func (methods, s, g_str_equal, NULL))
            ERROR_AT (lookup_pos (l, "%p[%u]", array, i), _("method “%s” is listed twice in %s"), s, what);
          else
            g_ptr_array_add (methods, g_strdup (s));
        }
      g_ptr_array_add (methods, NULL);
      g_strfreev (self->methods);
      self->methods = (GStrv) g_ptr_array_free (g_steal_pointer (&methods), FALSE);
      if (self->assessable && self->methods[0] == NULL && json_array_get_length (array) == 0)
        ERROR_AT (member_pos (l, object, "methods"), _("assessable %s lists no assessment method"), what);
    }

  member = get_member (l, object, "indicators", "array", FALSE, what);
  if (member != NULL)
    {
      JsonArray *array = json_node_get_array (member);

      if (!self->assessable && json_array_get_length (array) > 0)
        ERROR_AT (member_pos (l, object, "indicators"),
                  _("%s is not assessable, so it cannot carry indicators"), what);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *inode = json_array_get_element (array, i);
          AtIndicator *ind = load_indicator (l, self, inode, node_pos (l, inode, lookup_pos (l, "%p[%u]", array, i)));
          if (ind != NULL)
            g_ptr_array_add (self->indicators, ind);
        }
      if (self->assessable)
        catalog->n_indicators += self->indicators->len;
    }

  if (number != NULL)
    g_hash_table_insert (catalog->by_number, self->number, self);
  g_ptr_array_add (catalog->all, g_object_ref (self));
  if (self->assessable)
    catalog->n_assessable++;

  member = get_member (l, object, "children", "array", FALSE, what);
  if (member != NULL)
    load_clause_array (l, catalog, self, json_node_get_array (member), self->children);

  return g_steal_pointer (&self);
}

static void
load_wordlists (Loader     *l,
                AtCatalog  *catalog,
                JsonArray  *array)
{
  static const char * const keys[] = { "id", "title", "clause", "items", NULL };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(GStrvBuilder) items = g_strv_builder_new ();
      g_auto(AtText) title = { 0 };
      JsonObject *object;
      JsonNode *member;
      const char *id, *clause;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          ERROR_AT (node_pos (l, node, lookup_pos (l, "%p[%u]", array, i)),
                    _("a wordlist must be an object, not %s"), node_kind (node));
          continue;
        }
      object = json_node_get_object (node);
      warn_unknown_keys (l, object, keys, _("a wordlist"));
      id = get_string (l, object, "id", TRUE, _("a wordlist"));
      if (id != NULL && !valid_id (id))
        ERROR_AT (member_pos (l, object, "id"), _("wordlist id “%s” may hold only a–z, 0–9 and “-”"), id);
      else if (id != NULL && g_hash_table_contains (catalog->wordlists, id))
        ERROR_AT (member_pos (l, object, "id"), _("duplicate wordlist id “%s”"), id);
      load_text (l, object, "title", TRUE, _("a wordlist"), &title);
      clause = get_string (l, object, "clause", TRUE, _("a wordlist"));
      if (clause != NULL && at_catalog_lookup (catalog, clause) == NULL)
        ERROR_AT (member_pos (l, object, "clause"), _("wordlist “%s” names unknown clause “%s”"), id ? id : "?", clause);

      member = get_member (l, object, "items", "array", TRUE, _("a wordlist"));
      if (member != NULL)
        {
          JsonArray *list = json_node_get_array (member);

          if (json_array_get_length (list) == 0)
            ERROR_AT (member_pos (l, object, "items"), _("wordlist “%s” has no items"), id ? id : "?");
          for (guint j = 0; j < json_array_get_length (list); j++)
            {
              JsonNode *item = json_array_get_element (list, j);
              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
                ERROR_AT (node_pos (l, item, lookup_pos (l, "%p[%u]", list, j)),
                          _("wordlist items must be strings, not %s"), node_kind (item));
              else if (*json_node_get_string (item) == '\0')
                ERROR_AT (lookup_pos (l, "%p[%u]", list, j), _("item %u of wordlist “%s” is empty"), j + 1, id ? id : "?");
              else
                g_strv_builder_add (items, json_node_get_string (item));
            }
        }
      if (id != NULL)
        g_hash_table_insert (catalog->wordlists, g_strdup (id), g_strv_builder_end (items));
    }
}

static gboolean
valid_code (const char *s)
{
  if (s == NULL || !(g_ascii_isupper (*s) || g_ascii_isdigit (*s)))
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isupper (*s) && !g_ascii_isdigit (*s) && *s != '.' && *s != '_' && *s != '-')
      return FALSE;
  return TRUE;
}

/* json-glib words its syntax errors as “<data>:LINE:COL: Parse error: …”; keep the position,
 * put the file's name in front. */
static char *
reword_parse_error (const char *filename,
                    const char *message)
{
  const char *p = message;

  if (g_str_has_prefix (p, "<data>:"))
    p += strlen ("<data>:");
  return g_strdup_printf ("%s:%s", filename, p);
}

AtCatalog *
at_catalog_load_bytes (GBytes      *bytes,
                       const char  *filename,
                       GPtrArray   *warnings,
                       GError     **error)
{
  static const char * const keys[] = {
    "format", "code", "title", "version", "source", "publisher", "clauses", "wordlists", NULL
  };
  g_autoptr(AtCatalog) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) own_warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) wordlist_refs = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(AtJsonScan) scan = NULL;
  g_autofree char *scan_error = NULL;
  Loader loader = { 0 };
  Loader *l = &loader;
  const char *data, *invalid;
  gsize len = 0, scan_error_at = 0;
  JsonObject *root;
  JsonNode *member;
  const char *format;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  /* an empty file's bytes may have no data at all; the scanner does pointer arithmetic on it */
  if (data == NULL)
    data = "";
  loader.data = data;
  loader.len = len;
  loader.filename = filename;
  loader.open = open;
  loader.positions = positions;
  loader.errors = errors;
  loader.warnings = warnings ? warnings : own_warnings;
  loader.numbers = numbers;
  loader.wordlist_refs = wordlist_refs;

  if (!g_utf8_validate (data, len, &invalid))
    {
      guint line, column;

      line_column (l, invalid - data, &line, &column);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                   _("%s:%u:%u: the file is not UTF-8 text (byte 0x%02X cannot start or continue a character here)"),
                   filename, line, column, (guint) (guchar) *invalid);
      return NULL;
    }
  /* Editors on Windows like to start UTF-8 files with a byte order mark; it is not part of the
   * JSON, and positions count from after it. The catalog's hash still covers every byte. */
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      loader.data += 3;
      loader.len -= 3;
    }

  scan = _at_json_scan (loader.data, loader.len, &scan_error_at, &scan_error);
  if (scan == NULL)
    {
      guint line, column;

      line_column (l, scan_error_at, &line, &column);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, "%s:%u:%u: %s", filename, line, column, scan_error);
      return NULL;
    }
  loader.scan = scan;

  parser = json_parser_new_immutable ();
  g_signal_connect (parser, "object-start", G_CALLBACK (on_container_start), l);
  g_signal_connect (parser, "array-start", G_CALLBACK (on_container_start), l);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), l);
  g_signal_connect (parser, "array-end", G_CALLBACK (on_array_end), l);
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), l);
  g_signal_connect (parser, "array-element", G_CALLBACK (on_array_element), l);

  /* The scan accepted strict JSON, which json-glib always reads; this is a backstop. */
  if (!json_parser_load_from_data (parser, loader.data, loader.len, &local_error))
    {
      g_autofree char *msg = reword_parse_error (filename, local_error->message);
      g_set_error_literal (error, AT_ERROR, AT_ERROR_INVALID, msg);
      return NULL;
    }

  self = g_object_new (AT_TYPE_CATALOG, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->sha256 = at_sha256_hex (data, len);
  self->root = json_node_ref (json_parser_get_root (parser));

  if (self->root == NULL || !JSON_NODE_HOLDS_OBJECT (self->root))
    {
      guint line, column;
      gsize at = 0;

      while (at < loader.len && g_ascii_isspace (loader.data[at]))
        at++;
      line_column (l, at, &line, &column);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("%s:%u:%u: a catalog must be a JSON object"), filename, line, column);
      return NULL;
    }

  /* A repeated name is JSON that parsers read differently (json-glib keeps the last value,
   * others the first): say so rather than silently drop half of someone's clause. */
  for (guint i = 0; i < scan->duplicate_at->len; i++)
    ERROR_AT (g_array_index (scan->duplicate_at, gsize, i), _("duplicate key “%s” in the same object"),
              (const char *) scan->duplicate_keys->pdata[i]);

  root = json_node_get_object (self->root);
  warn_unknown_keys (l, root, keys, _("the catalog"));

  format = get_string (l, root, "format", TRUE, _("the catalog"));
  if (format != NULL && !g_str_equal (format, CATALOG_FORMAT))
    ERROR_AT (member_pos (l, root, "format"), _("unknown format “%s” (expected “%s”)"), format, CATALOG_FORMAT);

  self->code = g_strdup (get_string (l, root, "code", TRUE, _("the catalog")));
  if (self->code != NULL && !valid_code (self->code))
    ERROR_AT (member_pos (l, root, "code"), _("catalog code “%s” may hold only A–Z, 0–9, “.”, “_” and “-”"), self->code);
  self->version = g_strdup (get_string (l, root, "version", TRUE, _("the catalog")));
  self->source = g_strdup (get_string (l, root, "source", TRUE, _("the catalog")));
  load_text (l, root, "title", TRUE, _("the catalog"), &self->title);
  {
    g_auto(AtText) publisher = { 0 };
    load_text (l, root, "publisher", FALSE, _("the catalog"), &publisher);
  }

  member = get_member (l, root, "clauses", "array", TRUE, _("the catalog"));
  if (member != NULL)
    {
      load_clause_array (l, self, NULL, json_node_get_array (member), self->clauses);
      if (json_array_get_length (json_node_get_array (member)) == 0)
        ERROR_AT (member_pos (l, root, "clauses"), _("the catalog has no clauses"));
    }

  member = get_member (l, root, "wordlists", "array", FALSE, _("the catalog"));
  if (member != NULL)
    load_wordlists (l, self, json_node_get_array (member));
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, l->wordlist_refs);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        AtIndicator *ind = key;
        if (!g_hash_table_contains (self->wordlists, ind->wordlist))
          ERROR_AT (GPOINTER_TO_SIZE (value), _("indicator “%s” names wordlist “%s”, which the catalog does not have"),
                    ind->id, ind->wordlist);
      }
  }

  if (loader.n_suppressed[1] > 0)
    g_ptr_array_add (loader.warnings, g_strdup_printf (_("%s: and %u more warnings (only the first %u are listed)"),
                                                       filename, loader.n_suppressed[1], MAX_REPORTS));
  if (errors->len > 0)
    {
      g_autofree char *all = NULL;

      if (loader.n_suppressed[0] > 0)
        g_ptr_array_add (errors, g_strdup_printf (_("%s: and %u more errors (only the first %u are listed)"),
                                                  filename, loader.n_suppressed[0], MAX_REPORTS));
      g_ptr_array_add (errors, NULL);
      all = g_strjoinv ("\n", (char **) errors->pdata);
      g_set_error_literal (error, AT_ERROR, AT_ERROR_INVALID, all);
      return NULL;
    }

  return g_steal_pointer (&self);
}

AtCatalog *
at_catalog_load_file (const char  *path,
                      GPtrArray   *warnings,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, AT_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? AT_ERROR_NOT_FOUND : AT_ERROR_INVALID,
                   "%s", local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return at_catalog_load_bytes (bytes, path, warnings, error);
}
