#!/usr/bin/env bash
# bench-audit.sh: the auditor and migration benchmarks, citynode and geth 1.13.15 side by
# side on one chain.
#
#  1. chain: a citynode signer (period 1, gas limit 600M) mines AUDIT_TXS transfers pushed
#     by citybench (saturated, so blocks hold thousands of transactions); stopped and
#     written with `citynode export`.
#  2. import speed: the file imported into a fresh full data dir (`citynode import`), a
#     fresh archive data dir (`citynode import --mode auditor`) and a fresh geth 1.13.15
#     data dir (`geth import`), each timed (blocks/s, tx/s over the command's wall time).
#  3. disk: each data dir's growth over its freshly initialised size (du), per million
#     transactions.
#  4. receipts: `citybench receipts` (AUDIT_RECEIPT_WORKERS concurrent clients, random
#     transactions of the blocks holding at least AUDIT_MIN_TXS, AUDIT_RECEIPT_TIME) against
#     the citynode auditor on the archive dir, then geth 1.13.15 on its dir, both serving
#     HTTP on 127.0.0.1 and nothing else; the ratio.
#
# Environment: AUDIT_TXS (100000), AUDIT_ACCOUNTS (300), AUDIT_RECEIPT_WORKERS (32),
# AUDIT_RECEIPT_TIME (20s), AUDIT_MIN_TXS (1000), AUDIT_KEEP=1 keeps the data dirs.
# Needs `make build`; builds geth 1.13.15 into .bench/bin once (scripts/build-geth113.sh).
# Results: .bench/audit-<timestamp>/summary.json and the table printed at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
TXS=${AUDIT_TXS:-100000}
ACCOUNTS=${AUDIT_ACCOUNTS:-300}
RWORKERS=${AUDIT_RECEIPT_WORKERS:-32}
RTIME=${AUDIT_RECEIPT_TIME:-20s}
MINTXS=${AUDIT_MIN_TXS:-1000}
CHAIN_ID=4244
GAS_LIMIT=600000000
POOL_FLAGS=(--txpool.globalslots 200000 --txpool.globalqueue 50000 --txpool.accountslots 2000 --txpool.accountqueue 2000)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$ROOT/.bench/audit-$STAMP
mkdir -p "$RUN"
PY=$(python3 -c 'import sys; print(sys.executable)') # the interpreter itself, not a slow shim

LOG_NAME=bench-audit
. "$ROOT/scripts/lib.sh"

