package main

import (
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/core"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/bench/loadgen"
)

// benchDepartment is the department whose issuers the test accounts are.
const benchDepartment = "BENCH"

var registryFlag = &cli.BoolFlag{
	Name:     "registry",
	Usage:    "pre-deploy the municipal registry; the first test account is city admin, every test account an issuer of department BENCH (for the docs and verify workloads)",
	Category: catAccounts,
}

// addRegistry adds the registry to g: admin accounts[0], department BENCH
// with every account as issuer.
func addRegistry(g *core.Genesis, chainID uint64, accounts []loadgen.Account) error {
	dept := predeploy.Department{Code: benchDepartment, Name: "Benchmark issuers"}
	for _, a := range accounts {
		dept.Accounts = append(dept.Accounts, predeploy.Account{Address: a.Address, Roles: []contracts.Role{contracts.RoleIssuer}})
	}
	alloc, err := predeploy.Alloc(predeploy.Config{ChainID: chainID, Admin: accounts[0].Address, Departments: []predeploy.Department{dept}})
	if err != nil {
		return err
	}
	return genesis.AddAlloc(g, alloc)
}

var (
	callWorkersFlag = &cli.IntFlag{Name: "workers", Usage: "concurrent clients, each with one eth_call in flight", Value: 32, Category: catLoad}
	durationFlag    = &cli.DurationFlag{Name: "duration", Usage: "measured window", Value: 10 * time.Second, Category: catLoad}
	warmupFlag      = &cli.DurationFlag{Name: "warmup", Usage: "calls before the measured window", Value: 2 * time.Second, Category: catLoad}
	plainFlag       = &cli.BoolFlag{Name: "plain", Usage: "call Directory.owner() (one storage read) instead of Documents.verify: the plain eth_call baseline of the same node", Category: catLoad}
	docsFlag        = &cli.IntFlag{Name: "docs", Usage: "documents issued by `citybench docs` to verify, cycled through (the first N: round-robin over the accounts, from nonce 0)", Value: 10_000, Category: catLoad}
)

var verifyCommand = &cli.Command{
	Name:  "verify",
	Usage: "W4: concurrent eth_call of Documents.verify on documents issued by `citybench docs`; reports calls/s",
	Description: `Run after citybench docs --txs N on a fresh chain (genesis --registry): document k was
issued by account k mod --accounts at nonce k div --accounts. Before the window, a sample
of answers is checked to say "valid"; then --workers clients each keep one eth_call in
flight (no batching) for --duration, cycling through the --docs documents.`,
	Flags: []cli.Flag{rpcFlag, allowRemoteFlag, pidFlag, labelFlag, accountsFlag, seedFlag,
		callWorkersFlag, durationFlag, warmupFlag, docsFlag, plainFlag, rpcTimeoutFlag, jsonFlag, reportFlag},
	Action: runVerify,
}

func runVerify(c *cli.Context) error {
	n, docs := c.Int(accountsFlag.Name), c.Int(docsFlag.Name)
	if docs < 1 {
		return cli.Exit(fmt.Sprintf("invalid --docs %d: want >= 1", docs), 2)
	}
	accounts, err := loadgen.DeriveAccounts(c.String(seedFlag.Name), n)
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	abi := documents.NewDocuments()
	calls := make([][]byte, docs)
	for k := range calls {
		d := loadgen.BenchDocument(accounts[k%n].Address, uint64(k/n))
		calls[k] = abi.PackVerify(d.DocHash)
	}
	cfg := loadgen.CallConfig{
		RPC: c.String(rpcFlag.Name), AllowRemote: c.Bool(allowRemoteFlag.Name), Label: c.String(labelFlag.Name),
		Workers: c.Int(callWorkersFlag.Name), Duration: c.Duration(durationFlag.Name), Warmup: c.Duration(warmupFlag.Name),
		RPCTimeout: c.Duration(rpcTimeoutFlag.Name), PID: c.Int(pidFlag.Name), Sample: loadgen.Defaults.Sample,
		To: contracts.DocumentsAddress, Calls: calls, Name: "verify",
		Check: func(out []byte) error {
			v, err := abi.UnpackVerify(out)
			if err != nil {
				return err
			}
			if v.Status != contracts.StatusValid {
				return fmt.Errorf("document status %q, want valid: run citybench docs --txs %d (or more) on this chain first", contracts.StatusName(v.Status), docs)
			}
			return nil
		},
	}
	if c.Bool(plainFlag.Name) {
		dir := directory.NewDirectory()
		cfg.Name, cfg.To, cfg.Calls = "plain-call", contracts.DirectoryAddress, [][]byte{dir.PackOwner()}
		cfg.Check = func(out []byte) error {
			if _, err := dir.UnpackOwner(out); err != nil {
				return fmt.Errorf("Directory.owner: %w (is the registry in the genesis? citybench genesis --registry)", err)
			}
			return nil
		}
	}
	rep, err := loadgen.RunCalls(c.Context, cfg)
	if err != nil {
		return cli.Exit(fmt.Sprintf("verify: %v", err), 1)
	}
	return emitReport(c, rep, rep.WriteText)
}
