#!/usr/bin/env bash
# HTTP load benchmark of `optgate serve` (release build) on a ledger of CONTACTS contacts, with wrk
# on loopback (2 threads, 64 keep-alive connections, DURATION seconds per run). Reports, in one
# run against the same server so that the machine's noise cancels out in the ratios:
#   static   GET /ping             a constant JSON answer (the ceiling of this server on this machine)
#   post     POST /v1/contacts/lookup by id: an authenticated JSON POST that reads nothing (the
#                                  ceiling of any POST route)
#   decide   POST /v1/decisions    a decision for a random contact
#   write    POST /v1/events       one new event per request, acknowledged on disk (group commit)
#   batch    POST /v1/events/batch BATCH new events per request, one transaction
# with requests/s, p50 and p99 latency, and the server's resident memory.
#
# usage: Benchmarks/scripts/server-load.sh [CONTACTS] [EVENTS]     (default 1000000 2000000)
# DATA=DIR keeps (or reuses, if it exists) the populated data directory; DURATION (default 20),
# BATCH (default 100), PORT (default 18080), SCRATCH (a --scratch-path for the release build).
set -euo pipefail
cd "$(dirname "$0")/../.."
contacts=${1:-1000000}
events=${2:-$((contacts * 2))}
duration=${DURATION:-20}
batch=${BATCH:-100}
port=${PORT:-18080}
source Benchmarks/scripts/load-setup.sh
token=$("$bin" keys create --data-dir "$data" --name "load benchmark" --scope admin 2>/dev/null)
"$bin" serve --data-dir "$data" --port "$port" --log-level notice 2>"$work/server.log" &
server=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/ping" >/dev/null && break; sleep 0.2; done
# The server answers at once; it loads contacts' timelines into memory in the background.
for _ in $(seq 600); do grep -q "decisions from memory" "$work/server.log" && break; sleep 0.5; done
memory() { awk '/VmRSS|RssAnon|RssFile/ {printf "%s %.0f MiB  ", $1, $2 / 1024}' "/proc/$server/status"; }
echo "warm-up: $(grep -o 'contacts=[0-9]* duration=[0-9.]* seconds' "$work/server.log" | head -1)"
echo "server memory after warm-up: $(memory)(RssAnon: the server's own; RssFile: pages of the mapped database)"

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "ledger: $(du -sh "$data" | cut -f1) in $data; wrk -t2 -c64 -d${duration}s on 127.0.0.1"
printf "%-8s %12s %10s %10s %12s\n" run "requests/s" p50 p99 "server RSS"
run() {
    local name=$1 script=$2 path=$3
    local out
    out=$(TOKEN=$token CONTACTS=$contacts BATCH=$batch RUN="$name$RANDOM" \
        wrk -t2 -c64 -d"${duration}s" --latency ${script:+-s "$script"} "http://127.0.0.1:$port$path")
    local rps p50 p99 rss errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    rss=$(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server/status")
    printf "%-8s %12s %10s %10s %12s%s\n" "$name" "$rps" "$p50" "$p99" "$rss" "${errors:+  ($errors non-2xx)}"
}
run static "" /ping
run post Benchmarks/scripts/wrk/lookup.lua /v1/contacts/lookup
run decide Benchmarks/scripts/wrk/decide.lua /v1/decisions
run write Benchmarks/scripts/wrk/event.lua /v1/events
run batch Benchmarks/scripts/wrk/batch.lua /v1/events/batch
echo "(batch: $batch events per request; events/s = requests/s x $batch)"
echo "server peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server/status"); now: $(memory)"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^optgate_(group_commits_total|committed_requests_total|decision_cache_contacts)' || true
