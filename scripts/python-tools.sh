#!/usr/bin/env bash
# Prints the path of a virtualenv holding the Python tools the tests use (check-jsonschema, pyarrow), creating it
# once. It lives outside the clone, keyed by the requirements, so repeated CI runs on one machine reuse it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
reqs="$here/requirements-tools.txt"
hash=$(sha256sum "$reqs" | cut -c1-12)
cache="${PIPEC_CACHE:-/var/cache/pipec-ci}"
mkdir -p "$cache" 2>/dev/null || cache="$HOME/.cache/pipec-ci"
venv="$cache/tools-$hash"
# Test processes (the Parquet interop tests, several clones on one machine) may ask at the same time: one
# creates the venv while the others wait.
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$reqs" >&2
    touch "$venv/.complete"
fi
echo "$venv"
