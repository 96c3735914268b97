/* at-gui-labels.c — how core's values read on screen, in the user's language */
#include "config.h"

#include <glib/gi18n.h>

#include "at-gui-labels.h"

const char *
at_gui_verdict_label (AtVerdict verdict)
{
  switch (verdict)
    {
    case AT_VERDICT_CONFORM:    return _("Conform");
    case AT_VERDICT_PARTIAL:    return _("Partially conform");
    case AT_VERDICT_NONCONFORM: return _("Nonconform");
    case AT_VERDICT_NA:         return _("Not applicable");
    case AT_VERDICT_OPEN:
    default:                    return _("Not assessed");
    }
}

const char *
at_gui_verdict_css (AtVerdict verdict)
{
  static const char * const classes[AT_N_VERDICTS] = {
    [AT_VERDICT_OPEN] = "verdict-open",
    [AT_VERDICT_CONFORM] = "verdict-conform",
    [AT_VERDICT_PARTIAL] = "verdict-partial",
    [AT_VERDICT_NONCONFORM] = "verdict-nonconform",
    [AT_VERDICT_NA] = "verdict-na",
  };
  return (guint) verdict < AT_N_VERDICTS ? classes[verdict] : classes[AT_VERDICT_OPEN];
}

const char *
at_gui_state_label (const char *state)
{
  if (g_strcmp0 (state, "draft") == 0)
    return C_("assessment state", "Draft");
  if (g_strcmp0 (state, "in-progress") == 0)
    return C_("assessment state", "In progress");
  if (g_strcmp0 (state, "submitted") == 0)
    return C_("assessment state", "Submitted for recheck");
  if (g_strcmp0 (state, "returned") == 0)
    return C_("assessment state", "Returned for rework");
  if (g_strcmp0 (state, "approved") == 0)
    return C_("assessment state", "Approved");
  if (g_strcmp0 (state, "certified") == 0)
    return C_("assessment state", "Certified");
  return state;
}

const char *
at_gui_kind_label (AtKind kind)
{
  return kind == AT_KIND_SELF ? _("Self-assessment") : _("Third-party assessment");
}

const char *
at_gui_grade_label (AtGrade grade)
{
  switch (grade)
    {
    case AT_GRADE_MAJOR:       return C_("nonconformity grade", "Major");
    case AT_GRADE_MINOR:       return C_("nonconformity grade", "Minor");
    case AT_GRADE_OBSERVATION:
    default:                   return C_("nonconformity grade", "Observation");
    }
}

const char *
at_gui_nc_status_label (AtNcStatus status)
{
  switch (status)
    {
    case AT_NC_OPEN:      return C_("nonconformity status", "Open");
    case AT_NC_RESPONDED: return C_("nonconformity status", "Responded");
    case AT_NC_CLOSED:
    default:              return C_("nonconformity status", "Closed");
    }
}

const char *
at_gui_method_label (const char *method)
{
  if (g_strcmp0 (method, "document") == 0)
    return _("Document review");
  if (g_strcmp0 (method, "observation") == 0)
    return C_("assessment method", "Observation");
  if (g_strcmp0 (method, "interview") == 0)
    return _("Interview");
  if (g_strcmp0 (method, "demonstration") == 0)
    return _("Demonstration");
  return method;
}

const char *
at_gui_evidence_kind_label (AtEvidenceKind kind)
{
  switch (kind)
    {
    case AT_EVIDENCE_DOCUMENT: return _("Document");
    case AT_EVIDENCE_PHOTO:    return _("Photo");
    case AT_EVIDENCE_AUDIO:    return _("Recording");
    case AT_EVIDENCE_VIDEO:    return _("Video");
    case AT_EVIDENCE_OTHER:
    default:                   return _("Other file");
    }
}

const char *
at_gui_evidence_kind_icon (AtEvidenceKind kind)
{
  switch (kind)
    {
    case AT_EVIDENCE_DOCUMENT: return "x-office-document-symbolic";
    case AT_EVIDENCE_PHOTO:    return "image-x-generic-symbolic";
    case AT_EVIDENCE_AUDIO:    return "audio-x-generic-symbolic";
    case AT_EVIDENCE_VIDEO:    return "video-x-generic-symbolic";
    case AT_EVIDENCE_OTHER:
    default:                   return "text-x-generic-symbolic";
    }
}

