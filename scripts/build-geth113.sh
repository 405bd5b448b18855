#!/usr/bin/env bash
# build-geth113.sh: build geth v1.13.15 (the last geth that seals Clique) from the Go
# module cache into .bench/bin/geth, once; print its path. Used by bench.sh,
# bench-network.sh, bench-audit.sh, geth113-interop.sh and `make test` (make geth113: the
# anchoring tests of issue 19 run a geth 1.13.15 Clique network).
#
# The module comes from the Go module proxy like any other (nothing else is
# downloaded); a geth already there with the right version is reused.
set -euo pipefail

cd "$(dirname "$0")/.."
GETH_VERSION=v1.13.15
BINDIR=$PWD/.bench/bin
GETH=$BINDIR/geth
mkdir -p "$BINDIR"

have=""
[[ -x $GETH ]] && have=$("$GETH" version 2>/dev/null || true)
if [[ $have != *"Version: ${GETH_VERSION#v}-stable"* ]]; then
	printf '%s build-geth113: building geth %s into %s (once; takes a few minutes)\n' "$(date +%H:%M:%S)" "$GETH_VERSION" "$BINDIR" >&2
	# -checklinkname=0: geth 1.13's dependencies use go:linkname into the runtime,
	# which current Go toolchains refuse by default.
	GOBIN=$BINDIR GOFLAGS=-buildvcs=false go install -ldflags=-checklinkname=0 \
		"github.com/ethereum/go-ethereum/cmd/geth@$GETH_VERSION" >&2
fi
echo "$GETH"
