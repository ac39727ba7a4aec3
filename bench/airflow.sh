#!/usr/bin/env bash
# Benchmarks of `pipec emit airflow` (not tests):
#   1. the DagBag parse time of the DAG emitted for a 1,000-table spec against a hand-written DAG of the same 1,000
#      BashOperators and edges, parsed alternately in one process by Airflow 3 (ratio close to 1 expected);
#   2. pipec's per-task overhead: the wall time of `pipec run` for a unit whose own work is one trivial statement,
#      against the time the unit itself reports.
# Usage: bench/airflow.sh [PIPEC_BINARY] (default: a release build). Uses scripts/airflow-venv.sh's Airflow 3.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -gt 0 ]]; then
    pipec=$(realpath "$1")
else
    swift build -c release --product pipec >/dev/null
    pipec="$(swift build -c release --show-bin-path)/pipec"
fi
venv=$(scripts/airflow-venv.sh 3)
work=$(mktemp -d /tmp/pipec-bench-airflow.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/project/templates" "$work/emitted" "$work/hand"
export AIRFLOW_HOME="$work/home" AIRFLOW__CORE__LOAD_EXAMPLES=False

# A 1,000-table spec: a tree (table i reads table (i-1)/2), daily, SQLite.
{
    printf 'version: 1\npipeline: wide\nschedule: {cron: "@daily", start: 2025-01-01}\ndefaults: {retries: 2, retry_delay: 1m}\n'
    printf 'resources:\n  db: {kind: sqlite, path: wide.sqlite}\ntables:\n'
    printf '  s.t0: {on: db, columns: {x: INTEGER}, build: {sql: "SELECT 1 AS x", strategy: full}}\n'
    for ((i = 1; i < 1000; i++)); do
        printf '  s.t%d: {on: db, columns: {x: INTEGER}, build: {sql: "SELECT x FROM {{ ref('"'"'s.t%d'"'"') }}", strategy: full}}\n' $i $(((i - 1) / 2))
    done
    printf 'tasks:\n  noop: {kind: sql, on: db, sql: "SELECT 1"}\n'
} >"$work/project/wide.yaml"
"$pipec" emit airflow "$work/project/wide.yaml" -o "$work/emitted/wide.py" 2>/dev/null

# The same DAG as a person would write it: one BashOperator per table, the same command, the same edges.
{
    cat <<'PY'
from datetime import timedelta

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG
from airflow.timetables.interval import CronDataIntervalTimetable

with DAG(
    dag_id="wide_by_hand",
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=1)},
) as dag:
PY
    for ((i = 0; i < 1000; i++)); do
        printf '    t%d = BashOperator(task_id="s.t%d", bash_command="pipec run /srv/wide.yaml s.t%d --logical-date {{ logical_date }} --run-id {{ run_id }} --try {{ ti.try_number }}")\n' $i $i $i
    done
    printf '    noop = BashOperator(task_id="noop", bash_command="pipec run /srv/wide.yaml noop --logical-date {{ logical_date }}")\n'
    for ((i = 1; i < 1000; i++)); do printf '    t%d >> t%d\n' $(((i - 1) / 2)) $i; done
} >"$work/hand/wide_by_hand.py"

echo "== DagBag parse time, 1,000 tables (Airflow $("$venv/bin/python" -c 'import airflow; print(airflow.__version__)'))"
"$venv/bin/python" bench/airflow/parse_bench.py "$work/emitted/wide.py" "$work/hand/wide_by_hand.py" 7 2>/dev/null | grep -v '^\S*Z \['

echo "== pipec run per-task overhead (one trivial SQL task on SQLite, 20 runs)"
walls=() units=()
for ((n = 1; n <= 20; n++)); do
    day=$(printf '2025-01-%02d' "$n")
    start=$(date +%s%N)
    out=$("$pipec" run "$work/project/wide.yaml" noop --logical-date "${day}T00:00:00+00:00" --run-id "scheduled__${day}T00:00:00+00:00" --try 1)
    walls+=($(( ($(date +%s%N) - start) / 1000000 )))
    units+=($(sed -n 's/.*noop succeeded in \([0-9]*\)ms.*/\1/p' <<<"$out" | head -1))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "pipec run wall time: median $(median "${walls[@]}") ms; the unit's own work: median $(median "${units[@]}") ms"
echo "(the first run also creates the 1,000 tables; later runs check them: that check is most of the overhead on this spec)"
