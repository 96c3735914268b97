/* at-report-results.c — the report's results: the summary with its chart, every clause, the
 * nonconformities with their follow-up, the evidence register (at-report-recheck.c: the recheck
 * and its rounds, the sign-off block) */
#include "config.h"

#include <string.h>

#include "at-report-render-private.h"
#include "at-thumbnail.h"

/* ------------------------------------------------------------------------------------------ */
/* Results                                                                                     */

typedef struct
{
  AtClause *chapter;
  guint     assessable;
  guint     by[5];   /* conform, partial, nonconform, na, open */
} Tally;

static guint
verdict_index (const char *verdict)
{
  static const char * const order[] = { "conform", "partial", "nonconform", "na" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (verdict, order[i]) == 0)
      return i;
  return 4;
}

static void
tally_clause (Render   *r,
              AtClause *clause,
              Tally    *t)
{
  GListModel *children = at_clause_get_children (clause);

  if (at_clause_get_assessable (clause))
    {
      JsonObject *f = g_hash_table_lookup (r->findings, at_clause_get_number (clause));
      t->assessable++;
      t->by[verdict_index (jstr (f, "verdict"))]++;
    }
  for (guint i = 0; children && i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(AtClause) child = g_list_model_get_item (children, i);
      tally_clause (r, child, t);
    }
}

static GArray *
tally (Render *r)
{
  GArray *tallies = g_array_new (FALSE, TRUE, sizeof (Tally));
  GListModel *top = r->catalog ? at_catalog_get_clauses (r->catalog) : NULL;

  for (guint i = 0; top && i < g_list_model_get_n_items (top); i++)
    {
      g_autoptr(AtClause) chapter = g_list_model_get_item (top, i);
      Tally t = { chapter };

      tally_clause (r, chapter, &t);
      if (t.assessable > 0)
        g_array_append_val (tallies, t);
    }
  return tallies;
}

