#!/usr/bin/env bash
# Regenerates the README's lineage picture: `pipec lineage specs/medallion.yaml --format dot`, drawn by Graphviz
# into docs/medallion-lineage.svg (what the README shows) and docs/medallion-lineage.png (for viewers without SVG).
# Installs Graphviz when `dot` is missing. Run it after changing specs/medallion.yaml or the DOT renderer.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if ! command -v dot >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "lineage-picture: installing graphviz"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends graphviz >/dev/null
fi

swift build --product pipec 2>&1 | tail -n 1
bin=$(swift build --show-bin-path)
mkdir -p docs
"$bin/pipec" lineage specs/medallion.yaml --format dot > .build/medallion-lineage.dot
dot -Tsvg .build/medallion-lineage.dot > docs/medallion-lineage.svg
dot -Tpng -Gdpi=110 .build/medallion-lineage.dot > docs/medallion-lineage.png
echo "wrote docs/medallion-lineage.svg and docs/medallion-lineage.png"
