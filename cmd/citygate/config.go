package main

import (
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/cmdkit/configfile"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
	"github.com/citychain/citychain/internal/gateway"
)

// loadConfig builds the configuration: defaults, then the TOML file
// (unknown keys are errors), then environment variables and flags that
// were set.
func loadConfig(ctx *cli.Context) (gateway.Config, error) {
	cfg := gateway.Defaults()
	if path := ctx.String(configFlag.Name); path != "" {
		if err := configfile.Load(path, &cfg, "citygate"); err != nil {
			return cfg, cliutil.Usagef("%v", err)
		}
	}
	applyFlags(ctx, &cfg)
	return cfg, nil
}

// applyFlags copies the flags (and environment variables) that were set.
func applyFlags(ctx *cli.Context, cfg *gateway.Config) {
	cliutil.ApplySet(ctx, listenerBindings(cfg)...)
	cliutil.ApplySet(ctx, apiBindings(cfg)...)
	cliutil.ApplySet(ctx, upstreamBindings(cfg)...)
	cliutil.ApplySet(ctx, intakeBindings(cfg)...)
	// --api.cache is in MiB, the configuration in bytes.
	if ctx.IsSet(cacheFlag.Name) {
		cfg.API.CacheBytes = ctx.Uint64(cacheFlag.Name) << 20
	}
}

// listenerBindings are the flags of the HTTP, metrics and profiling listeners.
func listenerBindings(cfg *gateway.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.Bind(httpAddrFlag, &cfg.HTTP.Addr),
		cliutil.Bind(httpPortFlag, &cfg.HTTP.Port),
		cliutil.Bind(tlsCertFlag, &cfg.HTTP.TLSCert),
		cliutil.Bind(tlsKeyFlag, &cfg.HTTP.TLSKey),
		cliutil.Bind(metricsFlag, &cfg.Metrics.Enabled),
		cliutil.Bind(mAddrFlag, &cfg.Metrics.Addr),
		cliutil.Bind(mPortFlag, &cfg.Metrics.Port),
		cliutil.Bind(pprofFlag, &cfg.Pprof.Enabled),
		cliutil.Bind(pprofAddrFlag, &cfg.Pprof.Addr),
		cliutil.Bind(pprofBlockFlag, &cfg.Pprof.BlockProfileRate),
		cliutil.Bind(pprofMutexFlag, &cfg.Pprof.MutexProfileFraction),
	}
}

// apiBindings are the flags of the API: browsers, rate limit, cache, chains.
func apiBindings(cfg *gateway.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.BindList(corsFlag, &cfg.API.CORS),
		cliutil.BindList(proxiesFlag, &cfg.API.TrustedProxies),
		cliutil.Bind(rateFlag, &cfg.API.RateLimit),
		cliutil.Bind(burstFlag, &cfg.API.RateBurst),
		cliutil.Bind(timeoutFlag, &cfg.API.Timeout),
		cliutil.Bind(maxAgeFlag, &cfg.API.MaxAge),
		cliutil.Bind(staleFlag, &cfg.API.Stale),
		cliutil.Bind(outageFlag, &cfg.API.Outage),
		cliutil.Bind(maxBodyFlag, &cfg.API.MaxBody),
		cliutil.BindLists(chainRPCFlag, &cfg.API.ChainRPC),
	}
}

// upstreamBindings are the flags of the rpc nodes behind the gateway.
func upstreamBindings(cfg *gateway.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.BindLists(rpcFlag, &cfg.Upstream.URLs),
		cliutil.Bind(healthFlag, &cfg.Upstream.HealthQuery),
		cliutil.Bind(connsFlag, &cfg.Upstream.MaxConns),
		cliutil.Bind(maxLagFlag, &cfg.Upstream.MaxLag),
		cliutil.Bind(probeFlag, &cfg.Upstream.ProbeInterval),
		cliutil.Bind(callTimeFlag, &cfg.Upstream.CallTimeout),
	}
}

// intakeBindings are the flags of the ballot intake and its relayer.
func intakeBindings(cfg *gateway.Config) []cliutil.Binding {
	return []cliutil.Binding{
		cliutil.Bind(dataDirFlag, &cfg.Intake.Dir),
		cliutil.Bind(queueFlag, &cfg.Intake.MaxQueue),
		cliutil.Bind(keystoreFlag, &cfg.Relayer.Keystore),
		cliutil.Bind(passwordFlag, &cfg.Relayer.Password),
		cliutil.Bind(keyFileFlag, &cfg.Relayer.KeyFile),
		cliutil.Bind(batchFlag, &cfg.Relayer.Batch),
		cliutil.Bind(inflightFlag, &cfg.Relayer.Inflight),
		cliutil.Bind(waitFlag, &cfg.Relayer.Wait),
	}
}

// dumpConfig prints the effective configuration as TOML.
func dumpConfig(ctx *cli.Context) error {
	cfg, err := loadConfig(ctx)
	if err != nil {
		return err
	}
	return configfile.Dump(ctx.App.Writer, cfg)
}

// loadRelayerKey loads the relayer's key, nil if none is configured.
func loadRelayerKey(c gateway.RelayerConfig) (*registry.Signer, error) {
	var (
		key *ecdsa.PrivateKey
		err error
	)
	switch {
	case c.KeyFile != "":
		if key, err = crypto.LoadECDSA(c.KeyFile); err != nil {
			return nil, cliutil.Usagef("--relayer.keyfile %s: %v (the file must hold 64 hex digits)", c.KeyFile, err)
		}
		log.Warn("Relayer key read from a plain key file: use --relayer.keystore for a real network", "file", c.KeyFile)
	case c.Keystore != "":
		pw, perr := keyfiles.ReadPassword(c.Password)
		if perr != nil {
			return nil, cliutil.Usagef("--relayer.password: %v", perr)
		}
		file, ferr := keystoreFile(c.Keystore)
		if ferr != nil {
			return nil, cliutil.Usagef("--relayer.keystore: %v", ferr)
		}
		data, rerr := os.ReadFile(file)
		if rerr != nil {
			return nil, cliutil.Usagef("--relayer.keystore: %v", rerr)
		}
		k, derr := keyfiles.Decrypt(data, pw)
		if derr != nil {
			return nil, cliutil.Usagef("--relayer.keystore %s: %v (check --relayer.password)", c.Keystore, derr)
		}
		key = k.PrivateKey
	default:
		return nil, nil
	}
	s := registry.NewSigner(key)
	log.Info("Ballot intake on", "relayer", s.Address.Hex())
	return s, nil
}

// keystoreFile returns the key file of --relayer.keystore: the file itself,
// or the one key file in a keystore directory (the rehearsal's ceremony
// makes the relayer's key in the gateway's own keystore directory, under a
// name it chooses).
func keystoreFile(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil || !info.IsDir() {
		return path, err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return "", err
	}
	var keys []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			keys = append(keys, filepath.Join(path, e.Name()))
		}
	}
	if len(keys) != 1 {
		return "", fmt.Errorf("directory %s holds %d key files, want exactly 1: name the relayer's key file instead", path, len(keys))
	}
	return keys[0], nil
}

// setupLogging configures go-ethereum's logger, for our lines and geth's.
func setupLogging(ctx *cli.Context) error {
	var h slog.Handler
	level := log.FromLegacyLevel(ctx.Int(verbosityFlag.Name))
	if ctx.Bool(logJSONFlag.Name) {
		h = log.JSONHandlerWithLevel(os.Stderr, level)
	} else {
		h = log.NewTerminalHandlerWithLevel(os.Stderr, level, false)
	}
	log.SetDefault(log.NewLogger(h))
	return nil
}
