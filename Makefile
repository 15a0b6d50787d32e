# The two commands of the README: `make example` runs the main job, `make test` runs the tests.
# Both install the Debian packages they need first (or say exactly what to run).

SWIFT ?= swift
EXAMPLES := Examples/eks-workshop-2019.yaml Examples/eks-workshop-today.yaml Examples/forty-pods.yaml Examples/web-shop.yaml Examples/fargate-mix.yaml Examples/daily-traffic.yaml Examples/ticketing/scenario.yaml

.PHONY: example test build release setup clean golden check-contract fuzz kill-test

## example: estimate the example scenarios on the bundled snapshots into Reports/
example: release
	.build/release/ekscost estimate $(EXAMPLES) --format csv,md,json
	.build/release/ekscost compare Examples/fargate-mix.yaml --quiet
	.build/release/ekscost estimate --eksctl Examples/ticketing/cluster.yaml --manifests Examples/ticketing/k8s/ --as-of 2026-11-23 --format csv,md,json

## test: run every test (unit, golden files, end-to-end runs of the binary)
test: setup
	$(SWIFT) test

setup:
	@scripts/ensure-system-packages.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product ekscost

## golden: re-record the report golden files after a deliberate change (review the diff)
golden: setup
	EKSCOST_RECORD_GOLDEN=1 $(SWIFT) test --filter EKSReportTests

## fuzz: every libFuzzer harness for FUZZ_SECONDS seconds each, one at a time (RELIABILITY.md)
FUZZ_SECONDS ?= 60
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

## kill-test: SIGKILL estimate, pricing import and pricing fetch KILLS times each; old or new set, never a mix
KILLS ?= 20
kill-test: release
	EKSCOST_BIN=.build/release/ekscost scripts/kill-test $(KILLS)

## check-contract: the shared contract checks, when ../shared is present
check-contract:
	@if [ -x ../shared/tools/check-contract ]; then ../shared/tools/check-contract; \
	else echo "../shared/tools/check-contract is not here (it lives beside the project on developer machines)"; fi

clean:
	rm -rf .build
