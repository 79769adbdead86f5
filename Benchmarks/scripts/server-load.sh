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
# with requests/s, p50 and p99 latency, the server's CPU time per request (user + system, from
# /proc: what the server spends, whatever share of the 2 cores wrk takes) and its resident memory.
#
# usage: Benchmarks/scripts/server-load.sh [CONTACTS] [EVENTS]     (default 1000000 2000000)
# DATA=DIR keeps (or reuses, if it exists) the populated data directory; DURATION (default 20),
# BATCH (default 100), PORT (default 18080), SCRATCH (a --scratch-path for the release build).
# ROUNDS=N (default 1) runs static, post and decide N times in turn before the writes, and ends
# with each round's ratios to static and their medians: on a noisy machine, compare those.
# OPTGATE_DATABASE_URL=postgres://... runs the server on that PostgreSQL ledger (see load-setup.sh).
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
printf "%-8s %12s %10s %10s %14s %12s\n" run "requests/s" p50 p99 "CPU/request" "server RSS"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
ratios=()
run() {
    local name=$1 script=$2 path=$3
    local out before after
    before=$(cpu_ticks)
    out=$(TOKEN=$token CONTACTS=$contacts BATCH=$batch RUN="$name$RANDOM" \
        wrk -t2 -c64 -d"${duration}s" --latency ${script:+-s "$script"} "http://127.0.0.1:$port$path")
    after=$(cpu_ticks)
    local rps p50 p99 rss errors requests cpu
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f us", t / hz / n * 1e6}')
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    rss=$(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server/status")
    printf "%-8s %12s %10s %10s %14s %12s%s\n" "$name" "$rps" "$p50" "$p99" "$cpu" "$rss" "${errors:+  ($errors non-2xx)}"
    last="$rps $p99"
}
# p99 in milliseconds, from wrk's "9.74ms", "850.00us" or "1.02s".
millis() { awk '{v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /[0-9]s$/) v *= 1000; print v}' <<<"$1"; }
for round in $(seq "${ROUNDS:-1}"); do
    run static "" /ping; static=$last
    run post Benchmarks/scripts/wrk/lookup.lua /v1/contacts/lookup; post=$last
    run decide Benchmarks/scripts/wrk/decide.lua /v1/decisions; decide=$last
    ratios+=("$(awk -v s="${static% *}" -v p="${post% *}" -v d="${decide% *}" -v sp="$(millis "${static#* }")" -v dp="$(millis "${decide#* }")" \
        'BEGIN {printf "%.3f %.3f %.3f", d / s, p / s, dp / sp}')")
done
printf "%s\n" "${ratios[@]}" | awk '{d[NR] = $1; p[NR] = $2; q[NR] = $3; printf "round %d: decide/static %.2f, post/static %.2f, decide p99 / static p99 %.2f\n", NR, $1, $2, $3}
    function median(a, n,  i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { if (NR > 1) printf "median of %d rounds: decide/static %.2f, post/static %.2f, decide p99 / static p99 %.2f\n", NR, median(d, NR), median(p, NR), median(q, NR) }'
run write Benchmarks/scripts/wrk/event.lua /v1/events
run batch Benchmarks/scripts/wrk/batch.lua /v1/events/batch
echo "(batch: $batch events per request; events/s = requests/s x $batch)"
echo "server peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server/status"); now: $(memory)"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^optgate_(group_commits_total|committed_requests_total|decision_cache_contacts)' || true
