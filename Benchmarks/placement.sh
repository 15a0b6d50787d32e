#!/usr/bin/env bash
# Capacity placement benchmark: 20,000 pods of 200 workloads into 5 node groups offering 50
# instance types (and smaller and larger sizes, to show how time grows). Prints times, peak RSS
# and the ratio 80,000 ÷ 40,000 pods. Run from anywhere; needs the same Swift and libcsv as the
# project.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product PlacementBenchmark >&2
echo "machine: $(nproc) cores; load before: $(uptime | sed 's/.*load average/load average/')"
.build/release/PlacementBenchmark ../Pricing
echo "load after:  $(uptime | sed 's/.*load average/load average/')"
