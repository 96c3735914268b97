/* fuzz-xlsx.c — libFuzzer target for at_xlsx_read (libarchive's ZIP reader, libxml2) and the
 * series taken from the sheet.
 *
 * The first byte chooses how the rest is handed over: bit 0 clear, it is the workbook file as it
 * is (the ZIP layer, the limits); bit 0 set, it is a sheet's XML, then optionally a NUL byte and
 * the shared strings' XML, which the harness packs (stored, uncompressed) with a fixed workbook,
 * relationships and styles — mutations of compressed parts rarely inflate, so this is how they
 * reach the XML readers. See README.md.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "fuzz-data.h"

#define WORKBOOK "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><workbookPr date1904=\"0\"/><sheets>" \
  "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
  "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
#define STYLES "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
  "<numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm\"/><numFmt numFmtId=\"165\" formatCode=\"[h]:mm:ss\"/>" \
  "</numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>"

static void
add_part (struct archive *a,
          const char     *name,
          const void     *data,
          size_t          len)
{
  struct archive_entry *e = archive_entry_new ();

  archive_entry_set_pathname (e, name);
  archive_entry_set_filetype (e, AE_IFREG);
  archive_entry_set_perm (e, 0644);
  archive_entry_set_size (e, len);
  archive_write_header (a, e);
  archive_write_data (a, data, len);
  archive_entry_free (e);
}

static GBytes *
pack (const uint8_t *data,
      size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  size_t sheet_len = nul ? (size_t) (nul - data) : size;
  gsize capacity = size + 64 * 1024;
  char *buf = g_malloc (capacity);
  size_t used = 0;
  struct archive *a = archive_write_new ();

  archive_write_set_format_zip (a);
  archive_write_zip_set_compression_store (a);
  archive_write_open_memory (a, buf, capacity, &used);
  add_part (a, "xl/workbook.xml", WORKBOOK, strlen (WORKBOOK));
  add_part (a, "xl/_rels/workbook.xml.rels", RELS, strlen (RELS));
  add_part (a, "xl/styles.xml", STYLES, strlen (STYLES));
  add_part (a, "xl/worksheets/sheet1.xml", data, sheet_len);
  if (nul != NULL)
    add_part (a, "xl/sharedStrings.xml", nul + 1, size - sheet_len - 1);
  archive_write_close (a);
  archive_write_free (a);
  return g_bytes_new_take (buf, used);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_data_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtTable) table = NULL;
  g_autoptr(GBytes) packed = NULL;

  if (size < 1)
    return 0;
  if (data[0] & 1)
    {
      packed = pack (data + 1, size - 1);
      table = at_xlsx_read (g_bytes_get_data (packed, NULL), g_bytes_get_size (packed), &error);
    }
  else
    table = at_xlsx_read (data + 1, size - 1, &error);

  g_assert ((table == NULL) == (error != NULL));
  if (table != NULL)
    fuzz_exercise_table (table);
  return 0;
}
