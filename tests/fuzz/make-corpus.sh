#!/bin/sh
# Usage: tests/fuzz/make-corpus.sh BUILD_DIR OUT_DIR
# Seeds every fuzz target from real files, made the way a person makes them: attest-cli runs a
# small assessment through the whole flow (findings, evidence, a nonconformity, submission,
# recheck, certificate), exports its bundle and writes its signed and draft reports; openssl
# writes PKCS#12 files in every protection the importer meets; the catalogs are the bundled ones.
#
#   OUT_DIR/<target>/   one corpus folder per target (fuzz-bundle-import, fuzz-catalog, …)
#   OUT_DIR/signer.p12  the seeds' signer (passphrase "fuzz corpus passphrase"): ATTEST_FUZZ_SIGNER
#   OUT_DIR/store/      the data directory the reports came from: ATTEST_FUZZ_STORE
#
# The signer and the store stay outside the corpus folders: libFuzzer reads every file in those.
set -eu
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
cli=$build/src/cli/attest-cli
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ATTEST_PASSPHRASE="fuzz corpus passphrase"
# the fuzz build's attest-cli runs under ASan: leave out the library leaks the suite leaves out
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/tests/lsan.supp:print_suppressions=0}"
d=$out/store
rm -rf "$d"
for t in bundle-import catalog report-verify samples p12 evidence-sniff thumbnail; do
  mkdir -p "$out/fuzz-$t"
done

# ---- the flow ------------------------------------------------------------------------------
$cli --data-dir "$d" standards import "$src/tests/data/mini.json" >/dev/null
lead=$($cli --data-dir "$d" identity create --name "Fuzz Lead 评价员" --role assessor --org CB)
reviewer=$($cli --data-dir "$d" identity create --name "Fuzz Reviewer" --role reviewer --org CB)
issuer=$($cli --data-dir "$d" identity create --name "Fuzz Issuer" --role issuer --org CB)
a=$($cli --data-dir "$d" assessment create --standard MINI --org "Org 示例" --lead "$lead" --scope "hotline")
$cli --data-dir "$d" finding set "$a" 1.1 --by "$lead" --verdict partial --note "seen" \
     --indicator answer-15s --sample 3 --sample 12 --sample 22 >/dev/null
$cli --data-dir "$d" finding set "$a" 1.2 --by "$lead" --verdict conform >/dev/null
printf 'first piece of evidence' > "$tmp/e1.txt"
python3 "$src/tests/fuzz/make-jpeg.py" "$tmp/photo.jpg"
$cli --data-dir "$d" evidence add "$a" "$tmp/e1.txt" --by "$lead" --clause 1.1 >/dev/null
$cli --data-dir "$d" evidence add "$a" "$tmp/photo.jpg" --by "$lead" --clause 1.2 >/dev/null
$cli --data-dir "$d" nc add "$a" 1.1 --by "$lead" --grade minor --text "slow" --suggestion "staff" >/dev/null
$cli --data-dir "$d" bundle export "$a" -o "$tmp/draft.attest" --by "$lead"
$cli --data-dir "$d" report "$a" -o "$tmp/draft.pdf" --lang en --draft
$cli --data-dir "$d" assessment submit "$a" --by "$lead" >/dev/null
$cli --data-dir "$d" review comment "$a" 1.1 1.2 --by "$reviewer" --agree >/dev/null
$cli --data-dir "$d" review "$a" --by "$reviewer" --approve --conclusion "fine" >/dev/null
$cli --data-dir "$d" certificate issue "$a" --by "$issuer" >/dev/null
$cli --data-dir "$d" report "$a" -o "$tmp/signed.pdf" --lang en --by "$reviewer"
cp "$tmp/signed.pdf" "$tmp/countersigned.pdf"
$cli --data-dir "$d" report sign "$tmp/countersigned.pdf" --by "$issuer"
$cli --data-dir "$d" bundle export "$a" -o "$tmp/certified.attest" --by "$lead"
# the exporter signs the re-signed bundles too, so they pass as the exporter's
cp "$d/identities/$lead.p12" "$out/signer.p12"
# the merge inputs: that identity as a team member of another lead's assessment (merge-store/)
"$src/tests/fuzz/make-merge-corpus.sh" "$cli" "$out/signer.p12" "$out"

# ---- fuzz-bundle-import: first byte 0 = a tar the harness compresses, 1 = the file as is,
# 2 = --as-copy, 4 = re-signed (see fuzz-bundle-import.c)
c=$out/fuzz-bundle-import
for b in draft certified; do
  { printf '\000'; zstd -q -d -c "$tmp/$b.attest"; } > "$c/$b-tar"
  { printf '\001'; cat "$tmp/$b.attest"; } > "$c/$b-raw"
  { printf '\006'; zstd -q -d -c "$tmp/$b.attest"; } > "$c/$b-tar-resign-copy"
done
{ printf '\004'; zstd -q -d -c "$tmp/draft.attest"; } > "$c/draft-tar-resign"

