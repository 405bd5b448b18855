#!/usr/bin/env bash
# bench-registry.sh: the registry benchmarks W2 (document issuance) and W4 (verify
# over eth_call), geth 1.13.15 and citynode side by side.
#
# Both nodes are started side by side, each on a fresh datadir with the same genesis
# (citybench genesis --registry: one signer, period 1, gas limit 600M, BENCH_ACCOUNTS
# funded test accounts that are all issuers of department BENCH, the registry
# pre-deployed at its fixed addresses, so geth 1.13.15 runs the same contracts), free
# ports on 127.0.0.1; W2 runs on each node in turn, then W4 alternates between them:
#   W2  citybench docs        BENCH_DOCS single Documents.issue transactions
#       citybench docs-batch  BENCH_BATCHES Documents.issueBatch transactions, each the
#                             Merkle root of 1,000 documents
#   W4  citybench verify      BENCH_VERIFY_WORKERS clients, one eth_call of
#                             Documents.verify in flight each, for BENCH_VERIFY_DURATION,
#                             over the documents W2 issued; then the same with
#                             Directory.owner() (--plain), the plain eth_call baseline
# and a summary with documents/s, gas per action, calls/s and the citynode/geth ratio.
# Results in .bench/registry-<timestamp>.json.
#
# Environment:
#   BENCH_DOCS             single issuances per node (default 20000)
#   BENCH_BATCHES          batch issuances per node (default 600)
#   BENCH_ACCOUNTS         sending accounts (default 300)
#   BENCH_VERIFY_WORKERS   concurrent eth_call clients (default 32)
#   BENCH_VERIFY_DURATION  measured window of W4 (default 10s)
#   BENCH_W4_ROUNDS        W4 rounds (default 3), alternating the nodes' order; the
#                          comparison is the median of the per-round ratios
#   BENCH_NODES            nodes to run, in order (default "geth citynode")
#   BENCH_PPROF            set to 1 to start citynode with --pprof and save a 10 s CPU
#                          profile taken during W4's first round (.bench/registry-run-*/citynode/verify.pprof)
#   BENCH_KEEP             set to 1 to keep the datadirs
#
# Called by `make bench` after scripts/bench.sh; builds geth 1.13.15 into .bench/bin once
# (scripts/build-geth113.sh), only when BENCH_NODES has geth.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
BENCH=$ROOT/.bench
GETH_VERSION=v1.13.15
GETH=$BENCH/bin/geth

BENCH_DOCS=${BENCH_DOCS:-20000}
BENCH_BATCHES=${BENCH_BATCHES:-600}
BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-300}
BENCH_VERIFY_WORKERS=${BENCH_VERIFY_WORKERS:-32}
BENCH_VERIFY_DURATION=${BENCH_VERIFY_DURATION:-10s}
BENCH_W4_ROUNDS=${BENCH_W4_ROUNDS:-3}
BENCH_NODES=${BENCH_NODES:-geth citynode}
BENCH_PPROF=${BENCH_PPROF:-0}
BENCH_KEEP=${BENCH_KEEP:-0}

SEED=citybench
SIGNER_SEED=bench-signer
CHAIN_ID=4242
PERIOD=1
GAS_LIMIT=600000000
POOL_FLAGS=(--txpool.globalslots 200000 --txpool.globalqueue 50000 --txpool.accountslots 2000 --txpool.accountqueue 2000)
# geth 1.13.15's target for W4: 1.5x the 10,437 plain eth_call/s it served here with 32 workers.
W4_TARGET=15656

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH/registry-run-$STAMP
RESULTS=$BENCH/registry-$STAMP.json
mkdir -p "$RUN" "$BENCH/bin"

LOG_NAME=bench-registry
. "$ROOT/scripts/lib.sh"

declare -A PIDS URLS PPROF
cleanup() {
	local rc=$? pid
	for pid in "${PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	[[ $BENCH_KEEP == 1 ]] || rm -rf "$RUN"/*/data
	exit "$rc"
}
on_exit cleanup

# stop_node NAME: interrupt the node and wait up to 60 s before killing it.
stop_node() {
	stop_pid "${PIDS[$1]:-}" 60
	unset "PIDS[$1]"
}

start_geth() {
	local dir=$1
	init_datadir "$GETH" "$dir" "$RUN/genesis.json" "$RUN/signer.key" "$RUN/password"
	"$GETH" --datadir "$dir/data" --networkid "$CHAIN_ID" \
		--port "$P2P_PORT" --nodiscover --maxpeers 0 --nat none --ipcdisable \
		--authrpc.port "$AUTH_PORT" \
		--http --http.addr 127.0.0.1 --http.port "$HTTP_PORT" --http.api eth,net,web3,txpool,clique \
		--mine --miner.etherbase "$SIGNER" --unlock "$SIGNER" --password "$RUN/password" \
		--allow-insecure-unlock --miner.gaslimit "$GAS_LIMIT" \
		"${POOL_FLAGS[@]}" --syncmode full >"$dir/node.log" 2>&1 &
	PIDS[geth]=$!
}

