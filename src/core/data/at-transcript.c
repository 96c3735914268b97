/* at-transcript.c — call transcripts: plain text, SRT or WebVTT subtitles, as cues */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "at-decode.h"
#include "at-error.h"
#include "at-transcript.h"

void
at_cue_free (AtCue *cue)
{
  if (cue == NULL)
    return;
  g_free (cue->start);
  g_free (cue->text);
  g_free (cue);
}

const char *
at_transcript_format_to_string (AtTranscriptFormat format)
{
  switch (format)
    {
    case AT_TRANSCRIPT_TEXT: return "text";
    case AT_TRANSCRIPT_SRT: return "srt";
    case AT_TRANSCRIPT_VTT: return "vtt";
    default: g_return_val_if_reached (NULL);
    }
}

static gboolean
is_blank (const char *line)
{
  for (; *line; line++)
    if (!g_ascii_isspace (*line))
      return FALSE;
  return TRUE;
}

static gboolean
is_number_line (const char *line)
{
  const char *p = line;

  while (g_ascii_isspace (*p))
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  return is_blank (p);
}

static gboolean
take_digits (const char **p,
             guint        n)
{
  for (guint i = 0; i < n; i++, (*p)++)
    if (!g_ascii_isdigit (**p))
      return FALSE;
  return TRUE;
}

/* HH:MM:SS,mmm (SRT; a dot is tolerated) or [HH:]MM:SS.mmm (WebVTT, hours of any length) */
static gboolean
take_timestamp (const char **p,
                gboolean     vtt)
{
  const char *s = *p;
  guint fields = 0;

  for (;;)
    {
      const char *start = s;
      while (g_ascii_isdigit (*s))
        s++;
      if (s - start < 2)
        return FALSE;
      fields++;
      if (*s != ':')
        break;
      s++;
    }
  if (vtt ? (fields < 2 || fields > 3) : fields != 3)
    return FALSE;
  if (*s != '.' && !(*s == ',' && !vtt))
    return FALSE;
  s++;
  if (!take_digits (&s, 3))
    return FALSE;
  *p = s;
  return TRUE;
}

/* The start time, or NULL when @line is no timing line. */
static char *
parse_timing (const char *line,
              gboolean    vtt)
{
  const char *p = line;
  const char *start;
  g_autofree char *first = NULL;

  while (g_ascii_isspace (*p))
    p++;
  start = p;
  if (!take_timestamp (&p, vtt))
    return NULL;
  first = g_strndup (start, p - start);
  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_str_has_prefix (p, "-->"))
    return NULL;
  p += 3;
  while (*p == ' ' || *p == '\t')
    p++;
  if (!take_timestamp (&p, vtt))
    return NULL;
  /* WebVTT allows cue settings after the end time; SRT sometimes carries X1: coordinates */
  if (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r')
    return NULL;
  return g_steal_pointer (&first);
}

