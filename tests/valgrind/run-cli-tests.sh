#!/bin/sh
# Usage: tests/valgrind/run-cli-tests.sh [BUILD_DIR] [LOG_DIR] — runs the command-line tests with
# every attest-cli they start under valgrind memcheck (attest-cli.sh), then prints what
# summary.sh found. Exits non-zero if a test failed or a run had a memory error or a definite
# leak. By hand, not in the suite: it takes about half an hour on two cores.
#
# Left out: the crash tests (they kill attest-cli at moments chosen from undisturbed run times,
# which valgrind's 20–50× slowdown makes meaningless), the disk-full test (its tmpfs sizes are
# tuned to the native program), and the 100,000-row measurement tests (hours under valgrind; the
# same parsers run on small files in the cli and measure tests that are kept).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/_build}
logs=${2:-/tmp/attest-valgrind}
rm -rf "$logs"
mkdir -p "$logs"
export ATTEST_CLI_REAL="$build/src/cli/attest-cli" ATTEST_VALGRIND_LOGS="$logs"
export ATTEST_CLI="$top/tests/valgrind/attest-cli.sh" ATTEST_SOURCE_ROOT="$top" LC_ALL=C.UTF-8
export ATTEST_LOCALEDIR="$build/po"   # the built .mo files, for test_i18n
status=0
for t in test_cli test_bundle test_bundle_hostile test_report test_catalogs test_findings \
         test_evidence test_keys test_i18n test_desks test_team test_flow test_registry; do
  start=$(date +%s)
  if /usr/bin/python3 "$top/tests/cli/$t.py" > "$logs/$t.out" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  echo "$t: $result ($(( $(date +%s) - start )) s)"
done
"$top/tests/valgrind/summary.sh" "$logs"
if grep -q -l "definitely lost in\|Invalid \|uninitialised\|Mismatched free\|overlap" "$logs"/*.log 2>/dev/null; then
  status=1
fi
exit $status
