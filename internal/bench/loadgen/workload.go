package loadgen

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Workload is one kind of transaction load. The runner gives it the chain facts and the
// funded accounts; it returns the transactions to send, in send order, unsigned. The
// runner signs them in parallel, sends them and measures their inclusion, so a workload
// only decides what its transactions are.
//
// A workload that needs set-up on chain first (deploying a contract, say) does it in Plan
// through env.Client and waits for it there; Plan is outside the measured window.
type Workload interface {
	// Name is the workload's name in reports ("transfers").
	Name() string
	// Plan returns count transactions. It takes nonces from env.NextNonce.
	Plan(ctx context.Context, env *Env, count int) ([]Intent, error)
}

// Intent is one transaction a workload wants sent: its sender (an index into
// Env.Accounts) and its unsigned body.
type Intent struct {
	From int
	Tx   types.TxData
}

// Env is what a workload may use to build transactions.
type Env struct {
	Client   *Client
	ChainID  *big.Int
	Accounts []Account
	Nonces   []uint64 // next nonce per account, advanced by NextNonce
	Dynamic  bool     // EIP-1559 dynamic-fee transactions, else legacy
	Tip      *big.Int // priority fee (dynamic) in wei
	FeeCap   *big.Int // max fee per gas (dynamic) or gas price (legacy) in wei
}

// NextNonce returns the next nonce of account from and advances it.
func (e *Env) NextNonce(from int) uint64 {
	n := e.Nonces[from]
	e.Nonces[from]++
	return n
}

// Tx returns an unsigned transaction from account from with the next nonce and the
// fee fields chosen for this run.
func (e *Env) Tx(from int, to *common.Address, value *big.Int, gas uint64, data []byte) Intent {
	nonce := e.NextNonce(from)
	if e.Dynamic {
		return Intent{From: from, Tx: &types.DynamicFeeTx{
			ChainID: e.ChainID, Nonce: nonce, GasTipCap: e.Tip, GasFeeCap: e.FeeCap,
			Gas: gas, To: to, Value: value, Data: data,
		}}
	}
	return Intent{From: from, Tx: &types.LegacyTx{
		Nonce: nonce, GasPrice: e.FeeCap, Gas: gas, To: to, Value: value, Data: data,
	}}
}

// Workloads lists the workloads citybench knows, by name.
func Workloads() map[string]Workload {
	return map[string]Workload{
		"transfers":  Transfers{},
		"docs":       Documents{},
		"docs-batch": Documents{PerBatch: BenchBatchSize},
	}
}

// BenchBatchSize is the number of documents per Merkle batch of the
// docs-batch workload.
const BenchBatchSize = 1000

// Transfers is the plain value transfer workload: transaction k is sent by account
// k mod n to account (k+1) mod n, 1 wei, 21000 gas. Round-robin over senders keeps every
// account's nonces in order within a batch and spreads each batch over many accounts.
type Transfers struct{}

// transferGas is the intrinsic gas of a plain transfer, gas.
const transferGas = 21000

// Name implements Workload.
func (Transfers) Name() string { return "transfers" }

// Plan implements Workload.
func (Transfers) Plan(_ context.Context, env *Env, count int) ([]Intent, error) {
	n := len(env.Accounts)
	if n < 2 {
		return nil, fmt.Errorf("too few accounts for transfers: have %d, want >= 2", n)
	}
	value := big.NewInt(1)
	out := make([]Intent, count)
	for k := range out {
		from := k % n
		to := env.Accounts[(from+1)%n].Address
		out[k] = env.Tx(from, &to, value, transferGas, nil)
	}
	return out, nil
}
