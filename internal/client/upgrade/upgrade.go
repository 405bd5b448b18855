// Package upgrade is the client side of upgrading a running London chain to
// Shanghai, Cancun and Prague rules (ADR 063): the keyless deployments of the
// system contracts and the check that every node has the same fork schedule.
package upgrade

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
)

var (
	// ErrNotShanghai is returned if the head is not a post-Shanghai block:
	// the deployments would fail (PUSH0) and use up their only nonce.
	ErrNotShanghai = errors.New("the chain does not run Shanghai rules yet")
	// ErrNonceUsed is returned if a deployer's nonce 0 went without creating
	// its contract: the canonical address can never hold it.
	ErrNonceUsed = errors.New("the keyless deployer's nonce 0 is used")
	// ErrDisagree is returned if nodes report different fork schedules.
	ErrDisagree = errors.New("the nodes' fork schedules differ")
)

// Deployed is the outcome of one system contract's deployment.
type Deployed struct {
	EIP     int            `json:"eip"`
	Name    string         `json:"name"`
	Address common.Address `json:"address"`
	Sender  common.Address `json:"sender"`
	Funded  *big.Int       `json:"funded"`          // wei sent to the deployer (0 if it held enough)
	Tx      common.Hash    `json:"tx"`              // the deployment transaction
	Block   uint64         `json:"block,omitempty"` // 0 if it was deployed before
	Already bool           `json:"already"`         // the code was there: nothing sent
}

// DeploySystemContracts deploys the four system contracts by their keyless
// transactions (genesis.SystemDeployments): each deployer account not yet
// holding its transaction's cost gets the difference from funder, then the
// transactions are sent and waited for, each up to wait. A contract already
// at its address is left alone. It refuses before sending anything if the
// head runs London rules or a deployer's nonce 0 is used.
func DeploySystemContracts(ctx context.Context, ec *ethclient.Client, funder *ecdsa.PrivateKey, wait time.Duration) ([]Deployed, error) {
	head, err := ec.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("latest header: %w", err)
	}
	if head.Difficulty.Sign() != 0 {
		return nil, fmt.Errorf("%w: the head (block %d) is a London block; schedule shanghaiTime first and wait for it (docs/modern-evm.md): sent before, the deployments fail on PUSH0 and use up their deployers' nonce 0 for good", ErrNotShanghai, head.Number)
	}
	out, todo, err := plan(ctx, ec)
	if err != nil {
		return nil, err
	}
	if err := fund(ctx, ec, funder, out, todo, wait); err != nil {
		return nil, err
	}
	for _, i := range todo {
		d := genesis.SystemDeployments()[i]
		if err := ec.SendTransaction(ctx, d.Tx); err != nil {
			return nil, fmt.Errorf("send the %s deployment %s: %w", d.Name, d.Tx.Hash(), err)
		}
	}
	for _, i := range todo {
		d := genesis.SystemDeployments()[i]
		r, err := waitReceipt(ctx, ec, d.Tx.Hash(), wait)
		if err != nil {
			return nil, fmt.Errorf("the %s deployment: %w", d.Name, err)
		}
		if r.Status != types.ReceiptStatusSuccessful || r.ContractAddress != d.Address {
			return nil, fmt.Errorf("the %s deployment %s failed in block %d (created %s)", d.Name, d.Tx.Hash(), r.BlockNumber, r.ContractAddress.Hex())
		}
		out[i].Block = r.BlockNumber.Uint64()
	}
	return out, nil
}

// plan returns an outcome per deployment and the indexes of those to send,
// with the cost each deployer still lacks in Funded.
func plan(ctx context.Context, ec *ethclient.Client) ([]Deployed, []int, error) {
	want := core.SystemContractAllocs()
	var out []Deployed
	var todo []int
	for i, d := range genesis.SystemDeployments() {
		o := Deployed{EIP: d.EIP, Name: d.Name, Address: d.Address, Sender: d.Sender, Tx: d.Tx.Hash(), Funded: new(big.Int)}
		code, err := ec.CodeAt(ctx, d.Address, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("code at %s: %w", d.Address.Hex(), err)
		}
		if bytes.Equal(code, want[d.Address].Code) {
			o.Already = true
			out = append(out, o)
			continue
		}
		if len(code) > 0 {
			return nil, nil, fmt.Errorf("%s holds other code than the %s contract: this chain cannot have it at its address", d.Address.Hex(), d.Name)
		}
		nonce, err := ec.NonceAt(ctx, d.Sender, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("nonce of %s: %w", d.Sender.Hex(), err)
		}
		if nonce > 0 {
			return nil, nil, fmt.Errorf("%w: %s (the %s deployer) has sent %d transactions and %s has no code: the contract can never be at its address on this chain", ErrNonceUsed, d.Sender.Hex(), d.Name, nonce, d.Address.Hex())
		}
		balance, err := ec.BalanceAt(ctx, d.Sender, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("balance of %s: %w", d.Sender.Hex(), err)
		}
		if lack := new(big.Int).Sub(d.Cost(), balance); lack.Sign() > 0 {
			o.Funded = lack
		}
		out = append(out, o)
		todo = append(todo, i)
	}
	return out, todo, nil
}

