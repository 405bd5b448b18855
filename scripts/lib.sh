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
# status; SIGINT and SIGTERM exit with 130 (running FUNCTION too).
on_exit() {
	trap "__rc=\$?; $1; exit \$__rc" EXIT
	trap 'exit 130' INT TERM
}

# free_port [LOW [SPAN]]: prints a TCP port on 127.0.0.1 that nothing listens
# on, drawn from LOW..LOW+SPAN-1 (default 20000..59999). The kernel may hand
# it out before the node binds it; nodes fail loudly if so.
free_port() {
	local low=${1:-20000} span=${2:-40000} p
	for _ in $(seq 1 200); do
		p=$((low + RANDOM % span))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
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
