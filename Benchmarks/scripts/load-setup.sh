# Shared by the HTTP load benchmarks (sourced, not run): checks for wrk, builds the release binary
# (`bin`), makes a scratch directory (`work`, removed on exit with the server `server` if running),
# and populates the data directory `data` (DATA, or one in `work`) with `contacts` contacts and
# `events` generated events unless it already holds a ledger. With OPTGATE_DATABASE_URL set, the
# ledger goes to (or is reused from) that PostgreSQL database instead; the directory keeps the secret.
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
scratch=()
[ -n "${SCRATCH:-}" ] && scratch=(--scratch-path "$SCRATCH")
swift build -c release --product optgate "${scratch[@]}" >/dev/null
bin=$(swift build -c release --product optgate "${scratch[@]}" --show-bin-path)/optgate

work=$(mktemp -d)
data=${DATA:-$work/data}
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
if [ ! -e "$data/secret.key" ]; then
    echo "populating $data: $contacts contacts, $events events..."
    python3 Benchmarks/scripts/generate-ledger.py "$events" "$contacts" > "$work/import.ndjson"
    start=$(date +%s)
    "$bin" import --data-dir "$data" --quiet "$work/import.ndjson"
    echo "imported in $(( $(date +%s) - start )) s"
    rm "$work/import.ndjson"
fi
