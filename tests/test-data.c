/* test-data.c — the data layer: CSV, XLSX, series and filters, stratified samples, transcripts,
 * word lists. XLSX files are built here with libarchive's ZIP writer, so each test says exactly
 * which parts a workbook has (including hostile ones). */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <math.h>
#include <string.h>

#include "at-core.h"

static AtTable *
csv (const char *text, GError **error)
{
  return at_csv_read (text, strlen (text), NULL, error);
}

static void
assert_error_has (GError *error, const char *part)
{
  g_assert_nonnull (error);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, part);
}

static void
test_csv_basic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtTable) t = csv ("id,team,wait\r\n1,A,\"0:12\"\r\n\r\n2,\"B, east\",\"say \"\"hi\"\"\"\n3,\"two\nlines\",7", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (at_table_get_n_columns (t), ==, 3);
  g_assert_cmpuint (at_table_get_n_rows (t), ==, 3);
  g_assert_cmpstr (at_table_get_header (t, 2), ==, "wait");
  g_assert_cmpstr (at_table_get_cell (t, 0, 2), ==, "0:12");
  g_assert_cmpstr (at_table_get_cell (t, 1, 1), ==, "B, east");
  g_assert_cmpstr (at_table_get_cell (t, 1, 2), ==, "say \"hi\"");
  g_assert_cmpstr (at_table_get_cell (t, 2, 1), ==, "two\nlines");
  /* the blank line 3 is no row, but row numbers are the file's */
  g_assert_cmpuint (at_table_get_row_number (t, 0), ==, 2);
  g_assert_cmpuint (at_table_get_row_number (t, 1), ==, 4);
  g_assert_cmpint (at_table_find_column (t, "WAIT"), ==, 2);
  g_assert_cmpint (at_table_find_column (t, "B"), ==, 1);
  g_assert_cmpint (at_table_find_column (t, "nope"), ==, -1);
  g_assert_cmpstr (at_table_get_encoding (t), ==, "UTF-8");
  g_assert_cmpint (at_table_get_delimiter (t), ==, ',');
}

