#!/usr/bin/env bash
# Campaign check benchmark: `optgate filter` (release build) over a ledger of CONTACTS contacts
# (generate-ledger.py: CONTACTS contacts, 2 events each) and an audience of CONTACTS rows: emails
# in random order, about 9 in 10 of them the contacts' and 1 in 10 unknown. Builds the timeline snapshot first (`optgate snapshot`,
# timed on its own), then reports the check's recipients/s, time to the first output row and peak
# memory (GNU time), from the summary the command writes. NO_SNAPSHOT=1 also times the check
# reading every recipient from the ledger (`--no-snapshot`).
#
# usage: Benchmarks/scripts/campaign-filter.sh [CONTACTS]      (default 200000)
# DATA=DIR keeps or reuses the data directory; SCRATCH: a --scratch-path for the release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
contacts=${1:-200000}
scratch=()
[ -n "${SCRATCH:-}" ] && scratch=(--scratch-path "$SCRATCH")
swift build -c release --product optgate "${scratch[@]}" >/dev/null
bin=$(swift build -c release --product optgate "${scratch[@]}" --show-bin-path)/optgate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=${DATA:-$work/data}
if [ ! -e "$data/ledger.sqlite" ]; then
    python3 Benchmarks/scripts/generate-ledger.py "$((contacts * 2))" "$contacts" > "$work/import.ndjson"
    "$bin" import --data-dir "$data" --quiet "$work/import.ndjson" >/dev/null
    rm "$work/import.ndjson"
fi
python3 - "$contacts" > "$work/audience.csv" <<'PY'
import random, sys
contacts = int(sys.argv[1])
ids = list(range(contacts + contacts // 10))
random.Random(5).shuffle(ids)
out = sys.stdout
out.write("email\n")
for i in ids[:contacts]:
    out.write(f"person{i}@example.com\n")
PY
echo '{"from": "acme-retail", "channel": "email", "purpose": "marketing", "products": ["p1"]}' > "$work/message.json"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); ledger: $contacts contacts"
echo "snapshot:"
/usr/bin/time -f "peak RSS %M KiB, wall %e s, user %U s" "$bin" snapshot --data-dir "$data" --quiet
echo "check:"
/usr/bin/time -f "peak RSS %M KiB, wall %e s, user %U s" "$bin" filter --data-dir "$data" --message "$work/message.json" "$work/audience.csv" \
    --out "$work/out" --public-url https://prefs.example.test --quiet \
    | grep -E '"(recipients|send|excluded|seconds|recipients_per_second|seconds_to_first_output)"'
if [ -n "${NO_SNAPSHOT:-}" ]; then
    echo "check, --no-snapshot:"
    /usr/bin/time -f "peak RSS %M KiB, wall %e s, user %U s" "$bin" filter --data-dir "$data" --message "$work/message.json" "$work/audience.csv" \
        --out "$work/out-ledger" --public-url https://prefs.example.test --quiet --no-snapshot \
        | grep -E '"(recipients|send|excluded|seconds|recipients_per_second|seconds_to_first_output)"'
fi
