#!/usr/bin/env bash
# Installs what building pipec needs on Debian bookworm: the C libraries' -dev packages and pkg-config.
# Idempotent and quick when everything is present. Swift 6 itself must already be installed.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "setup: swift not found; install Swift 6 and put it on PATH" >&2; exit 1; }

need=(libyaml-dev libcurl4-openssl-dev libpq-dev libsqlite3-dev zlib1g-dev libgraphviz-dev pkg-config)
missing=()
for p in "${need[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
