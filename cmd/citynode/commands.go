package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/params"
)

var initCommand = &cli.Command{
	Name:      "init",
	Usage:     "initialise a data dir with a genesis file",
	ArgsUsage: "GENESIS.json",
	Flags:     []cli.Flag{dataDirFlag, dbEngineFlag, modeFlag},
	Action: func(ctx *cli.Context) error {
		if ctx.NArg() != 1 {
			return cli.Exit("usage: citynode init --datadir DIR [--mode auditor] GENESIS.json", 2)
		}
		if err := needDataDir(ctx, "init"); err != nil {
			return err
		}
		g, ext, err := genesis.LoadExtended(ctx.Args().First())
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		dataDir := ctx.String(dataDirFlag.Name)
		archive := ctx.String(modeFlag.Name) == node.ModeAuditor // an archive keeps state with the hash scheme
		var hash common.Hash
		err = withoutFreshHeadWarning([]string{dataDir}, func() (err error) {
			hash, err = node.Init(dataDir, ctx.String(dbEngineFlag.Name), g, ext, archive)
			return err
		})
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		log.Info("Initialised data dir", "datadir", dataDir, "genesis", hash)
		fmt.Printf("Initialised %s with genesis %s\n", dataDir, hash.Hex())
		return nil
	},
}

var accountCommand = &cli.Command{
	Name:  "account",
	Usage: "manage signer keys in the encrypted keystore of a data dir",
	Subcommands: []*cli.Command{
		{
			Name:  "new",
			Usage: "create a new key, encrypted with the password in --password",
			Flags: []cli.Flag{dataDirFlag, passwordFlag},
			Action: func(ctx *cli.Context) error {
				ks, password, err := openKeyStore(ctx)
				if err != nil {
					return err
				}
				acct, err := ks.NewAccount(password)
				if err != nil {
					return cli.Exit(fmt.Sprintf("create key: %v", err), 1)
				}
				if err := keyfiles.Persist(acct.URL.Path); err != nil {
					return cli.Exit(err.Error(), 1)
				}
				fmt.Printf("Address: %s\nKeyfile: %s\n", acct.Address.Hex(), acct.URL.Path)
				return nil
			},
		},
		{
			Name:      "import",
			Usage:     "import a hex private key from KEYFILE, encrypted with the password in --password",
			ArgsUsage: "KEYFILE",
			Flags:     []cli.Flag{dataDirFlag, passwordFlag},
			Action: func(ctx *cli.Context) error {
				if ctx.NArg() != 1 {
					return cli.Exit("usage: citynode account import --datadir DIR --password FILE KEYFILE", 2)
				}
				raw, err := os.ReadFile(ctx.Args().First())
				if err != nil {
					return cli.Exit(fmt.Sprintf("cannot read key file: %v", err), 1)
				}
				key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(string(raw)), "0x"))
				if err != nil {
					return cli.Exit(fmt.Sprintf("key file %s does not hold a hex secp256k1 private key (%v)", ctx.Args().First(), err), 1)
				}
				ks, password, err := openKeyStore(ctx)
				if err != nil {
					return err
				}
				acct, err := ks.ImportECDSA(key, password)
				if errors.Is(err, keystore.ErrAccountAlreadyExists) {
					return cli.Exit(fmt.Sprintf("account %s is already in the keystore", crypto.PubkeyToAddress(key.PublicKey).Hex()), 1)
				}
				if err != nil {
					return cli.Exit(fmt.Sprintf("import key: %v", err), 1)
				}
				if err := keyfiles.Persist(acct.URL.Path); err != nil {
					return cli.Exit(err.Error(), 1)
				}
				fmt.Printf("Address: %s\n", acct.Address.Hex())
				return nil
			},
		},
		{
			Name:   "list",
			Usage:  "list the accounts in the keystore",
			Flags:  []cli.Flag{dataDirFlag},
			Action: listAccounts,
		},
	},
}

// listAccounts prints the keystore's accounts; a data dir that does not
// exist is an error, a keystore without keys says how to make one.
func listAccounts(ctx *cli.Context) error {
	dataDir := ctx.String(dataDirFlag.Name)
	if _, err := os.Stat(dataDir); err != nil {
		return cli.Exit(fmt.Sprintf("cannot list the accounts of data dir %s (%v): check --datadir", dataDir, err), 1)
	}
	dir := keyfiles.Dir(dataDir)
	accts := keyfiles.Open(dir).Accounts()
	for i, acct := range accts {
		fmt.Fprintf(ctx.App.Writer, "Account #%d: %s %s\n", i, acct.Address.Hex(), acct.URL.Path)
	}
	if len(accts) == 0 {
		fmt.Fprintf(ctx.App.ErrWriter, "No accounts in %s: make one with `citynode account new --datadir %s --password FILE`, or import a key with `citynode account import`\n", dir, dataDir)
	}
	return nil
}