start_citynode() {
	local dir=$1 node=$BIN/citynode extra=()
	init_datadir "$node" "$dir" "$RUN/genesis.json" "$RUN/signer.key" "$RUN/password"
	if [[ $BENCH_PPROF == 1 ]]; then
		PPROF[citynode]=$(free_port)
		extra=(--pprof --pprof.addr "127.0.0.1:${PPROF[citynode]}")
	fi
	"$node" --datadir "$dir/data" --signer "$SIGNER" --password "$RUN/password" \
		--http --http.addr 127.0.0.1 --http.port "$HTTP_PORT" \
		--port "$P2P_PORT" --authrpc.port "$AUTH_PORT" --nodiscover --miner.gaslimit "$GAS_LIMIT" \
		"${POOL_FLAGS[@]}" "${extra[@]}" >"$dir/node.log" 2>&1 &
	PIDS[citynode]=$!
}

# start_node NAME: a fresh data dir and free ports; waits for block 1.
start_node() {
	local name=$1 dir=$RUN/$1
	mkdir -p "$dir"
	HTTP_PORT=$(free_port)
	P2P_PORT=$(free_port)
	AUTH_PORT=$(free_port)
	URLS[$name]=http://127.0.0.1:$HTTP_PORT
	"start_$name" "$dir"
	log "$name started (pid ${PIDS[$name]}, http ${URLS[$name]}, log $dir/node.log)"
	if ! "$BIN/citybench" --verbosity 2 wait --rpc "${URLS[$name]}" --block 1 --timeout 90s; then
		tail -n 30 "$dir/node.log" >&2 || true
		die "$name did not start sealing"
	fi
}

# run_w2 NAME: the issuance workloads against one node.
run_w2() {
	local name=$1 dir=$RUN/$1
	log "$name: W2; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	"$BIN/citybench" --verbosity 2 docs --rpc "${URLS[$name]}" --pid "${PIDS[$name]}" --label "$name" \
		--accounts "$BENCH_ACCOUNTS" --seed "$SEED" --txs "$BENCH_DOCS" --batch 500 --workers 4 \
		--report "$dir/docs.json" | tee "$dir/docs.txt"
	"$BIN/citybench" --verbosity 2 docs-batch --rpc "${URLS[$name]}" --pid "${PIDS[$name]}" --label "$name" \
		--accounts "$BENCH_ACCOUNTS" --seed "$SEED" --txs "$BENCH_BATCHES" --batch 100 --workers 2 \
		--report "$dir/docs-batch.json" | tee "$dir/docs-batch.txt"
}

# run_w4 NAME ROUND: verify, then the plain baseline, against one node.
run_w4() {
	local name=$1 r=$2 dir=$RUN/$1 prof=""
	log "$name: W4 round $r; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	if [[ $r == 1 && -n ${PPROF[$name]:-} ]]; then
		(sleep 3 && curl -s -o "$dir/verify.pprof" "http://127.0.0.1:${PPROF[$name]}/debug/pprof/profile?seconds=10") &
		prof=$!
	fi
	"$BIN/citybench" --verbosity 2 verify --rpc "${URLS[$name]}" --pid "${PIDS[$name]}" --label "$name" \
		--accounts "$BENCH_ACCOUNTS" --seed "$SEED" --docs "$BENCH_DOCS" \
		--workers "$BENCH_VERIFY_WORKERS" --duration "$BENCH_VERIFY_DURATION" \
		--report "$dir/verify-r$r.json" | tee "$dir/verify-r$r.txt"
	[[ -z $prof ]] || wait "$prof"
	"$BIN/citybench" --verbosity 2 verify --plain --rpc "${URLS[$name]}" --pid "${PIDS[$name]}" --label "$name" \
		--accounts "$BENCH_ACCOUNTS" --seed "$SEED" \
		--workers "$BENCH_VERIFY_WORKERS" --duration "$BENCH_VERIFY_DURATION" \
		--report "$dir/plain-r$r.json" | tee "$dir/plain-r$r.txt"
}

[[ -x $BIN/citybench && -x $BIN/citynode ]] || die "build first: make build"
if [[ " $BENCH_NODES " == *" geth "* ]]; then
	GETH=$("$ROOT/scripts/build-geth113.sh") || die "could not build geth $GETH_VERSION (scripts/build-geth113.sh)"
fi

