package permissions

import (
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
)

// blockTestGenesis is a London chain (ethash faker: the processor does not
// care who seals) holding the registry of newDirectoryState and funding every
// label.
func blockTestGenesis(t *testing.T) *core.Genesis {
	t.Helper()
	alloc, err := predeploy.Alloc(predeploy.Config{
		ChainID: 4242,
		Admin:   addr("admin"),
		Departments: []predeploy.Department{
			{Code: "CIVIL", Name: "Civil Registry", Accounts: []predeploy.Account{
				{Address: addr("issuer"), Roles: []contracts.Role{contracts.RoleIssuer}},
				{Address: addr("deployer"), Roles: []contracts.Role{contracts.RoleDeployer}},
			}, Signers: []common.Address{addr("signer1")}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range labels {
		alloc[addr(l)] = types.Account{Balance: new(big.Int).Lsh(big.NewInt(1), 80)}
	}
	cfg := genesis.ChainConfig(4242, 0, 30000)
	cfg.Clique, cfg.Ethash = nil, new(params.EthashConfig)
	return &core.Genesis{Config: cfg, GasLimit: 30_000_000, Difficulty: big.NewInt(1), Alloc: alloc, BaseFee: big.NewInt(params.InitialBaseFee)}
}

// blockTx is a transaction of a generated block: from a label, to an
// address (nil: a contract creation), with data.
type blockTx struct {
	from string
	to   *common.Address
	data []byte
}

// TestProcessorRefuses builds chains with go-ethereum's chain maker and
// inserts them into a BlockChain whose processor is wrapped: from the
// permissions block on, a block with a sender the Directory does not permit
// at the parent's state is refused (and recorded as bad); before it, the same
// block is accepted.
func TestProcessorRefuses(t *testing.T) {
	dir := directory.NewDirectory()
	civil := b32("CIVIL")
	dirAddr := contracts.DirectoryAddress
	recipient := common.HexToAddress("0x00000000000000000000000000000000000c0ffe")
	grant := dir.PackGrantRole(civil, uint8(contracts.RoleIssuer), addr("stranger"))
	initcode := []byte{0x60, 0x00, 0x60, 0x00, 0xf3} // returns empty code

	for _, tt := range []struct {
		name   string
		from   uint64      // the permissions block
		blocks [][]blockTx // transactions of blocks 1, 2, ...
		bad    uint64      // the block refused, 0 for none
		create bool        // the refusal is for a contract creation
	}{
		{"members only", 1, [][]blockTx{{{"admin", &recipient, nil}, {"issuer", &recipient, nil}, {"signer1", &recipient, nil}}}, 0, false},
		{"stranger refused", 1, [][]blockTx{{{"issuer", &recipient, nil}, {"stranger", &recipient, nil}}}, 1, false},
		{"stranger before the permissions block", 2, [][]blockTx{{{"stranger", &recipient, nil}}}, 0, false},
		{"stranger at the permissions block", 2, [][]blockTx{{{"admin", &recipient, nil}}, {{"stranger", &recipient, nil}}}, 2, false},
		// The rule reads the parent's state: a grant takes effect from the next block.
		{"granted in the same block", 1, [][]blockTx{{{"admin", &dirAddr, grant}, {"stranger", &recipient, nil}}}, 1, false},
		{"granted in the block before", 1, [][]blockTx{{{"admin", &dirAddr, grant}}, {{"stranger", &recipient, nil}}}, 0, false},
		{"creation by an issuer", 1, [][]blockTx{{{"issuer", nil, initcode}}}, 1, true},
		{"creation by the deployer", 1, [][]blockTx{{{"deployer", nil, initcode}}}, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := blockTestGenesis(t)
			signer := types.LatestSigner(g.Config)
			nonces := map[string]uint64{}
			_, blocks, _ := core.GenerateChainWithGenesis(g, ethash.NewFaker(), len(tt.blocks), func(i int, b *core.BlockGen) {
				for _, tx := range tt.blocks[i] {
					signed := types.MustSignNewTx(testKey(tx.from), signer, &types.DynamicFeeTx{ChainID: g.Config.ChainID, Nonce: nonces[tx.from],
						GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10 * params.GWei), Gas: 300_000, To: tx.to, Data: tx.data})
					nonces[tx.from]++
					b.AddTx(signed)
				}
			})
			db := rawdb.NewMemoryDatabase()
			chain, err := core.NewBlockChain(db, g, ethash.NewFaker(), core.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			defer chain.Stop()
			p := &Processor{Inner: chain.Processor(), From: tt.from, Config: chain.Config()}
			chain.SetBlockValidatorAndProcessorForTesting(chain.Validator(), p)

			n, err := chain.InsertChain(blocks)
			if tt.bad == 0 {
				if err != nil {
					t.Fatalf("InsertChain: %v", err)
				}
				if p.Refused() != 0 {
					t.Errorf("refused: have %d, want 0", p.Refused())
				}
				return
			}
			var be *BlockError
			if !errors.Is(err, ErrBlockNotPermitted) || !errors.As(err, &be) {
				t.Fatalf("InsertChain: have %v, want %v", err, ErrBlockNotPermitted)
			}
			if have := uint64(n) + 1; have != tt.bad {
				t.Errorf("refused block: have %d, want %d", have, tt.bad)
			}
			if be.Denied.Create != tt.create || (tt.create && !errors.Is(err, ErrCreateNotPermitted)) {
				t.Errorf("refusal %v: have create=%v, want %v", err, be.Denied.Create, tt.create)
			}
			if rawdb.ReadBadBlock(db, blocks[tt.bad-1].Hash()) == nil {
				t.Error("the refused block is not recorded as bad")
			}
			if head := chain.CurrentBlock().Number.Uint64(); head != tt.bad-1 {
				t.Errorf("head: have %d, want %d", head, tt.bad-1)
			}
		})
	}
}

// TestGateEnforced: once the next block is at or past the permissions
// block, the Directory's rule decides at intake and in the sealer, even with
// --permissions.accounts off or a local list naming the sender.
func TestGateEnforced(t *testing.T) {
	g := blockTestGenesis(t)
	chain, err := core.NewBlockChain(rawdb.NewMemoryDatabase(), g, ethash.NewFaker(), core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Stop()
	listed := &Policy{List: map[common.Address]bool{addr("stranger"): true}}
	for _, tt := range []struct {
		name     string
		policy   *Policy
		enforced *uint64
		refused  bool
	}{
		{"off, no rule", nil, nil, false},
		{"off, rule from a later block", nil, block(2), false},
		{"off, rule from the next block", nil, block(1), true},
		{"listed, rule from a later block", listed, block(2), false},
		{"listed, rule from the next block", listed, block(1), true},
		{"directory, no rule", &Policy{}, nil, true},
	} {
		check, err := Gate{Policy: tt.policy, Chain: chain, Enforced: tt.enforced}.View()
		if err != nil {
			t.Fatal(err)
		}
		err = check(addr("stranger"), false)
		if (err != nil) != tt.refused || err != nil && !errors.Is(err, ErrNotPermitted) {
			t.Errorf("%s: have %v, want refused=%v", tt.name, err, tt.refused)
		}
		if err := check(addr("issuer"), false); err != nil {
			t.Errorf("%s: issuer refused: %v", tt.name, err)
		}
	}
}

func block(n uint64) *uint64 { return &n }

// BenchmarkCheckBlock measures the consensus rule's cost per block: 1,000
// transfers from 100 senders (issuers with a role) checked against the
// Directory at a parent state, as the processor does before executing.
func BenchmarkCheckBlock(b *testing.B) {
	d := newDirectoryState(b)
	signer := types.LatestSignerForChainID(big.NewInt(4242))
	to := common.Address{9}
	var txs types.Transactions
	for i := range 100 {
		key := testKey(fmt.Sprintf("sender %d", i))
		from := crypto.PubkeyToAddress(key.PublicKey)
		d.exec("admin", d.dir.PackGrantRole(b32("CIVIL"), uint8(contracts.RoleIssuer), from))
		for n := range 10 {
			txs = append(txs, types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4242), Nonce: uint64(n), Gas: 21000, To: &to}))
		}
	}
	for _, tx := range txs {
		types.Sender(signer, tx) // cached, as the pool's or the follower's copies are
	}
	b.ResetTimer()
	for b.Loop() {
		if err := (Rule{}).CheckBlock(d.st, signer, txs); err != nil {
			b.Fatal(err)
		}
	}
}
