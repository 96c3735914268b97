#!/bin/sh
# Usage: tests/fuzz/make-data-corpus.sh CORPUS_DIR
# Seeds the data-layer fuzzers with real files from tests/cli/calldata.py: CORPUS_DIR/csv (call
# records in GB18030 and UTF-8, quoted fields), CORPUS_DIR/xlsx (workbooks written by openpyxl,
# with inline and with shared strings, dates and durations) and CORPUS_DIR/transcript (text, SRT
# and WebVTT, clean and with forbidden phrases; some with a word list before a NUL byte).
set -eu
corpus=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 "$src/tests/cli/calldata.py" "$tmp" 120
mkdir -p "$corpus/csv" "$corpus/xlsx" "$corpus/transcript"
# the CSV harness's first byte names the encoding: 0 none, 1 UTF-8, 2 GB18030
{ printf '\000'; cat "$tmp/calls.csv"; } > "$corpus/csv/calls-gb18030"
{ printf '\002'; head -c 4000 "$tmp/calls.csv"; } > "$corpus/csv/calls-gb18030-named"
{ printf '\001'; cat "$tmp/calls-utf8.csv"; } > "$corpus/csv/calls-utf8-semicolon"
printf '\000id\twait\tteam\n1\t0:12\t"A\tB"\n2\t\t"say ""hi"""\n' > "$corpus/csv/tabs"
# the XLSX harness's first byte: bit 0 clear = the workbook as is, set = the sheet's XML, then
# optionally a NUL byte and the shared strings' XML (the harness packs them into a workbook)
/usr/bin/python3 - "$tmp/calls.xlsx" "$corpus/xlsx" <<'PY'
import datetime, io, os, sys, zipfile, openpyxl
inline, out = sys.argv[1], sys.argv[2]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "话单"
ws.append(["班组", "来电时间", "等待", "秒"])
for i in range(30):
    ws.append(["一组" if i % 3 else "二组", datetime.datetime(2026, 3, 1 + i % 28, i % 24, 5), datetime.time(0, 0, i), i])
    ws.cell(row=i + 2, column=3).number_format = "mm:ss"
shared = io.BytesIO()
wb.save(shared)
for name, data in (("calls-inline", open(inline, "rb").read()), ("calls-shared", shared.getvalue())):
    open(os.path.join(out, name), "wb").write(b"\0" + data)
    z = zipfile.ZipFile(io.BytesIO(data))
    sheet = z.read("xl/worksheets/sheet1.xml")
    sst = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in z.namelist() else None
    open(os.path.join(out, name + "-xml"), "wb").write(b"\1" + sheet + (b"\0" + sst if sst else b""))
PY
cp "$tmp"/clean.srt "$tmp"/clean.vtt "$tmp"/dirty.srt "$tmp"/dirty.vtt "$tmp"/dirty.txt "$corpus/transcript/"
{ printf '你有完没完?\n我试试看吧。或不行\n(a)b\000'; cat "$tmp/dirty.srt"; } > "$corpus/transcript/own-list.srt"
ls -l "$corpus"/*
