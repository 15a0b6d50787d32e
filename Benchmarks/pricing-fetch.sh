#!/usr/bin/env bash
# Fetch and import of a generated ~1 GiB AmazonEC2 offer over loopback (scripts/price-mirror)
# against `pricing import` of the same file already on disk. Prints both times and the ratio.
#   Benchmarks/pricing-fetch.sh [MB]      # after: swift build -c release --product ekscost
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-1024}
E=.build/release/ekscost
work=$(mktemp -d); trap 'kill $mirror 2>/dev/null; rm -rf "$work"' EXIT
scripts/price-mirror us-east-1 --types m5.large,t3.medium --pad-mb "$mb" --version 20261101000000 --write-only "$work/files"
file="$work/files/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.csv"
ls -l "$file"
# The mirror serves the files already written (sendfile), the same bytes for both runs.
scripts/price-mirror x --serve "$work/files" --port 0 > "$work/server.log" 2>&1 & mirror=$!
for _ in $(seq 50); do grep -q "serving" "$work/server.log" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.log" | head -1)
start=$(date +%s.%N)
curl -s -o /dev/null "http://127.0.0.1:$port/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.csv"
printf 'curl download alone (for scale): %.2f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
start=$(date +%s.%N)
EKSCOST_PRICING_DIR="$work/fetched" $E pricing fetch us-east-1 --endpoint "http://127.0.0.1:$port" --quiet
fetch=$(echo "$(date +%s.%N) - $start" | bc)
mkdir -p "$work/imported"
start=$(date +%s.%N)
$E pricing import "$file" --snapshot imported --pricing "$work/imported" --quiet
import=$(echo "$(date +%s.%N) - $start" | bc)
size=$(stat -c %s "$file")
printf 'file %s MB\nfetch + import (5 offers, loopback): %.2f s\nimport from disk: %.2f s (%.0f MB/s)\nfetch speed / import speed: %.2f\n' \
  "$((size / 1000000))" "$fetch" "$import" "$(echo "$size / 1000000 / $import" | bc -l)" "$(echo "$import / $fetch" | bc -l)"
