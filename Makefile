# citychain build, test and run targets. Every target works on a fresh clone with
# only Go (and, for contracts, Node.js/npm) installed.

GO        ?= go
BIN       := build/bin
GOFLAGS   ?=
PKGS      := ./...
FUZZTIME  ?= 10s
# CI fuzzes each target for a count of inputs, not a duration: brief
# duration-bound runs failed now and then with "context deadline exceeded"
# from Go's fuzzing coordinator (seen twice, no failing input), which a count
# has no deadline for. Brief runs also skip input minimization.
FUZZMINIMIZE ?= 0

.PHONY: all build run test test-short fuzz bench lint vet fmt clean contracts contracts-check

all: build

build:
	$(GO) build $(GOFLAGS) -o $(BIN)/ ./cmd/...

## run: a dev chain with the municipal contracts, JSON-RPC on 127.0.0.1:8545.
run: build
	$(BIN)/citynode dev

## test: everything CI runs: vet, the contracts check, unit, scenario and process tests, brief fuzzing.
test: vet contracts-check
	$(GO) test $(GOFLAGS) -timeout 12m $(PKGS)
	$(MAKE) --no-print-directory fuzz FUZZTIME=10000x

# Every parser and verifier has a native fuzz target; CI runs each briefly.
# FuzzJournal (./internal/txintake) fsyncs on every input, too slow for a
# few-second budget on a shared machine: its seeds run with the unit tests;
# fuzz it on its own with `make fuzz FUZZ_TARGETS=./internal/txintake:FuzzJournal`.
FUZZ_TARGETS := \
	./consensus/clique:FuzzExtraData \
	./contracts:FuzzDecodeRevert \
	./contracts/ballots:FuzzBallotJSON \
	./consensus/clique:FuzzVotes \
	./consensus/forkchoice:FuzzCompare \
	./genesis:FuzzGenesisJSON \
	./internal/gossip:FuzzDecode \
	./internal/allowlist:FuzzParse \
	./internal/audit:FuzzDecodeProof \
	./internal/ethcall:FuzzParse \
	./internal/registry:FuzzParseDocuments \
	./internal/staletx:FuzzFilter \
	./internal/signers:FuzzJoinRequest

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$fn in $$pkg ($(FUZZTIME))"; \
		$(GO) test $(GOFLAGS) -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg; \
	done

## bench: Go benchmarks plus the load generator against citynode and geth 1.13.15 (transfers),
## the transfer workload on 3- and 4-signer loopback networks of each (scripts/bench-network.sh),
## then W3 (relayed ballot batches on one citynode signer, scripts/bench-ballots.sh) and the
## registry side by side with geth 1.13.15 (W2 documents, W4 verify, scripts/bench-registry.sh).
bench: build
	$(GO) test $(GOFLAGS) -run '^$$' -bench . -benchmem ./consensus/... ./genesis/...
	scripts/bench.sh
	BENCH_SIGNERS=3 scripts/bench-network.sh
	BENCH_SIGNERS=4 scripts/bench-network.sh
	scripts/bench-ballots.sh
	scripts/bench-registry.sh

## contracts: compile contracts/src/*.sol with the pinned solc-js into
## contracts/artifacts and generate the abigen v2 bindings in contracts/bindings.
contracts: contracts/node_modules/.package-lock.json
	@command -v node >/dev/null || { echo "make contracts needs Node.js 20 or later and npm: install them, then run make contracts again"; exit 1; }
	node contracts/scripts/compile.js
	$(GO) run $(GOFLAGS) ./contracts/internal/bindgen -artifacts contracts/artifacts -out contracts/bindings

# The pinned npm packages (package-lock.json), installed from the registry
# once and again whenever the lock file changes.
contracts/node_modules/.package-lock.json: contracts/package-lock.json
	@command -v npm >/dev/null || { echo "make contracts needs Node.js 20 or later and npm: install them, then run make contracts again"; exit 1; }
	npm ci --prefix contracts --no-audit --no-fund

## contracts-check: fail when the committed artifacts or bindings are not
## what the committed sources compile to.
contracts-check: contracts
	@if ! git diff --quiet -- contracts/artifacts contracts/bindings || [ -n "$$(git status --porcelain -- contracts/artifacts contracts/bindings)" ]; then \
		git status --short -- contracts/artifacts contracts/bindings; \
		echo "contracts/artifacts or contracts/bindings differ from what contracts/src compiles to: run make contracts and commit the result"; \
		exit 1; \
	fi

vet:
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf build .bench
