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
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
shim="$(cd "$here/../.." && pwd)/Tests/Servers/chdb_http.py"
port=${PIPEC_CHDB_PORT:-18124}
url="http://127.0.0.1:${port}"
state="/tmp/pipec-chdb-${port}.dir"   # holds the path of the running server's temp dir
lock="/tmp/pipec-chdb-${port}.lock"

# See postgres.sh: inherited descriptors (the caller's pipes, the lock) must not stay open in the server.
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if [[ $fd =~ ^[0-9]+$ ]] && (( fd > 2 && fd != 255 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

# Prints the venv's path, creating it once (see scripts/python-tools.sh); a lock keeps two callers from racing.
ensure_venv() {
    local reqs="$here/requirements-chdb.txt" hash cache venv log
    hash=$(sha256sum "$reqs" | cut -c1-12)
    cache="${PIPEC_CACHE:-/var/cache/pipec-ci}"
    mkdir -p "$cache" 2>/dev/null || { cache="$HOME/.cache/pipec-ci"; mkdir -p "$cache"; }
    venv="$cache/chdb-$hash"
    (
        exec 8>"$venv.lock"
        flock 8
        if [[ ! -x "$venv/bin/python" || ! -f "$venv/.complete" ]]; then
            rm -rf "$venv"
            log=$(mktemp /tmp/pipec-chdb-pip.XXXXXX)
            if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check -r "$reqs"; } >"$log" 2>&1; then
                echo "chdb.sh: could not create the venv $venv:" >&2
                cat "$log" >&2
                rm -rf "$venv" "$log"
                exit 1
            fi
            rm -f "$log"
            touch "$venv/.complete"
        fi
    ) 9>&- || return 1
    printf '%s\n' "$venv"
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

ping_ok() {
    [[ $(curl -s --max-time 2 "$url/ping" 2>/dev/null) == "Ok." ]]
}

pid_alive() {   # pid: is it our chdb_http.py?
    [[ -n "$1" && -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q chdb_http.py
}

running_dir() {
    [[ -f "$state" ]] || return 1
    local dir pid
    dir=$(<"$state")
    [[ -n "$dir" && -f "$dir/pid" ]] || return 1
    pid=$(<"$dir/pid")
    pid_alive "$pid" || return 1
    ping_ok || return 1
    printf '%s\n' "$dir"
}

start() {
    if running_dir >/dev/null; then
        echo "$url"
        return 0
    fi
    stop   # a stale state (server killed, dir left behind, or a hung server): clean up before starting anew
    local venv
    venv=$(ensure_venv)
    if port_in_use "$port"; then
        echo "chdb.sh: port $port on 127.0.0.1 is taken by another process (set PIPEC_CHDB_PORT)" >&2
        return 1
    fi
    local dir pid i
    local -a extra=()
    [[ -n "${PIPEC_CHDB_PASSWORD:-}" ]] && extra=(--password "$PIPEC_CHDB_PASSWORD")
    dir=$(mktemp -d /tmp/pipec-chdb.XXXXXX)
    printf '%s\n' "$dir" >"$state"
    # setsid: see clickhouse.sh ($! is the server's pid: in a script, setsid execs in place).
    (close_inherited_fds
     cd "$dir"
     exec setsid "$venv/bin/python" "$shim" --port "$port" --path "$dir/db" "${extra[@]}" </dev/null >"$dir/server.log" 2>&1) &
    pid=$!
    printf '%s\n' "$pid" >"$dir/pid"
    for ((i = 0; i < 600; i++)); do   # up to 60 s; it is usually ready in ~0.5 s (the .so is 555 MB)
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        if ping_ok; then
            echo "$url"
            return 0
        fi
        sleep 0.1
    done
    echo "chdb.sh: the chdb front end did not start on 127.0.0.1:$port:" >&2
    tail -n 30 "$dir/server.log" >&2 || true
    stop
    return 1
}

stop() {
    [[ -f "$state" ]] || return 0
    local dir pid i
    dir=$(<"$state")
    if [[ -f "$dir/pid" ]]; then
        pid=$(<"$dir/pid")
        if pid_alive "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            for ((i = 0; i < 100; i++)); do
                pid_alive "$pid" || break
                sleep 0.1
            done
            if pid_alive "$pid"; then
                kill -KILL "$pid" 2>/dev/null || true
                sleep 0.2
            fi
        fi
    fi
    [[ "$dir" == /tmp/pipec-chdb.* ]] && rm -rf "$dir"
    rm -f "$state"
}

command=${1:-}
case "$command" in
    start|stop)
        exec 9>"$lock"
        flock 9
        "$command"
        ;;
    url)
        if running_dir >/dev/null; then echo "$url"; else echo "chdb.sh: no server running on port $port" >&2; exit 1; fi
        ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
