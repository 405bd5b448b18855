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

// confirmAccepted returns the accepted transactions that have no receipt on the
// node's chain. It asks again while the answers improve (a restarted node may
// still be mining what its journal gave back), and gives up on the rest once
// they have not changed for stall.
func confirmAccepted(client *Client, tr *tracker, stall time.Duration) ([]common.Hash, error) {
	ctx, cancel := context.WithTimeout(context.Background(), stall+time.Minute)
	defer cancel()
	missing := acceptedHashes(tr)
	changed := time.Now()
	for len(missing) > 0 {
		still, err := withoutReceipt(ctx, client, missing)
		switch {
		case err != nil && ctx.Err() != nil:
			return missing, fmt.Errorf("confirm receipts: %w", err)
		case err != nil:
			log.Debug("Receipt check failed, asking again", "err", err)
		case len(still) < len(missing):
			missing, changed = still, time.Now()
		}
		if len(missing) == 0 || time.Since(changed) > stall {
			break
		}
		select {
		case <-ctx.Done():
			return missing, nil
		case <-time.After(time.Second):
		}
	}
	return missing, nil
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

// withoutReceipt returns the hashes among hashes for which the node has no
// receipt (eth_getTransactionReceipt answers null), asking lookupBatch at a time.
func withoutReceipt(ctx context.Context, client *Client, hashes []common.Hash) ([]common.Hash, error) {
	var missing []common.Hash
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
			return nil, err
		}
		for k, h := range part {
			if elems[k].Err != nil {
				// "transaction indexing is in progress": not known yet either way.
				return nil, fmt.Errorf("receipt of %s: %w", h, elems[k].Err)
			}
			if receipts[k] == nil {
				missing = append(missing, h)
			}
		}
	}
	return missing, nil
}
