#!/usr/bin/env python3
"""Golden reference for pipec's schedule semantics, computed by real Airflow.

    python3 scripts/airflow_reference.py --out Tests/PipecScheduleTests/Golden/airflow_context.json

For every case below and both Airflow versions, this script lets Airflow's own scheduler create the scheduled
DagRuns (catchup on, start/end dates bounding the wanted runs, tasks parked in a pool with no slots so nothing
executes), then renders each template expression for each run with the CLI's `task_render` (the code behind
`airflow tasks render DAG TASK RUN_ID`), and writes the rendered strings as sorted, deterministic JSON.

Airflow 2 (2.10.5) schedules a cron string with CronDataIntervalTimetable; Airflow 3 (3.x, default settings)
with CronTriggerTimetable. Both are recorded per case as `semantics` airflow2 / airflow3.

The virtualenvs live in `.venvs/airflow2` and `.venvs/airflow3` (git-ignored) and are created with pip on
first use (about a minute each). Only the standard library is used outside them.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# semantics label -> (pip requirement, venv directory under .venvs, the timetable a cron string must become)
VERSIONS = {
    "airflow2": ("apache-airflow==2.10.5", "airflow2", "CronDataIntervalTimetable"),
    "airflow3": ("apache-airflow>=3,<4", "airflow3", "CronTriggerTimetable"),
}

TEMPLATES = [
    "{{ ds }}",
    "{{ ds_nodash }}",
    "{{ ts }}",
    "{{ ts_nodash }}",
    "{{ ts_nodash_with_tz }}",
    "{{ logical_date }}",
    "{{ data_interval_start }}",
    "{{ data_interval_end }}",
    "{{ prev_ds }}",
    "{{ next_ds }}",
    "{{ prev_ds_nodash }}",
    "{{ next_ds_nodash }}",
    "{{ yesterday_ds }}",
    "{{ tomorrow_ds }}",
    "{{ yesterday_ds_nodash }}",
    "{{ tomorrow_ds_nodash }}",
    "{{ run_id }}",
    "{{ macros.ds_add(ds, -1) }}",
    "{{ macros.ds_add(ds, 7) }}",
    "{{ macros.ds_format(ds, '%Y-%m-%d', '%d/%m/%Y') }}",
    "{{ logical_date.strftime('%Y') }}",
    "{{ data_interval_end | ds }}",
    "{{ data_interval_start | ts_nodash }}",
    "{{ (data_interval_end - data_interval_start).total_seconds() }}",
    "{{ execution_date }}",
]

# Each case: cron (or preset), IANA zone, first and last schedule point as local wall clock (`start`, `end`
# become the DAG's start_date / end_date in that zone). Windows hold a handful of runs each.
CASES = [
    {"name": "hourly_preset_utc", "schedule": "@hourly", "timezone": "UTC",
     "start": "2022-02-01T01:00", "end": "2022-02-01T06:00"},
    {"name": "hourly_cron_utc", "schedule": "0 */1 * * *", "timezone": "UTC",
     "start": "2022-02-01T01:00", "end": "2022-02-01T06:00"},
    {"name": "daily_0300_utc", "schedule": "0 3 * * *", "timezone": "UTC",
     "start": "2025-02-27T00:00", "end": "2025-03-04T03:00"},
    {"name": "weekly_preset_utc", "schedule": "@weekly", "timezone": "UTC",
     "start": "2025-01-01T00:00", "end": "2025-02-09T00:00"},
    {"name": "weekly_monday_0600_utc", "schedule": "0 6 * * 1", "timezone": "UTC",
     "start": "2025-01-01T00:00", "end": "2025-02-10T06:00"},
    {"name": "monthly_preset_utc", "schedule": "@monthly", "timezone": "UTC",
     "start": "2024-11-01T00:00", "end": "2025-04-01T00:00"},
    {"name": "leap_day_daily_utc", "schedule": "0 3 * * *", "timezone": "UTC",
     "start": "2024-02-27T00:00", "end": "2024-03-02T03:00"},
    {"name": "leap_day_hourly_utc", "schedule": "@hourly", "timezone": "UTC",
     "start": "2024-02-29T21:00", "end": "2024-03-01T02:00"},
    {"name": "year_end_daily_utc", "schedule": "0 3 * * *", "timezone": "UTC",
     "start": "2025-12-29T00:00", "end": "2026-01-02T03:00"},
    {"name": "year_end_hourly_utc", "schedule": "@hourly", "timezone": "UTC",
     "start": "2025-12-31T21:00", "end": "2026-01-01T02:00"},
    {"name": "unaligned_start_daily_utc", "schedule": "0 3 * * *", "timezone": "UTC",
     "start": "2025-01-01T10:17", "end": "2025-01-05T03:00"},
    {"name": "dom_or_dow_utc", "schedule": "0 0 13 * 5", "timezone": "UTC",
     "start": "2025-06-01T00:00", "end": "2025-06-30T00:00"},
    {"name": "amsterdam_0300_spring", "schedule": "0 3 * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-03-27T00:00", "end": "2025-04-01T03:00"},
    {"name": "amsterdam_0300_fall", "schedule": "0 3 * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-10-23T00:00", "end": "2025-10-28T03:00"},
    {"name": "amsterdam_0000_spring", "schedule": "0 0 * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-03-27T00:00", "end": "2025-04-01T00:00"},
    {"name": "amsterdam_0000_fall", "schedule": "0 0 * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-10-23T00:00", "end": "2025-10-28T00:00"},
    {"name": "amsterdam_0230_spring", "schedule": "30 2 * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-03-27T00:00", "end": "2025-04-01T02:30"},
    {"name": "amsterdam_0230_fall", "schedule": "30 2 * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-10-23T00:00", "end": "2025-10-28T02:30"},
    {"name": "amsterdam_hourly_spring", "schedule": "0 * * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-03-29T23:00", "end": "2025-03-30T05:00"},
    {"name": "amsterdam_hourly_fall", "schedule": "0 * * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-10-25T23:00", "end": "2025-10-26T05:00"},
    {"name": "amsterdam_half_past_fall", "schedule": "30 * * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-10-26T00:00", "end": "2025-10-26T04:30"},
    {"name": "amsterdam_every_2h_fall", "schedule": "0 */2 * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-10-25T20:00", "end": "2025-10-26T08:00"},
    {"name": "amsterdam_every_2h_spring", "schedule": "0 */2 * * *", "timezone": "Europe/Amsterdam",
     "start": "2025-03-29T20:00", "end": "2025-03-30T08:00"},
    {"name": "new_york_0230_spring", "schedule": "30 2 * * *", "timezone": "America/New_York",
     "start": "2025-03-07T00:00", "end": "2025-03-11T02:30"},
    {"name": "new_york_0130_fall", "schedule": "30 1 * * *", "timezone": "America/New_York",
     "start": "2025-10-31T00:00", "end": "2025-11-04T01:30"},
    {"name": "new_york_hourly_fall", "schedule": "@hourly", "timezone": "America/New_York",
     "start": "2025-11-02T00:00", "end": "2025-11-02T03:00"},
    {"name": "kolkata_0300", "schedule": "0 3 * * *", "timezone": "Asia/Kolkata",
     "start": "2025-03-01T00:00", "end": "2025-03-04T03:00"},
]

DAG_FILE = r'''
import json
import pendulum

try:
    from airflow.sdk import DAG
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:
    from airflow import DAG
    from airflow.operators.bash import BashOperator

CASES = json.loads(__CASES__)


def make_dag(case, command="true"):
    """One DAG per case; `command` is the templated bash_command of its only task `t`."""
    tz = pendulum.timezone(case["timezone"])
    dag = DAG(
        dag_id=case["name"],
        schedule=case["schedule"],
        start_date=pendulum.parse(case["start"], tz=tz),
        end_date=pendulum.parse(case["end"], tz=tz),
        catchup=True,
        max_active_runs=100,
        is_paused_upon_creation=False,
    )
    BashOperator(task_id="t", bash_command=command, pool="zero", dag=dag)
    return dag


for _case in CASES:
    globals()["dag_" + _case["name"]] = make_dag(_case)
'''


def log(msg: str) -> None:
    print(f"[airflow_reference] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Driver (any python3): make the venvs, run one worker per version, merge and write the JSON.

def venv_python(name: str) -> Path:
    return REPO / ".venvs" / VERSIONS[name][1] / "bin" / "python"


def installed_airflow(python: Path) -> str | None:
    if not python.exists():
        return None
    probe = subprocess.run([str(python), "-c", "import airflow, sys; sys.stdout.write(airflow.__version__)"],
                           capture_output=True, text=True)
    return probe.stdout if probe.returncode == 0 else None


def ensure_venv(name: str) -> None:
    """Create (or repair) the venv so that it holds the Airflow version this label stands for."""
    requirement = VERSIONS[name][0]
    wanted = "2.10.5" if name == "airflow2" else "3."
    python = venv_python(name)
    version = installed_airflow(python)
    if version is not None and version.startswith(wanted):
        return
    venv = python.parent.parent
    log(f"installing {requirement} into {venv} (takes about a minute; found {version or 'nothing'})")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", requirement], check=True)


def run_driver(out: Path, only: list[str]) -> None:
    merged_cases = []
    versions = []
    for name in only:
        ensure_venv(name)
        with tempfile.TemporaryDirectory(prefix=f"pipec-{name}-") as tmp:
            result_file = Path(tmp) / "result.json"
            started = time.monotonic()
            subprocess.run([str(venv_python(name)), str(Path(__file__).resolve()), "--worker", name,
                            "--work-dir", tmp, "--out", str(result_file)], check=True)
            result = json.loads(result_file.read_text())
            log(f"{name}: {sum(len(c['runs']) for c in result['cases'])} runs in {time.monotonic() - started:.1f} s")
        versions.append(result["generated_by"])
        merged_cases.extend(result["cases"])
    merged_cases.sort(key=lambda c: (c["name"], c["semantics"]))
    document = {
        "generated_by": "scripts/airflow_reference.py with " + "; ".join(versions),
        "templates": TEMPLATES,
        "cases": merged_cases,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    log(f"wrote {out}")


# ---------------------------------------------------------------------------------------------------------------
# Worker (inside a venv): scheduler-created DagRuns, rendered with the CLI's task_render.

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def airflow_cli(*args: str) -> None:
    airflow = Path(sys.executable).parent / "airflow"
    subprocess.run([str(airflow), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_runs(db: Path, dag_ids: list[str], timeout: float) -> None:
    """Until every DAG's next run is past its end date (`next_dagrun_create_after` is NULL) and run counts settle."""
    deadline = time.monotonic() + timeout
    last_counts = None
    stable_since = None
    while time.monotonic() < deadline:
        time.sleep(1)
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            rows = dict(con.execute("SELECT dag_id, next_dagrun_create_after FROM dag").fetchall())
            counts = dict(con.execute("SELECT dag_id, count(*) FROM dag_run GROUP BY dag_id").fetchall())
            con.close()
        except sqlite3.Error:
            continue
        done = all(d in rows and rows[d] is None for d in dag_ids)
        if done and counts == last_counts:
            if stable_since and time.monotonic() - stable_since >= 2:
                return
        else:
            stable_since = time.monotonic()
        last_counts = counts
    raise SystemExit(f"scheduler did not create all runs within {timeout:.0f} s")


