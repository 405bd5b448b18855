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

.PHONY: faults all build run test geth113 test-short fuzz fuzz-long fuzz-check bench lint vet tidy-check fmt clean contracts contracts-check mutate \
	image network-up network-down release reproducible

# Builds and tests use the toolchain go.mod names (its `toolchain` line, a
# patch release with the standard library's security fixes): the go command
# fetches it from the module proxy when the installed Go is older. Some
# distributions set GOTOOLCHAIN=local in go.env, which would ignore that line.
export GOTOOLCHAIN ?= auto

# make lint's tools, pinned, installed with `go install` from the module proxy
# into build/tools, and the Go vulnerability database: the OSV files of a pinned
# golang.org/x/vulndb (fetched from the module proxy, as vuln.go.dev may be out
# of reach) indexed into a local database by its own cmd/indexdb. Bump
# VULNDB_VERSION (`go list -m golang.org/x/vulndb@latest`) to check against newer
# reports.
STATICCHECK_VERSION := v0.8.2
GOVULNCHECK_VERSION := v1.10.0
VULNDB_VERSION      := v0.0.0-20261105234957-e22db6528018
TOOLS       := build/tools
STATICCHECK := $(TOOLS)/staticcheck-$(STATICCHECK_VERSION)/staticcheck
GOVULNCHECK := $(TOOLS)/govulncheck-$(GOVULNCHECK_VERSION)/govulncheck
VULNDB      := $(TOOLS)/vulndb-$(VULNDB_VERSION)

# Release and image builds (scripts/build-static.sh, ADR 092): cgo on (libsecp256k1
# recovers senders, as in make build) and linked statically with glibc, paths
# trimmed, the commit stamped by the go command (-buildvcs), no build ID: the
# same commit, Go version and C toolchain give byte-identical binaries
# (scripts/reproducible.sh checks it).
VERSION      ?= $(shell sed -n 's/^var Version = "\(.*\)"/\1/p' internal/cmdkit/buildinfo/buildinfo.go)
COMMIT       ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
RELEASE_BINS := citynode cityctl citybench
IMAGE_TAG    ?= latest
COMPOSE      ?= docker-compose
NETWORK      ?= citychain
COMPOSE_CMD  := $(COMPOSE) -f docker/compose.yaml -p $(NETWORK)

all: build

# The commit the binaries report (`citynode version`, internal/cmdkit/buildinfo) when
# the go command stamps none: in a git worktree, with -buildvcs=false, or from
# sources without .git. A stamped commit, where there is one, is the same.
BUILDINFO := github.com/citychain/citychain/internal/cmdkit/buildinfo
VERSION_LDFLAGS = -X $(BUILDINFO).gitCommit=$(shell git rev-parse HEAD 2>/dev/null) \
	-X $(BUILDINFO).gitDirty=$(shell test -z "$$(git status --porcelain 2>/dev/null)" && echo false || echo true)

build:
	$(GO) build $(GOFLAGS) -ldflags "$(VERSION_LDFLAGS)" -o $(BIN)/ ./cmd/...

## run: a dev chain with the municipal contracts, JSON-RPC on 127.0.0.1:8545.
run: build
	$(BIN)/citynode dev

## test: everything CI runs: lint (vet, gofmt, go.mod tidiness, staticcheck, govulncheck), the
## contracts check, unit, scenario and process tests, the compose network (./docker: needs Docker,
## docker-compose and haproxy), brief fuzzing.
test: lint contracts-check geth113
	$(GO) test $(GOFLAGS) -timeout 12m $$($(GO) list $(PKGS) | grep -v '/docker$$')
	@# The compose network alone: seven containers on two cores would slow the
	@# timing-sensitive cluster and process tests of the other packages.
	$(GO) test $(GOFLAGS) -timeout 15m ./docker
	$(MAKE) --no-print-directory fuzz FUZZTIME=10000x

## test-short: the quick loop before a commit: vet and gofmt, then every package's tests with
## -short (no real processes, networks, long simulations or the compose network; a few minutes).
test-short: vet
	$(GO) test $(GOFLAGS) -short -timeout 10m $$($(GO) list $(PKGS) | grep -v '/docker$$')

## faults: the whole fault suite (docs/reliability.md): four signers and an rpc node in network
## namespaces under transfer load through partitions, a one-way partition, 5 % loss, kill -9 of a
## random node for 10 minutes and of all nodes at once; about 25 minutes, needs root. The table
## goes to FAULTS_TABLE. make test runs the short version (TestFaultsShort).
FAULTS_TABLE ?= faults-table.md
faults:
	$(GO) test $(GOFLAGS) -count=1 -timeout 60m -v -run '^TestFaultSuite$$' ./internal/testkit/faults -faults.long -faults.table $(abspath $(FAULTS_TABLE))

