#!/bin/sh
# Usage: tests/valgrind/summary.sh LOG_DIR — what the attest-cli runs under valgrind found:
# runs, runs with memory errors, runs with definite leaks, and the leaks' stacks.
set -eu
d=$1
runs=$(ls "$d"/*.log | wc -l)
errors=$(grep -l "Invalid \|uninitialised\|Mismatched free\|overlap" "$d"/*.log 2>/dev/null | wc -l)
leaks=$(grep -l "definitely lost in" "$d"/*.log 2>/dev/null | wc -l)
echo "$runs runs of attest-cli under valgrind memcheck: $errors with memory errors, $leaks with definite leaks"
grep -h -A25 "definitely lost in\|Invalid \|uninitialised" "$d"/*.log 2>/dev/null | grep -E "lost in|Invalid|uninitialised|at 0x|by 0x" | head -80 || true