static void
test_csv_delimiters (void)
{
  const char *texts[] = { "a;b;c\n1;2,5;3\n", "a\tb\tc\n1\t2,5\t3\n", "a|b|c\n1|2,5|3\n" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AtTable) t = csv (texts[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (at_table_get_n_columns (t), ==, 3);
      g_assert_cmpstr (at_table_get_cell (t, 0, 1), ==, "2,5");
    }
}

static void
test_csv_gb18030 (void)
{
  const char *utf8 = "\xef\xbb\xbf班组,等待\n一组,12\n二组|东,3\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *gb = g_convert (utf8 + 3, -1, "GB18030", "UTF-8", NULL, NULL, &error);
  g_autoptr(AtTable) t = NULL;
  g_autoptr(AtTable) u = NULL;

  g_assert_no_error (error);
  t = at_csv_read (gb, strlen (gb), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_table_get_encoding (t), ==, "GB18030");
  g_assert_cmpstr (at_table_get_header (t, 0), ==, "班组");
  g_assert_cmpstr (at_table_get_cell (t, 1, 0), ==, "二组|东");

  /* the byte-order mark is dropped */
  u = at_csv_read (utf8, strlen (utf8), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (at_table_get_header (u, 0), ==, "班组");
  g_assert_cmpstr (at_table_get_encoding (u), ==, "UTF-8");
}

static void
test_csv_malformed (void)
{
  struct { const char *text; gsize len; const char *part; } cases[] = {
    { "a,b\n1,2\n3,x\"y\"z\n", 0, "row 3, column B: a quote" },
    { "a,b\n1,\"2\"x\n", 0, "row 2, column B" },
    { "a,b\n1,\"open\n2,3\n", 0, "never closed" },
    { "a,b\n1,2,3\n", 0, "row 2, column C: a value beyond the header's 2 columns" },
    { "a,b\n1,caf\xe9,\n", 0, "row 2, column 2: byte 0xE9 is neither UTF-8 nor GB18030" },
    { "\xff\xfe" "a\0,\0b\0", 8, "UTF-16" },
    { "", 0, "empty" },
    { "\n\n", 0, "no header" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AtTable) t = at_csv_read (cases[i].text, cases[i].len ? cases[i].len : strlen (cases[i].text), NULL, &error);

      g_assert_null (t);
      g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
      assert_error_has (error, cases[i].part);
    }
}

/* ------------------------------------------------------------------------------------------ */

static AtSeries *
extract (AtTable *t, const char *column, AtConvert convert, const char * const *filters, GError **error)
{
  AtSeriesSpec spec = { .column = column, .convert = convert, .filters = filters };
  return at_series_extract (t, &spec, error);
}

static void
test_series (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtTable) t = csv ("when,queue,wait,ms\n"
                              "2026-03-01 08:00:00,10000,0:12,1500\n"
                              "2026/3/31 23:59,10000,1:05,\n"
                              "2026-04-01 00:00:00,10000,0:03,20\n"
                              "2026-03-15 10:00:00,宽带,0:30,7\n"
                              "2026-03-16 10:00:00,10000,,8\n", &error);
  const char *march[] = { "when>=2026-03-01", "when<=2026-03-31", "queue=10000", NULL };
  g_autoptr(AtSeries) s = NULL;
  g_autoptr(AtSeries) ms = NULL;

  g_assert_no_error (error);
  s = extract (t, "wait", AT_CONVERT_CLOCK, march, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->values->len, ==, 2);
  g_assert_cmpfloat (g_array_index (s->values, double, 0), ==, 12);
  g_assert_cmpfloat (g_array_index (s->values, double, 1), ==, 65);
  g_assert_cmpuint (g_array_index (s->rows, guint, 1), ==, 3);
  g_assert_cmpuint (s->rows_total, ==, 5);
  g_assert_cmpuint (s->rows_matched, ==, 3);
  g_assert_cmpuint (s->rows_blank, ==, 1);

  ms = extract (t, "ms", AT_CONVERT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ms->values->len, ==, 4);
  g_assert_cmpfloat (fabs (g_array_index (ms->values, double, 0) - 1.5), <, 1e-9);
}

static void
test_series_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtTable) t = csv ("id,wait\n1,12\n2,twelve\n", &error);
  const char *bad_filter[] = { "wait~3", NULL };
  const char *no_column[] = { "queue=1", NULL };
  AtSeries *s;

  g_assert_no_error (error);
  s = extract (t, "wait", AT_CONVERT_NONE, NULL, &error);
  g_assert_null (s);
  assert_error_has (error, "row 3, column “wait” (B): “twelve” is not a number");
  g_clear_error (&error);

  s = extract (t, "wait", AT_CONVERT_CLOCK, NULL, &error);
  assert_error_has (error, "row 3, column “wait” (B): “twelve” is not a time");
  g_clear_error (&error);

  s = extract (t, "duration", AT_CONVERT_NONE, NULL, &error);
  assert_error_has (error, "no column “duration”; its columns are “id”, “wait”");
  g_clear_error (&error);

  s = extract (t, "wait", AT_CONVERT_NONE, bad_filter, &error);
  assert_error_has (error, "is not COLUMN=VALUE");
  g_clear_error (&error);

  s = extract (t, "wait", AT_CONVERT_NONE, no_column, &error);
  assert_error_has (error, "names a column “queue”");
  g_clear_error (&error);

  /* rows the filters leave out are not checked */
  {
    const char *only_first[] = { "id=1", NULL };
    g_autoptr(AtSeries) ok = extract (t, "wait", AT_CONVERT_NONE, only_first, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ok->values->len, ==, 1);
  }
}

