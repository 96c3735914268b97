/* fuzz-evidence-sniff.c — libFuzzer target for what an ingest reads inside evidence files
 *
 * Evidence comes from anywhere (a phone, a customer's share); while a file is copied and
 * hashed, its first bytes decide its kind and a photo's EXIF block (libexif) gives the time it
 * was taken. The first byte of an input picks the file name (the extension counts in the
 * guess) and the chunk size the bytes are fed in (an ingest feeds 1 MiB chunks; smaller ones
 * test the EXIF reader across chunk boundaries). A date that comes out is ISO 8601 local time.
 */
#include "config.h"

#include <stdint.h>

#include "fuzz-glib.h"
#include "at-core.h"
#include "at-evidence-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_glib_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char * const names[] = { "photo.jpg", "scan.png", "evidence", "report.pdf" };
  static const gsize chunks[] = { 1024 * 1024, 1, 7, 4096 };
  g_autoptr(AtEvidenceSniff) sniff = NULL;
  g_autofree char *captured_at = NULL;
  AtEvidenceKind kind;
  gsize chunk;

  if (size < 1)
    return 0;
  /* bit 4: the kind was given (--kind photo), so a file of any content goes to the EXIF reader */
  sniff = _at_evidence_sniff_new (names[data[0] & 3], (data[0] & 16) != 0, AT_EVIDENCE_PHOTO);
  chunk = chunks[(data[0] >> 2) & 3];
  for (gsize at = 1; at < size; at += chunk)
    _at_evidence_sniff_feed (sniff, data + at, MIN (chunk, size - at));
  kind = _at_evidence_sniff_finish (sniff, &captured_at);

  g_assert (kind >= AT_EVIDENCE_DOCUMENT && kind <= AT_EVIDENCE_OTHER);
  if (captured_at != NULL)
    {
      /* YYYY-MM-DDTHH:MM:SS, a real date */
      g_autoptr(GDateTime) t = NULL;
      g_autofree char *with_zone = g_strconcat (captured_at, "Z", NULL);

      g_assert_cmpuint (strlen (captured_at), ==, 19);
      t = g_date_time_new_from_iso8601 (with_zone, NULL);
      g_assert (t != NULL);
    }
  return 0;
}
