#!/usr/bin/env bash
# bench-recount.sh: target 4 of issue 18, a city-wide poll recounted from its events.
#
# Fills one poll with RECOUNT_VOTERS ballots through scripts/bench-ballots.sh (one citynode
# signer indexing logs as it seals, as an rpc node following it would; relayed batches of
# 130; the datadir kept), then restarts the node on that datadir as a reader would run it and
# times `cityctl poll recount` (eth_getLogs paged by block range, ADR 058) against it: once
# with go-ethereum's log index on (`--rpc.logindex on`, what an rpc node runs), once with it
# off (`--rpc.logindex off`, a sealing signer's default, ADR 059). Prints the recount's wall
# and CPU time, the node's CPU and peak RSS during it, the data dir by contributor, and the
# load average. Results in .bench/recount-<timestamp>.txt.
#
# Environment:
#   RECOUNT_VOTERS      ballots in the poll (default 1500000; also the electorate)
#   RECOUNT_MODES       log index settings to recount with (default "on off")
#   RECOUNT_RUN         a kept .bench/ballots-run-* directory to recount again instead of filling
#   RECOUNT_KEEP        set to 1 to keep the datadir (for RECOUNT_RUN)
#   RECOUNT_GETH        1 (default) also times eth_getLogs pages side by side with geth 1.13.15
#                       (`citynode export`, `geth import`; built by scripts/build-geth113.sh);
#                       0 skips it
#   RECOUNT_GETH_REUSE  1: keep geth's data dir of an earlier side-by-side of RECOUNT_RUN (its
#                       import of the same chain) instead of exporting and importing again
#   RECOUNT_ROUNDS      rounds per client of the side-by-side pages, alternated (default 3)
#   RECOUNT_PAGE_BLOCKS blocks per eth_getLogs page in the side-by-side (default 2: ~15,000
#                       events at ~7,400 a block, as the recount's pages of ~20,000)
#
# Called by `make bench` after `make build`.
set -euo pipefail

LOG_NAME=bench-recount
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
BENCH=$ROOT/.bench
RECOUNT_VOTERS=${RECOUNT_VOTERS:-1500000}
RECOUNT_MODES=${RECOUNT_MODES:-on off}
RECOUNT_RUN=${RECOUNT_RUN:-}
RECOUNT_KEEP=${RECOUNT_KEEP:-0}
RECOUNT_GETH=${RECOUNT_GETH:-1}
RECOUNT_GETH_REUSE=${RECOUNT_GETH_REUSE:-0}
RECOUNT_ROUNDS=${RECOUNT_ROUNDS:-3}
RECOUNT_PAGE_BLOCKS=${RECOUNT_PAGE_BLOCKS:-2}
GETH=${GETH:-$ROOT/.bench/bin/geth}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$BENCH/recount-$STAMP.txt
mkdir -p "$BENCH"

report() { log "$@" 2>&1 | tee -a "$OUT" >&2; }

for b in citynode citybench cityctl; do
	[[ -x $BIN/$b ]] || die "$BIN/$b missing: run make build"
done

NODE_PID=""
GETH_PID=""
RUN=""
cleanup() {
	stop_pid "$NODE_PID" 60
	stop_pid "$GETH_PID" 60
	[[ -z $RUN || $RECOUNT_KEEP == 1 ]] || rm -rf "$RUN/geth"
	[[ -z $RUN || $RECOUNT_KEEP == 1 ]] || rm -rf "$RUN/data"
}
on_exit cleanup

