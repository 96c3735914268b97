/* at-transcript.h — call transcripts: plain text, SRT or WebVTT subtitles, as cues */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  AT_TRANSCRIPT_TEXT,
  AT_TRANSCRIPT_SRT,
  AT_TRANSCRIPT_VTT,
} AtTranscriptFormat;

/* One line of a text transcript, or one subtitle cue. */
typedef struct
{
  guint  line;    /* where its text starts in the file, 1-based */
  char  *start;   /* the cue's start time as the file writes it; NULL in plain text */
  char  *text;    /* its text, lines joined by a space, WebVTT tags removed */
} AtCue;

void        at_cue_free                   (AtCue *cue);
const char *at_transcript_format_to_string (AtTranscriptFormat format);

/* Reads @data (UTF-8 or GB18030). The format is told by content: “WEBVTT” first is WebVTT,
 * numbered blocks with “-->” timings are SRT, anything else is text. A malformed timing line
 * is an error that names its line. */
GPtrArray  *at_transcript_parse (const char          *data,
                                 gsize                len,
                                 AtTranscriptFormat  *format,
                                 const char         **encoding,
                                 GError             **error);

G_END_DECLS
