#!/usr/bin/env bash
# Allocations and instructions per decision for each benchmarked case, counted by valgrind on the
# plain driver: each case is run with K and 2K decisions and the difference is divided by K, so
# process start-up and fixture building cancel out. Counts, not times: they do not depend on what
# else the machine is doing. Hashing is made deterministic so that instruction counts repeat.
#
#   bash Benchmarks/scripts/decision-counts.sh            # from the repository root
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product decision-driver >/dev/null
driver=.build/release/decision-driver
k=${K:-1000}
count() { # memcheck|callgrind, case, decisions -> total allocations or instructions
    if [ "$1" = memcheck ]; then
        SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=memcheck "$driver" "$2" "$3" 2>&1 |
            grep -o 'total heap usage: [0-9,]* allocs' | tr -dc 0-9
    else
        SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$driver" "$2" "$3" 2>&1 |
            grep -o 'refs: *[0-9,]*' | tr -dc 0-9
    fi
}
printf 'case\tname\tmallocs/decision\tinstructions/decision\n'
"$driver" list | while IFS=$'\t' read -r index name _; do
    a1=$(count memcheck "$index" "$k"); a2=$(count memcheck "$index" $((2 * k)))
    i1=$(count callgrind "$index" "$k"); i2=$(count callgrind "$index" $((2 * k)))
    printf '%s\t%s\t%s\t%s\n' "$index" "$name" "$(( (a2 - a1) / k ))" "$(( (i2 - i1) / k ))"
done
