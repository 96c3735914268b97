/* at-report-recheck.c — the report's recheck (QCS 11.4), round by round, and its sign-off block
 *
 * Each submission opened a round: who submitted it and when, what the reviewer decided, how
 * many clauses were agreed and queried, each query with the assessors' answer. A reopen
 * supersedes the sign-offs in force: they stay in the report, marked with when and why.
 */
#include "config.h"

#include <string.h>

#include "at-report-render-private.h"

static JsonObject *
decision_of (Render     *r,
             const char *id)
{
  JsonArray *signoffs = jarr (r->records, "signoffs");

  for (guint i = 0; id && i < jlen (signoffs); i++)
    if (g_strcmp0 (jstr (jat (signoffs, i), "id"), id) == 0)
      return jat (signoffs, i);
  return NULL;
}

static char *
superseded_note (Render     *r,
                 JsonObject *so)
{
  g_autofree char *when = NULL;

  if (so == NULL || jbool (so, "valid") != 0)
    return NULL;
  if (jstr (so, "superseded_at") == NULL)
    return g_strdup (L ("superseded: the assessment was reopened", "已被取代：评价已重新打开"));
  when = fmt_datetime (jstr (so, "superseded_at"));
  return g_strdup_printf (L ("superseded on %s, reopened by %s: %s", "已于 %s 被取代，由 %s 重新打开：%s"), when,
                          person_name (r, jstr (so, "superseded_by")), or_dash (jstr (so, "superseded_because")));
}

/* The queries of one round, each with its answer. */
static void
round_queries (Render *r,
               guint   round)
{
  JsonArray *review = jarr (r->records, "review");
  AtPdfStyle k = style (8.5, TRUE, INK);
  AtPdfStyle v = style (8.5, FALSE, INK);
  AtPdfStyle a = style (8.5, FALSE, GREY);

  for (guint i = 0; i < jlen (review); i++)
    {
      JsonObject *item = jat (review, i);
      JsonArray *comments = jarr (item, "comments");

      for (guint c = 0; c < jlen (comments); c++)
        {
          JsonObject *cm = jat (comments, c);
          double n;
          g_autofree char *head = NULL;
          g_autofree char *answer = NULL;

          if (!jnum (cm, "round", &n) || (guint) n != round || g_strcmp0 (jstr (cm, "state"), "queried") != 0)
            continue;
          head = g_strdup_printf (L ("%s · queried by %s", "%s · %s 提出质询"), or_dash (jstr (item, "clause")),
                                  person_name (r, jstr (cm, "reviewer")));
          if (jstr (cm, "answer"))
            {
              g_autofree char *when = fmt_datetime (jstr (cm, "answered_at"));
              answer = g_strdup_printf (L ("Answer (%s, %s): %s", "答复（%s，%s）：%s"),
                                        person_name (r, jstr (cm, "answered_by")), when, jstr (cm, "answer"));
            }
          else
            answer = g_strdup (L ("No written answer: the records were changed instead, or the round was not returned.",
                                  "无书面答复：评价记录已修改，或本轮未退回。"));
          _at_pdf_need (r->pdf, text_height (r, W - 12, head, &k) + text_height (r, W - 12, or_dash (jstr (cm, "comment")), &v) + 12);
          _at_pdf_paragraph (r->pdf, X0 + 12, W - 12, head, &k);
          _at_pdf_paragraph (r->pdf, X0 + 12, W - 12, or_dash (jstr (cm, "comment")), &v);
          _at_pdf_paragraph (r->pdf, X0 + 12, W - 12, answer, &a);
          _at_pdf_space (r->pdf, 4);
        }
    }
}