void
summary_section (Render *r)
{
  g_autoptr(GArray) tallies = tally (r);
  AtPdfTable t = { r->pdf, 7, { { W - 314, L ("Chapter", "章节") }, { 44, L ("Clauses", "条款") },
                                { 50, L ("Conform", "符合") }, { 50, L ("Partial", "部分符合") },
                                { 64, L ("Nonconform", "不符合") }, { 40, L ("N/A", "不适用") },
                                { 66, L ("Not assessed", "未评价") } }, 8.5, X0, 0, 0 };
  Tally total = { 0 };
  AtRgb colors[] = { DEFAULT, DEFAULT, GREEN, AMBER, RED, NA_GREY, GREY };
  static const double bar_h = 9, row_h = 17;
  double label_w = 150, bar_w = W - label_w - 40;
  AtPdfStyle small = style (8, FALSE, INK);
  HPDF_Page page;
  double y;

  section (r, L ("Summary by chapter", "结果汇总"));
  for (guint i = 0; i < tallies->len; i++)
    {
      Tally *c = &g_array_index (tallies, Tally, i);
      total.assessable += c->assessable;
      for (guint v = 0; v < 5; v++)
        total.by[v] += c->by[v];
    }
  {
    g_autofree char *text = g_strdup_printf (L ("%u assessable clauses: %u conform, %u partially conform, %u nonconform, "
                                                "%u not applicable, %u not assessed.",
                                                "可评价条款 %u 项：符合 %u 项，部分符合 %u 项，不符合 %u 项，不适用 %u 项，未评价 %u 项。"),
                                             total.assessable, total.by[0], total.by[1], total.by[2], total.by[3], total.by[4]);
    para (r, text, BODY, INK);
  }
  _at_pdf_space (r->pdf, 6);

  /* the chart: one stacked bar per chapter, drawn in the PDF */
  _at_pdf_need (r->pdf, 28 + row_h * MIN (tallies->len, 30u));
  page = _at_pdf_page (r->pdf);
  y = _at_pdf_y (r->pdf);
  {
    const char *names[] = { verdict_label (r, "conform"), verdict_label (r, "partial"), verdict_label (r, "nonconform"),
                            verdict_label (r, "na"), verdict_label (r, "open") };
    AtRgb swatch[] = { GREEN, AMBER, RED, NA_GREY, LIGHT };
    double total_w = 0, x;

    /* the legend, right-aligned over the bars */
    for (guint v = 0; v < 5; v++)
      total_w += 11 + _at_pdf_width (r->pdf, names[v], small.size) + (v < 4 ? 12 : 0);
    x = MAX (X0, X0 + W - total_w);
    for (guint v = 0; v < 5; v++)
      {
        double tw = _at_pdf_width (r->pdf, names[v], small.size);
        _at_pdf_fill_rect (page, x, y - 10, 8, 8, swatch[v]);
        _at_pdf_show_box (r->pdf, page, x + 11, y - 1.5, tw + 1, names[v], &small);
        x += 11 + tw + 12;
      }
    y -= 22;
  }
  for (guint i = 0; i < tallies->len; i++)
    {
      Tally *c = &g_array_index (tallies, Tally, i);
      AtRgb swatch[] = { GREEN, AMBER, RED, NA_GREY, LIGHT };
      g_autofree char *label = at_clause_dup_label (c->chapter, r->lang);
      g_autofree char *shown = NULL;
      g_autofree char *count = g_strdup_printf ("%u/%u", c->assessable - c->by[4], c->assessable);
      double x = X0 + label_w;
      AtPdfStyle right = small;

      if (y - row_h < AT_PDF_MARGIN_BOTTOM)
        {
          _at_pdf_new_page (r->pdf);
          page = _at_pdf_page (r->pdf);
          y = _at_pdf_y (r->pdf);
        }
      shown = _at_pdf_ellipsize (r->pdf, label, small.size, label_w - 8);
      _at_pdf_show_box (r->pdf, page, X0, y, label_w - 8, shown, &small);
      for (guint v = 0; v < 5; v++)
        {
          double w = c->assessable ? bar_w * c->by[v] / c->assessable : 0;
          if (w > 0)
            _at_pdf_fill_rect (page, x, y - bar_h - 2.5, w, bar_h, swatch[v]);
          x += w;
        }
      right.align = AT_ALIGN_RIGHT;
      _at_pdf_show_box (r->pdf, page, X0 + label_w + bar_w, y, 38, count, &right);
      y -= row_h;
    }
  _at_pdf_set_y (r->pdf, y - 8);

  _at_pdf_table_header (&t);
  for (guint i = 0; i < tallies->len; i++)
    {
      Tally *c = &g_array_index (tallies, Tally, i);
      g_autofree char *label = at_clause_dup_label (c->chapter, r->lang);
      g_autofree char *n0 = g_strdup_printf ("%u", c->assessable);
      g_autofree char *n1 = g_strdup_printf ("%u", c->by[0]);
      g_autofree char *n2 = g_strdup_printf ("%u", c->by[1]);
      g_autofree char *n3 = g_strdup_printf ("%u", c->by[2]);
      g_autofree char *n4 = g_strdup_printf ("%u", c->by[3]);
      g_autofree char *n5 = g_strdup_printf ("%u", c->by[4]);
      const char *cells[] = { label, n0, n1, n2, n3, n4, n5 };
      _at_pdf_table_row (&t, cells, colors, NULL, NULL);
    }
}

static char *
requirement_text (Render     *r,
                  JsonObject *res)
{
  const char *cmp = or_dash (jstr (res, "comparator"));
  const char *unit = jstr (res, "unit");
  const char *shown_cmp = g_str_equal (cmp, ">=") ? "≥" : g_str_equal (cmp, "<=") ? "≤" : cmp;
  double limit = 0;
  g_autofree char *lim = jnum (res, "limit", &limit) ? fmt_number (limit) : g_strdup ("—");
  JsonObject *sample = jobj (res, "sample");

  if (sample != NULL)
    {
      const char *scmp = or_dash (jstr (sample, "comparator"));
      const char *shown_scmp = g_str_equal (scmp, ">=") ? "≥" : g_str_equal (scmp, "<=") ? "≤" : scmp;
      double slimit = 0;
      g_autofree char *slim = jnum (sample, "limit", &slimit) ? fmt_number (slimit) : g_strdup ("—");
      return g_strdup_printf (L ("share of samples %s %s %s: %s %s %s", "样本 %s %s %s 的比例 %s %s %s"),
                              shown_scmp, slim, jstr (sample, "unit") ? jstr (sample, "unit") : "",
                              shown_cmp, lim, unit ? unit : "");
    }
  if (g_strcmp0 (jstr (res, "aggregate"), "mean") == 0)
    return g_strdup_printf (L ("mean %s %s %s", "平均值 %s %s %s"), shown_cmp, lim, unit ? unit : "");
  if (g_strcmp0 (jstr (res, "aggregate"), "each") == 0)
    return g_strdup_printf (L ("every sample %s %s %s", "每个样本 %s %s %s"), shown_cmp, lim, unit ? unit : "");
  return g_strdup_printf ("%s %s %s", shown_cmp, lim, unit ? unit : "");
}