# ---- fuzz-report-verify: the reports as written, and small copies without font and drawings
cp "$tmp/draft.pdf" "$tmp/signed.pdf" "$tmp/countersigned.pdf" "$out/fuzz-report-verify/"
for r in draft signed countersigned; do
  python3 "$src/tests/fuzz/shrink-pdf.py" "$tmp/$r.pdf" "$out/fuzz-report-verify/$r-small.pdf"
done

# ---- fuzz-catalog: the bundled catalogs and the small test one
cp "$src"/templates/*.json "$src/tests/data/mini.json" "$out/fuzz-catalog/"
rm -f "$out/fuzz-catalog/catalog.schema.json"

# ---- fuzz-samples: first byte = the indicator (see fuzz-samples.c), then the text
c=$out/fuzz-samples
printf '\003%s' "$(printf '12\r\n8.5\r\n15\r\n30\r\n')" > "$c/share-crlf"
printf '\001%s' "3,8;12	14 16" > "$c/each-separators"
printf '\002%s' "1，2；3　4" > "$c/mean-fullwidth"
printf '\000%s' " 95.5 " > "$c/value"
printf '\003%s' "$(printf '1e3\n+0.5\n.5\n-0\n')" > "$c/share-forms"

# ---- fuzz-p12: first byte bit 0 = re-MAC (see fuzz-p12.c); our own key, and openssl's kinds
c=$out/fuzz-p12
pass="pass:$ATTEST_PASSPHRASE"
{ printf '\000'; cat "$d/identities/$lead.p12"; } > "$c/attest-made"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" \
        -subj "/CN=Fuzz Imported/O=CA" -days 3650 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/rk.pem" -out "$tmp/rc.pem" \
        -subj "/CN=Fuzz RSA" -days 3650 2>/dev/null
p12() { name=$1; shift; { printf '\000'; openssl pkcs12 -export -passout "$pass" "$@"; } > "$c/$name"; }
p12 openssl-default -inkey "$tmp/k.pem" -in "$tmp/c.pem"
p12 openssl-rsa -inkey "$tmp/rk.pem" -in "$tmp/rc.pem"
p12 legacy -legacy -inkey "$tmp/k.pem" -in "$tmp/c.pem"
p12 cert-3des -certpbe PBE-SHA1-3DES -inkey "$tmp/k.pem" -in "$tmp/c.pem"
p12 sha1-mac -macalg sha1 -inkey "$tmp/k.pem" -in "$tmp/c.pem"
p12 no-mac -nomac -inkey "$tmp/k.pem" -in "$tmp/c.pem"
p12 key-unencrypted -keypbe NONE -certpbe NONE -inkey "$tmp/k.pem" -in "$tmp/c.pem"
p12 chain -inkey "$tmp/k.pem" -in "$tmp/c.pem" -certfile "$tmp/rc.pem"
{ printf '\001'; tail -c +2 "$c/openssl-default"; } > "$c/openssl-default-remac"

# ---- fuzz-evidence-sniff: first byte = name and chunk size (see fuzz-evidence-sniff.c)
c=$out/fuzz-evidence-sniff
{ printf '\000'; cat "$tmp/photo.jpg"; } > "$c/photo-exif"
{ printf '\004'; cat "$tmp/photo.jpg"; } > "$c/photo-exif-bytewise"
{ printf '\023'; head -c 2048 "$tmp/draft.pdf"; } > "$c/pdf-head-as-photo"
{ printf '\002'; cat "$tmp/e1.txt"; } > "$c/text"

# ---- fuzz-thumbnail: small images in every format previewed, as cameras and scanners write them,
# a phone's sideways photo (EXIF orientation 6), a PNG with transparency; GIFs, a BMP and an SVG,
# which have loaders but are not previewed
c=$out/fuzz-thumbnail
cp "$tmp/photo.jpg" "$c/exif.jpg"
convert -size 24x16 gradient:red-blue -quality 80 "$c/plain.jpg"
python3 "$src/tests/fuzz/make-jpeg.py" "$c/sideways.jpg" 6
convert -size 24x16 gradient:red-blue -interlace JPEG "$c/progressive.jpg"
convert -size 20x12 xc:none -fill '#3070c080' -draw 'rectangle 2,2 14,9' "$c/alpha.png"
convert -size 20x12 gradient:white-black -depth 16 "$c/grey16.png"
convert -size 20x12 gradient:green-yellow -interlace PNG "$c/interlaced.png"
convert -size 16x16 gradient:red-blue -compress lzw "$c/lzw.tiff"
convert -size 16x16 gradient:red-blue "$c/plain.gif"
convert -delay 10 -size 8x8 xc:red xc:blue -loop 0 "$c/animated.gif"
convert -size 16x12 gradient:red-blue -type TrueColor "$c/not-previewed.bmp"
# a decompression bomb: a PNG whose header says 20,000 × 20,000 pixels, refused before decoding
python3 -c 'import struct, sys, zlib
def chunk(kind, body): return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(b"\0" * 60001)) + chunk(b"IEND", b""))' > "$c/bomb.png"
printf '%s' "<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'><rect width='8' height='8'/></svg>" > "$c/not-previewed.svg"

du -sh "$out"/fuzz-* | sed "s|$out/||"