/* WebVTT text: <v Agent>…</v>, <c.loud>…</c>, <00:00:05.000> are markup, not speech */
static char *
strip_tags (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == '<')
        {
          const char *q = strchr (p, '>');
          if (q != NULL)
            {
              p = q;
              continue;
            }
        }
      if (*p == '&')
        {
          static const struct { const char *entity; const char *text; } entities[] = {
            { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&nbsp;", " " },
          };
          guint i;
          for (i = 0; i < G_N_ELEMENTS (entities); i++)
            if (g_str_has_prefix (p, entities[i].entity))
              break;
          if (i < G_N_ELEMENTS (entities))
            {
              g_string_append (out, entities[i].text);
              p += strlen (entities[i].entity) - 1;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
add_cue (GPtrArray  *cues,
         guint       line,
         const char *start,
         GString    *text,
         gboolean    vtt)
{
  AtCue *cue;

  if (text->len == 0)
    return;
  cue = g_new0 (AtCue, 1);
  cue->line = line;
  cue->start = g_strdup (start);
  cue->text = vtt ? strip_tags (text->str) : g_strdup (text->str);
  g_ptr_array_add (cues, cue);
  g_string_truncate (text, 0);
}

static gboolean
parse_subtitles (char       **lines,
                 gboolean     vtt,
                 GPtrArray   *cues,
                 GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint i = 0;
  guint n = g_strv_length (lines);

  if (vtt)
    {
      /* the header: WEBVTT and anything up to the first blank line */
      while (i < n && !is_blank (lines[i]))
        i++;
    }

  while (i < n)
    {
      g_autofree char *start = NULL;
      guint text_line;

      if (is_blank (lines[i]))
        {
          i++;
          continue;
        }
      if (vtt && (g_str_has_prefix (lines[i], "NOTE") || g_str_has_prefix (lines[i], "STYLE") ||
                  g_str_has_prefix (lines[i], "REGION")))
        {
          while (i < n && !is_blank (lines[i]))
            i++;
          continue;
        }

      start = parse_timing (lines[i], vtt);
      if (start == NULL)
        {
          /* a cue number (SRT) or identifier (WebVTT) stands before the timing */
          if (!vtt && !is_number_line (lines[i]))
            {
              g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                           _("line %u, column 1: “%s” is neither a subtitle number nor a timing like 00:00:01,000 --> 00:00:04,000"),
                           i + 1, g_strstrip (lines[i]));
              return FALSE;
            }
          i++;
          if (i >= n || !(start = parse_timing (lines[i], vtt)))
            {
              g_set_error (error, AT_ERROR, AT_ERROR_INVALID,
                           vtt ? _("line %u, column 1: “%s” is not a WebVTT timing like 00:01.000 --> 00:04.000")
                               : _("line %u, column 1: “%s” is not an SRT timing like 00:00:01,000 --> 00:00:04,000"),
                           MIN (i + 1, n), i < n ? g_strstrip (lines[i]) : "");
              return FALSE;
            }
        }
      i++;
      text_line = i + 1;
      while (i < n && !is_blank (lines[i]))
        {
          if (text->len > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, g_strstrip (lines[i]));
          i++;
        }
      add_cue (cues, text_line, start, text, vtt);
    }
  return TRUE;
}

GPtrArray *
at_transcript_parse (const char          *data,
                     gsize                len,
                     AtTranscriptFormat  *format,
                     const char         **encoding,
                     GError             **error)
{
  g_autoptr(GPtrArray) cues = g_ptr_array_new_with_free_func ((GDestroyNotify) at_cue_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize text_len = 0, bad = 0;
  guint first = 0;
  AtTranscriptFormat fmt = AT_TRANSCRIPT_TEXT;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the transcript is empty"));
      return NULL;
    }
  text = at_decode_text (data, len, NULL, encoding, &text_len, &bad, &local_error);
  if (text == NULL)
    {
      guint line, column;
      at_decode_position (data, bad, &line, &column);
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("line %u, column %u: %s"), line, column, local_error->message);
      return NULL;
    }

  /* one line per entry whatever the line ends: CRLF, LF, or a lone CR (old Mac exports) */
  {
    g_autoptr(GString) joined = g_string_sized_new (text_len);
    for (gsize i = 0; i < text_len; i++)
      {
        if (text[i] == '\r')
          {
            g_string_append_c (joined, '\n');
            if (i + 1 < text_len && text[i + 1] == '\n')
              i++;
          }
        else
          g_string_append_c (joined, text[i]);
      }
    g_free (text);
    text = g_string_free (g_steal_pointer (&joined), FALSE);
  }
  lines = g_strsplit (text, "\n", -1);

  while (lines[first] && is_blank (lines[first]))
    first++;
  if (lines[first] && g_str_has_prefix (lines[first], "WEBVTT") &&
      (lines[first][6] == '\0' || g_ascii_isspace (lines[first][6])))
    fmt = AT_TRANSCRIPT_VTT;
  else if (lines[first] && lines[first + 1] && is_number_line (lines[first]))
    {
      g_autofree char *start = parse_timing (lines[first + 1], FALSE);
      if (start != NULL)
        fmt = AT_TRANSCRIPT_SRT;
    }

  if (fmt == AT_TRANSCRIPT_TEXT)
    {
      for (guint i = 0; lines[i]; i++)
        if (!is_blank (lines[i]))
          {
            AtCue *cue = g_new0 (AtCue, 1);
            cue->line = i + 1;
            cue->text = g_strdup (g_strstrip (lines[i]));
            g_ptr_array_add (cues, cue);
          }
    }
  else if (!parse_subtitles (lines, fmt == AT_TRANSCRIPT_VTT, cues, error))
    return NULL;

  if (cues->len == 0)
    {
      g_set_error (error, AT_ERROR, AT_ERROR_INVALID, _("the transcript has no text"));
      return NULL;
    }
  *format = fmt;
  return g_steal_pointer (&cues);
}
