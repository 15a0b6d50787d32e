#!/usr/bin/env bash
# Fetch and import of a generated ~1 GiB AmazonEC2 offer over loopback (scripts/price-mirror)
# against `pricing import` of the same file already on disk, interleaved, RUNS times each, with
# a plain curl download of the EC2 file for scale. `pricing fetch` downloads with libcurl's easy
# API and scans each file from memory as it arrives (the mirror announces the length). Prints each run's wall time and CPU time (user +
# system, of that process alone; the mirror's is not counted), the medians, the ratio issue 10
# asks about (fetch speed / import speed, at least 0.5) by wall time and by CPU time, and the
# load average before and after (the machine may be shared).
#   Benchmarks/pricing-fetch.sh [MB]      # after: swift build -c release --product ekscost
#   RUNS=5 Benchmarks/pricing-fetch.sh 1024
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-1024}
runs=${RUNS:-3}
E=.build/release/ekscost
work=$(mktemp -d); trap 'kill $mirror 2>/dev/null; rm -rf "$work"' EXIT
scripts/price-mirror us-east-1 --types m5.large,t3.medium --pad-mb "$mb" --version 20261101000000 --write-only "$work/files"
path=offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.csv
file="$work/files/$path"
size=$(stat -c %s "$file")
# The mirror serves the files already written (sendfile), the same bytes for every run.
scripts/price-mirror x --serve "$work/files" --port 0 > "$work/server.log" 2>&1 & mirror=$!
for _ in $(seq 50); do grep -q "serving" "$work/server.log" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)
cat "$file" >/dev/null
# Wall, user and system seconds of one command, appended to $work/timed.
timed() { /usr/bin/time -f "%e %U %S" -a -o "$work/timed" "$@"; }
echo "file: $size bytes; $(nproc) cores; load before: $(uptime | sed 's/.*load average: //')"
: >"$work/times"
for run in $(seq "$runs"); do
    : >"$work/timed"
    timed curl -s -o /dev/null "http://127.0.0.1:$port/$path"
    rm -rf "$work/fetched" && mkdir -p "$work/fetched"
    timed env EKSCOST_PRICING_DIR="$work/fetched" $E pricing fetch us-east-1 --endpoint "http://127.0.0.1:$port" --quiet
    mkdir -p "$work/imported"
    timed $E pricing import "$file" --snapshot imported --pricing "$work/imported" --quiet --replace
    read -r curl curl_user curl_sys fetch fetch_user fetch_sys import import_user import_sys <<<"$(tr '\n' ' ' <"$work/timed")"
    curl_cpu=$(echo "$curl_user + $curl_sys" | bc); fetch_cpu=$(echo "$fetch_user + $fetch_sys" | bc); import_cpu=$(echo "$import_user + $import_sys" | bc)
    printf 'run %d: curl download alone %.2f s (CPU %.2f s), fetch + import (5 offers) %.2f s (CPU %.2f s), import from disk %.2f s (CPU %.2f s)\n' \
        "$run" "$curl" "$curl_cpu" "$fetch" "$fetch_cpu" "$import" "$import_cpu"
    echo "$curl $fetch $import $curl_cpu $fetch_cpu $import_cpu" >>"$work/times"
done
echo "load after: $(uptime | sed 's/.*load average: //')"
python3 - "$work/times" "$size" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
size = int(sys.argv[2]) / 1e6
curl, fetch, imp, curl_cpu, fetch_cpu, imp_cpu = (statistics.median(r[i] for r in rows) for i in range(6))
print("medians: curl %.2f s (%.0f MB/s); fetch + import %.2f s (%.0f MB/s); import from disk %.2f s (%.0f MB/s)" % (
    curl, size / curl, fetch, size / fetch, imp, size / imp))
print("CPU medians: curl %.2f s; fetch + import %.2f s; import from disk %.2f s" % (curl_cpu, fetch_cpu, imp_cpu))
print("fetch speed / import speed: %.2f by wall time, %.2f by CPU time (issue 10: at least 0.5)" % (imp / fetch, imp_cpu / fetch_cpu))
print("download alone (curl) / import speed: %.2f by wall time: the most any fetch over this loopback can reach" % (imp / curl))
PY
