/* at-report-render-private.h — what the layout's parts share: the state, colours, the
 * content accessors and the pieces (at-report-render.c: furniture, first sections;
 * at-report-certificate.c: the certificate page; at-report-results.c: results,
 * nonconformities, evidence, recheck, sign-off)
 */
#pragma once

#include <json-glib/json-glib.h>

#include "at-report-private.h"

G_BEGIN_DECLS

/* the report's language is chosen per report, not per user interface */
#define L(en, zh) (r->lang == AT_LANG_ZH_CN ? (zh) : (en))

#define NAVY     ((AtRgb) { 0.10, 0.20, 0.38 })
#define GOLD     ((AtRgb) { 0.66, 0.52, 0.22 })
#define INK      ((AtRgb) { 0.12, 0.13, 0.15 })
#define GREY     ((AtRgb) { 0.42, 0.45, 0.50 })
#define LIGHT    ((AtRgb) { 0.80, 0.82, 0.85 })
#define WHITE    ((AtRgb) { 1, 1, 1 })
#define GREEN    ((AtRgb) { 0.15, 0.52, 0.30 })
#define AMBER    ((AtRgb) { 0.82, 0.52, 0.08 })
#define RED      ((AtRgb) { 0.76, 0.17, 0.17 })
#define NA_GREY  ((AtRgb) { 0.56, 0.58, 0.62 })
#define DEFAULT  ((AtRgb) { -1, -1, -1 })

#define X0 AT_PDF_MARGIN_X
#define W  AT_PDF_TEXT_WIDTH
#define BODY 9.5


typedef struct
{
  const AtReportSpec *spec;
  AtPdf              *pdf;
  AtLang              lang;
  JsonObject         *records;
  JsonObject         *people;
  JsonObject         *body;
  AtCatalog          *catalog;
  HPDF_Outline        outline;      /* the report's bookmark */
  guint               n_sections;
  GHashTable         *findings;     /* clause → JsonObject */
  GHashTable         *evidence_ids; /* sha256 → "E1" */
  GHashTable         *clause_evidence; /* clause → GString of evidence ids */
  GHashTable         *clause_ncs;   /* clause → GString of NC labels */
  const char         *title;
  const char         *org;
} Render;


/* short names inside the layout, prefixed in the library */
#define person_name _at_render_person_name
#define person_org _at_render_person_org
#define fmt_date _at_render_fmt_date
#define fmt_datetime _at_render_fmt_datetime
#define fmt_number _at_render_fmt_number
#define verdict_label _at_render_verdict_label
#define verdict_color _at_render_verdict_color
#define method_label _at_render_method_label
#define grade_label _at_render_grade_label
#define nc_status_label _at_render_nc_status_label
#define signoff_label _at_render_signoff_label
#define evidence_kind_label _at_render_evidence_kind_label
#define certificate_page _at_render_certificate_page
#define fitted_size _at_render_fitted_size
#define section _at_render_section
#define para _at_render_para
#define text_height _at_render_text_height
#define signature_box _at_render_signature_box
#define wants_field _at_render_wants_field
#define approving_reviewer _at_render_approving_reviewer
#define standard_title _at_render_standard_title
#define summary_section _at_render_summary_section
#define clauses_section _at_render_clauses_section
#define nc_section _at_render_nc_section
#define evidence_section _at_render_evidence_section
#define recheck_section _at_render_recheck_section
#define signoff_section _at_render_signoff_section
#define data_source _at_render_data_source

const char * person_name (Render *r, const char *id);
const char * person_org (Render *r, const char *id);
char * fmt_date (const char *iso);
char * fmt_datetime (const char *iso);
char * fmt_number (double v);
const char * verdict_label (Render *r, const char *verdict);
AtRgb verdict_color (const char *verdict);
const char * method_label (Render *r, const char *method);
const char * grade_label (Render *r, const char *grade);
const char * nc_status_label (Render *r, const char *status);
const char * signoff_label (Render *r, const char *kind);
const char * evidence_kind_label (Render *r, const char *kind);
void certificate_page (Render *r);
double fitted_size (Render *r, const char *text, double size, double min_size, double width);
HPDF_Outline section (Render *r, const char *title);
void para (Render *r, const char *text, double size, AtRgb color);
double text_height (Render *r, double width, const char *text, const AtPdfStyle *s);
void signature_box (Render *r, HPDF_Page page, double x, double top, double w, double h, const char *field, const char *person, gboolean with_widget);
gboolean wants_field (Render *r, const char *field);
const char * approving_reviewer (Render *r);
char * standard_title (Render *r);
void summary_section (Render *r);
void clauses_section (Render *r);
void nc_section (Render *r);
void evidence_section (Render *r);
void recheck_section (Render *r);
void signoff_section (Render *r);
void data_source (Render *r, JsonObject *finding);

static inline AtPdfStyle
style (double   size,
       gboolean bold,
       AtRgb    color)
{
  return (AtPdfStyle) { size, bold, color, AT_ALIGN_LEFT, 0 };
}

static inline AtPdfStyle
centered (double   size,
          gboolean bold,
          AtRgb    color)
{
  return (AtPdfStyle) { size, bold, color, AT_ALIGN_CENTER, 1.35 };
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the content                                                                         */

static inline JsonNode *
member (JsonObject *o,
        const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
}

static inline const char *
jstr (JsonObject *o,
      const char *name)
{
  JsonNode *n = member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static inline JsonObject *
jobj (JsonObject *o,
      const char *name)
{
  JsonNode *n = member (o, name);

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static inline JsonArray *
jarr (JsonObject *o,
      const char *name)
{
  JsonNode *n = member (o, name);

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static inline gboolean
jnum (JsonObject *o,
      const char *name,
      double     *out)
{
  JsonNode *n = member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_INT64: *out = json_node_get_int (n); return TRUE;
    case G_TYPE_DOUBLE: *out = json_node_get_double (n); return TRUE;
    default: return FALSE;
    }
}

/* -1 missing or null, 0 false, 1 true */

static inline int
jbool (JsonObject *o,
       const char *name)
{
  JsonNode *n = member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return -1;
  return json_node_get_boolean (n);
}

static inline guint
jlen (JsonArray *a)
{
  return a ? json_array_get_length (a) : 0;
}

static inline JsonObject *
jat (JsonArray *a,
     guint      i)
{
  JsonNode *n = json_array_get_element (a, i);

  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static inline const char *
or_dash (const char *text)
{
  return text && *text ? text : "—";
}

G_END_DECLS
