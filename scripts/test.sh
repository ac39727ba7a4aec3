#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: the Swift test suites (unit, golden CLI, fuzz), then the
# JSON Schema that `pipec schema` prints checked against every spec by an independent validator.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "== swift build"
swift build --build-tests
echo "== swift test"
swift test 2>&1

echo "== JSON Schema vs specs (check-jsonschema)"
venv=$(scripts/python-tools.sh)
bin=$(swift build --show-bin-path)
"$bin/pipec" schema > .build/pipec-schema.json
mapfile -t specs < <(ls specs/*.yaml examples/*/*.yaml 2>/dev/null)
"$venv/bin/check-jsonschema" --schemafile .build/pipec-schema.json "${specs[@]}"
echo "== all tests passed"
