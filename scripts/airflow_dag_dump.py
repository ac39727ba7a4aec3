"""Imports every DAG file of a folder with Airflow's own DagBag and writes what Airflow made of them as JSON to a file:
import errors, and per DAG its timetable, dates, catchup, max_active_runs, tags, and every task with its upstream
task ids, trigger rule, retries, delays, timeout, pool and TaskGroup. Used by the tests of `pipec emit airflow`,
on Airflow 3.x and 2.10 alike (run it with the venv's python). No database is needed."""
import json
import os
import sys


def seconds(delta):
    return None if delta is None else delta.total_seconds()


def main(folder, path):
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    try:
        from airflow.dag_processing.dagbag import DagBag  # Airflow 3
        bag = DagBag(dag_folder=folder)
    except ImportError:
        from airflow.models.dagbag import DagBag  # Airflow 2
        bag = DagBag(folder, include_examples=False)
    out = {"import_errors": {os.path.basename(k): v for k, v in bag.import_errors.items()}, "dags": {}}
    for dag_id, dag in bag.dags.items():
        timetable = dag.timetable
        tasks = {}
        for task in dag.tasks:
            group = task.task_group
            tasks[task.task_id] = {
                "operator": type(task).__name__,
                "upstream": sorted(task.upstream_task_ids),
                "trigger_rule": str(getattr(task.trigger_rule, "value", task.trigger_rule)),
                "retries": task.retries,
                "retry_delay": seconds(task.retry_delay),
                "retry_exponential_backoff": bool(task.retry_exponential_backoff),
                "max_retry_delay": seconds(task.max_retry_delay) if task.max_retry_delay is not None else None,
                "execution_timeout": seconds(task.execution_timeout),
                "pool": task.pool,
                "depends_on_past": bool(task.depends_on_past),
                "owner": task.owner,
                "group": None if group is None or group.group_id is None else group.group_id,
                "bash_command": getattr(task, "bash_command", None),
                "doc_md": task.doc_md,
            }
        out["dags"][dag_id] = {
            "timetable": type(timetable).__name__,
            "expression": getattr(timetable, "_expression", None),
            "timezone": str(getattr(timetable, "_timezone", "")) or None,
            "start_date": dag.start_date.isoformat() if dag.start_date else None,
            "end_date": dag.end_date.isoformat() if dag.end_date else None,
            "catchup": bool(dag.catchup),
            "max_active_runs": dag.max_active_runs,
            "tags": sorted(dag.tags or []),
            "description": dag.description,
            "tasks": tasks,
        }
    with open(path, "w") as f:  # not stdout: Airflow logs there
        json.dump(out, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
