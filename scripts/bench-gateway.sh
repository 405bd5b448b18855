#!/usr/bin/env bash
# bench-gateway.sh: workloads W5 and W6 of the benchmark, through citygate.
#
# W5, public reads: a fresh single-signer chain (citybench genesis --registry: period 1, gas
# limit 600M, GATE_ACCOUNTS issuers of department BENCH), GATE_DOCS documents issued with
# citybench docs, citygate in front of the node (no rate limit: the load comes from one
# address). Side by side in one run, each for GATE_DURATION:
#   direct   citybench verify: GATE_DIRECT_WORKERS clients, one eth_call of Documents.verify
#            in flight each, straight to the node (the W4 driver)
#   cached   citybench gateway-reads: GATE_MAX_CONNECTIONS connections, each sending its
#            next GET /api/v1/documents/{hash} as soon as the last is answered, at the
#            finalized block (cached per block hash), over GATE_HOT_DOCS of the documents: the
#            most the gateway answers from its cache
#   10k      the same from GATE_CONNECTIONS connections offering GATE_RATE requests/s in all
#            (default: the direct rate measured just before): latency with 10,000 residents
#            connected at once (each read timed from when it was due, not from its send)
#   latest   closed loop at ?at=latest from GATE_MAX_CONNECTIONS connections over the
#            GATE_DOCS documents (most reads reach the node: the cache's cold path)
# Target: cached >= 3x direct reads/s; p99 < 100 ms with 10,000 connections.
#
# W6, ballot intake: a fresh chain (citybench genesis --relayers 1), citygate with the
# relayer's key and a ballot store, then citybench gateway-ballots: a poll of an electorate
# of GATE_ELECTORATE residents, GATE_BALLOTS ballots signed beforehand, posted by
# GATE_POSTERS clients; the gateway's queue is then waited for until empty. Target: >= 5,000
# ballots/s accepted durably, the queue drained within a minute of the load stopping.
# Results in .bench/gateway-<timestamp>.json.
#
# Environment:
#   GATE_DOCS                documents issued, read by the direct and the latest runs (default 2000)
#   GATE_HOT_DOCS            documents the cached runs read (default 100): the cache is per
#                            block hash, so each distinct document costs one read of the node per
#                            block; the cached runs read a popular set (their hit ratio is logged)
#   GATE_ACCOUNTS            issuing accounts (default 300)
#   GATE_CONNECTIONS         connections of the 10k run (default 10000; ulimit -n must allow them)
#   GATE_RATE                requests/s the 10k run offers (default: the direct rate)
#   GATE_MAX_CONNECTIONS     connections of the closed-loop runs (default 128)
#   GATE_DIRECT_WORKERS      eth_call clients of the direct reads (default 32, as W4)
#   GATE_DURATION            measured window of each read workload (default 15s)
#   GATE_BALLOTS             ballots posted (default 1500000: the city; a shorter run: 20000)
#   GATE_ELECTORATE          residents in the eligibility tree (default 1500000: proof depth 21)
#   GATE_POSTERS             clients posting ballots (default 256)
#   GATE_SKIP                "w5" or "w6" to run only the other one
#   GATE_W6_HALVES           set to 1 to measure W6's halves apart: the intake with the relayer held
#                            back (about one ballot a block), then citygate restarted with its relayer
#                            free and the queue's drain timed with no ballot arriving
#   GATE_KEEP                set to 1 to keep the data dirs
#   GATE_FLAGS               more citygate flags for W6 (after the script's own; in halves, for the drain's
#                            gateway too), e.g. "--relayer.inflight 256"
#
# Called by `make bench` after `make build`.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
BENCH=$ROOT/.bench
GATE_DOCS=${GATE_DOCS:-2000}
GATE_HOT_DOCS=${GATE_HOT_DOCS:-100}
GATE_ACCOUNTS=${GATE_ACCOUNTS:-300}
GATE_CONNECTIONS=${GATE_CONNECTIONS:-10000}
GATE_MAX_CONNECTIONS=${GATE_MAX_CONNECTIONS:-128}
GATE_RATE=${GATE_RATE:-}
GATE_DIRECT_WORKERS=${GATE_DIRECT_WORKERS:-32}
GATE_DURATION=${GATE_DURATION:-15s}
GATE_BALLOTS=${GATE_BALLOTS:-1500000}
GATE_ELECTORATE=${GATE_ELECTORATE:-1500000}
GATE_POSTERS=${GATE_POSTERS:-256}
GATE_SKIP=${GATE_SKIP:-}
GATE_W6_HALVES=${GATE_W6_HALVES:-0}
GATE_KEEP=${GATE_KEEP:-0}
read -r -a GATE_FLAGS <<<"${GATE_FLAGS:-}"
SIGNER_SEED=bench-signer
GAS_LIMIT=600000000
POOL_FLAGS=(--txpool.globalslots 200000 --txpool.globalqueue 50000 --txpool.accountslots 2000 --txpool.accountqueue 2000)

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH/gateway-run-$STAMP
RESULTS=$BENCH/gateway-$STAMP.json
mkdir -p "$RUN"

