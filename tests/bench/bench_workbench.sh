#!/bin/sh
# Usage: tests/bench/bench_workbench.sh [BUILD_DIR] [N_EVIDENCE]
#
# The assessor's window with the QCS checklist and N_EVIDENCE (default 2000) evidence files:
# how long moving between clauses, filtering and searching take, from the call to the next
# painted frame (see bench-workbench.c). Runs under Xvfb; not part of the test suite.
set -eu
build=$(cd "${1:-_build}" && pwd)
n=${2:-2000}
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" LC_ALL=C.UTF-8 LANGUAGE=en
exec xvfb-run -a -s "-screen 0 1280x900x24" "$build/tests/bench/bench-workbench" "$n"
