#!/usr/bin/env bash
# One command for every benchmark: builds pipec-bench in release mode and runs it from the repository root.
# Each benchmark prints pipec's figure, a baseline measured in the same run, and their ratio.
# Usage: bench/run.sh [validate] [compile] [scaling] [docs] [executor] [schedule] [template] [postgres-load] [clickhouse-load] [s3-export]
#        (no names: all of them)
#
# Environment:
#   PIPEC_BENCH_SCRATCH        SwiftPM scratch path for the build (default .build), e.g. a private one so that
#                              the build does not wait on (or disturb) other builds of the same checkout
#   PIPEC_TEST_POSTGRES_URL    PostgreSQL for postgres-load; unset: scripts/services/postgres.sh's server
#   PIPEC_TEST_CLICKHOUSE_URL  ClickHouse HTTP for clickhouse-load and s3-export, with PIPEC_CH_TCP_PORT (native port,
#                              for clickhouse-client; default 19000); unset: scripts/services/clickhouse.sh's server
#   PIPEC_TEST_S3_ENDPOINT     S3 for s3-export, with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION;
#                              unset: scripts/services/moto.sh's server and key
#   PIPEC_PG_PORT, PIPEC_CH_HTTP_PORT, PIPEC_CH_TCP_PORT, PIPEC_MOTO_PORT
#                              ports of the servers the service scripts start (their defaults otherwise)
#   PIPEC_BENCH_EXPORT_BYTES   size of s3-export's table as CSV (default 1000000000); PIPEC_BENCH_EXPORT_RUNS its runs (1)
#
# A server that the service script already runs on that port is reused and left running; one that this script
# starts is stopped when it exits.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
scratch=${PIPEC_BENCH_SCRATCH:-.build}
swift build -c release --product pipec-bench --scratch-path "$scratch" >/dev/null
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/pipec-bench"

wants() {   # name: was it asked for (or was nothing asked for)?
    [ $# -gt 0 ] || return 1
    local name=$1
    shift
    [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]
}
stops=()
cleanup() {
    local s
    for s in "${stops[@]+"${stops[@]}"}"; do scripts/services/"$s".sh stop >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
# Exports variable $2 = the URL of service $1's server: the one its script already runs on that port (left
# running), else a new one (stopped on exit).
need_service() {   # name variable
    local url
    if ! url=$(scripts/services/"$1".sh url 2>/dev/null); then
        url=$(scripts/services/"$1".sh start) || { echo "bench/run.sh: cannot start $1" >&2; exit 1; }
        stops+=("$1")
    fi
    export "$2=$url"
}

if [ -z "${PIPEC_TEST_POSTGRES_URL:-}" ] && wants postgres-load "$@"; then
    need_service postgres PIPEC_TEST_POSTGRES_URL
fi
if [ -z "${PIPEC_TEST_CLICKHOUSE_URL:-}" ] && { wants clickhouse-load "$@" || wants s3-export "$@"; }; then
    need_service clickhouse PIPEC_TEST_CLICKHOUSE_URL
    export PIPEC_CH_TCP_PORT=${PIPEC_CH_TCP_PORT:-19000}
fi
if [ -z "${PIPEC_TEST_S3_ENDPOINT:-}" ] && wants s3-export "$@"; then
    need_service moto PIPEC_TEST_S3_ENDPOINT
    eval "$(scripts/services/moto.sh env)"
    export PIPEC_TEST_S3_ENDPOINT AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION
fi
"$bin" "$@"
