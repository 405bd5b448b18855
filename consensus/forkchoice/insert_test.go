package forkchoice

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/consensus/clique"
)

// TestInsertRefusesInvalid delivers blocks that break a rule: each is refused
// with ErrInvalidBlock wrapping the cause (ErrBodyMismatch, not counted
// invalid, for a copy whose body does not match its header: the hash may be
// a valid block's), nothing is stored, and the head does not move.
func TestInsertRefusesInvalid(t *testing.T) {
	outsider, err := crypto.ToECDSA(crypto.Keccak256([]byte("citychain forkchoice outsider")))
	if err != nil {
		t.Fatal(err)
	}
	outsiderAddr := crypto.PubkeyToAddress(outsider.PublicKey)
	signOutsider := func(_ common.Address, hash []byte) ([]byte, error) { return crypto.Sign(hash, outsider) }

	tests := []struct {
		name     string
		block    func(net *testnet, head *types.Block) *types.Block
		cause    error // also matched with errors.Is, if set
		mismatch bool  // the body does not match the header: ErrBodyMismatch
	}{
		{
			name: "sealed by an account that is not a signer",
			block: func(net *testnet, head *types.Block) *types.Block {
				h, err := net.prepare(head, "A")
				if err != nil {
					t.Fatal(err)
				}
				h.Difficulty = big.NewInt(1)
				sealed, err := net.engine.Seal(h, outsiderAddr, signOutsider)
				if err != nil {
					t.Fatal(err)
				}
				return types.NewBlockWithHeader(sealed)
			},
			cause: clique.ErrUnauthorizedSigner,
		}, {
			name: "header changed after sealing",
			block: func(net *testnet, head *types.Block) *types.Block {
				h, err := net.prepare(head, "A")
				if err != nil {
					t.Fatal(err)
				}
				sealed := net.seal(h, "A").Header()
				sealed.Extra[0] ^= 0xff
				return types.NewBlockWithHeader(sealed)
			},
			cause: clique.ErrUnauthorizedSigner,
		}, {
			name: "in-turn difficulty for an out-of-turn signer",
			block: func(net *testnet, head *types.Block) *types.Block {
				h, err := net.prepare(head, "B") // A is in turn at 3
				if err != nil {
					t.Fatal(err)
				}
				h.Difficulty = big.NewInt(2)
				return net.seal(h, "B")
			},
		}, {
			// Our engine accepts the header; go-ethereum executes the block
			// and finds another state root.
			name: "wrong state root: refused by go-ethereum's execution",
			block: func(net *testnet, head *types.Block) *types.Block {
				h, err := net.prepare(head, "A")
				if err != nil {
					t.Fatal(err)
				}
				h.Root = common.Hash{0xba, 0xd}
				return net.seal(h, "A")
			},
		}, {
			name: "transactions that do not match the header",
			block: func(net *testnet, head *types.Block) *types.Block {
				h, err := net.prepare(head, "A")
				if err != nil {
					t.Fatal(err)
				}
				tx := types.NewTx(&types.LegacyTx{Nonce: 0, Gas: 21000, GasPrice: big.NewInt(1)})
				return net.seal(h, "A").WithBody(types.Body{Transactions: []*types.Transaction{tx}})
			},
			mismatch: true,
		}, {
			name: "a genesis block of another chain",
			block: func(net *testnet, head *types.Block) *types.Block {
				return types.NewBlockWithHeader(&types.Header{Number: new(big.Int), Difficulty: big.NewInt(1), Extra: []byte("other")})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := newTestnet(t, 3, 1)
			nd := net.newNode()
			nd.deliver(net.chain(net.genesis, "B", "C"))
			head := nd.fc.Head()
			block := tt.block(net, nd.chain.GetBlock(head.Hash(), head.Number.Uint64()))

			_, err := nd.fc.Insert(block)
			invalid := checkRefusal(t, err, tt.cause, tt.mismatch)
			if block.NumberU64() > 0 && nd.chain.HasBlock(block.Hash(), block.NumberU64()) {
				t.Fatal("the invalid block was stored")
			}
			if have := nd.fc.Head(); have.Hash() != head.Hash() {
				t.Fatalf("head moved to %d", have.Number)
			}
			if have := nd.fc.Stats().Invalid; have != invalid {
				t.Fatalf("have %d invalid blocks counted, want %d", have, invalid)
			}
		})
	}
}

