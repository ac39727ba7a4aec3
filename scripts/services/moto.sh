#!/usr/bin/env bash
# A throwaway moto_server (S3, Athena, IAM, ... in memory) for tests: scripts/services/moto.sh start|stop|url|env
#
#   python print the venv's python (it has boto3), creating the venv once
#   start  create (once) a venv with the pinned moto of requirements-moto.txt outside the clone, start
#          `moto_server -H 127.0.0.1 -p ${PIPEC_MOTO_PORT:-15000}`, create an IAM user with an allow-all policy and
#          an access key, switch signature checking on, and print the endpoint URL. Idempotent: a server already
#          started by this script on that port (and still accepting its key) is reused.
#   stop   SIGTERM the server, wait for it to exit, delete its dir. A no-op when none is running.
#   url    print the endpoint URL of the running server; exit 1 when none is running.
#   env    print `export PIPEC_TEST_S3_ENDPOINT=... AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... AWS_REGION=us-east-1`
#          for the running server (use: eval "$(scripts/services/moto.sh env)"); exit 1 when none is running.
#
# Signatures ARE checked (moto does not by default): a wrong secret gets 403 SignatureDoesNotMatch, an unknown key
# 403 InvalidAccessKeyId. The region is not checked. Do not call POST /moto-api/reset: it also deletes the IAM user,
# after which every request fails; delete buckets instead, or stop and start. Data lives in memory only.
# The venv lives in ${PIPEC_CACHE:-/var/cache/pipec-ci}/moto-<hash of requirements-moto.txt> (140 MB, ~20 s to make).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
port=${PIPEC_MOTO_PORT:-15000}
region=us-east-1
url="http://127.0.0.1:${port}"
state="/tmp/pipec-moto-${port}.dir"   # holds the path of the running server's temp dir
lock="/tmp/pipec-moto-${port}.lock"

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
    local reqs="$here/requirements-moto.txt" hash cache venv log
    hash=$(sha256sum "$reqs" | cut -c1-12)
    cache="${PIPEC_CACHE:-/var/cache/pipec-ci}"
    mkdir -p "$cache" 2>/dev/null || { cache="$HOME/.cache/pipec-ci"; mkdir -p "$cache"; }
    venv="$cache/moto-$hash"
    (
        exec 8>"$venv.lock"
        flock 8
        if [[ ! -x "$venv/bin/moto_server" || ! -f "$venv/.complete" ]]; then
            rm -rf "$venv"
            log=$(mktemp /tmp/pipec-moto-pip.XXXXXX)
            if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check -r "$reqs"; } >"$log" 2>&1; then
                echo "moto.sh: could not create the venv $venv:" >&2
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

pid_alive() {   # pid: is it our moto_server?
    [[ -n "$1" && -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q moto_server
}

# A SigV4-signed S3 ListBuckets with key:secret; prints the HTTP status (000 when nothing answers).
signed_status() {   # key secret
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 --aws-sigv4 "aws:amz:${region}:s3" --user "$1:$2" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$url/" 2>/dev/null || true
}

running_dir() {
    [[ -f "$state" ]] || return 1
    local dir pid key secret
    dir=$(<"$state")
    [[ -n "$dir" && -f "$dir/pid" && -f "$dir/credentials" ]] || return 1
    pid=$(<"$dir/pid")
    pid_alive "$pid" || return 1
    { read -r key; read -r secret; } <"$dir/credentials"
    [[ $(signed_status "$key" "$secret") == 200 ]] || return 1
    printf '%s\n' "$dir"
}

start() {
    if running_dir >/dev/null; then
        echo "$url"
        return 0
    fi
    stop   # a stale state (server killed, dir left behind, IAM wiped by /moto-api/reset): clean up first
    local venv
    venv=$(ensure_venv)
    if port_in_use "$port"; then
        echo "moto.sh: port $port on 127.0.0.1 is taken by another process (set PIPEC_MOTO_PORT)" >&2
        return 1
    fi
    local dir pid i ready=""
    dir=$(mktemp -d /tmp/pipec-moto.XXXXXX)
    printf '%s\n' "$dir" >"$state"
    # setsid: see clickhouse.sh ($! is the server's pid: in a script, setsid execs in place).
    (close_inherited_fds
     cd "$dir"
     exec setsid "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$dir/moto.log" 2>&1) &
    pid=$!
    printf '%s\n' "$pid" >"$dir/pid"
    for ((i = 0; i < 300; i++)); do   # up to 30 s; it is usually ready in ~0.5 s
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/moto-api/" 2>/dev/null || true) == 200 ]]; then
            ready=1
            break
        fi
        sleep 0.1
    done
    if [[ -z "$ready" ]]; then
        echo "moto.sh: moto_server did not start on 127.0.0.1:$port:" >&2
        tail -n 30 "$dir/moto.log" >&2 || true
        stop
        return 1
    fi
    # IAM user + allow-all policy + access key, while auth is still off (boto3 comes with moto).
    if ! PIPEC_MOTO_URL="$url" "$venv/bin/python" - >"$dir/credentials" 2>"$dir/iam.log" <<'EOF'
import json, os
import boto3
from botocore.config import Config
iam = boto3.client("iam", endpoint_url=os.environ["PIPEC_MOTO_URL"], region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap",
                   config=Config(retries={"max_attempts": 1}))
iam.create_user(UserName="pipec-test")
iam.put_user_policy(UserName="pipec-test", PolicyName="allow-all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="pipec-test")["AccessKey"]
print(key["AccessKeyId"])
print(key["SecretAccessKey"])
EOF
    then
        echo "moto.sh: creating the IAM user and key failed:" >&2
        cat "$dir/iam.log" >&2
        stop
        return 1
    fi
    chmod 600 "$dir/credentials"
    # Switch signature checking on: from now on every request must be signed with a key IAM knows. The explicit
    # Content-Type matters: moto eats a form-encoded body and answers 500.
    local answer key secret
    answer=$(curl -s --max-time 5 -X POST "$url/moto-api/reset-auth" -H 'Content-Type: text/plain' --data-binary 0 || true)
    { read -r key; read -r secret; } <"$dir/credentials"
    if [[ "$answer" != *'"ok"'* || $(signed_status "$key" "$secret") != 200 || $(signed_status "$key" "not-$secret") != 403 ]]; then
        echo "moto.sh: could not switch signature checking on (reset-auth answered: $answer)" >&2
        tail -n 30 "$dir/moto.log" >&2 || true
        stop
        return 1
    fi
    echo "$url"
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
    [[ "$dir" == /tmp/pipec-moto.* ]] && rm -rf "$dir"
    rm -f "$state"
}

print_env() {
    local dir key secret
    dir=$(running_dir) || { echo "moto.sh: no server running on port $port" >&2; return 1; }
    { read -r key; read -r secret; } <"$dir/credentials"
    printf 'export PIPEC_TEST_S3_ENDPOINT=%q AWS_ACCESS_KEY_ID=%q AWS_SECRET_ACCESS_KEY=%q AWS_REGION=%q\n' \
        "$url" "$key" "$secret" "$region"
}

command=${1:-}
case "$command" in
    start|stop)
        exec 9>"$lock"
        flock 9
        "$command"
        ;;
    url)
        if running_dir >/dev/null; then echo "$url"; else echo "moto.sh: no server running on port $port" >&2; exit 1; fi
        ;;
    env)
        print_env
        ;;
    python)
        # The venv's python, which has boto3: tests read S3 and Athena with it, independently of pipec.
        echo "$(ensure_venv)/bin/python"
        ;;
    *)
        echo "usage: $0 start|stop|url|env|python" >&2
        exit 2
        ;;
esac
