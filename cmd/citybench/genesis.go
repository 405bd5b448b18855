package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"os"
	"strings"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/bench/loadgen"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/urfave/cli/v2"
)

var (
	accountsFlag = &cli.IntFlag{
		Name:     "accounts",
		Usage:    "number of test accounts (derived from --seed)",
		Value:    loadgen.Defaults.Accounts,
		Category: catAccounts,
	}
	signerKeyFlag = &cli.StringFlag{
		Name:     "signer-key",
		Usage:    "file holding the hex private key of the (single) signer",
		Category: catAccounts,
	}
	signerFlag = &cli.StringSliceFlag{
		Name:     "signer",
		Usage:    "signer address (repeatable); alternative to --signer-key",
		Category: catAccounts,
	}
	balanceFlag = &cli.Uint64Flag{
		Name:     "balance",
		Usage:    "balance of each test account, ether",
		Value:    1_000_000,
		Category: catAccounts,
	}
	periodFlag = &cli.Uint64Flag{
		Name:  "period",
		Usage: "Clique block period, seconds",
		Value: 1,
	}
	timestampFlag = &cli.Uint64Flag{
		Name:  "timestamp",
		Usage: "genesis time, seconds since the Unix epoch; a time ahead lets every signer start and peer before block 1's slot (0: the epoch)",
	}
	epochFlag = &cli.Uint64Flag{
		Name:  "epoch",
		Usage: "Clique epoch, blocks",
		Value: genesis.DefaultEpoch,
	}
	gasLimitFlag = &cli.Uint64Flag{
		Name:  "gaslimit",
		Usage: "genesis block gas limit",
		Value: 600_000_000,
	}
	chainIDFlag = &cli.Uint64Flag{
		Name:  "chainid",
		Usage: "EIP-155 chain id",
		Value: 4242,
	}
	relayersFlag = &cli.IntFlag{
		Name: "relayers",
		Usage: "pre-deploy the municipal registry with test account 0 as city admin and poll admin " +
			"and test accounts 1..N as ballot relayers (workload ballots); 0: no registry",
		Category: catAccounts,
	}
	evmFlag = &cli.StringFlag{
		Name:  "evm",
		Usage: "rules of the chain's blocks: london, or prague (Shanghai, Cancun and Prague from genesis, ADR 044; geth 1.13 refuses such a genesis)",
		Value: genesis.EVMLondon,
	}
	outFlag = &cli.StringFlag{
		Name:     "out",
		Usage:    "file to write (default: standard output)",
		Category: catOutput,
	}
)

var genesisCommand = &cli.Command{
	Name:  "genesis",
	Usage: "write a Clique genesis funding the test accounts",
	Description: `Writes a genesis (built by citychain's genesis package) that funds the
--accounts test accounts derived from --seed. Both citynode init and geth 1.13 init
accept it.`,
	Flags: []cli.Flag{accountsFlag, seedFlag, balanceFlag, signerKeyFlag, signerFlag,
		periodFlag, timestampFlag, epochFlag, gasLimitFlag, chainIDFlag, relayersFlag, registryFlag, evmFlag, outFlag},
	Action: runGenesis,
}

