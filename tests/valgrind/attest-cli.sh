#!/bin/sh
# Runs attest-cli under valgrind memcheck, for the CLI tests run by hand:
#
#   ATTEST_CLI_REAL=_build/src/cli/attest-cli ATTEST_VALGRIND_LOGS=/tmp/vg \
#   ATTEST_CLI=$PWD/tests/valgrind/attest-cli.sh ATTEST_SOURCE_ROOT=$PWD \
#   /usr/bin/python3 tests/cli/test_cli.py
#   tests/valgrind/summary.sh /tmp/vg
#
# A definite leak makes attest-cli exit 99, so the test that ran it fails too; each run's full
# report goes to ATTEST_VALGRIND_LOGS. GLib's own caches (type system, quarks, the main
# context) are reachable at exit and not reported as definite.
: "${ATTEST_CLI_REAL:?set ATTEST_CLI_REAL to the attest-cli to run}"
logs=${ATTEST_VALGRIND_LOGS:-/tmp/attest-valgrind}
mkdir -p "$logs"
G_SLICE=always-malloc G_DEBUG=gc-friendly exec valgrind --quiet --leak-check=full --show-leak-kinds=definite \
  --errors-for-leak-kinds=definite --error-exitcode=99 --num-callers=30 \
  --suppressions="$(dirname "$0")/attest.supp" \
  --log-file="$logs/%p.log" "$ATTEST_CLI_REAL" "$@"
