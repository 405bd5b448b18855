#!/usr/bin/env bash
# geth113-interop.sh: a Clique chain moves from geth 1.13.15 to citynode and back.
#
#  1. geth 1.13.15 network: 3 nodes on 127.0.0.1 (signers A and B in the genesis, node C
#     runs with key C), period 1, epoch $EPOCH. Votes add C (A and B propose), then drop
#     B (A and C propose); transfers; the chain runs past two more epoch checkpoints.
#     The nodes stop and node A's chain is written with `geth export`.
#  2. citynode import: `citynode init` of the same genesis (genesis hash = geth's block
#     0), `citynode import` of geth's file; head hash and state root = geth's, and
#     `cityctl audit signers` replays the whole signer history with our rules.
#  3. migration: citynode signers A and C continue geth's chain from the imported head
#     (transfers, a vote adding B back, another checkpoint), then stop.
#  4. geth import: `citynode export` of that chain, `geth import` into a fresh geth 1.13
#     data dir; head hash and state root = citynode's.
#  5. peering: a citynode and a geth 1.13 node told to peer (admin_addPeer both ways);
#     reports whether they stay connected (they share no eth protocol version).
#
# Prints PASS or FAIL per step and exits non-zero if any step failed. Needs
# `make build`; builds geth 1.13.15 into .bench/bin once (scripts/build-geth113.sh).
#
# Environment: INTEROP_OUT=DIR copies geth's export (chain.rlp.gz), the genesis and the
# expected head to DIR (how internal/node/chainio/testdata/geth113-* was made);
# INTEROP_KEEP=1 keeps the data dirs under .bench/interop-<timestamp>.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/build/bin}
EPOCH=8
CHAIN_ID=4513
SEED=geth113-interop
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN=$ROOT/.bench/interop-$STAMP
mkdir -p "$RUN"
PY=$(python3 -c 'import sys; print(sys.executable)') # the interpreter itself, not a slow shim
VERBOSITY=3

LOG_NAME=interop
. "$ROOT/scripts/lib.sh"
RESULTS=()
pass() { RESULTS+=("PASS  $1"); printf 'PASS  %s\n' "$1"; }
fail() { RESULTS+=("FAIL  $1"); printf 'FAIL  %s\n' "$1"; }

