// Package params holds citychain's network presets as data: one embedded
// genesis JSON file per network under presets/, and one function per network
// that decodes it.
//
// The files are in go-ethereum's core.Genesis format, so `geth init` of geth
// 1.13 accepts them as they are, and each preset's genesis hash is pinned by a
// test. A preset is a base: every call returns a fresh genesis the caller may
// extend (genesis.AddAlloc) before committing it, for instance with the
// municipal contracts of the dev chain.
package params

import (
	"bytes"
	"embed"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
)

//go:embed presets/*.json
var presets embed.FS

// Dev returns the genesis of the local development chain: presets/dev.json
// plus the municipal registry (DevRegistry) pre-deployed at its fixed
// addresses:
//
//   - chain id 1337, the id of go-ethereum's --dev mode and the "localhost"
//     network that wallets and Solidity tooling preconfigure; it belongs to no
//     public chain, and a dev chain never leaves the developer's machine;
//   - one signer, genesis.DevAccounts(10)[0], sealing a block every second
//     (period 1) so that transactions confirm quickly, epoch 30000 blocks;
//   - a 30,000,000 gas limit, the usual mainnet-sized block, enough to deploy
//     the municipal contracts;
//   - the ten dev accounts of genesis.DevAccounts funded with 1,000,000 ether
//     each; their keys are public, so this chain must never hold anything of
//     value;
//   - timestamp 0 and base fee 1 gwei, so the genesis hash never changes;
//   - the municipal registry (Directory, Documents, PropertyTitles,
//     MarketStalls, Polls, Anchors) configured by DevRegistry.
func Dev() *core.Genesis {
	g := mustLoad("dev")
	alloc, err := predeploy.Alloc(DevRegistry())
	if err != nil {
		panic(fmt.Sprintf("params: dev registry: %v", err))
	}
	if err := genesis.AddAlloc(g, alloc); err != nil {
		panic(fmt.Sprintf("params: dev registry: %v", err))
	}
	return g
}

// DevRegistry returns the registry configuration of the dev chain, drawn
// from genesis.DevAccounts (public test keys):
//
//	account 0  city admin; the chain's signer, run by CITYHALL "City Hall"
//	account 1  issuer of CIVIL "Civil Registry" (documents)
//	account 2  registrar of LAND "Land Registry" (property titles)
//	account 3  market operator of MARKETS "Markets and Trade"
//	account 4  poll admin of PARTICIPATION "Civic Participation"
//	account 5  relayer of PARTICIPATION
//	accounts 6-9  residents: no role (owners, buyers, banks in examples)
func DevRegistry() predeploy.Config {
	a := genesis.DevAccounts(6)
	account := func(i int, r contracts.Role) []predeploy.Account {
		return []predeploy.Account{{Address: a[i].Address, Roles: []contracts.Role{r}}}
	}
	return predeploy.Config{
		ChainID: devChainID,
		Admin:   a[0].Address,
		Departments: []predeploy.Department{
			{Code: "CITYHALL", Name: "City Hall", Signers: []common.Address{a[0].Address}},
			{Code: "CIVIL", Name: "Civil Registry", Accounts: account(1, contracts.RoleIssuer)},
			{Code: "LAND", Name: "Land Registry", Accounts: account(2, contracts.RoleRegistrar)},
			{Code: "MARKETS", Name: "Markets and Trade", Accounts: account(3, contracts.RoleMarketOperator)},
			{Code: "PARTICIPATION", Name: "Civic Participation", Accounts: append(account(4, contracts.RolePollAdmin), account(5, contracts.RoleRelayer)...)},
		},
	}
}

// devChainID is the chain id of presets/dev.json.
const devChainID = 1337

// mustLoad decodes and validates the embedded preset file of a network. The
// files are part of the binary and tested, so a failure is a broken build.
func mustLoad(name string) *core.Genesis {
	path := "presets/" + name + ".json"
	data, err := presets.ReadFile(path)
	if err != nil {
		panic(fmt.Sprintf("params: preset %s not embedded: %v", name, err))
	}
	g, err := genesis.Decode(bytes.NewReader(data))
	if err != nil {
		panic(fmt.Sprintf("params: embedded preset %s is invalid: %v", path, err))
	}
	return g
}
