#!/usr/bin/env bash
# bench.sh: the side-by-side load benchmark of geth 1.13.15 and citynode.
#
# For each node in turn (geth first, then citynode): a fresh datadir, the same genesis
# (citybench genesis: one signer, period 1, gas limit 600M, BENCH_ACCOUNTS funded test
# accounts), free ports on 127.0.0.1, the node started, citybench transfers run against
# it, the node stopped. Then a table with the ratio citynode/geth, and
# .bench/results-<timestamp>.json with both reports.
#
# Environment:
#   BENCH_TXS       transfers per node (default 120000)
#   BENCH_ACCOUNTS  sending accounts (default 300)
#   BENCH_BATCH     transactions per JSON-RPC batch (default 500)
#   BENCH_WORKERS   concurrent batch senders (default 4)
#   BENCH_TIMEOUT   limit of one node's load run (default 10m)
#   BENCH_NODES     nodes to run, in order (default "geth citynode")
#   BENCH_ROUNDS    rounds (default 1); each round runs every node once, back to back,
#                   and the comparison reports the median of the per-round ratios
#   BENCH_SAMPLE    seconds between samples of the node's RSS and data dir (default 10),
#                   written to .bench/run-<timestamp>/rROUND/NODE/footprint.tsv (the curve)
#   BENCH_KEEP      set to 1 to keep the datadirs under .bench/run-<timestamp>
#   BENCH_LOAD_FLAGS extra citybench transfers flags for both nodes, e.g. the latency
#                   run "--max-pending 2000" (a steady load below capacity)
#   BENCH_KILLS     the crash benchmark: kill the node with SIGKILL this many times
#                   under load (default 0: no kills), restart it on the same data dir
#                   and ports, and check at the end that every transaction the node
#                   acknowledged is in a block (citybench --resend, --stall 180s); CPU, RSS and
#                   footprint curves are not sampled in this mode
#   BENCH_KILL_EVERY blocks of load between two kills (default 5; period 1 s)
#   BENCH_GETH_FLAGS, BENCH_CITYNODE_FLAGS
#                   extra flags for one node, to experiment (e.g. "--verbosity 2");
#                   a comparison is only fair with both empty or equivalent
#
# Called by `make bench` after `make build`. geth v1.13.15 is built once into
# .bench/bin (git-ignored) and reused, only when BENCH_NODES has geth.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
BENCH=$ROOT/.bench
GETH=$BENCH/bin/geth

BENCH_TXS=${BENCH_TXS:-120000}
BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-300}
BENCH_BATCH=${BENCH_BATCH:-500}
BENCH_WORKERS=${BENCH_WORKERS:-4}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-10m}
BENCH_NODES=${BENCH_NODES:-geth citynode}
BENCH_ROUNDS=${BENCH_ROUNDS:-1}
BENCH_KEEP=${BENCH_KEEP:-0}
BENCH_SAMPLE=${BENCH_SAMPLE:-10}
BENCH_KILLS=${BENCH_KILLS:-0}
BENCH_KILL_EVERY=${BENCH_KILL_EVERY:-5}
read -r -a GETH_EXTRA <<<"${BENCH_GETH_FLAGS:-}"
read -r -a CITYNODE_EXTRA <<<"${BENCH_CITYNODE_FLAGS:-}"
read -r -a LOAD_EXTRA <<<"${BENCH_LOAD_FLAGS:-}"

SEED=citybench           # test account seed, shared by genesis and load
SIGNER_SEED=bench-signer # seed of the single signer's key
CHAIN_ID=4242
PERIOD=1           # seconds between blocks
GAS_LIMIT=600000000
# Pool limits for both nodes, so that the pool is not the bottleneck: the whole
# workload fits (BENCH_TXS pending plus reordering slack), and every account may hold
# all of its transactions.
POOL_FLAGS=(--txpool.globalslots 200000 --txpool.globalqueue 50000 --txpool.accountslots 2000 --txpool.accountqueue 2000)

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH/run-$STAMP
RESULTS=$BENCH/results-$STAMP.json
mkdir -p "$RUN" "$BENCH/bin"