NODE_PID=""
stop_node() {
	stop_pid "$NODE_PID" 60
	NODE_PID=""
}
cleanup() {
	local rc=$?
	stop_node
	[[ ${AUDIT_KEEP:-0} == 1 ]] || rm -rf "$RUN"/*/data
	exit "$rc"
}
on_exit cleanup

now() { date +%s.%N; }
bytes() { du -sb "$1" | cut -f1; }

[[ -x $BIN/citynode && -x $BIN/citybench ]] || die "run make build first ($BIN)"
GETH=$("$ROOT/scripts/build-geth113.sh") || die "could not build geth 1.13.15 (scripts/build-geth113.sh)"

log "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $TXS transfers; run dir $RUN"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

###########################################################################################
log "1. chain: a citynode signer mines $TXS transfers"
bench_chain "$RUN" "$TXS" "$ACCOUNTS" "$GAS_LIMIT" "$CHAIN_ID"

###########################################################################################
# import NAME INIT-COMMAND... -- IMPORT-COMMAND...: times the import, records sizes.
declare -A SECS GROWTH
import() {
	local name=$1 dir=$RUN/$1
	shift
	mkdir -p "$dir"
	local init=() imp=()
	while [[ $1 != -- ]]; do init+=("$1"); shift; done
	shift
	imp=("$@")
	"${init[@]}" >"$dir/init.log" 2>&1 || die "$name init failed: $dir/init.log"
	local before t0 t1
	before=$(bytes "$dir/data")
	log "2. import into $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	t0=$(now)
	"${imp[@]}" >"$dir/import.log" 2>&1 || die "$name import failed: $dir/import.log"
	t1=$(now)
	SECS[$name]=$("$PY" -c "print(f'{$t1 - $t0:.1f}')")
	GROWTH[$name]=$(($(bytes "$dir/data") - before))
	log "$name: ${SECS[$name]} s, data dir grew by $((GROWTH[$name] / 1048576)) MiB"
}
import full "$BIN/citynode" init --datadir "$RUN/full/data" "$RUN/genesis.json" -- \
	"$BIN/citynode" import --datadir "$RUN/full/data" "$RUN/chain.rlp"
import archive "$BIN/citynode" init --mode auditor --datadir "$RUN/archive/data" "$RUN/genesis.json" -- \
	"$BIN/citynode" import --mode auditor --datadir "$RUN/archive/data" "$RUN/chain.rlp"
import geth "$GETH" init --datadir "$RUN/geth/data" "$RUN/genesis.json" -- \
	"$GETH" import --datadir "$RUN/geth/data" "$RUN/chain.rlp"
grep -h '^Imported' "$RUN/full/import.log" "$RUN/archive/import.log" >&2 || true

###########################################################################################
# receipts NAME: citybench receipts against the node started on NAME's data dir.
receipts() {
	local name=$1 dir=$RUN/$1 http
	http=$(free_port)
	if [[ $name == geth ]]; then
		"$GETH" --datadir "$dir/data" --networkid "$CHAIN_ID" --port "$(free_port)" --nodiscover --maxpeers 0 --nat none \
			--ipcdisable --authrpc.port "$(free_port)" --http --http.addr 127.0.0.1 --http.port "$http" \
			--http.api eth,net,web3 --syncmode full --verbosity 2 >"$dir/node.log" 2>&1 &
	else
		local mode=rpc
		[[ $name == archive ]] && mode=auditor
		"$BIN/citynode" --datadir "$dir/data" --mode "$mode" --http --http.addr 127.0.0.1 --http.port "$http" \
			--port "$(free_port)" --nodiscover --maxpeers 0 --verbosity 2 >"$dir/node.log" 2>&1 &
	fi
	NODE_PID=$!
	"$BIN/citybench" --verbosity 2 wait --rpc "http://127.0.0.1:$http" --block "$BLOCKS" --timeout 120s || die "$name did not start: $dir/node.log"
	log "4. receipts from $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	"$BIN/citybench" --verbosity 2 receipts --rpc "http://127.0.0.1:$http" --label "$name" --workers "$RWORKERS" \
		--duration "$RTIME" --min-txs "$MINTXS" --report "$dir/receipts.json" | tee "$dir/receipts.txt" ||
		log "$name: citybench receipts exited with $? (see $dir/receipts.txt)"
	stop_node
}
receipts archive
receipts geth

###########################################################################################
"$PY" - "$RUN" "$TXS" "$BLOCKS" "${SECS[full]}" "${SECS[archive]}" "${SECS[geth]}" \
	"${GROWTH[full]}" "${GROWTH[archive]}" "${GROWTH[geth]}" "$LOAD_START" "$(nproc)" <<'PY'
import json, sys
run, txs, blocks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
secs = dict(zip(("full", "archive", "geth"), map(float, sys.argv[4:7])))
growth = dict(zip(("full", "archive", "geth"), map(int, sys.argv[7:10])))
load, cores = sys.argv[10], sys.argv[11]
rec = {k: json.load(open(f"{run}/{k}/receipts.json")) for k in ("archive", "geth")}
out = {"txs": txs, "blocks": blocks, "cores": cores, "loadavg_start": load, "import_seconds": secs,
       "import_blocks_per_s": {k: blocks / v for k, v in secs.items()}, "import_tx_per_s": {k: txs / v for k, v in secs.items()},
       "growth_bytes": growth, "bytes_per_million_tx": {k: v * 1e6 / txs for k, v in growth.items()}, "receipts": rec,
       "receipts_ratio": rec["archive"]["receipts_per_s"] / rec["geth"]["receipts_per_s"] if rec["geth"]["receipts_per_s"] else None}
json.dump(out, open(f"{run}/summary.json", "w"), indent=2)
g = rec["geth"]
print(f"\n{txs} transfers in {blocks} blocks ({g['min_block_txs']}-{g['max_block_txs']} transactions per block asked), {cores} cores, load average at start {load}")
print(f"{'':34} {'citynode full':>14} {'citynode archive':>17} {'geth 1.13.15':>13}")
print(f"{'import wall time (s)':34} {secs['full']:>14.1f} {secs['archive']:>17.1f} {secs['geth']:>13.1f}")
print(f"{'import blocks/s':34} {blocks/secs['full']:>14.1f} {blocks/secs['archive']:>17.1f} {blocks/secs['geth']:>13.1f}")
print(f"{'import tx/s':34} {txs/secs['full']:>14.0f} {txs/secs['archive']:>17.0f} {txs/secs['geth']:>13.0f}")
print(f"{'data dir growth (MiB)':34} {growth['full']/2**20:>14.0f} {growth['archive']/2**20:>17.0f} {growth['geth']/2**20:>13.0f}")
print(f"{'per million transactions (MiB)':34} {growth['full']*1e6/txs/2**20:>14.0f} {growth['archive']*1e6/txs/2**20:>17.0f} {growth['geth']*1e6/txs/2**20:>13.0f}")
a = rec["archive"]
print(f"{'eth_getTransactionReceipt/s':34} {'':>14} {a['receipts_per_s']:>17.0f} {g['receipts_per_s']:>13.0f}   ratio {out['receipts_ratio']:.1f}x")
print(f"{'  latency p50 / p99 (ms)':34} {'':>14} {a['p50_ms']:>8.1f} / {a['p99_ms']:<6.1f} {g['p50_ms']:>5.1f} / {g['p99_ms']:<6.1f}")
print(f"{'  errors':34} {'':>14} {a['errors']:>17} {g['errors']:>13}")
print(f"results: {run}/summary.json")
PY
