package main

import (
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/gateway"
)

// Flag categories, as shown by --help.
const (
	catGate     = "GATEWAY"
	catAPI      = "API"
	catUpstream = "RPC NODES"
	catIntake   = "BALLOT INTAKE"
	catMetrics  = "METRICS"
	catLog      = "LOGGING"
)

var defaults = gateway.Defaults()

// The flags; each has the environment variable CITYGATE_<NAME> (dots and
// dashes as underscores), set by cliutil.DeriveEnv.
var (
	configFlag = &cli.StringFlag{Name: "config", Usage: "TOML configuration file (see `citygate dumpconfig`)", Category: catGate}
	rpcFlag    = &cli.StringSliceFlag{Name: "rpc", Usage: "JSON-RPC URL of a citynode rpc node (repeat for several; requests go to ready nodes)", Value: cli.NewStringSlice(defaults.Upstream.URLs...), Category: catUpstream}

	httpAddrFlag = &cli.StringFlag{Name: "http.addr", Usage: "API listen address (loopback unless you mean it; 0.0.0.0 for every interface)", Value: defaults.HTTP.Addr, Category: catGate}
	httpPortFlag = &cli.IntFlag{Name: "http.port", Usage: "API listen port", Value: defaults.HTTP.Port, Category: catGate}
	tlsCertFlag  = &cli.StringFlag{Name: "tls.cert", Usage: "PEM certificate chain file: serve HTTPS (with --tls.key)", Category: catGate}
	tlsKeyFlag   = &cli.StringFlag{Name: "tls.key", Usage: "PEM private key file of --tls.cert", Category: catGate}

	corsFlag       = &cli.StringFlag{Name: "http.corsdomain", Usage: "comma-separated origins allowed to call the API from a browser (* for any); none: same origin only", Category: catAPI}
	rateFlag       = &cli.Float64Flag{Name: "api.ratelimit", Usage: "requests per second per client (0: no limit)", Value: defaults.API.RateLimit, Category: catAPI}
	burstFlag      = &cli.IntFlag{Name: "api.rateburst", Usage: "requests a client may send at once above the rate", Value: defaults.API.RateBurst, Category: catAPI}
	proxiesFlag    = &cli.StringFlag{Name: "api.trustedproxies", Usage: "comma-separated addresses or CIDRs of balancers whose X-Forwarded-For names the client (for the rate limit)", Category: catAPI}
	timeoutFlag    = &cli.DurationFlag{Name: "api.timeout", Usage: "longest time to answer a request", Value: defaults.API.Timeout, Category: catAPI}
	cacheFlag      = &cli.Uint64Flag{Name: "api.cache", Usage: "megabytes of answers kept per request and block hash", Value: defaults.API.CacheBytes >> 20, Category: catAPI}
	maxAgeFlag     = &cli.DurationFlag{Name: "api.maxage", Usage: "Cache-Control max-age of answers at the finalized block", Value: defaults.API.MaxAge, Category: catAPI}
	staleFlag      = &cli.DurationFlag{Name: "api.stale", Usage: "at the finalized block, give an answer of a final block at most this older while a fresh one is read (0: never)", Value: defaults.API.Stale, Category: catAPI}
	outageFlag     = &cli.DurationFlag{Name: "api.outage", Usage: "when no rpc node answers, answer a read at the finalized block with its newest cached answer of a final block sealed at most this long ago, saying so (0: never, 503)", Value: defaults.API.Outage, Category: catAPI}
	maxBodyFlag    = &cli.Int64Flag{Name: "api.maxbody", Usage: "largest request body, bytes", Value: defaults.API.MaxBody, Category: catAPI}
	chainRPCFlag   = &cli.StringSliceFlag{Name: "anchor.rpc", Usage: "CHAINID=URL of a node of an external chain registered in Anchors (repeat for several): the API then proves that chain's receipts", Category: catAPI}
	maxLagFlag     = &cli.Uint64Flag{Name: "upstream.maxlag", Usage: "blocks an rpc node may be behind the best one before it is taken out", Value: defaults.Upstream.MaxLag, Category: catUpstream}
	probeFlag      = &cli.DurationFlag{Name: "upstream.probe", Usage: "time between probes of each rpc node", Value: defaults.Upstream.ProbeInterval, Category: catUpstream}
	callTimeFlag   = &cli.DurationFlag{Name: "upstream.timeout", Usage: "bound of one attempt of a call on one rpc node (a failed attempt is retried once on another)", Value: defaults.Upstream.CallTimeout, Category: catUpstream}
	connsFlag      = &cli.IntFlag{Name: "upstream.conns", Usage: "connections to each rpc node at most (calls beyond wait for one)", Value: defaults.Upstream.MaxConns, Category: catUpstream}
	healthFlag     = &cli.StringFlag{Name: "upstream.health", Usage: "query of the nodes' /health/ready probe, e.g. minPeers=1&maxBlocksBehind=2 (empty: the node's defaults)", Category: catUpstream}
	dataDirFlag    = &cli.StringFlag{Name: "datadir", Usage: "directory of the ballot store (needed with a relayer key)", Category: catIntake}
	queueFlag      = &cli.IntFlag{Name: "intake.maxqueue", Usage: "ballots waiting for the chain before new ones are answered 429", Value: defaults.Intake.MaxQueue, Category: catIntake}
	keystoreFlag   = &cli.StringFlag{Name: "relayer.keystore", Usage: "encrypted key file (or a keystore directory holding one) of an account with the Directory's RELAYER role: the gateway takes ballots and relays them", Category: catIntake}
	passwordFlag   = &cli.StringFlag{Name: "relayer.password", Usage: "file holding the password of --relayer.keystore", Category: catIntake}
	keyFileFlag    = &cli.StringFlag{Name: "relayer.keyfile", Usage: "file holding a hex private key instead of --relayer.keystore (test and dev keys only)", Category: catIntake}
	batchFlag      = &cli.IntFlag{Name: "relayer.batch", Usage: "ballots per relay transaction", Value: defaults.Relayer.Batch, Category: catIntake}
	waitFlag       = &cli.DurationFlag{Name: "relayer.wait", Usage: "longest wait for a batch to fill before a smaller one is sent", Value: defaults.Relayer.Wait, Category: catIntake}
	inflightFlag   = &cli.IntFlag{Name: "relayer.inflight", Usage: "relay transactions sent and not yet mined", Value: defaults.Relayer.Inflight, Category: catIntake}
	metricsFlag    = &cli.BoolFlag{Name: "metrics", Usage: "serve Prometheus metrics on /metrics (citygate_*)", Category: catMetrics}
	mAddrFlag      = &cli.StringFlag{Name: "metrics.addr", Usage: "metrics listen address", Value: defaults.Metrics.Addr, Category: catMetrics}
	mPortFlag      = &cli.IntFlag{Name: "metrics.port", Usage: "metrics listen port", Value: defaults.Metrics.Port, Category: catMetrics}
	verbosityFlag  = &cli.IntFlag{Name: "verbosity", Usage: "log level: 0 silent, 1 error, 2 warn, 3 info, 4 debug, 5 trace", Value: 3, Category: catLog}
	logJSONFlag    = &cli.BoolFlag{Name: "log.json", Usage: "log as JSON lines", Category: catLog}
	pprofFlag      = &cli.BoolFlag{Name: "pprof", Usage: "serve Go profiling (net/http/pprof) for diagnosis", Category: catLog}
	pprofAddrFlag  = &cli.StringFlag{Name: "pprof.addr", Usage: "profiling listen address (host:port; loopback unless you mean it)", Value: defaults.Pprof.Addr, Category: catLog}
	pprofBlockFlag = &cli.IntFlag{Name: "pprof.blockprofilerate", Usage: "with --pprof: turn on block profiling (/debug/pprof/block) with the given rate, one event sampled per this many nanoseconds blocked (1: every one; as geth's)", Category: catLog}
	pprofMutexFlag = &cli.IntFlag{Name: "pprof.mutexprofilefraction", Usage: "with --pprof: turn on mutex profiling (/debug/pprof/mutex), one contended lock sampled in this many (1: every one)", Category: catLog}
)

// allFlags returns the flags of the run command and dumpconfig.
func allFlags() []cli.Flag {
	return []cli.Flag{
		configFlag, rpcFlag, httpAddrFlag, httpPortFlag, tlsCertFlag, tlsKeyFlag,
		corsFlag, rateFlag, burstFlag, proxiesFlag, timeoutFlag, cacheFlag, maxAgeFlag, staleFlag, outageFlag, maxBodyFlag, chainRPCFlag,
		maxLagFlag, probeFlag, callTimeFlag, connsFlag, healthFlag,
		dataDirFlag, queueFlag, keystoreFlag, passwordFlag, keyFileFlag, batchFlag, waitFlag, inflightFlag,
		metricsFlag, mAddrFlag, mPortFlag, verbosityFlag, logJSONFlag, pprofFlag, pprofAddrFlag, pprofBlockFlag, pprofMutexFlag,
	}
}
