#!/usr/bin/env bash
# Time simulation benchmark: `ekscost estimate`'s work (HPA trajectories, node simulation, prices,
# step costs, low/high range, every report file) for W workloads with HPAs on daily curves:
# a year at hourly syncs (500–2,000 workloads, and half a year), the year and month at the
# default 15-second sync, and an estimate with VPA and HPA against one simulation of it. Each
# case runs in its own process, so its peak RSS is its own. Prints one line per case, then the
# ratios that show how time grows.
#
#   Benchmarks/simulation.sh all            # every case below
#   Benchmarks/simulation.sh year | month | vpa
#   Benchmarks/simulation.sh probe          # small sizes, to try things out
#   Benchmarks/simulation.sh CASE...        # by name (SimulationBenchmark PRICING list)
#
# Run from anywhere; needs the same Swift and libcsv as the project.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product SimulationBenchmark >&2
BIN=.build/release/SimulationBenchmark
YEAR="year-hourly-500 year-hourly-1000 year-hourly-2000 half-year-hourly-2000 year-15s-2000"
MONTH="month-15s-50 month-15s-100 month-15s-200 half-month-15s-200"
VPA="simulation-vpa-hpa-month-15s-200 estimate-vpa-hpa-month-15s-200"
case "${1:-all}" in
    all) CASES="$YEAR $MONTH $VPA" ;;
    year) CASES=$YEAR ;;
    month) CASES=$MONTH ;;
    vpa) CASES=$VPA ;;
    probe) CASES="probe-month-hourly-200 probe-month-15s-50" ;;
    *) CASES="$*" ;;
esac
echo "machine: $(nproc) cores; load before: $(uptime | sed 's/.*load average/load average/')"
OUT=$(mktemp)
for name in $CASES; do
    "$BIN" ../Pricing "$name" | tee -a "$OUT"
done
echo "load after:  $(uptime | sed 's/.*load average/load average/')"
python3 - "$OUT" <<'PY'
import re, sys
cases = {}
for line in open(sys.argv[1]):
    if "=" not in line or line.startswith(" "):
        continue
    name, *fields = line.split()
    cases[name] = dict(field.split("=") for field in fields)
def ratio(label, top, bottom, field="total_s", limit=None):
    if top in cases and bottom in cases:
        value = float(cases[top][field]) / float(cases[bottom][field])
        print("  %-52s %5.2f%s" % (label, value, "" if limit is None else "  (at most %.1f)" % limit))
print()
print("ratios (wall time):")
ratio("2,000 ÷ 1,000 workloads, year at hourly syncs", "year-hourly-2000", "year-hourly-1000", limit=2.2)
ratio("year ÷ half a year, 2,000 workloads, hourly syncs", "year-hourly-2000", "half-year-hourly-2000", limit=2.2)
ratio("month ÷ half a month, 200 workloads, 15 s syncs", "month-15s-200", "half-month-15s-200")
ratio("estimate with VPA and HPA ÷ one simulation of it", "estimate-vpa-hpa-month-15s-200", "simulation-vpa-hpa-month-15s-200", limit=1.3)
PY
rm -f "$OUT"
