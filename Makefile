# The two commands of the README: `make example` runs the main job, `make test` runs the tests.
# Both install the Debian packages they need first (or say exactly what to run).

SWIFT ?= swift
EXAMPLES := Examples/eks-workshop-2019.yaml Examples/eks-workshop-today.yaml Examples/forty-pods.yaml Examples/web-shop.yaml Examples/fargate-mix.yaml Examples/daily-traffic.yaml Examples/ticketing/scenario.yaml

.PHONY: example test build release setup clean golden check-contract fuzz kill-test install uninstall install-check lint format

## example: estimate the example scenarios on the bundled snapshots into Reports/
example: release
	.build/release/ekscost estimate $(EXAMPLES) --format csv,md,json
	.build/release/ekscost compare Examples/fargate-mix.yaml --quiet
	.build/release/ekscost estimate --eksctl Examples/ticketing/cluster.yaml --manifests Examples/ticketing/k8s/ --as-of 2026-11-23 --format csv,md,json
	@# Commitments: the bundled snapshot has no Savings Plans or Reserved rates, so this example is
	@# priced against SYNTHETIC ones (scripts/commitment-example-rates; never in Pricing/).
	scripts/commitment-example-rates .build/release/ekscost .build/example-pricing
	.build/release/ekscost estimate Examples/commitments.yaml --pricing .build/example-pricing/synthetic-commitments.csv --format csv,md,json

## test: run every test (unit, golden files, end-to-end runs of the binary), the shell examples of
## README.md and docs/, estimate.json against docs/estimate.schema.json, then install into a
## temporary prefix and run the installed binary from another folder (debug build, to stay fast)
test: setup
	@scripts/ensure-python-packages.sh
	$(SWIFT) test
	scripts/check-doc-examples --self-test
	scripts/check-doc-examples
	scripts/check-json-schema
	CONFIGURATION=debug scripts/install-check

setup:
	@scripts/ensure-system-packages.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product ekscost

## install: the binary, the bundled Pricing/ data (share/ekscost/Pricing, where the binary looks
## for it), a man page from swift-argument-parser's generate-manual plugin (made here, at install
## time: it runs offline) and bash, zsh and fish completions, under $(DESTDIR)$(PREFIX)
PREFIX ?= /usr/local
DESTDIR ?=
CONFIGURATION ?= release
MANUAL_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)
ROOT = $(DESTDIR)$(PREFIX)
INSTALLED = $(ROOT)/bin/ekscost $(ROOT)/share/man/man1/ekscost.1 $(ROOT)/share/bash-completion/completions/ekscost \
	$(ROOT)/share/zsh/site-functions/_ekscost $(ROOT)/share/fish/vendor_completions.d/ekscost.fish
install: setup
	$(SWIFT) build -c $(CONFIGURATION) --product ekscost
	$(SWIFT) package generate-manual --configuration $(CONFIGURATION) --date $(MANUAL_DATE)
	install -d $(ROOT)/bin $(ROOT)/share/ekscost/Pricing $(ROOT)/share/man/man1 $(ROOT)/share/bash-completion/completions \
		$(ROOT)/share/zsh/site-functions $(ROOT)/share/fish/vendor_completions.d
	install -m 755 .build/$(CONFIGURATION)/ekscost $(ROOT)/bin/ekscost
	install -m 644 Pricing/* $(ROOT)/share/ekscost/Pricing/
	@# mdoc wants .Pp, not an empty line, between paragraphs (man warns otherwise).
	sed -e 's/^$$/.Pp/' .build/plugins/GenerateManual/outputs/ekscost/ekscost.1 > $(ROOT)/share/man/man1/ekscost.1
	.build/$(CONFIGURATION)/ekscost --generate-completion-script bash > $(ROOT)/share/bash-completion/completions/ekscost
	.build/$(CONFIGURATION)/ekscost --generate-completion-script zsh > $(ROOT)/share/zsh/site-functions/_ekscost
	.build/$(CONFIGURATION)/ekscost --generate-completion-script fish > $(ROOT)/share/fish/vendor_completions.d/ekscost.fish
	chmod 644 $(ROOT)/share/man/man1/ekscost.1 $(ROOT)/share/bash-completion/completions/ekscost \
		$(ROOT)/share/zsh/site-functions/_ekscost $(ROOT)/share/fish/vendor_completions.d/ekscost.fish

## uninstall: remove what install put under $(DESTDIR)$(PREFIX) (the user's own snapshots stay)
uninstall:
	rm -f $(INSTALLED)
	rm -rf $(ROOT)/share/ekscost

## install-check: install into a temporary prefix and use the installed binary as a user would
install-check: setup
	scripts/install-check

## golden: re-record the report golden files after a deliberate change. Recording fails each
## test on purpose ("recorded, review and rerun"): review git diff Tests/EKSReportTests/Golden,
## then run make test
golden: setup
	-EKSCOST_RECORD_GOLDEN=1 $(SWIFT) test --filter EKSReportTests
	git status --short Tests/EKSReportTests/Golden

## fuzz: every libFuzzer harness for FUZZ_SECONDS seconds each, one at a time (RELIABILITY.md)
FUZZ_SECONDS ?= 60
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

## kill-test: SIGKILL estimate, pricing import and pricing fetch KILLS times each; old or new set, never a mix
KILLS ?= 20
kill-test: release
	EKSCOST_BIN=.build/release/ekscost scripts/kill-test $(KILLS)

## lint: swift format lint --strict on every Swift file git tracks, with .swift-format (120 columns)
lint:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format lint --strict --parallel --configuration .swift-format

## format: apply .swift-format to every Swift file git tracks (scripts/format), then lint
format:
	scripts/format

## check-contract: the shared contract checks, when ../shared is present
check-contract:
	@if [ -x ../shared/tools/check-contract ]; then ../shared/tools/check-contract; \
	else echo "../shared/tools/check-contract is not here (it lives beside the project on developer machines)"; fi

clean:
	rm -rf .build