// fund sends each deployer of plan's outcomes in todo what it lacks (Funded)
// from funder and waits for the transfers.
func fund(ctx context.Context, ec *ethclient.Client, funder *ecdsa.PrivateKey, out []Deployed, todo []int, wait time.Duration) error {
	chainID, err := ec.ChainID(ctx)
	if err != nil {
		return err
	}
	from := crypto.PubkeyToAddress(funder.PublicKey)
	nonce, err := ec.PendingNonceAt(ctx, from)
	if err != nil {
		return fmt.Errorf("nonce of %s: %w", from.Hex(), err)
	}
	head, err := ec.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	tip := big.NewInt(params.GWei)
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	var sent []*types.Transaction
	for _, i := range todo {
		o := out[i]
		if o.Funded.Sign() == 0 {
			continue
		}
		to := o.Sender
		tx, err := types.SignNewTx(funder, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
			ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: params.TxGas, To: &to, Value: o.Funded,
		})
		if err != nil {
			return err
		}
		if err := ec.SendTransaction(ctx, tx); err != nil {
			return fmt.Errorf("fund the %s deployer %s with %s wei from %s: %w", o.Name, to.Hex(), o.Funded, from.Hex(), err)
		}
		sent, nonce = append(sent, tx), nonce+1
	}
	for _, tx := range sent {
		r, err := waitReceipt(ctx, ec, tx.Hash(), wait)
		if err != nil {
			return fmt.Errorf("funding %s: %w", tx.To().Hex(), err)
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return fmt.Errorf("funding %s failed in block %d", tx.To().Hex(), r.BlockNumber)
		}
	}
	return nil
}

// waitReceipt polls for hash's receipt for up to wait.
func waitReceipt(ctx context.Context, ec *ethclient.Client, hash common.Hash, wait time.Duration) (*types.Receipt, error) {
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		if r, err := ec.TransactionReceipt(wctx, hash); err == nil {
			return r, nil
		}
		select {
		case <-wctx.Done():
			return nil, fmt.Errorf("%s not mined within %v: check the signers are sealing", hash, wait)
		case <-tick.C:
		}
	}
}

// Fork is one fork of a node's schedule, as go-ethereum's eth_config
// (EIP-7910) reports it.
type Fork struct {
	ActivationTime uint64        `json:"activationTime"`
	ForkID         hexutil.Bytes `json:"forkId"`
}

// Schedule is what a node reports of its forks: the current one, the next
// scheduled one and the last scheduled one (nil when none).
type Schedule struct {
	Node    string `json:"node"`
	Current *Fork  `json:"current"`
	Next    *Fork  `json:"next"`
	Last    *Fork  `json:"last"`
}

// ReadSchedule asks the node at c for its fork schedule.
func ReadSchedule(ctx context.Context, c *rpc.Client, name string) (Schedule, error) {
	var raw json.RawMessage
	if err := c.CallContext(ctx, &raw, "eth_config"); err != nil {
		return Schedule{Node: name}, fmt.Errorf("eth_config of %s: %w", name, err)
	}
	s := Schedule{Node: name}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("eth_config of %s: %w", name, err)
	}
	s.Node = name
	return s, nil
}

// Agree returns ErrDisagree naming the nodes whose current, next or last
// scheduled fork (time and fork id, which covers every fork before) differs
// from the first node's.
func Agree(all []Schedule) error {
	if len(all) == 0 {
		return nil
	}
	key := func(s Schedule) string {
		k, _ := json.Marshal([]*Fork{s.Current, s.Next, s.Last})
		return string(k)
	}
	var odd []string
	for _, s := range all[1:] {
		if key(s) != key(all[0]) {
			odd = append(odd, fmt.Sprintf("%s (next %s, last %s)", s.Node, forkString(s.Next), forkString(s.Last)))
		}
	}
	if len(odd) > 0 {
		return fmt.Errorf("%w: %s has next %s, last %s; differing: %v: run `citynode init` with the same upgraded genesis on each differing node (stopped) before the fork", ErrDisagree, all[0].Node, forkString(all[0].Next), forkString(all[0].Last), odd)
	}
	return nil
}

func forkString(f *Fork) string {
	if f == nil {
		return "none"
	}
	return fmt.Sprintf("%d (fork id %x)", f.ActivationTime, []byte(f.ForkID))
}
