#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for tests and benchmarks: scripts/services/postgres.sh start|stop|url
#
#   start  initdb into a fresh temp dir under /tmp (as the `postgres` user when run as root, since initdb refuses
#          root), start the server on 127.0.0.1:${PIPEC_PG_PORT:-55432} with durability switched off, and print
#          its URL. Idempotent: a server already started by this script on that port is reused.
#   stop   stop that server and delete its dir. A no-op when none is running.
#   url    print the URL of the running server; exit 1 when none is running.
#
# TCP connections need scram-sha-256 with password `pipec` (so tests exercise URIs with passwords); the unix
# socket lives in the temp dir and trusts local users. Concurrent callers (parallel test processes) serialize on
# a lock file, so they all get the same server.
set -euo pipefail

port=${PIPEC_PG_PORT:-55432}
password=pipec
url="postgresql://postgres:${password}@127.0.0.1:${port}/postgres"
state="/tmp/pipec-postgres-${port}.dir"   # holds the path of the running cluster's temp dir
lock="/tmp/pipec-postgres-${port}.lock"

bindir=${PIPEC_PG_BINDIR:-}
if [[ -z "$bindir" ]]; then
    for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [[ -x "$candidate/initdb" ]]; then bindir=$candidate; break; fi
    done
fi
if [[ -z "$bindir" || ! -x "$bindir/pg_ctl" ]]; then
    echo "postgres.sh: no PostgreSQL server binaries found (install postgresql-15 or set PIPEC_PG_BINDIR)" >&2
    exit 1
fi

# initdb and the server refuse to run as root: run them as `postgres` then, as the current user otherwise.
as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Descriptors inherited from the caller (its sockets, database files, the lock below) would stay open as long as
# the server runs, and a pipe held open that way keeps a caller reading our output waiting forever: the server is
# started from a subshell that closes everything above stderr first (255 is bash's own script descriptor).
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if [[ $fd =~ ^[0-9]+$ ]] && (( fd > 2 && fd != 255 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

running_dir() {
    [[ -f "$state" ]] || return 1
    local dir
    dir=$(<"$state")
    [[ -n "$dir" && -d "$dir/data" ]] || return 1
    as_server_user "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 || return 1
    printf '%s\n' "$dir"
}

start() {
    if running_dir >/dev/null; then
        echo "$url"
        return 0
    fi
    # A stale state file (server killed, dir deleted): clean up what is left before starting anew.
    if [[ -f "$state" ]]; then
        local old
        old=$(<"$state")
        [[ "$old" == /tmp/pipec-pg.* ]] && rm -rf "$old"
        rm -f "$state"
    fi
    local dir
    dir=$(mktemp -d /tmp/pipec-pg.XXXXXX)
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    printf '%s\n' "$password" >"$dir/pwfile"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir/pwfile"; fi
    if ! as_server_user "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 9>&-; then
        echo "postgres.sh: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        return 1
    fi
    rm -f "$dir/pwfile"
    if ! (close_inherited_fds
          as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
              -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
              start >/dev/null); then
        echo "postgres.sh: the server did not start on port $port:" >&2
        cat "$dir/server.log" >&2
        rm -rf "$dir"
        return 1
    fi
    printf '%s\n' "$dir" >"$state"
    echo "$url"
}

stop() {
    local dir
    if dir=$(running_dir); then
        as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    elif [[ -f "$state" ]]; then
        dir=$(<"$state")
    else
        return 0
    fi
    [[ "$dir" == /tmp/pipec-pg.* ]] && rm -rf "$dir"
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
        if running_dir >/dev/null; then echo "$url"; else echo "postgres.sh: no server running on port $port" >&2; exit 1; fi
        ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
