#!/bin/sh
# Usage: replay-merge.sh ATTEST_CLI REPLAY_BUNDLE_IMPORT
# The suite's replay of fuzz-bundle-import's merge inputs. They only mean something against the
# store that handed the assessment out, which holds new ids and times each time it is made, so
# they are made here (make-merge-corpus.sh, with the committed signer) instead of committed;
# then damaged copies of them too. Fails unless each seed merges (its one conflict decided) and
# each damaged copy is refused with a sentence.
set -eu
cli=$1
replay=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/make-merge-corpus.sh" "$cli" "$ATTEST_FUZZ_SIGNER" "$tmp" > /dev/null
seeds=$tmp/fuzz-bundle-import
mkdir "$tmp/damaged"
# the member's note changed under the bundle's signature; the same with the signature redone
# (the record then differs from what the signed log says of it); the archive cut in half
/usr/bin/python3 - "$seeds/merge-tar" "$tmp/damaged" <<'PY'
import sys
seed = open(sys.argv[1], "rb").read()
changed = seed.replace(b"member: seen", b"member: SEEN")
assert changed != seed
open(sys.argv[2] + "/note-changed", "wb").write(changed)
open(sys.argv[2] + "/note-changed-resigned", "wb").write(b"\x0c" + changed[1:])
open(sys.argv[2] + "/cut", "wb").write(seed[:len(seed) // 2])
PY
ATTEST_FUZZ_MERGE_STORE=$tmp/merge-store ATTEST_FUZZ_VERBOSE=1 "$replay" "$seeds" "$tmp/damaged" 2> "$tmp/log"
cat "$tmp/log"
merged=$(grep -c "^fuzz-bundle-import: merged, [0-9]* taken, 1 conflict(s) decided" "$tmp/log" || true)
refused=$(grep -A1 "^replay: .*/damaged/" "$tmp/log" | grep -c "^fuzz-bundle-import: [^m]" || true)
echo "merged $merged of 4 seeds, refused $refused of 3 damaged copies"
[ "$merged" -eq 4 ] && [ "$refused" -eq 3 ]
