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
# ...and the schema is not vacuous: specs with structural mistakes must be rejected by it too.
for case in unknown-task-key unknown-resource-kind wrong-type-integer missing-required-key sensor-with-two-conditions; do
    if "$venv/bin/check-jsonschema" --schemafile .build/pipec-schema.json "Tests/Fixtures/validate/$case/spec.yaml" >/dev/null 2>&1; then
        echo "the JSON Schema accepted Tests/Fixtures/validate/$case/spec.yaml" >&2
        exit 1
    fi
done
echo "schema rejects the 5 structurally invalid fixtures"
echo "== all tests passed"