void
recheck_section (Render *r)
{
  JsonArray *rounds = jarr (r->records, "rounds");
  gboolean self = g_strcmp0 (jstr (r->records, "kind"), "self") == 0;
  gboolean decided = FALSE;

  section (r, L ("Recheck", "复核"));
  for (guint i = 0; i < jlen (rounds); i++)
    decided = decided || jstr (jat (rounds, i), "outcome") != NULL;
  if (self && !decided)
    {
      para (r, L ("A self-assessment is not rechecked by an independent expert.", "自我评价不经独立专家复核。"), BODY, INK);
      return;
    }
  if (jlen (rounds) == 0)
    {
      para (r, L ("The assessment has not been submitted for recheck yet.", "本评价尚未提交复核。"), BODY, INK);
      return;
    }
  para (r, L ("The recheck expert reviewed every assessable clause with its records and evidence, marking it agreed or "
              "queried; queries were sent back for rework and answered before the next round.",
              "复核专家逐条审查每个评价条款及其记录与证据，标记为同意或质询；质询退回整改并答复后进入下一轮。"), 8.5, GREY);
  _at_pdf_space (r->pdf, 4);

  for (guint i = 0; i < jlen (rounds); i++)
    {
      JsonObject *rd = jat (rounds, i);
      JsonObject *decision = decision_of (r, jstr (rd, "decision"));
      const char *outcome = jstr (rd, "outcome");
      double n = 0, agreed = 0, queried = 0, answered = 0;
      g_autofree char *submitted = fmt_datetime (jstr (rd, "submitted_at"));
      g_autofree char *head = NULL;
      g_autofree char *line = NULL;
      g_autofree char *counts = NULL;
      g_autofree char *note = superseded_note (r, decision ? decision : decision_of (r, jstr (rd, "submission")));
      AtPdfStyle h = style (10, TRUE, g_strcmp0 (outcome, "approved") == 0 ? GREEN : outcome ? AMBER : INK);

      jnum (rd, "round", &n);
      jnum (rd, "agreed", &agreed);
      jnum (rd, "queried", &queried);
      jnum (rd, "answered", &answered);
      head = g_strdup_printf (L ("Round %u", "第 %u 轮"), (guint) n);
      if (outcome != NULL)
        {
          g_autofree char *when = fmt_datetime (jstr (rd, "decided_at"));
          line = g_strdup_printf (L ("Submitted by %s, %s. %s by %s, %s.", "%s 于 %s 提交。%s：%s，%s。"),
                                  person_name (r, jstr (rd, "submitted_by")), submitted,
                                  g_strcmp0 (outcome, "approved") == 0 ? L ("Approved", "复核通过") : L ("Returned for rework", "退回整改"),
                                  person_name (r, jstr (rd, "decided_by")), when);
        }
      else
        line = g_strdup_printf (L ("Submitted by %s, %s. The recheck is under way.", "%s 于 %s 提交。复核进行中。"),
                                person_name (r, jstr (rd, "submitted_by")), submitted);
      counts = g_strdup_printf (L ("%u clauses agreed, %u queried, %u queries answered.", "同意 %u 条，质询 %u 条，已答复 %u 条。"),
                                (guint) agreed, (guint) queried, (guint) answered);

      _at_pdf_need (r->pdf, 60);
      _at_pdf_paragraph (r->pdf, X0, W, head, &h);
      para (r, line, BODY, INK);
      para (r, counts, BODY, INK);
      if (note != NULL)
        para (r, note, BODY, GREY);
      if (jstr (rd, "conclusion"))
        {
          AtPdfStyle k = style (8.5, TRUE, GREY);
          _at_pdf_paragraph (r->pdf, X0, W, L ("Recheck conclusion", "复核结论"), &k);
          para (r, jstr (rd, "conclusion"), BODY, INK);
        }
      if (queried > 0)
        {
          _at_pdf_space (r->pdf, 3);
          round_queries (r, (guint) n);
        }
      _at_pdf_space (r->pdf, 8);
    }
}

