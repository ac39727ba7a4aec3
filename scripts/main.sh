#!/usr/bin/env bash
# Sets up a fresh machine, builds pipec, and runs the main job: validate the shipped specs, compile the
# medallion spec into its plan, and apply the quickstart on the embedded SQLite engine (nothing else to run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "== swift build -c release"
swift build -c release --product pipec
pipec="$(swift build -c release --show-bin-path)/pipec"

echo "== pipec validate specs/*.yaml"
"$pipec" validate specs/*.yaml

echo "== pipec compile specs/medallion.yaml --ds 2025-01-01T05:00:00Z"
mkdir -p .pipec
"$pipec" compile specs/medallion.yaml --ds 2025-01-01T05:00:00Z > .pipec/medallion.plan.txt
head -n 5 .pipec/medallion.plan.txt
echo "   ... (the whole plan: .pipec/medallion.plan.txt, $(wc -l < .pipec/medallion.plan.txt) lines)"
tail -n 1 .pipec/medallion.plan.txt

echo "== pipec apply examples/quickstart/quickstart.yaml --from 2025-01-01 --to 2025-01-07"
"$pipec" apply examples/quickstart/quickstart.yaml --from 2025-01-01 --to 2025-01-07 --rerun
echo "== pipec runs examples/quickstart/quickstart.yaml --last 1"
"$pipec" runs examples/quickstart/quickstart.yaml --last 1
echo "== the gold table's export for 2025-01-07: examples/quickstart/out/daily_revenue/dt=2025-01-07/revenue.csv"
cat examples/quickstart/out/daily_revenue/dt=2025-01-07/revenue.csv
