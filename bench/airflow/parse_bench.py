"""DagBag parse time of two DAG files, measured alternately in one process (median of N rounds each), and their
ratio. Usage: python parse_bench.py EMITTED.py HAND_WRITTEN.py [ROUNDS]"""
import os
import statistics
import sys
import time

os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
try:
    from airflow.dag_processing.dagbag import DagBag  # Airflow 3

    def parse(path):
        return DagBag(dag_folder=path)
except ImportError:
    from airflow.models.dagbag import DagBag  # Airflow 2

    def parse(path):
        return DagBag(path, include_examples=False)


def timed(path):
    start = time.perf_counter()
    bag = parse(path)
    elapsed = time.perf_counter() - start
    assert not bag.import_errors, bag.import_errors
    (dag,) = bag.dags.values()
    return elapsed, len(dag.tasks)


emitted, hand = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
timed(emitted), timed(hand)  # warm: imports, bytecode caches
e_times, h_times = [], []
for _ in range(rounds):
    e, n_e = timed(emitted)
    h, n_h = timed(hand)
    e_times.append(e)
    h_times.append(h)
e_med, h_med = statistics.median(e_times), statistics.median(h_times)
print(f"emitted DAG ({n_e} tasks):      {e_med * 1000:8.1f} ms  (median of {rounds})")
print(f"hand-written DAG ({n_h} tasks): {h_med * 1000:8.1f} ms  (median of {rounds})")
print(f"ratio emitted / hand-written: {e_med / h_med:.2f}")
