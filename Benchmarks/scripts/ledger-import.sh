#!/usr/bin/env bash
# Ledger import benchmark: generates EVENTS events for CONTACTS contacts (a realistic mix, with
# evidence and personal data), imports them into a fresh data directory with the release build,
# and reports events/s, bytes per event on disk, peak memory, and the time to verify the chain.
#
# usage: Benchmarks/scripts/ledger-import.sh [EVENTS] [CONTACTS]     (default 1000000 100000)
#
# KEEP=DIR keeps the generated file (DIR/import.ndjson) and the data directory (DIR/data) for
# `ledger-bench status DIR/data` or `ledger-bench import DIR/import.ndjson OTHER_DIR`; DIR must not
# exist yet. Without KEEP, everything is written to a temporary directory and removed at the end.
set -euo pipefail
case "${KEEP:-}" in ""|/*) ;; *) KEEP="$PWD/$KEEP" ;; esac
cd "$(dirname "$0")/../.."
events=${1:-1000000}
contacts=${2:-$((events / 10))}
if [ -n "${KEEP:-}" ]; then
    if [ -e "$KEEP" ]; then echo "KEEP=$KEEP already exists" >&2; exit 2; fi
    mkdir -p "$KEEP"
    work=$(cd "$KEEP" && pwd)
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

swift build -c release --product optgate >/dev/null
echo "generating $events events for $contacts contacts..."
python3 Benchmarks/scripts/generate-ledger.py "$events" "$contacts" > "$work/import.ndjson"
lines=$(wc -l < "$work/import.ndjson")
echo "file: $lines lines, $(du -h "$work/import.ndjson" | cut -f1)"

/usr/bin/time -v -o "$work/time.txt" .build/release/optgate import --quiet --data-dir "$work/data" "$work/import.ndjson"
wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}')
rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
seconds=$(python3 -c "p='$wall'.split(':'); print(sum(float(x)*60**i for i,x in enumerate(reversed(p))))")
bytes=$(du -cb "$work"/data/ledger.sqlite* | tail -1 | cut -f1)
python3 - <<PY
lines, events, seconds, bytes, rss = $lines, $events, $seconds, $bytes, $rss
print(f"import: {seconds:.1f} s wall, {lines/seconds:,.0f} lines/s, {events/seconds:,.0f} events/s")
print(f"disk: {bytes/1e6:.1f} MB, {bytes/lines:,.0f} bytes per ledger entry")
print(f"peak memory: {rss/1024:.0f} MiB")
PY
start=$(date +%s.%N)
# Not `| head -1`: with pipefail, the SIGPIPE the verifier gets writing its second line ended the script.
verified=$(.build/release/optgate audit verify --data-dir "$work/data")
printf '%s\n' "${verified%%$'\n'*}"
end=$(date +%s.%N)
python3 -c "print(f'verify: {$end-$start:.1f} s for $lines entries')"
if [ -n "${KEEP:-}" ]; then echo "kept: $work/import.ndjson and $work/data"; fi