LOG_NAME=bench-gateway
. "$ROOT/scripts/lib.sh"

declare -A PIDS
cleanup() {
	local rc=$? pid
	for pid in "${PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -INT "$pid" 2>/dev/null || true
			for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -KILL "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	[[ $GATE_KEEP == 1 ]] || rm -rf "$RUN"/*/data "$RUN"/*/gate
	exit "$rc"
}
on_exit cleanup

# Ports are drawn from 10000..31999 (gate_port), below the ephemeral ports
# (32768 and up) that 10,000 connections take.
gate_port() { free_port 10000 22000; }
# stop NAME: interrupt a process and wait up to 30 s before killing it.
stop() {
	stop_pid "${PIDS[$1]:-}" 30
	unset "PIDS[$1]"
}

for b in citynode citygate citybench; do
	[[ -x $BIN/$b ]] || die "$BIN/$b missing: run make build"
done
"$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format key >"$RUN/signer.key"
SIGNER=$("$BIN/citybench" keys --count 1 --seed "$SIGNER_SEED" --format address)
echo bench >"$RUN/password"

# start_chain DIR GENESIS-FLAGS...: a fresh signer on its own genesis; sets NODE_URL.
start_chain() {
	local dir=$1
	shift
	mkdir -p "$dir"
	"$BIN/citybench" genesis "$@" --signer-key "$RUN/signer.key" --period 1 --gaslimit "$GAS_LIMIT" --out "$dir/genesis.json"
	init_datadir "$BIN/citynode" "$dir" "$dir/genesis.json" "$RUN/signer.key" "$RUN/password"
	local http p2p
	http=$(gate_port)
	p2p=$(gate_port)
	"$BIN/citynode" --datadir "$dir/data" --signer "$SIGNER" --password "$RUN/password" --http --http.addr 127.0.0.1 --http.port "$http" --authrpc.port "$(gate_port)" \
		--port "$p2p" --nodiscover --miner.gaslimit "$GAS_LIMIT" "${POOL_FLAGS[@]}" >"$dir/node.log" 2>&1 &
	PIDS[node]=$!
	NODE_URL=http://127.0.0.1:$http
	"$BIN/citybench" --verbosity 2 wait --rpc "$NODE_URL" --block 1 --timeout 90s || { tail -n 30 "$dir/node.log" >&2; die "citynode did not start sealing"; }
	log "citynode started (pid ${PIDS[node]}, $NODE_URL)"
}

# start_gate DIR FLAGS...: citygate in front of the node; sets GATE_URL and GATE_METRICS.
start_gate() {
	local dir=$1 port
	shift
	port=$(gate_port)
	GATE_METRICS=http://127.0.0.1:$(gate_port)
	"$BIN/citygate" --rpc "$NODE_URL" --http.port "$port" --api.ratelimit 0 --upstream.health minPeers=0 --upstream.probe 250ms \
		--metrics --metrics.port "${GATE_METRICS##*:}" --verbosity 2 "$@" >"$dir/gate.log" 2>&1 &
	PIDS[gate]=$!
	GATE_URL=http://127.0.0.1:$port
	for _ in $(seq 1 300); do
		curl -sf "$GATE_URL/health/ready" >/dev/null && break
		kill -0 "${PIDS[gate]}" 2>/dev/null || { cat "$dir/gate.log" >&2; die "citygate exited"; }
		sleep 0.1
	done
	log "citygate started (pid ${PIDS[gate]}, $GATE_URL)"
}