static void
indicator_table (Render     *r,
                 AtClause   *clause,
                 JsonObject *finding)
{
  JsonArray *results = jarr (finding, "indicator_results");
  JsonArray *measurements = jarr (finding, "measurements");
  AtPdfTable t = { r->pdf, 4, { { 150, L ("Indicator", "指标") }, { 130, L ("Requirement", "要求") },
                                { W - 16 - 150 - 130 - 70, L ("Measured", "实测") }, { 70, L ("Result", "结果") } },
                   8, X0 + 16, 0, 0 };

  if (jlen (results) == 0)
    return;
  _at_pdf_space (r->pdf, 2);
  _at_pdf_table_header (&t);
  for (guint i = 0; i < jlen (results); i++)
    {
      JsonObject *res = jat (results, i);
      const AtIndicator *ind = clause ? at_clause_find_indicator (clause, jstr (res, "indicator")) : NULL;
      const char *label = ind ? at_text_get (&ind->label, r->lang) : NULL;
      g_autofree char *req = requirement_text (r, res);
      g_autoptr(GString) measured = g_string_new (NULL);
      int pass = jbool (res, "pass");
      double value, n, low, high;
      const char *verdict = pass == 1 ? L ("Pass", "合格") : pass == 0 ? L ("Fail", "不合格") : L ("Not measured", "未测量");
      AtRgb colors[] = { DEFAULT, DEFAULT, DEFAULT, pass == 1 ? GREEN : pass == 0 ? RED : GREY };
      const char *cells[4];

      if (jnum (res, "value", &value))
        {
          g_autofree char *v = fmt_number (value);
          g_string_append_printf (measured, "%s %s", v, jstr (res, "unit") ? jstr (res, "unit") : "");
        }
      else
        g_string_append (measured, "—");
      if (jnum (res, "n", &n) && n > 1)
        g_string_append_printf (measured, L ("; n = %.0f", "；样本数 %.0f"), n);
      if (jnum (jobj (res, "wilson"), "low", &low) && jnum (jobj (res, "wilson"), "high", &high))
        {
          g_autofree char *a = g_strdup_printf ("%.1f", low);
          g_autofree char *b = g_strdup_printf ("%.1f", high);
          g_string_append_printf (measured, L ("; 95 %% interval %s–%s %%", "；95%% 置信区间 %s–%s%%"), a, b);
        }
      for (guint m = 0; m < jlen (measurements); m++)
        {
          JsonObject *me = jat (measurements, m);
          JsonArray *samples = jarr (me, "samples");
          if (g_strcmp0 (jstr (me, "indicator"), jstr (res, "indicator")) != 0 || jlen (samples) == 0)
            continue;
          g_string_append (measured, L ("; samples: ", "；样本："));
          for (guint k = 0; k < MIN (jlen (samples), 40u); k++)
            {
              JsonNode *node = json_array_get_element (samples, k);
              g_autofree char *v = fmt_number (json_node_get_double (node));
              g_string_append_printf (measured, "%s%s", k ? ", " : "", v);
            }
          if (jlen (samples) > 40)
            g_string_append_printf (measured, L (" … (%u in all)", " …（共 %u 个）"), jlen (samples));
        }
      cells[0] = label ? label : or_dash (jstr (res, "label"));
      cells[1] = req;
      cells[2] = measured->str;
      cells[3] = verdict;
      _at_pdf_table_row (&t, cells, colors, NULL, NULL);
    }
}

/* The height text takes when wrapped to width, for keeping blocks together. */
double
text_height (Render           *r,
             double            width,
             const char       *text,
             const AtPdfStyle *s)
{
  g_autoptr(GPtrArray) lines = _at_pdf_wrap (r->pdf, text, s->size, width);

  return lines->len * _at_pdf_line_height (s);
}