def run_scheduler(version: str, db: Path, dag_ids: list[str]) -> None:
    airflow = Path(sys.executable).parent / "airflow"
    proc = subprocess.Popen([str(airflow), "scheduler"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_for_runs(db, dag_ids, timeout=180)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def iso_z(dt) -> str:
    """UTC ISO 8601 with a Z, the form pipec's Instant prints."""
    import pendulum
    return pendulum.instance(dt).in_timezone("UTC").format("YYYY-MM-DDTHH:mm:ss") + "Z"


UNDEFINED = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined")


def render(version: str, task_render, dag, run_id: str) -> str:
    args = argparse.Namespace(dag_id=dag.dag_id, task_id="t", map_index=-1, subdir=None, bundle_name=None,
                              verbose=False, execution_date_or_run_id=run_id, logical_date_or_run_id=run_id)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        task_render(args, dag=dag)
    lines = buffer.getvalue().splitlines()
    marker = lines.index("# property: bash_command")
    return lines[marker + 2]


def run_worker(version: str, work_dir: Path, out: Path) -> None:
    home = work_dir / "home"
    dags = work_dir / "dags"
    home.mkdir()
    dags.mkdir()
    os.environ.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        # Each version's default, stated so a changed default cannot silently change the reference:
        # 2.10 turns cron strings into CronDataIntervalTimetable, 3.x into CronTriggerTimetable.
        "AIRFLOW__SCHEDULER__CREATE_CRON_DATA_INTERVALS": "True" if version == "airflow2" else "False",
        "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "1",
    })
    dag_file = dags / "pipec_reference.py"
    dag_file.write_text(DAG_FILE.replace("__CASES__", repr(json.dumps(CASES))))

    airflow_cli("db", "migrate")
    airflow_cli("pools", "set", "zero", "0", "no slots: tasks are rendered, never run")
    if version == "airflow3":
        airflow_cli("dags", "reserialize")
    run_scheduler(version, home / "airflow.db", [c["name"] for c in CASES])

    import importlib.util
    import warnings

    import airflow
    import pendulum
    from airflow.cli.commands.task_command import task_render
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    warnings.simplefilter("ignore")
    spec = importlib.util.spec_from_file_location("pipec_reference_dags", dag_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    cases = []
    for case in CASES:
        probe = module.make_dag(case)
        timetable = type(probe.timetable).__name__
        if timetable != VERSIONS[version][2]:
            raise SystemExit(f"{case['name']}: {version} scheduled it with {timetable}, expected {VERSIONS[version][2]}")
        with create_session() as session:
            runs = session.query(DagRun).filter(DagRun.dag_id == case["name"]).all()
            runs = [(r.run_id, str(r.run_type), r.logical_date if version == "airflow3" else r.execution_date,
                     r.run_after if version == "airflow3" else r.data_interval_end) for r in runs]
        runs.sort(key=lambda r: r[2])
        rendered_runs = []
        for run_id, run_type, logical_date, run_after in runs:
            if not run_type.lower().endswith("scheduled"):
                raise SystemExit(f"{case['name']}: unexpected {run_type} run {run_id}")
            values, undefined = {}, []
            for template in TEMPLATES:
                try:
                    values[template] = render(version, task_render, module.make_dag(case, template), run_id)
                except Exception as error:  # jinja2.UndefinedError comes wrapped differently per version
                    match = UNDEFINED.search(str(error))
                    if match is None:
                        raise
                    values[template] = None
                    undefined.append(match.group(1))
            rendered_runs.append({
                "logical_date": iso_z(logical_date),
                "run_after": iso_z(run_after),
                "values": values,
                "undefined": sorted(set(undefined)),
            })
        tz = pendulum.timezone(case["timezone"])
        cases.append({
            "name": case["name"],
            "schedule": case["schedule"],
            "timezone": case["timezone"],
            "start": pendulum.parse(case["start"], tz=tz).isoformat(),
            "end": pendulum.parse(case["end"], tz=tz).isoformat(),
            "semantics": version,
            "timetable": timetable,
            "runs": rendered_runs,
        })
        log(f"{version} {case['name']}: {len(rendered_runs)} runs ({timetable})")

    from importlib.metadata import version as installed
    generated_by = f"apache-airflow {airflow.__version__} (pendulum {installed('pendulum')}, " \
                   f"croniter {installed('croniter')})"
    out.write_text(json.dumps({"generated_by": generated_by, "cases": cases}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON")
    parser.add_argument("--only", choices=sorted(VERSIONS), action="append",
                        help="limit to one Airflow version (repeatable); default both")
    parser.add_argument("--worker", choices=sorted(VERSIONS), help=argparse.SUPPRESS)
    parser.add_argument("--work-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.work_dir, args.out)
    else:
        run_driver(args.out.resolve() if args.out.is_absolute() else (Path.cwd() / args.out).resolve(),
                   args.only or sorted(VERSIONS))


if __name__ == "__main__":
    main()