static void
test_clock (void)
{
  struct { const char *text; double seconds; gboolean ok; } cases[] = {
    { "0:12", 12, TRUE }, { "1:05", 65, TRUE }, { "75:30", 4530, TRUE }, { "1:02:03", 3723, TRUE },
    { " 0:00:12.5 ", 12.5, TRUE }, { "14", 14, TRUE }, { "1:60", 0, FALSE }, { "1:2:3:4", 0, FALSE },
    { "a:12", 0, FALSE }, { "1:-2", 0, FALSE }, { "", 0, FALSE }, { ":", 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double v = -1;
      g_assert_cmpint (at_convert_apply (AT_CONVERT_CLOCK, cases[i].text, &v), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpfloat (v, ==, cases[i].seconds);
    }
}

/* ------------------------------------------------------------------------------------------ */

static AtTable *
call_list (guint n)
{
  static const char * const teams[] = { "一组", "二组", "三组" };
  g_autoptr(GString) text = g_string_new ("id,team,start,wait\n");
  g_autoptr(GError) error = NULL;
  AtTable *t;

  /* team sizes 60 %, 30 %, 10 %; hours and days spread over a fortnight */
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%u,%s,2026-03-%02u %02u:%02u:00,%u\n", i + 1,
                            teams[i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2], 1 + i % 14, (i * 7) % 24, i % 60, i % 40);
  t = at_csv_read (text->str, text->len, NULL, &error);
  g_assert_no_error (error);
  return t;
}

static AtSeries *
draw (AtTable *t, guint n, const char * const *strata, guint64 seed)
{
  g_autoptr(GError) error = NULL;
  AtSeriesSpec spec = { .column = "wait", .sample = n, .strata = strata, .has_seed = TRUE, .seed = seed };
  AtSeries *s = at_series_extract (t, &spec, &error);

  g_assert_no_error (error);
  return s;
}

static void
test_sample_reproducible (void)
{
  g_autoptr(AtTable) t = call_list (1000);
  const char *strata[] = { "team", "start:band", "start:daytype", NULL };
  g_autoptr(AtSeries) a = draw (t, 100, strata, 42);
  g_autoptr(AtSeries) b = draw (t, 100, strata, 42);
  g_autoptr(AtSeries) c = draw (t, 100, strata, 43);
  guint total = 0;

  g_assert_cmpuint (a->values->len, ==, 100);
  g_assert_cmpmem (a->rows->data, a->rows->len * sizeof (guint), b->rows->data, b->rows->len * sizeof (guint));
  g_assert_false (memcmp (a->rows->data, c->rows->data, 100 * sizeof (guint)) == 0);
  g_assert_true (a->sampled);
  g_assert_cmpuint (a->seed, ==, 42);

  /* every stratum is drawn from, and no more often than it has members */
  for (guint i = 0; i < a->strata->len; i++)
    {
      AtStratum *s = &g_array_index (a->strata, AtStratum, i);
      g_assert_cmpuint (s->drawn, >=, 1);
      g_assert_cmpuint (s->drawn, <=, s->population);
      total += s->drawn;
    }
  g_assert_cmpuint (total, ==, 100);
  /* rows ascend: the sample is in file order */
  for (guint i = 1; i < a->rows->len; i++)
    g_assert_cmpuint (g_array_index (a->rows, guint, i - 1), <, g_array_index (a->rows, guint, i));

  /* the same 53-bit seed draws the same rows from the generator, whatever machine */
  {
    AtRandom rng;
    at_random_init (&rng, 0);
    g_assert_cmpuint (at_random_next (&rng), ==, G_GUINT64_CONSTANT (11091344671253066420));
  }
}

static void
test_sample_proportional (void)
{
  g_autoptr(AtTable) t = call_list (1000);
  const char *strata[] = { "team", NULL };
  g_autoptr(AtSeries) s = draw (t, 100, strata, 7);
  guint expected[] = { 60, 10, 30 };   /* 一组, 三组, 二组: strata sort by their UTF-8 bytes */
  g_autoptr(GHashTable) drawn_rows = g_hash_table_new (g_direct_hash, g_direct_equal);

  g_assert_cmpuint (s->strata->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (g_array_index (s->strata, AtStratum, i).drawn, ==, expected[i]);

  /* the drawn rows really belong to their strata: count teams among them */
  {
    guint per_team[3] = { 0 };
    for (guint i = 0; i < s->rows->len; i++)
      {
        guint row = g_array_index (s->rows, guint, i) - 2;
        const char *team = at_table_get_cell (t, row, 1);
        per_team[g_str_equal (team, "一组") ? 0 : g_str_equal (team, "二组") ? 1 : 2]++;
        g_assert_false (g_hash_table_contains (drawn_rows, GUINT_TO_POINTER (row + 1)));
        g_hash_table_add (drawn_rows, GUINT_TO_POINTER (row + 1));
      }
    g_assert_cmpuint (per_team[0], ==, 60);
    g_assert_cmpuint (per_team[1], ==, 30);
    g_assert_cmpuint (per_team[2], ==, 10);
  }
}

static void
test_sample_edges (void)
{
  g_autoptr(AtTable) t = call_list (50);
  const char *hours[] = { "start:hour", NULL };
  g_autoptr(AtSeries) all = draw (t, 500, NULL, 1);
  g_autoptr(AtSeries) few = draw (t, 5, hours, 1);
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "team:hour", NULL };
  AtSeriesSpec spec = { .column = "wait", .sample = 5, .strata = bad, .has_seed = TRUE };

  /* more asked than there are: all of them */
  g_assert_cmpuint (all->values->len, ==, 50);
  /* fewer than strata: N in all, the largest strata first */
  g_assert_cmpuint (few->values->len, ==, 5);

  g_assert_null (at_series_extract (t, &spec, &error));
  assert_error_has (error, "row 2, column “team” (B): “一组” is not a date and time");
}

/* ------------------------------------------------------------------------------------------ */

typedef struct { const char *name; const char *data; gsize len; } Part;

static GBytes *
zip (const Part *parts, guint n)
{
  struct archive *a = archive_write_new ();
  g_autofree char *buf = g_malloc (64 * 1024 * 1024);
  size_t used = 0;

  archive_write_set_format_zip (a);
  g_assert_cmpint (archive_write_open_memory (a, buf, 64 * 1024 * 1024, &used), ==, ARCHIVE_OK);
  for (guint i = 0; i < n; i++)
    {
      struct archive_entry *e = archive_entry_new ();
      gsize len = parts[i].len ? parts[i].len : strlen (parts[i].data);

      archive_entry_set_pathname (e, parts[i].name);
      archive_entry_set_filetype (e, AE_IFREG);
      archive_entry_set_perm (e, 0644);
      archive_entry_set_size (e, len);
      g_assert_cmpint (archive_write_header (a, e), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, parts[i].data, len), ==, (la_ssize_t) len);
      archive_entry_free (e);
    }
  archive_write_close (a);
  archive_write_free (a);
  return g_bytes_new (buf, used);
}

