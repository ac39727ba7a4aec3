"""Renders bench/template/sql_template.sql with Jinja2 the way Airflow does (SandboxedEnvironment, StrictUndefined,
Airflow's date filters and macros) for N seconds and prints {"renders_per_second": X}.

usage: python3 jinja2_bench.py [seconds] [--print] [--plain]
  --plain  use jinja2.Environment instead of Airflow's SandboxedEnvironment (a faster, non-Airflow baseline)
"""
import datetime
import json
import os
import sys
import time

import jinja2
from jinja2.sandbox import SandboxedEnvironment


def ds_add(ds, days):
    # airflow.macros.ds_add
    if not days:
        return str(ds)
    dt = datetime.datetime.strptime(str(ds), "%Y-%m-%d") + datetime.timedelta(days=days)
    return dt.strftime("%Y-%m-%d")


def sql_literal(value):
    # pipec's sql_literal for the generic dialect, for the values this template uses
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


class Macros:
    ds_add = staticmethod(ds_add)


Macros.datetime = datetime.datetime
Macros.timedelta = datetime.timedelta


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else 3.0
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "sql_template.sql")) as f:
        source = f.read()
    environment = jinja2.Environment if "--plain" in sys.argv else SandboxedEnvironment
    env = environment(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.do"], cache_size=0)
    env.filters.update({
        "ds": lambda v: v.strftime("%Y-%m-%d"),
        "ds_nodash": lambda v: v.strftime("%Y%m%d"),
        "ts": lambda v: v.isoformat(),
        "ts_nodash": lambda v: v.strftime("%Y%m%dT%H%M%S"),
        "ts_nodash_with_tz": lambda v: v.isoformat().replace("-", "").replace(":", ""),
        "sql_literal": sql_literal,
    })
    template = env.from_string(source)
    logical = datetime.datetime(2025, 3, 1, 3, tzinfo=datetime.timezone.utc)
    context = {
        "ds": "2025-03-01", "ds_nodash": "20250301", "ts": logical.isoformat(),
        "ts_nodash": "20250301T030000", "ts_nodash_with_tz": "20250301T030000+0000",
        "logical_date": logical, "data_interval_start": logical,
        "data_interval_end": logical + datetime.timedelta(days=1),
        "run_id": "scheduled__2025-03-01T03:00:00+00:00", "macros": Macros,
        "params": {"schema": "silver", "table": "fact_events", "columns": ["event_name", "event_time", "country"],
                   "app_id": 1234, "source": "appmetrica's api", "dedupe": True},
    }
    if "--print" in sys.argv:
        print(template.render(**context))
        return
    for _ in range(200):
        template.render(**context)
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(100):
            template.render(**context)
        count += 100
        now = time.perf_counter()
        if now >= deadline:
            break
    print(json.dumps({"renders_per_second": count / (now - start)}))


if __name__ == "__main__":
    main()
