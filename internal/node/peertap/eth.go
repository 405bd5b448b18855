package peertap

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/rlp"
)

// MaxHeaders is the most headers one eth request asks for (geth serves up
// to 1,024).
const MaxHeaders = 1024

// EthAnswers are the eth/69 answer codes a tap of the eth protocol takes.
var EthAnswers = []uint64{eth.BlockHeadersMsg, eth.BlockBodiesMsg, eth.ReceiptsMsg}

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
	var res struct {
		RequestId uint64
		Headers   []*types.Header
	}
	if err := rlp.DecodeBytes(payload, &res); err != nil {
		return nil, fmt.Errorf("headers from %d from %s: %w", from, c.id.TerminalString(), err)
	}
	if err := checkHeaders(res.Headers, from, count); err != nil {
		return nil, fmt.Errorf("headers from %d from %s: %w", from, c.id.TerminalString(), err)
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
