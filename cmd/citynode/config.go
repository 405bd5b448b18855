package main

import (
	"os"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/cmdkit/configfile"
	"github.com/citychain/citychain/internal/node"
)

// fileConfig is the whole TOML file: the node's configuration (its keys at
// the top and in its sections) plus the process's [log] and [pprof].
type fileConfig struct {
	node.Config
	Log   logConfig   `toml:"log"`
	Pprof pprofConfig `toml:"pprof"`
}

// loadConfig builds the node configuration: defaults, then the TOML file
// (unknown keys are errors), then environment variables and flags that were set.
func loadConfig(ctx *cli.Context) (node.Config, error) {
	fc, err := loadFileConfig(ctx)
	return fc.Config, err
}

// loadFileConfig is loadConfig with the [log] and [pprof] sections.
func loadFileConfig(ctx *cli.Context) (fileConfig, error) {
	fc := fileConfig{Config: cliDefaults(), Log: logDefaults, Pprof: pprofDefaults}
	if path := lookupString(ctx, configFlag.Name); path != "" {
		if err := configfile.Load(path, &fc, "citynode"); err != nil {
			return fc, err
		}
	}
	applyFlags(ctx, &fc.Config)
	applyLogFlags(ctx, &fc.Log, &fc.Pprof)
	return fc, nil
}

// cliDefaults are node.Defaults with what citynode turns on that the library
// leaves to its caller: the control plane of a signer (ADR 062).
func cliDefaults() node.Config {
	cfg := node.Defaults()
	cfg.AuthRPC.Enabled = true
	return cfg
}

// applyFlags copies the flags (and environment variables) that were set.
func applyFlags(ctx *cli.Context, cfg *node.Config) {
	cliutil.ApplySet(ctx, nodeBindings(cfg)...)
	cliutil.ApplySet(ctx, rpcBindings(cfg)...)
	cliutil.ApplySet(ctx, p2pBindings(cfg)...)
	cliutil.ApplySet(ctx, sealerBindings(cfg)...)
	cliutil.ApplySet(ctx, txPoolBindings(cfg)...)
	cliutil.ApplySet(ctx, metricsBindings(cfg)...)
	// The fault flags have no TOML key (ADR 073): taken as given, set or not.
	cfg.Fault.ClockOffset = ctx.Duration(faultClockFlag.Name)
	cfg.Fault.Allow = ctx.Bool(faultAllowFlag.Name)
}

// nodeBindings are the flags of the node's data, databases and sync.
func nodeBindings(cfg *node.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.Bind(dataDirFlag, &cfg.DataDir),
		cliutil.Bind(modeFlag, &cfg.Mode),
		cliutil.Bind(dbEngineFlag, &cfg.DBEngine),
		cliutil.Bind(cacheFlag, &cfg.Cache),
		cliutil.Bind(noPrefetchFlag, &cfg.NoPrefetch),
		cliutil.Bind(stateHistFlag, &cfg.StateHistory),
		cliutil.Bind(minFreeFlag, &cfg.MinFreeDisk),
		cliutil.Bind(syncModeFlag, &cfg.SyncMode),
		cliutil.Bind(syncPivotFlag, &cfg.SyncPivot),
	}
}

