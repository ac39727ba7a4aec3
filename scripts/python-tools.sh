#!/usr/bin/env bash
# Prints the path of a virtualenv holding the Python tools the tests use (check-jsonschema, pyarrow, and Jinja2,
# croniter and pendulum for the differential references of scripts/differential_reference.py), creating it
# once. It lives outside the clone, keyed by the requirements, so repeated CI runs on one machine reuse it; test
# processes (the Parquet interop tests, several clones on one machine) that ask at the same time wait for the one
# that creates it. The venv logic is ensure_venv in services/common.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/services/common.sh"
ensure_venv tools "$here/requirements-tools.txt"
