package peertap

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
)

// receiptChain is three blocks with txs[i] transactions each and their
// receipts, for the receipt fuzzer's peer to answer from.
type receiptChain struct {
	blocks   []*types.Block
	receipts [][]*types.Receipt
	index    map[common.Hash]int
}

func newReceiptChain(txs [3]int) *receiptChain {
	rc := &receiptChain{index: make(map[common.Hash]int)}
	parent := common.Hash{}
	for i, n := range txs {
		var (
			list     types.Transactions
			receipts []*types.Receipt
		)
		for j := range n {
			list = append(list, types.NewTx(&types.LegacyTx{Nonce: uint64(j), Gas: 21000, GasPrice: big.NewInt(1)}))
			receipts = append(receipts, &types.Receipt{Status: types.ReceiptStatusSuccessful, CumulativeGasUsed: uint64(21000 * (j + 1)), Logs: []*types.Log{}})
		}
		header := &types.Header{Number: big.NewInt(int64(i + 1)), ParentHash: parent, Difficulty: big.NewInt(1)}
		b := types.NewBlock(header, &types.Body{Transactions: list}, receipts, trie.NewStackTrie(nil))
		rc.blocks = append(rc.blocks, b)
		rc.receipts = append(rc.receipts, receipts)
		rc.index[b.Hash()] = i
		parent = b.Hash()
	}
	return rc
}

// script is the fuzzer's bytes read one at a time; past the end it is over.
type script struct{ b []byte }

func (s *script) next() (byte, bool) {
	if len(s.b) == 0 {
		return 0, false
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c, true
}

var errScriptOver = errors.New("the peer has no more answers")

// answer builds one eth/70 Receipts answer from the script and decodes it
// as the tap does: per answer byte, 1-4 lists, the last marked incomplete or
// not, the first receipt's status flipped or not; per list one byte, how many
// receipts of its block it holds (from first on for the first list).
func (rc *receiptChain) answer(s *script, hashes []common.Hash, first uint64) ([]*eth.ReceiptList, bool, error) {
	b, ok := s.next()
	if !ok {
		return nil, false, errScriptOver
	}
	var lists []*eth.ReceiptList
	for j := range 1 + int(b%4) {
		var receipts []*types.Receipt
		if j < len(hashes) {
			receipts = rc.receipts[rc.index[hashes[j]]]
		}
		from := 0
		if j == 0 {
			from = min(int(first), len(receipts))
		}
		take, _ := s.next()
		part := receipts[from:min(from+int(take%4), len(receipts))]
		if b&8 != 0 && j == 0 && len(part) > 0 {
			flipped := *part[0]
			flipped.Status ^= 1
			part = append([]*types.Receipt{&flipped}, part[1:]...)
		}
		lists = append(lists, eth.NewReceiptList(part))
	}
	raw, err := rlp.EncodeToRawList(lists)
	if err != nil {
		panic(err)
	}
	payload, err := rlp.EncodeToBytes(&eth.ReceiptsPacket70{RequestId: 1, LastBlockIncomplete: b&16 != 0, List: raw})
	if err != nil {
		panic(err)
	}
	return decodeReceipts(payload, eth.ETH70, len(hashes))
}

// FuzzReceipts: whatever a peer answers to the join driver's receipt
// requests (lists split across answers over eth/70 or not, fewer or more
// than asked, wrong receipts), the driver never crashes, never asks again
// without the peer having made progress, and takes only each block's own
// receipts, in the database's encoding geth writes for them.
func FuzzReceipts(f *testing.F) {
	f.Add([]byte{1, 2, 3, 0x02, 1, 2, 3})                   // whole lists in one answer
	f.Add([]byte{3, 3, 3, 0x11, 3, 1, 0x01, 2, 3, 0x00, 3}) // split first list, then the rest
	f.Add([]byte{0, 2, 0, 0x02, 0, 2, 0})                   // empty lists of blocks without transactions
	f.Add([]byte{2, 2, 2, 0x0a, 2, 2, 2})                   // a wrong receipt
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		rc := newReceiptChain([3]int{int(data[0] % 4), int(data[1] % 4), int(data[2] % 4)})
		s := &script{data[3:]}
		bound := len(rc.blocks) // each answer completes a block or adds a receipt
		for _, r := range rc.receipts {
			bound += len(r)
		}
		calls := 0
		fetch := func(hashes []common.Hash, first uint64) ([]*eth.ReceiptList, bool, error) {
			if calls++; calls > bound {
				t.Fatalf("request %d for %d blocks of %d receipts in all: the peer made no progress", calls, len(rc.blocks), bound-len(rc.blocks))
			}
			return rc.answer(s, hashes, first)
		}
		out, err := collectReceipts(rc.blocks, fetch)
		if err != nil {
			return
		}
		if len(out) == 0 || len(out) > len(rc.blocks) {
			t.Fatalf("%d receipt lists taken for %d blocks", len(out), len(rc.blocks))
		}
		for i, enc := range out {
			want, err := eth.NewReceiptList(rc.receipts[i]).EncodeForStorage()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(enc, want) {
				t.Fatalf("receipts of block %d: have %x, want %x", i+1, enc, want)
			}
		}
	})
}