#define WORKBOOK "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>" \
  "<sheet name=\"话单\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" " \
  "Target=\"worksheets/sheet1.xml\"/></Relationships>"
#define STYLES "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
  "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd hh:mm:ss\"/></numFmts>" \
  "<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"45\"/></cellXfs></styleSheet>"
#define SHARED "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
  "<si><t>班组</t></si><si><t>来电时间</t></si><si><t>等待</t></si><si><r><t>一</t></r><r><t>组</t></r>" \
  "<rPh><t>いち</t></rPh></si></sst>"

static AtTable *
xlsx (const char *sheet, GError **error)
{
  Part parts[] = {
    { "[Content_Types].xml", "<Types/>" }, { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS },
    { "xl/styles.xml", STYLES }, { "xl/sharedStrings.xml", SHARED }, { "xl/worksheets/sheet1.xml", sheet },
  };
  g_autoptr(GBytes) bytes = zip (parts, G_N_ELEMENTS (parts));

  return at_table_read_bytes (bytes, "calls.xlsx", NULL, error);
}

#define SHEET(rows) "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
  "<sheetData>" rows "</sheetData></worksheet>"

static void
test_xlsx (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtTable) t = xlsx (SHEET ("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                                      "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
                                      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\" s=\"1\"><v>46082.5</v></c>"
                                      "<c r=\"C2\" s=\"2\"><v>0.000138888888888889</v></c></row>"
                                      "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>二组</t></is></c>"
                                      "<c r=\"C4\"><v>7</v></c></row>"
                                      "<row r=\"5\"><c r=\"A5\" s=\"0\"/></row>"), &error);
  g_autoptr(AtSeries) s = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (at_table_get_format (t), ==, "xlsx");
  g_assert_cmpstr (at_table_get_sheet (t), ==, "话单");
  g_assert_cmpuint (at_table_get_n_rows (t), ==, 2);
  g_assert_cmpstr (at_table_get_header (t, 1), ==, "来电时间");
  g_assert_cmpstr (at_table_get_cell (t, 0, 0), ==, "一组");
  g_assert_cmpstr (at_table_get_cell (t, 0, 1), ==, "2026-03-01 12:00:00");
  g_assert_cmpstr (at_table_get_cell (t, 0, 2), ==, "0:00:12");
  g_assert_cmpstr (at_table_get_cell (t, 1, 0), ==, "二组");
  g_assert_cmpstr (at_table_get_cell (t, 1, 1), ==, "");
  g_assert_cmpuint (at_table_get_row_number (t, 1), ==, 4);

  s = extract (t, "等待", AT_CONVERT_CLOCK, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (g_array_index (s->values, double, 0), ==, 12);
  g_assert_cmpfloat (g_array_index (s->values, double, 1), ==, 7);
}