## mutate: plant each mutation of scripts/mutations.txt in a scratch copy of
## the repository and fail unless the tests it names catch it (docs/testing.md;
## about 5 minutes on a quiet 2-core machine: a release-checklist step, not part of test).
mutate: contracts/node_modules/.package-lock.json
	$(GO) run $(GOFLAGS) ./scripts/mutate -list scripts/mutations.txt

# Every parser and verifier has a native fuzz target; CI runs each briefly
# (FUZZ_TARGETS), make fuzz-long runs every one for FUZZLONGTIME (FUZZ_TARGETS
# and FUZZ_SLOW_TARGETS), and make lint fails when a target is in neither list.
# FuzzJournal (./internal/node/txintake) fsyncs on every input, too slow for a
# few-second budget on a shared machine: its seeds run with the unit tests;
# fuzz it on its own with `make fuzz FUZZ_TARGETS=./internal/node/txintake:FuzzJournal`.
FUZZ_SLOW_TARGETS := ./internal/node/txintake:FuzzJournal
FUZZLONGTIME ?= 2m
FUZZ_TARGETS := \
	./consensus/clique:FuzzExtraData \
	./consensus/aura:FuzzDecodeHeader \
	./internal/client/anchor:FuzzDecodeExtHeader \
	./consensus/aura:FuzzParseSpec \
	./contracts:FuzzDecodeRevert \
	./contracts/ballots:FuzzBallotJSON \
	./contracts/ballots:FuzzDecodeEligibility \
	./contracts/merkle:FuzzDecodeStandardTree \
	./consensus/clique:FuzzVotes \
	./consensus/forkchoice:FuzzCompare \
	./genesis:FuzzGenesisJSON \
	./genesis/ceremony:FuzzConfig \
	./internal/node/gossip:FuzzDecode \
	./internal/node/allowlist:FuzzParse \
	./internal/node/permissions:FuzzParseList \
	./internal/client/audit:FuzzDecodeProof \
	./internal/node/ethcall:FuzzParse \
	./internal/node/sendbatch:FuzzScanBatch \
	./internal/client/registry:FuzzParseDocuments \
	./internal/client/registry:FuzzDecodeBatchFile \
	./internal/node/staletx:FuzzFilter \
	./genesis/joinrequest:FuzzJoinRequest \
	./internal/gateway/api:FuzzDecodeBallot \
	./internal/gateway/upstream:FuzzParseAt \
	./contracts/ballots:FuzzDecodeBallotCast \
	./internal/client/logpage:FuzzDecodeLogs \
	./internal/node/getlogs:FuzzAppendLog \
	./internal/node/historygap:FuzzGuard \
	./internal/gateway/front:FuzzParse \
	./internal/node/peertap:FuzzAnswers \
	./internal/node/peertap:FuzzReceipts \
	./internal/node/rpcacl:FuzzRewrite \
	./internal/node:FuzzConfigFile \
	./consensus/clique:FuzzVerifyHeader \
	./genesis/ceremony:FuzzConvert

## fuzz-long: every fuzz target for FUZZLONGTIME (2m: about 70 minutes for the 35 targets), from
## the corpora kept in each package's testdata/fuzz; not part of make test (docs/testing.md).
fuzz-long:
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZLONGTIME) FUZZ_TARGETS="$(FUZZ_TARGETS) $(FUZZ_SLOW_TARGETS)"

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$fn in $$pkg ($(FUZZTIME))"; \
		$(GO) test $(GOFLAGS) -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg; \
	done

## bench: Go benchmarks plus the load generator against citynode and geth 1.13.15 (transfers),
## the transfer workload on 3- and 4-signer loopback networks of each (scripts/bench-network.sh),
## then W3 (relayed ballot batches on one citynode signer, scripts/bench-ballots.sh) and the
## registry side by side with geth 1.13.15 (W2 documents, W4 verify, scripts/bench-registry.sh),
## then citygate: W5 reads beside direct eth_call and W6 ballot intake (scripts/bench-gateway.sh),
## then a poll of 1.5 million ballots recounted through paged eth_getLogs (scripts/bench-recount.sh),
## then fresh nodes joining a chain of 5 million transfers, citynode and geth (scripts/bench-join.sh).
bench: build
	$(GO) test $(GOFLAGS) -run '^$$' -bench . -benchmem ./consensus/... ./genesis/...
	scripts/bench.sh
	BENCH_SIGNERS=3 scripts/bench-network.sh
	BENCH_SIGNERS=4 scripts/bench-network.sh
	scripts/bench-ballots.sh
	scripts/bench-registry.sh
	scripts/bench-gateway.sh
	scripts/bench-recount.sh
	scripts/bench-join.sh

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

