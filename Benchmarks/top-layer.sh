#!/usr/bin/env bash
# The three figures the top-layer redesign must keep (issue "Redesign the top layer…"): ingest, follow and analyze,
# each printed by crashwatch next to its own reference command. Run it before and after a change, same machine.
#   Benchmarks/top-layer.sh [LOG] [REPORTS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
log="${1:-/tmp/crashwatch-bench-256m.log}"
reports="${2:-../shared/formats/crash-dev}"
if [ ! -f "$log" ]; then
    python3 ../shared/tools/gen_log.py --bytes 268435456 --seed 1 --out "$log" >/dev/null
fi
swift build -c release --product crashwatch >/dev/null
bin="$(swift build -c release --show-bin-path)/crashwatch"
"$bin" bench ingest "$log"
"$bin" bench follow --rate 50000 --seconds 5
"$bin" bench analyze "$reports" --reports 2000