void
signoff_section (Render *r)
{
  JsonArray *signoffs = jarr (r->records, "signoffs");
  JsonObject *cert = jobj (r->records, "certificate");
  AtPdfTable t = { r->pdf, 4, { { 110, L ("Sign-off", "签署事项") }, { 120, L ("Signed by", "签署人") },
                                { 100, L ("Date", "日期") }, { W - 330, L ("Conclusion", "结论") } }, 8.5, X0, 0, 0 };

  section (r, L ("Sign-off", "签署"));
  para (r, L ("Each sign-off below is a CMS signature over the digest of the records as they were when it was made. "
              "A sign-off that a reopen superseded stays on file, marked as such.",
              "以下每项签署均为对签署时评价记录摘要的 CMS 数字签名。因重新打开而被取代的签署仍予保留并注明。"), 8.5, GREY);
  _at_pdf_space (r->pdf, 4);
  if (jlen (signoffs) > 0)
    {
      _at_pdf_table_header (&t);
      for (guint i = 0; i < jlen (signoffs); i++)
        {
          JsonObject *so = jat (signoffs, i);
          g_autofree char *when = fmt_datetime (jstr (so, "signed_at"));
          g_autofree char *note = superseded_note (r, so);
          g_autofree char *kind = g_strdup_printf ("%s%s", signoff_label (r, jstr (so, "kind")),
                                                   note ? L (" (superseded)", "（已被取代）") : "");
          g_autofree char *conclusion = note ? g_strdup_printf ("%s\n%s", or_dash (jstr (so, "conclusion")), note)
                                             : g_strdup (or_dash (jstr (so, "conclusion")));
          const char *cells[] = { kind, person_name (r, jstr (so, "signer")), when, conclusion };
          AtRgb colors[] = { note ? GREY : DEFAULT, DEFAULT, DEFAULT, note ? GREY : DEFAULT };
          _at_pdf_table_row (&t, cells, colors, NULL, NULL);
        }
    }
  else
    para (r, L ("Nothing has been signed off yet.", "尚无签署记录。"), BODY, INK);

  if (cert)
    {
      g_autofree char *a = fmt_date (jstr (cert, "issued_on"));
      g_autofree char *b = fmt_date (jstr (cert, "valid_until"));
      g_autofree char *text = g_strdup_printf (L ("Certificate %s issued on %s by %s, valid until %s (%s).",
                                                  "证书 %s 于 %s 由 %s 签发，有效期至 %s（%s）。"),
                                               or_dash (jstr (cert, "number")), a, person_name (r, jstr (cert, "issued_by")), b,
                                               g_strcmp0 (jstr (cert, "status"), "withdrawn") == 0 ? L ("withdrawn", "已撤销")
                                                                                                   : L ("valid", "有效"));
      _at_pdf_space (r->pdf, 6);
      para (r, text, BODY, INK);
    }

  /* the PDF signatures of a certified report sit on its certificate page; the sign-off says so */
  if (r->spec->certificate)
    {
      g_autofree char *text = g_strdup_printf (L ("This report is signed digitally, and the signatures are shown on its "
                                                  "certificate page: first by %s, the recheck expert who approved it, then "
                                                  "by %s, who issued the certificate.",
                                                  "本报告以数字签名签署，签名显示于证书页：先由批准复核的复核专家 %s 签署，"
                                                  "再由发证人 %s 签署。"),
                                               person_name (r, approving_reviewer (r)),
                                               person_name (r, jstr (cert, "issued_by")));
      _at_pdf_space (r->pdf, 6);
      para (r, text, BODY, INK);
    }
  /* the PDF signatures of a report without a certificate page sit here */
  if (!r->spec->certificate)
    {
      gboolean self = g_strcmp0 (jstr (r->records, "kind"), "self") == 0;
      const char *field = self ? "organisation" : "reviewer";
      const char *person = self ? NULL : approving_reviewer (r);
      double top;

      _at_pdf_space (r->pdf, 12);
      _at_pdf_need (r->pdf, 104);
      top = _at_pdf_y (r->pdf);
      signature_box (r, _at_pdf_page (r->pdf), X0, top, 240, 96, field, person, wants_field (r, field));
      _at_pdf_space (r->pdf, 100);
    }
}