PIDS=()
stop_all() {
	local pid
	for pid in "${PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	PIDS=()
}
cleanup() {
	local rc=$?
	stop_all
	[[ ${INTEROP_KEEP:-0} == 1 ]] || rm -rf "$RUN"/*/data
	exit "$rc"
}
on_exit cleanup

rpc() { # rpc URL METHOD PARAMS-JSON: prints the result as JSON
	curl -s -m 5 -H 'content-type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":$3}" "$1" |
		"$PY" -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps(r["result"]) if "result" in r else sys.exit("rpc error: %s" % r.get("error")))'
}
head_number() { rpc "$1" eth_blockNumber '[]' | "$PY" -c 'import json,sys; print(int(json.load(sys.stdin),16))'; }
block_field() { # URL NUMBER|latest FIELD
	local n=$2
	[[ $n == latest ]] || n=$(printf '0x%x' "$n")
	rpc "$1" eth_getBlockByNumber "[\"$n\",false]" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['$3'])"
}
signers() { rpc "$1" clique_getSigners '[]' | "$PY" -c 'import json,sys; print(" ".join(sorted(a.lower() for a in json.load(sys.stdin))))'; }
lower() { tr '[:upper:]' '[:lower:]' <<<"$1"; }

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND every 0.5 s until it succeeds.
wait_for() {
	local what=$1 secs=$2
	shift 2
	local deadline=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || die "timed out after ${secs}s waiting for $what"
		sleep 0.5
	done
}
head_at_least() { (($(head_number "$1") >= $2)); }
has_signer() { [[ " $(signers "$1") " == *" $(lower "$2") "* ]]; }
lacks_signer() { ! has_signer "$@"; }
answers() { rpc "$1" web3_clientVersion '[]'; }

[[ -x $BIN/citynode && -x $BIN/cityctl && -x $BIN/citybench ]] || die "run make build first ($BIN)"
GETH=$("$ROOT/scripts/build-geth113.sh") || die "could not build geth 1.13.15 (scripts/build-geth113.sh)"
[[ $("$GETH" version) == *1.13.15-stable* ]] || die "$GETH is not geth 1.13.15"

# Keys and genesis: signers A and B; C joins by vote. A few funded test accounts.
echo interop >"$RUN/password"
declare -A ADDR
for s in A B C; do
	read -r _ addr key < <("$BIN/citybench" keys --count 1 --seed "$SEED-signer-$s")
	echo "$key" >"$RUN/$s.key"
	ADDR[$s]=$addr
done
"$BIN/citybench" genesis --accounts 4 --seed "$SEED" --signer "${ADDR[A]}" --signer "${ADDR[B]}" \
	--period 1 --epoch "$EPOCH" --gaslimit 30000000 --chainid "$CHAIN_ID" --out "$RUN/genesis.json"
log "signers A=${ADDR[A]} B=${ADDR[B]} C=${ADDR[C]}; epoch $EPOCH; run dir $RUN"

# start_geth NAME KEY MINE P2P HTTP: a geth 1.13 node on 127.0.0.1; MINE=1 seals with KEY.
start_geth() {
	local name=$1 key=$2 mine=$3 p2p=$4 http=$5 dir=$RUN/$1
	mkdir -p "$dir"
	if [[ ! -d $dir/data/geth/chaindata ]]; then
		"$GETH" init --datadir "$dir/data" "$RUN/genesis.json" >"$dir/init.log" 2>&1 || die "geth init $name failed: $dir/init.log"
	fi
	local args=(--datadir "$dir/data" --networkid "$CHAIN_ID" --port "$p2p" --nodiscover --nat none --ipcdisable
		--authrpc.port "$(free_port)" --http --http.addr 127.0.0.1 --http.port "$http"
		--http.api eth,net,web3,txpool,clique,admin --syncmode full --verbosity "$VERBOSITY")
	if [[ $mine == 1 ]]; then
		"$GETH" account import --datadir "$dir/data" --password "$RUN/password" "$RUN/$key.key" >>"$dir/init.log" 2>&1 || true
		args+=(--mine --miner.etherbase "${ADDR[$key]}" --unlock "${ADDR[$key]}" --password "$RUN/password" --allow-insecure-unlock)
	fi
	"$GETH" "${args[@]}" >>"$dir/node.log" 2>&1 &
	PIDS+=($!)
	wait_for "geth $name to answer" 60 answers "http://127.0.0.1:$http"
}

# start_citynode NAME MODE P2P HTTP [KEY]: a citynode on 127.0.0.1, sealing with KEY if given.
start_citynode() {
	local name=$1 mode=$2 p2p=$3 http=$4 key=${5:-} dir=$RUN/$1
	local args=(--datadir "$dir/data" --mode "$mode" --http --http.addr 127.0.0.1 --http.port "$http"
		--http.api eth,net,web3,txpool,clique,admin --port "$p2p" --p2p.addr 127.0.0.1 --nodiscover --verbosity "$VERBOSITY"
		--authrpc=false) # admin_addPeer on --http as geth's; no votes through citynode here (ADR 062)
	if [[ -n $key ]]; then
		args+=(--signer "${ADDR[$key]}" --password "$RUN/password")
	fi
	"$BIN/citynode" "${args[@]}" >>"$dir/node.log" 2>&1 &
	PIDS+=($!)
	wait_for "citynode $name to answer" 60 answers "http://127.0.0.1:$http"
}

# peer URL...: every node adds every other one as a peer.
peer() {
	local url e enodes=()
	for url in "$@"; do
		e=$(rpc "$url" admin_nodeInfo '[]' | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["enode"])')
		enodes+=("$e")
	done
	for url in "$@"; do
		for e in "${enodes[@]}"; do rpc "$url" admin_addPeer "[\"$e\"]" >/dev/null; done
	done
}

# head_of URL: "number hash root" of the head.
head_of() {
	rpc "$1" eth_getBlockByNumber '["latest",false]' |
		"$PY" -c 'import json,sys; b=json.load(sys.stdin); print(int(b["number"],16), b["hash"], b["stateRoot"])'
}

transfers() { # URL COUNT: COUNT transfers among the test accounts, all mined
	"$BIN/citybench" --verbosity 2 transfers --rpc "$1" --accounts 4 --seed "$SEED" --txs "$2" --batch 10 \
		--workers 1 --timeout 2m --stall 30s --progress 1h --label interop >"$RUN/transfers-$2-$(date +%s%N).txt"
}

###########################################################################################
log "step 1: geth 1.13.15 network"
P=(); H=()
for i in 1 2 3; do P[i]=$(free_port); H[i]=$(free_port); done
start_geth g1 A 1 "${P[1]}" "${H[1]}"
start_geth g2 B 1 "${P[2]}" "${H[2]}"
start_geth g3 C 1 "${P[3]}" "${H[3]}"
G1=http://127.0.0.1:${H[1]} G2=http://127.0.0.1:${H[2]} G3=http://127.0.0.1:${H[3]}
peer "$G1" "$G2" "$G3"
wait_for "geth to seal block 2" 60 head_at_least "$G1" 2

log "votes: A and B propose to add C"
rpc "$G1" clique_propose "[\"${ADDR[C]}\",true]" >/dev/null
rpc "$G2" clique_propose "[\"${ADDR[C]}\",true]" >/dev/null
wait_for "C to become a signer" 120 has_signer "$G1" "${ADDR[C]}"
ADDED_AT=$(head_number "$G1")
log "C is a signer (head $ADDED_AT); transfers"
transfers "$G1" 30

log "votes: A and C propose to drop B"
rpc "$G1" clique_propose "[\"${ADDR[B]}\",false]" >/dev/null
rpc "$G3" clique_propose "[\"${ADDR[B]}\",false]" >/dev/null
wait_for "B to be dropped" 120 lacks_signer "$G1" "${ADDR[B]}"
DROPPED_AT=$(head_number "$G1")
TARGET=$(((DROPPED_AT / EPOCH + 2) * EPOCH + 2))
log "B dropped (head $DROPPED_AT); transfers, then the chain runs to block $TARGET (two more checkpoints)"
transfers "$G1" 20
wait_for "block $TARGET" 120 head_at_least "$G1" "$TARGET"
stop_all

# geth's head, read back from node A alone (not sealing), then the export.
start_geth g1 A 0 "${P[1]}" "${H[1]}"
read -r GETH_NUM GETH_HASH GETH_ROOT < <(head_of "$G1")
GETH_GENESIS=$(block_field "$G1" 0 hash)
GETH_SIGNERS=$(signers "$G1")
stop_all
"$GETH" export --datadir "$RUN/g1/data" "$RUN/geth-chain.rlp.gz" >"$RUN/g1/export.log" 2>&1 || die "geth export failed: $RUN/g1/export.log"
log "geth head $GETH_NUM $GETH_HASH root $GETH_ROOT; signers $GETH_SIGNERS; export $(du -h "$RUN/geth-chain.rlp.gz" | cut -f1)"
if [[ $GETH_NUM -ge $TARGET ]] && [[ " $GETH_SIGNERS " == *" $(lower "${ADDR[C]}") "* ]] && [[ " $GETH_SIGNERS " != *" $(lower "${ADDR[B]}") "* ]]; then
	pass "1 geth 1.13.15 network: C added at ~$ADDED_AT, B dropped at ~$DROPPED_AT, head $GETH_NUM, exported"
else
	fail "1 geth 1.13.15 network: head $GETH_NUM (want >= $TARGET), signers $GETH_SIGNERS"
fi
if [[ -n ${INTEROP_OUT:-} ]]; then
	mkdir -p "$INTEROP_OUT"
	cp "$RUN/geth-chain.rlp.gz" "$INTEROP_OUT/geth113-clique.rlp.gz"
	cp "$RUN/genesis.json" "$INTEROP_OUT/geth113-clique.genesis.json"
	printf '%s %s %s\n' "$GETH_NUM" "$GETH_HASH" "$GETH_ROOT" >"$INTEROP_OUT/geth113-clique.head"
	log "copied the export, genesis and head to $INTEROP_OUT"
fi

###########################################################################################
log "step 2: citynode imports geth's export"
mkdir -p "$RUN/c1" "$RUN/c2"
OK=1
for c in c1 c2; do
	out=$("$BIN/citynode" init --datadir "$RUN/$c/data" "$RUN/genesis.json" 2>>"$RUN/$c/init.log")
	[[ $(lower "$out") == *"$(lower "$GETH_GENESIS")"* ]] || { log "genesis differs: citynode '$out', geth $GETH_GENESIS"; OK=0; }
	"$BIN/citynode" import --datadir "$RUN/$c/data" "$RUN/geth-chain.rlp.gz" >"$RUN/$c/import.log" 2>&1 ||
		{ log "citynode import failed: $(tail -n 3 "$RUN/$c/import.log")"; OK=0; }
done
grep '^Imported' "$RUN/c1/import.log" >&2 || true
CP1=$(free_port) CH1=$(free_port) CP2=$(free_port) CH2=$(free_port)
C1=http://127.0.0.1:$CH1 C2=http://127.0.0.1:$CH2
start_citynode c1 rpc "$CP1" "$CH1"
read -r CITY_NUM CITY_HASH CITY_ROOT < <(head_of "$C1")
CITY_SIGNERS=$(signers "$C1")
AUDIT_OK=1
"$BIN/cityctl" audit signers --rpc "$C1" --genesis "$RUN/genesis.json" >"$RUN/audit-signers.txt" 2>&1 || AUDIT_OK=0
stop_all
log "citynode head $CITY_NUM $CITY_HASH root $CITY_ROOT; signers $CITY_SIGNERS"
sed -n '1,40p' "$RUN/audit-signers.txt" >&2
if [[ $OK == 1 && $CITY_HASH == "$GETH_HASH" && $CITY_ROOT == "$GETH_ROOT" && $CITY_SIGNERS == "$GETH_SIGNERS" && $AUDIT_OK == 1 ]]; then
	pass "2 citynode import of geth's chain: head $CITY_NUM $CITY_HASH, state root and signers equal geth's; audit signers found no violation"
else
	fail "2 citynode import: head $CITY_NUM $CITY_HASH root $CITY_ROOT signers $CITY_SIGNERS (geth: $GETH_HASH $GETH_ROOT $GETH_SIGNERS), audit ok=$AUDIT_OK ($RUN/audit-signers.txt)"
fi

###########################################################################################
log "step 3: citynode signers A and C continue the chain"
for s in "c1 A" "c2 C"; do
	read -r c k <<<"$s"
	"$BIN/citynode" account import --datadir "$RUN/$c/data" --password "$RUN/password" "$RUN/$k.key" >>"$RUN/$c/init.log" 2>&1 ||
		die "citynode account import failed: $RUN/$c/init.log"
done
start_citynode c1 signer "$CP1" "$CH1" A
start_citynode c2 signer "$CP2" "$CH2" C
peer "$C1" "$C2"
wait_for "citynode to seal past geth's head" 60 head_at_least "$C1" $((CITY_NUM + 2))
transfers "$C1" 20
rpc "$C1" clique_propose "[\"${ADDR[B]}\",true]" >/dev/null
rpc "$C2" clique_propose "[\"${ADDR[B]}\",true]" >/dev/null
wait_for "B to be voted back in" 120 has_signer "$C1" "${ADDR[B]}"
READDED_AT=$(head_number "$C1")
TARGET2=$(((READDED_AT / EPOCH + 1) * EPOCH + 2))
wait_for "block $TARGET2" 120 head_at_least "$C1" "$TARGET2"
read -r END1 HASH1 _ < <(head_of "$C1")
SIGNERS3=$(signers "$C1")
stop_all
if [[ " $SIGNERS3 " == *" $(lower "${ADDR[B]}") "* ]] && ((END1 >= TARGET2)); then
	pass "3 citynode signers A and C sealed blocks $((CITY_NUM + 1))..$END1 on geth's chain, voted B back in at ~$READDED_AT"
else
	fail "3 citynode signers: head $END1 (want >= $TARGET2), signers $SIGNERS3 (want B back)"
fi

###########################################################################################
log "step 4: geth 1.13.15 imports citynode's export"
"$BIN/citynode" export --datadir "$RUN/c1/data" "$RUN/citynode-chain.rlp.gz" >"$RUN/c1/export.log" 2>&1 ||
	die "citynode export failed: $RUN/c1/export.log"
start_citynode c1 rpc "$CP1" "$CH1"
read -r OUR_NUM OUR_HASH OUR_ROOT < <(head_of "$C1")
OUR_SIGNERS=$(signers "$C1")
stop_all
mkdir -p "$RUN/g4"
"$GETH" init --datadir "$RUN/g4/data" "$RUN/genesis.json" >"$RUN/g4/init.log" 2>&1 || die "geth init failed: $RUN/g4/init.log"
IMPORT_OK=1
"$GETH" import --datadir "$RUN/g4/data" "$RUN/citynode-chain.rlp.gz" >"$RUN/g4/import.log" 2>&1 || IMPORT_OK=0
H4=$(free_port)
G4=http://127.0.0.1:$H4
start_geth g4 A 0 "$(free_port)" "$H4"
read -r G4_NUM G4_HASH G4_ROOT < <(head_of "$G4")
G4_SIGNERS=$(signers "$G4")
stop_all
log "citynode head $OUR_NUM $OUR_HASH root $OUR_ROOT; geth after import $G4_NUM $G4_HASH root $G4_ROOT; signers $G4_SIGNERS"
if [[ $IMPORT_OK == 1 && $G4_HASH == "$OUR_HASH" && $G4_ROOT == "$OUR_ROOT" && $G4_SIGNERS == "$OUR_SIGNERS" ]]; then
	pass "4 geth 1.13.15 import of citynode's chain: head $G4_NUM $G4_HASH, state root and signers equal citynode's"
else
	fail "4 geth import: import ok=$IMPORT_OK, head $G4_NUM $G4_HASH root $G4_ROOT signers $G4_SIGNERS, citynode $OUR_NUM $OUR_HASH $OUR_ROOT $OUR_SIGNERS ($RUN/g4/import.log)"
fi

###########################################################################################
log "step 5: can citynode and geth 1.13.15 peer?"
VERBOSITY=4 # debug: both log why a peer is dropped
start_geth g4 A 0 "$(free_port)" "$H4"
start_citynode c1 rpc "$CP1" "$CH1"
peer "$G4" "$C1"
peers() { rpc "$1" admin_peers '[]' | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
MAXG=0 MAXC=0
for _ in $(seq 1 20); do # 10 s: a dial and handshake on loopback take milliseconds
	g=$(peers "$G4") c=$(peers "$C1")
	((g > MAXG)) && MAXG=$g
	((c > MAXC)) && MAXC=$c
	sleep 0.5
done
FINALG=$(peers "$G4") FINALC=$(peers "$C1")
stop_all
REASON=$(grep -hi 'p2p peer\|useless\|handshake' "$RUN/c1/node.log" "$RUN/g4/node.log" | grep -o 'err="\?[^"]*"\?' | sort | uniq -c | sort -rn | head -3 | tr -s ' \n' ' ' || true)
if [[ $FINALG == 0 && $FINALC == 0 ]]; then
	pass "5 peering as documented: citynode and geth 1.13.15 do not stay connected (peers seen at most: geth $MAXG, citynode $MAXC; log: ${REASON:-none})"
else
	fail "5 peering: citynode and geth 1.13.15 stay connected ($FINALG/$FINALC peers): docs/migration.md says they cannot"
fi

echo
echo "geth 1.13.15 interop ($RUN):"
printf '%s\n' "${RESULTS[@]}"
for r in "${RESULTS[@]}"; do [[ $r == PASS* ]] || exit 1; done
