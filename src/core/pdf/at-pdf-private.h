/* at-pdf-private.h — page layout over libharu, PDF signatures, and reading back what we wrote
 *
 * at-pdf-writer.c: fonts, wrapped text, pages with a flowing cursor, tables, bookmarks.
 * at-pdf-sign.c:   signature fields, the signed first revision, incremental signed revisions.
 * at-pdf-reader.c: a small reader for the PDFs Attest writes (classic xref tables, plain
 *                  dictionaries), enough to find the signatures, the info and the attachment.
 */
#pragma once

#include <hpdf.h>

#include "at-signature.h"
#include "at-util.h"

G_BEGIN_DECLS

/* A4 portrait, in points */
#define AT_PDF_WIDTH         595.276
#define AT_PDF_HEIGHT        841.89
#define AT_PDF_MARGIN_X      56.7
#define AT_PDF_MARGIN_TOP    74.0
#define AT_PDF_MARGIN_BOTTOM 66.0
#define AT_PDF_TEXT_WIDTH    (AT_PDF_WIDTH - 2 * AT_PDF_MARGIN_X)

/* How many bytes a signature may take; /Contents holds twice as many hex digits. */
#define AT_PDF_SIG_BYTES     16384

typedef struct _AtPdf AtPdf;

/* A signature field: a widget on a page, signed now, later, or never (a draft has none). */
typedef struct
{
  char      *name;
  HPDF_Page  page;
  double     x, y, w, h;
  char      *awaiting;      /* what the widget shows until it is signed */
} AtPdfSigField;

typedef void (*AtPdfPageFunc) (AtPdf     *pdf,
                               HPDF_Page  page,
                               gpointer   data);

/* Shared by at-pdf-writer.c and at-pdf-sign.c only. */
struct _AtPdf
{
  HPDF_Doc       doc;
  HPDF_Font      font;
  char          *font_path;
  HPDF_STATUS    error_no;
  HPDF_STATUS    detail_no;
  GHashTable    *widths;       /* gunichar → advance in 1/1000 em, plus one */
  GPtrArray     *pages;
  HPDF_Page      page;
  double         y;            /* the flow's cursor: top of the next line */
  AtPdfPageFunc  page_func;
  gpointer       page_data;

  GPtrArray     *sig_fields;   /* AtPdfSigField */
  char          *sign_field;   /* the field signed in this revision, or NULL */
  char          *sign_name;
  char          *sign_reason;
  GStrv          sign_lines;
  GDateTime     *sign_time;
};

typedef struct
{
  double r, g, b;
} AtRgb;

typedef enum
{
  AT_ALIGN_LEFT,
  AT_ALIGN_CENTER,
  AT_ALIGN_RIGHT,
} AtAlign;

typedef struct
{
  double   size;
  gboolean bold;
  AtRgb    color;
  AtAlign  align;
  double   leading;   /* line height as a multiple of size; 0 means 1.45 */
} AtPdfStyle;

/* at-pdf-writer.c */
char        *_at_pdf_find_font      (int          *index,
                                     GError      **error);
AtPdf       *_at_pdf_new            (GError      **error);
void         _at_pdf_free           (AtPdf        *pdf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtPdf, _at_pdf_free)

HPDF_Doc     _at_pdf_doc            (AtPdf        *pdf);
HPDF_Font    _at_pdf_font           (AtPdf        *pdf);
gboolean     _at_pdf_check          (AtPdf        *pdf,
                                     const char   *what,
                                     GError      **error);
void         _at_pdf_set_page_func  (AtPdf        *pdf,
                                     AtPdfPageFunc func,
                                     gpointer      data);
HPDF_Page    _at_pdf_new_page       (AtPdf        *pdf);
HPDF_Page    _at_pdf_page           (AtPdf        *pdf);
guint        _at_pdf_n_pages        (AtPdf        *pdf);
HPDF_Page    _at_pdf_nth_page       (AtPdf        *pdf,
                                     guint         index);
double       _at_pdf_y              (AtPdf        *pdf);
void         _at_pdf_set_y          (AtPdf        *pdf,
                                     double        y);
