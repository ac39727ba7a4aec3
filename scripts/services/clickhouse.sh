#!/usr/bin/env bash
# A throwaway ClickHouse 18.16 (Debian's clickhouse-server) for tests: scripts/services/clickhouse.sh start|stop|url
#
#   start  install clickhouse-server and clickhouse-client with apt-get when missing, write a minimal config into
#          a fresh temp dir under /tmp, start the server on 127.0.0.1 (HTTP ${PIPEC_CH_HTTP_PORT:-18123}, native
#          TCP ${PIPEC_CH_TCP_PORT:-19000}), wait until GET /ping answers "Ok." and print the HTTP URL.
#          Idempotent: a server already started by this script on that port is reused.
#   stop   SIGTERM the server, wait for it to exit, delete its dir. A no-op when none is running.
#   url    print the URL of the running server; exit 1 when none is running.
#
# User `default` with an empty password, allowed from 127.0.0.1 only. Logs (level warning) go to server.log and
# server.err.log in the temp dir, never to the console. Concurrent callers serialize on a lock file, so parallel
# test processes all get the same server. See /work/shared/notes/services.md (section 2) for what 18.16 can do.
set -euo pipefail

http_port=${PIPEC_CH_HTTP_PORT:-18123}
tcp_port=${PIPEC_CH_TCP_PORT:-19000}
url="http://127.0.0.1:${http_port}"
state="/tmp/pipec-clickhouse-${http_port}.dir"   # holds the path of the running server's temp dir
lock="/tmp/pipec-clickhouse-${http_port}.lock"

# See postgres.sh: inherited descriptors (the caller's pipes, the lock) must not stay open in the server.
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if [[ $fd =~ ^[0-9]+$ ]] && (( fd > 2 && fd != 255 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

ensure_installed() {
    if command -v clickhouse-server >/dev/null 2>&1 && command -v clickhouse-client >/dev/null 2>&1; then return 0; fi
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo=sudo
    echo "clickhouse.sh: installing clickhouse-server clickhouse-client" >&2
    # `apt-get update` is needed on a machine whose lists are empty; its output is kept for the error message.
    local log
    log=$(mktemp /tmp/pipec-ch-apt.XXXXXX)
    if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
            --no-install-recommends clickhouse-server clickhouse-client; } >"$log" 2>&1 9>&-; then
        echo "clickhouse.sh: apt-get install clickhouse-server clickhouse-client failed:" >&2
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
    command -v clickhouse-server >/dev/null 2>&1 || { echo "clickhouse.sh: clickhouse-server is not on PATH after the install" >&2; return 1; }
}

port_in_use() {   # port: does anything accept connections there?
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

ping_ok() {
    [[ $(curl -s --max-time 2 "$url/ping" 2>/dev/null) == "Ok." ]]
}

pid_alive() {   # pid: is it our clickhouse-server?
    [[ -n "$1" && -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q clickhouse-server
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

write_config() {   # dir
    local dir=$1
    cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by scripts/services/clickhouse.sh for one test server; deleted on stop. -->
<yandex>
    <logger>
        <console>0</console>
        <level>warning</level>
        <log>$dir/server.log</log>
        <errorlog>$dir/server.err.log</errorlog>
        <size>50M</size>
        <count>2</count>
    </logger>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$http_port</http_port>
    <tcp_port>$tcp_port</tcp_port>
    <timezone>UTC</timezone>
    <!-- Tests run a few clients in parallel on 2 cores; more than this is a runaway test. -->
    <max_concurrent_queries>32</max_concurrent_queries>
    <max_connections>256</max_connections>
    <keep_alive_timeout>10</keep_alive_timeout>
    <!-- Keep the RAM low: small caches (the defaults are 5 GiB marks, 8 GiB uncompressed). -->
    <mark_cache_size>67108864</mark_cache_size>
    <uncompressed_cache_size>16777216</uncompressed_cache_size>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <max_threads>2</max_threads>
        </default>
    </profiles>
    <users>
        <default>
            <password/>
            <networks><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas><default/></quotas>
</yandex>
EOF
}

start() {
    if running_dir >/dev/null; then
        echo "$url"
        return 0
    fi
    stop   # a stale state (server killed, dir left behind, or a hung server): clean up before starting anew
    ensure_installed
    local p
    for p in "$http_port" "$tcp_port"; do
        if port_in_use "$p"; then
            echo "clickhouse.sh: port $p on 127.0.0.1 is taken by another process (set PIPEC_CH_HTTP_PORT / PIPEC_CH_TCP_PORT)" >&2
            return 1
        fi
    done
    local dir pid
    dir=$(mktemp -d /tmp/pipec-ch.XXXXXX)
    mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
    write_config "$dir"
    printf '%s\n' "$dir" >"$state"
    # setsid: a Ctrl-C meant for the caller's process group does not reach the server. In a script (no job
    # control) the subshell is no group leader, so setsid execs in place and $! is the server's pid.
    (close_inherited_fds
     cd "$dir"
     exec setsid clickhouse-server --config-file="$dir/config.xml" </dev/null >"$dir/stdout.log" 2>&1) &
    pid=$!
    printf '%s\n' "$pid" >"$dir/pid"
    local i
    for ((i = 0; i < 300; i++)); do   # up to 30 s; it is usually ready in 0.1-0.2 s
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        if ping_ok; then
            echo "$url"
            return 0
        fi
        sleep 0.1
    done
    echo "clickhouse.sh: the server did not start on 127.0.0.1:$http_port (HTTP) / $tcp_port (TCP):" >&2
    tail -n 30 "$dir/stdout.log" "$dir/server.err.log" 2>/dev/null | cut -c1-400 >&2 || true
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
            for ((i = 0; i < 300; i++)); do   # it exits in ~2 s; give it 30 s, then KILL
                pid_alive "$pid" || break
                sleep 0.1
            done
            if pid_alive "$pid"; then
                echo "clickhouse.sh: the server (pid $pid) ignored SIGTERM for 30 s; killing it" >&2
                kill -KILL "$pid" 2>/dev/null || true
                sleep 0.2
            fi
        fi
    fi
    [[ "$dir" == /tmp/pipec-ch.* ]] && rm -rf "$dir"
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
        if running_dir >/dev/null; then echo "$url"; else echo "clickhouse.sh: no server running on port $http_port" >&2; exit 1; fi
        ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
