#!/usr/bin/env bash
# One command for every benchmark: builds pipec-bench in release mode and runs it from the repository root.
# Each benchmark prints pipec's figure, a baseline measured in the same run, and their ratio.
# Usage: bench/run.sh [validate] [compile] [schedule] [template] [postgres-load]   (no names: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product pipec-bench >/dev/null
if [ -z "${PIPEC_TEST_POSTGRES_URL:-}" ] && { [ $# -eq 0 ] || [[ " $* " == *" postgres-load "* ]]; }; then
    export PIPEC_TEST_POSTGRES_URL=$(scripts/services/postgres.sh start)
    trap 'scripts/services/postgres.sh stop >/dev/null 2>&1 || true' EXIT
fi
"$(swift build -c release --show-bin-path)/pipec-bench" "$@"