char *
at_gui_roles_label (AtRoles roles)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (roles & AT_ROLE_ASSESSOR)
    g_ptr_array_add (names, (gpointer) _("Assessor"));
  if (roles & AT_ROLE_REVIEWER)
    g_ptr_array_add (names, (gpointer) _("Reviewer"));
  if (roles & AT_ROLE_ISSUER)
    g_ptr_array_add (names, (gpointer) _("Issuer"));
  if (roles & AT_ROLE_ORGANISATION)
    g_ptr_array_add (names, (gpointer) _("Organisation"));
  g_ptr_array_add (names, NULL);
  /* Translators: between role names, as in “Assessor, Reviewer” */
  return g_strjoinv (_(", "), (char **) names->pdata);
}

/* Catalog units are short codes written by whoever wrote the catalog; the ones the bundled
 * catalogs use read as words, any other is shown as written. */
char *
at_gui_unit_label (const char *unit)
{
  static const struct { const char *code; const char *label; } units[] = {
    { "%", N_("%") },
    { "s", N_("s") },
    { "min", N_("min") },
    { "h", N_("h") },
    { "d", N_("days") },
    { "wd", N_("working days") },
    { "month", N_("months") },
    { "times", N_("times") },
    { "CNY", N_("yuan") },
    { "chars/min", N_("characters per minute") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_strcmp0 (units[i].code, unit) == 0)
      return g_strdup (_(units[i].label));
  return g_strdup (unit ? unit : "");
}

static const char *
comparator_sign (AtComparator comparator)
{
  static const char * const signs[] = { "≥", "≤", ">", "<", "=" };
  return signs[comparator];
}

static char *
limit_text (const AtLimit *limit)
{
  g_autofree char *number = at_number_format (limit->limit);
  g_autofree char *unit = at_gui_unit_label (limit->unit);

  if (g_strcmp0 (limit->unit, "%") == 0)
    return g_strdup_printf ("%s %s %%", comparator_sign (limit->comparator), number);
  return g_strdup_printf ("%s %s %s", comparator_sign (limit->comparator), number, unit);
}

char *
at_gui_indicator_requirement (const AtIndicator *indicator)
{
  g_autofree char *limit = limit_text (&indicator->limit);

  switch (indicator->aggregate)
    {
    case AT_AGG_EACH:
      /* Translators: %s is a limit such as “≤ 15 min” that every sample must meet */
      return g_strdup_printf (_("every sample %s"), limit);
    case AT_AGG_MEAN:
      /* Translators: %s is a limit such as “≤ 2 min” for the mean of the samples */
      return g_strdup_printf (_("mean %s"), limit);
    case AT_AGG_SHARE:
      {
        g_autofree char *inner = indicator->has_sample ? limit_text (&indicator->sample) : g_strdup ("");
        /* Translators: “≥ 85 % of samples ≤ 15 s” */
        return g_strdup_printf (_("%s of samples %s"), limit, inner);
      }
    case AT_AGG_VALUE:
    default:
      return g_steal_pointer (&limit);
    }
}

char *
at_gui_indicator_result (const AtIndicator       *indicator,
                         const AtIndicatorResult *result)
{
  g_autofree char *value = NULL;
  g_autofree char *unit = NULL;

  if (!result->measured)
    return g_strdup (_("Not measured yet"));

  value = at_number_format (result->value);
  switch (indicator->aggregate)
    {
    case AT_AGG_SHARE:
      {
        g_autofree char *low = g_strdup_printf ("%.1f", result->wilson_low);
        g_autofree char *high = g_strdup_printf ("%.1f", result->wilson_high);
        /* Translators: a share of samples: “75 % (15 of 20) · 95 % interval 53.1–88.8 %” */
        return g_strdup_printf (_("%s %% (%u of %u) · 95 %% interval %s–%s %%"),
                                value, result->successes, result->n, low, high);
      }
    case AT_AGG_EACH:
      unit = at_gui_unit_label (indicator->limit.unit);
      /* Translators: “18 of 20 samples meet the limit; worst 22 s” */
      return g_strdup_printf (_("%u of %u samples meet the limit; worst %s %s"),
                              result->successes, result->n, value, unit);
    case AT_AGG_MEAN:
      unit = at_gui_unit_label (indicator->limit.unit);
      /* Translators: “mean 1.5 min of 12 samples” */
      return g_strdup_printf (_("mean %s %s of %u samples"), value, unit, result->n);
    case AT_AGG_VALUE:
    default:
      unit = at_gui_unit_label (indicator->limit.unit);
      if (g_strcmp0 (indicator->limit.unit, "%") == 0)
        return g_strdup_printf ("%s %%", value);
      return g_strdup_printf ("%s %s", value, unit);
    }
}

char *
at_gui_format_time (const char *iso8601)
{
  g_autoptr(GDateTime) utc = iso8601 ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso8601 ? iso8601 : "");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

AtLang
at_gui_lang (void)
{
  return at_lang_from_locale ();
}

const char *
at_gui_text (const AtText *text)
{
  const char *s = at_text_get (text, at_gui_lang ());

  return s ? s : "";
}


static gint64
member_int (JsonObject *o, const char *name)
{
  JsonNode *n = o && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64 ? json_node_get_int (n) : 0;
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = o && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : "";
}

char *
at_gui_measurement_source (const char *source_json)
{
  g_autoptr(JsonNode) node = source_json ? json_from_string (source_json, NULL) : NULL;
  JsonObject *src;
  GString *s;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  src = json_node_get_object (node);
  s = g_string_new (NULL);

  if (g_str_equal (member_string (src, "kind"), "transcript"))
    {
      JsonArray *files = json_object_has_member (src, "files") ? json_object_get_array_member (src, "files") : NULL;
      guint shown = 0;

      /* Translators: “3 transcripts checked against word list “forbidden-phrases”: 2 with a phrase of it” */
      g_string_append_printf (s, _("%u transcripts checked against word list “%s”: %u with a phrase of it"),
                              (guint) member_int (src, "calls"), member_string (src, "wordlist"),
                              (guint) member_int (src, "calls_with_hits"));
      for (guint i = 0; files && i < json_array_get_length (files); i++)
        {
          JsonObject *f = json_array_get_object_element (files, i);
          JsonArray *hits = json_object_has_member (f, "hits") ? json_object_get_array_member (f, "hits") : NULL;

          for (guint h = 0; hits && h < json_array_get_length (hits) && shown < 8; h++, shown++)
            {
              JsonObject *hit = json_array_get_object_element (hits, h);
              const char *at = member_string (hit, "at");
              g_autofree char *where = *at ? g_strdup (at)
                                           : g_strdup_printf (_("line %u"), (guint) member_int (hit, "line"));

              g_string_append_printf (s, "\n%s · %s · %u. %s", member_string (f, "file"), where,
                                      (guint) member_int (hit, "item"), member_string (hit, "part"));
            }
        }
      return g_string_free (s, FALSE);
    }

  /* Translators: “From calls.csv (SHA-256 7064…): column “等待时长”, 100000 of 100000 rows” */
  g_string_append_printf (s, _("From %s (SHA-256 %.12s…): column “%s”, %u of %u rows"),
                          member_string (src, "file"), member_string (src, "sha256"), member_string (src, "column"),
                          (guint) member_int (src, "rows_used"), (guint) member_int (src, "rows_total"));
  if (json_object_has_member (src, "sample") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (src, "sample")))
    {
      JsonObject *sample = json_object_get_object_member (src, "sample");
      /* Translators: “; a random sample of 100 in 16 strata, seed 42” */
      g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (sample, "seed"));
      g_string_append_printf (s, _("; a random sample of %u in %u strata, seed %s"),
                              (guint) member_int (sample, "n"),
                              json_object_has_member (sample, "strata_counts")
                                ? json_array_get_length (json_object_get_array_member (sample, "strata_counts")) : 1,
                              seed);
    }
  g_string_append (s, _(". Editing the samples replaces them."));
  return g_string_free (s, FALSE);
}
