#!/usr/bin/env bash
# bench-ballots.sh: workload W3 of the benchmark, residents' signed ballots relayed in
# batches to the Polls contract of a single citynode signer.
#
# A fresh datadir and genesis (citybench genesis --relayers: one signer, period 1, gas
# limit 600M, the municipal registry with test account 0 as poll admin and accounts
# 1..BALLOT_RELAYERS as relayers), citynode started on free 127.0.0.1 ports, then
# citybench ballots: one poll per batch size, BALLOT_VOTERS ballots each, from an
# electorate of BALLOT_ELECTORATE residents. Results in .bench/ballots-<timestamp>.json.
#
# Environment:
#   BALLOT_VOTERS      ballots per batch size (default 60000)
#   BALLOT_ELECTORATE  residents in the eligibility tree (default 1500000: proof depth 21)
#   BALLOT_BATCHES     batch sizes, comma-separated (default 25,50,100,130; a relay
#                      transaction must stay under the pool's 128 KiB, about 135 ballots)
#   BALLOT_RELAYERS    relayer accounts (default 2)
#   BALLOT_GASLIMIT    block gas limit (default 600000000)
#   BALLOT_KEEP        set to 1 to keep the datadir
#   BALLOT_CITYNODE_FLAGS  extra citynode flags, e.g. "--pprof" to profile the signer
#
# Called by `make bench` after `make build`.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
BENCH=$ROOT/.bench
BALLOT_VOTERS=${BALLOT_VOTERS:-60000}
BALLOT_ELECTORATE=${BALLOT_ELECTORATE:-1500000}
BALLOT_BATCHES=${BALLOT_BATCHES:-25,50,100,130}
BALLOT_RELAYERS=${BALLOT_RELAYERS:-2}
BALLOT_GASLIMIT=${BALLOT_GASLIMIT:-600000000}
BALLOT_KEEP=${BALLOT_KEEP:-0}
read -r -a CITYNODE_EXTRA <<<"${BALLOT_CITYNODE_FLAGS:-}"
SEED=citybench-ballots
SIGNER_SEED=bench-signer
CHAIN_ID=4243

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH/ballots-run-$STAMP
mkdir -p "$RUN"

LOG_NAME=bench-ballots
. "$ROOT/scripts/lib.sh"

NODE_PID=""
cleanup() {
	stop_pid "$NODE_PID"
	[[ $BALLOT_KEEP == 1 ]] || rm -rf "$RUN/data"
}
on_exit cleanup

for b in citynode citybench; do
	[[ -x $BIN/$b ]] || die "$BIN/$b missing: run make build"
done

"$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format key >"$RUN/signer.key"
SIGNER=$("$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format address)
echo bench >"$RUN/password"
"$BIN/citybench" genesis --accounts $((BALLOT_RELAYERS + 1)) --seed "$SEED" --relayers "$BALLOT_RELAYERS" \
	--signer-key "$RUN/signer.key" --period 1 --gaslimit "$BALLOT_GASLIMIT" --chainid "$CHAIN_ID" --out "$RUN/genesis.json"
init_datadir "$BIN/citynode" "$RUN" "$RUN/genesis.json" "$RUN/signer.key" "$RUN/password"
HTTP_PORT=$(free_port)
P2P_PORT=$(free_port)
start_citynode "$RUN" --signer "$SIGNER" --password "$RUN/password" \
	--http --http.addr 127.0.0.1 --http.port "$HTTP_PORT" --port "$P2P_PORT" --nodiscover \
	--authrpc.port "$(free_port)" --miner.gaslimit "$BALLOT_GASLIMIT" "${CITYNODE_EXTRA[@]}"
log "citynode started (pid $NODE_PID, http 127.0.0.1:$HTTP_PORT, log $RUN/node.log)"
if ! "$BIN/citybench" --verbosity 2 wait --rpc "http://127.0.0.1:$HTTP_PORT" --block 1 --timeout 90s; then
	tail -n 30 "$RUN/node.log" >&2 || true
	die "citynode did not start sealing"
fi
log "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "W3: $BALLOT_VOTERS ballots per batch size ($BALLOT_BATCHES), electorate $BALLOT_ELECTORATE, $BALLOT_RELAYERS relayers"
"$BIN/citybench" --verbosity 2 ballots --rpc "http://127.0.0.1:$HTTP_PORT" --seed "$SEED" --relayers "$BALLOT_RELAYERS" \
	--voters "$BALLOT_VOTERS" --electorate "$BALLOT_ELECTORATE" --batches "$BALLOT_BATCHES" \
	--report "$BENCH/ballots-$STAMP.json" | tee "$RUN/report.txt"
log "report: $BENCH/ballots-$STAMP.json"
