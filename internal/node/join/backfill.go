package join

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/internal/node/peertap"
)

// backfillKey holds the lowest block whose body and receipts the backfill
// has stored (every block from it up to the head has them); absent on a node
// that did not join by the driver.
var backfillKey = []byte("citychain-join-backfill-lowest")

// readLowest is the backfill's lowest stored block, and whether there is one.
func (d *Driver) readLowest() (uint64, bool) {
	b, err := d.cfg.DB.Get(backfillKey)
	if err != nil || len(b) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(b), true
}

func putLowest(w interface{ Put([]byte, []byte) error }, n uint64) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return w.Put(backfillKey, b[:])
}

// Backfilled returns the lowest block whose body and receipts are stored and
// whether a backfill is recorded at all (false: the node did not join by
// the driver, its history is whole).
func (d *Driver) Backfilled() (uint64, bool) { return d.readLowest() }

// Backfill fetches, below the pivot, the bodies and receipts of blocks the
// join did not, from the top down, MaxBodies blocks a step, each checked
// against its stored (engine-verified) header; a step's blocks, their
// receipts and transaction lookups are written in one batch with the new
// lowest block, so that a kill -9 resumes from the last step written. It
// returns once block 1's are stored, or when ctx ends. A peer that serves
// data failing its check is dropped; the step is asked of another.
func (d *Driver) Backfill(ctx context.Context) error {
	lowest, ok := d.readLowest()
	if !ok || lowest <= 1 {
		return nil
	}
	log.Info("Backfilling history below the join pivot", "lowest", lowest)
	start := time.Now()
	for lowest > 1 {
		from := uint64(1)
		if lowest > peertap.MaxBodies {
			from = lowest - peertap.MaxBodies
		}
		if err := d.backfillStep(ctx, from, lowest-1); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.Warn("Backfill step failed, asking again", "from", from, "to", lowest-1, "err", err)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
			continue
		}
		lowest = from
	}
	log.Info("History backfilled", "elapsed", time.Since(start))
	return nil
}

// backfillStep fetches and stores blocks from..to.
func (d *Driver) backfillStep(ctx context.Context, from, to uint64) error {
	headers := make([]*types.Header, 0, to-from+1)
	for n := from; n <= to; n++ {
		h := d.cfg.Chain.GetHeaderByNumber(n)
		if h == nil {
			return fmt.Errorf("backfill: no header %d", n)
		}
		headers = append(headers, h)
	}
	conn, err := d.anyPeer(ctx)
	if err != nil {
		return err
	}
	blocks, receipts, err := d.fetchHistory(ctx, conn, headers)
	if err != nil {
		return d.refuse(conn, "history", err)
	}
	batch := d.cfg.DB.NewBatch()
	for i, b := range blocks {
		rawdb.WriteBody(batch, b.Hash(), b.NumberU64(), b.Body())
		rawdb.WriteRawReceipts(batch, b.Hash(), b.NumberU64(), receipts[i])
		rawdb.WriteTxLookupEntriesByBlock(batch, b)
	}
	if err := putLowest(batch, from); err != nil {
		return err
	}
	return batch.Write()
}

// fetchHistory fetches the bodies and receipts of all of headers from conn,
// asking again for what an answer left out.
func (d *Driver) fetchHistory(ctx context.Context, conn *peertap.Conn, headers []*types.Header) ([]*types.Block, []rlp.RawValue, error) {
	var (
		blocks   []*types.Block
		receipts []rlp.RawValue
	)
	for len(blocks) < len(headers) {
		rctx, cancel := context.WithTimeout(ctx, stepWait)
		got, err := conn.Bodies(rctx, headers[len(blocks):])
		cancel()
		if err != nil {
			return nil, nil, err
		}
		blocks = append(blocks, got...)
	}
	for len(receipts) < len(blocks) {
		rctx, cancel := context.WithTimeout(ctx, stepWait)
		got, err := conn.Receipts(rctx, blocks[len(receipts):])
		cancel()
		if err != nil {
			return nil, nil, err
		}
		receipts = append(receipts, got...)
	}
	return blocks, receipts, nil
}

// anyPeer waits for a tapped eth connection that was not dropped.
func (d *Driver) anyPeer(ctx context.Context) (*peertap.Conn, error) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, c := range d.cfg.Eth.Peers() {
			if !c.Dropped() {
				return c, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, errors.Join(errors.New("backfill: no peer"), ctx.Err())
		case <-tick.C:
		}
	}
}
