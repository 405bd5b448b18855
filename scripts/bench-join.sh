#!/usr/bin/env bash
# bench-join.sh: what scaling reads out costs (issue 18, target 5). A fresh node joins a
# chain of JOIN_TXS transfers over devp2p on 127.0.0.1 and is timed until it serves reads
# at the head; citynode and geth 1.13.15 side by side, each syncing from a node of its own
# kind that holds the same chain.
#
#  1. chain: a citynode signer mines JOIN_TXS transfers (scripts/lib.sh bench_chain), written
#     with `citynode export`; or JOIN_FROM=DIR reuses DIR/genesis.json and DIR/chain.rlp
#     (a kept run of this script or of bench-audit.sh).
#  2. sources: the file imported into a citynode data dir and a geth 1.13.15 data dir, each
#     with the signer's key (or, with JOIN_FROM, copies of that run's kept source dirs).
#  3. joins, one at a time, each against its source started alone on the machine and
#     sealing (the chain's signer, period 1: a live chain, as a joining node meets it; snap
#     sync needs one, its pivot's state is only served near the head): a fresh citynode rpc
#     node by snap sync (citynode-snap: `--syncmode snap`, ADR 076), by the join driver
#     (citynode-join: `--syncmode snap --sync.pivot finalized`, ADR 084: state at the finalized
#     block, history below it backfilled after serving; the run also waits for the backfill to
#     reach block 1 and prints its time, CPU and data dir) and by full sync
#     (citynode-rpc: `--syncmode full`, geth's downloader, then fork choice), a fresh citynode
#     auditor (archive), a fresh geth full sync and a fresh geth snap sync. A join ends when the
#     node's head is within a block of the source's, eth_syncing is false and eth_getBalance
#     answers at its head. Each join prints its wall time, the joining node's CPU and peak
#     RSS, and its data dir.
#
# Environment: JOIN_TXS (5000000), JOIN_ACCOUNTS (2000), JOIN_TIMEOUT (3600 s per join),
# JOIN_FROM (reuse a chain), JOIN_MODES ("citynode-snap citynode-rpc citynode-auditor geth-full
# geth-snap"; citynode-join on request),
# JOIN_KEEP=1 keeps the data dirs; JOIN_PROFILE=SECONDS takes CPU profiles of each joiner
# (citynode and geth), one per SECONDS until it serves (<join>/cpu-1.pprof, cpu-2.pprof, ...; the window
# cut short by the join's end is lost; `go tool pprof -top build/bin/citynode <join>/cpu-*.pprof`). Needs `make build`; builds geth 1.13.15 into .bench/bin
# once (scripts/build-geth113.sh). Results: .bench/join-<timestamp>/summary.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
TXS=${JOIN_TXS:-5000000}
ACCOUNTS=${JOIN_ACCOUNTS:-2000}
TIMEOUT=${JOIN_TIMEOUT:-3600}
MODES=${JOIN_MODES:-citynode-snap citynode-rpc citynode-auditor geth-full geth-snap}
CHAIN_ID=4244
GAS_LIMIT=600000000
POOL_FLAGS=(--txpool.globalslots 200000 --txpool.globalqueue 50000 --txpool.accountslots 2000 --txpool.accountqueue 2000)
RUN=$ROOT/.bench/join-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"

LOG_NAME=bench-join
. "$ROOT/scripts/lib.sh"

