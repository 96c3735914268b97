#!/bin/sh
# Usage: tests/bench/bench_bundle.sh [BUILD_DIR] [MEGABYTES]
#
# Bundles side by side with the plain tools, on one assessment with MEGABYTES (default 200) of
# evidence in 10 MB files, three in four random (photos, recordings: incompressible), one in
# four text (compressible):
#   export  attest-cli bundle export              vs  bsdtar --zstd -cf over the same files
#   import  attest-cli bundle import (new store)  vs  bsdtar -xf, then sha256sum of every file
# with wall time and peak memory (/usr/bin/time -v) of each. Not part of the test suite: it
# takes a minute and a few hundred MB of disk. Caches are warm for both sides alike, and every
# run starts with nothing dirty in the page cache (sync), so no side pays for the writeback of
# the one before. attest-cli does more than the plain tools: export hashes every file again and
# fsyncs the bundle; import fsyncs every file it keeps.
set -eu
build=$(cd "${1:-_build}" && pwd)
mb=${2:-200}
cli=$build/src/cli/attest-cli
for tool in bsdtar sha256sum zstd /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench_bundle: $tool is missing" >&2; exit 77; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/attest-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export ATTEST_PASSPHRASE="benchmark passphrase"
src=$work/src
mkdir -p "$work/in"

id=$($cli --data-dir "$src" identity create --name "Bench Lead" --role assessor --org CB)
a=$($cli --data-dir "$src" assessment create --standard QCS --org "Bench Org" --lead "$id")
n=$(( (mb + 9) / 10 ))
i=1
while [ $i -le $n ]; do
  f=$work/in/evidence-$i.bin
  if [ $((i % 4)) -eq 0 ]; then
    head -c 7864320 /dev/urandom | base64 | head -c 10485760 > "$f"
  else
    head -c 10485760 /dev/urandom > "$f"
  fi
  $cli --data-dir "$src" evidence add "$a" "$f" --by "$id" >/dev/null
  i=$((i + 1))
done
rm -rf "$work/in"
sync

# measure NAME COMMAND…: wall seconds and peak RSS (MB) into $work/NAME.{s,mb}
measure() {
  name=$1; shift
  sync
  /usr/bin/time -v -o "$work/$name.time" "$@" >/dev/null
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
    "$work/$name.time" > "$work/$name.s"
  awk -F': ' '/Maximum resident set size/ { printf "%.1f\n", $2 / 1024 }' "$work/$name.time" > "$work/$name.mb"
}
value() { cat "$work/$1.$2"; }
sum() { echo "$(value "$1" "$3") $(value "$2" "$3")" | awk '{ print $1 + $2 }'; }
max() { echo "$(value "$1" "$3") $(value "$2" "$3")" | awk '{ print ($1 > $2) ? $1 : $2 }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }'; }

# the fixed cost of any attest-cli run (opening the store), for reading the figures
measure startup "$cli" --data-dir "$src" assessment list

measure export "$cli" --data-dir "$src" bundle export "$a" -o "$work/bundle.attest"
measure tar_c sh -c "cd '$src' && bsdtar --zstd -cf '$work/plain.tar.zst' evidence"
# the same work as the export: the files hashed too, and the archive on disk before it is done
measure tar_c_same sh -c "cd '$src' && bsdtar --zstd -cf '$work/same.tar.zst' evidence &&
  find evidence -type f -exec sha256sum {} + >/dev/null && sync '$work/same.tar.zst'"

"$cli" --data-dir "$work/dst" assessment list >/dev/null   # the store exists, as a user's does
measure import "$cli" --data-dir "$work/dst" bundle import "$work/bundle.attest"
mkdir -p "$work/x"
measure tar_x bsdtar -xf "$work/plain.tar.zst" -C "$work/x"
measure sha sh -c "find '$work/x' -type f -exec sha256sum {} + >/dev/null"
mkdir -p "$work/x2"
# the same work as the import: every extracted file on disk before it is done
measure tar_x_same sh -c "bsdtar -xf '$work/plain.tar.zst' -C '$work/x2' &&
  find '$work/x2' -type f -exec sha256sum {} + >/dev/null && find '$work/x2' -type f -exec sync {} +"

evidence=$(du -sm "$src/evidence" | cut -f1)
echo "evidence: ${evidence} MB in $n files; bundle $(du -m "$work/bundle.attest" | cut -f1) MB, bsdtar $(du -m "$work/plain.tar.zst" | cut -f1) MB"
echo "attest-cli start-up (store open, included below): $(value startup s) s"
printf '%-8s %-34s %8s %9s\n' "" "" "wall s" "peak MB"
printf '%-8s %-34s %8s %9s\n' export "attest-cli bundle export" "$(value export s)" "$(value export mb)"
printf '%-8s %-34s %8s %9s\n' "" "bsdtar --zstd -cf" "$(value tar_c s)" "$(value tar_c mb)"
printf '%-8s %-34s %8s %9s\n' "" "  the same + sha256sum + sync FILE" "$(value tar_c_same s)" "$(value tar_c_same mb)"
printf '%-8s %-34s %8s %9s\n' import "attest-cli bundle import" "$(value import s)" "$(value import mb)"
printf '%-8s %-34s %8s %9s\n' "" "bsdtar -xf + sha256sum" "$(sum tar_x sha s)" "$(max tar_x sha mb)"
printf '%-8s %-34s %8s %9s\n' "" "  the same + sync FILES" "$(value tar_x_same s)" "$(value tar_x_same mb)"
net() { echo "$(value "$1" s) $(value startup s)" | awk '{ printf "%.2f", $1 - $2 }'; }
echo "ratios (attest / plain tools): export time $(ratio "$(value export s)" "$(value tar_c s)"), memory $(ratio "$(value export mb)" "$(value tar_c mb)");" \
     "import time $(ratio "$(value import s)" "$(sum tar_x sha s)"), memory $(ratio "$(value import mb)" "$(max tar_x sha mb)")"
echo "ratios on the same work (hashing and syncing too): export time $(ratio "$(value export s)" "$(value tar_c_same s)")," \
     "import time $(ratio "$(value import s)" "$(value tar_x_same s)")"
echo "without the start-up: export $(net export) s (ratio $(ratio "$(net export)" "$(value tar_c s)")), import $(net import) s" \
     "(ratio $(ratio "$(net import)" "$(sum tar_x sha s)")); peak memory of an attest-cli that only opens the store: $(value startup mb) MB"