// TestInsertRecentlySignedEarly is the regression row for the upstream gap
// pinned by consensus/clique's TestRecentlySignedEarlyBlocks: below block
// SIGNER_LIMIT upstream Clique lets a recent signer seal again (unsigned
// wrap-around), then refuses every child, halting the chain. Fork choice runs
// our engine first, so the block never reaches go-ethereum.
func TestInsertRecentlySignedEarly(t *testing.T) {
	net := newTestnet(t, 4, 1) // signer limit 3
	nd := net.newNode()
	b1 := net.build(net.genesis, "B")
	nd.insert(b1)

	h, err := net.prepare(b1, "C")
	if err != nil {
		t.Fatal(err)
	}
	h.Difficulty = big.NewInt(1) // B is out of turn at 2
	b2 := net.seal(h, "B")
	// Upstream alone accepts it.
	if err := nd.chain.Engine().VerifyHeader(nd.chain, b2.Header()); err != nil {
		t.Fatalf("upstream refuses the block (fixed upstream? keep this row for our engine): %v", err)
	}
	_, err = nd.fc.Insert(b2)
	if !errors.Is(err, ErrInvalidBlock) || !errors.Is(err, clique.ErrRecentlySigned) {
		t.Fatalf("have error %v, want %v wrapping %v", err, ErrInvalidBlock, clique.ErrRecentlySigned)
	}
	if nd.chain.HasBlock(b2.Hash(), 2) || nd.fc.Head().Hash() != b1.Hash() {
		t.Fatal("the block reached the chain")
	}
}

// TestInsertOrphanAndFuture: a block whose parent is missing returns
// ErrUnknownParent and goes in once its parent has; a block from the future
// returns ErrFutureBlock, not ErrInvalidBlock.
func TestInsertOrphanAndFuture(t *testing.T) {
	net := newTestnet(t, 3, 1)
	nd := net.newNode()
	blocks := net.chain(net.genesis, "B", "C", "A")

	for _, b := range blocks[1:] {
		if _, err := nd.fc.Insert(b); !errors.Is(err, ErrUnknownParent) || errors.Is(err, ErrInvalidBlock) {
			t.Fatalf("block %d without its parent: have error %v, want %v", b.NumberU64(), err, ErrUnknownParent)
		}
	}
	nd.deliver(blocks)
	if have := nd.fc.Head(); have.Hash() != blocks[2].Hash() {
		t.Fatalf("have head %d, want 3", have.Number)
	}

	h, err := net.prepare(blocks[2], "B")
	if err != nil {
		t.Fatal(err)
	}
	h.Time = uint64(time.Now().Add(time.Hour).Unix())
	future := net.seal(h, "B")
	if _, err := nd.fc.Insert(future); !errors.Is(err, ErrFutureBlock) || errors.Is(err, ErrInvalidBlock) {
		t.Fatalf("future block: have error %v, want %v", err, ErrFutureBlock)
	}
	if have := nd.fc.Stats(); have.Invalid != 0 || have.Extended != 3 {
		t.Fatalf("have stats %+v, want 3 extended, none invalid", have)
	}
}

