#!/usr/bin/env bash
# Prints the path of a virtualenv holding Apache Airflow (`3`, the default, or `2`), creating it once outside the
# clone (ensure_venv in services/common.sh), for the tests of the DAGs `pipec emit airflow` writes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/services/common.sh"
version=${1:-3}
case "$version" in
    2|3) ensure_venv "airflow$version" "$here/requirements-airflow$version.txt" airflow ;;
    *) echo "usage: $0 [2|3]" >&2; exit 2 ;;
esac
