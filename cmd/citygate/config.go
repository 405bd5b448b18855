package main

import (
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
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
	set := ctx.IsSet
	if set(rpcFlag.Name) {
		var urls []string
		for _, v := range ctx.StringSlice(rpcFlag.Name) {
			urls = append(urls, cliutil.SplitList(v)...)
		}
		cfg.Upstream.URLs = urls
	}
	strs := []struct {
		f   *cli.StringFlag
		dst *string
	}{
		{httpAddrFlag, &cfg.HTTP.Addr}, {tlsCertFlag, &cfg.HTTP.TLSCert}, {tlsKeyFlag, &cfg.HTTP.TLSKey},
		{healthFlag, &cfg.Upstream.HealthQuery}, {dataDirFlag, &cfg.Intake.Dir},
		{keystoreFlag, &cfg.Relayer.Keystore}, {passwordFlag, &cfg.Relayer.Password}, {keyFileFlag, &cfg.Relayer.KeyFile},
		{mAddrFlag, &cfg.Metrics.Addr}, {pprofAddrFlag, &cfg.Pprof.Addr},
	}
	for _, s := range strs {
		if set(s.f.Name) {
			*s.dst = ctx.String(s.f.Name)
		}
	}
	ints := []struct {
		f   *cli.IntFlag
		dst *int
	}{
		{httpPortFlag, &cfg.HTTP.Port}, {burstFlag, &cfg.API.RateBurst}, {queueFlag, &cfg.Intake.MaxQueue},
		{batchFlag, &cfg.Relayer.Batch}, {inflightFlag, &cfg.Relayer.Inflight}, {mPortFlag, &cfg.Metrics.Port},
		{connsFlag, &cfg.Upstream.MaxConns},
	}
	for _, i := range ints {
		if set(i.f.Name) {
			*i.dst = ctx.Int(i.f.Name)
		}
	}
	if set(corsFlag.Name) {
		cfg.API.CORS = cliutil.SplitList(ctx.String(corsFlag.Name))
	}
	if set(chainRPCFlag.Name) {
		var nodes []string
		for _, v := range ctx.StringSlice(chainRPCFlag.Name) {
			nodes = append(nodes, cliutil.SplitList(v)...)
		}
		cfg.API.ChainRPC = nodes
	}
	if set(proxiesFlag.Name) {
		cfg.API.TrustedProxies = cliutil.SplitList(ctx.String(proxiesFlag.Name))
	}
	if set(rateFlag.Name) {
		cfg.API.RateLimit = ctx.Float64(rateFlag.Name)
	}
	if set(timeoutFlag.Name) {
		cfg.API.Timeout = ctx.Duration(timeoutFlag.Name)
	}
	if set(cacheFlag.Name) {
		cfg.API.CacheBytes = ctx.Uint64(cacheFlag.Name) << 20
	}
	if set(maxAgeFlag.Name) {
		cfg.API.MaxAge = ctx.Duration(maxAgeFlag.Name)
	}
	if set(staleFlag.Name) {
		cfg.API.Stale = ctx.Duration(staleFlag.Name)
	}
	if set(outageFlag.Name) {
		cfg.API.Outage = ctx.Duration(outageFlag.Name)
	}
	if set(maxBodyFlag.Name) {
		cfg.API.MaxBody = ctx.Int64(maxBodyFlag.Name)
	}
	if set(waitFlag.Name) {
		cfg.Relayer.Wait = ctx.Duration(waitFlag.Name)
	}
	if set(maxLagFlag.Name) {
		cfg.Upstream.MaxLag = ctx.Uint64(maxLagFlag.Name)
	}
	if set(probeFlag.Name) {
		cfg.Upstream.ProbeInterval = ctx.Duration(probeFlag.Name)
	}
	if set(callTimeFlag.Name) {
		cfg.Upstream.CallTimeout = ctx.Duration(callTimeFlag.Name)
	}
	if set(metricsFlag.Name) {
		cfg.Metrics.Enabled = ctx.Bool(metricsFlag.Name)
	}
	if set(pprofFlag.Name) {
		cfg.Pprof.Enabled = ctx.Bool(pprofFlag.Name)
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
		k, derr := keystore.DecryptKey(data, pw)
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
