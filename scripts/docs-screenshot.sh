#!/usr/bin/env bash
# Regenerates the README's screenshots of the docs site: `pipec docs specs/medallion.yaml` into .build/docs-site,
# photographed by headless Chromium (its lineage page and one table's page) into docs/medallion-docs-*.png.
# Installs Chromium when it is missing. Run it after changing the site's pages or specs/medallion.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

if ! command -v chromium >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "docs-screenshot: installing chromium"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

swift build --product pipec 2>&1 | tail -n 1
bin=$(swift build --show-bin-path)
site=.build/docs-site
rm -rf "$site"
PIPEC_STATE= "$bin/pipec" docs specs/medallion.yaml -o "$site"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
shoot() {  # page, output, window size
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
        --host-resolver-rules="MAP * ~NOTFOUND" --window-size="$3" --screenshot="$2" "file://$PWD/$site/$1" 2>/dev/null
}
shoot pipelines/medallion/lineage.html docs/medallion-docs-lineage.png 1400,900
shoot pipelines/medallion/tables/silver.fact_events.html docs/medallion-docs-table.png 1200,1100
echo "wrote docs/medallion-docs-lineage.png and docs/medallion-docs-table.png"
