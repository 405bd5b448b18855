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
	set := ctx.IsSet
	if set(dataDirFlag.Name) {
		cfg.DataDir = ctx.String(dataDirFlag.Name)
	}
	if set(modeFlag.Name) {
		cfg.Mode = ctx.String(modeFlag.Name)
	}
	if set(dbEngineFlag.Name) {
		cfg.DBEngine = ctx.String(dbEngineFlag.Name)
	}
	if set(cacheFlag.Name) {
		cfg.Cache = ctx.Int(cacheFlag.Name)
	}
	if set(noPrefetchFlag.Name) {
		cfg.NoPrefetch = ctx.Bool(noPrefetchFlag.Name)
	}
	if set(stateHistFlag.Name) {
		cfg.StateHistory = ctx.Uint64(stateHistFlag.Name)
	}
	if set(minFreeFlag.Name) {
		cfg.MinFreeDisk = ctx.Uint64(minFreeFlag.Name)
	}
	applyKnobFlags(ctx, cfg)
	cfg.Fault.ClockOffset = ctx.Duration(faultClockFlag.Name)
	cfg.Fault.Allow = ctx.Bool(faultAllowFlag.Name)
	if set(httpFlag.Name) {
		cfg.HTTP.Enabled = ctx.Bool(httpFlag.Name)
	}
	if set(httpAddrFlag.Name) {
		cfg.HTTP.Addr = ctx.String(httpAddrFlag.Name)
	}
	if set(httpPortFlag.Name) {
		cfg.HTTP.Port = ctx.Int(httpPortFlag.Name)
	}
	if set(httpAPIFlag.Name) {
		cfg.HTTP.APIs = cliutil.SplitList(ctx.String(httpAPIFlag.Name))
	}
	if set(httpCORSFlag.Name) {
		cfg.HTTP.CORS = cliutil.SplitList(ctx.String(httpCORSFlag.Name))
	}
	if set(httpVHostsFlag.Name) {
		cfg.HTTP.VHosts = cliutil.SplitList(ctx.String(httpVHostsFlag.Name))
	}
	if set(wsFlag.Name) {
		cfg.HTTP.WS = ctx.Bool(wsFlag.Name)
	}
	if set(httpAllowFlag.Name) {
		cfg.HTTP.RPCAllow = cliutil.SplitList(ctx.String(httpAllowFlag.Name))
	}
	if set(httpDenyFlag.Name) {
		cfg.HTTP.RPCDeny = cliutil.SplitList(ctx.String(httpDenyFlag.Name))
	}
	if set(httpTLSCertFlag.Name) {
		cfg.HTTP.TLSCert = ctx.String(httpTLSCertFlag.Name)
	}
	if set(httpTLSKeyFlag.Name) {
		cfg.HTTP.TLSKey = ctx.String(httpTLSKeyFlag.Name)
	}
	if set(p2pPortFlag.Name) {
		cfg.P2P.Port = ctx.Int(p2pPortFlag.Name)
	}
	if set(p2pAddrFlag.Name) {
		cfg.P2P.Addr = ctx.String(p2pAddrFlag.Name)
	}
	if set(maxPeersFlag.Name) {
		cfg.P2P.MaxPeers = ctx.Int(maxPeersFlag.Name)
	}
	if set(noDiscoverFlag.Name) {
		cfg.P2P.NoDiscover = ctx.Bool(noDiscoverFlag.Name)
	}
	if set(allowlistFlag.Name) {
		cfg.P2P.Allowlist = ctx.String(allowlistFlag.Name)
	}
	if set(staticNodesFlag.Name) {
		cfg.P2P.StaticNodes = cliutil.SplitList(ctx.String(staticNodesFlag.Name))
	}
	if set(authRPCFlag.Name) {
		cfg.AuthRPC.Enabled = ctx.Bool(authRPCFlag.Name)
	}
	if set(authRPCAddrFlag.Name) {
		cfg.AuthRPC.Addr = ctx.String(authRPCAddrFlag.Name)
	}
	if set(authRPCPortFlag.Name) {
		cfg.AuthRPC.Port = ctx.Int(authRPCPortFlag.Name)
	}
	if set(authRPCSecretFlag.Name) {
		cfg.AuthRPC.JWTSecret = ctx.String(authRPCSecretFlag.Name)
	}
	if set(permAccountsFlag.Name) {
		cfg.Permissions.Accounts = ctx.String(permAccountsFlag.Name)
	}
	if set(signerFlag.Name) {
		cfg.Signer = ctx.String(signerFlag.Name)
	}
	if set(passwordFlag.Name) {
		cfg.PasswordFile = ctx.String(passwordFlag.Name)
	}
	if set(signerExtFlag.Name) {
		cfg.SignerExternal = ctx.String(signerExtFlag.Name)
	}
	if set(gasLimitFlag.Name) {
		cfg.Miner.GasLimit = ctx.Uint64(gasLimitFlag.Name)
	}
	if set(extraFlag.Name) {
		cfg.Miner.Extra = ctx.String(extraFlag.Name)
	}
	if set(globalSlotsFlag.Name) {
		cfg.TxPool.GlobalSlots = ctx.Uint64(globalSlotsFlag.Name)
	}
	if set(accountSlotsFlag.Name) {
		cfg.TxPool.AccountSlots = ctx.Uint64(accountSlotsFlag.Name)
	}
	if set(globalQueueFlag.Name) {
		cfg.TxPool.GlobalQueue = ctx.Uint64(globalQueueFlag.Name)
	}
	if set(accountQueueFlag.Name) {
		cfg.TxPool.AccountQueue = ctx.Uint64(accountQueueFlag.Name)
	}
	if set(priceLimitFlag.Name) {
		cfg.TxPool.PriceLimit = ctx.Uint64(priceLimitFlag.Name)
	}
	if set(batchHoldFlag.Name) {
		cfg.TxPool.BatchHold = ctx.Duration(batchHoldFlag.Name)
	}
	if set(metricsFlag.Name) {
		cfg.Metrics.Enabled = ctx.Bool(metricsFlag.Name)
	}
	if set(metricsAddrFlag.Name) {
		cfg.Metrics.Addr = ctx.String(metricsAddrFlag.Name)
	}
	if set(metricsPortFlag.Name) {
		cfg.Metrics.Port = ctx.Int(metricsPortFlag.Name)
	}
	if set(metricsGethFlag.Name) {
		cfg.Metrics.Geth = ctx.Bool(metricsGethFlag.Name)
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

// applyKnobFlags copies the RPC limit and NAT/discovery flags that were set.
func applyKnobFlags(ctx *cli.Context, cfg *node.Config) {
	set := ctx.IsSet
	if set(rpcGasCapFlag.Name) {
		cfg.RPC.GasCap = ctx.Uint64(rpcGasCapFlag.Name)
	}
	if set(rpcEVMTimeoutFlag.Name) {
		cfg.RPC.EVMTimeout = ctx.Duration(rpcEVMTimeoutFlag.Name)
	}
	if set(rpcLogRangeFlag.Name) {
		cfg.RPC.LogRangeLimit = ctx.Uint64(rpcLogRangeFlag.Name)
	}
	if set(syncModeFlag.Name) {
		cfg.SyncMode = ctx.String(syncModeFlag.Name)
	}
	if set(syncPivotFlag.Name) {
		cfg.SyncPivot = ctx.String(syncPivotFlag.Name)
	}
	if set(rpcLogIndexFlag.Name) {
		cfg.RPC.LogIndex = ctx.String(rpcLogIndexFlag.Name)
	}
	if set(rpcBatchLimitFlag.Name) {
		cfg.RPC.BatchRequestLimit = ctx.Int(rpcBatchLimitFlag.Name)
	}
	if set(rpcBatchSizeFlag.Name) {
		cfg.RPC.BatchResponseMaxSize = ctx.Int(rpcBatchSizeFlag.Name)
	}
	if set(natFlag.Name) {
		cfg.P2P.NAT = ctx.String(natFlag.Name)
	}
	if set(bootnodesFlag.Name) {
		cfg.P2P.Bootnodes = cliutil.SplitList(ctx.String(bootnodesFlag.Name))
	}
}