field() { grep -m1 "\"$2\"" "$1" | sed 's/.*: *//; s/,$//'; }
# cache_count RESULT: citygate_cache_requests_total{result=RESULT} now.
cache_count() { curl -s "$GATE_METRICS/metrics" | awk -v r="citygate_cache_requests_total{result=\"$1\"}" '$1 == r { print $2 }'; }

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), ulimit -n $(ulimit -n)"
W5_JSON=null
W6_JSON=null
if [[ $GATE_SKIP != w5 ]]; then
	dir=$RUN/w5
	start_chain "$dir" --registry --accounts "$GATE_ACCOUNTS" --seed citybench --chainid 4244
	"$BIN/citybench" --verbosity 2 docs --rpc "$NODE_URL" --accounts "$GATE_ACCOUNTS" --seed citybench --txs "$GATE_DOCS" \
		--batch 500 --workers 4 --report "$dir/docs.json" >"$dir/docs.txt"
	log "W5: $GATE_DOCS documents issued"
	start_gate "$dir"
	sleep 2 # the issued documents final
	"$BIN/citybench" --verbosity 2 verify --rpc "$NODE_URL" --pid "${PIDS[node]}" --label citynode --accounts "$GATE_ACCOUNTS" --seed citybench \
		--docs "$GATE_DOCS" --workers "$GATE_DIRECT_WORKERS" --duration "$GATE_DURATION" --report "$dir/direct.json" | tee "$dir/direct.txt"
	reads() { # NAME FLAGS...: one gateway-reads run, its cache hit ratio logged
		local name=$1 h0 s0 m0
		shift
		h0=$(cache_count hit)
		s0=$(cache_count stale)
		m0=$(cache_count miss)
		"$BIN/citybench" --verbosity 2 gateway-reads --url "$GATE_URL" --gateway-pid "${PIDS[gate]}" --accounts "$GATE_ACCOUNTS" --seed citybench \
			--duration "$GATE_DURATION" --report "$dir/$name.json" "$@" | tee "$dir/$name.txt"
		awk "BEGIN{h=$(cache_count hit)-$h0+$(cache_count stale)-$s0; m=$(cache_count miss)-$m0; print h/(h+m)}" >"$dir/$name.hits"
		log "W5 $name: cache hit ratio $(cat "$dir/$name.hits") (warm-up included)"
	}
	reads cached --docs "$GATE_HOT_DOCS" --connections "$GATE_MAX_CONNECTIONS"
	rate=${GATE_RATE:-$(printf '%.0f' "$(field "$dir/direct.json" calls_per_s)")}
	reads 10k --docs "$GATE_HOT_DOCS" --connections "$GATE_CONNECTIONS" --rate "$rate" --warmup 10s
	reads latest --docs "$GATE_DOCS" --connections "$GATE_MAX_CONNECTIONS" --at latest
	stop gate
	stop node
	W5_JSON="{\"direct\": $(cat "$dir/direct.json"), \"cached\": $(cat "$dir/cached.json"), \"cached_hit_ratio\": $(cat "$dir/cached.hits"),"
	W5_JSON+=" \"10k\": $(cat "$dir/10k.json"), \"10k_hit_ratio\": $(cat "$dir/10k.hits"), \"latest\": $(cat "$dir/latest.json")}"