void         _at_pdf_space          (AtPdf        *pdf,
                                     double        height);
gboolean     _at_pdf_need           (AtPdf        *pdf,
                                     double        height);

char        *_at_pdf_clean_text     (const char   *text);
double       _at_pdf_width          (AtPdf        *pdf,
                                     const char   *text,
                                     double        size);
GPtrArray   *_at_pdf_wrap           (AtPdf        *pdf,
                                     const char   *text,
                                     double        size,
                                     double        width);
char        *_at_pdf_ellipsize      (AtPdf        *pdf,
                                     const char   *text,
                                     double        size,
                                     double        width);
double       _at_pdf_line_height    (const AtPdfStyle *style);
void         _at_pdf_show           (AtPdf        *pdf,
                                     HPDF_Page     page,
                                     double        x,
                                     double        baseline,
                                     double        width,
                                     const char   *line,
                                     const AtPdfStyle *style);
void         _at_pdf_show_box       (AtPdf        *pdf,
                                     HPDF_Page     page,
                                     double        x,
                                     double        top,
                                     double        width,
                                     const char   *line,
                                     const AtPdfStyle *style);
double       _at_pdf_paragraph      (AtPdf        *pdf,
                                     double        x,
                                     double        width,
                                     const char   *text,
                                     const AtPdfStyle *style);
double       _at_pdf_text_block     (AtPdf        *pdf,
                                     HPDF_Page     page,
                                     double        x,
                                     double        top,
                                     double        width,
                                     const char   *text,
                                     const AtPdfStyle *style);
void         _at_pdf_mark_glyphs    (AtPdf        *pdf,
                                     const char   *text);
void         _at_pdf_fill_rect      (HPDF_Page     page,
                                     double        x,
                                     double        y,
                                     double        w,
                                     double        h,
                                     AtRgb         color);
void         _at_pdf_stroke_rect    (HPDF_Page     page,
                                     double        x,
                                     double        y,
                                     double        w,
                                     double        h,
                                     double        line_width,
                                     AtRgb         color);
void         _at_pdf_hline          (HPDF_Page     page,
                                     double        x1,
                                     double        x2,
                                     double        y,
                                     double        line_width,
                                     AtRgb         color);
HPDF_Outline _at_pdf_bookmark       (AtPdf        *pdf,
                                     HPDF_Outline  parent,
                                     const char   *title);
HPDF_Image   _at_pdf_load_jpeg      (AtPdf        *pdf,
                                    GBytes       *jpeg);
void         _at_pdf_draw_qr        (HPDF_Page     page,
                                     const char   *payload,
                                     double        x,
                                     double        y,
                                     double        side);
void         _at_pdf_set_info       (AtPdf        *pdf,
                                     const char   *key,
                                     const char   *value);
void         _at_pdf_attach         (AtPdf        *pdf,
                                     const char   *name,
                                     const char   *description,
                                     const void   *data,
                                     gsize         len);
GBytes      *_at_pdf_save           (AtPdf        *pdf,
                                     GError      **error);

/* Tables flow across pages: the header is repeated, and a row taller than what is left of a
 * page continues on the next one. */
typedef struct
{
  double      width;
  const char *title;
  gboolean    mono;     /* hashes and ids: smaller and grey */
  gboolean    bold;
} AtPdfColumn;

#define AT_PDF_MAX_COLUMNS 8

typedef struct
{
  AtPdf       *pdf;
  guint        n_columns;
  AtPdfColumn  columns[AT_PDF_MAX_COLUMNS];
  double       size;
  double       x;
  guint        n_rows;
  double       min_row_height;
} AtPdfTable;

void         _at_pdf_table_header   (AtPdfTable   *table);
void         _at_pdf_table_row      (AtPdfTable   *table,
                                     const char * const *cells,
                                     const AtRgb  *colors,
                                     HPDF_Image    image,
                                     const char   *image_placeholder);

/* at-pdf-sign.c */
void         _at_pdf_add_sig_field  (AtPdf        *pdf,
                                     HPDF_Page     page,
                                     double        x,
                                     double        y,
                                     double        w,
                                     double        h,
                                     const char   *name,
                                     const char   *awaiting);
