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
# The pieces all service scripts share are in common.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
port=${PIPEC_CH_HTTP_PORT:-18123}   # HTTP
tcp_port=${PIPEC_CH_TCP_PORT:-19000}
url="http://127.0.0.1:${port}"
state="/tmp/pipec-clickhouse-${port}.dir"   # holds the path of the running server's temp dir
lock="/tmp/pipec-clickhouse-${port}.lock"
tmp_prefix=/tmp/pipec-ch
process=clickhouse-server
source "$here/common.sh"

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

ping_ok() {
    [[ $(curl -s --max-time 2 "$url/ping" 2>/dev/null) == "Ok." ]]
}

running_dir() {
    running_pid_dir ping_ok
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
    <http_port>$port</http_port>
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
    for p in "$port" "$tcp_port"; do
        if port_in_use "$p"; then
            echo "clickhouse.sh: port $p on 127.0.0.1 is taken by another process (set PIPEC_CH_HTTP_PORT / PIPEC_CH_TCP_PORT)" >&2
            return 1
        fi
    done
    local dir
    dir=$(new_state_dir)
    mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
    write_config "$dir"
    run_server "$dir" "$dir/stdout.log" clickhouse-server --config-file="$dir/config.xml"
    if wait_ready "$dir" 300 ping_ok; then   # up to 30 s; it is usually ready in 0.1-0.2 s
        echo "$url"
        return 0
    fi
    echo "clickhouse.sh: the server did not start on 127.0.0.1:$port (HTTP) / $tcp_port (TCP):" >&2
    tail -n 30 "$dir/stdout.log" "$dir/server.err.log" 2>/dev/null | cut -c1-400 >&2 || true
    stop
    return 1
}

stop() {
    stop_pid_server 300 warn   # it exits in ~2 s; give it 30 s, then KILL
}

dispatch "${1:-}"
