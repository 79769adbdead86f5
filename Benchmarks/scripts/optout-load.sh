#!/usr/bin/env bash
# One-click unsubscribe load benchmark (RFC 8058 POST /u/{link}) of `optgate serve` (release build),
# with wrk on loopback (2 threads, 64 keep-alive connections, DURATION seconds). Every request uses
# a fresh sealed link, for contacts in scattered order, so each one records a new opt-out that is
# on disk before its 200. Reports, in
# one run against the same server: the static GET /ping ceiling, an authenticated single-event write
# (POST /v1/events, the API's own durable write), then one-click opt-outs/s with p50/p99 latency, and
# how many the ledger acknowledged.
#
# usage: Benchmarks/scripts/optout-load.sh [CONTACTS]     (default 200000)
# LINKS_COUNT (default 250000): links made beforehand; DURATION (default 15); PORT (default 18081);
# SCRATCH: a --scratch-path for the release build; DATA=DIR keeps or reuses the data directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
contacts=${1:-200000}
links=${LINKS_COUNT:-250000}
duration=${DURATION:-15}
port=${PORT:-18081}
events=$((contacts * 2))
source Benchmarks/scripts/load-setup.sh
token=$("$bin" keys create --data-dir "$data" --name "opt-out benchmark" --scope admin 2>/dev/null)
"$bin" serve --data-dir "$data" --port "$port" --log-level notice 2>"$work/server.log" &
server=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/ping" >/dev/null && break; sleep 0.2; done

echo "making $links links (POST /v1/links)..."
python3 - "$port" "$token" "$contacts" "$links" > "$work/links.txt" <<'PY'
import http.client, json, sys
port, token, contacts, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
connection = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
for i in range(count):
    # People unsubscribe in no particular order: contacts in a scattered order (a stride through
    # them, 7919 being prime), not c0, c1, c2... whose rows lie side by side in every index.
    body = json.dumps({"contact": f"c{(i * 7919) % contacts}", "from": "acme-retail", "channel": "email", "message_id": f"bench-{i}"})
    connection.request("POST", "/v1/links", body, headers)
    answer = json.loads(connection.getresponse().read())
    print(answer["unsubscribe_url"].rsplit("/", 1)[1])
PY
before=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" | awk '/^optgate_opt_outs_received_total/ {s += $2} END {print s + 0}')

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "ledger: $contacts contacts; wrk -t2 -c64 -d${duration}s on 127.0.0.1"
printf "%-9s %12s %10s %10s\n" run "requests/s" p50 p99
run() {
    local name=$1 script=$2 path=$3 out
    out=$(LINKS="$work/links.txt" TOKEN=$token CONTACTS=$contacts RUN="$name$RANDOM" wrk -t2 -c64 -d"${duration}s" --latency ${script:+-s "$script"} "http://127.0.0.1:$port$path" 2>"$work/wrk.err")
    printf "%-9s %12s %10s %10s%s\n" "$name" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(awk '/Non-2xx/ {print "  (" $5 " non-2xx)"}' <<<"$out")"
    grep -q exhausted "$work/wrk.err" && echo "  warning: links ran out; repeats were answered without writes (raise LINKS_COUNT)"
    true
}
run static "" /ping
run write Benchmarks/scripts/wrk/event.lua /v1/events
run one-click Benchmarks/scripts/wrk/oneclick.lua /u/
after=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^optgate_opt_outs_received_total/ {s += $2} END {print s + 0}')
echo "opt-outs acknowledged during the run: $((after - before))"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^optgate_(group_commits_total|committed_requests_total)' || true
kill "$server"; wait "$server" 2>/dev/null || true; server=
echo "ledger after the run: $("$bin" audit verify --data-dir "$data" 2>&1 | tail -1)"
