package peertap

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
)

// MaxHeaders is the most headers one eth request asks for (geth serves up
// to 1,024).
const MaxHeaders = 1024

// EthAnswers are the eth/69 answer codes a tap of the eth protocol takes.
var EthAnswers = []uint64{eth.BlockHeadersMsg, eth.BlockBodiesMsg, eth.ReceiptsMsg}

// NewEth returns a tap of geth's eth protocol: it takes the answers
// EthAnswers names, and lists a connection only once geth's handler has
// finished the eth handshake (our status sent, the peer's accepted), since
// a peer drops a connection whose first message is not its status.
func NewEth() *Tap { return newHandshaking(eth.StatusMsg, EthAnswers...) }

// Headers asks the peer for count headers from number from upwards and
// checks the answer: at least one header, none beyond count, numbered from
// from and linked by parent hash. A peer may answer fewer than asked (it
// holds no more); the caller asks again from the next number.
func (c *Conn) Headers(ctx context.Context, from, count uint64) ([]*types.Header, error) {
	if count == 0 || count > MaxHeaders {
		return nil, fmt.Errorf("headers from %d: count %d, want 1..%d", from, count, MaxHeaders)
	}
	id := NewID()
	req := &eth.GetBlockHeadersPacket{RequestId: id, GetBlockHeadersRequest: &eth.GetBlockHeadersRequest{
		Origin: eth.HashOrNumber{Number: from}, Amount: count,
	}}
	payload, err := c.Request(ctx, eth.GetBlockHeadersMsg, id, req)
	if err != nil {
		return nil, err
	}
	headers, err := decodeHeaders(payload, from, count)
	if err != nil {
		return nil, fmt.Errorf("headers from %d from %s: %w", from, c.id.TerminalString(), err)
	}
	return headers, nil
}

// decodeHeaders decodes a BlockHeaders answer to a request of count headers
// from from, and checks it (checkHeaders).
func decodeHeaders(payload []byte, from, count uint64) ([]*types.Header, error) {
	var res struct {
		RequestId uint64
		Headers   []*types.Header
	}
	if err := rlp.DecodeBytes(payload, &res); err != nil {
		return nil, err
	}
	if err := checkHeaders(res.Headers, from, count); err != nil {
		return nil, err
	}
	return res.Headers, nil
}

// checkHeaders checks an answer to a request of count headers from from.
func checkHeaders(headers []*types.Header, from, count uint64) error {
	if len(headers) == 0 {
		return fmt.Errorf("none: the peer holds no block %d", from)
	}
	if uint64(len(headers)) > count {
		return fmt.Errorf("%d headers, asked for %d", len(headers), count)
	}
	for i, h := range headers {
		if h.Number == nil || h.Number.Uint64() != from+uint64(i) {
			return fmt.Errorf("header %d is numbered %v, want %d", i, h.Number, from+uint64(i))
		}
		if i > 0 && h.ParentHash != headers[i-1].Hash() {
			return fmt.Errorf("header %d does not link to header %d (parent %x, have %x)", from+uint64(i), from+uint64(i)-1, h.ParentHash, headers[i-1].Hash())
		}
	}
	return nil
}

// MaxBodies is the most bodies or receipts one eth request asks for (geth
// serves up to 1,024, and stops earlier at about 2 MiB).
const MaxBodies = 128

// Bodies asks the peer for the bodies of headers (consecutive or not, at most
// MaxBodies) and returns the blocks they make, each body checked against its
// header (transaction root, uncle hash, withdrawals root). A peer may answer
// fewer than asked (its answer is size-limited): the blocks returned are the
// first of headers; the caller asks again for the rest. An answer with no
// body, more bodies than asked, or a body that does not match is an error.
func (c *Conn) Bodies(ctx context.Context, headers []*types.Header) ([]*types.Block, error) {
	if len(headers) == 0 || len(headers) > MaxBodies {
		return nil, fmt.Errorf("bodies: %d asked, want 1..%d", len(headers), MaxBodies)
	}
	hashes := make([]common.Hash, len(headers))
	for i, h := range headers {
		hashes[i] = h.Hash()
	}
	id := NewID()
	payload, err := c.Request(ctx, eth.GetBlockBodiesMsg, id, &eth.GetBlockBodiesPacket{RequestId: id, GetBlockBodiesRequest: hashes})
	if err != nil {
		return nil, err
	}
	blocks, err := decodeBodies(payload, headers)
	if err != nil {
		return nil, fmt.Errorf("bodies from %s: %w", c.id.TerminalString(), err)
	}
	return blocks, nil
}