LOG_NAME=bench
. "$ROOT/scripts/lib.sh"

NODE_PID=""
SAMPLER_PID=""
cleanup() {
	local rc=$?
	if [[ -n $SAMPLER_PID ]]; then
		kill "$SAMPLER_PID" 2>/dev/null || true
	fi
	if [[ -n $NODE_PID ]] && kill -0 "$NODE_PID" 2>/dev/null; then
		kill -KILL "$NODE_PID" 2>/dev/null || true
		wait "$NODE_PID" 2>/dev/null || true
	fi
	if [[ $BENCH_KEEP != 1 ]]; then
		# Keep logs and reports; drop the chain data.
		rm -rf "$RUN"/r*/*/data
	fi
	exit "$rc"
}
on_exit cleanup

# stop_node interrupts the node and waits up to 60 s before killing it.
stop_node() {
	stop_pid "$NODE_PID" 60
	NODE_PID=""
}

# build_tools builds citybench if BIN lacks it, and geth 1.13.15 (once, into
# .bench/bin) if NODES has geth: a citynode-only run needs no geth.
build_tools() {
	if [[ ! -x $BIN/citybench ]]; then
		log "building citybench into $BIN"
		go build -o "$BIN/citybench" ./cmd/citybench
	fi
	if [[ " ${NODES[*]} " == *" geth "* ]]; then
		"$ROOT/scripts/build-geth113.sh" >/dev/null || die "could not build geth 1.13.15 (scripts/build-geth113.sh)"
	fi
}

# start_geth DIR: init, import the signer key and start geth 1.13.15 as the signer.
start_geth() {
	init_datadir "$GETH" "$1" "$RUN/genesis.json" "$RUN/signer.key" "$RUN/password"
	launch_geth "$1"
}

# launch_geth DIR: start geth 1.13.15 on DIR as the signer (again, after a kill).
launch_geth() {
	local dir=$1
	"$GETH" --datadir "$dir/data" --networkid "$CHAIN_ID" \
		--port "$P2P_PORT" --nodiscover --maxpeers 0 --nat none --ipcdisable \
		--authrpc.port "$AUTH_PORT" \
		--http --http.addr 127.0.0.1 --http.port "$HTTP_PORT" --http.api eth,net,web3,txpool,clique \
		--mine --miner.etherbase "$SIGNER" --unlock "$SIGNER" --password "$RUN/password" \
		--allow-insecure-unlock --miner.gaslimit "$GAS_LIMIT" \
		"${POOL_FLAGS[@]}" --syncmode full "${GETH_EXTRA[@]}" \
		>>"$dir/node.log" 2>&1 &
	NODE_PID=$!
}

# start_citynode DIR: the same for citynode.
start_citynode() {
	init_datadir "$BIN/citynode" "$1" "$RUN/genesis.json" "$RUN/signer.key" "$RUN/password"
	launch_citynode "$1"
}

# launch_citynode DIR: start citynode on DIR as the signer (again, after a kill).
launch_citynode() {
	local dir=$1 node=$BIN/citynode
	# The help read whole: `--help | grep -q` under pipefail failed whenever grep
	# exited before citynode finished writing (SIGPIPE), and the pool flags were dropped.
	local pool=() help
	help=$("$node" --help 2>&1)
	if [[ $help == *--txpool.globalslots* ]]; then
		pool=("${POOL_FLAGS[@]}")
	else
		log "citynode has no --txpool.* flags: running with its default pool limits"
	fi
	if [[ $help == *--authrpc.port* ]]; then
		pool+=(--authrpc.port "$AUTH_PORT") # the control plane: a free port, not 8551
	fi
	"$node" --datadir "$dir/data" --signer "$SIGNER" --password "$RUN/password" \
		--http --http.addr 127.0.0.1 --http.port "$HTTP_PORT" \
		--port "$P2P_PORT" --nodiscover --miner.gaslimit "$GAS_LIMIT" "${pool[@]}" "${CITYNODE_EXTRA[@]}" \
		>>"$dir/node.log" 2>&1 &
	NODE_PID=$!
}

# sample_footprint PID DATADIR FILE: every BENCH_SAMPLE seconds until PID exits,
# the seconds since the start, the node's RSS and its data dir's allocated size
# (MiB), one line each, into FILE: the curve that shows whether memory and disk
# plateau.
sample_footprint() {
	local pid=$1 data=$2 out=$3 t0=$SECONDS rss disk
	echo "seconds rss_mib datadir_mib" >"$out"
	while rss=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null) && [[ -n $rss ]]; do
		disk=$(du -s --block-size=1M "$data" 2>/dev/null | cut -f1)
		echo "$((SECONDS - t0)) $rss ${disk:-0}" >>"$out"
		sleep "$BENCH_SAMPLE"
	done
}

# summarize_footprint NAME FILE: the curve's first, peak and last samples.
summarize_footprint() {
	awk -v name="$1" 'NR == 2 {f = $2; fd = $3} NR > 1 {if ($2 > m) m = $2; l = $2; ld = $3; t = $1}
		END {printf "%s: RSS %d MiB at start, %d peak, %d at %d s; data dir %d -> %d MiB (samples in %s)\n", name, f, m, l, t, fd, ld, FILENAME}' "$2"
}

# record_disk NAME ROUND DATADIR: the stopped node's data dir, bytes written and
# bytes allocated (pebble preallocates its write-ahead logs), into the log and
# the results' "datadir".
record_disk() {
	local written allocated
	written=$(du -sb "$3" | cut -f1)
	allocated=$(du -s --block-size=1 "$3" | cut -f1)
	log "$1: data dir $((written / 1048576)) MiB written, $((allocated / 1048576)) MiB allocated"
	DISK+="${DISK:+, }\"$1 r$2\": {\"written\": $written, \"allocated\": $allocated}"
}

# head_now: the node's head block number (empty while it does not answer).
head_now() {
	"$BIN/citybench" wait --rpc "http://127.0.0.1:$HTTP_PORT" --block 0 --timeout 2s 2>&1 | grep -o 'head=[0-9]*' | cut -d= -f2 || true
}

# load_with_kills NAME DIR: the crash benchmark's load. citybench --resend runs in
# the background; once it sends, the node is killed with SIGKILL every
# BENCH_KILL_EVERY blocks, BENCH_KILLS times, and started again on the same data dir
# and ports. citybench's exit status is returned (3: acknowledged transactions lost).
load_with_kills() {
	local name=$1 dir=$2 bench head before after t0 up k rc=0
	"$BIN/citybench" transfers --rpc "http://127.0.0.1:$HTTP_PORT" --label "$name" --resend --stall 180s \
		"${LOAD_ARGS[@]}" --report "$dir/report.json" >"$dir/report.txt" 2>"$dir/citybench.log" &
	bench=$!
	for _ in $(seq 1 600); do
		grep -q 'Prepared transactions' "$dir/citybench.log" && break
		kill -0 "$bench" 2>/dev/null || break
		sleep 0.1
	done
	for k in $(seq 1 "$BENCH_KILLS"); do
		head=$(head_now)
		"$BIN/citybench" --verbosity 2 wait --rpc "http://127.0.0.1:$HTTP_PORT" --block "$((${head:-0} + BENCH_KILL_EVERY))" --timeout 120s ||
			log "$name: the head did not advance $BENCH_KILL_EVERY blocks in 120 s before kill $k"
		if ! kill -0 "$bench" 2>/dev/null; then
			log "$name: the load ended before kill $k (send more: BENCH_TXS)"
			break
		fi
		before=$(head_now)
		kill -KILL "$NODE_PID" 2>/dev/null || true
		wait "$NODE_PID" 2>/dev/null || true
		echo "=== $(date +%T) killed with SIGKILL (kill $k), restarting ===" >>"$dir/node.log"
		t0=$(date +%s.%N)
		"launch_$name" "$dir"
		"$BIN/citybench" --verbosity 2 wait --rpc "http://127.0.0.1:$HTTP_PORT" --block 1 --timeout 120s ||
			log "$name: not answering 120 s after restart $k (see $dir/node.log)"
		after=$(head_now)
		up=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
		log "$name: kill $k of $BENCH_KILLS (SIGKILL) at head ${before:-?}; answering again after ${up} s at head ${after:-?}"
		echo "$k ${before:-} ${after:-} $up" >>"$dir/kills.tsv"
	done
	# The deepest rewind: sealed blocks the node no longer had after a restart.
	[[ -s $dir/kills.tsv ]] && awk -v name="$name" '$2 != "" && $3 != "" { d = $2 - $3; if (d > m) m = d; if ($4 > u) u = $4 }
		END { printf "%s: deepest rewind after a kill %d blocks, slowest restart %.1f s (kills in %s)\n", name, m, u, FILENAME }' "$dir/kills.tsv" >&2
	wait "$bench" || rc=$?
	cat "$dir/report.txt"
	return "$rc"
}

# run_node NAME ROUND: one node's benchmark; leaves $RUN/rROUND/NAME/report.json.
run_node() {
	local name=$1 dir=$RUN/r$2/$1
	mkdir -p "$dir"
	HTTP_PORT=$(free_port)
	P2P_PORT=$(free_port)
	AUTH_PORT=$(free_port)
	"start_$name" "$dir"
	log "$name started (pid $NODE_PID, http 127.0.0.1:$HTTP_PORT, log $dir/node.log)"
	if [[ $BENCH_KILLS -eq 0 ]]; then
		sample_footprint "$NODE_PID" "$dir/data" "$dir/footprint.tsv" &
		SAMPLER_PID=$!
	fi
	if ! "$BIN/citybench" --verbosity 2 wait --rpc "http://127.0.0.1:$HTTP_PORT" --block 1 --timeout 90s; then
		tail -n 30 "$dir/node.log" >&2 || true
		die "$name did not start sealing"
	fi
	local rc=0 load
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	log "$name: load average before the run: $load (other work on the machine skews the figures)"
	LOADAVG+="${LOADAVG:+, }\"$name r$2\": \"$load\""
	if [[ $BENCH_KILLS -gt 0 ]]; then
		load_with_kills "$name" "$dir" || rc=$?
	else
		"$BIN/citybench" transfers --rpc "http://127.0.0.1:$HTTP_PORT" --pid "$NODE_PID" --label "$name" \
			"${LOAD_ARGS[@]}" --report "$dir/report.json" | tee "$dir/report.txt" || rc=$?
	fi
	stop_node
	if [[ -n $SAMPLER_PID ]]; then
		wait "$SAMPLER_PID" 2>/dev/null || true
		SAMPLER_PID=""
		log "$(summarize_footprint "$name" "$dir/footprint.tsv")"
	fi
	record_disk "$name" "$2" "$dir/data"
	if [[ $rc -ne 0 ]]; then
		log "$name: citybench exited with status $rc (3: transactions accepted but never mined)"
		FAILED+=("$name (round $2)")
	fi
	[[ -s $dir/report.json ]] || die "$name: no report written"
}

# The load's flags, the same for every node and mode.
LOAD_ARGS=(--accounts "$BENCH_ACCOUNTS" --seed "$SEED" --txs "$BENCH_TXS" --batch "$BENCH_BATCH"
	--workers "$BENCH_WORKERS" --timeout "$BENCH_TIMEOUT" "${LOAD_EXTRA[@]}")

NODES=()
for n in $BENCH_NODES; do
	case $n in
	geth) NODES+=(geth) ;;
	citynode)
		if [[ -x $BIN/citynode ]]; then
			NODES+=(citynode)
		else
			log "SKIPPING citynode: $BIN/citynode is not built (run make build)"
		fi
		;;
	*) die "unknown node $n in BENCH_NODES: want geth and/or citynode" ;;
	esac
done
[[ ${#NODES[@]} -gt 0 ]] || die "no node to benchmark"
build_tools

# One genesis for every node.
"$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format key >"$RUN/signer.key"
SIGNER=$("$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format address)
echo bench >"$RUN/password"
"$BIN/citybench" genesis --accounts "$BENCH_ACCOUNTS" --seed "$SEED" --signer-key "$RUN/signer.key" \
	--period "$PERIOD" --gaslimit "$GAS_LIMIT" --chainid "$CHAIN_ID" --out "$RUN/genesis.json"

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
log "workload: $BENCH_TXS transfers from $BENCH_ACCOUNTS accounts, batches of $BENCH_BATCH, $BENCH_WORKERS workers; nodes: ${NODES[*]}; rounds: $BENCH_ROUNDS"
FAILED=()
LOADAVG=""
DISK=""
for r in $(seq 1 "$BENCH_ROUNDS"); do
	for n in "${NODES[@]}"; do
		run_node "$n" "$r"
	done
done

# Results: every report, and the comparison when both nodes ran.
PAIRS=()
for r in $(seq 1 "$BENCH_ROUNDS"); do
	if [[ -s $RUN/r$r/geth/report.json && -s $RUN/r$r/citynode/report.json ]]; then
		PAIRS+=("$RUN/r$r/geth/report.json" "$RUN/r$r/citynode/report.json")
	fi
done
{
	printf '{\n"timestamp": "%s",\n"cores": %s,\n"txs": %s,\n"accounts": %s,\n"batch": %s,\n"workers": %s,\n"rounds": %s,\n' \
		"$STAMP" "$(nproc)" "$BENCH_TXS" "$BENCH_ACCOUNTS" "$BENCH_BATCH" "$BENCH_WORKERS" "$BENCH_ROUNDS"
	printf '"pool_flags": "%s",\n"geth_extra_flags": "%s",\n"citynode_extra_flags": "%s",\n' \
		"${POOL_FLAGS[*]}" "${BENCH_GETH_FLAGS:-}" "${BENCH_CITYNODE_FLAGS:-}"
	printf '"loadavg_before": {%s},\n"datadir": {%s},\n"reports": {\n' "$LOADAVG" "$DISK"
	sep=""
	for n in "${NODES[@]}"; do
		printf '%s"%s": [\n' "$sep" "$n"
		rsep=""
		for r in $(seq 1 "$BENCH_ROUNDS"); do
			printf '%s' "$rsep"
			cat "$RUN/r$r/$n/report.json"
			rsep=","
		done
		printf ']\n'
		sep=","
	done
	printf '},\n"comparison": '
	if [[ ${#PAIRS[@]} -gt 0 ]]; then
		echo
		"$BIN/citybench" compare --out "$RUN/comparison.json" "${PAIRS[@]}" >"$RUN/comparison.txt"
		cat "$RUN/comparison.json"
	else
		echo null
	fi
	echo '}'
} >"$RESULTS"

if [[ -s $RUN/comparison.txt ]]; then
	echo
	echo "side by side, $BENCH_TXS transfers from $BENCH_ACCOUNTS accounts on $(nproc) cores:"
	cat "$RUN/comparison.txt"
	echo
fi
log "data dirs after the runs (bytes written, allocated): ${DISK}"
log "results: $RESULTS (logs and reports: $RUN)"
if [[ ${#FAILED[@]} -gt 0 ]]; then
	die "lost or unmined transactions: ${FAILED[*]}"
fi