## geth113: build geth 1.13.15 into .bench/bin/geth once (scripts/build-geth113.sh); the
## anchoring tests run a real geth Clique network as the external chain (issue 19).
geth113:
	@scripts/build-geth113.sh >/dev/null

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

## fuzz-check: fail when a fuzz target of the repository is in neither FUZZ_TARGETS nor FUZZ_SLOW_TARGETS.
fuzz-check:
	@scripts/check-fuzz-targets.sh $(FUZZ_TARGETS) $(FUZZ_SLOW_TARGETS)

## tidy-check: fail when go.mod or go.sum is not what `go mod tidy` makes (the diff is printed).
tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod or go.sum is not tidy: run go mod tidy and commit the result"; exit 1; }

## lint: vet, gofmt and tidy-check, then staticcheck (staticcheck.conf) and govulncheck against the
## pinned vulnerability database: fails on a vulnerability the code reaches.
lint: vet tidy-check fuzz-check $(STATICCHECK) $(GOVULNCHECK) $(VULNDB)/index/db.json
	$(STATICCHECK) $(PKGS)
	$(GOVULNCHECK) -db file://$(CURDIR)/$(VULNDB) $(PKGS)

$(STATICCHECK):
	GOBIN=$(CURDIR)/$(@D) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(GOVULNCHECK):
	GOBIN=$(CURDIR)/$(@D) $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)

$(VULNDB)/index/db.json:
	rm -rf $(VULNDB)
	src=$$($(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^\t"Dir": "\(.*\)",$$/\1/p'); \
		test -d "$$src/data/osv" || { echo "golang.org/x/vulndb@$(VULNDB_VERSION) has no data/osv"; exit 1; }; \
		$(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) -vulns "$$src/data/osv" -out $(VULNDB)

fmt:
	gofmt -w $$(git ls-files '*.go')

## image: the citychain image (citynode, cityctl, citygate; static with cgo, FROM scratch) and
## the balancer image (Debian's HAProxy), tagged $(IMAGE_TAG). Needs Docker, gcc with glibc's
## static libc (libc6-dev) and apt's haproxy.
image:
	GO=$(GO) COMMIT=$(COMMIT) scripts/build-static.sh build/image ./cmd/citynode ./cmd/cityctl ./cmd/citygate
	rm -rf build/image/rootfs && mkdir -p build/image/data && cp -r docker/rootfs build/image/rootfs && cp docker/Dockerfile build/image/Dockerfile
	DOCKER_BUILDKIT=0 docker build -q -t citychain:$(IMAGE_TAG) \
		--build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) \
		--build-arg CREATED=$$(git log -1 --format=%cI 2>/dev/null || echo 1970-01-01T00:00:00Z) build/image
	docker/haproxy/build.sh citychain-haproxy:$(IMAGE_TAG)

## network-up: a four-signer network on this host (docker/compose.yaml), from nothing:
## images, ceremony, nodes, balancer on 127.0.0.1:$${CITYCHAIN_RPC_PORT:-8545}. Run again,
## it keeps the network it made (keys, genesis, chains) and starts what is stopped; it
## prints the ceremony's verdict last ("made a new network" or "reused ..."), and the
## ceremony's reason when it refuses (a lost key or password, a changed network.toml).
network-up: image docker/secrets/signer-password
	CITYCHAIN_TAG=$(IMAGE_TAG) $(COMPOSE_CMD) up -d || { \
		echo "make network-up: docker-compose up failed; the last lines of the ceremony's log:" >&2; \
		CITYCHAIN_TAG=$(IMAGE_TAG) $(COMPOSE_CMD) logs --no-color --tail 3 ceremony >&2; exit 1; }
	@CITYCHAIN_TAG=$(IMAGE_TAG) $(COMPOSE_CMD) logs --no-color --tail 1 ceremony

## network-down: stop the network and remove its containers, networks and volumes.
network-down:
	CITYCHAIN_TAG=$(IMAGE_TAG) $(COMPOSE_CMD) --profile monitoring down --volumes --remove-orphans --timeout 30

# The rehearsal's signer key password: random, made once, never committed.
docker/secrets/signer-password:
	mkdir -p docker/secrets
	umask 022; head -c 24 /dev/urandom | base64 > $@

## release: reproducible static binaries for linux/amd64 in build/release with
## SHA256SUMS, after checking that two clean builds are byte-identical.
release:
	scripts/reproducible.sh build/release $(RELEASE_BINS)

## reproducible: two clean builds (separate checkouts and build caches) compared byte for byte.
reproducible:
	scripts/reproducible.sh "" $(RELEASE_BINS)

clean:
	rm -rf build .bench