// decodeBodies decodes a BlockBodies answer to a request for the bodies of
// headers and returns the blocks they make, each body checked against its
// header.
func decodeBodies(payload []byte, headers []*types.Header) ([]*types.Block, error) {
	var res eth.BlockBodiesPacket
	if err := rlp.DecodeBytes(payload, &res); err != nil {
		return nil, err
	}
	bodies, err := res.List.Items()
	if err != nil {
		return nil, err
	}
	if len(bodies) == 0 || len(bodies) > len(headers) {
		return nil, fmt.Errorf("%d answered, %d asked (from block %d)", len(bodies), len(headers), headers[0].Number)
	}
	blocks := make([]*types.Block, len(bodies))
	for i := range bodies {
		if blocks[i], err = assemble(headers[i], &bodies[i]); err != nil {
			return nil, fmt.Errorf("body of block %d: %w", headers[i].Number, err)
		}
	}
	return blocks, nil
}

// assemble checks body against header and returns the block.
func assemble(header *types.Header, body *eth.BlockBody) (*types.Block, error) {
	txs, err := body.Transactions.Items()
	if err != nil {
		return nil, err
	}
	uncles, err := body.Uncles.Items()
	if err != nil {
		return nil, err
	}
	if root := types.DeriveSha(types.Transactions(txs), trie.NewStackTrie(nil)); root != header.TxHash {
		return nil, fmt.Errorf("transaction root %x, header says %x", root, header.TxHash)
	}
	if hash := types.CalcUncleHash(uncles); hash != header.UncleHash {
		return nil, fmt.Errorf("uncle hash %x, header says %x", hash, header.UncleHash)
	}
	var withdrawals []*types.Withdrawal
	switch {
	case body.Withdrawals == nil && header.WithdrawalsHash != nil:
		return nil, errors.New("no withdrawals, the header has a withdrawals root")
	case body.Withdrawals != nil && header.WithdrawalsHash == nil:
		return nil, errors.New("withdrawals, the header has no withdrawals root")
	case body.Withdrawals != nil:
		if withdrawals, err = body.Withdrawals.Items(); err != nil {
			return nil, err
		}
		if root := types.DeriveSha(types.Withdrawals(withdrawals), trie.NewStackTrie(nil)); root != *header.WithdrawalsHash {
			return nil, fmt.Errorf("withdrawals root %x, header says %x", root, *header.WithdrawalsHash)
		}
	}
	return types.NewBlockWithHeader(header).WithBody(types.Body{Transactions: txs, Uncles: uncles, Withdrawals: withdrawals}), nil
}

// Receipts asks the peer for the receipts of blocks (at most MaxBodies) and
// returns them in the database's encoding (for core.BlockChain's
// InsertReceiptChain), each block's checked against its header's receipt
// root. As with Bodies, a peer may answer for the first blocks only; over
// eth/70 and later a block's receipts split across answers are asked for
// until complete.
func (c *Conn) Receipts(ctx context.Context, blocks []*types.Block) ([]rlp.RawValue, error) {
	if len(blocks) == 0 || len(blocks) > MaxBodies {
		return nil, fmt.Errorf("receipts: %d asked, want 1..%d", len(blocks), MaxBodies)
	}
	fetch := func(hashes []common.Hash, first uint64) ([]*eth.ReceiptList, bool, error) {
		return c.receiptRequest(ctx, hashes, first)
	}
	out, err := collectReceipts(blocks, fetch)
	if err != nil {
		return nil, fmt.Errorf("receipts from %s: %w", c.id.TerminalString(), err)
	}
	return out, nil
}

// receiptFetch sends one receipt request for hashes, the first block's from
// its receipt first on, and returns the lists answered and whether the last
// is partial.
type receiptFetch func(hashes []common.Hash, first uint64) ([]*eth.ReceiptList, bool, error)

// collectReceipts fetches the receipts of blocks (a prefix of them if the
// peer answers fewer) and returns each block's in the database's encoding,
// checked against its header's receipt root.
func collectReceipts(blocks []*types.Block, fetch receiptFetch) ([]rlp.RawValue, error) {
	lists, err := receiptLists(blocks, fetch)
	if err != nil {
		return nil, err
	}
	out := make([]rlp.RawValue, len(lists))
	for i, list := range lists {
		header := blocks[i].Header()
		if root := types.DeriveSha(list.Derivable(), trie.NewStackTrie(nil)); root != header.ReceiptHash {
			return nil, fmt.Errorf("receipts of block %d: root %x, header says %x", header.Number, root, header.ReceiptHash)
		}
		if out[i], err = list.EncodeForStorage(); err != nil {
			return nil, fmt.Errorf("receipts of block %d: %w", header.Number, err)
		}
	}
	return out, nil
}

