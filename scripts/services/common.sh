# Shared by the service scripts in this directory (and scripts/python-tools.sh, which uses only ensure_venv):
# source it after `set -euo pipefail`. It only defines functions and `me`, the script's name for messages.
#
# The server functions read these variables, which the sourcing script sets:
#   url, port    what `start`/`url` print, and the port named in messages
#   state, lock  /tmp/pipec-<name>-<port>.dir (holds the path of the running server's temp dir) and .lock
#   tmp_prefix   the server's temp dir is "$tmp_prefix.XXXXXX"; only such a dir is ever deleted
#   process      (servers that run_server starts) a string in the server's command line, e.g. moto_server
# and these functions, which it defines: start, stop, running_dir (prints the running server's temp dir, or fails).

me=${0##*/}

# Descriptors inherited from the caller (its sockets, database files, the lock of `dispatch`) would stay open as
# long as the server runs, and a pipe held open that way keeps a caller reading our output waiting forever: the
# server is started from a subshell that closes everything above stderr first (255 is bash's own script descriptor).
close_inherited_fds() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if [[ $fd =~ ^[0-9]+$ ]] && (( fd > 2 && fd != 255 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

# Prints the path of a venv with the packages of REQS, creating it once. It lives outside the clone, in
# ${PIPEC_CACHE:-/var/cache/pipec-ci}/KEY-<hash of REQS> (~/.cache/pipec-ci when that cannot be made), so repeated
# runs on one machine reuse it. Parallel callers (test processes, several clones) serialize on KEY-<hash>.lock: one
# creates the venv while the others wait. `.complete` marks a finished install; pip's output is shown only on failure.
ensure_venv() {   # key reqs [program that bin/ must hold; python]
    local key=$1 reqs=$2 program=${3:-python} hash cache venv log
    hash=$(sha256sum "$reqs" | cut -c1-12)
    cache="${PIPEC_CACHE:-/var/cache/pipec-ci}"
    mkdir -p "$cache" 2>/dev/null || { cache="$HOME/.cache/pipec-ci"; mkdir -p "$cache"; }
    venv="$cache/$key-$hash"
    (
        exec 8>"$venv.lock"
        flock 8
        if [[ ! -x "$venv/bin/$program" || ! -f "$venv/.complete" ]]; then
            rm -rf "$venv"
            log=$(mktemp "/tmp/pipec-$key-pip.XXXXXX")
            if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check -r "$reqs"; } >"$log" 2>&1; then
                echo "$me: could not create the venv $venv:" >&2
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

port_in_use() {   # port: does anything accept connections there?
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_alive() {   # pid: is it our server (its command line holds $process)?
    [[ -n "$1" && -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "$process"
}

# Deletes the server's temp dir (only one of ours) and the state file.
remove_state() {   # dir
    [[ "$1" == "$tmp_prefix".* ]] && rm -rf "$1"
    rm -f "$state"
}

# For servers that run_server starts (their pid is in DIR/pid): ---------------------------------------------------

# Makes the server's temp dir, records it in the state file and prints it.
new_state_dir() {
    local dir
    dir=$(mktemp -d "$tmp_prefix.XXXXXX")
    printf '%s\n' "$dir" >"$state"
    printf '%s\n' "$dir"
}

# Starts COMMAND in the background in DIR with its output in LOG, and writes its pid to DIR/pid. setsid: a Ctrl-C
# meant for the caller's process group does not reach the server. In a script (no job control) the subshell is no
# group leader, so setsid execs in place and $! is the server's pid.
run_server() {   # dir log command...
    local dir=$1 log=$2
    shift 2
    (close_inherited_fds
     cd "$dir"
     exec setsid "$@" </dev/null >"$log" 2>&1) &
    printf '%s\n' "$!" >"$dir/pid"
}

# Polls CHECK every 0.1 s, at most TENTHS times, while the server of DIR/pid lives: succeeds once CHECK does.
wait_ready() {   # dir tenths check...
    local pid i n=$2
    pid=$(<"$1/pid")
    shift 2
    for ((i = 0; i < n; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        if "$@"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# running_dir for these servers: prints the temp dir when its server still runs and CHECK DIR succeeds.
running_pid_dir() {   # check
    [[ -f "$state" ]] || return 1
    local dir pid
    dir=$(<"$state")
    [[ -n "$dir" && -f "$dir/pid" ]] || return 1
    pid=$(<"$dir/pid")
    pid_alive "$pid" || return 1
    "$1" "$dir" || return 1
    printf '%s\n' "$dir"
}

# stop for these servers: SIGTERM, up to TENTHS tenths of a second to exit, then SIGKILL (saying so with `warn`);
# then delete the temp dir and the state file. A no-op when there is no state file.
stop_pid_server() {   # tenths [warn]
    [[ -f "$state" ]] || return 0
    local tenths=$1 warn=${2:-} dir pid i
    dir=$(<"$state")
    if [[ -f "$dir/pid" ]]; then
        pid=$(<"$dir/pid")
        if pid_alive "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            for ((i = 0; i < tenths; i++)); do
                pid_alive "$pid" || break
                sleep 0.1
            done
            if pid_alive "$pid"; then
                if [[ -n "$warn" ]]; then
                    echo "$me: the server (pid $pid) ignored SIGTERM for $((tenths / 10)) s; killing it" >&2
                fi
                kill -KILL "$pid" 2>/dev/null || true
                sleep 0.2
            fi
        fi
    fi
    remove_state "$dir"
}

# -------------------------------------------------------------------------------------------------------------------

# The scripts' main: `start` and `stop` run under $lock, so parallel callers (test processes) get the same server;
# `url` prints the URL or fails. A script with more subcommands handles them first and lists them all in USAGE.
dispatch() {   # command [usage]
    local command=$1 usage=${2:-start|stop|url}
    case "$command" in
        start|stop)
            exec 9>"$lock"
            flock 9
            "$command"
            ;;
        url)
            if running_dir >/dev/null; then echo "$url"; else echo "$me: no server running on port $port" >&2; exit 1; fi
            ;;
        *)
            echo "usage: $0 $usage" >&2
            exit 2
            ;;
    esac
}