func openKeyStore(ctx *cli.Context) (*keystore.KeyStore, string, error) {
	if err := needDataDir(ctx, "account "+ctx.Command.Name); err != nil {
		return nil, "", err
	}
	if !ctx.IsSet(passwordFlag.Name) {
		return nil, "", cli.Exit("--password FILE is required: the key is stored encrypted with that password", 2)
	}
	password, err := keyfiles.ReadPassword(ctx.String(passwordFlag.Name))
	if err != nil {
		return nil, "", cli.Exit(err.Error()+": check --password names the file holding the key's password", 1)
	}
	if password == "" {
		return nil, "", cli.Exit("the password file is empty: a signer key must be encrypted with a password", 1)
	}
	return keyfiles.Open(keyfiles.Dir(ctx.String(dataDirFlag.Name))), password, nil
}

// devAccountCount is how many funded dev accounts the dev genesis holds.
const devAccountCount = 10

// Flags of dev whose defaults differ from a node's: a dev chain answers on
// 127.0.0.1 by name or address and serves WebSocket unless told not to.
var (
	devPeriodFlag = &cli.Uint64Flag{Name: "period", Usage: "seconds between blocks (0: seal only when transactions are pending)", Value: 1}
	devDirFlag    = &cli.StringFlag{Name: "datadir", Usage: "data directory (resumes the chain if it exists; a temporary one if not given); the dev genesis is written to DATADIR/genesis.json"}
	devVHostsFlag = &cli.StringFlag{Name: "http.vhosts", Usage: "comma-separated virtual host names accepted (* for any)", Value: "localhost,127.0.0.1", Category: catRPC, EnvVars: env("http.vhosts")}
	devWSFlag     = &cli.BoolFlag{Name: "ws", Usage: "also serve JSON-RPC over WebSocket on the HTTP port (on in dev: --ws=false turns it off); origins as --http.corsdomain", Value: true, Category: catRPC, EnvVars: env("ws")}
	devEVMFlag    = &cli.StringFlag{Name: "evm", Usage: "rules of the chain's blocks: prague (Shanghai, Cancun and Prague from genesis: PUSH0, MCOPY, transient storage; ADR 044) or london (Clique as other clients run it); a resumed chain keeps its own", Value: genesis.EVMPrague}
	devAuthPort   = &cli.IntFlag{Name: "authrpc.port", Usage: "port of the control listener, which takes the votes (clique_propose) behind the JWT secret (0: a free port; the banner prints it)", Category: catRPC, EnvVars: env("authrpc.port")}
	devCORSFlag   = &cli.StringFlag{Name: "http.corsdomain", Usage: "comma-separated origins allowed to call JSON-RPC from a browser (* for any: a dapp on any page may then use the dev accounts' chain)", Category: catRPC, EnvVars: env("http.corsdomain")}
)

