package forkchoice

import (
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// TestInsertBatch inserts runs of blocks at once, as an import does: a run on
// the head, one starting with known blocks, one ending in a bad header (the
// blocks before it stay, the error is the engine's), and a run on a side
// branch that wins only at its end (inserted block by block). Every stored
// block sends its event, and each case ends on the head Insert would choose.
func TestInsertBatch(t *testing.T) {
	net := newTestnet(t, 3, 1)
	main := net.chain(net.genesis, "B", "C", "A", "B", "C", "A") // all in turn
	tampered := types.NewBlockWithHeader(func() *types.Header {
		h := main[3].Header()
		h.Extra[0] ^= 0xff // breaks the seal
		return h
	}())
	// Sealed correctly, but its state root is not what executing it gives:
	// our engine passes it, go-ethereum's InsertChain refuses it.
	badRoot := func() *types.Block {
		h, err := net.prepare(main[2], "B")
		if err != nil {
			t.Fatal(err)
		}
		h.Root = common.HexToHash("0x01")
		return net.seal(h, "B")
	}()
	side := net.chain(main[1], "B", "C", "A", "B", "C", "A") // not main's blocks 3.., longer

	tests := []struct {
		name      string
		before    []*types.Block // inserted one by one first
		batch     []*types.Block
		inserted  int   // results returned
		known     int   // of them, known before
		events    int   // events sent
		err       error // errors.Is, or nil
		wantHead  *types.Block
		extension bool // the batch extended the head in one InsertChain
	}{
		{"run on the head", nil, main, 6, 0, 6, nil, main[5], true},
		{"known prefix", main[:2], append([]*types.Block{net.genesis}, main...), 7, 3, 4, nil, main[5], true},
		{"bad header at the end", nil, append(main[:3:3], tampered), 3, 0, 3, ErrInvalidBlock, main[2], true},
		{"bad state root at the end", nil, append(main[:3:3], badRoot), 3, 0, 3, ErrInvalidBlock, main[2], true},
		{"side branch", main[:4], side, 6, 0, 6, nil, side[5], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nd := net.newNode()
			for _, b := range tt.before {
				nd.insert(b)
			}
			events := make(chan BlockEvent, 32)
			sub := nd.fc.SubscribeBlocks(events)
			defer sub.Unsubscribe()
			extendedBefore := nd.fc.Stats().Extended
			// The AfterBatch hook gets the blocks InsertChain executed, with
			// the head already on the last of them.
			var warmed []*types.Block
			nd.fc.AfterBatch(func(blocks []*types.Block) {
				if head := nd.chain.CurrentBlock(); head.Hash() != blocks[len(blocks)-1].Hash() {
					t.Errorf("AfterBatch: head %s, want the batch's last block %s", net.name(head), net.name(blocks[len(blocks)-1].Header()))
				}
				warmed = append(warmed, blocks...)
			})
			results, err := nd.fc.InsertBatch(tt.batch)
			if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("error: have %v, want %v", err, tt.err)
			}
			if len(results) != tt.inserted {
				t.Fatalf("results: have %d, want %d", len(results), tt.inserted)
			}
			known := 0
			for i, r := range results {
				if r.Status == StatusKnown {
					known++
				}
				if r.TD == nil || r.TD.Cmp(net.tds[tt.batch[i].Hash()]) != 0 {
					t.Errorf("block %s: total difficulty have %v, want %v", net.name(tt.batch[i].Header()), r.TD, net.tds[tt.batch[i].Hash()])
				}
			}
			if known != tt.known {
				t.Errorf("known: have %d, want %d", known, tt.known)
			}
			if head := nd.chain.CurrentBlock(); head.Hash() != tt.wantHead.Hash() {
				t.Errorf("head: have %s, want %s", net.name(head), net.name(tt.wantHead.Header()))
			}
			for i := range tt.events {
				select {
				case <-events:
				case <-time.After(time.Second):
					t.Fatalf("event %d of %d missing", i+1, tt.events)
				}
			}
			select {
			case ev := <-events:
				t.Errorf("unexpected event for %s", net.name(ev.Block.Header()))
			default:
			}
			// The total difficulty of every inserted block is stored.
			for _, b := range tt.batch[:tt.inserted] {
				if td := nd.fc.TD(b.Hash()); td == nil || td.Cmp(net.tds[b.Hash()]) != 0 {
					t.Errorf("stored total difficulty of %s: have %v, want %v", net.name(b.Header()), td, net.tds[b.Hash()])
				}
			}
			wantWarmed := 0
			if tt.extension {
				wantWarmed = tt.inserted - tt.known
			}
			if len(warmed) != wantWarmed {
				t.Errorf("AfterBatch: have %d blocks, want %d", len(warmed), wantWarmed)
			}
			for i, b := range warmed {
				if want := tt.batch[tt.known+i]; b.Hash() != want.Hash() {
					t.Errorf("AfterBatch block %d: have %s, want %s", i, net.name(b.Header()), net.name(want.Header()))
				}
			}
			if tt.extension && nd.fc.Stats().Extended-extendedBefore != uint64(tt.inserted-tt.known) {
				t.Errorf("extended: have %d, want %d", nd.fc.Stats().Extended-extendedBefore, tt.inserted-tt.known)
			}
		})
	}
}
