#!/usr/bin/env bash
# bench-network.sh: the transfer workload on a loopback network of BENCH_SIGNERS signers,
# geth 1.13.15 first, then citynode, side by side on this machine (every node of a
# network shares the same cores). The load goes to the first signer. Reports mined tx/s
# and inclusion latency (citybench), block time p50/p95, share of out-of-turn blocks,
# and reorgs (count and deepest, from the nodes' "Chain reorg detected" log lines), the
# nodes' CPU and their peak RSS (VmHWM at the end of the load, before the restart step).
#
# Environment: BENCH_SIGNERS (3), BENCH_TXS (60000), BENCH_ACCOUNTS (300), BENCH_BATCH
# (500), BENCH_WORKERS (4), BENCH_NODES ("geth citynode"), BENCH_LOAD_FLAGS (extra
# citybench flags), BENCH_CITYNODE_FLAGS (extra citynode flags, for diagnosis: a
# comparison is fair only without), BENCH_PPROF (seconds: citynode signers 1 and 2 run with --pprof and a
# CPU profile of that length is taken of each, starting 3 s after the load, into
# citynode/n1/cpu.pprof and n2/cpu.pprof), BENCH_CATCHUP_BLOCKS (5: after the load the last
# signer is stopped, the others seal that many blocks, and the time the restarted signer takes
# to peer, start syncing and catch up is reported; 0 skips it). Needs `make build`; builds geth v1.13.15 into
# .bench/bin once (only when BENCH_NODES has geth).
#
# citynode's network is a `cityctl testnet` on the benchmark's genesis and signer keys
# (`testnet up --genesis --signer-key --node-flag`, `stop`, `start`, `down`), the same
# network operators and tests run; geth's is started here, its nodes peered with admin_addPeer.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
BENCH=$ROOT/.bench
GETH=$BENCH/bin/geth
SIGNERS=${BENCH_SIGNERS:-3}
TXS=${BENCH_TXS:-60000}
ACCOUNTS=${BENCH_ACCOUNTS:-300}
BATCH=${BENCH_BATCH:-500}
WORKERS=${BENCH_WORKERS:-4}
NODES=${BENCH_NODES:-geth citynode}
read -r -a LOAD_EXTRA <<<"${BENCH_LOAD_FLAGS:-}"
read -r -a CITYNODE_EXTRA <<<"${BENCH_CITYNODE_FLAGS:-}"
PPROF=${BENCH_PPROF:-}
CATCHUP_BLOCKS=${BENCH_CATCHUP_BLOCKS:-5}
GETH_START_DELAY=20 # seconds from writing geth's genesis to its block 1 slot: start and peer 4-5 nodes
CHAIN_ID=4343
GAS_LIMIT=600000000
POOL_FLAGS=(--txpool.globalslots 200000 --txpool.globalqueue 50000 --txpool.accountslots 2000 --txpool.accountqueue 2000)

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$BENCH/net-$STAMP
mkdir -p "$RUN"
LOG_NAME=bench-network
. "$ROOT/scripts/lib.sh"

PIDS=()
TESTNET=""
stop_all() {
	if [[ -n $TESTNET ]]; then
		"$BIN/cityctl" testnet down --dir "$TESTNET" >/dev/null 2>&1 || true
		TESTNET=""
	fi
	for pid in "${PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	PIDS=()
}
cleanup_network() { stop_all; rm -rf "$RUN"/geth/n*/data "$RUN"/citynode/net/*/citynode "$RUN"/citynode/net/*/keystore; }
on_exit cleanup_network

rpc() { # rpc URL METHOD PARAMS-JSON
	curl -s -m 5 -H 'content-type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1"
}

[[ -x $BIN/citybench && -x $BIN/citynode && -x $BIN/cityctl ]] || die "run make build first"
if [[ " $NODES " == *" geth "* ]]; then
	GETH=$(scripts/build-geth113.sh) || die "could not build geth 1.13.15 (scripts/build-geth113.sh)"
fi

# Signer keys and the genesis shared by both networks.
SIGNER_ARGS=()
for i in $(seq 1 "$SIGNERS"); do
	read -r _ addr key < <("$BIN/citybench" keys --count 1 --seed "bench-net-signer-$i")
	echo "$key" >"$RUN/signer$i.key"
	echo "$addr" >"$RUN/signer$i.addr"
	SIGNER_ARGS+=(--signer "$addr")
done
echo "bench" >"$RUN/password"
"$BIN/citybench" genesis --accounts "$ACCOUNTS" --seed citybench "${SIGNER_ARGS[@]}" \
	--period 1 --gaslimit "$GAS_LIMIT" --chainid "$CHAIN_ID" --out "$RUN/genesis.json"

