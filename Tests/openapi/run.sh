#!/usr/bin/env bash
# Checks docs/openapi.json against the real server: starts `optgate serve` (the binary given, or
# the debug build) on a fresh data directory and a free loopback port, creates the keys and the
# destination the check needs (its URL refuses connections, and one attempt dead-letters a
# delivery), runs check_responses.py --strict, and stops the server.
#
# usage: Tests/openapi/run.sh [OPTGATE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/debug/optgate}
work=$(mktemp -d)
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
data=$work/data
key() { "$bin" keys create --data-dir "$data" --name "openapi check" "$@" 2>/dev/null; }
export OPTGATE_ADMIN_TOKEN=$(key --scope admin)
export OPTGATE_READ_TOKEN=$(key --scope contacts:read)
export OPTGATE_RATE_TOKEN=$(key --scope admin --rate 1)
export OPTGATE_WRITE_TOKEN=$(key --scope events:write)
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" destinations add --data-dir "$data" openapi-check --url "http://127.0.0.1:$closed/hook" --kind bulk_email >/dev/null 2>&1
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --data-dir "$data" --port "$port" --log-level warning --max-body-bytes 65536 --max-batch-records 100 \
    --webhook-max-attempts 1 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/ping" >/dev/null && break; sleep 0.1; done
python3 Tests/openapi/check_responses.py --base-url "http://127.0.0.1:$port" --max-body-bytes 65536 --max-batch-records 100 --strict \
    > "$work/check.log" || { cat "$work/check.log"; echo "server log:"; cat "$work/server.log"; exit 1; }
tail -3 "$work/check.log"