// FuzzAnswers: the headers, bodies and receipts answers a peer sends are
// decoded without a crash, and what is accepted meets the checks: headers
// numbered from the asked number and linked, bodies matching their headers'
// roots, between one and the asked number of receipt lists. The first byte
// picks the answer: headers, bodies or receipts.
func FuzzAnswers(f *testing.F) {
	headers := chain(3)
	hb, _ := rlp.EncodeToBytes([]any{uint64(1), headers})
	f.Add(append([]byte{0}, hb...))
	bb, _ := rlp.EncodeToBytes([]any{uint64(1), []any{[]any{[]any{}, []any{}}, []any{[]any{}, []any{}}}})
	f.Add(append([]byte{1}, bb...))
	rb, _ := rlp.EncodeToBytes([]any{uint64(1), false, []any{[]any{}, []any{}}})
	f.Add(append([]byte{2}, rb...))
	f.Fuzz(checkAnswer)
}

// emptyHeaders are the headers of two blocks without transactions.
var emptyHeaders = func() []*types.Header {
	out := make([]*types.Header, 2)
	for i := range out {
		out[i] = &types.Header{Number: big.NewInt(int64(i + 1)), TxHash: types.EmptyTxsHash, UncleHash: types.EmptyUncleHash, Difficulty: big.NewInt(1)}
	}
	return out
}()

// checkAnswer is FuzzAnswers' check of one input.
func checkAnswer(t *testing.T, data []byte) {
	empty := emptyHeaders
	if len(data) == 0 {
		return
	}
	payload := data[1:]
	switch data[0] % 3 {
	case 0:
		got, err := decodeHeaders(payload, 1, 3)
		if err != nil {
			return
		}
		for i, h := range got {
			if h.Number.Uint64() != uint64(i+1) || (i > 0 && h.ParentHash != got[i-1].Hash()) {
				t.Fatalf("header %d accepted: number %v, parent %x", i, h.Number, h.ParentHash)
			}
		}
	case 1:
		got, err := decodeBodies(payload, empty)
		if err != nil {
			return
		}
		if len(got) == 0 || len(got) > len(empty) {
			t.Fatalf("%d blocks accepted for %d headers", len(got), len(empty))
		}
		for i, b := range got {
			if root := types.DeriveSha(b.Transactions(), trie.NewStackTrie(nil)); root != empty[i].TxHash || b.Hash() != empty[i].Hash() {
				t.Fatalf("block %d accepted with transaction root %x, header says %x", i+1, root, empty[i].TxHash)
			}
		}
	case 2:
		for _, v := range []uint{eth.ETH69, eth.ETH70} {
			lists, _, err := decodeReceipts(payload, v, 2)
			if err == nil && (len(lists) == 0 || len(lists) > 2) {
				t.Fatalf("eth/%d: %d receipt lists accepted, 2 asked", v, len(lists))
			}
		}
	}
}