// TestBlockEvents: every stored block is announced, with whether it became
// the head; known blocks are not.
func TestBlockEvents(t *testing.T) {
	net := newTestnet(t, 3, 1)
	nd := net.newNode()
	events := make(chan BlockEvent, 16)
	sub := nd.fc.SubscribeBlocks(events)
	defer sub.Unsubscribe()

	b1 := net.build(net.genesis, "B") // in turn
	a1 := net.build(net.genesis, "A") // loses to b1
	a2 := net.build(b1, "A")          // out of turn on b1
	for _, b := range []*types.Block{b1, a1, b1, a2} {
		if err := nd.fc.InsertSealed(b, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []struct {
		block *types.Block
		head  bool
	}{{b1, true}, {a1, false}, {a2, true}} {
		select {
		case ev := <-events:
			if ev.Block.Hash() != want.block.Hash() || ev.Result.HeadChanged() != want.head {
				t.Fatalf("have event for %s (head %v), want %s (head %v)", net.name(ev.Block.Header()), ev.Result.HeadChanged(), net.name(want.block.Header()), want.head)
			}
		case <-time.After(time.Second):
			t.Fatalf("no event for %s", net.name(want.block.Header()))
		}
	}
	select {
	case ev := <-events:
		t.Fatalf("unexpected event for %s", net.name(ev.Block.Header()))
	default:
	}
}

// TestConcurrentInserts: a sealer and several gossip connections insert the
// same blocks of three branches at once, in their own orders; the node ends
// on the best head. (Branches of two blocks with five signers: no block of
// theirs can become final, so no order ends in a finality conflict.) Run
// with -race.
func TestConcurrentInserts(t *testing.T) {
	net := newTestnet(t, 5, 1)
	prefix := net.chain(net.genesis, "B", "C")
	blocks := append([]*types.Block(nil), prefix...)
	for _, branch := range [][]string{{"A", "B"}, {"E", "A"}, {"D", "E"}} {
		blocks = append(blocks, net.chain(prefix[1], branch...)...)
	}
	want := net.best(blocks)
	nd := net.newNode()

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for worker := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(worker), 7))
			order := append([]*types.Block(nil), blocks...)
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			for len(order) > 0 {
				var next []*types.Block
				for _, b := range order {
					_, err := nd.fc.Insert(b)
					switch {
					case errors.Is(err, ErrUnknownParent):
						next = append(next, b)
					case err != nil:
						errs <- err
						return
					}
				}
				order = next
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if have := nd.fc.Head(); have.Hash() != want.Hash() {
		t.Fatalf("have head %s, want %s", net.name(have), net.name(want.Header()))
	}
	st := nd.fc.Stats()
	if stored := st.Extended + st.SideBlocks + st.Reorgs; stored != uint64(len(blocks)) {
		t.Fatalf("have %d blocks stored (%+v), want each of the %d once", stored, st, len(blocks))
	}
}

// BenchmarkInsert measures Insert of blocks that extend the head, the usual
// case for the sealer and gossip: our header verification, go-ethereum's
// verification and execution of an empty block, the total difficulty and
// finality.
func BenchmarkInsert(b *testing.B) {
	for _, signers := range []int{1, 5} {
		b.Run(fmt.Sprintf("%d signers", signers), func(b *testing.B) {
			net := newTestnet(b, signers, 1)
			blocks := make([]*types.Block, b.N)
			parent := net.genesis
			for i := range blocks {
				parent = net.build(parent, string(rune('A'+(i+1)%signers))) // in turn
				blocks[i] = parent
			}
			nd := net.newNode()
			b.ResetTimer()
			for _, block := range blocks {
				if _, err := nd.fc.Insert(block); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBeforeHead checks the hook between storing a block and making it the
// head: it runs for each new head, with the block already stored and the head
// not yet moved, and the result is the same as without the hook.
func TestBeforeHead(t *testing.T) {
	net := newTestnet(t, 1, 1)
	nd := net.newNode()
	var calls []uint64
	nd.fc.BeforeHead(func(block *types.Block) {
		if !nd.chain.HasBlock(block.Hash(), block.NumberU64()) {
			t.Errorf("block %d not stored when the hook runs", block.NumberU64())
		}
		if nd.chain.CurrentBlock().Hash() == block.Hash() {
			t.Errorf("head already moved to block %d when the hook runs", block.NumberU64())
		}
		calls = append(calls, block.NumberU64())
	})
	blocks := net.chain(net.genesis, "A", "A", "A")
	for _, block := range blocks {
		if res := nd.insert(block); res.Status != StatusExtended {
			t.Fatalf("insert %d: have %v, want %v", block.NumberU64(), res.Status, StatusExtended)
		}
	}
	if head := nd.chain.CurrentBlock(); head.Hash() != blocks[2].Hash() {
		t.Fatalf("head: have %d, want 3", head.Number)
	}
	if len(calls) != 3 || calls[0] != 1 || calls[2] != 3 {
		t.Fatalf("hook calls: have %v, want [1 2 3]", calls)
	}
}

// TestInsertInvalidModern refuses invalid post-transition blocks (ADR 044) as
// it refuses invalid London ones: counted, not stored, the head unchanged.
// The header rules are our engine's; a body that does not match a valid
// header, and the state the system calls write, are go-ethereum's execution
// through clique.ChainEngine.
func TestInsertInvalidModern(t *testing.T) {
	one, root := uint64(1), common.Hash{0xba, 0xd}
	// build prepares block 3 by A (in turn) on head, changes it, executes it
	// (state root, requests hash) unless raw, and seals it.
	build := func(net *testnet, nd *node, head *types.Block, signer string, change func(*types.Header), raw bool, withdrawals []*types.Withdrawal) *types.Block {
		t.Helper()
		h, err := net.prepare(head, signer)
		if err != nil {
			t.Fatal(err)
		}
		if change != nil {
			change(h)
		}
		if !raw {
			h = net.execute(nd.chain, head.Header(), h, withdrawals)
		}
		block := net.seal(h, signer)
		if withdrawals != nil {
			block = block.WithBody(types.Body{Withdrawals: withdrawals})
		}
		return block
	}
	tests := []struct {
		name     string
		block    func(*testnet, *node, *types.Block) *types.Block
		cause    error
		mismatch bool // the body does not match the header: ErrBodyMismatch
	}{
		{
			name: "non-empty withdrawals (root in the header)",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				w := []*types.Withdrawal{{Index: 0, Validator: 1, Address: common.Address{1}, Amount: 1_000_000}}
				return build(net, nd, head, "A", nil, false, w)
			},
		}, {
			name: "non-empty withdrawals (body only)",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				b := build(net, nd, head, "A", nil, false, nil)
				return b.WithBody(types.Body{Withdrawals: []*types.Withdrawal{{Index: 0, Address: common.Address{1}, Amount: 1}}})
			},
			mismatch: true,
		}, {
			name: "blob gas used",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				return build(net, nd, head, "A", func(h *types.Header) { h.BlobGasUsed = &one }, false, nil)
			},
		}, {
			name: "excess blob gas",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				return build(net, nd, head, "A", func(h *types.Header) { h.ExcessBlobGas = &one }, false, nil)
			},
		}, {
			name: "weight written as a London difficulty",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				h, err := net.prepare(head, "A")
				if err != nil {
					t.Fatal(err)
				}
				h.Difficulty = big.NewInt(2)
				return signRaw(net, h, "A")
			},
		}, {
			name: "wrong PREVRANDAO",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				return build(net, nd, head, "A", func(h *types.Header) { h.MixDigest = root }, false, nil)
			},
		}, {
			name: "bad seal: signed by a non-signer",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				h, err := net.prepare(head, "A")
				if err != nil {
					t.Fatal(err)
				}
				h = net.execute(nd.chain, head.Header(), h, nil)
				key, _ := crypto.GenerateKey()
				return signRawKey(h, key)
			},
			cause: clique.ErrUnauthorizedSigner,
		}, {
			name: "wrong requests hash: refused by go-ethereum's execution",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				h, err := net.prepare(head, "A")
				if err != nil {
					t.Fatal(err)
				}
				h = net.execute(nd.chain, head.Header(), h, nil)
				h.RequestsHash = &root
				return net.seal(h, "A")
			},
		}, {
			name: "state root without the system calls: refused by go-ethereum's execution",
			block: func(net *testnet, nd *node, head *types.Block) *types.Block {
				h, err := net.prepare(head, "A")
				if err != nil {
					t.Fatal(err)
				}
				h.Root = head.Root() // as if nothing had run
				return net.seal(h, "A").WithBody(types.Body{Withdrawals: []*types.Withdrawal{}})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := newModernTestnet(t, 3, 1)
			nd := net.newNode()
			nd.deliver(net.chain(net.genesis, "B", "C"))
			head := nd.fc.Head()
			if head.Difficulty.Sign() != 0 {
				t.Fatalf("head %d is not post-transition", head.Number)
			}
			parent := nd.chain.GetBlock(head.Hash(), head.Number.Uint64())
			// A valid block there would be accepted: the rows break one rule.
			if good := build(net, nd, parent, "A", nil, false, nil); good.Difficulty().Sign() != 0 {
				t.Fatal("valid block is not post-transition")
			}
			block := tt.block(net, nd, parent)
			_, err := nd.fc.Insert(block)
			t.Logf("refused: %v", err)
			invalid := checkRefusal(t, err, tt.cause, tt.mismatch)
			if nd.chain.HasBlock(block.Hash(), block.NumberU64()) {
				t.Fatal("the invalid block was stored")
			}
			if have := nd.fc.Head(); have.Hash() != head.Hash() {
				t.Fatalf("head moved to %d", have.Number)
			}
			if have := nd.fc.Stats().Invalid; have != invalid {
				t.Fatalf("have %d invalid blocks counted, want %d", have, invalid)
			}
			// The valid block is accepted afterwards.
			if res := nd.insert(build(net, nd, parent, "A", nil, false, nil)); res.Status != StatusExtended {
				t.Fatalf("valid block after the invalid one: status %v", res.Status)
			}
		})
	}
}

