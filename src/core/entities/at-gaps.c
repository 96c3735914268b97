/* at-gaps.c — the gap view of an assessment: what fails or is missing, chapter by chapter */
#include "config.h"

#include "at-finding.h"
#include "at-gaps.h"
#include "at-nonconformity.h"

static void
counts (JsonBuilder   *b,
        const AtTally *t,
        guint          gaps)
{
  static const struct { const char *name; AtVerdict v; } verdicts[] = {
    { "conform", AT_VERDICT_CONFORM }, { "partial", AT_VERDICT_PARTIAL }, { "nonconform", AT_VERDICT_NONCONFORM },
    { "na", AT_VERDICT_NA }, { "open", AT_VERDICT_OPEN },
  };

  json_builder_set_member_name (b, "assessable");
  json_builder_add_int_value (b, t->assessable);
  for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++)
    {
      json_builder_set_member_name (b, verdicts[i].name);
      json_builder_add_int_value (b, t->by_verdict[verdicts[i].v]);
    }
  json_builder_set_member_name (b, "gaps");
  json_builder_add_int_value (b, gaps);
}

/* A clause's title, or for an untitled list item (4.a) the start of its text. */
static char *
short_title (AtClause *clause,
             AtLang    lang)
{
  const char *title = at_text_get (at_clause_get_title (clause), lang);
  const char *text;

  if (title != NULL && *title != '\0')
    return g_strdup (title);
  text = at_text_get (at_clause_get_text (clause), lang);
  if (text == NULL)
    return g_strdup ("");
  if (g_utf8_strlen (text, -1) <= 40)
    return g_strdup (text);
  {
    g_autofree char *head = g_utf8_substring (text, 0, 39);
    return g_strconcat (head, "…", NULL);
  }
}

static void
titles (JsonBuilder *b,
        AtClause    *clause)
{
  g_autofree char *zh = short_title (clause, AT_LANG_ZH_CN);
  g_autofree char *en = short_title (clause, AT_LANG_EN);

  json_builder_set_member_name (b, "title_zh");
  json_builder_add_string_value (b, zh);
  json_builder_set_member_name (b, "title_en");
  json_builder_add_string_value (b, en);
}

static gboolean
is_gap (AtVerdict v)
{
  return v == AT_VERDICT_OPEN || v == AT_VERDICT_PARTIAL || v == AT_VERDICT_NONCONFORM;
}

JsonNode *
at_gaps_analyse (AtStore     *store,
                 const char  *assessment_id,
                 GError     **error)
{
  g_autoptr(AtAssessment) a = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) ncs = NULL;
  g_autoptr(GArray) tally = NULL;
  g_autoptr(GHashTable) verdicts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) open_ncs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  AtCatalog *catalog;
  GPtrArray *all;
  guint total_gaps = 0;

  if (!(a = at_assessment_lookup (store, assessment_id, error)) ||
      !(findings = at_finding_list (store, assessment_id, error)) ||
      !(ncs = at_nonconformity_list (store, assessment_id, error)))
    return NULL;
  catalog = at_assessment_get_catalog (a);
  tally = at_finding_tally (catalog, findings);
  for (guint i = 0; i < findings->len; i++)
    g_hash_table_insert (verdicts, (gpointer) at_finding_get_clause (findings->pdata[i]),
                         GUINT_TO_POINTER (at_finding_get_verdict (findings->pdata[i])));
  for (guint i = 0; i < ncs->len; i++)
    if (at_nonconformity_get_status (ncs->pdata[i]) != AT_NC_CLOSED)
      {
        const char *clause = at_nonconformity_get_clause (ncs->pdata[i]);
        g_hash_table_insert (open_ncs, (gpointer) clause,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (open_ncs, clause)) + 1));
      }

  all = at_catalog_get_all_clauses (catalog);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "chapters");
  json_builder_begin_array (b);
  /* tally[0] is the whole; the chapters follow in catalog order */
  for (guint c = 1; c < tally->len; c++)
    {
      const AtTally *t = &g_array_index (tally, AtTally, c);
      AtClause *chapter = at_catalog_lookup (catalog, t->chapter);
      g_autofree char *prefix = g_strdup_printf ("%s.", t->chapter);
      guint gaps = 0;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "chapter");
      json_builder_add_string_value (b, t->chapter);
      titles (b, chapter);
      json_builder_set_member_name (b, "list");
      json_builder_begin_array (b);
      for (guint i = 0; i < all->len; i++)
        {
          AtClause *clause = all->pdata[i];
          const char *number = at_clause_get_number (clause);
          AtVerdict v = GPOINTER_TO_UINT (g_hash_table_lookup (verdicts, number));

          if (!at_clause_get_assessable (clause) || !is_gap (v) ||
              (!g_str_has_prefix (number, prefix) && !g_str_equal (number, t->chapter)))
            continue;
          gaps++;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "clause");
          json_builder_add_string_value (b, number);
          titles (b, clause);
          json_builder_set_member_name (b, "verdict");
          json_builder_add_string_value (b, at_verdict_to_string (v));
          json_builder_set_member_name (b, "open_ncs");
          json_builder_add_int_value (b, GPOINTER_TO_UINT (g_hash_table_lookup (open_ncs, number)));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      counts (b, t, gaps);
      json_builder_end_object (b);
      total_gaps += gaps;
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "total");
  json_builder_begin_object (b);
  counts (b, &g_array_index (tally, AtTally, 0), total_gaps);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
