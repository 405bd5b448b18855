#!/usr/bin/env bash
# update-genesis-golden.sh: regenerate every golden value that follows from the
# pre-deployed registry's code (contracts/artifacts, embedded), after a
# deliberate change of a contract (make contracts) or of what genesis holds:
#   params/testdata/presets.golden.json          the dev preset's genesis hash
#   params/testdata/dev*.geth-1.13.15-*          geth 1.13.15's own hash and dump of it
#   genesis/ceremony/testdata/genesis.golden.json the ceremony's genesis
#   cmd/cityctl/testdata/contracts-verify.golden  `cityctl contracts verify` on a dev chain (builds citynode)
# The geth files come from geth 1.13.15 itself (built by build-geth113.sh).
# genesis/ceremony/testdata/genesis-without-anchors.golden.json is never
# regenerated: it is the genesis of networks made before Anchors was
# pre-deployed, which `anchors = false` must keep giving (ADR 061).
# Review `git diff` afterwards: every changed hash must be explained by the change.
set -euo pipefail

cd "$(dirname "$0")/.."
GETH113=$(scripts/build-geth113.sh)
export GETH113 UPDATE_GOLDEN=1
go test -count=1 ./params -run 'TestPresetsGolden|TestDevGeth113'
go test -count=1 ./genesis/ceremony -run 'TestBuildGolden'
go test -count=1 ./cmd/cityctl -run 'TestRegistryFlows'
