#!/usr/bin/env bash
# Imports offer files with this checkout's ekscost and with a reference build, and checks that
# the snapshots are byte for byte the same (and the import summaries, but for the timing line),
# for every scan kernel (one the CPU lacks falls back to the best it has) and on 1 and 2
# threads. Issue 16's "no change to results": a faster importer writes what the one before did.
#
#   Benchmarks/snapshot-identity.sh FILE...                       # reference: a build of main
#   REF=v1.2 Benchmarks/snapshot-identity.sh /tmp/ekscost-bench/*.csv
#   REF_BIN=/path/to/ekscost Benchmarks/snapshot-identity.sh FILE...
#
# Settings (environment): REF (a git revision, default main), REF_BIN (a built ekscost to use
# instead), WORK (/tmp/ekscost-identity). Exits non-zero if any pair differs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${WORK:-/tmp/ekscost-identity}
[ $# -gt 0 ] || { echo "usage: Benchmarks/snapshot-identity.sh OFFER_FILE..."; exit 2; }
mkdir -p "$WORK"
if [ -z "${REF_BIN:-}" ]; then
    REF=${REF:-main}
    rm -rf "$WORK/ref" && mkdir -p "$WORK/ref"
    git archive "$REF" | tar -x -C "$WORK/ref"
    echo "building the reference ($REF, $(git rev-parse --short "$REF")) and this checkout (release)…"
    (cd "$WORK/ref" && swift build -c release --product ekscost >"$WORK/ref-build.log" 2>&1) || { tail -20 "$WORK/ref-build.log"; exit 1; }
    REF_BIN=$WORK/ref/.build/release/ekscost
fi
swift build -c release --product ekscost >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }
NEW_BIN=$ROOT/.build/release/ekscost

for side in ref new; do
    rm -rf "$WORK/$side-pricing" && mkdir -p "$WORK/$side-pricing"
    cp Pricing/*.csv Pricing/default-snapshot "$WORK/$side-pricing/"
done
# The summary without the timing line and with the folder's name left out.
summary() { grep -v ' MB/s)$' | sed "s#$WORK/[a-z]*-pricing#PRICING#g"; }
status=0
for file in "$@"; do
    name=$(basename "$file" .csv)
    "$REF_BIN" pricing import "$file" --snapshot "$name" --pricing "$WORK/ref-pricing" --base aws-2026-11 --replace 2>&1 | summary >"$WORK/ref.txt" || true
    for kernel in avx512 avx2 portable; do
        for threads in 1 2; do
            EKSCOST_SCAN_KERNEL=$kernel "$NEW_BIN" pricing import "$file" --snapshot "$name" --pricing "$WORK/new-pricing" \
                --base aws-2026-11 --replace --threads "$threads" 2>&1 | summary >"$WORK/new.txt" || true
            if cmp -s "$WORK/ref-pricing/$name.csv" "$WORK/new-pricing/$name.csv" && cmp -s "$WORK/ref.txt" "$WORK/new.txt"; then
                result="identical ($(wc -l <"$WORK/new-pricing/$name.csv") lines, sha256 $(sha256sum <"$WORK/new-pricing/$name.csv" | cut -c1-16))"
            else
                result=DIFFERENT
                status=1
            fi
            echo "$name, kernel $kernel, $threads thread(s): $result"
        done
    done
done
exit $status
