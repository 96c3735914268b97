#!/bin/sh
# Usage: tests/bench/bench_import.sh [BUILD_DIR] [ROWS]
#
# Importing a call-record export of ROWS (default 100,000) calls, as CSV in GB18030 and as XLSX
# (tests/cli/calldata.py writes both, the XLSX with openpyxl), side by side with plain tools on
# the same files in the same run:
#   read + series  bench-import: parse the file (CSV: GB18030 → UTF-8 and libcsv; XLSX: unzip
#                  and XML) and take the wait column as seconds, best of 5   — the goal: ≤ 1 s
#   measure        attest-cli measure end to end: hash and store the file as evidence, parse,
#                  record the measurement with its source in one transaction (wall time)
#   plain tools    iconv -f GB18030 | wc -l; Python's csv module summing the same column;
#                  unzip -p of the sheet | wc -c (only unpacking the XML)
# Not part of the test suite: writing the XLSX with openpyxl alone takes a few seconds.
set -eu
build=$(cd "${1:-_build}" && pwd)
rows=${2:-100000}
src=$(cd "$(dirname "$0")/../.." && pwd)
cli=$build/src/cli/attest-cli
bench=$build/tests/bench/bench-import
for tool in iconv unzip /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench_import: $tool is missing" >&2; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/attest-bench-import-XXXXXX")
trap 'rm -rf "$work"' EXIT
export ATTEST_PASSPHRASE="benchmark passphrase"

echo "writing $rows calls as CSV (GB18030) and XLSX …"
/usr/bin/python3 -c "
import sys; sys.path.insert(0, '$src/tests/cli'); import calldata
calldata.write_csv('$work/calls.csv', $rows); calldata.write_xlsx('$work/calls.xlsx', $rows)"
ls -l "$work/calls.csv" "$work/calls.xlsx" | awk '{ print "  " $5 " bytes  " $9 }'

seconds() {  # wall seconds of a command, its output dropped
  /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -n 1
}

echo
echo "read + series (bench-import, best of 5):"
"$bench" "$work/calls.csv" 等待时长 mm:ss 5
"$bench" "$work/calls.xlsx" 等待时长 mm:ss 5

d=$work/data
id=$($cli --data-dir "$d" identity create --name "Bench" --role assessor --org CB)
a=$($cli --data-dir "$d" assessment create --standard QCS --org "Bench Org" --lead "$id")
b=$($cli --data-dir "$d" assessment create --standard QCS --org "Bench Org" --lead "$id")
sync
echo
echo "attest-cli measure, end to end (wall seconds):"
echo "  CSV   $(seconds "$cli" --data-dir "$d" measure "$a" 7.4.2.2 --by "$id" --from "$work/calls.csv" --column 等待时长 --convert mm:ss)"
echo "  XLSX  $(seconds "$cli" --data-dir "$d" measure "$b" 7.4.2.2 --by "$id" --from "$work/calls.xlsx" --column 等待时长 --convert mm:ss)"
echo "  CSV, stratified sample of 100 (team × hour band)  $(seconds "$cli" --data-dir "$d" measure "$a" 7.4.2.2 --by "$id" \
      --from "$work/calls.csv" --column 等待时长 --convert mm:ss --sample 100 --strata 班组 --strata 来电时间:band --seed 1)"

echo
echo "plain tools on the same files (wall seconds):"
echo "  iconv -f GB18030 | wc -l                 $(seconds sh -c "iconv -f GB18030 -t UTF-8 '$work/calls.csv' | wc -l")"
echo "  python3 csv, share within 15 s          $(seconds /usr/bin/python3 -c "
import csv
with open('$work/calls.csv', encoding='gb18030', newline='') as f:
    r = csv.DictReader(f)
    n = k = 0
    for row in r:
        m, s = row['等待时长'].split(':'); n += 1; k += int(m) * 60 + int(s) <= 15
print(k / n)")"
echo "  unzip -p sheet1.xml | wc -c             $(seconds sh -c "unzip -p '$work/calls.xlsx' xl/worksheets/sheet1.xml | wc -c")"
