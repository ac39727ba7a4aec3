#!/usr/bin/env bash
# A throwaway ClickHouse 26.9 (chdb, embedded) behind a ClickHouse-compatible HTTP front end, for tests that need
# modern ClickHouse SQL (window functions, CTEs, ...): scripts/services/chdb.sh start|stop|url
#
#   start  create (once) a venv with the pinned chdb of requirements-chdb.txt outside the clone, start
#          Tests/Servers/chdb_http.py on 127.0.0.1:${PIPEC_CHDB_PORT:-18124} over a database dir in a fresh temp dir,
#          wait until GET /ping answers "Ok." and print the URL. Idempotent: a server already started by this script
#          on that port is reused.
#   stop   SIGTERM the server, wait for it to exit, delete its dir. A no-op when none is running.
#   url    print the URL of the running server; exit 1 when none is running.
#
# Any user/password is accepted unless PIPEC_CHDB_PASSWORD is set at start. What the front end supports and how it
# differs from the Debian 18.16 server: Tests/Servers/chdb_http.py and /work/shared/notes/services.md ("chdb").
# The venv lives in ${PIPEC_CACHE:-/var/cache/pipec-ci}/chdb-<hash of requirements-chdb.txt> (0.9 GB, ~15-35 s to make).
# The pieces all service scripts share are in common.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
shim="$(cd "$here/../.." && pwd)/Tests/Servers/chdb_http.py"
port=${PIPEC_CHDB_PORT:-18124}
url="http://127.0.0.1:${port}"
state="/tmp/pipec-chdb-${port}.dir"   # holds the path of the running server's temp dir
lock="/tmp/pipec-chdb-${port}.lock"
tmp_prefix=/tmp/pipec-chdb
process=chdb_http.py
source "$here/common.sh"

ping_ok() {
    [[ $(curl -s --max-time 2 "$url/ping" 2>/dev/null) == "Ok." ]]
}

running_dir() {
    running_pid_dir ping_ok
}

start() {
    if running_dir >/dev/null; then
        echo "$url"
        return 0
    fi
    stop   # a stale state (server killed, dir left behind, or a hung server): clean up before starting anew
    local venv
    venv=$(ensure_venv chdb "$here/requirements-chdb.txt")
    if port_in_use "$port"; then
        echo "chdb.sh: port $port on 127.0.0.1 is taken by another process (set PIPEC_CHDB_PORT)" >&2
        return 1
    fi
    local dir
    local -a extra=()
    [[ -n "${PIPEC_CHDB_PASSWORD:-}" ]] && extra=(--password "$PIPEC_CHDB_PASSWORD")
    dir=$(new_state_dir)
    run_server "$dir" "$dir/server.log" "$venv/bin/python" "$shim" --port "$port" --path "$dir/db" "${extra[@]}"
    if wait_ready "$dir" 600 ping_ok; then   # up to 60 s; it is usually ready in ~0.5 s (the .so is 555 MB)
        echo "$url"
        return 0
    fi
    echo "chdb.sh: the chdb front end did not start on 127.0.0.1:$port:" >&2
    tail -n 30 "$dir/server.log" >&2 || true
    stop
    return 1
}

stop() {
    stop_pid_server 100
}

dispatch "${1:-}"