GString     *_at_pdf_appearance     (double        w,
                                     double        h,
                                     const char * const *lines);
char        *_at_pdf_date           (GDateTime    *when);
void         _at_pdf_prepare_sig    (AtPdf        *pdf,
                                     const char   *field,
                                     AtSigner     *signer,
                                     const char   *reason,
                                     const char * const *appearance_lines);
gboolean     _at_pdf_sign_bytes     (GByteArray   *file,
                                     gsize         contents_at,
                                     gsize         contents_end,
                                     gsize         byterange_at,
                                     gsize         byterange_len,
                                     AtSigner     *signer,
                                     GError      **error);
GBytes      *_at_pdf_save_signed    (AtPdf        *pdf,
                                     AtSigner     *signer,
                                     GError      **error);
GBytes      *_at_pdf_append_signature (GBytes     *file,
                                     const char   *field_name,
                                     AtSigner     *signer,
                                     const char   *reason,
                                     const char * const *appearance_lines,
                                     GError      **error);

/* at-pdf-reader.c — parsed values keep the byte span they came from */
typedef enum
{
  AT_PV_NULL,
  AT_PV_BOOL,
  AT_PV_NUMBER,
  AT_PV_NAME,
  AT_PV_STRING,
  AT_PV_ARRAY,
  AT_PV_DICT,
  AT_PV_REF,
} AtPvKind;

typedef struct _AtPv AtPv;
struct _AtPv
{
  AtPvKind   kind;
  double     number;
  GBytes    *bytes;       /* names (without the slash) and strings (decoded) */
  GPtrArray *items;       /* arrays: AtPv; dicts: key (AtPv name), value, key, value … */
  guint      ref_num;
  guint      ref_gen;
  gsize      start;       /* the value's bytes in the file: [start, end) */
  gsize      end;
  gboolean   has_stream;  /* a dictionary followed by a stream */
  gsize      stream_at;
};

void          _at_pv_free           (AtPv         *pv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtPv, _at_pv_free)
AtPv         *_at_pv_get            (AtPv         *dict,
                                     const char   *key);
char         *_at_pv_dup_text       (AtPv         *pv);
gboolean      _at_pv_is_name        (AtPv         *pv,
                                     const char   *name);

typedef struct _AtPdfReader AtPdfReader;

AtPdfReader  *_at_pdf_reader_new       (GBytes       *file,
                                        GError      **error);
void          _at_pdf_reader_free      (AtPdfReader  *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtPdfReader, _at_pdf_reader_free)
const guchar *_at_pdf_reader_data      (AtPdfReader  *reader,
                                        gsize        *len);
AtPv         *_at_pdf_reader_trailer   (AtPdfReader  *reader);
gsize         _at_pdf_reader_last_xref (AtPdfReader  *reader);
guint         _at_pdf_reader_size      (AtPdfReader  *reader);
AtPv         *_at_pdf_reader_object    (AtPdfReader  *reader,
                                        guint         num,
                                        GError      **error);
AtPv         *_at_pdf_reader_resolve   (AtPdfReader  *reader,
                                        AtPv         *value,
                                        GError      **error);
GBytes       *_at_pdf_reader_stream    (AtPdfReader  *reader,
                                        AtPv         *dict,
                                        GError      **error);
GPtrArray    *_at_pdf_reader_fields    (AtPdfReader  *reader,
                                        GError      **error);

/* One signature field of an Attest report, as read back. */
typedef struct
{
  char    *name;           /* the field's /T: reviewer, issuer, organisation */
  guint    field_num;      /* the field's object number */
  gboolean is_signed;
  GBytes  *cms;            /* /Contents without the zero padding */
  gboolean padding_clean;  /* /Contents is hex digits only, and zero after the CMS */
  gsize    range[4];       /* /ByteRange */
  gsize    contents_start; /* where "<" of /Contents is */
  gsize    contents_end;   /* one past its ">" */
  char    *signed_at;      /* /M as written */
} AtPdfSigInfo;

void          _at_pdf_sig_info_free    (AtPdfSigInfo *info);

G_END_DECLS
