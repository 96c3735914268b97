/* fuzz-glib.h — a GLib warning or critical reached from an input is a finding
 *
 * g_log_set_always_fatal() alone ends the process with SIGTRAP (GLib's G_BREAKPOINT), a signal
 * libFuzzer does not handle: the run counted a crash but kept no input to reproduce it. Here the
 * message is printed and the process aborts, which libFuzzer catches and saves as crash-… with
 * its stack. */
#pragma once

#include <stdlib.h>
#include <glib.h>

static GLogWriterOutput
fuzz_glib_writer (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static inline void
fuzz_glib_init (void)
{
  g_log_set_writer_func (fuzz_glib_writer, NULL, NULL);
}
