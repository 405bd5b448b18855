package loadgen

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/log"
)

// The crash benchmark's mode (Config.Resend): the node is killed and restarted
// while the load runs. A batch whose request failed is posted again until the
// node answers, and at the end every transaction the node acknowledged must be in
// a block of the node's final chain: one that is not was lost. The final chain is
// read block by block (blocks are few, and receipt lookups are slow on geth 1.13:
// docs/benchmarks.md measured 8-13 receipts/s), so a block the node lost to a
// rewind after the run saw it does not count.

// resendWait bounds the wait between two posts of a batch whose request failed.
var resendWait = [2]time.Duration{50 * time.Millisecond, time.Second}

// postBatch posts one batch of n calls. With resend it posts it again after a
// failure of the request itself (connection refused or reset, a truncated or
// non-200 answer: the node is down or restarting) until the node answers or ctx
// ends; a JSON-RPC error answer is the node's word and is returned as it is. It
// returns how many times the batch was posted again.
func postBatch(ctx context.Context, client *Client, body []byte, n int, resend bool) ([]response, int, error) {
	wait := resendWait[0]
	for again := 0; ; again++ {
		resps, err := client.BatchRaw(ctx, body, n)
		if err == nil || !resend || !requestFailed(err) || ctx.Err() != nil {
			return resps, again, err
		}
		if again == 0 {
			log.Debug("Batch request failed, posting it again until the node answers", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil, again, err
		case <-time.After(wait):
		}
		wait = min(2*wait, resendWait[1])
	}
}

// requestFailed reports whether err is a failure of the request rather than
// the node's answer to it.
func requestFailed(err error) bool {
	var rpcErr *RPCError
	return !errors.As(err, &rpcErr) && !errors.Is(err, errBatchLength)
}

// alreadyKnown reports whether a node's refusal of a transaction posted again
// says that it holds the transaction already (geth's and citynode's pools): the
// first post reached it, only the answer was lost.
func alreadyKnown(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "already known")
}

// chainCheck is what the node's final chain says of the accepted transactions.
type chainCheck struct {
	lost       []common.Hash // in no block of the chain (and, after classify, unknown to the node)
	pending    []common.Hash // in no block, but the node still holds it (classify)
	unanswered []common.Hash // not decided: the chain could not be read
	why        error         // the last failure, for the report
}

// confirmAccepted looks for every accepted transaction in the blocks of the
// node's chain after from. It looks again while more are found (a restarted node
// may still be mining what its journal gave back), and stops once nothing more
// was found for stall. When the chain cannot be read, the transactions not found
// are unanswered, not lost.
func confirmAccepted(client *Client, tr *tracker, from uint64, stall time.Duration) chainCheck {
	ctx, cancel := context.WithTimeout(context.Background(), stall+time.Minute)
	defer cancel()
	check := chainCheck{unanswered: acceptedHashes(tr)}
	changed := time.Now()
	for {
		left := append(check.lost, check.unanswered...)
		next := scanChain(ctx, client, from, left)
		if len(next.lost)+len(next.unanswered) < len(left) {
			changed = time.Now()
		}
		check = next
		if len(check.lost)+len(check.unanswered) == 0 || time.Since(changed) > stall {
			return classify(ctx, client, check)
		}
		select {
		case <-ctx.Done():
			return classify(ctx, client, check)
		case <-time.After(time.Second):
		}
	}
}

// classify asks the node about each transaction missing from its chain: one it
// still holds (its pool, a restarted node's journal) is pending, not lost; one
// it does not answer for stays undecided.
func classify(ctx context.Context, client *Client, check chainCheck) chainCheck {
	missing := check.lost
	check.lost = nil
	for lo := 0; lo < len(missing); lo += lookupBatch {
		part := missing[lo:min(lo+lookupBatch, len(missing))]
		txs := make([]*struct {
			Hash common.Hash `json:"hash"`
		}, len(part))
		elems := make([]BatchElem, len(part))
		for k, h := range part {
			elems[k] = BatchElem{Method: "eth_getTransactionByHash", Params: []any{h}, Result: &txs[k]}
		}
		if err := client.Batch(ctx, elems); err != nil {
			check.unanswered = append(check.unanswered, part...)
			check.why = fmt.Errorf("look up transactions missing from the chain: %w", err)
			continue
		}
		for k, h := range part {
			switch {
			case elems[k].Err != nil:
				check.unanswered = append(check.unanswered, h)
				check.why = fmt.Errorf("look up %s: %w", h, elems[k].Err)
			case txs[k] == nil:
				check.lost = append(check.lost, h)
			default:
				check.pending = append(check.pending, h)
			}
		}
	}
	return check
}

// acceptedHashes returns the hashes of the transactions the node accepted.
func acceptedHashes(tr *tracker) []common.Hash {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	hashes := make([]common.Hash, 0, tr.accepted)
	for i, st := range tr.state {
		if st == txAccepted {
			hashes = append(hashes, tr.hash[i])
		}
	}
	return hashes
}

// scanBatch is how many blocks one batch of the final scan asks for.
const scanBatch = 100

// scanChain reads the node's blocks after from up to its head and returns
// which of hashes none of them holds.
func scanChain(ctx context.Context, client *Client, from uint64, hashes []common.Hash) chainCheck {
	var head hexutil.Uint64
	if err := client.Call(ctx, &head, "eth_blockNumber"); err != nil {
		return chainCheck{unanswered: hashes, why: err}
	}
	in := make(map[common.Hash]bool)
	for lo := from + 1; lo <= uint64(head); lo += scanBatch {
		hi := min(lo+scanBatch-1, uint64(head))
		blocks := make([]rpcBlock, hi-lo+1)
		elems := make([]BatchElem, len(blocks))
		for k := range elems {
			elems[k] = BatchElem{Method: "eth_getBlockByNumber", Params: []any{hexutil.Uint64(lo + uint64(k)), false}, Result: &blocks[k]}
		}
		if err := client.Batch(ctx, elems); err != nil {
			return chainCheck{unanswered: hashes, why: fmt.Errorf("read blocks %d..%d: %w", lo, hi, err)}
		}
		for k, e := range elems {
			if e.Err != nil || uint64(blocks[k].Number) != lo+uint64(k) {
				return chainCheck{unanswered: hashes, why: fmt.Errorf("block %d: %w (%v)", lo+uint64(k), errNoBlock, e.Err)}
			}
			for _, h := range blocks[k].Transactions {
				in[h] = true
			}
		}
	}
	var check chainCheck
	for _, h := range hashes {
		if !in[h] {
			check.lost = append(check.lost, h)
		}
	}
	return check
}