static void
clause_block (Render     *r,
              AtClause   *clause,
              const char *number,
              JsonObject *finding)
{
  AtPdf *pdf = r->pdf;
  const char *verdict = finding ? jstr (finding, "verdict") : "open";
  const char *label = verdict_label (r, verdict);
  AtPdfStyle badge = style (7.5, TRUE, WHITE);
  AtPdfStyle head = style (10, TRUE, INK);
  double badge_w = _at_pdf_width (pdf, label, badge.size) + 12;
  const char *title = clause ? at_text_get (at_clause_get_title (clause), r->lang) : NULL;
  const char *text = clause ? at_text_get (at_clause_get_text (clause), r->lang) : NULL;
  g_autofree char *heading = g_strdup_printf ("%s  %s", number, title ? title : "");
  g_autoptr(GPtrArray) lines = _at_pdf_wrap (pdf, heading, head.size, W - badge_w - 10);
  double lh = _at_pdf_line_height (&head);
  JsonArray *methods = jarr (finding, "methods");
  GString *ev = g_hash_table_lookup (r->clause_evidence, number);
  GString *nc = g_hash_table_lookup (r->clause_ncs, number);
  AtPdfStyle small = style (8.5, FALSE, GREY);
  AtPdfStyle body = style (BODY, FALSE, INK);
  AtPdfStyle link = style (8.5, FALSE, NAVY);
  g_autofree char *facts = NULL;
  g_autofree char *note = NULL;
  g_autofree char *refs = NULL;
  double height;

  if (finding)
    {
      g_autoptr(GString) m = g_string_new (NULL);
      g_autofree char *when = fmt_datetime (jstr (finding, "recorded_at"));

      for (guint i = 0; i < jlen (methods); i++)
        g_string_append_printf (m, "%s%s", i ? L (", ", "、") : "", method_label (r, json_array_get_string_element (methods, i)));
      facts = g_strdup_printf (L ("Methods: %s · recorded by %s, %s", "评价方法：%s · 记录人 %s，%s"),
                               m->len ? m->str : "—", person_name (r, jstr (finding, "recorded_by")), when);
      if (jstr (finding, "note") && *jstr (finding, "note"))
        note = g_strdup_printf (L ("Note: %s", "评价记录：%s"), jstr (finding, "note"));
    }
  if (ev || nc)
    refs = g_strdup_printf ("%s%s%s%s%s", ev ? L ("Evidence: ", "证据：") : "", ev ? ev->str : "",
                            ev && nc ? " · " : "", nc ? L ("Nonconformities: ", "不符合项：") : "", nc ? nc->str : "");

  /* the clause's heading, requirement and facts stay together; a long note may run on */
  height = lh * lines->len;
  if (text && *text)
    height += text_height (r, W - 16, text, &small);
  if (facts)
    height += text_height (r, W - 16, facts, &small);
  if (note)
    height += text_height (r, W - 16, note, &body);
  _at_pdf_need (pdf, MIN (height + 4, 200));
  {
    HPDF_Page page = _at_pdf_page (pdf);
    double top = _at_pdf_y (pdf);
    AtRgb fill = verdict_color (verdict);

    _at_pdf_fill_rect (page, X0 + W - badge_w, top - 13.5, badge_w, 12, fill);
    if (g_strcmp0 (verdict, "conform") && g_strcmp0 (verdict, "partial") && g_strcmp0 (verdict, "nonconform") &&
        g_strcmp0 (verdict, "na"))
      badge.color = INK;
    _at_pdf_show_box (pdf, page, X0 + W - badge_w + 6, top - 1.5, badge_w - 12, label, &badge);
  }
  for (guint i = 0; i < lines->len; i++)
    {
      _at_pdf_need (pdf, lh);
      _at_pdf_show_box (pdf, _at_pdf_page (pdf), X0, _at_pdf_y (pdf), W - badge_w - 10, lines->pdata[i], &head);
      _at_pdf_space (pdf, lh);
    }
  if (text && *text)
    _at_pdf_paragraph (pdf, X0 + 16, W - 16, text, &small);
  if (facts)
    _at_pdf_paragraph (pdf, X0 + 16, W - 16, facts, &small);
  if (note)
    _at_pdf_paragraph (pdf, X0 + 16, W - 16, note, &body);
  if (finding)
    {
      indicator_table (r, clause, finding);
      data_source (r, finding);
    }
  if (refs)
    _at_pdf_paragraph (pdf, X0 + 16, W - 16, refs, &link);
  _at_pdf_space (pdf, 4);
  _at_pdf_hline (_at_pdf_page (pdf), X0, X0 + W, _at_pdf_y (pdf), 0.3, LIGHT);
  _at_pdf_space (pdf, 6);
}

