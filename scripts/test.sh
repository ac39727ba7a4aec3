#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: the Swift suites (unit, golden CLI, fuzz, and integration tests
# against real servers this script provides on 127.0.0.1: PostgreSQL 15, ClickHouse 18.16, a current ClickHouse
# (chdb) behind its HTTP front end, moto for S3 and Athena; SQLite is embedded; differential suites against Jinja2
# and Airflow's cron timetables, whose reference results scripts/differential_reference.py computes first), then the JSON Schema that
# `pipec schema` prints, checked against every spec by an independent validator. Python environments are cached
# outside the clone (/var/cache/pipec-ci), so a second run on a machine skips the downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# Test-only tools: a PostgreSQL 15 server and client, the sqlite3 CLI (independent clients in the tests), and
# Debian's Chromium (headless, for the `pipec docs` site tests).
need=(postgresql-15 postgresql-client-15 sqlite3 chromium)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
    echo "test: installing ${missing[*]}"
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stop_services() {
    for service in postgres clickhouse chdb moto; do scripts/services/$service.sh stop >/dev/null 2>&1 || true; done
}
trap stop_services EXIT
echo "== PostgreSQL 15 on 127.0.0.1"
export PIPEC_TEST_POSTGRES_URL=$(scripts/services/postgres.sh start)
echo "== ClickHouse 18.16 (Debian) on 127.0.0.1"
export PIPEC_TEST_CLICKHOUSE_URL=$(scripts/services/clickhouse.sh start)
echo "== chdb (ClickHouse 26) behind its HTTP front end on 127.0.0.1"
export PIPEC_TEST_CHDB_URL=$(scripts/services/chdb.sh start)
echo "== moto (S3, Athena; signatures checked) on 127.0.0.1"
scripts/services/moto.sh start >/dev/null
eval "$(scripts/services/moto.sh env)"

echo "== Airflow 3.3.2 and 2.10.5 (cached venvs, for the tests of pipec emit airflow)"
scripts/airflow-venv.sh 3 >/dev/null
scripts/airflow-venv.sh 2 >/dev/null

echo "== differential references: Jinja2 3.1 and Airflow's cron timetables (seeded, scripts/differential_reference.py)"
venv=$(scripts/python-tools.sh)
mkdir -p .build/differential
"$venv/bin/python" scripts/differential_reference.py templates --seed 14 --count 4000 --out .build/differential/templates.json
"$venv/bin/python" scripts/differential_reference.py cron --seed 14 --count 300 --out .build/differential/cron.json
export PIPEC_DIFFERENTIAL_TEMPLATES=$PWD/.build/differential/templates.json
export PIPEC_DIFFERENTIAL_CRON=$PWD/.build/differential/cron.json

echo "== swift build"
swift build --build-tests
echo "== swift test"
swift test 2>&1 | tee .build/swift-test.log
# The differential suites' figures (cases, mismatches), repeated where they are easy to find.
grep -E "^(differential|expression fuzz)" .build/swift-test.log || true

echo "== JSON Schema vs specs (check-jsonschema)"
bin=$(swift build --show-bin-path)
"$bin/pipec" schema > .build/pipec-schema.json
mapfile -t specs < <(ls specs/*.yaml examples/*/*.yaml 2>/dev/null)
"$venv/bin/check-jsonschema" --schemafile .build/pipec-schema.json "${specs[@]}"
# ...and the schema is not vacuous: specs with structural mistakes must be rejected by it too.
for case in unknown-task-key unknown-resource-kind wrong-type-integer missing-required-key sensor-with-two-conditions; do
    if "$venv/bin/check-jsonschema" --schemafile .build/pipec-schema.json "Tests/Fixtures/validate/$case/spec.yaml" >/dev/null 2>&1; then
        echo "the JSON Schema accepted Tests/Fixtures/validate/$case/spec.yaml" >&2
        exit 1
    fi
done
echo "schema rejects the 5 structurally invalid fixtures"
echo "== the quickstart's DAG run by a real Airflow 3 scheduler (LocalExecutor) against pipec apply"
scripts/airflow-quickstart-e2e.sh "$bin/pipec"
echo "== all tests passed"
