#!/bin/sh
# Usage: tests/fuzz/make-merge-corpus.sh ATTEST_CLI SIGNER_P12 OUT_DIR
# Seeds the merge inputs of fuzz-bundle-import (first byte bit 3, see fuzz-bundle-import.c) the
# way a team makes them: a lead hands an assessment out to a team member — the identity in
# SIGNER_P12 (passphrase "fuzz corpus passphrase"), which is also the key the harness re-signs
# with — the member records findings, evidence and a nonconformity on their laptop and sends
# their bundle back, while the lead changes one of the same clauses.
#
#   OUT_DIR/merge-store/        the lead's data directory: ATTEST_FUZZ_MERGE_STORE
#   OUT_DIR/fuzz-bundle-import/ merge-* seeds (one conflict, on clause 1.1)
set -eu
cli=$1
signer=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ATTEST_PASSPHRASE="fuzz corpus passphrase"
# a sanitizer build's attest-cli: leave out the library leaks the suite leaves out
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/tests/lsan.supp:print_suppressions=0}"
L=$out/merge-store
M=$tmp/member
rm -rf "$L"
mkdir -p "$out/fuzz-bundle-import"

$cli --data-dir "$L" standards import "$src/tests/data/mini.json" >/dev/null
member=$($cli --data-dir "$L" identity import "$signer" --role assessor | tail -n 1)
lead=$($cli --data-dir "$L" identity create --name "Fuzz Team Lead" --role assessor --org CB)
a=$($cli --data-dir "$L" assessment create --standard MINI --org "Team 示例" --lead "$lead" --team "$member" --scope "hotline")
$cli --data-dir "$L" finding set "$a" 1.1 --by "$lead" --verdict conform --note "lead, before" >/dev/null
$cli --data-dir "$L" assessment assign "$a" --to "$member" --clause 1.1 --clause 1.2 --by "$lead" >/dev/null
$cli --data-dir "$L" bundle export "$a" -o "$tmp/handout.attest" --by "$lead"

# the member's laptop
$cli --data-dir "$M" identity import "$signer" --role assessor >/dev/null
$cli --data-dir "$M" bundle import "$tmp/handout.attest" >/dev/null
$cli --data-dir "$M" finding set "$a" 1.1 --by "$member" --verdict partial --note "member: two calls over 15 s" \
     --indicator answer-15s --sample 4 --sample 16 >/dev/null
$cli --data-dir "$M" finding set "$a" 1.2 --by "$member" --verdict conform --note "member: seen" >/dev/null
printf 'hotline log, member' > "$tmp/log.txt"
$cli --data-dir "$M" evidence add "$a" "$tmp/log.txt" --by "$member" --clause 1.2 >/dev/null
$cli --data-dir "$M" nc add "$a" 1.1 --by "$member" --grade minor --text "slow answer" --suggestion "staff the peak" >/dev/null
$cli --data-dir "$M" bundle export "$a" -o "$tmp/member.attest" --by "$member"

# meanwhile the lead changes 1.1 too: the merge has one conflict
$cli --data-dir "$L" finding set "$a" 1.1 --by "$lead" --verdict conform --note "lead, after" >/dev/null

# first byte: 8 merge (tar, the harness compresses), +1 the file as is, +2 theirs, +4 re-signed
c=$out/fuzz-bundle-import
{ printf '\010'; zstd -q -d -c "$tmp/member.attest"; } > "$c/merge-tar"
{ printf '\012'; zstd -q -d -c "$tmp/member.attest"; } > "$c/merge-tar-theirs"
{ printf '\011'; cat "$tmp/member.attest"; } > "$c/merge-raw"
{ printf '\016'; zstd -q -d -c "$tmp/member.attest"; } > "$c/merge-tar-resign-theirs"