// signRaw signs header with label's key over the post-transition seal hash,
// whatever its format, bypassing Seal's checks.
func signRaw(net *testnet, header *types.Header, label string) *types.Block {
	return signRawKey(header, net.keys.keys[label])
}

func signRawKey(header *types.Header, key *ecdsa.PrivateKey) *types.Block {
	cpy := types.CopyHeader(header)
	cpy.Extra = cpy.Extra[:len(cpy.Extra)-clique.ExtraSeal]
	sig, err := crypto.Sign(cpy.Hash().Bytes(), key)
	if err != nil {
		panic(err)
	}
	sealed := types.CopyHeader(header)
	copy(sealed.Extra[len(sealed.Extra)-clique.ExtraSeal:], sig)
	return types.NewBlockWithHeader(sealed).WithBody(types.Body{Withdrawals: []*types.Withdrawal{}})
}

// checkRefusal checks the error of a refused block: ErrInvalidBlock wrapping
// cause, or, for a copy whose body does not match its header, ErrBodyMismatch
// and not ErrInvalidBlock. It returns the invalid blocks fork choice should
// have counted.
func checkRefusal(t *testing.T, err, cause error, mismatch bool) uint64 {
	t.Helper()
	want, invalid := ErrInvalidBlock, uint64(1)
	if mismatch {
		want, invalid = ErrBodyMismatch, 0
		if errors.Is(err, ErrInvalidBlock) {
			t.Fatalf("have error %v: a body that does not match its header must not make the hash invalid", err)
		}
	}
	if !errors.Is(err, want) {
		t.Fatalf("have error %v, want %v", err, want)
	}
	if cause != nil && !errors.Is(err, cause) {
		t.Fatalf("have error %v, want it to wrap %v", err, cause)
	}
	return invalid
}
