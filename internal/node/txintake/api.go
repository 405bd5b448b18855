package txintake

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rpc"
)

// APIs returns the RPC services of the intake: eth_sendRawTransaction, and
// city_sendRawTransactions and city_transactionStatus. The node must register
// them after geth's eth APIs: geth's RPC registry merges services of one
// namespace method by method and the later registration wins, so ours
// replaces geth's eth_sendRawTransaction and leaves its other methods alone.
//
// geth's eth_sendRawTransactionSync and eth_sendTransaction still go to the
// pool directly, without the journal.
func (in *Intake) APIs() []rpc.API {
	return []rpc.API{
		{Namespace: "eth", Service: &EthAPI{in: in}},
		{Namespace: "city", Service: &CityAPI{in: in}},
	}
}

// EthAPI is the intake's part of the eth namespace.
type EthAPI struct {
	in *Intake
}

// SendRawTransaction implements eth_sendRawTransaction with go-ethereum's
// semantics and errors (decoding, the RPC fee cap, replay protection, the
// pool's refusals) but through the intake, so an accepted transaction is
// journaled and tracked. Unlike geth it logs each transaction at Debug, not
// Info.
func (api *EthAPI) SendRawTransaction(ctx context.Context, input hexutil.Bytes) (common.Hash, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(input); err != nil {
		return common.Hash{}, err
	}
	if err := api.in.Submit(ctx, []*types.Transaction{tx})[0]; err != nil {
		return common.Hash{}, err
	}
	log.Debug("Submitted transaction", "hash", tx.Hash(), "nonce", tx.Nonce())
	return tx.Hash(), nil
}

// CityAPI is the intake's part of the city namespace.
type CityAPI struct {
	in *Intake
}

// SendResult is the outcome of one transaction of a bulk submission: its
// hash if it was accepted, otherwise the error message.
type SendResult struct {
	Hash  *common.Hash `json:"hash,omitempty"`
	Error string       `json:"error,omitempty"`
}

// SendRawTransactions implements city_sendRawTransactions: it submits many
// signed transactions in one call and returns one result per input, in
// order. Each is treated as eth_sendRawTransaction would treat it; the batch
// goes to the pool at once and its senders are recovered in parallel.
func (api *CityAPI) SendRawTransactions(ctx context.Context, inputs []hexutil.Bytes) ([]SendResult, error) {
	if limit := api.in.cfg.MaxBatch; len(inputs) > limit {
		return nil, fmt.Errorf("%w: have %d, want <= %d", errBatchTooLarge, len(inputs), limit)
	}
	results := make([]SendResult, len(inputs))
	txs := make([]*types.Transaction, 0, len(inputs))
	pos := make([]int, 0, len(inputs))
	for i, input := range inputs {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(input); err != nil {
			results[i].Error = err.Error()
			continue
		}
		txs = append(txs, tx)
		pos = append(pos, i)
	}
	for k, err := range api.in.Submit(ctx, txs) {
		if err != nil {
			results[pos[k]].Error = err.Error()
			continue
		}
		hash := txs[k].Hash()
		results[pos[k]].Hash = &hash
	}
	log.Debug("Submitted transaction batch", "count", len(inputs))
	return results, nil
}

// TransactionStatus implements city_transactionStatus: where a transaction
// stands (see Intake.Status).
func (api *CityAPI) TransactionStatus(hash common.Hash) Status {
	return api.in.Status(hash)
}
