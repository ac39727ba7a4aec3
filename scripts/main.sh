#!/usr/bin/env bash
# Sets up a fresh machine, builds pipec, and runs the main job on the shipped specs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)
echo "== pipec validate specs/*.yaml"
"$bin/pipec" validate specs/*.yaml