"$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format key >"$RUN/signer.key"
SIGNER=$("$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format address)
echo bench >"$RUN/password"
"$BIN/citybench" genesis --registry --accounts "$BENCH_ACCOUNTS" --seed "$SEED" --signer-key "$RUN/signer.key" \
	--period "$PERIOD" --gaslimit "$GAS_LIMIT" --chainid "$CHAIN_ID" --out "$RUN/genesis.json"

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
# Both nodes run side by side from here on (idle ones seal empty blocks), so the
# neighbours' load on a shared machine falls on both alike.
for n in $BENCH_NODES; do
	start_node "$n"
done
for n in $BENCH_NODES; do
	run_w2 "$n"
done
# W4 alternates between the nodes, in a different order each round.
ORDER=($BENCH_NODES)
for r in $(seq 1 "$BENCH_W4_ROUNDS"); do
	for n in "${ORDER[@]}"; do
		run_w4 "$n" "$r"
	done
	ORDER=($(printf '%s\n' "${ORDER[@]}" | tac))
done
for n in $BENCH_NODES; do
	stop_node "$n"
done

# Summary: one line per node and figure, from the JSON reports; W4 as the median over rounds.
field() { grep -m1 "\"$2\"" "$1" | sed 's/.*: *//; s/,$//'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
{
	echo "{\"timestamp\": \"$STAMP\", \"cores\": $(nproc), \"docs\": $BENCH_DOCS, \"batches\": $BENCH_BATCHES, \"accounts\": $BENCH_ACCOUNTS,"
	echo "\"verify_workers\": $BENCH_VERIFY_WORKERS, \"w4_rounds\": $BENCH_W4_ROUNDS, \"reports\": {"
	sep=""
	for n in $BENCH_NODES; do
		printf '%s"%s": {"docs": ' "$sep" "$n"; cat "$RUN/$n/docs.json"
		printf ', "docs-batch": '; cat "$RUN/$n/docs-batch.json"
		for r in $(seq 1 "$BENCH_W4_ROUNDS"); do
			printf ', "verify-r%s": ' "$r"; cat "$RUN/$n/verify-r$r.json"
			printf ', "plain-r%s": ' "$r"; cat "$RUN/$n/plain-r$r.json"
		done
		printf '}\n'
		sep=","
	done
	echo "}}"
} >"$RESULTS"

echo
printf '%-10s %14s %12s %18s %12s %18s %18s\n' node "issue docs/s" "issue gas" "batch docs/s" "batch gas" "verify calls/s" "plain calls/s"
for n in $BENCH_NODES; do
	d=$(field "$RUN/$n/docs.json" sustained_tps)
	dg=$(field "$RUN/$n/docs.json" gas_per_tx)
	b=$(field "$RUN/$n/docs-batch.json" end_to_end_tps)
	bg=$(field "$RUN/$n/docs-batch.json" gas_per_tx)
	v="" p=""
	for r in $(seq 1 "$BENCH_W4_ROUNDS"); do
		v+="$(printf '%.0f' "$(field "$RUN/$n/verify-r$r.json" calls_per_s)") "
		p+="$(printf '%.0f' "$(field "$RUN/$n/plain-r$r.json" calls_per_s)") "
	done
	printf '%-10s %14.0f %12.0f %18.0f %12.0f %18s %18s\n' "$n" "$d" "$dg" "$(awk "BEGIN{print $b*1000}")" "$bg" "$v" "$p"
done
echo "(batch docs/s end to end: first send to the last block seen; verify and plain: calls/s per round)"
# CPU per call: the node's CPU time over the calls it answered in the window, median over
# rounds. Less sensitive than calls/s to what else runs on the machine.
cpu_per_call() { awk -v c="$(field "$1" cpu_s)" -v n="$(field "$1" calls)" 'BEGIN { printf "%.0f\n", c * 1e6 / n }'; }
printf '%-10s %22s %22s\n' node "verify us CPU/call" "plain us CPU/call"
for n in $BENCH_NODES; do
	v=$(for r in $(seq 1 "$BENCH_W4_ROUNDS"); do cpu_per_call "$RUN/$n/verify-r$r.json"; done | median)
	p=$(for r in $(seq 1 "$BENCH_W4_ROUNDS"); do cpu_per_call "$RUN/$n/plain-r$r.json"; done | median)
	printf '%-10s %22s %22s\n' "$n" "$v" "$p"
done
if [[ " $BENCH_NODES " == *" geth "* && " $BENCH_NODES " == *" citynode "* ]]; then
	ratio=$(for r in $(seq 1 "$BENCH_W4_ROUNDS"); do
		awk -v c="$(field "$RUN/citynode/verify-r$r.json" calls_per_s)" -v g="$(field "$RUN/geth/verify-r$r.json" calls_per_s)" 'BEGIN { print c / g }'
	done | median)
	vsplain=$(for r in $(seq 1 "$BENCH_W4_ROUNDS"); do
		awk -v c="$(field "$RUN/citynode/verify-r$r.json" calls_per_s)" -v g="$(field "$RUN/geth/plain-r$r.json" calls_per_s)" 'BEGIN { print c / g }'
	done | median)
	cv=$(for r in $(seq 1 "$BENCH_W4_ROUNDS"); do field "$RUN/citynode/verify-r$r.json" calls_per_s; done | median)
	awk -v r="$ratio" -v p="$vsplain" -v c="$cv" -v t="$W4_TARGET" 'BEGIN {
		printf "W4, medians over rounds: citynode verify / geth verify %.2fx; citynode verify / geth plain eth_call %.2fx (target 1.5x: %s)\n", r, p, (p >= 1.5 ? "met" : "MISSED")
		printf "W4 absolute: citynode verify %.0f calls/s against 1.5 x 10,437 = %d: %s\n", c, t, (c >= t ? "met" : "MISSED")
	}'
fi
log "results: $RESULTS (logs and reports: $RUN)"
