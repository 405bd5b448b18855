package staletx

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/crypto/kzg4844"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/holiman/uint256"

	"github.com/citychain/citychain/consensus/forkchoice"
	"github.com/citychain/citychain/internal/node/gossip"
)

var (
	testKey, _ = crypto.HexToECDSA("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")
	chainID    = big.NewInt(4242)
	signer     = types.LatestSignerForChainID(chainID)
)

// transfers returns n signed transactions of each kind in turn: legacy,
// access list, dynamic fee.
func transfers(t testing.TB, key *ecdsa.PrivateKey, n int) []*types.Transaction {
	t.Helper()
	to := common.Address{0xc1, 0x7c}
	txs := make([]*types.Transaction, n)
	for i := range txs {
		var inner types.TxData
		switch i % 3 {
		case 0:
			inner = &types.LegacyTx{Nonce: uint64(i), GasPrice: big.NewInt(1e9), Gas: 21000, To: &to, Value: big.NewInt(1)}
		case 1:
			inner = &types.AccessListTx{ChainID: chainID, Nonce: uint64(i), GasPrice: big.NewInt(1e9), Gas: 21000, To: &to, Value: big.NewInt(1)}
		default:
			inner = &types.DynamicFeeTx{ChainID: chainID, Nonce: uint64(i), GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2e9), Gas: 21000, To: &to, Value: big.NewInt(1)}
		}
		tx, err := types.SignNewTx(key, signer, inner)
		if err != nil {
			t.Fatal(err)
		}
		txs[i] = tx
	}
	return txs
}

