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
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$BENCH/recount-$STAMP.txt
mkdir -p "$BENCH"

report() { log "$@" 2>&1 | tee -a "$OUT" >&2; }

for b in citynode citybench cityctl; do
	[[ -x $BIN/$b ]] || die "$BIN/$b missing: run make build"
done

NODE_PID=""
RUN=""
cleanup() {
	stop_pid "$NODE_PID" 60
	[[ -z $RUN || $RECOUNT_KEEP == 1 ]] || rm -rf "$RUN/data"
}
on_exit cleanup

# cpu_s PID: user+system CPU seconds of a process.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
hwm_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

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
report "results: $OUT"