// receiptLists fetches the receipt lists of blocks, a prefix of them if the
// peer answers fewer, completing a last list the peer split (eth/70+).
func receiptLists(blocks []*types.Block, fetch receiptFetch) ([]*eth.ReceiptList, error) {
	hashes := make([]common.Hash, len(blocks))
	for i, b := range blocks {
		hashes[i] = b.Hash()
	}
	var (
		lists []*eth.ReceiptList
		first uint64 // receipts of hashes[0] already held (a split list)
	)
	for len(hashes) > 0 {
		got, incomplete, err := fetch(hashes, first)
		if err != nil {
			return nil, err
		}
		if first > 0 {
			lists[len(lists)-1].Append(got[0])
			got = got[1:]
		}
		lists = append(lists, got...)
		if !incomplete {
			return lists, nil
		}
		// The last list is partial: ask again from its next receipt.
		done := len(got)
		if first > 0 {
			done++
		}
		hashes = hashes[done-1:]
		if first, err = splitProgress(lists[len(lists)-1], first, blocks[len(lists)-1]); err != nil {
			return nil, err
		}
	}
	return lists, nil
}

// splitProgress returns the number of receipts of block held in partial, a
// list the peer marked incomplete, after held of them before its answer. A
// split list must have grown and still lack receipts of the block's
// transactions (one receipt each): otherwise a peer could answer forever, or
// mark an empty list incomplete and have its next list taken for the same
// block.
func splitProgress(partial *eth.ReceiptList, held uint64, block *types.Block) (uint64, error) {
	n, err := countReceipts(partial)
	if err != nil {
		return 0, err
	}
	if n <= held || n >= uint64(len(block.Transactions())) {
		return 0, fmt.Errorf("receipts of block %d marked incomplete at %d of its %d transactions (%d held before): not a split list", block.Number(), n, len(block.Transactions()), held)
	}
	return n, nil
}

// receiptRequest sends one receipt request (eth/69 or eth/70+ as the
// connection runs) and returns its lists and whether the last is partial.
func (c *Conn) receiptRequest(ctx context.Context, hashes []common.Hash, first uint64) ([]*eth.ReceiptList, bool, error) {
	id := NewID()
	var req any = &eth.GetReceiptsPacket69{RequestId: id, GetReceiptsRequest: hashes}
	if c.version >= eth.ETH70 {
		req = &eth.GetReceiptsPacket70{RequestId: id, FirstBlockReceiptIndex: first, GetReceiptsRequest: hashes}
	}
	payload, err := c.Request(ctx, eth.GetReceiptsMsg, id, req)
	if err != nil {
		return nil, false, err
	}
	return decodeReceipts(payload, c.version, len(hashes))
}

// decodeReceipts decodes a Receipts answer of the protocol version to a
// request for asked blocks' receipts: its lists, at least one and at most
// asked, and whether the last is partial (eth/70+).
func decodeReceipts(payload []byte, version uint, asked int) ([]*eth.ReceiptList, bool, error) {
	var (
		list       rlp.RawList[*eth.ReceiptList]
		incomplete bool
		err        error
	)
	if version >= eth.ETH70 {
		var res eth.ReceiptsPacket70
		err, list, incomplete = rlp.DecodeBytes(payload, &res), res.List, res.LastBlockIncomplete
	} else {
		var res eth.ReceiptsPacket69
		err, list = rlp.DecodeBytes(payload, &res), res.List
	}
	if err != nil {
		return nil, false, err
	}
	lists, err := list.Items()
	if err != nil {
		return nil, false, err
	}
	if len(lists) == 0 || len(lists) > asked {
		return nil, false, fmt.Errorf("%d lists answered, %d asked", len(lists), asked)
	}
	return lists, incomplete, nil
}

// countReceipts is the number of receipts in list.
func countReceipts(list *eth.ReceiptList) (uint64, error) {
	enc, err := rlp.EncodeToBytes(list)
	if err != nil {
		return 0, err
	}
	content, _, err := rlp.SplitList(enc)
	if err != nil {
		return 0, err
	}
	n, err := rlp.CountValues(content)
	return uint64(n), err
}
