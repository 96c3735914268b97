/* at-report-source.c — where a measurement came from, and how its samples fall against the limit
 *
 * For a measurement taken from the organisation's data (attest-cli measure), the report states
 * the data source — file, SHA-256, rows used, filters, the sampling plan and its seed — so the
 * reader can redo the sum from the evidence register, and draws a small histogram of the
 * samples with the limit marked; transcripts list their hits with time or line.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "at-report-render-private.h"

#define BINS 24
#define CHART_H 64.0
#define MAX_HITS_SHOWN 12

static gboolean
holds (const char *cmp, double v, double limit)
{
  if (g_strcmp0 (cmp, ">=") == 0) return v >= limit;
  if (g_strcmp0 (cmp, "<=") == 0) return v <= limit;
  if (g_strcmp0 (cmp, ">") == 0) return v > limit;
  if (g_strcmp0 (cmp, "<") == 0) return v < limit;
  return fabs (v - limit) < 1e-9;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static const char *
shown_comparator (const char *cmp)
{
  return g_strcmp0 (cmp, ">=") == 0 ? "≥" : g_strcmp0 (cmp, "<=") == 0 ? "≤" : cmp ? cmp : "";
}

static void
join_strings (GString *out, JsonArray *array, const char *separator)
{
  for (guint i = 0; i < jlen (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        g_string_append_printf (out, "%s%s", out->len && i ? separator : "", json_node_get_string (n));
    }
}

static char *
table_source_text (Render *r, JsonObject *src)
{
  GString *s = g_string_new (NULL);
  JsonObject *sample = jobj (src, "sample");
  double total = 0, used = 0, blank = 0, matched = 0;
  const char *convert = jstr (src, "convert");
  const char *sha = jstr (src, "sha256");
  const char *format = jstr (src, "format");
  g_autofree char *fmt = g_ascii_strup (format ? format : "", -1);

  jnum (src, "rows_total", &total);
  jnum (src, "rows_used", &used);
  jnum (src, "rows_blank", &blank);
  jnum (src, "rows_matched", &matched);

  g_string_append_printf (s, L ("Data source: %s (%s%s%s), SHA-256 %s; column “%s”", "数据来源：%s（%s%s%s），SHA-256 %s；列“%s”"),
                          or_dash (jstr (src, "file")), fmt, jstr (src, "encoding") ? ", " : "",
                          jstr (src, "encoding") ? jstr (src, "encoding") : "", sha ? sha : "—", or_dash (jstr (src, "column")));
  if (convert && !g_str_equal (convert, "none"))
    g_string_append_printf (s, L (", converted %s → s", "，换算 %s → 秒"), convert);
  if (jlen (jarr (src, "filters")) > 0)
    {
      g_autoptr(GString) f = g_string_new (NULL);
      join_strings (f, jarr (src, "filters"), ", ");
      g_string_append_printf (s, L ("; filters: %s", "；筛选：%s"), f->str);
    }
  g_string_append_printf (s, L ("; %.0f of %.0f rows used (%.0f passed the filters, %.0f empty).",
                                "；使用 %.0f 行，共 %.0f 行（%.0f 行符合筛选，其中 %.0f 行为空）。"),
                          used, total, matched, blank);
  if (sample != NULL)
    {
      g_autoptr(GString) strata = g_string_new (NULL);
      double n = 0, seed = 0;
      guint n_strata = jlen (jarr (sample, "strata_counts"));

      jnum (sample, "n", &n);
      jnum (sample, "seed", &seed);
      join_strings (strata, jarr (sample, "strata"), ", ");
      /* the languages order the parts differently, so each sentence is whole */
      if (strata->len == 0)
        g_string_append_printf (s, L (" Sampling plan: a simple random sample of %.0f, seed %.0f (xoshiro256**).",
                                      " 抽样方案：简单随机抽取 %.0f 个，随机种子 %.0f（xoshiro256**）。"), n, seed);
      else if (r->lang == AT_LANG_ZH_CN)
        g_string_append_printf (s, " 抽样方案：按 %s 分层随机抽取 %.0f 个（%u 层，按比例分配，每层至少 1 个），随机种子 %.0f（xoshiro256**）。",
                                strata->str, n, n_strata, seed);
      else
        g_string_append_printf (s, " Sampling plan: a stratified random sample of %.0f by %s (%u strata, proportional allocation, "
                                   "at least one per stratum), seed %.0f (xoshiro256**).", n, strata->str, n_strata, seed);
    }
  return g_string_free (s, FALSE);
}

