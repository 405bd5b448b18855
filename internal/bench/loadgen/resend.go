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
// node answers, and at the end every transaction the node acknowledged must have
// a receipt on the node's final chain: one that is missing was lost.

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

// receiptCheck is what the node said, at the end, of the accepted transactions.
type receiptCheck struct {
	lost       []common.Hash // answered: no receipt
	unanswered []common.Hash // no answer (the request or the call failed)
	why        error         // the last failure, for the report
}

// confirmAccepted asks the node for the receipt of every accepted transaction.
// It asks again while the answers improve (a restarted node may still be mining
// what its journal gave back, or indexing), and stops once they have not
// improved for stall. A transaction the node never answered for is not counted
// as lost: it is reported as unanswered.
func confirmAccepted(client *Client, tr *tracker, stall time.Duration) receiptCheck {
	ctx, cancel := context.WithTimeout(context.Background(), stall+time.Minute)
	defer cancel()
	check := receiptCheck{unanswered: acceptedHashes(tr)}
	changed := time.Now()
	for {
		ask := append(check.lost, check.unanswered...)
		next := askReceipts(ctx, client, ask)
		if len(next.lost)+len(next.unanswered) < len(ask) {
			changed = time.Now()
		}
		check = next
		if len(ask) == 0 || len(check.lost)+len(check.unanswered) == 0 || time.Since(changed) > stall {
			return check
		}
		select {
		case <-ctx.Done():
			return check
		case <-time.After(time.Second):
		}
	}
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

// askReceipts asks for the receipts of hashes, lookupBatch at a time, and
// sorts out those without one and those the node did not answer for.
func askReceipts(ctx context.Context, client *Client, hashes []common.Hash) receiptCheck {
	var check receiptCheck
	for lo := 0; lo < len(hashes); lo += lookupBatch {
		part := hashes[lo:min(lo+lookupBatch, len(hashes))]
		receipts := make([]*struct {
			BlockNumber hexutil.Uint64 `json:"blockNumber"`
		}, len(part))
		elems := make([]BatchElem, len(part))
		for k, h := range part {
			elems[k] = BatchElem{Method: "eth_getTransactionReceipt", Params: []any{h}, Result: &receipts[k]}
		}
		if err := client.Batch(ctx, elems); err != nil {
			check.unanswered = append(check.unanswered, part...)
			check.why = err
			continue
		}
		for k, h := range part {
			switch {
			case elems[k].Err != nil: // e.g. "transaction indexing is in progress"
				check.unanswered = append(check.unanswered, h)
				check.why = fmt.Errorf("receipt of %s: %w", h, elems[k].Err)
			case receipts[k] == nil:
				check.lost = append(check.lost, h)
			}
		}
	}
	return check
}
