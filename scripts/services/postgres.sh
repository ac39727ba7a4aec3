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
# a lock file, so they all get the same server. The pieces all service scripts share are in common.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
port=${PIPEC_PG_PORT:-55432}
password=pipec
url="postgresql://postgres:${password}@127.0.0.1:${port}/postgres"
state="/tmp/pipec-postgres-${port}.dir"   # holds the path of the running cluster's temp dir
lock="/tmp/pipec-postgres-${port}.lock"
tmp_prefix=/tmp/pipec-pg
source "$here/common.sh"

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
        remove_state "$(<"$state")"
    fi
    local dir
    dir=$(mktemp -d "$tmp_prefix.XXXXXX")
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
    # The server runs on after pg_ctl returns: see close_inherited_fds in common.sh.
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
    remove_state "$dir"
}

dispatch "${1:-}"
