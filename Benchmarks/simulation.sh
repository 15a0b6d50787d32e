#!/usr/bin/env bash
# Time simulation benchmark: a year at hourly HPA syncs with 500–2,000 workloads and a month at
# 15-second syncs with 50–200 workloads (each HPA on a daily curve, three node groups), with the
# time of the HPA phase and of the whole simulation. Optional argument: year | month | all.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product SimulationBenchmark >&2
uptime >&2
.build/release/SimulationBenchmark ../Pricing "${1:-all}"
