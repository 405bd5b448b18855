package main

import (
	"strings"

	"github.com/urfave/cli/v2"

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
	configFlag   = &cli.StringFlag{Name: "config", Usage: "TOML configuration file (see `citynode dumpconfig`)", Category: catNode, EnvVars: env("config")}
	dataDirFlag  = &cli.StringFlag{Name: "datadir", Usage: "data directory for the chain, keys and node key", Value: defaults.DataDir, Category: catNode, EnvVars: env("datadir")}
	modeFlag     = &cli.StringFlag{Name: "mode", Usage: "node mode: signer (seals when --signer is set), rpc (never seals) or auditor (read-only archive; `init --mode auditor` makes its data dir)", Value: defaults.Mode, Category: catNode, EnvVars: env("mode")}
	dbEngineFlag = &cli.StringFlag{Name: "db.engine", Usage: "chain database engine: pebble or leveldb", Value: defaults.DBEngine, Category: catNode, EnvVars: env("db.engine")}

	httpFlag         = &cli.BoolFlag{Name: "http", Usage: "serve JSON-RPC over HTTP", Category: catRPC, EnvVars: env("http")}
	httpAddrFlag     = &cli.StringFlag{Name: "http.addr", Usage: "JSON-RPC listen address (loopback unless you mean it)", Value: defaults.HTTP.Addr, Category: catRPC, EnvVars: env("http.addr")}
	httpPortFlag     = &cli.IntFlag{Name: "http.port", Usage: "JSON-RPC listen port", Value: defaults.HTTP.Port, Category: catRPC, EnvVars: env("http.port")}
	httpAPIFlag      = &cli.StringFlag{Name: "http.api", Usage: "JSON-RPC namespaces served (admin, debug, miner are off unless listed)", Value: strings.Join(defaults.HTTP.APIs, ","), Category: catRPC, EnvVars: env("http.api")}
	httpCORSFlag     = &cli.StringFlag{Name: "http.corsdomain", Usage: "comma-separated origins allowed to call JSON-RPC from a browser", Category: catRPC, EnvVars: env("http.corsdomain")}
	httpVHostsFlag   = &cli.StringFlag{Name: "http.vhosts", Usage: "comma-separated virtual host names accepted (* for any)", Value: strings.Join(defaults.HTTP.VHosts, ","), Category: catRPC, EnvVars: env("http.vhosts")}
	wsFlag           = &cli.BoolFlag{Name: "ws", Usage: "also serve JSON-RPC over WebSocket on the HTTP port", Category: catRPC, EnvVars: env("ws")}
	p2pPortFlag      = &cli.IntFlag{Name: "port", Usage: "devp2p listen port", Value: defaults.P2P.Port, Category: catP2P, EnvVars: env("port")}
	p2pAddrFlag      = &cli.StringFlag{Name: "p2p.addr", Usage: "devp2p listen address: the interface consortium peers reach", Value: defaults.P2P.Addr, Category: catP2P, EnvVars: env("p2p.addr")}
	maxPeersFlag     = &cli.IntFlag{Name: "maxpeers", Usage: "maximum number of peers", Value: defaults.P2P.MaxPeers, Category: catP2P, EnvVars: env("maxpeers")}
	allowlistFlag    = &cli.StringFlag{Name: "p2p.allowlist", Usage: "file of node IDs or enode URLs allowed to peer (reload: SIGHUP or admin_reloadAllowlist)", Category: catP2P, EnvVars: env("p2p.allowlist")}
	noDiscoverFlag   = &cli.BoolFlag{Name: "nodiscover", Usage: "disable peer discovery (peers only from static/trusted lists)", Category: catP2P, EnvVars: env("nodiscover")}
	staticNodesFlag  = &cli.StringFlag{Name: "staticnodes", Usage: "comma-separated enode URLs to stay connected to", Category: catP2P, EnvVars: env("staticnodes")}
	signerFlag       = &cli.StringFlag{Name: "signer", Usage: "account that seals blocks (its key must be in the keystore)", Category: catSealer, EnvVars: env("signer")}
	passwordFlag     = &cli.StringFlag{Name: "password", Usage: "file holding the signer's keystore password", Category: catSealer, EnvVars: env("password")}
	gasLimitFlag     = &cli.Uint64Flag{Name: "miner.gaslimit", Usage: "target gas limit of sealed blocks", Value: defaults.Miner.GasLimit, Category: catSealer, EnvVars: env("miner.gaslimit")}
	extraFlag        = &cli.StringFlag{Name: "miner.extradata", Usage: "vanity text in sealed blocks (at most 32 bytes)", Category: catSealer, EnvVars: env("miner.extradata")}
	globalSlotsFlag  = &cli.Uint64Flag{Name: "txpool.globalslots", Usage: "executable transactions the pool holds", Value: defaults.TxPool.GlobalSlots, Category: catPool, EnvVars: env("txpool.globalslots")}
	accountSlotsFlag = &cli.Uint64Flag{Name: "txpool.accountslots", Usage: "executable transactions guaranteed per account", Value: defaults.TxPool.AccountSlots, Category: catPool, EnvVars: env("txpool.accountslots")}
	globalQueueFlag  = &cli.Uint64Flag{Name: "txpool.globalqueue", Usage: "non-executable transactions the pool holds", Value: defaults.TxPool.GlobalQueue, Category: catPool, EnvVars: env("txpool.globalqueue")}
	accountQueueFlag = &cli.Uint64Flag{Name: "txpool.accountqueue", Usage: "non-executable transactions per account", Value: defaults.TxPool.AccountQueue, Category: catPool, EnvVars: env("txpool.accountqueue")}
	priceLimitFlag   = &cli.Uint64Flag{Name: "txpool.pricelimit", Usage: "lowest priority fee (wei) accepted into the pool", Value: defaults.TxPool.PriceLimit, Category: catPool, EnvVars: env("txpool.pricelimit")}

	metricsFlag     = &cli.BoolFlag{Name: "metrics", Usage: "serve Prometheus metrics on /metrics (see docs/operations.md)", Category: catMetrics, EnvVars: env("metrics")}
	metricsAddrFlag = &cli.StringFlag{Name: "metrics.addr", Usage: "metrics listen address (loopback unless you mean it)", Value: defaults.Metrics.Addr, Category: catMetrics, EnvVars: env("metrics.addr")}
	metricsPortFlag = &cli.IntFlag{Name: "metrics.port", Usage: "metrics listen port", Value: defaults.Metrics.Port, Category: catMetrics, EnvVars: env("metrics.port")}
	metricsGethFlag = &cli.BoolFlag{Name: "metrics.geth", Usage: "also collect go-ethereum's own metrics and serve them on /debug/metrics/geth (costs some CPU)", Category: catMetrics, EnvVars: env("metrics.geth")}

	pprofFlag     = &cli.BoolFlag{Name: "pprof", Usage: "serve Go profiling (net/http/pprof) for diagnosis", Category: catLog, EnvVars: env("pprof")}
	pprofAddrFlag = &cli.StringFlag{Name: "pprof.addr", Usage: "profiling listen address (host:port)", Value: "127.0.0.1:6060", Category: catLog, EnvVars: env("pprof.addr")}
	verbosityFlag = &cli.IntFlag{Name: "verbosity", Usage: "log level: 0 silent, 1 error, 2 warn, 3 info, 4 debug, 5 trace", Value: 3, Category: catLog, EnvVars: env("verbosity")}
	logJSONFlag   = &cli.BoolFlag{Name: "log.json", Usage: "log as JSON lines", Category: catLog, EnvVars: env("log.json")}
	vmoduleFlag   = &cli.StringFlag{Name: "log.vmodule", Usage: "log level per source file or package, over --verbosity (e.g. gossip/*=4,sealer.go=5)", Category: catLog, EnvVars: env("log.vmodule")}
)

// nodeFlags are the flags of the run command and dumpconfig.
var nodeFlags = []cli.Flag{
	configFlag, dataDirFlag, modeFlag, dbEngineFlag,
	httpFlag, httpAddrFlag, httpPortFlag, httpAPIFlag, httpCORSFlag, httpVHostsFlag, wsFlag,
	p2pPortFlag, p2pAddrFlag, maxPeersFlag, noDiscoverFlag, staticNodesFlag, allowlistFlag,
	signerFlag, passwordFlag, gasLimitFlag, extraFlag,
	globalSlotsFlag, accountSlotsFlag, globalQueueFlag, accountQueueFlag, priceLimitFlag,
	metricsFlag, metricsAddrFlag, metricsPortFlag, metricsGethFlag,
}

// logFlags apply to every command.
var logFlags = []cli.Flag{verbosityFlag, vmoduleFlag, logJSONFlag, pprofFlag, pprofAddrFlag}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