static void
walk_clause (Render       *r,
             AtClause     *clause,
             HPDF_Outline  chapter_outline,
             GHashTable   *shown)
{
  GListModel *children = at_clause_get_children (clause);
  const char *number = at_clause_get_number (clause);

  if (at_clause_get_assessable (clause))
    {
      clause_block (r, clause, number, g_hash_table_lookup (r->findings, number));
      g_hash_table_add (shown, (gpointer) number);
    }
  else if (at_clause_get_depth (clause) > 0)
    {
      g_autofree char *label = at_clause_dup_label (clause, r->lang);
      AtPdfStyle s = style (9.5, TRUE, NAVY);
      _at_pdf_need (r->pdf, 60);
      _at_pdf_paragraph (r->pdf, X0, W, label, &s);
      _at_pdf_space (r->pdf, 3);
    }
  for (guint i = 0; children && i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(AtClause) child = g_list_model_get_item (children, i);
      walk_clause (r, child, chapter_outline, shown);
    }
}

void
clauses_section (Render *r)
{
  GListModel *top = r->catalog ? at_catalog_get_clauses (r->catalog) : NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *findings = jarr (r->records, "findings");
  HPDF_Outline results;
  gboolean others = FALSE;

  /* one bookmark per chapter, under the section's */
  results = section (r, L ("Results clause by clause", "条款评价结果"));
  for (guint i = 0; top && i < g_list_model_get_n_items (top); i++)
    {
      g_autoptr(AtClause) chapter = g_list_model_get_item (top, i);
      g_autofree char *label = at_clause_dup_label (chapter, r->lang);
      AtPdfStyle s = style (11.5, TRUE, NAVY);
      Tally t = { chapter };

      tally_clause (r, chapter, &t);
      if (t.assessable == 0)
        continue;
      _at_pdf_space (r->pdf, 4);
      _at_pdf_need (r->pdf, 80);
      _at_pdf_bookmark (r->pdf, results, label);
      _at_pdf_paragraph (r->pdf, X0, W, label, &s);
      _at_pdf_space (r->pdf, 4);
      walk_clause (r, chapter, results, shown);
    }
  /* findings on clauses the catalog does not have (or no catalog at all) */
  for (guint i = 0; i < jlen (findings); i++)
    {
      JsonObject *f = jat (findings, i);
      const char *number = jstr (f, "clause");
      if (number == NULL || g_hash_table_contains (shown, number))
        continue;
      if (!others)
        {
          AtPdfStyle s = style (11.5, TRUE, NAVY);
          _at_pdf_need (r->pdf, 80);
          _at_pdf_bookmark (r->pdf, results, L ("Other clauses", "其他条款"));
          _at_pdf_paragraph (r->pdf, X0, W, L ("Other clauses", "其他条款"), &s);
          others = TRUE;
        }
      clause_block (r, NULL, number, f);
    }
}

/* Every step of an NC's follow-up, one line each: responses with their text, verifications,
 * the evidence attached to the corrective action. NULL when there is no history to show. */
static char *
nc_history (Render     *r,
            JsonObject *nc)
{
  JsonArray *history = jarr (nc, "history");
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < jlen (history); i++)
    {
      JsonObject *e = jat (history, i);
      const char *action = jstr (e, "action");
      g_autofree char *when = fmt_datetime (jstr (e, "at"));
      const char *who = person_name (r, jstr (e, "by"));

      if (g_strcmp0 (action, "respond") == 0)
        g_string_append_printf (out, L ("%s · corrective action by %s: %s\n", "%s · %s 答复整改措施：%s\n"), when, who,
                                or_dash (jstr (e, "text")));
      else if (g_strcmp0 (action, "attach") == 0)
        g_string_append_printf (out, L ("%s · evidence attached by %s: %s (SHA-256 %.16s…)\n", "%s · %s 附整改证据：%s（SHA-256 %.16s…）\n"),
                                when, who, or_dash (jstr (e, "name")), or_dash (jstr (e, "evidence")));
      else if (g_strcmp0 (action, "close") == 0)
        g_string_append_printf (out, L ("%s · verified effective and closed by %s\n", "%s · %s 验证有效并关闭\n"), when, who);
      else if (g_strcmp0 (action, "reopen") == 0)
        g_string_append_printf (out, L ("%s · not effective: reopened by %s\n", "%s · %s 验证未通过，重新打开\n"), when, who);
    }
  if (out->len == 0)
    return NULL;
  g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