static void
test_xlsx_malformed (void)
{
  struct { const char *sheet; const char *part; } cases[] = {
    { SHEET ("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row>"), "row 1, column A: the cell refers to shared text 9" },
    { SHEET ("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1\"/>"), "the sheet is damaged" },
    { SHEET ("<row r=\"1\"><c r=\"B7\"><v>1</v></c></row>"), "row 1: the cell reference “B7” does not belong" },
    { SHEET ("<row r=\"1\"><c r=\"A1\"><v>1</v></row>"), "not well-formed XML (line 1)" },
    { "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet/>", "declares a document type" },
    { SHEET (""), "no header" },
    { "", "not well-formed XML" },   /* an empty sheet part (fuzz-xlsx) */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AtTable) t = xlsx (cases[i].sheet, &error);

      g_assert_null (t);
      g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
      assert_error_has (error, cases[i].part);
    }
}

static void
test_xlsx_bombs (void)
{
  gsize big = 40 * 1024 * 1024;
  g_autofree char *zeros = g_malloc0 (big);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtTable) t = NULL;

  memset (zeros, ' ', big);
  {
    /* 40 MiB of blanks pack to a few dozen kilobytes: a ratio far beyond any workbook's */
    Part parts[] = {
      { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS },
      { "xl/worksheets/sheet1.xml", zeros, big },
    };
    g_autoptr(GBytes) bytes = zip (parts, G_N_ELEMENTS (parts));

    g_assert_cmpuint (g_bytes_get_size (bytes), <, big / 200);
    t = at_table_read_bytes (bytes, "bomb.xlsx", NULL, &error);
    g_assert_null (t);
    assert_error_has (error, "refused as a ZIP bomb");
    g_clear_error (&error);
  }
  {
    /* a ZIP that is no workbook */
    Part parts[] = { { "word/document.xml", "<w/>" } };
    g_autoptr(GBytes) bytes = zip (parts, 1);

    t = at_table_read_bytes (bytes, "letter.docx", NULL, &error);
    g_assert_null (t);
    assert_error_has (error, "it has no part xl/workbook.xml");
    g_clear_error (&error);
  }
  {
    /* truncated in the middle */
    Part parts[] = { { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS } };
    g_autoptr(GBytes) bytes = zip (parts, 2);
    g_autoptr(GBytes) half = g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) / 2);

    t = at_table_read_bytes (half, "cut.xlsx", NULL, &error);
    g_assert_null (t);
    g_assert_error (error, AT_ERROR, AT_ERROR_INVALID);
  }
}

/* ------------------------------------------------------------------------------------------ */

