# scripts/lib.sh: the helpers the bench and interop scripts share. A script
# names itself for the log, then sources this file:
#
#	LOG_NAME=bench-ballots
#	. "$(dirname "$0")/lib.sh"

# log MESSAGE...: a timestamped line on standard error.
log() { printf '%s %s: %s\n' "$(date +%H:%M:%S)" "${LOG_NAME:-${0##*/}}" "$*" >&2; }

# die MESSAGE...: log, then exit 1 (the EXIT trap, if any, cleans up).
die() {
	log "$*"
	exit 1
}

# on_exit FUNCTION: run FUNCTION when the script exits, keeping its exit
# status, and remove free_port's file; SIGINT and SIGTERM exit with 130
# (running FUNCTION too).
on_exit() {
	trap "__rc=\$?; $1; rm -f \"\$FREE_PORTS_HANDED\"; exit \$__rc" EXIT
	trap 'exit 130' INT TERM
}

# free_port [LOW [SPAN]]: prints a TCP port on 127.0.0.1 that nothing listens
# on, drawn from LOW..LOW+SPAN-1 (default 20000..32767: below Linux's
# ephemeral range, 32768..60999 by default, so the kernel does not hand the
# port to another process's connection or bind(0) before the node binds it;
# the bench runs lost nodes to "address already in use" when it did), and
# not printed before by this script: nothing listens on a port between the
# pick and the node's start, so two picks in a row could name the same port
# (bench.sh's geth took its HTTP and authrpc ports both 26058 on
# 2026-12-06). Each call runs in a $(...) subshell, which cannot set the
# script's variables, so the ports handed out are kept in a file; SRANDOM
# (getrandom), not RANDOM, whose subshell reseeds from the time and PID can
# repeat.
FREE_PORTS_HANDED=${FREE_PORTS_HANDED:-$(mktemp "${TMPDIR:-/tmp}/free-ports.XXXXXX")}
free_port() {
	local low=${1:-20000} span=${2:-12768} p
	for _ in $(seq 1 200); do
		p=$((low + SRANDOM % span))
		grep -qx "$p" "$FREE_PORTS_HANDED" 2>/dev/null && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p" >>"$FREE_PORTS_HANDED"
			echo "$p"
			return
		fi
	done
	die "no free port found in $low..$((low + span - 1))"
}

# stop_pid PID [SECONDS]: interrupt a process we started, wait up to SECONDS
# (default 30) for it to exit, then kill it; reaps it. A missing PID is fine.
stop_pid() {
	local pid=$1 secs=${2:-30}
	[[ -n $pid ]] || return 0
	kill -0 "$pid" 2>/dev/null || {
		wait "$pid" 2>/dev/null || true
		return 0
	}
	kill -INT "$pid" 2>/dev/null || true
	for _ in $(seq 1 $((secs * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "process $pid did not stop in $secs s, killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

# init_datadir BIN DIR GENESIS KEYFILE PASSWORDFILE: initialise DIR/data with
# GENESIS and import the signer key KEYFILE, with citynode or geth (both take
# the same commands); the output goes to DIR/init.log.
init_datadir() {
	local bin=$1 dir=$2 genesis=$3 key=$4 password=$5 name=${1##*/}
	mkdir -p "$dir"
	"$bin" init --datadir "$dir/data" "$genesis" >"$dir/init.log" 2>&1 ||
		die "$name init failed: see $dir/init.log"
	"$bin" account import --datadir "$dir/data" --password "$password" "$key" >>"$dir/init.log" 2>&1 ||
		die "$name account import failed: see $dir/init.log"
}

# start_citynode DIR ARGS...: starts "$BIN/citynode" --datadir DIR/data ARGS in
# the background, its output in DIR/node.log, and sets NODE_PID.
start_citynode() {
	local dir=$1
	shift
	"$BIN/citynode" --datadir "$dir/data" "$@" >"$dir/node.log" 2>&1 &
	NODE_PID=$!
}

# cpu_s PID: user+system CPU seconds of a running process.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# hwm_mib PID: peak resident memory (VmHWM) of a running process, MiB.
hwm_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# bench_chain RUN TXS ACCOUNTS GASLIMIT CHAINID [CHUNK]: a chain for the import and
# sync benchmarks. A citynode signer (period 1) started on RUN/genesis.json (made
# here with ACCOUNTS funded test accounts) mines TXS transfers pushed by citybench
# in rounds of at most CHUNK (default 1,000,000: citybench pre-signs a round in
# memory); the chain is then written to RUN/chain.rlp with `citynode export`.
# Sets BLOCKS to the head's number. Needs BIN (citynode, citybench) and the
# pool flags in POOL_FLAGS; the signer's files are in RUN/src.
bench_chain() {
	local run=$1 txs=$2 accounts=$3 gaslimit=$4 chainid=$5 chunk=${6:-1000000}
	local src=$run/src signer http left round=0 pid
	mkdir -p "$src"
	"$BIN/citybench" keys --count 1 --seed bench-signer --format key >"$src/signer.key"
	signer=$("$BIN/citybench" keys --count 1 --seed bench-signer --format address)
	echo bench >"$src/password"
	"$BIN/citybench" genesis --accounts "$accounts" --seed citybench --signer-key "$src/signer.key" \
		--period 1 --gaslimit "$gaslimit" --chainid "$chainid" --out "$run/genesis.json"
	init_datadir "$BIN/citynode" "$src" "$run/genesis.json" "$src/signer.key" "$src/password"
	http=$(free_port)
	start_citynode "$src" --signer "$signer" --password "$src/password" --http --http.addr 127.0.0.1 \
		--http.port "$http" --port "$(free_port)" --authrpc.port "$(free_port)" --nodiscover --miner.gaslimit "$gaslimit" "${POOL_FLAGS[@]}" --verbosity 2
	pid=$NODE_PID
	"$BIN/citybench" --verbosity 2 wait --rpc "http://127.0.0.1:$http" --block 1 --timeout 90s ||
		die "the signer did not start: $src/node.log"
	for ((left = txs; left > 0; left -= chunk)); do
		round=$((round + 1))
		log "chain: round $round, $((left < chunk ? left : chunk)) of the $left transfers left (load average $(cut -d' ' -f1-3 /proc/loadavg))"
		"$BIN/citybench" --verbosity 2 transfers --rpc "http://127.0.0.1:$http" --label "source-$round" --accounts "$accounts" \
			--seed citybench --txs "$((left < chunk ? left : chunk))" --batch 500 --workers 4 --timeout 30m --progress 1h \
			--report "$src/report-$round.json" >"$src/report-$round.txt" ||
			die "the source chain lost transactions: $src/report-$round.txt"
	done
	stop_pid "$pid" 60
	NODE_PID=""
	"$BIN/citynode" export --datadir "$src/data" "$run/chain.rlp" >"$src/export.log" 2>&1 || die "export failed: $src/export.log"
	BLOCKS=$(grep -o 'Exported blocks 0\.\.[0-9]*' "$src/export.log" | grep -o '[0-9]*$')
	log "chain: blocks 0..$BLOCKS, $(($(stat -c %s "$run/chain.rlp") / 1048576)) MiB"
}