NODE_PID="" SRC_PID=""
cleanup() {
	stop_pid "$NODE_PID" 60
	stop_pid "$SRC_PID" 60
	[[ ${JOIN_KEEP:-0} == 1 ]] || rm -rf "$RUN"/*/data
}
on_exit cleanup

[[ -x $BIN/citynode && -x $BIN/citybench && -x $BIN/cityctl ]] || die "run make build first ($BIN)"
GETH=$("$ROOT/scripts/build-geth113.sh") || die "could not build geth 1.13.15 (scripts/build-geth113.sh)"
report() { echo "$*" | tee -a "$RUN/summary.txt"; }

# rpc URL METHOD PARAMS: the JSON result of one call ("" if it failed).
rpc() {
	curl -sf -m 10 -H 'Content-Type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1" |
		jq -c 'if has("result") then .result else empty end' 2>/dev/null || true
}

# serving URL: true once the node's head is within a block of the source's, it says it
# is not syncing and it answers a balance read at its head.
serving() {
	local head src
	head=$(rpc "$1" eth_blockNumber '[]' | tr -d '"')
	src=$(rpc "$SRC_URL" eth_blockNumber '[]' | tr -d '"')
	[[ -n $head && -n $src ]] && (($(printf '%d' "$head") + 1 >= $(printf '%d' "$src"))) || return 1
	[[ $(rpc "$1" eth_syncing '[]') == false ]] || return 1
	[[ -n $(rpc "$1" eth_getBalance "[\"0x0000000000000000000000000000000000000001\",\"$head\"]") ]]
}

# enode_of LOG: the enode URL a node logged at start ("Started P2P networking"), with
# 127.0.0.1 (a sealing citynode serves no admin API on its public listener).
enode_of() {
	local e=""
	for _ in $(seq 1 300); do
		e=$(grep -o 'self="\?enode://[0-9a-f]*@[0-9.]*:[0-9]*' "$1" 2>/dev/null | head -n 1 | sed 's/^self="\?//')
		[[ -n $e ]] && break
		sleep 0.2
	done
	[[ -n $e ]] || die "no enode in $1"
	echo "${e%@*}@127.0.0.1:${e##*:}"
}

###########################################################################################
if [[ -n ${JOIN_FROM:-} ]]; then
	[[ -f $JOIN_FROM/genesis.json && -f $JOIN_FROM/chain.rlp ]] || die "JOIN_FROM=$JOIN_FROM holds no genesis.json and chain.rlp"
	cp "$JOIN_FROM/genesis.json" "$RUN/genesis.json"
	ln -s "$(realpath "$JOIN_FROM/chain.rlp")" "$RUN/chain.rlp"
	log "1. chain: reusing $JOIN_FROM"
else
	log "1. chain: a citynode signer mines $TXS transfers (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	bench_chain "$RUN" "$TXS" "$ACCOUNTS" "$GAS_LIMIT" "$CHAIN_ID"
fi

###########################################################################################
"$BIN/citybench" keys --count 1 --seed bench-signer --format key >"$RUN/signer.key"
SIGNER=$("$BIN/citybench" keys --count 1 --seed bench-signer --format address)
echo bench >"$RUN/password"
if [[ -n ${JOIN_FROM:-} && -d $JOIN_FROM/src-citynode/data && -d $JOIN_FROM/src-geth/data ]]; then
	log "2. sources: copies of $JOIN_FROM's"
	for k in citynode geth; do
		mkdir -p "$RUN/src-$k"
		cp -a "$JOIN_FROM/src-$k/data" "$RUN/src-$k/data"
		bin=$BIN/citynode
		[[ $k == geth ]] && bin=$GETH
		ls "$RUN/src-$k/data/keystore/"*"${SIGNER:2}"* >/dev/null 2>&1 && continue
		"$bin" account import --datadir "$RUN/src-$k/data" --password "$RUN/password" "$RUN/signer.key" \
			>"$RUN/src-$k/init.log" 2>&1 || die "$k account import failed: $RUN/src-$k/init.log"
	done
else
	log "2. sources: the chain imported into citynode and geth 1.13.15"
	for k in citynode geth; do
		bin=$BIN/citynode
		[[ $k == geth ]] && bin=$GETH
		init_datadir "$bin" "$RUN/src-$k" "$RUN/genesis.json" "$RUN/signer.key" "$RUN/password"
		"$bin" import --datadir "$RUN/src-$k/data" "$RUN/chain.rlp" >"$RUN/src-$k/import.log" 2>&1 ||
			die "$k import failed: $RUN/src-$k/import.log"
	done
fi

# source KIND: starts the source node of KIND (citynode or geth) alone, sealing, and sets
# SRC_PID, SRC_URL, SRC_ENODE and BLOCKS (its head at the start).
source_node() {
	local dir=$RUN/src-$1 http
	http=$(free_port)
	SRC_URL=http://127.0.0.1:$http
	if [[ $1 == geth ]]; then
		"$GETH" --datadir "$dir/data" --networkid "$CHAIN_ID" --port "$(free_port)" --nodiscover --nat none \
			--ipcdisable --authrpc.port "$(free_port)" --http --http.addr 127.0.0.1 --http.port "$http" \
			--http.api eth,net,web3,admin --syncmode full --mine --miner.etherbase "$SIGNER" --unlock "$SIGNER" \
			--password "$RUN/password" --allow-insecure-unlock --verbosity 3 >"$dir/node.log" 2>&1 &
	else
		"$BIN/citynode" --datadir "$dir/data" --signer "$SIGNER" --password "$RUN/password" \
			--authrpc.port "$(free_port)" --http --http.addr 127.0.0.1 --http.port "$http" \
			--port "$(free_port)" --nodiscover --verbosity 3 >"$dir/node.log" 2>&1 &
	fi
	SRC_PID=$!
	SRC_ENODE=$(enode_of "$dir/node.log")
	"$BIN/citybench" --verbosity 2 wait --rpc "$SRC_URL" --block 1 --timeout 120s || die "source $1 did not start: $dir/node.log"
	BLOCKS=$(printf '%d' "$(rpc "$SRC_URL" eth_blockNumber '[]' | tr -d '"')")
	log "source $1 at block $BLOCKS: $SRC_ENODE"
}

# profile_loop DIR ADDR: CPU profiles of NODE_PID served on ADDR, one per JOIN_PROFILE seconds,
# into DIR/cpu-N.pprof until the node stops (in the background).
profile_loop() {
	local i
	for _ in $(seq 1 100); do curl -sf -m 1 -o /dev/null "http://$2/debug/pprof/" && break; sleep 0.1; done
	(for i in $(seq 1 1000); do
		kill -0 "$NODE_PID" 2>/dev/null || break
		curl -sf -m $((JOIN_PROFILE + 30)) -o "$1/cpu-$i.pprof" "http://$2/debug/pprof/profile?seconds=$JOIN_PROFILE" || break
	done) &
}

# join NAME: a fresh node of NAME (citynode-snap, citynode-join, citynode-rpc, citynode-auditor, geth-full, geth-snap)
# joins the running source; prints the figures.
join() {
	local name=$1 dir=$RUN/$1 http t0 load
	mkdir -p "$dir"
	http=$(free_port)
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	case $name in
	citynode-*)
		local mode=${name#citynode-} sync=full pivot=()
		[[ $mode == snap ]] && mode=rpc sync=snap
		[[ $mode == join ]] && mode=rpc sync=snap pivot=(--sync.pivot finalized)
		"$BIN/citynode" init --mode "$mode" --datadir "$dir/data" "$RUN/genesis.json" >"$dir/init.log" 2>&1 ||
			die "$name init failed: $dir/init.log"
		t0=$(date +%s.%N)
		local prof=()
		[[ -n ${JOIN_PROFILE:-} ]] && prof=(--pprof --pprof.addr "127.0.0.1:$(free_port)")
		"$BIN/citynode" --datadir "$dir/data" --mode "$mode" --syncmode "$sync" --http --http.addr 127.0.0.1 --http.port "$http" \
			--port "$(free_port)" --nodiscover --staticnodes "$SRC_ENODE" --verbosity 3 "${pivot[@]}" "${prof[@]}" >"$dir/node.log" 2>&1 &
		NODE_PID=$!
		[[ -n ${JOIN_PROFILE:-} ]] && profile_loop "$dir" "${prof[2]}"
		;;
	geth-*)
		"$GETH" init --datadir "$dir/data" "$RUN/genesis.json" >"$dir/init.log" 2>&1 || die "$name init failed: $dir/init.log"
		local prof=()
		[[ -n ${JOIN_PROFILE:-} ]] && prof=(--pprof --pprof.addr 127.0.0.1 --pprof.port "$(free_port)")
		t0=$(date +%s.%N)
		"$GETH" --datadir "$dir/data" --networkid "$CHAIN_ID" --port "$(free_port)" --nodiscover --nat none \
			--ipcdisable --authrpc.port "$(free_port)" --http --http.addr 127.0.0.1 --http.port "$http" \
			--http.api eth,net,web3,admin --syncmode "${name#geth-}" --verbosity 3 "${prof[@]}" >"$dir/node.log" 2>&1 &
		NODE_PID=$!
		[[ -n ${JOIN_PROFILE:-} ]] && profile_loop "$dir" "127.0.0.1:${prof[4]}"
		for _ in $(seq 1 300); do
			[[ -n $(rpc "http://127.0.0.1:$http" admin_addPeer "[\"$SRC_ENODE\"]") ]] && break
			sleep 0.1
		done
		;;
	esac
	local deadline=$((SECONDS + TIMEOUT))
	until serving "http://127.0.0.1:$http"; do
		kill -0 "$NODE_PID" 2>/dev/null || die "$name exited: $dir/node.log"
		((SECONDS < deadline)) || {
			report "$name: not serving at block $BLOCKS after $TIMEOUT s (head $(rpc "http://127.0.0.1:$http" eth_blockNumber '[]')): $dir/node.log"
			stop_pid "$NODE_PID" 60
			NODE_PID=""
			return
		}
		sleep 0.5
	done
	figures "$name" "$t0" "$dir" "load average before $load"
	[[ $name == citynode-join ]] && backfilled "$name" "$dir" "http://127.0.0.1:$http" "$t0" "$deadline"
	stop_pid "$NODE_PID" 60
	NODE_PID=""
}

# backfilled NAME DIR URL T0 DEADLINE: waits until a node that joined by the join driver
# answers block 1 with its body (the history guard refuses it until the backfill reaches
# it, ADR 084) and prints the time from the node's start, its CPU, peak RSS and data dir.
backfilled() {
	local load
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	until [[ $(rpc "$3" eth_getBlockByNumber '["0x1",false]' | jq -r '.number // empty' 2>/dev/null) == 0x1 ]]; do
		kill -0 "$NODE_PID" 2>/dev/null || die "$1 exited during its backfill: $2/node.log"
		((SECONDS < $5)) || {
			report "$1: history not backfilled after $TIMEOUT s: $2/node.log"
			return
		}
		sleep 0.5
	done
	figures "$1 backfilled" "$4" "$2" "backfill to block 1; load average when serving $load"
}

# figures LABEL T0 DIR NOTE: reports one result line, read now: the wall time since T0, the
# joining node's (NODE_PID's) CPU and peak RSS, the size of DIR/data, and NOTE.
figures() {
	local t
	t=$(date +%s.%N)
	report "$(printf '%-17s %8.1f s  %8.1f s CPU  %6s MiB peak RSS  %6s MiB data dir  (%s)' \
		"$1" "$(echo "$t - $2" | bc)" "$(cpu_s "$NODE_PID")" "$(hwm_mib "$NODE_PID")" "$(du -sm "$3/data" | cut -f1)" "$4")"
}

report "bench-join: $(nproc) cores, chain $(du -m "$(realpath "$RUN/chain.rlp")" | cut -f1) MiB of RLP, commit $(git -C "$ROOT" rev-parse --short HEAD)"
for kind in citynode geth; do
	modes=""
	for m in $MODES; do [[ $m == "$kind"-* ]] && modes+=" $m"; done
	[[ -n $modes ]] || continue
	source_node "$kind"
	report "source $kind: block $BLOCKS"
	for m in $modes; do
		log "3. $m joins (load average $(cut -d' ' -f1-3 /proc/loadavg))"
		join "$m"
	done
	stop_pid "$SRC_PID" 60
	SRC_PID=""
done
log "results: $RUN/summary.txt"