launch() { # I: starts geth node I on its ports (set by start_geth), appending to its log
	local i=$1
	local dir=$RUN/geth/n$i addr http=${HTTP_PORTS[$i]} p2p=${P2P_PORTS[$i]}
	addr=$(cat "$RUN/signer$i.addr")
	"$GETH" --datadir "$dir/data" --networkid "$CHAIN_ID" --port "$p2p" --nodiscover --nat none --ipcdisable \
		--authrpc.port "${AUTH_PORTS[$i]}" --http --http.addr 127.0.0.1 --http.port "$http" \
		--http.api eth,net,web3,txpool,clique,admin --mine --miner.etherbase "$addr" --unlock "$addr" \
		--password "$RUN/password" --allow-insecure-unlock --miner.gaslimit "$GAS_LIMIT" \
		"${POOL_FLAGS[@]}" --syncmode full >>"$dir/node.log" 2>&1 &
	PIDS[$((i - 1))]=$!
	URLS[$((i - 1))]="http://127.0.0.1:$http"
	LOGS[$((i - 1))]=$dir/node.log
}

start_citynode() { # starts SIGNERS citynode signers as a cityctl testnet; sets URLS, PIDS, LOGS, NAMES
	TESTNET=$RUN/citynode/net
	mkdir -p "$RUN/citynode"
	# The signers' keys in the genesis's order (its extra-data lists the signers sorted).
	local keys=() flags=() f addr file
	while read -r addr file; do keys+=(--signer-key "$file"); done < <(
		for i in $(seq 1 "$SIGNERS"); do echo "$(tr 'A-F' 'a-f' <"$RUN/signer$i.addr") $RUN/signer$i.key"; done | sort)
	# Metrics off as on geth's side (testnet turns them on); BENCH_CITYNODE_FLAGS may turn them on again.
	for f in --miner.gaslimit="$GAS_LIMIT" "${POOL_FLAGS[@]}" --metrics=false "${CITYNODE_EXTRA[@]}"; do flags+=("--node-flag=$f"); done
	if [[ -n $PPROF ]]; then flags+=(--node-flag=--pprof --node-flag=--pprof.addr=127.0.0.1:0); fi
	"$BIN/cityctl" testnet up --dir "$TESTNET" --bin "$BIN/citynode" --rpc-nodes 0 --genesis "$RUN/genesis.json" \
		"${keys[@]}" "${flags[@]}" >"$RUN/citynode/nodes.json" 2>"$RUN/citynode/up.log" || {
		log "citynode: cityctl testnet up failed: $(tail -3 "$RUN/citynode/up.log")"
		return 1
	}
	URLS=() PIDS=() LOGS=() NAMES=()
	local name url pid logf
	while read -r name url pid logf; do
		NAMES+=("$name") URLS+=("$url") PIDS+=("$pid") LOGS+=("$logf")
	done < <(python3 -c 'import json,sys
for n in json.load(open(sys.argv[1])): print(n["name"], n["rpc"], n["pid"], n["log"])' "$RUN/citynode/nodes.json")
	# The profiled signers (BENCH_PPROF): the first two, at the address each logged.
	if [[ -n $PPROF ]]; then
		for i in 0 1; do
			[[ -n ${LOGS[$i]:-} ]] || continue
			for _ in $(seq 1 100); do
				f=$(grep -o 'Serving Go profiling *url=http://[^/]*' "${LOGS[$i]}" | head -1 | sed 's|.*url=http://||' || true)
				[[ -n $f ]] && break
				sleep 0.1
			done
			mkdir -p "$RUN/citynode/n$((i + 1))"
			[[ -n $f ]] && echo "$f" >"$RUN/citynode/n$((i + 1))/pprof.addr"
		done
	fi
	"$BIN/citybench" wait --rpc "${URLS[0]}" --block "$((SIGNERS + 1))" >/dev/null 2>&1 || return 1
}

start_network() { # KIND: starts SIGNERS nodes of KIND, peered
	if [[ $1 == citynode ]]; then start_citynode; else start_geth; fi
}

start_geth() { # starts SIGNERS geth signers, peers them, sets URLS, PIDS, LOGS and ENODES
	local kind=geth bin=$GETH genesis=$RUN/genesis-geth.json
	# geth's network starts the way Clique networks are started: every
	# signer runs and is peered before block 1's slot, so the in-turn
	# signer seals it and the others wait their turn. Signers sealing
	# before they were peered (or started together after it) each sealed
	# a block 1, and with their blocks of equal difficulty and each
	# having signed recently, all waited for ever (geth #18402; seen here
	# three times at heights 1 and 3). citynode's fork choice settles such
	# forks (EIP-3436), so its network starts from the shared genesis at
	# once and its competing blocks 1 are reorganised away.
	"$BIN/citybench" genesis --accounts "$ACCOUNTS" --seed citybench "${SIGNER_ARGS[@]}" --period 1 --gaslimit "$GAS_LIMIT" \
		--chainid "$CHAIN_ID" --timestamp "$(($(date +%s) + GETH_START_DELAY))" --out "$genesis"
	URLS=() LOGS=()
	HTTP_PORTS=() P2P_PORTS=() AUTH_PORTS=()
	for i in $(seq 1 "$SIGNERS"); do
		local dir=$RUN/$kind/n$i
		mkdir -p "$dir"
		HTTP_PORTS[$i]=$(free_port)
		P2P_PORTS[$i]=$(free_port)
		AUTH_PORTS[$i]=$(free_port)
		"$bin" init --datadir "$dir/data" "$genesis" >"$dir/init.log" 2>&1 || die "$kind init failed: $dir/init.log"
		"$bin" account import --datadir "$dir/data" --password "$RUN/password" "$RUN/signer$i.key" >>"$dir/init.log" 2>&1 ||
			die "$kind account import failed: $dir/init.log"
		: >"$dir/node.log"
		launch "$i"
	done
	local enodes=()
	for url in "${URLS[@]}"; do
		local e=""
		for _ in $(seq 1 300); do
			e=$(rpc "$url" admin_nodeInfo '[]' | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["enode"])' 2>/dev/null) && break
			sleep 0.2
		done
		[[ -n $e ]] || die "geth node at $url did not answer"
		enodes+=("$e")
	done
	ENODES=("${enodes[@]}")
	for url in "${URLS[@]}"; do
		for e in "${enodes[@]}"; do rpc "$url" admin_addPeer "[\"$e\"]" >/dev/null; done
	done
	"$BIN/citybench" wait --rpc "${URLS[0]}" --block "$((SIGNERS + 1))" >/dev/null 2>&1 || return 1
}

since() { # T0-MS: seconds since T0 (milliseconds since the epoch), with 3 decimals
	local ms=$(($(date +%s%3N) - $1))
	printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

head_of() { # URL: the node's head number, or nothing
	rpc "$1" eth_blockNumber '[]' | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"], 16))' 2>/dev/null
}

stop_last() { # KIND: stop the last signer (citynode: through cityctl testnet)
	local i=$SIGNERS pid=${PIDS[$((SIGNERS - 1))]}
	if [[ $1 == citynode ]]; then
		"$BIN/cityctl" testnet stop "${NAMES[$((i - 1))]}" --dir "$TESTNET" >/dev/null
		return
	fi
	kill -INT "$pid" 2>/dev/null || true
	for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

start_last() { # KIND: start the last signer again
	if [[ $1 == citynode ]]; then
		"$BIN/cityctl" testnet start "${NAMES[$((SIGNERS - 1))]}" --dir "$TESTNET" >/dev/null
	else
		launch "$SIGNERS"
	fi
}

catchup() { # KIND: stop the last signer, let the others seal CATCHUP_BLOCKS, restart it, time its catch-up
	local kind=$1 i=$SIGNERS url
	url=${URLS[$((i - 1))]}
	local stopped_head target="" last
	last=$(head_of "$url" || true) # its head when stopped: the baseline of "moving" and "blocks behind"
	stop_last "$kind"
	stopped_head=$(head_of "${URLS[0]}" || true)
	for _ in $(seq 1 300); do # the others seal on (at most 30 s)
		target=$(head_of "${URLS[0]}" || true)
		[[ -n $target && -n $stopped_head && $target -ge $((stopped_head + CATCHUP_BLOCKS)) ]] && break
		sleep 0.1
	done
	local t0 own="" peer="" moved="" done_at="" now n h
	t0=$(date +%s%3N)
	start_last "$kind"
	for _ in $(seq 1 600); do # at most 60 s
		now=$(since "$t0")
		h=$(head_of "$url" || true)
		if [[ -n $h ]]; then
			if [[ -z $own ]]; then
				own=$h
				# geth: peer as at start; the others also redial it (admin_addPeer made it
				# static). citynode's testnet nodes have each other as static nodes.
				if [[ $kind == geth ]]; then
					for e in "${ENODES[@]}"; do rpc "$url" admin_addPeer "[\"$e\"]" >/dev/null; done
				fi
			fi
			if [[ -z $peer ]]; then
				n=$(rpc "$url" net_peerCount '[]' | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"], 16))' 2>/dev/null || echo 0)
				((n > 0)) && peer=$now
			fi
			[[ -z $moved && $h -gt ${last:-$own} ]] && moved=$now
			if [[ $h -ge $target ]]; then done_at=$now; break; fi
		fi
		sleep 0.1
	done
	log "$kind: signer $i stopped at head ${last:-?}, answered at head ${own:-?} after its restart, network at $target: first peer after ${peer:-never} s, head moving after ${moved:-never} s, caught up after ${done_at:-never (60 s)} s"
	printf '{"blocks": %s, "peer_s": %s, "moving_s": %s, "caught_up_s": %s}\n' "$((target - ${last:-${own:-0}}))" "${peer:-null}" "${moved:-null}" "${done_at:-null}" >"$RUN/$kind/catchup.json"
}

cpu_ticks() { # PID...: user+system clock ticks of each process, one line
	local out=() f
	for pid in "$@"; do
		read -r -a f <"/proc/$pid/stat" || { out+=(0); continue; }
		out+=($((f[13] + f[14])))
	done
	echo "${out[*]}"
}

peaks_mib() { # PID...: peak resident memory (VmHWM, MiB) of each process, one line
	local out=() pid
	for pid in "$@"; do out+=("$(hwm_mib "$pid" 2>/dev/null || echo 0)"); done
	echo "${out[*]}"
}

analyse() { # KIND REPORT CPU-BEFORE CPU-AFTER PEAKS: block time, out-of-turn share, reorgs, nodes' CPU and peak RSS
	python3 - "$1" "$2" "${URLS[0]}" "$RUN/$1" "$3" "$4" "$(getconf CLK_TCK)" "$5" "${LOGS[@]}" <<'PY'
import json, sys, re, urllib.request
kind, report, url, dir, before, after, hz, peaks = sys.argv[1:9]
logs = sys.argv[9:]
r = json.load(open(report))
first, last = r["throughput"]["first_block"], r["throughput"]["last_block"]
def block(n):
    req = urllib.request.Request(url, json.dumps({"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":[hex(n),False]}).encode(), {"content-type":"application/json"})
    return json.load(urllib.request.urlopen(req, timeout=5))["result"]
# Nothing mined (a stalled network): no blocks to read, no block figures.
blocks = [block(n) for n in range(max(1, first - 1), last + 1)] if last else []
times = [int(b["timestamp"], 16) for b in blocks]
gaps = sorted(b - a for a, b in zip(times, times[1:]))
pct = lambda p: gaps[min(len(gaps) - 1, int(p * len(gaps)))] if gaps else None
noturn = sum(1 for b in blocks if int(b["difficulty"], 16) == 1)
reorgs, deepest = 0, 0
for f in logs:
    for line in open(f, errors="replace"):
        if "Chain reorg detected" in line:
            reorgs += 1
            m = re.search(r"drop=(\d+)", line)
            if m: deepest = max(deepest, int(m.group(1)))
out = {"kind": kind, "tps": r["throughput"]["sustained_tps"], "tps_e2e": r["throughput"]["end_to_end_tps"], "p50": r["latency"]["p50_s"], "p95": r["latency"]["p95_s"],
       "answer_p95": r.get("answer_latency", {}).get("p95_s"),
       "blocktime_p50": pct(0.5), "blocktime_p95": pct(0.95), "outofturn": noturn / len(blocks) if blocks else None, "reorgs": reorgs, "deepest": deepest,
       "mined": r["mined"], "never_mined": r["never_mined"]}
# CPU of every node of the network over the load (first send to the end of the
# citybench run), in seconds, and per 1,000 mined transactions.
ticks = [b - a for a, b in zip(map(int, before.split()), map(int, after.split()))]
try:
    c = json.load(open(dir + "/catchup.json"))
    out["catchup_peer_s"], out["catchup_moving_s"], out["catchup_s"], out["catchup_blocks"] = c["peer_s"], c["moving_s"], c["caught_up_s"], c["blocks"]
except (OSError, ValueError):
    pass
out["cpu_s"] = [t / int(hz) for t in ticks]
# Peak RSS of every node at the end of the load (before the restart step).
out["peak_rss_mib"] = [int(p) for p in peaks.split()]
out["peak_rss_first_mib"] = out["peak_rss_mib"][0] if out["peak_rss_mib"] else None
out["peak_rss_max_mib"] = max(out["peak_rss_mib"], default=None)
out["cpu_per_1000_tx_s"] = sum(ticks) / int(hz) / r["mined"] * 1000 if r["mined"] else None
json.dump(out, open(dir + "/summary.json", "w"))
print(json.dumps(out))
PY
}

for kind in $NODES; do
	log "$kind: starting $SIGNERS signers"
	if ! start_network "$kind"; then
		# Reported, not fatal: a network that cannot start is a result.
		log "$kind: the network did not start sealing (node logs in $RUN/$kind); no load run"
		echo "{\"kind\": \"$kind\", \"stalled_at_start\": true}" >"$RUN/$kind/summary.json"
		stop_all
		continue
	fi
	log "$kind: $TXS transfers to the first signer"
	PROFS=()
	if [[ -n $PPROF ]]; then
		for f in "$RUN/$kind"/n*/pprof.addr; do
			[[ -f $f ]] || continue
			(sleep 3; curl -s -m $((PPROF + 30)) -o "$(dirname "$f")/cpu.pprof" "http://$(cat "$f")/debug/pprof/profile?seconds=$PPROF") &
			PROFS+=($!)
		done
	fi
	cpu_before=$(cpu_ticks "${PIDS[@]}")
	"$BIN/citybench" transfers --rpc "${URLS[0]}" --label "$kind" --accounts "$ACCOUNTS" --seed citybench \
		--txs "$TXS" --batch "$BATCH" --workers "$WORKERS" "${LOAD_EXTRA[@]}" \
		--report "$RUN/$kind/report.json" --tx-times "$RUN/$kind/txtimes.csv" >"$RUN/$kind/report.txt" 2>&1 || log "$kind: citybench exited with $?"
	cpu_after=$(cpu_ticks "${PIDS[@]}")
	peaks=$(peaks_mib "${PIDS[@]}")
	# Nodes started with --metrics (BENCH_CITYNODE_FLAGS="--metrics --metrics.port 0"):
	# their metrics at the end of the load, into n*/metrics.txt.
	for i in "${!LOGS[@]}"; do
		url=$(grep -o 'Serving metrics *url=[^ ]*' "${LOGS[$i]}" | head -1 | sed 's/.*url=//' || true)
		if [[ -n $url ]]; then
			mkdir -p "$RUN/$kind/n$((i + 1))"
			curl -s -m 5 -o "$RUN/$kind/n$((i + 1))/metrics.txt" "$url" || true
		fi
	done
	for pid in "${PROFS[@]}"; do wait "$pid" || log "$kind: profile failed"; done
	if ((CATCHUP_BLOCKS > 0)); then catchup "$kind"; fi
	analyse "$kind" "$RUN/$kind/report.json" "$cpu_before" "$cpu_after" "$peaks"
	stop_all
done

python3 - "$RUN" "$SIGNERS" "$TXS" <<'PY'
import json, sys, os
run, signers, txs = sys.argv[1:4]
s = {k: json.load(open(f"{run}/{k}/summary.json")) for k in ("geth", "citynode") if os.path.exists(f"{run}/{k}/summary.json")}
print(f"\n{signers} signers on loopback, {txs} transfers to one signer, on this machine's cores:")
rows = [("mined tx/s (sustained)", "tps"), ("mined tx/s (end to end)", "tps_e2e"), ("latency p50 (s)", "p50"), ("latency p95 (s)", "p95"), ("of which answer p95 (s)", "answer_p95"), ("block time p50 (s)", "blocktime_p50"),
        ("block time p95 (s)", "blocktime_p95"), ("out-of-turn share", "outofturn"), ("reorgs (all nodes)", "reorgs"), ("deepest reorg", "deepest"), ("never mined", "never_mined"), ("nodes' CPU per 1,000 tx (s)", "cpu_per_1000_tx_s"),
        ("peak RSS, loaded signer (MiB)", "peak_rss_first_mib"), ("peak RSS, largest node (MiB)", "peak_rss_max_mib"),
        ("restart: first peer (s)", "catchup_peer_s"), ("restart: head moving (s)", "catchup_moving_s"), ("restart: caught up (s)", "catchup_s"), ("restart: blocks behind", "catchup_blocks")]
print(f"{'metric':>30} {'geth':>10} {'citynode':>10} {'ratio':>7}")
for name, key in rows:
    g, c = s.get("geth", {}).get(key), s.get("citynode", {}).get(key)
    ratio = f"{c / g:.2f}" if isinstance(g, (int, float)) and isinstance(c, (int, float)) and g else "-"
    fmt = lambda v: "-" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
    print(f"{name:>30} {fmt(g):>10} {fmt(c):>10} {ratio:>7}")
for k, v in s.items():
    if v.get("stalled_at_start"):
        print(f"{k}: the network did not start sealing: no figures")
print(f"results: {run}")
PY