nc_section (Render *r)
{
  JsonArray *ncs = jarr (r->records, "nonconformities");

  section (r, L ("Nonconformities and rectification", "不符合项与整改建议"));
  if (jlen (ncs) == 0)
    {
      para (r, L ("No nonconformity was raised.", "未发现不符合项。"), BODY, INK);
      return;
    }
  for (guint i = 0; i < jlen (ncs); i++)
    {
      JsonObject *nc = jat (ncs, i);
      const char *grade = jstr (nc, "grade");
      AtRgb color = g_strcmp0 (grade, "major") == 0 ? RED : g_strcmp0 (grade, "minor") == 0 ? AMBER : NA_GREY;
      g_autofree char *head = g_strdup_printf ("%s · %s %s · %s", or_dash (jstr (nc, "label")), L ("clause", "条款"),
                                               or_dash (jstr (nc, "clause")), grade_label (r, grade));
      AtPdfStyle h = style (10, TRUE, INK);
      AtPdfStyle k = style (8.5, TRUE, GREY);
      AtPdfStyle v = style (BODY, FALSE, INK);
      g_autofree char *due = jstr (nc, "due") ? g_strdup (jstr (nc, "due")) : g_strdup (L ("none set", "未设定"));
      g_autofree char *status = g_strdup_printf (L ("%s · due %s", "%s · 整改期限 %s"),
                                                 nc_status_label (r, jstr (nc, "status")), due);
      g_autofree char *resp = NULL;
      g_autofree char *ver = NULL;
      g_autofree char *history = nc_history (r, nc);
      struct { const AtPdfStyle *style; const char *text; } parts[] = {
        { &h, head },
        { &k, L ("Finding", "不符合事实") }, { &v, or_dash (jstr (nc, "text")) },
        { &k, L ("Rectification suggested", "整改建议") }, { &v, or_dash (jstr (nc, "suggestion")) },
        { &k, L ("Follow-up", "跟踪状态") }, { &v, status },
        { &v, NULL }, { &v, NULL }, { &v, history },
      };
      double height = 0;
      HPDF_Page page;
      double top;

      /* with its history, the follow-up speaks for itself; the last response and verification
       * are what a report without one (an earlier format) has */
      if (history == NULL && jstr (nc, "response"))
        {
          g_autofree char *when = fmt_datetime (jstr (nc, "responded_at"));
          resp = g_strdup_printf (L ("Response (%s, %s): %s", "组织答复（%s，%s）：%s"),
                                  person_name (r, jstr (nc, "responded_by")), when, jstr (nc, "response"));
          parts[7].text = resp;
        }
      if (history == NULL && jstr (nc, "verified_by"))
        {
          g_autofree char *when = fmt_datetime (jstr (nc, "verified_at"));
          ver = g_strdup_printf (L ("Verified by %s, %s", "验证人 %s，%s"), person_name (r, jstr (nc, "verified_by")), when);
          parts[8].text = ver;
        }

      /* a nonconformity stays on one page when it can: its status never turns the page alone */
      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        if (parts[p].text != NULL)
          height += text_height (r, W - 9, parts[p].text, parts[p].style);
      _at_pdf_need (r->pdf, MIN (height, AT_PDF_HEIGHT - AT_PDF_MARGIN_TOP - AT_PDF_MARGIN_BOTTOM));
      page = _at_pdf_page (r->pdf);
      top = _at_pdf_y (r->pdf);
      _at_pdf_fill_rect (page, X0, top - 14, 3.5, 14, color);
      for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
        if (parts[p].text != NULL)
          _at_pdf_paragraph (r->pdf, X0 + 9, W - 9, parts[p].text, parts[p].style);
      _at_pdf_space (r->pdf, 8);
    }
}

static char *
evidence_path (Render     *r,
               const char *sha256)
{
  g_autofree char *prefix = NULL;

  if (r->spec->data_dir == NULL || sha256 == NULL || strlen (sha256) != 64 ||
      strspn (sha256, "0123456789abcdef") != 64)
    return NULL;
  prefix = g_strndup (sha256, 2);
  return g_build_filename (r->spec->data_dir, "evidence", prefix, sha256, NULL);
}