static GPtrArray *
transcript (const char *text, AtTranscriptFormat *format, GError **error)
{
  const char *encoding;
  return at_transcript_parse (text, strlen (text), format, &encoding, error);
}

static void
test_transcripts (void)
{
  g_autoptr(GError) error = NULL;
  AtTranscriptFormat format;
  g_autoptr(GPtrArray) srt = transcript ("1\r\n00:00:01,000 --> 00:00:03,500\r\n您好，\r\n请讲。\r\n\r\n"
                                         "2\r\n00:00:04,000 --> 00:00:06,000\r\n再见\r\n", &format, &error);
  g_autoptr(GPtrArray) vtt = NULL;
  g_autoptr(GPtrArray) txt = NULL;
  AtCue *cue;

  g_assert_no_error (error);
  g_assert_cmpint (format, ==, AT_TRANSCRIPT_SRT);
  g_assert_cmpuint (srt->len, ==, 2);
  cue = srt->pdata[0];
  g_assert_cmpstr (cue->start, ==, "00:00:01,000");
  g_assert_cmpstr (cue->text, ==, "您好， 请讲。");
  g_assert_cmpuint (cue->line, ==, 3);

  vtt = transcript ("WEBVTT - call 17\n\nNOTE agent first\n\nintro\n00:01.000 --> 00:02.500 align:start\n"
                    "<v 坐席>您好&amp;欢迎</v>\n\n00:03.000 --> 00:04.000\n<c.loud>请讲</c>\n", &format, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, AT_TRANSCRIPT_VTT);
  g_assert_cmpuint (vtt->len, ==, 2);
  cue = vtt->pdata[0];
  g_assert_cmpstr (cue->start, ==, "00:01.000");
  g_assert_cmpstr (cue->text, ==, "您好&欢迎");
  g_assert_cmpuint (cue->line, ==, 7);

  txt = transcript ("坐席：您好\n\n客户：我要投诉\n", &format, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, AT_TRANSCRIPT_TEXT);
  g_assert_cmpuint (txt->len, ==, 2);
  g_assert_cmpuint (((AtCue *) txt->pdata[1])->line, ==, 3);
  g_assert_null (((AtCue *) txt->pdata[1])->start);

  g_assert_null (transcript ("1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:03 --> 00:00:04\nho\n", &format, &error));
  assert_error_has (error, "line 6, column 1: “00:00:03 --> 00:00:04” is not an SRT timing");
  g_clear_error (&error);
  g_assert_null (transcript ("WEBVTT\n\nabc\nnot a timing\n", &format, &error));
  assert_error_has (error, "line 4, column 1");
  g_clear_error (&error);
  g_assert_null (transcript ("  \n\n", &format, &error));
  assert_error_has (error, "no text");
}

static char **
phrases (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "cthl-forbidden-phrases.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (*lines[i] != '\0' && *lines[i] != '#')
      g_strv_builder_add (b, lines[i]);
  return g_strv_builder_end (b);
}

/* What an agent might have said: the phrase with full-width marks, a space, 你 for 您 and back,
 * inside a longer line. */
static char *
spoken (const char *part)
{
  g_autofree char *wide = NULL;
  GString *s = g_string_new ("嗯，");

  for (const char *p = part; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == ',')
        g_string_append (s, "， ");
      else if (c == '!')
        g_string_append (s, "！");
      else if (c == '?')
        g_string_append (s, "？");
      else if (c == 0x4f60)
        g_string_append (s, "您");
      else if (c == 0x60a8)
        g_string_append (s, "你");
      else
        g_string_append_unichar (s, c);
    }
  g_string_append (s, "那个");
  return g_string_free (s, FALSE);
}

