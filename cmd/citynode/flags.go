package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/node"
)

// Flag categories, as shown by --help.
const (
	catNode    = "NODE"
	catRPC     = "JSON-RPC"
	catP2P     = "P2P"
	catSealer  = "SEALING"
	catPool    = "TRANSACTION POOL"
	catLog     = "LOGGING"
	catMetrics = "METRICS"
)

var defaults = node.Defaults()

// env derives the environment variable of a flag: --http.port -> CITYNODE_HTTP_PORT.
func env(name string) []string {
	return []string{"CITYNODE_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(name))}
}

var (
	configFlag     = &cli.StringFlag{Name: "config", Usage: "TOML configuration file (see `citynode dumpconfig`)", Category: catNode, EnvVars: env("config")}
	dataDirFlag    = &cli.StringFlag{Name: "datadir", Usage: "data directory for the chain, keys and node key", Value: defaults.DataDir, Category: catNode, EnvVars: env("datadir")}
	modeFlag       = &cli.StringFlag{Name: "mode", Usage: "node mode: signer (seals with --signer; refuses to start without it), rpc (never seals) or auditor (read-only archive; `init --mode auditor` makes its data dir)", Value: defaults.Mode, Category: catNode, EnvVars: env("mode")}
	dbEngineFlag   = &cli.StringFlag{Name: "db.engine", Usage: "chain database engine: pebble or leveldb", Value: defaults.DBEngine, Category: catNode, EnvVars: env("db.engine")}
	syncModeFlag   = &cli.StringFlag{Name: "syncmode", Usage: "how a fresh node gets the chain: snap (headers verified from genesis, state at a recent block from peers, checked against its header), full (every block executed) or auto (the default: snap on an rpc node, full elsewhere); an auditor always syncs full; a chain of at most 128 blocks is executed block by block whatever the mode (ADR 076)", Value: defaults.SyncMode, Category: catNode, EnvVars: env("syncmode")}
	syncPivotFlag  = &cli.StringFlag{Name: "sync.pivot", Usage: "where a snap-syncing rpc node takes the state when it joins: finalized (the default: the join driver, headers checked by our engine, the state at the newest finalized block, the few blocks above it executed, history below it backfilled after serving, calls that need it answered with an error until then; ADR 084) or head-64 (the fallback: go-ethereum's downloader, 64 blocks below the peer's head, those executed, all history stored before serving); a node that does not snap-sync ignores it", Value: defaults.SyncPivot, Category: catNode, EnvVars: env("sync.pivot")}
	minFreeFlag    = &cli.Uint64Flag{Name: "datadir.minfreedisk", Usage: "MiB the data dir's file system must keep free: below it the node does not start, and stops cleanly (exit 1) if running, before its databases fail on a full disk (0: off; ADR 074)", Value: defaults.MinFreeDisk, Category: catNode, EnvVars: env("datadir.minfreedisk")}
	noPrefetchFlag = &cli.BoolFlag{Name: "cache.noprefetch", Usage: "do not execute imported blocks a second time to warm the state caches (geth's prefetcher)", Category: catNode, EnvVars: env("cache.noprefetch")}
	stateHistFlag  = &cli.Uint64Flag{Name: "history.state", Usage: "state-changing blocks whose state history is kept (geth's flag); it bounds a restart after a crash: the state on disk is at most 128 + this many such blocks behind the head, and those are executed again at start (0: the whole chain, bounded only by the 64 MiB state buffer; ADR 088)", Value: defaults.StateHistory, Category: catNode, EnvVars: env("history.state")}
	cacheFlag      = &cli.IntFlag{Name: "cache", Usage: "MiB of memory for the chain database and state caches (half to the database)", Value: defaults.Cache, Category: catNode, EnvVars: env("cache")}

	rpcGasCapFlag     = &cli.Uint64Flag{Name: "rpc.gascap", Usage: "gas an eth_call or eth_estimateGas may use (0: no cap)", Value: defaults.RPC.GasCap, Category: catRPC, EnvVars: env("rpc.gascap")}
	rpcEVMTimeoutFlag = &cli.DurationFlag{Name: "rpc.evmtimeout", Usage: "time an eth_call may run (0: no limit)", Value: defaults.RPC.EVMTimeout, Category: catRPC, EnvVars: env("rpc.evmtimeout")}
	rpcLogRangeFlag   = &cli.Uint64Flag{Name: "rpc.logrange", Usage: "blocks one eth_getLogs call may span (0: no limit; clients page, ADR 058)", Value: defaults.RPC.LogRangeLimit, Category: catRPC, EnvVars: env("rpc.logrange")}
	rpcLogIndexFlag   = &cli.StringFlag{Name: "rpc.logindex", Usage: "go-ethereum's log search index: auto (off on a sealing signer, on elsewhere), on or off (ADR 059)", Value: defaults.RPC.LogIndex, Category: catRPC, EnvVars: env("rpc.logindex")}
	rpcBatchLimitFlag = &cli.IntFlag{Name: "rpc.batch-request-limit", Usage: "requests in one JSON-RPC batch", Value: defaults.RPC.BatchRequestLimit, Category: catRPC, EnvVars: env("rpc.batch-request-limit")}
	rpcBatchSizeFlag  = &cli.IntFlag{Name: "rpc.batch-response-max-size", Usage: "bytes of one JSON-RPC batch's answers", Value: defaults.RPC.BatchResponseMaxSize, Category: catRPC, EnvVars: env("rpc.batch-response-max-size")}
	natFlag           = &cli.StringFlag{Name: "nat", Usage: "address announced to peers: none, or extip:IP behind a port forward (also any, upnp, pmp)", Value: defaults.P2P.NAT, Category: catP2P, EnvVars: env("nat")}
	bootnodesFlag     = &cli.StringFlag{Name: "bootnodes", Usage: "comma-separated enode URLs of discovery bootnodes (discovery runs only with bootnodes)", Category: catP2P, EnvVars: env("bootnodes")}

	httpFlag         = &cli.BoolFlag{Name: "http", Usage: "serve JSON-RPC over HTTP", Category: catRPC, EnvVars: env("http")}
	httpAddrFlag     = &cli.StringFlag{Name: "http.addr", Usage: "JSON-RPC listen address (loopback unless you mean it)", Value: defaults.HTTP.Addr, Category: catRPC, EnvVars: env("http.addr")}
	httpPortFlag     = &cli.IntFlag{Name: "http.port", Usage: "JSON-RPC listen port", Value: defaults.HTTP.Port, Category: catRPC, EnvVars: env("http.port")}
	httpAPIFlag      = &cli.StringFlag{Name: "http.api", Usage: "JSON-RPC namespaces served (admin, debug, miner are off unless listed)", Value: strings.Join(defaults.HTTP.APIs, ","), Category: catRPC, EnvVars: env("http.api")}
	httpCORSFlag     = &cli.StringFlag{Name: "http.corsdomain", Usage: "comma-separated origins allowed to call JSON-RPC from a browser", Category: catRPC, EnvVars: env("http.corsdomain")}
	httpVHostsFlag   = &cli.StringFlag{Name: "http.vhosts", Usage: "comma-separated virtual host names accepted (* for any)", Value: strings.Join(defaults.HTTP.VHosts, ","), Category: catRPC, EnvVars: env("http.vhosts")}
	httpAllowFlag    = &cli.StringFlag{Name: "http.rpc-allow", Usage: "comma-separated methods (eth_call) or namespaces (eth_*) served on --http and --ws: nothing else is (default: every method of --http.api)", Category: catRPC, EnvVars: env("http.rpc-allow")}
	httpDenyFlag     = &cli.StringFlag{Name: "http.rpc-deny", Usage: "comma-separated methods (eth_sendRawTransaction) or namespaces (txpool_*) never served on --http and --ws; wins over --http.rpc-allow", Category: catRPC, EnvVars: env("http.rpc-deny")}
	httpTLSCertFlag  = &cli.StringFlag{Name: "http.tls.cert", Usage: "PEM certificate (chain) file: serve --http and --ws over TLS (https, wss; with --http.tls.key)", Category: catRPC, EnvVars: env("http.tls.cert")}
	httpTLSKeyFlag   = &cli.StringFlag{Name: "http.tls.key", Usage: "PEM private key file of --http.tls.cert", Category: catRPC, EnvVars: env("http.tls.key")}
	wsFlag           = &cli.BoolFlag{Name: "ws", Usage: "also serve JSON-RPC over WebSocket on the HTTP port", Category: catRPC, EnvVars: env("ws")}
	p2pPortFlag      = &cli.IntFlag{Name: "port", Usage: "devp2p listen port", Value: defaults.P2P.Port, Category: catP2P, EnvVars: env("port")}
	p2pAddrFlag      = &cli.StringFlag{Name: "p2p.addr", Usage: "devp2p listen address: the interface consortium peers reach", Value: defaults.P2P.Addr, Category: catP2P, EnvVars: env("p2p.addr")}
	maxPeersFlag     = &cli.IntFlag{Name: "maxpeers", Usage: "maximum number of peers", Value: defaults.P2P.MaxPeers, Category: catP2P, EnvVars: env("maxpeers")}
	allowlistFlag    = &cli.StringFlag{Name: "p2p.allowlist", Usage: "file of node IDs or enode URLs allowed to peer (reload: SIGHUP or admin_reloadAllowlist)", Category: catP2P, EnvVars: env("p2p.allowlist")}
	noDiscoverFlag   = &cli.BoolFlag{Name: "nodiscover", Usage: "disable peer discovery (peers only from static/trusted lists)", Category: catP2P, EnvVars: env("nodiscover")}
	staticNodesFlag  = &cli.StringFlag{Name: "staticnodes", Usage: "comma-separated enode URLs to stay connected to", Category: catP2P, EnvVars: env("staticnodes")}
	signerFlag       = &cli.StringFlag{Name: "signer", Usage: "account that seals blocks (its key must be in the keystore)", Category: catSealer, EnvVars: env("signer")}
	passwordFlag     = &cli.StringFlag{Name: "password", Usage: "file holding the signer's keystore password", Category: catSealer, EnvVars: env("password")}
	signerExtFlag    = &cli.StringFlag{Name: "signer.external", Usage: "URL of a clef-compatible external signer holding the --signer key (account_signData, application/x-clique-header); no keystore or --password then", Category: catSealer, EnvVars: env("signer.external")}
	gasLimitFlag     = &cli.Uint64Flag{Name: "miner.gaslimit", Usage: "target gas limit of sealed blocks", Value: defaults.Miner.GasLimit, Category: catSealer, EnvVars: env("miner.gaslimit")}
	extraFlag        = &cli.StringFlag{Name: "miner.extradata", Usage: "vanity text in sealed blocks (at most 32 bytes)", Category: catSealer, EnvVars: env("miner.extradata")}
	globalSlotsFlag  = &cli.Uint64Flag{Name: "txpool.globalslots", Usage: "executable transactions the pool holds", Value: defaults.TxPool.GlobalSlots, Category: catPool, EnvVars: env("txpool.globalslots")}
	accountSlotsFlag = &cli.Uint64Flag{Name: "txpool.accountslots", Usage: "executable transactions guaranteed per account", Value: defaults.TxPool.AccountSlots, Category: catPool, EnvVars: env("txpool.accountslots")}
	globalQueueFlag  = &cli.Uint64Flag{Name: "txpool.globalqueue", Usage: "non-executable transactions the pool holds", Value: defaults.TxPool.GlobalQueue, Category: catPool, EnvVars: env("txpool.globalqueue")}
	accountQueueFlag = &cli.Uint64Flag{Name: "txpool.accountqueue", Usage: "non-executable transactions per account", Value: defaults.TxPool.AccountQueue, Category: catPool, EnvVars: env("txpool.accountqueue")}
	gossipBatchFlag  = &cli.BoolFlag{Name: "txpool.gossipbatch", Usage: "put transactions peers gossip into the pool before geth's eth handler, senders recovered on every core in one batch (ADR 099; helps only when the node's cores are saturated)", Category: catPool, EnvVars: env("txpool.gossipbatch")}
	batchHoldFlag    = &cli.DurationFlag{Name: "txpool.batchhold", Usage: "longest a JSON-RPC batch of eth_sendRawTransaction is held while the pool holds over 1.5 blocks (0: never held)", Value: defaults.TxPool.BatchHold, Category: catPool, EnvVars: env("txpool.batchhold")}
	priceLimitFlag   = &cli.Uint64Flag{Name: "txpool.pricelimit", Usage: "lowest priority fee (wei) accepted into the pool", Value: defaults.TxPool.PriceLimit, Category: catPool, EnvVars: env("txpool.pricelimit")}

	permAccountsFlag = &cli.StringFlag{Name: "permissions.accounts", Usage: "who may send transactions: directory (roles in the on-chain Directory), file:PATH (the Directory plus a list of 0x addresses) or off", Value: defaults.Permissions.Accounts, Category: catPool, EnvVars: env("permissions.accounts")}

	authRPCFlag       = &cli.BoolFlag{Name: "authrpc", Usage: "in signer mode, serve the control plane (clique_propose, clique_discard, admin_*, miner_*) on its own JWT-authenticated listener; --authrpc=false: no control plane, the node takes no votes (they are never served on --http)", Value: true, Category: catRPC, EnvVars: env("authrpc")}
	authRPCAddrFlag   = &cli.StringFlag{Name: "authrpc.addr", Usage: "control plane listen address", Value: defaults.AuthRPC.Addr, Category: catRPC, EnvVars: env("authrpc.addr")}
	authRPCPortFlag   = &cli.IntFlag{Name: "authrpc.port", Usage: "control plane listen port", Value: defaults.AuthRPC.Port, Category: catRPC, EnvVars: env("authrpc.port")}
	authRPCSecretFlag = &cli.StringFlag{Name: "authrpc.jwtsecret", Usage: "file with the control plane's 32-byte hex JWT secret (made, mode 0600, if missing; default <datadir>/citynode/jwtsecret)", Category: catRPC, EnvVars: env("authrpc.jwtsecret")}

	// Fault injection for the fault suite (ADR 073): hidden from --help,
	// refused outside dev mode without --fault.allow.
	faultClockFlag = &cli.DurationFlag{Name: "fault.clock-offset", Usage: "FAULT INJECTION for tests: shift the clock Clique and the sealer read by this duration (e.g. -10s); refused outside dev mode without --fault.allow (ADR 073)", Hidden: true, EnvVars: env("fault.clock-offset")}
	faultAllowFlag = &cli.BoolFlag{Name: "fault.allow", Usage: "accept a fault injection outside dev mode: only on a network you are testing", Hidden: true, EnvVars: env("fault.allow")}

	metricsFlag     = &cli.BoolFlag{Name: "metrics", Usage: "serve Prometheus metrics on /metrics (see docs/operations.md)", Category: catMetrics, EnvVars: env("metrics")}
	metricsAddrFlag = &cli.StringFlag{Name: "metrics.addr", Usage: "metrics listen address (loopback unless you mean it)", Value: defaults.Metrics.Addr, Category: catMetrics, EnvVars: env("metrics.addr")}
	metricsPortFlag = &cli.IntFlag{Name: "metrics.port", Usage: "metrics listen port", Value: defaults.Metrics.Port, Category: catMetrics, EnvVars: env("metrics.port")}
	metricsGethFlag = &cli.BoolFlag{Name: "metrics.geth", Usage: "also collect go-ethereum's own metrics and serve them on /debug/metrics/geth (costs some CPU)", Category: catMetrics, EnvVars: env("metrics.geth")}

	pprofFlag      = &cli.BoolFlag{Name: "pprof", Usage: "serve Go profiling (net/http/pprof) for diagnosis", Category: catLog, EnvVars: env("pprof")}
	pprofAddrFlag  = &cli.StringFlag{Name: "pprof.addr", Usage: "profiling listen address (host:port)", Value: pprofDefaults.Addr, Category: catLog, EnvVars: env("pprof.addr")}
	pprofBlockFlag = &cli.IntFlag{Name: "pprof.blockprofilerate", Usage: "with --pprof: turn on block profiling (/debug/pprof/block) with the given rate, one event sampled per this many nanoseconds blocked (1: every one; as geth's)", Category: catLog, EnvVars: env("pprof.blockprofilerate")}
	pprofMutexFlag = &cli.IntFlag{Name: "pprof.mutexprofilefraction", Usage: "with --pprof: turn on mutex profiling (/debug/pprof/mutex), one contended lock sampled in this many (1: every one)", Category: catLog, EnvVars: env("pprof.mutexprofilefraction")}
	verbosityFlag  = &cli.IntFlag{Name: "verbosity", Usage: "log level: 0 silent, 1 error, 2 warn, 3 info, 4 debug, 5 trace", Value: logDefaults.Verbosity, Category: catLog, EnvVars: env("verbosity")}
	logJSONFlag    = &cli.BoolFlag{Name: "log.json", Usage: "log as JSON lines", Category: catLog, EnvVars: env("log.json")}
	vmoduleFlag    = &cli.StringFlag{Name: "log.vmodule", Usage: "log level per source file or package, over --verbosity (e.g. gossip/*=4,sealer.go=5)", Category: catLog, EnvVars: env("log.vmodule")}
)

// nodeFlags are the flags of the run command and dumpconfig.
var nodeFlags = []cli.Flag{
	configFlag, dataDirFlag, modeFlag, dbEngineFlag, cacheFlag, noPrefetchFlag, stateHistFlag, syncModeFlag, syncPivotFlag, minFreeFlag,
	httpFlag, httpAddrFlag, httpPortFlag, httpAPIFlag, httpCORSFlag, httpVHostsFlag, wsFlag, httpAllowFlag, httpDenyFlag, httpTLSCertFlag, httpTLSKeyFlag,
	authRPCFlag, authRPCAddrFlag, authRPCPortFlag, authRPCSecretFlag,
	rpcGasCapFlag, rpcEVMTimeoutFlag, rpcBatchLimitFlag, rpcBatchSizeFlag, rpcLogRangeFlag, rpcLogIndexFlag,
	p2pPortFlag, p2pAddrFlag, maxPeersFlag, noDiscoverFlag, natFlag, bootnodesFlag, staticNodesFlag, allowlistFlag,
	signerFlag, passwordFlag, signerExtFlag, gasLimitFlag, extraFlag,
	globalSlotsFlag, accountSlotsFlag, globalQueueFlag, accountQueueFlag, priceLimitFlag, batchHoldFlag, gossipBatchFlag, permAccountsFlag,
	metricsFlag, metricsAddrFlag, metricsPortFlag, metricsGethFlag,
	faultClockFlag, faultAllowFlag,
}

// gethFlags are flags of geth that citynode does not take, each refused
// with what to use instead (an operator coming from geth types them).
var gethFlags = []cli.Flag{
	&cliutil.Foreign{Name: "networkid", Hint: "citynode's network id is the chain id of the genesis its data dir was initialised with (citynode init --datadir DIR genesis.json)"},
	&cliutil.Foreign{Name: "unlock", Hint: "a signer node names its key with --signer ADDRESS and --password FILE (the key in DATADIR/keystore) and seals with it"},
	&cliutil.Foreign{Name: "miner.etherbase", Hint: "a signer node names its key with --signer ADDRESS and --password FILE (the key in DATADIR/keystore) and seals with it"},
	&cliutil.Foreign{Name: "mine", Hint: "a node given --signer ADDRESS and --password FILE seals (--mode signer, the default)"},
	&cliutil.Foreign{Name: "allow-insecure-unlock", Hint: "--signer ADDRESS and --password FILE unlock the signer's key for sealing; no JSON-RPC method uses the keystore"},
	&cliutil.Foreign{Name: "ipcdisable", Hint: "citynode serves no IPC endpoint: leave it out"},
	&cliutil.Foreign{Name: "gcmode", Hint: "an archive node is --mode auditor, on a data dir made by citynode init --mode auditor"},
	&cliutil.Foreign{Name: "ws.port", Hint: "--ws serves WebSocket on the JSON-RPC port, --http.port"},
	&cliutil.Foreign{Name: "ws.addr", Hint: "--ws serves WebSocket on the JSON-RPC address, --http.addr"},
	&cliutil.Foreign{Name: "pprof.port", Hint: "--pprof.addr takes host:port (default 127.0.0.1:6060)"},
	&cliutil.Foreign{Name: "netrestrict", Hint: "--p2p.allowlist FILE lists the node IDs (enode URLs) allowed to peer"},
}

// logFlags apply to every command, before or after its name (withLogFlags).
var logFlags = []cli.Flag{verbosityFlag, vmoduleFlag, logJSONFlag, pprofFlag, pprofAddrFlag, pprofBlockFlag, pprofMutexFlag}