/* a scanned document or an image filed as “other” shows too; recordings do not */
static gboolean
previewable (const char *kind)
{
  return g_strcmp0 (kind, "photo") == 0 || g_strcmp0 (kind, "other") == 0 || g_strcmp0 (kind, "document") == 0;
}

void
evidence_section (Render *r)
{
  JsonArray *evidence = jarr (r->records, "evidence");
  AtPdfTable t = { r->pdf, 3, { { 74, L ("Preview", "预览") }, { W - 74 - 70, L ("File, details and SHA-256", "文件、说明与 SHA-256") },
                                { 70, L ("Clauses", "条款") } }, 8, X0, 0, 0 };

  section (r, L ("Evidence register", "证据登记"));
  if (jlen (evidence) == 0)
    {
      para (r, L ("No evidence file was recorded.", "未登记证据文件。"), BODY, INK);
      return;
    }
  _at_pdf_table_header (&t);
  if (r->spec->data_dir != NULL)
    {
      g_autoptr(GPtrArray) shown = g_ptr_array_new ();

      for (guint i = 0; i < jlen (evidence); i++)
        if (jstr (jat (evidence, i), "sha256") != NULL && previewable (jstr (jat (evidence, i), "kind")))
          g_ptr_array_add (shown, (gpointer) jstr (jat (evidence, i), "sha256"));
      g_ptr_array_add (shown, NULL);
      at_thumbnail_make_missing (r->spec->data_dir, (const char * const *) shown->pdata);
    }
  for (guint i = 0; i < jlen (evidence); i++)
    {
      JsonObject *e = jat (evidence, i);
      const char *sha = jstr (e, "sha256");
      const char *kind = jstr (e, "kind");
      JsonArray *clauses = jarr (e, "clauses");
      g_autofree char *path = evidence_path (r, sha);
      g_autofree char *file = g_strdup_printf ("%s  %s", (char *) g_hash_table_lookup (r->evidence_ids, sha ? sha : ""),
                                               or_dash (jstr (e, "original_name")));
      g_autoptr(GString) details = g_string_new (evidence_kind_label (r, kind));
      g_autoptr(GString) links = g_string_new (NULL);
      HPDF_Image image = NULL;
      const char *placeholder = NULL;
      double size;

      if (jnum (e, "size", &size))
        {
          g_autofree char *s = g_format_size ((guint64) size);
          g_string_append_printf (details, " · %s", s);
        }
      if (jstr (e, "captured_at"))
        {
          g_autofree char *d = fmt_datetime (jstr (e, "captured_at"));
          g_string_append_printf (details, L ("\ncaptured %s", "\n拍摄于 %s"), d);
        }
      {
        g_autofree char *d = fmt_datetime (jstr (e, "added_at"));
        g_string_append_printf (details, L ("\nadded by %s, %s", "\n%s 添加于 %s"), person_name (r, jstr (e, "added_by")), d);
      }
      if (g_str_has_prefix (or_dash (jstr (e, "origin")), "application:"))
        g_string_append (details, L ("\nfrom the organisation's application (document evaluation)", "\n来自组织的申请材料（文件评价）"));
      if (jstr (e, "note") && *jstr (e, "note"))
        g_string_append_printf (details, "\n%s", jstr (e, "note"));
      for (guint k = 0; k < jlen (clauses); k++)
        g_string_append_printf (links, "%s%s", k ? ", " : "", json_array_get_string_element (clauses, k));

      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        placeholder = r->spec->data_dir ? L ("file missing", "文件缺失") : evidence_kind_label (r, kind);
      else if (previewable (kind))
        {
          g_autoptr(GBytes) preview = at_thumbnail_load (r->spec->data_dir, sha, NULL);

          if (preview != NULL)
            image = _at_pdf_load_jpeg (r->pdf, preview);
        }
      if (image == NULL && placeholder == NULL)
        placeholder = g_strcmp0 (kind, "photo") == 0 ? L ("no preview", "无法预览") : evidence_kind_label (r, kind);

      g_string_prepend_c (details, '\n');
      g_string_prepend (details, file);
      g_string_append_printf (details, "\nSHA-256 %s", or_dash (sha));
      {
        const char *cells[] = { "", details->str, links->len ? links->str : "—" };
        _at_pdf_table_row (&t, cells, NULL, image, placeholder);
      }
    }
}
