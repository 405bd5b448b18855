package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/bindings/propertytitles"
	"github.com/citychain/citychain/contracts/predeploy"
)

// Labels of the test accounts; key(label) derives each one's key.
var labels = []string{
	"admin", "newAdmin", "civil", "civil2", "health", "registrar", "alice", "bob", "carol", "bank", "stranger",
	"signerCivil", "signerLand", "pollAdmin", "relayer", "marketOp",
}

// key returns the private key of a labelled test account.
func key(label string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("citychain contracts test " + label)))
	if err != nil {
		panic(err)
	}
	return k
}

// addr returns the address of a labelled test account.
func addr(label string) common.Address { return crypto.PubkeyToAddress(key(label).PublicKey) }

// b32 is contracts.Bytes32 for test literals.
func b32(s string) [32]byte {
	b, err := contracts.Bytes32(s)
	if err != nil {
		panic(err)
	}
	return b
}

// testConfig is the registry the tests start from: CIVIL issues documents
// (two issuer accounts), HEALTH issues documents, LAND registers titles.
func testConfig() predeploy.Config {
	return predeploy.Config{
		ChainID: 1337, // the simulated backend's chain id
		Admin:   addr("admin"),
		Departments: []predeploy.Department{
			{Code: "CIVIL", Name: "Civil Registry", Accounts: []predeploy.Account{
				{Address: addr("civil"), Roles: []contracts.Role{contracts.RoleIssuer}},
				{Address: addr("civil2"), Roles: []contracts.Role{contracts.RoleIssuer}},
			}, Signers: []common.Address{addr("signerCivil")}},
			{Code: "HEALTH", Name: "Health Department", Accounts: []predeploy.Account{
				{Address: addr("health"), Roles: []contracts.Role{contracts.RoleIssuer}},
			}},
			{Code: "LAND", Name: "Land Registry", Accounts: []predeploy.Account{
				{Address: addr("registrar"), Roles: []contracts.Role{contracts.RoleRegistrar}},
			}, Signers: []common.Address{addr("signerLand")}},
		},
	}
}

// env is a simulated chain whose genesis holds the pre-deployed registry.
type env struct {
	t      *testing.T
	sim    *simulated.Backend
	client simulated.Client

	dir    *directory.Directory
	docs   *documents.Documents
	titles *propertytitles.PropertyTitles
	dirC   *bind.BoundContract
	docsC  *bind.BoundContract
	titleC *bind.BoundContract
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvFunding(t, nil)
}

// newEnvFunding is newEnv with the accounts of funded funded too (1000 ether
// each), besides the labelled ones.
func newEnvFunding(t *testing.T, funded []common.Address) *env {
	t.Helper()
	alloc, err := predeploy.Alloc(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(21), nil)
	for _, l := range labels {
		alloc[addr(l)] = types.Account{Balance: eth}
	}
	for _, a := range funded {
		alloc[a] = types.Account{Balance: eth}
	}
	sim := simulated.NewBackend(alloc, simulated.WithBlockGasLimit(60_000_000), londonLike)
	t.Cleanup(func() { sim.Close() })
	e := &env{
		t: t, sim: sim, client: sim.Client(),
		dir: directory.NewDirectory(), docs: documents.NewDocuments(), titles: propertytitles.NewPropertyTitles(),
	}
	e.dirC = e.dir.Instance(e.client, contracts.DirectoryAddress)
	e.docsC = e.docs.Instance(e.client, contracts.DocumentsAddress)
	e.titleC = e.titles.Instance(e.client, contracts.PropertyTitlesAddress)
	// The simulated chain starts at time 0, and gas estimates run on a
	// block at that time: a timestamp of 0 stored by the estimate but not by
	// the real block would make the estimate fall short.
	e.advance(time.Hour)
	return e
}

// londonLike drops the simulated backend's not-yet-scheduled forks (Bogota's
// state-gas accounting makes gas estimates fall short): the registry runs
// under London rules on citychain; the later forks the simulated chain
// needs (it is a post-merge chain) leave the contracts' behaviour unchanged.
func londonLike(_ *node.Config, c *ethconfig.Config) {
	cfg := *c.Genesis.Config
	cfg.BogotaTime = nil
	c.Genesis.Config = &cfg
}

// send sends a transaction from the labelled account, mines it and returns
// its receipt, or the error (a revert shows up as the gas estimate's error).
// Every successful state change must emit at least one event.
func (e *env) send(from string, c *bind.BoundContract, data []byte) (*types.Receipt, error) {
	e.t.Helper()
	opts := bind.NewKeyedTransactor(key(from), big.NewInt(1337))
	opts.Context = context.Background()
	tx, err := bind.Transact(c, opts, data)
	if err != nil {
		return nil, err
	}
	e.sim.Commit()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := bind.WaitMined(ctx, e.client, tx.Hash())
	if err != nil {
		e.t.Fatalf("waiting for %s: %v", tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		e.t.Fatalf("transaction %s failed after its gas estimate passed (gas %d of %d)", tx.Hash(), r.GasUsed, tx.Gas())
	}
	if len(r.Logs) == 0 {
		e.t.Errorf("transaction from %s changed state without an event", from)
	}
	return r, nil
}

// ok sends a transaction that must succeed.
func (e *env) ok(from string, c *bind.BoundContract, data []byte) *types.Receipt {
	e.t.Helper()
	r, err := e.send(from, c, data)
	if err != nil {
		e.t.Fatalf("transaction from %s: %v (%s)", from, err, contracts.RevertReason(err))
	}
	return r
}

// reverts sends a transaction that must revert with the given error, written
// as contracts.DecodeRevert prints it (a prefix such as "NotIssuer(" is enough).
func (e *env) reverts(from string, c *bind.BoundContract, data []byte, want string) {
	e.t.Helper()
	_, err := e.send(from, c, data)
	if err == nil {
		e.t.Fatalf("transaction from %s succeeded, want revert %s", from, want)
	}
	if have := contracts.RevertReason(err); !strings.HasPrefix(have, want) {
		e.t.Fatalf("revert: have %q (%v), want %q", have, err, want)
	}
}

// now returns the time of the latest block.
func (e *env) now() uint64 {
	h, err := e.client.HeaderByNumber(context.Background(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return h.Time
}

// advance moves the chain's clock forward and mines a block. The simulated
// backend refuses while its pool still lists a transaction as pending, and the
// pool drops a mined transaction only when its reset after Commit has run, in
// the background: a loaded machine saw the refusal, so advance retries until
// the pool has caught up, for at most 10 s.
func (e *env) advance(d time.Duration) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := e.sim.AdjustTime(d)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("adjust time: %v (the pool still holds a pending transaction after 10 s)", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.sim.Commit()
}

func call[T any](e *env, c *bind.BoundContract, data []byte, unpack func([]byte) (T, error)) T {
	e.t.Helper()
	v, err := bind.Call(c, nil, data, unpack)
	if err != nil {
		e.t.Fatalf("call: %v (%s)", err, contracts.RevertReason(err))
	}
	return v
}