func runGenesis(c *cli.Context) error {
	signers, err := genesisSigners(c)
	if err != nil {
		return err
	}
	accounts, err := loadgen.DeriveAccounts(c.String(seedFlag.Name), c.Int(accountsFlag.Name))
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	balance := new(big.Int).Mul(new(big.Int).SetUint64(c.Uint64(balanceFlag.Name)), big.NewInt(params.Ether))
	alloc := make(types.GenesisAlloc, len(accounts))
	for _, a := range accounts {
		alloc[a.Address] = types.Account{Balance: new(big.Int).Set(balance)}
	}
	if c.Int(relayersFlag.Name) > 0 && c.Bool(registryFlag.Name) {
		return cli.Exit("pass --registry (W2/W4: every account an issuer) or --relayers (W3: ballot relayers), not both: each pre-deploys the registry", 2)
	}
	if n := c.Int(relayersFlag.Name); n > 0 {
		if n >= len(accounts) {
			return cli.Exit(fmt.Sprintf("--relayers %d needs at least %d --accounts (account 0 is the poll admin)", n, n+1), 2)
		}
		reg, err := predeploy.Alloc(benchRegistry(c.Uint64(chainIDFlag.Name), accounts, n))
		if err != nil {
			return cli.Exit(fmt.Sprintf("registry: %v", err), 2)
		}
		maps.Copy(alloc, reg)
	}
	var forks genesis.Forks
	switch evm := c.String(evmFlag.Name); evm {
	case genesis.EVMLondon:
	case genesis.EVMPrague:
		forks = genesis.ForksAt(0)
	default:
		return cli.Exit(fmt.Sprintf("invalid --evm %q: want %q or %q", evm, genesis.EVMLondon, genesis.EVMPrague), 2)
	}
	g, err := genesis.Build(genesis.Spec{
		ChainID:   c.Uint64(chainIDFlag.Name),
		Period:    c.Uint64(periodFlag.Name),
		Timestamp: c.Uint64(timestampFlag.Name),
		Epoch:     c.Uint64(epochFlag.Name),
		GasLimit:  c.Uint64(gasLimitFlag.Name),
		Signers:   signers,
		Alloc:     alloc,
		Forks:     forks,
	})
	if err != nil {
		return cli.Exit(fmt.Sprintf("invalid genesis: %v", err), 2)
	}
	if c.Bool(registryFlag.Name) {
		if err := addRegistry(g, c.Uint64(chainIDFlag.Name), accounts); err != nil {
			return cli.Exit(fmt.Sprintf("registry: %v", err), 2)
		}
	}
	out, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	out = append(out, '\n')
	if path := c.String(outFlag.Name); path != "" {
		return os.WriteFile(path, out, 0o644)
	}
	_, err = os.Stdout.Write(out)
	return err
}

// benchRegistry is the registry of a W3 benchmark chain: test account 0 is
// city admin and poll admin of PARTICIPATION, accounts 1..relayers relay
// ballots for it.
func benchRegistry(chainID uint64, accounts []loadgen.Account, relayers int) predeploy.Config {
	dept := predeploy.Department{Code: "PARTICIPATION", Name: "Civic Participation", Accounts: []predeploy.Account{
		{Address: accounts[0].Address, Roles: []contracts.Role{contracts.RolePollAdmin}},
	}}
	for _, a := range accounts[1 : relayers+1] {
		dept.Accounts = append(dept.Accounts, predeploy.Account{Address: a.Address, Roles: []contracts.Role{contracts.RoleRelayer}})
	}
	return predeploy.Config{ChainID: chainID, Admin: accounts[0].Address, Departments: []predeploy.Department{dept}}
}

// genesisSigners returns the signers named by --signer-key or --signer.
func genesisSigners(c *cli.Context) ([]common.Address, error) {
	keyFile, addrs := c.String(signerKeyFlag.Name), c.StringSlice(signerFlag.Name)
	switch {
	case keyFile != "" && len(addrs) > 0:
		return nil, cli.Exit("pass either --signer-key or --signer, not both", 2)
	case keyFile != "":
		key, err := crypto.LoadECDSA(keyFile)
		if err != nil {
			return nil, cli.Exit(fmt.Sprintf("read signer key %s: %v (the file must hold 64 hex digits)", keyFile, err), 2)
		}
		return []common.Address{crypto.PubkeyToAddress(key.PublicKey)}, nil
	case len(addrs) > 0:
		var signers []common.Address
		for _, list := range addrs {
			for _, s := range strings.Split(list, ",") {
				if !common.IsHexAddress(s) {
					return nil, cli.Exit(fmt.Sprintf("invalid --signer %q: want a 0x-prefixed 20-byte hex address", s), 2)
				}
				signers = append(signers, common.HexToAddress(s))
			}
		}
		return signers, nil
	}
	return nil, cli.Exit("missing signer: pass --signer-key FILE or --signer ADDRESS", 2)
}