fi
if [[ $GATE_SKIP != w6 ]]; then
	dir=$RUN/w6
	start_chain "$dir" --relayers 1 --accounts 2 --seed citybench-gateway --chainid 4245
	"$BIN/citybench" keys --count 2 --seed citybench-gateway --format key | sed -n 2p >"$dir/relayer.key"
	gate_flags=(--datadir "$dir/gate" --relayer.keyfile "$dir/relayer.key" --intake.maxqueue 2000000)
	hold=()
	# In halves, the relayer is held back during the intake (one ballot a transaction, one
	# transaction in flight: about one ballot a block), then let go by a restart.
	[[ $GATE_W6_HALVES == 1 ]] && hold=(--hold)
	start_gate "$dir" "${gate_flags[@]}" "${GATE_FLAGS[@]}" ${hold:+--relayer.batch 1 --relayer.inflight 1}
	log "W6: $GATE_BALLOTS ballots of an electorate of $GATE_ELECTORATE, $GATE_POSTERS clients${hold:+, relayer held back}"
	"$BIN/citybench" --verbosity 3 gateway-ballots --url "$GATE_URL" --rpc "$NODE_URL" --gateway-pid "${PIDS[gate]}" --node-pid "${PIDS[node]}" \
		--seed citybench-gateway --voters "$GATE_BALLOTS" --electorate "$GATE_ELECTORATE" --workers "$GATE_POSTERS" "${hold[@]}" \
		--report "$dir/ballots.json" | tee "$dir/ballots.txt"
	W6_JSON=$(cat "$dir/ballots.json")
	if [[ $GATE_W6_HALVES == 1 ]]; then
		stop gate
		start_gate "$dir" "${gate_flags[@]}" "${GATE_FLAGS[@]}"
		log "W6: the relayer let go"
		"$BIN/citybench" --verbosity 3 gateway-drain --url "$GATE_URL" --poll "$(field "$dir/ballots.json" poll)" \
			--accepted "$(field "$dir/ballots.json" accepted)" --gateway-pid "${PIDS[gate]}" --node-pid "${PIDS[node]}" \
			--report "$dir/drain.json" | tee "$dir/drain.txt"
		W6_JSON="{\"intake\": $W6_JSON, \"drain\": $(cat "$dir/drain.json")}"
	fi
	stop gate
	stop node
fi
echo "{\"timestamp\": \"$STAMP\", \"cores\": $(nproc), \"w5\": $W5_JSON, \"w6\": $W6_JSON}" >"$RESULTS"

if [[ $GATE_SKIP != w5 ]]; then
	d=$(field "$RUN/w5/direct.json" calls_per_s)
	c=$(field "$RUN/w5/cached.json" reads_per_s)
	k=$(field "$RUN/w5/10k.json" reads_per_s)
	p99=$(field "$RUN/w5/10k.json" p99_s)
	l=$(field "$RUN/w5/latest.json" reads_per_s)
	printf '\nW5  direct eth_call %.0f/s   cached via citygate %.0f/s (%.2fx)   %s connections: %.0f/s answered, p99 %.1f ms, %s errors   at latest %.0f/s\n' \
		"$d" "$c" "$(awk "BEGIN{print $c/$d}")" "$GATE_CONNECTIONS" "$k" "$(awk "BEGIN{print $p99*1000}")" "$(field "$RUN/w5/10k.json" errors)" "$l"
fi
if [[ $GATE_SKIP != w6 && $GATE_W6_HALVES == 1 ]]; then
	printf 'W6  %s ballots in halves: %.0f/s accepted durably (relayer held back); then %s held relayed in %.1f s = %.0f/s, %s counted, recount %s\n' \
		"$(field "$RUN/w6/ballots.json" accepted)" "$(field "$RUN/w6/ballots.json" accepted_per_s)" "$(field "$RUN/w6/drain.json" held)" \
		"$(field "$RUN/w6/drain.json" drain_s)" "$(field "$RUN/w6/drain.json" drain_per_s)" "$(field "$RUN/w6/drain.json" counted)" "$(field "$RUN/w6/drain.json" recount_matches)"
elif [[ $GATE_SKIP != w6 ]]; then
	printf 'W6  %s ballots: %.0f/s accepted durably, queue drained %.1f s after the load, end to end %.1f s, %s counted, recount %s\n' \
		"$(field "$RUN/w6/ballots.json" accepted)" "$(field "$RUN/w6/ballots.json" accepted_per_s)" "$(field "$RUN/w6/ballots.json" drain_s)" \
		"$(field "$RUN/w6/ballots.json" end_to_end_s)" "$(field "$RUN/w6/ballots.json" counted)" "$(field "$RUN/w6/ballots.json" recount_matches)"
fi
log "report: $RESULTS"
