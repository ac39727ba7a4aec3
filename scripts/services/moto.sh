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
# The pieces all service scripts share are in common.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
port=${PIPEC_MOTO_PORT:-15000}
region=us-east-1
url="http://127.0.0.1:${port}"
state="/tmp/pipec-moto-${port}.dir"   # holds the path of the running server's temp dir
lock="/tmp/pipec-moto-${port}.lock"
tmp_prefix=/tmp/pipec-moto
process=moto_server
source "$here/common.sh"

moto_venv() {
    ensure_venv moto "$here/requirements-moto.txt" moto_server
}

# A SigV4-signed S3 ListBuckets with key:secret; prints the HTTP status (000 when nothing answers).
signed_status() {   # key secret
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 --aws-sigv4 "aws:amz:${region}:s3" --user "$1:$2" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$url/" 2>/dev/null || true
}

key_works() {   # dir: does the server accept the key in DIR/credentials?
    local key secret
    [[ -f "$1/credentials" ]] || return 1
    { read -r key; read -r secret; } <"$1/credentials"
    [[ $(signed_status "$key" "$secret") == 200 ]]
}

running_dir() {
    running_pid_dir key_works
}

moto_api_up() {
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/moto-api/" 2>/dev/null || true) == 200 ]]
}

start() {
    if running_dir >/dev/null; then
        echo "$url"
        return 0
    fi
    stop   # a stale state (server killed, dir left behind, IAM wiped by /moto-api/reset): clean up first
    local venv
    venv=$(moto_venv)
    if port_in_use "$port"; then
        echo "moto.sh: port $port on 127.0.0.1 is taken by another process (set PIPEC_MOTO_PORT)" >&2
        return 1
    fi
    local dir
    dir=$(new_state_dir)
    run_server "$dir" "$dir/moto.log" "$venv/bin/moto_server" -H 127.0.0.1 -p "$port"
    if ! wait_ready "$dir" 300 moto_api_up; then   # up to 30 s; it is usually ready in ~0.5 s
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
    stop_pid_server 100
}

print_env() {
    local dir key secret
    dir=$(running_dir) || { echo "moto.sh: no server running on port $port" >&2; return 1; }
    { read -r key; read -r secret; } <"$dir/credentials"
    printf 'export PIPEC_TEST_S3_ENDPOINT=%q AWS_ACCESS_KEY_ID=%q AWS_SECRET_ACCESS_KEY=%q AWS_REGION=%q\n' \
        "$url" "$key" "$secret" "$region"
}

case "${1:-}" in
    env)
        print_env
        ;;
    python)
        # The venv's python, which has boto3: tests read S3 and Athena with it, independently of pipec.
        venv=$(moto_venv)
        echo "$venv/bin/python"
        ;;
    *)
        dispatch "${1:-}" "start|stop|url|env|python"
        ;;
esac