static char *
transcript_source_text (Render *r, JsonObject *src)
{
  GString *s = g_string_new (NULL);
  JsonArray *files = jarr (src, "files");
  double items = 0;
  guint shown = 0;

  jnum (src, "items", &items);
  g_string_append_printf (s, L ("Data source: %u transcripts checked against word list “%s” (%.0f items):",
                                "数据来源：%u 份通话转写，按词表“%s”（%.0f 条）检索："),
                          jlen (files), or_dash (jstr (src, "wordlist")), items);
  for (guint i = 0; i < jlen (files); i++)
    {
      JsonObject *f = jat (files, i);
      double hits = 0;
      const char *sha = jstr (f, "sha256");

      jnum (f, "hits_total", &hits);
      g_string_append_printf (s, L (" %s (SHA-256 %.12s…) %.0f hits%s", " %s（SHA-256 %.12s…）命中 %.0f 处%s"),
                              or_dash (jstr (f, "file")), sha ? sha : "—", hits, i + 1 < jlen (files) ? L (";", "；") : L (".", "。"));
    }
  for (guint i = 0; i < jlen (files); i++)
    {
      JsonArray *hits = jarr (jat (files, i), "hits");
      for (guint h = 0; h < jlen (hits) && shown < MAX_HITS_SHOWN; h++, shown++)
        {
          JsonObject *hit = jat (hits, h);
          double item = 0, line = 0;
          g_autofree char *where = NULL;

          jnum (hit, "item", &item);
          jnum (hit, "line", &line);
          where = jstr (hit, "at") ? g_strdup (jstr (hit, "at")) : g_strdup_printf (L ("line %.0f", "第 %.0f 行"), line);
          g_string_append_printf (s, L ("\n%s, %s: item %.0f “%s”", "\n%s，%s：第 %.0f 条“%s”"),
                                  or_dash (jstr (jat (files, i), "file")), where, item, or_dash (jstr (hit, "part")));
        }
    }
  return g_string_free (s, FALSE);
}

/* A histogram of the samples, the bins that meet the limit in green and the others in red, the
 * limit drawn across. */