# disk DIR: the data dir's MiB on disk by contributor (allocated blocks, as du counts them;
# the database's write-ahead logs are preallocated, so their written size is given too).
disk() {
	local c=$1/data/citynode/chaindata mib='{ printf "%.1f", $1 / 1024 }'
	local wal_alloc wal_written sst freezer journal total
	wal_alloc=$(du -ck "$c"/*.log 2>/dev/null | tail -n 1 | awk "$mib")
	wal_written=$(du -ck --apparent-size "$c"/*.log 2>/dev/null | tail -n 1 | awk "$mib")
	sst=$(du -ck "$c"/*.sst 2>/dev/null | tail -n 1 | awk "$mib")
	freezer="$(du -sk "$c/ancient/chain" | awk "$mib") (blocks, receipts) + $(du -sk "$c/ancient/state" | awk "$mib") (state history)"
	journal=$(du -sk "$1/data/citynode/transactions.journal" 2>/dev/null | awk "$mib")
	total=$(du -sk "$1/data" | awk "$mib")
	echo "data dir $total MiB: database tables $sst, write-ahead logs $wal_alloc allocated ($wal_written written), freezer $freezer, transaction journal ${journal:-0}"
}

if [[ -n $RECOUNT_RUN ]]; then
	[[ -d $RECOUNT_RUN/data ]] || die "RECOUNT_RUN=$RECOUNT_RUN has no data dir (kept with RECOUNT_KEEP=1)"
	RUN=$RECOUNT_RUN
else
	report "filling one poll with $RECOUNT_VOTERS ballots (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	BEFORE=$(ls -d "$BENCH"/ballots-run-* 2>/dev/null | tail -n 1 || true)
	BALLOT_CITYNODE_FLAGS="--rpc.logindex on" BALLOT_KEEP=1 BALLOT_BATCHES=130 BALLOT_VOTERS=$RECOUNT_VOTERS \
		BALLOT_ELECTORATE=$RECOUNT_VOTERS scripts/bench-ballots.sh 2>&1 | tee -a "$OUT"
	RUN=$(ls -d "$BENCH"/ballots-run-* | tail -n 1)
	[[ $RUN != "$BEFORE" && -d $RUN/data ]] || die "bench-ballots.sh left no datadir"
fi
report "node stopped: $(disk "$RUN")"

for mode in $RECOUNT_MODES; do
	HTTP_PORT=$(free_port)
	"$BIN/citynode" --datadir "$RUN/data" --rpc.logindex "$mode" --http --http.addr 127.0.0.1 \
		--http.port "$HTTP_PORT" --port 0 --nodiscover >"$RUN/node-$mode.log" 2>&1 &
	NODE_PID=$!
	"$BIN/citybench" --verbosity 2 wait --rpc "http://127.0.0.1:$HTTP_PORT" --block 1 --timeout 120s ||
		die "citynode did not answer: see $RUN/node-$mode.log"
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	node_cpu0=$(cpu_s "$NODE_PID")
	start=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$RUN/recount-$mode.time" \
		"$BIN/cityctl" poll recount --rpc "http://127.0.0.1:$HTTP_PORT" --poll 1 --json >"$RUN/recount-$mode.json" ||
		die "recount with log index $mode failed: $(cat "$RUN/recount-$mode.json")"
	end=$(date +%s.%N)
	node_cpu1=$(cpu_s "$NODE_PID")
	report "log index $mode: recount of $(jq .events "$RUN/recount-$mode.json") events in $(echo "$end - $start" | bc) s wall," \
		"cityctl CPU $(awk '{ print $1 + $2 }' "$RUN/recount-$mode.time") s, node CPU $(echo "$node_cpu1 - $node_cpu0" | bc) s," \
		"node peak RSS $(hwm_mib "$NODE_PID") MiB, match $(jq .match "$RUN/recount-$mode.json"), load average before $load"
	report "  node running: $(disk "$RUN")"
	stop_pid "$NODE_PID" 60
	NODE_PID=""
done
# rpc URL BODY: one JSON-RPC call's answer.
rpc() { curl -sf -H 'Content-Type: application/json' --data-binary "$2" "$1"; }

# pages URL FILTER HEAD: eth_getLogs of blocks 1..HEAD in pages of RECOUNT_PAGE_BLOCKS
# with FILTER's members; prints the logs read.
pages() {
	local lo hi n=0 body
	for ((lo = 1; lo <= $3; lo += RECOUNT_PAGE_BLOCKS)); do
		hi=$((lo + RECOUNT_PAGE_BLOCKS - 1 < $3 ? lo + RECOUNT_PAGE_BLOCKS - 1 : $3))
		body=$(printf '{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x%x","toBlock":"0x%x",%s}]}' "$lo" "$hi" "$2")
		n=$((n + $(rpc "$1" "$body" | grep -o '"logIndex"' | wc -l)))
	done
	echo "$n"
}

# side_by_side: eth_getLogs pages over the poll's blocks on citynode (log index on) and
# on geth 1.13.15 after it imported citynode's chain, alternated rounds.
side_by_side() {
	[[ -x $GETH ]] || scripts/build-geth113.sh || die "geth 1.13.15 missing: scripts/build-geth113.sh"
	if [[ $RECOUNT_GETH_REUSE == 1 && -d $RUN/geth/geth/chaindata ]]; then
		report "geth 1.13.15: reusing $RUN/geth (RECOUNT_GETH_REUSE=1)"
	else
		rm -rf "$RUN/geth" "$RUN/chain.rlp.gz"
		"$BIN/citynode" export --datadir "$RUN/data" "$RUN/chain.rlp.gz" >"$RUN/export.log" 2>&1 || die "citynode export failed: $RUN/export.log"
		"$GETH" init --datadir "$RUN/geth" "$RUN/genesis.json" >"$RUN/geth-init.log" 2>&1 || die "geth init failed: $RUN/geth-init.log"
		local t0
		t0=$(date +%s.%N)
		"$GETH" import --datadir "$RUN/geth" "$RUN/chain.rlp.gz" >"$RUN/geth-import.log" 2>&1 || die "geth import failed: $RUN/geth-import.log"
		report "geth 1.13.15 imported citynode's chain in $(echo "$(date +%s.%N) - $t0" | bc) s"
	fi
	local cport gport curl gurl head filter lo out
	cport=$(free_port)
	"$BIN/citynode" --mode rpc --datadir "$RUN/data" --rpc.logindex on --http --http.addr 127.0.0.1 --http.port "$cport" \
		--port 0 --nodiscover >"$RUN/node-side.log" 2>&1 &
	NODE_PID=$!
	gport=$(free_port)
	"$GETH" --datadir "$RUN/geth" --http --http.addr 127.0.0.1 --http.port "$gport" --http.api eth,net,web3 \
		--authrpc.port "$(free_port)" --port 0 --nodiscover --maxpeers 0 --ipcdisable --networkid "$(jq .config.chainId "$RUN/genesis.json")" \
		>"$RUN/geth-side.log" 2>&1 &
	GETH_PID=$!
	curl="http://127.0.0.1:$cport" gurl="http://127.0.0.1:$gport"
	"$BIN/citybench" --verbosity 2 wait --rpc "$curl" --block 1 --timeout 120s || die "citynode did not answer: $RUN/node-side.log"
	"$BIN/citybench" --verbosity 2 wait --rpc "$gurl" --block 1 --timeout 120s || die "geth did not answer: $RUN/geth-side.log"
	head=$(($(rpc "$curl" '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' | jq -r .result)))
	[[ $head == $(($(rpc "$gurl" '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' | jq -r .result))) ]] ||
		die "geth's head differs from citynode's $head"
	# The recount's filter: the Polls contract's BallotCast events of poll 1, as the most
	# frequent event of the first block with logs from the middle of the chain names them.
	for ((lo = head / 2; lo <= head; lo++)); do
		out=$(rpc "$curl" "$(printf '{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x%x","toBlock":"0x%x"}]}' "$lo" "$lo")")
		[[ $(jq '.result | length' <<<"$out") == 0 ]] || break
	done
	filter=$(jq -c '.result | group_by(.topics[0]) | max_by(length) | .[0] | {address: .address, topics: [.topics[0], .topics[1]]}' <<<"$out" | sed 's/^{//; s/}$//')
	report "side by side: eth_getLogs of blocks 1-$head in pages of $RECOUNT_PAGE_BLOCKS blocks, {$filter}, $RECOUNT_ROUNDS rounds each, alternated"
	local round name url pid cpu0 start n wall cpu
	for ((round = 1; round <= RECOUNT_ROUNDS; round++)); do
		for name in citynode geth; do
			url=$curl pid=$NODE_PID
			[[ $name == geth ]] && url=$gurl pid=$GETH_PID
			load=$(cut -d' ' -f1-3 /proc/loadavg)
			cpu0=$(cpu_s "$pid")
			start=$(date +%s.%N)
			n=$(pages "$url" "$filter" "$head")
			wall=$(echo "$(date +%s.%N) - $start" | bc)
			cpu=$(echo "$(cpu_s "$pid") - $cpu0" | bc)
			report "  round $round $name: $n logs in $wall s wall, node CPU $cpu s ($(echo "scale=1; $cpu * 1000000 / $n" | bc) us/log), peak RSS $(hwm_mib "$pid") MiB, load average before $load"
		done
	done
	stop_pid "$NODE_PID" 60
	stop_pid "$GETH_PID" 60
	NODE_PID="" GETH_PID=""
}
[[ $RECOUNT_GETH == 0 ]] || side_by_side

report "results: $OUT"