static void
test_wordlist (void)
{
  g_auto(GStrv) items = phrases ();
  g_autoptr(AtWordlist) wl = NULL;
  guint per_item[64] = { 0 };
  const char *clean[] = {
    "您好，中国电信10000号，请问有什么可以帮您？", "请您稍等，我帮您查询一下。", "感谢您的来电，祝您生活愉快，再见。",
    "您的问题我已经记录，维修人员会尽快与您联系。", "请您重启一下光猫再试。", "好的，这边为您办理。",
  };

  g_assert_cmpuint (g_strv_length (items), ==, 46);
  wl = at_wordlist_new ((const char * const *) items);

  /* every part of every item is found alone, in the item it belongs to */
  for (guint i = 0; i < at_wordlist_get_n_patterns (wl); i++)
    {
      guint item;
      const char *part = at_wordlist_get_pattern (wl, i, &item);
      g_autofree char *line = spoken (part);
      g_autoptr(GArray) hits = at_wordlist_match (wl, line);

      per_item[item]++;
      g_assert_cmpuint (hits->len, >=, 1);
      {
        gboolean found = FALSE;
        for (guint h = 0; h < hits->len; h++)
          found |= g_array_index (hits, AtWordHit, h).item == item;
        if (!found)
          g_error ("“%s” (item %u) is not found in “%s”", part, item, line);
      }
    }
  for (guint i = 1; i <= 46; i++)
    g_assert_cmpuint (per_item[i], >=, 1);
  /* the variants joined by 或: two ways each */
  g_assert_cmpuint (per_item[3], ==, 2);
  g_assert_cmpuint (per_item[5], ==, 2);
  g_assert_cmpuint (per_item[8], ==, 2);
  g_assert_cmpuint (per_item[9], ==, 2);
  g_assert_cmpuint (per_item[20], ==, 2);
  g_assert_cmpuint (per_item[38], ==, 2);
  /* (绝对) may be said or not; item 34's two sentences; item 1's two short ones stay together */
  g_assert_cmpuint (per_item[14], ==, 2);
  g_assert_cmpuint (per_item[34], ==, 2);
  g_assert_cmpuint (per_item[1], ==, 1);

  {
    g_autoptr(GArray) a = at_wordlist_match (wl, "我们的电脑是不会出错的");
    g_autoptr(GArray) b = at_wordlist_match (wl, "我们的电脑是绝对不会出错的！");
    g_autoptr(GArray) c = at_wordlist_match (wl, "刚才的电话不是我接的");
    g_autoptr(GArray) d = at_wordlist_match (wl, "ＷＯ：你 有 完 没 完 ？");
    g_assert_cmpuint (a->len, ==, 1);
    g_assert_cmpuint (b->len, ==, 1);
    g_assert_cmpuint (c->len, ==, 1);
    g_assert_cmpuint (g_array_index (c, AtWordHit, 0).item, ==, 34);
    g_assert_cmpuint (d->len, ==, 1);
    g_assert_cmpuint (g_array_index (d, AtWordHit, 0).item, ==, 13);
  }

  for (guint i = 0; i < G_N_ELEMENTS (clean); i++)
    {
      g_autoptr(GArray) hits = at_wordlist_match (wl, clean[i]);
      if (hits->len > 0)
        g_error ("“%s” matched item %u", clean[i], g_array_index (hits, AtWordHit, 0).item);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/csv/basic", test_csv_basic);
  g_test_add_func ("/data/csv/delimiters", test_csv_delimiters);
  g_test_add_func ("/data/csv/gb18030", test_csv_gb18030);
  g_test_add_func ("/data/csv/malformed", test_csv_malformed);
  g_test_add_func ("/data/series/filters", test_series);
  g_test_add_func ("/data/series/errors", test_series_errors);
  g_test_add_func ("/data/series/clock", test_clock);
  g_test_add_func ("/data/sample/reproducible", test_sample_reproducible);
  g_test_add_func ("/data/sample/proportional", test_sample_proportional);
  g_test_add_func ("/data/sample/edges", test_sample_edges);
  g_test_add_func ("/data/xlsx/read", test_xlsx);
  g_test_add_func ("/data/xlsx/malformed", test_xlsx_malformed);
  g_test_add_func ("/data/xlsx/bombs", test_xlsx_bombs);
  g_test_add_func ("/data/transcript/formats", test_transcripts);
  g_test_add_func ("/data/wordlist/phrases", test_wordlist);

  return g_test_run ();
}
