package main

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/node"
)

// Errors of the checks a node's configuration passes before anything opens.
var (
	// errSignerWithoutKey is returned by checkCanSeal.
	errSignerWithoutKey = errors.New("--mode signer without --signer: this node would never seal")
	// errPlaceholderSigner is returned by checkSignerNotPlaceholder.
	errPlaceholderSigner = errors.New("the signer is the zero address, the placeholder of the example configuration")
)

// checkFirstRun refuses, before anything is opened, what a node's first run
// gets wrong, in the order an operator fixes it: the settings (what node.New
// checks first, unchanged), then a data dir that holds no chain (the first
// step of every node is citynode init; telling a new operator about the
// signer before that sends them to the keystore of a data dir not made
// yet), then a signer given no account or the placeholder one.
func checkFirstRun(cfg node.Config) error {
	if err := cfg.Validate(); err != nil {
		return cli.Exit(err.Error(), 1)
	}
	if err := node.CheckInitialised(cfg); err != nil {
		return cli.Exit(err.Error()+defaultDataDirHint(cfg), 1)
	}
	if err := checkCanSeal(cfg); err != nil {
		return cli.Exit(err.Error(), cliutil.ExitUsage)
	}
	if err := checkSignerNotPlaceholder(cfg); err != nil {
		return cli.Exit(err.Error(), cliutil.ExitUsage)
	}
	return nil
}

// defaultDataDirHint says, for a data dir that is the default, that no data
// dir was given: the node's is most likely elsewhere.
func defaultDataDirHint(cfg node.Config) string {
	if cfg.DataDir != cliDefaults().DataDir {
		return ""
	}
	return fmt.Sprintf(". No data dir was given (--datadir, datadir in --config, CITYNODE_DATADIR), so the default %s in the current directory was tried: give the node's data dir, e.g. --datadir /var/lib/citynode", cfg.DataDir)
}

// checkCanSeal refuses a node in signer mode (the default) that is given no
// account to seal with: it used to run silently as a follower. A node meant
// not to seal runs with --mode rpc.
func checkCanSeal(cfg node.Config) error {
	if cfg.Mode != node.ModeSigner || cfg.Signer != "" || cfg.SignerExternal != "" {
		return nil
	}
	return fmt.Errorf("%w (signer is the default mode). Give the department's signer account and how to unlock its key: "+
		"--signer 0xADDRESS --password FILE (the key in %s/keystore: citynode account list --datadir %s), or --signer.external URL; "+
		"or, for a node that follows the chain without sealing, --mode rpc", errSignerWithoutKey, cfg.DataDir, cfg.DataDir)
}

// checkSignerNotPlaceholder refuses the zero address as the signer: it is
// the placeholder docker/systemd/citynode.toml ships, and left in it used to
// fail on the keystore, which holds no key of it, without saying why.
func checkSignerNotPlaceholder(cfg node.Config) error {
	if cfg.Signer == "" || common.HexToAddress(cfg.Signer) != (common.Address{}) {
		return nil
	}
	return fmt.Errorf("%w (signer = %q) was left in: put the department's signer address there, "+
		"as `signer = \"0xADDRESS\"` in the TOML file (--config), CITYNODE_SIGNER=0xADDRESS or --signer 0xADDRESS; "+
		"the addresses of the keys in the keystore: citynode account list --datadir %s (a key not made yet: citynode account new --datadir %s)",
		errPlaceholderSigner, cfg.Signer, cfg.DataDir, cfg.DataDir)
}