static void
histogram (Render     *r,
           JsonArray  *samples,
           const char *cmp,
           double      limit,
           const char *unit)
{
  AtPdf *pdf = r->pdf;
  AtPdfStyle small = style (7, FALSE, GREY);
  AtPdfStyle caption = style (8, FALSE, INK);
  guint n = jlen (samples), counts[BINS] = { 0 }, within = 0, most = 0;
  gboolean clipped = FALSE;
  double lo = limit, hi = limit, width, x0 = X0 + 16, cw = MIN (W - 16, 380.0), top, base, step;
  g_autofree char *lo_text = NULL;
  g_autofree char *hi_text = NULL;
  g_autofree char *lim_text = NULL;
  g_autofree char *most_text = NULL;
  g_autofree char *text = NULL;

  {
    /* the axis runs to the 95th percentile (or twice the limit): a long tail goes into the
     * last bin, marked “+”, rather than squeezing the bulk into one bar */
    g_autofree double *sorted = g_new (double, n);
    double p95;

    for (guint i = 0; i < n; i++)
      {
        sorted[i] = json_node_get_double (json_array_get_element (samples, i));
        within += holds (cmp, sorted[i], limit);
      }
    qsort (sorted, n, sizeof (double), compare_doubles);
    p95 = sorted[MIN (n - 1, (guint) ceil (0.95 * n) - 1)];
    lo = MIN (sorted[0], limit);
    hi = MAX (p95, limit + (limit - lo));
    hi = MIN (hi, sorted[n - 1]);
    hi = MAX (hi, limit);
    clipped = sorted[n - 1] > hi;
  }
  if (hi - lo < 1e-9)
    hi = lo + 1;
  width = (hi - lo) / BINS;
  for (guint i = 0; i < n; i++)
    {
      double v = json_node_get_double (json_array_get_element (samples, i));
      guint b = v >= hi ? BINS - 1 : MIN ((guint) ((v - lo) / width), BINS - 1);
      counts[b]++;
      most = MAX (most, counts[b]);
    }

  lim_text = fmt_number (limit);
  text = g_strdup_printf (L ("Distribution of the %u samples against the limit %s %s %s: %u meet it, %u do not.",
                             "%u 个样本相对于限值 %s %s %s 的分布：%u 个满足，%u 个不满足。"),
                          n, shown_comparator (cmp), lim_text, unit ? unit : "", within, n - within);
  _at_pdf_need (pdf, CHART_H + 24);
  _at_pdf_paragraph (pdf, x0, W - 16, text, &caption);
  _at_pdf_space (pdf, 2);

  top = _at_pdf_y (pdf);
  base = top - CHART_H + 12;
  step = cw / BINS;
  for (guint b = 0; b < BINS; b++)
    {
      double h = most ? (CHART_H - 20) * counts[b] / most : 0;
      double centre = lo + (b + 0.5) * width;
      if (counts[b] == 0)
        continue;
      _at_pdf_fill_rect (_at_pdf_page (pdf), x0 + b * step + 0.6, base, step - 1.2, MAX (h, 0.8),
                         holds (cmp, centre, limit) ? GREEN : RED);
    }
  _at_pdf_hline (_at_pdf_page (pdf), x0, x0 + cw, base, 0.6, GREY);
  {
    /* the limit, across the bins */
    double lx = x0 + (limit - lo) / (hi - lo) * cw;
    HPDF_Page page = _at_pdf_page (pdf);
    g_autofree char *label = g_strdup_printf ("%s %s %s", shown_comparator (cmp), lim_text, unit ? unit : "");
    double lw = _at_pdf_width (pdf, label, small.size);

    HPDF_Page_SetLineWidth (page, 1.0);
    HPDF_Page_SetRGBStroke (page, NAVY.r, NAVY.g, NAVY.b);
    HPDF_Page_MoveTo (page, lx, base - 3);
    HPDF_Page_LineTo (page, lx, top - 6);
    HPDF_Page_Stroke (page);
    _at_pdf_show (pdf, page, CLAMP (lx + 3, x0, x0 + cw - lw), top - 4, lw + 2, label, &small);
  }
  lo_text = fmt_number (lo);
  {
    g_autofree char *h = fmt_number (hi);
    hi_text = clipped ? g_strconcat (h, "+", NULL) : g_steal_pointer (&h);
  }
  most_text = g_strdup_printf (L ("%u per bin at most", "每组最多 %u 个"), most);
  _at_pdf_show (pdf, _at_pdf_page (pdf), x0, base - 9, 80, lo_text, &small);
  {
    double w = _at_pdf_width (pdf, hi_text, small.size);
    _at_pdf_show (pdf, _at_pdf_page (pdf), x0 + cw - w, base - 9, w + 2, hi_text, &small);
  }
  _at_pdf_show (pdf, _at_pdf_page (pdf), x0 + cw + 8, base + 2, W - 16 - cw - 8, most_text, &small);
  _at_pdf_space (pdf, CHART_H);
}

void
_at_render_data_source (Render     *r,
                        JsonObject *finding)
{
  JsonArray *measurements = jarr (finding, "measurements");
  JsonArray *results = jarr (finding, "indicator_results");
  AtPdfStyle small = style (8, FALSE, GREY);

  for (guint m = 0; m < jlen (measurements); m++)
    {
      JsonObject *me = jat (measurements, m);
      JsonObject *src = jobj (me, "source");
      JsonObject *res = NULL;
      g_autofree char *text = NULL;

      if (src == NULL)
        continue;
      for (guint i = 0; i < jlen (results); i++)
        if (g_strcmp0 (jstr (jat (results, i), "indicator"), jstr (me, "indicator")) == 0)
          res = jat (results, i);

      _at_pdf_space (r->pdf, 3);
      if (g_strcmp0 (jstr (src, "kind"), "transcript") == 0)
        text = transcript_source_text (r, src);
      else
        text = table_source_text (r, src);
      _at_pdf_paragraph (r->pdf, X0 + 16, W - 16, text, &small);

      /* a series against its limit: the sample limit of a share, else the indicator's own */
      if (res != NULL && jlen (jarr (me, "samples")) >= 2 && g_strcmp0 (jstr (res, "aggregate"), "value") != 0)
        {
          JsonObject *sample = jobj (res, "sample");
          JsonObject *lim = sample ? sample : res;
          double limit;

          if (jnum (lim, "limit", &limit))
            {
              _at_pdf_space (r->pdf, 3);
              histogram (r, jarr (me, "samples"), jstr (lim, "comparator"), limit, jstr (lim, "unit"));
            }
        }
    }
}