// blobTx returns a signed blob transaction with its sidecar, as the network
// carries it in PooledTransactions.
func blobTx(t testing.TB) *types.Transaction {
	t.Helper()
	var blob kzg4844.Blob
	commit, err := kzg4844.BlobToCommitment(&blob)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := kzg4844.ComputeBlobProof(&blob, commit)
	if err != nil {
		t.Fatal(err)
	}
	sidecar := types.NewBlobTxSidecar(types.BlobSidecarVersion0, []kzg4844.Blob{blob}, []kzg4844.Commitment{commit}, []kzg4844.Proof{proof})
	tx, err := types.SignNewTx(testKey, signer, &types.BlobTx{
		ChainID: uint256.MustFromBig(chainID), Nonce: 99, GasTipCap: uint256.NewInt(1), GasFeeCap: uint256.NewInt(2e9), Gas: 21000,
		BlobFeeCap: uint256.NewInt(1), BlobHashes: sidecar.BlobHashes(), Sidecar: sidecar,
	})
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

func block(number uint64, txs ...*types.Transaction) *types.Block {
	return types.NewBlockWithHeader(&types.Header{Number: new(big.Int).SetUint64(number)}).WithBody(types.Body{Transactions: txs})
}

func hashes(txs []*types.Transaction) []common.Hash {
	out := make([]common.Hash, len(txs))
	for i, tx := range txs {
		out[i] = tx.Hash()
	}
	return out
}

// TestSetWindow: the set forgets the oldest blocks past its block or hash
// limit, but not a transaction a later block holds too.
func TestSetWindow(t *testing.T) {
	txs := transfers(t, testKey, 8)
	s := NewSet(2, 100)
	s.Add(block(1, txs[0], txs[1]))
	s.Add(block(2, txs[2], txs[1])) // txs[1] again, as after a reorganisation
	s.Add(block(3, txs[3]))
	s.Add(block(4)) // empty: changes nothing
	for i, want := range []bool{false, true, true, true, false} {
		if have := s.Contains(txs[i].Hash()); have != want {
			t.Errorf("blocks window: tx %d: have %v, want %v", i, have, want)
		}
	}
	s = NewSet(10, 3)
	s.Add(block(1, txs[0], txs[1]))
	s.Add(block(2, txs[2], txs[3]))
	if s.Contains(txs[0].Hash()) || !s.Contains(txs[3].Hash()) || s.Len() != 2 {
		t.Errorf("hash limit: have %d hashes (tx 0 %v, tx 3 %v), want 2 (block 2's)", s.Len(), s.Contains(txs[0].Hash()), s.Contains(txs[3].Hash()))
	}
	// The newest block stays whole even above the hash limit.
	s.Add(block(3, txs[4:8]...))
	if s.Len() != 4 {
		t.Errorf("oversized newest block: have %d hashes, want its 4", s.Len())
	}
}

// TestFilter checks both messages: mined transactions go, the others stay in
// their order with their bytes, and the request id is kept.
func TestFilter(t *testing.T) {
	txs := append(transfers(t, testKey, 6), blobTx(t))
	s := NewSet(DefaultBlocks, DefaultHashes)
	s.Add(block(1, txs[1], txs[2], txs[4]))
	wantKept := []*types.Transaction{txs[0], txs[3], txs[5], txs[6]}

	t.Run("transactions", func(t *testing.T) {
		payload, _ := rlp.EncodeToBytes(txs)
		out, dropped, err := s.filter(eth.TransactionsMsg, payload)
		if err != nil {
			t.Fatal(err)
		}
		var have []*types.Transaction
		if err := rlp.DecodeBytes(out, &have); err != nil {
			t.Fatal(err)
		}
		checkKept(t, dropped, have, wantKept)
	})
	t.Run("pooled transactions", func(t *testing.T) {
		payload, _ := rlp.EncodeToBytes(&eth.PooledTransactionsRLPPacket{RequestId: 77, PooledTransactionsRLPResponse: encodeEach(t, txs)})
		out, dropped, err := s.filter(eth.PooledTransactionsMsg, payload)
		if err != nil {
			t.Fatal(err)
		}
		var have struct {
			RequestId uint64
			Txs       []*types.Transaction
		}
		if err := rlp.DecodeBytes(out, &have); err != nil {
			t.Fatal(err)
		}
		if have.RequestId != 77 {
			t.Errorf("request id: have %d, want 77", have.RequestId)
		}
		checkKept(t, dropped, have.Txs, wantKept)
	})
	t.Run("nothing mined", func(t *testing.T) {
		payload, _ := rlp.EncodeToBytes(wantKept)
		out, dropped, err := s.filter(eth.TransactionsMsg, payload)
		if err != nil || dropped != 0 || &out[0] != &payload[0] {
			t.Fatalf("have %d dropped, err %v, same bytes %v; want the payload itself", dropped, err, len(out) > 0 && &out[0] == &payload[0])
		}
	})
	t.Run("malformed", func(t *testing.T) {
		payload, _ := rlp.EncodeToBytes(txs)
		for name, bad := range map[string][]byte{
			"not a list":      {0x85, 1, 2, 3, 4, 5},
			"trailing bytes":  append(append([]byte{}, payload...), 0x01),
			"truncated":       payload[:len(payload)-3],
			"no request id":   {0xc0},
			"id but no list":  {0xc1, 0x05},
			"list after list": {0xc3, 0x05, 0xc0, 0x01},
		} {
			code := uint64(eth.TransactionsMsg)
			if name == "no request id" || name == "id but no list" || name == "list after list" {
				code = eth.PooledTransactionsMsg
			}
			if _, _, err := s.filter(code, bad); err == nil {
				t.Errorf("%s: have no error, want one", name)
			}
		}
	})
}

func encodeEach(t *testing.T, txs []*types.Transaction) eth.PooledTransactionsRLPResponse {
	t.Helper()
	out := make(eth.PooledTransactionsRLPResponse, len(txs))
	for i, tx := range txs {
		b, err := rlp.EncodeToBytes(tx)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

func checkKept(t *testing.T, dropped int, have, want []*types.Transaction) {
	t.Helper()
	if dropped != 3 {
		t.Errorf("dropped: have %d, want 3", dropped)
	}
	if len(have) != len(want) {
		t.Fatalf("kept: have %d transactions, want %d", len(have), len(want))
	}
	for i := range want {
		hb, _ := have[i].MarshalBinary()
		wb, _ := want[i].MarshalBinary()
		if have[i].Hash() != want[i].Hash() || !bytes.Equal(hb, wb) {
			t.Errorf("kept %d: have %v, want %v", i, have[i].Hash(), want[i].Hash())
		}
	}
}

// TestWrap: only geth's eth protocol reads through the set.
func TestWrap(t *testing.T) {
	var through []bool
	record := func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
		_, ok := rw.(*reader)
		through = append(through, ok)
		return nil
	}
	s := NewSet(DefaultBlocks, DefaultHashes)
	for _, p := range Wrap([]p2p.Protocol{{Name: "poa", Run: record}, {Name: eth.ProtocolName, Run: record}, {Name: "snap", Run: record}}, s) {
		p.Run(nil, nil)
	}
	if len(through) != 3 || through[0] || !through[1] || through[2] {
		t.Fatalf("through the set (poa, eth, snap): have %v, want [false true false]", through)
	}
}

// TestReader: transaction lists lose their mined transactions; other
// messages pass as they came.
func TestReader(t *testing.T) {
	txs := transfers(t, testKey, 4)
	s := NewSet(DefaultBlocks, DefaultHashes)
	s.Add(block(1, txs[0], txs[2]))
	local, remote := p2p.MsgPipe()
	defer local.Close()
	r := &reader{MsgReadWriter: remote, set: s}
	got := make(chan []p2p.Msg, 1)
	go func() {
		var msgs []p2p.Msg
		for range 3 {
			m, err := r.ReadMsg()
			if err != nil {
				break
			}
			// The pipe's writer waits until the payload is read.
			payload, _ := io.ReadAll(m.Payload)
			m.Payload = bytes.NewReader(payload)
			msgs = append(msgs, m)
		}
		got <- msgs
	}()
	if err := p2p.Send(local, eth.TransactionsMsg, txs); err != nil {
		t.Fatal(err)
	}
	if err := p2p.Send(local, eth.NewPooledTransactionHashesMsg, eth.NewPooledTransactionHashesPacket71{Types: []byte{0}, Sizes: []uint32{1}, Hashes: hashes(txs[:1])}); err != nil {
		t.Fatal(err)
	}
	if err := p2p.Send(local, eth.PooledTransactionsMsg, &eth.PooledTransactionsRLPPacket{RequestId: 5, PooledTransactionsRLPResponse: encodeEach(t, txs[:1])}); err != nil {
		t.Fatal(err)
	}
	var msgs []p2p.Msg
	select {
	case msgs = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("messages not read within 10s")
	}
	if len(msgs) != 3 {
		t.Fatalf("have %d messages, want 3", len(msgs))
	}
	var kept []*types.Transaction
	if err := msgs[0].Decode(&kept); err != nil || len(kept) != 2 || kept[0].Hash() != txs[1].Hash() || kept[1].Hash() != txs[3].Hash() {
		t.Errorf("transactions: have %d (err %v), want txs 1 and 3", len(kept), err)
	}
	var ann eth.NewPooledTransactionHashesPacket71
	if err := msgs[1].Decode(&ann); err != nil || len(ann.Hashes) != 1 {
		t.Errorf("announcement: have %+v (err %v), want it unchanged", ann, err)
	}
	var pooled struct {
		RequestId uint64
		Txs       []*types.Transaction
	}
	if err := msgs[2].Decode(&pooled); err != nil || pooled.RequestId != 5 || len(pooled.Txs) != 0 {
		t.Errorf("pooled transactions: have %+v (err %v), want request 5 with none", pooled, err)
	}
	if have := s.Dropped(); have != 3 {
		t.Errorf("dropped: have %d, want 3", have)
	}
}

// fakeBlocks is fork choice's block feed.
type fakeBlocks struct{ feed event.Feed }

func (f *fakeBlocks) SubscribeBlocks(ch chan<- forkchoice.BlockEvent) event.Subscription {
	return f.feed.Subscribe(ch)
}

// TestFollower: blocks that become the head join the set; side blocks do not.
func TestFollower(t *testing.T) {
	txs := transfers(t, testKey, 2)
	s := NewSet(DefaultBlocks, DefaultHashes)
	blocks := new(fakeBlocks)
	f := NewFollower(s, blocks)
	if err := f.Start(); err != nil {
		t.Fatal(err)
	}
	blocks.feed.Send(forkchoice.BlockEvent{Block: block(1, txs[0]), Result: forkchoice.Result{Status: forkchoice.StatusSide}})
	blocks.feed.Send(forkchoice.BlockEvent{Block: block(1, txs[1]), Result: forkchoice.Result{Status: forkchoice.StatusExtended}})
	deadline := time.Now().Add(10 * time.Second)
	for !s.Contains(txs[1].Hash()) {
		if time.Now().After(deadline) {
			t.Fatal("head block's transaction not in the set within 10s")
		}
		time.Sleep(time.Millisecond)
	}
	if err := f.Stop(); err != nil {
		t.Fatal(err)
	}
	if s.Contains(txs[0].Hash()) {
		t.Error("side block's transaction in the set")
	}
}

// FuzzFilter: any payload either fails to parse or comes out as a list with
// the mined transactions gone (the payload itself when none is).
func FuzzFilter(f *testing.F) {
	txs := transfers(f, testKey, 3)
	s := NewSet(DefaultBlocks, DefaultHashes)
	s.Add(block(1, txs[1]))
	plain, _ := rlp.EncodeToBytes(txs)
	f.Add(uint8(0), plain)
	pooled, _ := rlp.EncodeToBytes([]any{uint64(3), txs})
	f.Add(uint8(1), pooled)
	f.Add(uint8(0), []byte{0xc0})
	f.Add(uint8(1), []byte{0xc2, 0x01, 0xc0})
	f.Fuzz(func(t *testing.T, kind uint8, payload []byte) {
		code := uint64(eth.TransactionsMsg)
		if kind%2 == 1 {
			code = eth.PooledTransactionsMsg
		}
		out, dropped, err := s.filter(code, payload)
		if err != nil {
			return
		}
		if dropped == 0 {
			if !bytes.Equal(out, payload) {
				t.Fatalf("nothing dropped but the payload changed")
			}
			return
		}
		before, after := countTxs(t, code, payload), countTxs(t, code, out)
		if after != before-dropped {
			t.Fatalf("have %d transactions after dropping %d of %d", after, dropped, before)
		}
	})
}

// countTxs counts the elements of a message's transaction list.
func countTxs(t *testing.T, code uint64, payload []byte) int {
	t.Helper()
	content, _, err := rlp.SplitList(payload)
	if err != nil {
		t.Fatal(err)
	}
	if code == eth.PooledTransactionsMsg {
		_, _, rest, err := rlp.Split(content)
		if err != nil {
			t.Fatal(err)
		}
		if content, _, err = rlp.SplitList(rest); err != nil {
			t.Fatal(err)
		}
	}
	n, err := rlp.CountValues(content)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAddForget: a block added twice (at import, then as the head) counts
// once; forgetting it keeps what a sibling block of the same height holds.
func TestAddForget(t *testing.T) {
	txs := transfers(t, testKey, 3)
	s := NewSet(DefaultBlocks, DefaultHashes)
	a := block(5, txs[0], txs[1])
	sibling := types.NewBlockWithHeader(&types.Header{Number: big.NewInt(5), Extra: []byte{1}}).WithBody(types.Body{Transactions: []*types.Transaction{txs[1], txs[2]}})
	if !s.Add(a) || s.Add(a) {
		t.Fatal("Add: want true for a new block, false for the same block again")
	}
	s.Add(sibling)
	s.Forget(a)
	for i, want := range []bool{false, true, true} {
		if have := s.Contains(txs[i].Hash()); have != want {
			t.Errorf("after Forget: tx %d: have %v, want %v", i, have, want)
		}
	}
	s.Forget(a) // unknown now: changes nothing
	if s.Len() != 2 {
		t.Errorf("after a second Forget: have %d hashes, want 2", s.Len())
	}
	s.Forget(sibling)
	if s.Len() != 0 {
		t.Errorf("after forgetting both: have %d hashes, want 0", s.Len())
	}
}

// importBackend is a gossip.Backend whose Import reports what the set held
// while it ran, and returns err.
type importBackend struct {
	gossip.Backend
	set    *Set
	probe  common.Hash
	during bool
	err    error
}

func (b *importBackend) Import(*types.Block) error {
	b.during = b.set.Contains(b.probe)
	return b.err
}

// TestImportingDropsDuringImport: while a peer's block is being imported, its
// transactions are already dropped from gossip; a refused block's are let
// through again, an imported block's stay dropped.
func TestImportingDropsDuringImport(t *testing.T) {
	txs := transfers(t, testKey, 2)
	for _, tc := range []struct {
		name  string
		err   error
		after bool
	}{
		{"imported", nil, true},
		{"invalid", fmt.Errorf("%w: bad seal", gossip.ErrInvalidBlock), false},
		{"unknown parent", fmt.Errorf("%w: x", gossip.ErrUnknownParent), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSet(DefaultBlocks, DefaultHashes)
			b := &importBackend{set: s, probe: txs[1].Hash(), err: tc.err}
			err := Importing(b, s).Import(block(7, txs...))
			if !errors.Is(err, tc.err) {
				t.Fatalf("Import: have %v, want %v", err, tc.err)
			}
			if !b.during {
				t.Error("during the import the set did not hold the block's transactions")
			}
			if have := s.Contains(txs[1].Hash()); have != tc.after {
				t.Errorf("after the import: set holds the transaction %v, want %v", have, tc.after)
			}
		})
	}
	// A block the set held before (it is the head already) is not forgotten
	// when a peer's copy of it fails for a local reason.
	s := NewSet(DefaultBlocks, DefaultHashes)
	head := block(8, txs...)
	s.Add(head)
	b := &importBackend{set: s, probe: txs[0].Hash(), err: errors.New("database closed")}
	_ = Importing(b, s).Import(head)
	if !s.Contains(txs[0].Hash()) {
		t.Error("a head's transactions were forgotten after a failed re-import")
	}
}