// rpcBindings are the flags of the JSON-RPC listeners and their limits.
func rpcBindings(cfg *node.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.Bind(httpFlag, &cfg.HTTP.Enabled),
		cliutil.Bind(httpAddrFlag, &cfg.HTTP.Addr),
		cliutil.Bind(httpPortFlag, &cfg.HTTP.Port),
		cliutil.BindList(httpAPIFlag, &cfg.HTTP.APIs),
		cliutil.BindList(httpCORSFlag, &cfg.HTTP.CORS),
		cliutil.BindList(httpVHostsFlag, &cfg.HTTP.VHosts),
		cliutil.Bind(wsFlag, &cfg.HTTP.WS),
		cliutil.BindList(httpAllowFlag, &cfg.HTTP.RPCAllow),
		cliutil.BindList(httpDenyFlag, &cfg.HTTP.RPCDeny),
		cliutil.Bind(httpTLSCertFlag, &cfg.HTTP.TLSCert),
		cliutil.Bind(httpTLSKeyFlag, &cfg.HTTP.TLSKey),
		cliutil.Bind(authRPCFlag, &cfg.AuthRPC.Enabled),
		cliutil.Bind(authRPCAddrFlag, &cfg.AuthRPC.Addr),
		cliutil.Bind(authRPCPortFlag, &cfg.AuthRPC.Port),
		cliutil.Bind(authRPCSecretFlag, &cfg.AuthRPC.JWTSecret),
		cliutil.Bind(rpcGasCapFlag, &cfg.RPC.GasCap),
		cliutil.Bind(rpcEVMTimeoutFlag, &cfg.RPC.EVMTimeout),
		cliutil.Bind(rpcLogRangeFlag, &cfg.RPC.LogRangeLimit),
		cliutil.Bind(rpcLogIndexFlag, &cfg.RPC.LogIndex),
		cliutil.Bind(rpcBatchLimitFlag, &cfg.RPC.BatchRequestLimit),
		cliutil.Bind(rpcBatchSizeFlag, &cfg.RPC.BatchResponseMaxSize),
	}
}

// p2pBindings are the flags of devp2p: listener, peers and discovery.
func p2pBindings(cfg *node.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.Bind(p2pPortFlag, &cfg.P2P.Port),
		cliutil.Bind(p2pAddrFlag, &cfg.P2P.Addr),
		cliutil.Bind(maxPeersFlag, &cfg.P2P.MaxPeers),
		cliutil.Bind(noDiscoverFlag, &cfg.P2P.NoDiscover),
		cliutil.Bind(allowlistFlag, &cfg.P2P.Allowlist),
		cliutil.BindList(staticNodesFlag, &cfg.P2P.StaticNodes),
		cliutil.Bind(natFlag, &cfg.P2P.NAT),
		cliutil.BindList(bootnodesFlag, &cfg.P2P.Bootnodes),
	}
}

// sealerBindings are the flags of the signer's key and the blocks it seals.
func sealerBindings(cfg *node.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.Bind(signerFlag, &cfg.Signer),
		cliutil.Bind(passwordFlag, &cfg.PasswordFile),
		cliutil.Bind(signerExtFlag, &cfg.SignerExternal),
		cliutil.Bind(gasLimitFlag, &cfg.Miner.GasLimit),
		cliutil.Bind(extraFlag, &cfg.Miner.Extra),
	}
}

// txPoolBindings are the flags of the transaction pool and who may use it.
func txPoolBindings(cfg *node.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.Bind(permAccountsFlag, &cfg.Permissions.Accounts),
		cliutil.Bind(globalSlotsFlag, &cfg.TxPool.GlobalSlots),
		cliutil.Bind(accountSlotsFlag, &cfg.TxPool.AccountSlots),
		cliutil.Bind(globalQueueFlag, &cfg.TxPool.GlobalQueue),
		cliutil.Bind(accountQueueFlag, &cfg.TxPool.AccountQueue),
		cliutil.Bind(priceLimitFlag, &cfg.TxPool.PriceLimit),
		cliutil.Bind(batchHoldFlag, &cfg.TxPool.BatchHold),
		cliutil.Bind(gossipBatchFlag, &cfg.TxPool.GossipBatch),
	}
}

// metricsBindings are the flags of the metrics listener.
func metricsBindings(cfg *node.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.Bind(metricsFlag, &cfg.Metrics.Enabled),
		cliutil.Bind(metricsAddrFlag, &cfg.Metrics.Addr),
		cliutil.Bind(metricsPortFlag, &cfg.Metrics.Port),
		cliutil.Bind(metricsGethFlag, &cfg.Metrics.Geth),
	}
}

// dumpConfig prints the effective configuration as TOML.
func dumpConfig(ctx *cli.Context) error {
	cfg, err := loadFileConfig(ctx)
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	return configfile.Dump(os.Stdout, cfg)
}
