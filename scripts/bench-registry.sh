#!/usr/bin/env bash
# bench-registry.sh: the registry benchmarks W2 (document issuance) and W4 (verify
# over eth_call), geth 1.13.15 and citynode side by side.
#
# For each node in turn (geth first, then citynode): a fresh datadir, the same genesis
# (citybench genesis --registry: one signer, period 1, gas limit 600M, BENCH_ACCOUNTS
# funded test accounts that are all issuers of department BENCH, the registry
# pre-deployed at its fixed addresses, so geth 1.13.15 runs the same contracts), free
# ports on 127.0.0.1, then:
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
#   BENCH_NODES            nodes to run, in order (default "geth citynode")
#   BENCH_PPROF            set to 1 to start citynode with --pprof and save a 10 s CPU
#                          profile taken during W4 (.bench/registry-run-*/citynode/verify.pprof)
#   BENCH_KEEP             set to 1 to keep the datadirs
#
# Called by `make bench` after scripts/bench.sh (which builds geth 1.13.15 into .bench/bin).
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

log() { printf '%s bench-registry: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }

NODE_PID=""
cleanup() {
	local rc=$?
	if [[ -n $NODE_PID ]] && kill -0 "$NODE_PID" 2>/dev/null; then
		kill -KILL "$NODE_PID" 2>/dev/null || true
		wait "$NODE_PID" 2>/dev/null || true
	fi
	[[ $BENCH_KEEP == 1 ]] || rm -rf "$RUN"/*/data
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

stop_node() {
	[[ -n $NODE_PID ]] || return 0
	kill -INT "$NODE_PID" 2>/dev/null || true
	for _ in $(seq 1 600); do
		kill -0 "$NODE_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$NODE_PID" 2>/dev/null; then
		log "node $NODE_PID did not stop in 60 s, killing it"
		kill -KILL "$NODE_PID" 2>/dev/null || true
	fi
	wait "$NODE_PID" 2>/dev/null || true
	NODE_PID=""
}

start_geth() {
	local dir=$1
	"$GETH" init --datadir "$dir/data" "$RUN/genesis.json" >"$dir/init.log" 2>&1 ||
		die "geth init failed: see $dir/init.log"
	"$GETH" account import --datadir "$dir/data" --password "$RUN/password" "$RUN/signer.key" \
		>>"$dir/init.log" 2>&1 || die "geth account import failed: see $dir/init.log"
	"$GETH" --datadir "$dir/data" --networkid "$CHAIN_ID" \
		--port "$P2P_PORT" --nodiscover --maxpeers 0 --nat none --ipcdisable \
		--authrpc.port "$AUTH_PORT" \
		--http --http.addr 127.0.0.1 --http.port "$HTTP_PORT" --http.api eth,net,web3,txpool,clique \
		--mine --miner.etherbase "$SIGNER" --unlock "$SIGNER" --password "$RUN/password" \
		--allow-insecure-unlock --miner.gaslimit "$GAS_LIMIT" \
		"${POOL_FLAGS[@]}" --syncmode full >"$dir/node.log" 2>&1 &
	NODE_PID=$!
}

start_citynode() {
	local dir=$1 node=$BIN/citynode extra=()
	"$node" init --datadir "$dir/data" "$RUN/genesis.json" >"$dir/init.log" 2>&1 ||
		die "citynode init failed: see $dir/init.log"
	"$node" account import --datadir "$dir/data" --password "$RUN/password" "$RUN/signer.key" \
		>>"$dir/init.log" 2>&1 || die "citynode account import failed: see $dir/init.log"
	if [[ $BENCH_PPROF == 1 ]]; then
		PPROF_PORT=$(free_port)
		extra=(--pprof --pprof.addr "127.0.0.1:$PPROF_PORT")
	fi
	"$node" --datadir "$dir/data" --signer "$SIGNER" --password "$RUN/password" \
		--http --http.addr 127.0.0.1 --http.port "$HTTP_PORT" \
		--port "$P2P_PORT" --nodiscover --miner.gaslimit "$GAS_LIMIT" "${POOL_FLAGS[@]}" "${extra[@]}" \
		>"$dir/node.log" 2>&1 &
	NODE_PID=$!
}

run_node() {
	local name=$1 dir=$RUN/$1 url
	mkdir -p "$dir"
	HTTP_PORT=$(free_port)
	P2P_PORT=$(free_port)
	AUTH_PORT=$(free_port)
	url=http://127.0.0.1:$HTTP_PORT
	"start_$name" "$dir"
	log "$name started (pid $NODE_PID, http $url, log $dir/node.log)"
	if ! "$BIN/citybench" --verbosity 2 wait --rpc "$url" --block 1 --timeout 90s; then
		tail -n 30 "$dir/node.log" >&2 || true
		die "$name did not start sealing"
	fi
	log "$name: load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
	"$BIN/citybench" --verbosity 2 docs --rpc "$url" --pid "$NODE_PID" --label "$name" \
		--accounts "$BENCH_ACCOUNTS" --seed "$SEED" --txs "$BENCH_DOCS" --batch 500 --workers 4 \
		--report "$dir/docs.json" | tee "$dir/docs.txt"
	"$BIN/citybench" --verbosity 2 docs-batch --rpc "$url" --pid "$NODE_PID" --label "$name" \
		--accounts "$BENCH_ACCOUNTS" --seed "$SEED" --txs "$BENCH_BATCHES" --batch 100 --workers 2 \
		--report "$dir/docs-batch.json" | tee "$dir/docs-batch.txt"
	local prof=""
	if [[ $name == citynode && $BENCH_PPROF == 1 ]]; then
		(sleep 3 && curl -s -o "$dir/verify.pprof" "http://127.0.0.1:$PPROF_PORT/debug/pprof/profile?seconds=10") &
		prof=$!
	fi
	"$BIN/citybench" --verbosity 2 verify --rpc "$url" --pid "$NODE_PID" --label "$name" \
		--accounts "$BENCH_ACCOUNTS" --seed "$SEED" --docs "$BENCH_DOCS" \
		--workers "$BENCH_VERIFY_WORKERS" --duration "$BENCH_VERIFY_DURATION" \
		--report "$dir/verify.json" | tee "$dir/verify.txt"
	[[ -z $prof ]] || wait "$prof"
	"$BIN/citybench" --verbosity 2 verify --plain --rpc "$url" --pid "$NODE_PID" --label "$name" \
		--accounts "$BENCH_ACCOUNTS" --seed "$SEED" \
		--workers "$BENCH_VERIFY_WORKERS" --duration "$BENCH_VERIFY_DURATION" \
		--report "$dir/plain.json" | tee "$dir/plain.txt"
	stop_node
}

[[ -x $BIN/citybench && -x $BIN/citynode ]] || die "build first: make build"
[[ -x $GETH ]] || die "geth $GETH_VERSION not built: scripts/bench.sh builds it into $GETH"

"$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format key >"$RUN/signer.key"
SIGNER=$("$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format address)
echo bench >"$RUN/password"
"$BIN/citybench" genesis --registry --accounts "$BENCH_ACCOUNTS" --seed "$SEED" --signer-key "$RUN/signer.key" \
	--period "$PERIOD" --gaslimit "$GAS_LIMIT" --chainid "$CHAIN_ID" --out "$RUN/genesis.json"

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
for n in $BENCH_NODES; do
	run_node "$n"
done

# Summary: one line per node and figure, from the JSON reports.
field() { grep -m1 "\"$2\"" "$1" | sed 's/.*: *//; s/,$//'; }
{
	echo "{\"timestamp\": \"$STAMP\", \"cores\": $(nproc), \"docs\": $BENCH_DOCS, \"batches\": $BENCH_BATCHES, \"accounts\": $BENCH_ACCOUNTS,"
	echo "\"verify_workers\": $BENCH_VERIFY_WORKERS, \"reports\": {"
	sep=""
	for n in $BENCH_NODES; do
		printf '%s"%s": {"docs": ' "$sep" "$n"; cat "$RUN/$n/docs.json"
		printf ', "docs-batch": '; cat "$RUN/$n/docs-batch.json"
		printf ', "verify": '; cat "$RUN/$n/verify.json"
		printf ', "plain": '; cat "$RUN/$n/plain.json"
		printf '}\n'
		sep=","
	done
	echo "}}"
} >"$RESULTS"

echo
printf '%-10s %14s %12s %18s %12s %14s %14s\n' node "issue docs/s" "issue gas" "batch docs/s" "batch gas" "verify calls/s" "plain calls/s"
declare -A CALLS PLAIN
for n in $BENCH_NODES; do
	d=$(field "$RUN/$n/docs.json" sustained_tps)
	dg=$(field "$RUN/$n/docs.json" gas_per_tx)
	b=$(field "$RUN/$n/docs-batch.json" sustained_tps)
	bg=$(field "$RUN/$n/docs-batch.json" gas_per_tx)
	v=$(field "$RUN/$n/verify.json" calls_per_s)
	p=$(field "$RUN/$n/plain.json" calls_per_s)
	CALLS[$n]=$v
	PLAIN[$n]=$p
	printf '%-10s %14.0f %12.0f %18.0f %12.0f %14.0f %14.0f\n' "$n" "$d" "$dg" "$(awk "BEGIN{print $b*1000}")" "$bg" "$v" "$p"
done
if [[ -n ${CALLS[geth]:-} && -n ${CALLS[citynode]:-} ]]; then
	awk -v c="${CALLS[citynode]}" -v g="${CALLS[geth]}" -v t="$W4_TARGET" \
		'BEGIN { printf "W4 verify: citynode/geth %.2fx; citynode/10,437 (geth plain eth_call) %.2fx, target 1.5x (%d calls/s): %s\n", c/g, c/10437, t, (c >= t ? "met" : "MISSED") }'
	awk -v c="${CALLS[citynode]}" -v gp="${PLAIN[geth]}" \
		'BEGIN { printf "W4 verify on citynode / plain eth_call on geth in this run: %.2fx (target 1.5x)\n", c/gp }'
fi
log "results: $RESULTS (logs and reports: $RUN)"
