#!/bin/sh
# Usage: tests/fuzz/make-corpus.sh BUILD_DIR CORPUS_DIR
# Seeds the bundle importer's fuzzer with real bundles: one assessment on the small test catalog
# (with a finding, two evidence files and a nonconformity), exported and signed by attest-cli.
# The signer's PKCS#12 file is left as CORPUS_DIR.signer.p12 (outside the corpus: libFuzzer
# reads every file in it as an input); ATTEST_FUZZ_SIGNER=that file lets the harness re-sign.
set -eu
build=$(cd "$1" && pwd)
corpus=$2
cli=$build/src/cli/attest-cli
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ATTEST_PASSPHRASE="fuzz corpus passphrase"
d=$tmp/data

$cli --data-dir "$d" standards import "$src/tests/data/mini.json" >/dev/null
id=$($cli --data-dir "$d" identity create --name "Fuzz Lead" --role assessor --org CB)
a=$($cli --data-dir "$d" assessment create --standard MINI --org "Org" --lead "$id")
# records others' modules provide; a thinner seed still works
$cli --data-dir "$d" finding set "$a" 1.1 --by "$id" --verdict conform --note "seen" >/dev/null || true
printf 'first piece of evidence' > "$tmp/e1.txt"
printf 'second' > "$tmp/e2.txt"
$cli --data-dir "$d" evidence add "$a" "$tmp/e1.txt" --by "$id" --clause 1.1 >/dev/null || true
$cli --data-dir "$d" evidence add "$a" "$tmp/e2.txt" --by "$id" >/dev/null || true
$cli --data-dir "$d" nc add "$a" 1.2 --by "$id" --grade minor --text "rude" --suggestion "train" >/dev/null || true
$cli --data-dir "$d" bundle export "$a" -o "$tmp/seed.attest" --by "$id"

mkdir -p "$corpus"
# first byte: bit 0 clear = a tar the harness compresses, set = the file as is; bit 1 = --as-copy
{ printf '\000'; zstd -q -d -c "$tmp/seed.attest"; } > "$corpus/seed-tar"
{ printf '\002'; zstd -q -d -c "$tmp/seed.attest"; } > "$corpus/seed-tar-copy"
{ printf '\001'; cat "$tmp/seed.attest"; } > "$corpus/seed-raw"
{ printf '\004'; zstd -q -d -c "$tmp/seed.attest"; } > "$corpus/seed-tar-resign"
{ printf '\006'; zstd -q -d -c "$tmp/seed.attest"; } > "$corpus/seed-tar-resign-copy"
cp "$d/identities/$id.p12" "${corpus%/}.signer.p12"
ls -l "$corpus"
