#!/usr/bin/env bash
# End to end on a real Airflow 3 (scripts/airflow-venv.sh): the quickstart's DAG from `pipec emit airflow` is run by
# Airflow's scheduler with the LocalExecutor (parallelism 2) over its seven scheduled days, each task calling
# `pipec run` on a copy of the project; the tables and exported files must equal those of
# `pipec apply --from 2025-01-01 --to 2025-01-07` on a fresh copy, and a later `pipec plan`/`apply` must find nothing
# to run. Usage: scripts/airflow-quickstart-e2e.sh PIPEC_BINARY. Takes about two minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
pipec=$(realpath "${1:?usage: $0 PIPEC_BINARY}")
venv=$("$here/airflow-venv.sh" 3)
work=$(mktemp -d /tmp/pipec-airflow-e2e.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    sleep 2
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    if [[ -z "${KEEP:-}" ]]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT
fail() { echo "airflow e2e: $*" >&2; [[ -f "$work/scheduler.log" ]] && tail -40 "$work/scheduler.log" >&2; exit 1; }
free_port() { "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cp -r "$root/examples/quickstart" "$work/airflow-project"
cp -r "$root/examples/quickstart" "$work/apply-project"
mkdir -p "$work/dags"
"$pipec" emit airflow "$work/airflow-project/quickstart.yaml" -o "$work/dags/quickstart.py" --pipec "$pipec"

api_port=$(free_port)
export AIRFLOW_HOME="$work/home" AIRFLOW__CORE__LOAD_EXAMPLES=False AIRFLOW__CORE__DAGS_FOLDER="$work/dags" \
       AIRFLOW__CORE__EXECUTOR=LocalExecutor AIRFLOW__CORE__PARALLELISM=2 AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False \
       AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$api_port/execution/" \
       AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=$(free_port) AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=1 \
       PATH="$venv/bin:$PATH"
unset PIPEC_STATE
airflow db migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; fail "airflow db migrate failed"; }
airflow dags reserialize >"$work/reserialize.log" 2>&1 || fail "reserialize failed"
airflow dags unpause quickstart >/dev/null 2>&1 || true
airflow api-server --apps execution -H 127.0.0.1 -p "$api_port" -w 1 >"$work/api.log" 2>&1 &
pids+=($!)
healthy() { "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$1" 2>/dev/null; }
for _ in $(seq 150); do healthy "http://127.0.0.1:$api_port/execution/health" && break; sleep 0.2; done
started=$(date +%s)
airflow scheduler >"$work/scheduler.log" 2>&1 &
pids+=($!)

# Wait for the seven runs to end (the metadata database is SQLite: read it directly).
runs() { "$venv/bin/python" - "$AIRFLOW_HOME/airflow.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT state, count(*) FROM dag_run WHERE dag_id = 'quickstart' GROUP BY state").fetchall()
print(" ".join(f"{s}={n}" for s, n in rows))
PY
}
while :; do
    state=$(runs 2>/dev/null || true)
    [[ "$state" == "success=7" ]] && break
    [[ "$state" == *failed* ]] && fail "a DAG run failed: $state"
    (( $(date +%s) - started > 600 )) && fail "the runs did not finish in 10 minutes: $state"
    sleep 2
done
echo "airflow e2e: 7 runs succeeded in $(( $(date +%s) - started )) s"
"$venv/bin/python" - "$AIRFLOW_HOME/airflow.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
overlap = db.execute("""SELECT count(*) FROM task_instance a JOIN task_instance b ON a.dag_id = b.dag_id AND a.rowid < b.rowid
                        WHERE a.dag_id = 'quickstart' AND a.start_date < b.end_date AND b.start_date < a.end_date""").fetchone()[0]
print(f"airflow e2e: task instances that overlapped in time: {overlap} pairs")
PY

"$pipec" apply "$work/apply-project/quickstart.yaml" --from 2025-01-01 --to 2025-01-07 >"$work/apply.log" 2>&1 || { cat "$work/apply.log"; fail "pipec apply failed"; }

# The same tables, row for row, and the same exported files.
dump() { "$venv/bin/python" - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"):
    columns = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')]
    # When a row was quarantined, and by which run id (Airflow 3 names a data-interval run after its end), differ by design.
    keep = [c for c in columns if c not in ("_pipec_run_id", "_pipec_quarantined_at")]
    print(f"== {name} ({', '.join(keep)})")
    for row in db.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in keep)} FROM "{name}" ORDER BY 1, 2, 3'):
        print(row)
PY
}
dump "$work/airflow-project/.pipec/quickstart.sqlite" >"$work/airflow.tables"
dump "$work/apply-project/.pipec/quickstart.sqlite" >"$work/apply.tables"
diff -u "$work/apply.tables" "$work/airflow.tables" || fail "the tables differ from pipec apply's"
[[ $(grep -c '^(' "$work/airflow.tables") -gt 0 ]] || fail "no rows at all"
diff -r "$work/apply-project/out" "$work/airflow-project/out" || fail "the exported files differ from pipec apply's"
[[ $(find "$work/airflow-project/out" -type f | wc -l) -eq 7 ]] || fail "expected 7 exported files"
echo "airflow e2e: tables ($(grep -c '^(' "$work/airflow.tables") rows) and 7 exported files equal pipec apply's"

# pipec sees what Airflow ran: no interval left, and the history shows the runs.
plan_rc=0
"$pipec" plan "$work/airflow-project/quickstart.yaml" --detailed-exitcode >"$work/plan.log" 2>&1 || plan_rc=$?
[[ $plan_rc -eq 0 ]] || { cat "$work/plan.log"; fail "pipec plan after Airflow: exit $plan_rc, expected 0 (nothing to do)"; }
"$pipec" apply "$work/airflow-project/quickstart.yaml" >"$work/apply-after.log" 2>&1 || { cat "$work/apply-after.log"; fail "pipec apply after Airflow failed"; }
grep -q "nothing to do" "$work/apply-after.log" || { cat "$work/apply-after.log"; fail "pipec apply after Airflow ran something"; }
"$pipec" runs "$work/airflow-project/quickstart.yaml" --last 7 >"$work/runs.log"
[[ $(grep -c 'apply airflow:quickstart:scheduled__2025-01-0' "$work/runs.log") -eq 7 ]] || { cat "$work/runs.log"; fail "pipec runs does not show the 7 Airflow runs"; }
echo "airflow e2e: pipec plan and apply find nothing to run; pipec runs shows the 7 Airflow runs"
