#!/usr/bin/env bash
# build-clef113.sh: build clef from geth v1.13.15 (the external signer geth 1.13
# sealed Clique blocks through, `account_signData` with application/x-clique-header)
# from the Go module cache into .bench/bin/clef, once; print its path. Used by the
# external-signer tests (internal/node/extsigner, ADR 050); under CI=true they fail
# if it cannot be built.
#
# The module comes from the Go module proxy like any other (nothing else is
# downloaded); a clef already there with the right version is reused.
set -euo pipefail

cd "$(dirname "$0")/.."
GETH_VERSION=v1.13.15
BINDIR=$PWD/.bench/bin
CLEF=$BINDIR/clef
mkdir -p "$BINDIR"

have=""
[[ -x $CLEF ]] && have=$("$CLEF" --version 2>/dev/null || true)
if [[ $have != *"${GETH_VERSION#v}-stable"* ]]; then
	printf '%s build-clef113: building clef %s into %s (once; takes a few minutes)\n' "$(date +%H:%M:%S)" "$GETH_VERSION" "$BINDIR" >&2
	# -checklinkname=0: geth 1.13's dependencies use go:linkname into the runtime,
	# which current Go toolchains refuse by default.
	GOBIN=$BINDIR GOFLAGS=-buildvcs=false go install -ldflags=-checklinkname=0 \
		"github.com/ethereum/go-ethereum/cmd/clef@$GETH_VERSION" >&2
fi
echo "$CLEF"