var devCommand = &cli.Command{
	Name:  "dev",
	Usage: "run a one-process development chain with funded accounts and JSON-RPC on 127.0.0.1",
	Flags: []cli.Flag{devDirFlag, devPeriodFlag, devEVMFlag, cacheFlag, stateHistFlag, httpAddrFlag, httpPortFlag, httpAPIFlag, devCORSFlag, devVHostsFlag, devWSFlag, authRPCFlag, authRPCAddrFlag, devAuthPort, authRPCSecretFlag, rpcLogRangeFlag, gasLimitFlag, metricsFlag, metricsAddrFlag, metricsPortFlag, metricsGethFlag},
	Action: func(ctx *cli.Context) error {
		g := params.Dev()
		g.Config.Clique.Period = ctx.Uint64(devPeriodFlag.Name)
		accounts := genesis.DevAccounts(devAccountCount)
		evm, err := devEVM(ctx)
		if err != nil {
			return err
		}
		if evm == genesis.EVMPrague {
			if err := genesis.EnableForks(g, genesis.ForksAt(0)); err != nil {
				return err
			}
		}

		cfg := node.Defaults()
		cfg.Mode = node.ModeDev
		cfg.Genesis = g
		cfg.HTTP.Enabled = true
		cfg.HTTP.WS = ctx.Bool(devWSFlag.Name)
		cfg.HTTP.VHosts = cliutil.SplitList(ctx.String(devVHostsFlag.Name))
		cfg.P2P.Addr = "" // a dev chain has no peers
		cfg.Signer = accounts[0].Address.Hex()
		cfg.DevKey = crypto.FromECDSA(accounts[0].Key)
		// The control plane on a free port, so that a dev chain never takes
		// a signer's 8551 (ADR 062); the banner prints it.
		cfg.AuthRPC.Enabled, cfg.AuthRPC.Port = true, 0
		applyFlags(ctx, &cfg)
		cfg.DataDir = ctx.String(devDirFlag.Name)
		if cfg.DataDir == "" {
			dir, err := os.MkdirTemp("", "citynode-dev-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			cfg.DataDir = dir
		}
		return serve(cfg, func(n *node.Node) error {
			// Written once the node runs: its data dir then holds this genesis.
			path, err := writeDevGenesis(cfg.DataDir, g)
			if err != nil {
				return err
			}
			printDevBanner(n, cfg, accounts, path)
			return nil
		})
	},
}

// devEVM returns the rules of the dev chain: --evm, or, when it is not
// given and the data dir holds a chain, that chain's (a London dev chain made
// before Prague became the default resumes as it was).
func devEVM(ctx *cli.Context) (string, error) {
	evm := strings.ToLower(ctx.String(devEVMFlag.Name))
	if evm != genesis.EVMPrague && evm != genesis.EVMLondon {
		return "", cliutil.Usagef("invalid --evm %q: want %q or %q", ctx.String(devEVMFlag.Name), genesis.EVMPrague, genesis.EVMLondon)
	}
	if dir := ctx.String(devDirFlag.Name); dir != "" && !ctx.IsSet(devEVMFlag.Name) {
		if stored, _, _, err := node.ReadGenesis(dir); err == nil && stored.Config != nil && !genesis.ForksOf(stored.Config).Any() {
			return genesis.EVMLondon, nil
		}
	}
	return evm, nil
}

func printDevBanner(n *node.Node, cfg node.Config, accounts []genesis.DevAccount, genesisPath string) {
	chain := n.Eth().BlockChain()
	var b strings.Builder
	evm := genesis.EVMLondon
	if genesis.ForksOf(chain.Config()).Any() {
		evm = genesis.EVMPrague
	}
	fmt.Fprintf(&b, "\ncitychain dev chain (chain id %d, period %ds, %s rules, genesis %s)\n", chain.Config().ChainID, chain.Config().Clique.Period, evm, chain.Genesis().Hash().Hex())
	fmt.Fprintf(&b, "JSON-RPC: %s   data dir: %s\n", n.HTTPEndpoint(), absPath(cfg.DataDir))
	if cfg.HTTP.WS {
		fmt.Fprintf(&b, "WebSocket: %s\n", n.WSEndpoint())
	}
	fmt.Fprintf(&b, "Genesis file: %s\n", absPath(genesisPath))
	if url := n.MetricsURL(); url != "" {
		fmt.Fprintf(&b, "Metrics: %s\n", url)
	}
	if url := n.ControlEndpoint(); url != "" {
		secret := absPath(cfg.JWTSecretPath())
		fmt.Fprintf(&b, "Control (votes): %s   JWT secret: %s\n", url, secret)
		fmt.Fprintf(&b, "  cityctl signer propose 0x... --rpc %s --jwtsecret %s\n", url, secret)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Development accounts (PUBLIC test keys: never use them on a real network)\n")
	for i, acct := range accounts {
		fmt.Fprintf(&b, "(%d) %s  key 0x%s\n", i, acct.Address.Hex(), hex.EncodeToString(crypto.FromECDSA(acct.Key)))
	}
	fmt.Fprintf(&b, "\nSigner: %s (account 0)\n", common.HexToAddress(cfg.Signer).Hex())
	writeDevRegistry(&b, accounts)
	os.Stdout.WriteString(b.String())
}

// writeDevRegistry lists the dev chain's registry contracts and which dev
// account holds which role (params.DevRegistry).
func writeDevRegistry(b *strings.Builder, accounts []genesis.DevAccount) {
	fmt.Fprintf(b, "\nMunicipal registry (docs/contracts.md)\n")
	fmt.Fprintf(b, "  Directory       %s\n", contracts.DirectoryAddress.Hex())
	fmt.Fprintf(b, "  Documents       %s\n", contracts.DocumentsAddress.Hex())
	fmt.Fprintf(b, "  PropertyTitles  %s\n", contracts.PropertyTitlesAddress.Hex())
	fmt.Fprintf(b, "  MarketStalls    %s\n", contracts.MarketStallsAddress.Hex())
	fmt.Fprintf(b, "  Polls           %s\n", contracts.PollsAddress.Hex())
	fmt.Fprintf(b, "  Anchors         %s\n", contracts.AnchorsAddress.Hex())
	reg := params.DevRegistry()
	index := make(map[common.Address]int, len(accounts))
	for i, a := range accounts {
		index[a.Address] = i
	}
	fmt.Fprintf(b, "  city admin: account %d\n", index[reg.Admin])
	for _, d := range reg.Departments {
		for _, a := range d.Accounts {
			for _, r := range a.Roles {
				fmt.Fprintf(b, "  %s of %s: account %d\n", r, d.Code, index[a.Address])
			}
		}
		for _, s := range d.Signers {
			fmt.Fprintf(b, "  signer of %s: account %d\n", d.Code, index[s])
		}
	}
	b.WriteString("\n")
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// needDataDir refuses a command that makes a chain or a key without a data
// dir given (--datadir or CITYNODE_DATADIR): the default, citynode-data in
// the current directory, is seldom where the node runs, and the node would
// not find what was made there.
func needDataDir(ctx *cli.Context, command string) error {
	if ctx.IsSet(dataDirFlag.Name) {
		return nil
	}
	return cli.Exit(fmt.Sprintf("citynode %s needs --datadir DIR (or CITYNODE_DATADIR): the data directory the node runs with, e.g. /var/lib/citynode; "+
		"without it this would write to %s in the current directory, where the node does not look unless told", command, dataDirFlag.Value), 2)
}
