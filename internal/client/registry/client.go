package registry

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/bindings/propertytitles"
)

// Defaults of a Client.
const (
	DefaultWait  = 60 * time.Second       // longest wait for a receipt
	receiptPoll  = 100 * time.Millisecond // receipt polling interval
	gasHeadroom  = 20                     // percent added to a gas estimate
	minTipPerGas = 1                      // wei, if the node suggests no tip
)

// ABIs of the registry contracts (the abigen v2 bindings pack and unpack).
var (
	dirABI    = directory.NewDirectory()
	docsABI   = documents.NewDocuments()
	titlesABI = propertytitles.NewPropertyTitles()
)

// Client talks to one node: reads with eth_call, writes with transactions
// signed by its Signer (if any).
type Client struct {
	rpc     *rpc.Client
	eth     *ethclient.Client
	signer  *Signer
	chainID *big.Int

	// Wait bounds how long Send waits for a receipt.
	Wait time.Duration
	// Block is the block reads are made at; nil reads the latest block.
	Block *big.Int
}

// Dial connects to the node at url. signer may be nil for a read-only client.
func Dial(ctx context.Context, url string, signer *Signer) (*Client, error) {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("cannot reach %s: %w (is the node running, and --rpc right?)", url, err)
	}
	cl := New(c, signer)
	if _, err := cl.ChainID(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("cannot reach %s: %w (is the node running, and --rpc right?)", url, err)
	}
	return cl, nil
}

// New returns a client over an open RPC connection.
func New(c *rpc.Client, signer *Signer) *Client {
	return &Client{rpc: c, eth: ethclient.NewClient(c), signer: signer, Wait: DefaultWait}
}

// Close closes the connection.
func (c *Client) Close() { c.rpc.Close() }

// RPC returns the underlying connection.
func (c *Client) RPC() *rpc.Client { return c.rpc }

// Eth returns the underlying ethclient.
func (c *Client) Eth() *ethclient.Client { return c.eth }

// From returns the signer's address, or the zero address for a read-only client.
func (c *Client) From() common.Address {
	if c.signer == nil {
		return common.Address{}
	}
	return c.signer.Address
}

// ChainID returns the node's chain id (asked once).
func (c *Client) ChainID(ctx context.Context) (*big.Int, error) {
	if c.chainID != nil {
		return c.chainID, nil
	}
	id, err := c.eth.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	c.chainID = id
	return id, nil
}

// Call runs a read-only call of to with data (at c.Block) and returns its
// output; a revert comes back as a *RevertError. action names the call in
// errors ("Polls.getPoll").
func (c *Client) Call(ctx context.Context, action string, to common.Address, data []byte) ([]byte, error) {
	msg := ethereum.CallMsg{From: c.From(), To: &to, Data: data}
	out, err := c.eth.CallContract(ctx, msg, c.Block)
	if err != nil {
		return nil, revertOr(action, err)
	}
	if len(out) == 0 {
		code, cerr := c.eth.CodeAt(ctx, to, c.Block)
		if cerr == nil && len(code) == 0 {
			return nil, fmt.Errorf("%s: no contract at %s on this chain (is it a citychain network?)", action, to.Hex())
		}
	}
	return out, nil
}

// revertOr turns an error carrying revert data into a *RevertError.
func revertOr(action string, err error) error {
	data, ok := contracts.RevertData(err)
	if !ok {
		return fmt.Errorf("%s: %w", action, err)
	}
	reason, derr := contracts.DecodeRevert(data)
	if derr != nil {
		reason = hexutil.Encode(data)
	}
	return &RevertError{Action: action, Reason: reason}
}

// Tx is a mined transaction of the registry.
type Tx struct {
	Action  string         `json:"action"`
	Hash    common.Hash    `json:"hash"`
	From    common.Address `json:"from"`
	Block   uint64         `json:"block"`
	GasUsed uint64         `json:"gasUsed"`
	Logs    []*types.Log   `json:"-"`
}

// Send signs a transaction calling to with data, sends it and waits for its
// receipt. The gas is estimated first, so a transaction that would revert is
// refused before it is sent, with the contract's error decoded.
func (c *Client) Send(ctx context.Context, action string, to common.Address, data []byte) (*Tx, error) {
	tx, err := c.SignTx(ctx, action, to, data, 0, nil)
	if err != nil {
		return nil, err
	}
	if err := c.eth.SendTransaction(ctx, tx); err != nil {
		return nil, fmt.Errorf("%s: send transaction: %w", action, err)
	}
	log.Debug("Sent registry transaction", "action", action, "hash", tx.Hash(), "nonce", tx.Nonce())
	return c.WaitMined(ctx, action, tx)
}

// SignTx returns a signed EIP-1559 transaction calling to with data. A gas of
// zero is estimated (refusing a transaction that would revert); a nil nonce
// is the account's pending nonce. Fees: the node's suggested tip and twice
// the latest base fee plus the tip as the cap.
func (c *Client) SignTx(ctx context.Context, action string, to common.Address, data []byte, gas uint64, nonce *uint64) (*types.Transaction, error) {
	return c.signTx(ctx, action, &to, data, gas, nonce)
}

// Create deploys a contract: code is its creation code with the constructor
// arguments appended. It returns the mined transaction and the new
// contract's address.
func (c *Client) Create(ctx context.Context, action string, code []byte) (*Tx, common.Address, error) {
	tx, err := c.signTx(ctx, action, nil, code, 0, nil)
	if err != nil {
		return nil, common.Address{}, err
	}
	if err := c.eth.SendTransaction(ctx, tx); err != nil {
		return nil, common.Address{}, fmt.Errorf("%s: send transaction: %w", action, err)
	}
	addr := crypto.CreateAddress(c.signer.Address, tx.Nonce())
	out, err := c.WaitMined(ctx, action, tx)
	return out, addr, err
}

// signTx is SignTx for a call (to set) or a contract creation (to nil).
func (c *Client) signTx(ctx context.Context, action string, to *common.Address, data []byte, gas uint64, nonce *uint64) (*types.Transaction, error) {
	if c.signer == nil {
		return nil, fmt.Errorf("%s: %w", action, ErrNoKey)
	}
	chainID, err := c.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	if gas == 0 {
		est, err := c.eth.EstimateGas(ctx, ethereum.CallMsg{From: c.signer.Address, To: to, Data: data})
		if err != nil {
			return nil, revertOr(action, err)
		}
		gas = est + est*gasHeadroom/100
	}
	var n uint64
	if nonce != nil {
		n = *nonce
	} else if n, err = c.eth.PendingNonceAt(ctx, c.signer.Address); err != nil {
		return nil, fmt.Errorf("%s: nonce of %s: %w", action, c.signer.Address, err)
	}
	tip, feeCap, err := c.Fees(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	return types.SignNewTx(c.signer.key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: n, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: to, Data: data,
	})
}

// Fees returns the tip and fee cap of the next transaction.
func (c *Client) Fees(ctx context.Context) (tip, feeCap *big.Int, err error) {
	head, err := c.eth.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("latest header: %w", err)
	}
	if head.BaseFee == nil {
		return nil, nil, errors.New("the chain has no base fee (not London): EIP-1559 transactions cannot be sent")
	}
	tip, err = c.eth.SuggestGasTipCap(ctx)
	if err != nil || tip.Sign() == 0 {
		tip = big.NewInt(minTipPerGas)
	}
	feeCap = new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	return tip, feeCap, nil
}

// WaitMined waits up to c.Wait for tx's receipt. A transaction that failed
// on chain is replayed with eth_call at its block to name the error.
func (c *Client) WaitMined(ctx context.Context, action string, tx *types.Transaction) (*Tx, error) {
	wctx, cancel := context.WithTimeout(ctx, c.Wait)
	defer cancel()
	t := time.NewTicker(receiptPoll)
	defer t.Stop()
	for {
		r, err := c.eth.TransactionReceipt(wctx, tx.Hash())
		if err == nil {
			out := &Tx{Action: action, Hash: tx.Hash(), From: c.From(), Block: r.BlockNumber.Uint64(), GasUsed: r.GasUsed, Logs: r.Logs}
			if r.Status != types.ReceiptStatusSuccessful {
				return out, c.replay(ctx, action, tx, r.BlockNumber)
			}
			return out, nil
		}
		if !ReceiptPending(err) && wctx.Err() == nil {
			return nil, fmt.Errorf("%s: receipt of %s: %w", action, tx.Hash(), err)
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("%s: %w: %s not mined within %v; check the node is sealing (cityctl signer status) and look the hash up later", action, ErrReceiptTimeout, tx.Hash(), c.Wait)
		case <-t.C:
		}
	}
}

// ReceiptPending reports an eth_getTransactionReceipt error that means "not
// yet": no receipt, or go-ethereum's "transaction indexing is in progress"
// (-32000), which a node answers for a transaction it has not found while
// its transaction indexer is still running, as on a chain just started.
func ReceiptPending(err error) bool {
	return errors.Is(err, ethereum.NotFound) || strings.Contains(err.Error(), "transaction indexing is in progress")
}

// replay re-runs a failed transaction as a call on the state before its
// block to recover the revert reason.
func (c *Client) replay(ctx context.Context, action string, tx *types.Transaction, block *big.Int) error {
	msg := ethereum.CallMsg{From: c.From(), To: tx.To(), Data: tx.Data(), Gas: tx.Gas()}
	_, err := c.eth.CallContract(ctx, msg, new(big.Int).Sub(block, big.NewInt(1)))
	if err != nil {
		if rerr := revertOr(action, err); errors.Is(rerr, ErrReverted) {
			return rerr
		}
	}
	return &RevertError{Action: action, Reason: fmt.Sprintf("failed on chain in block %v (transaction %s; out of gas, or the state changed before it ran)", block, tx.Hash())}
}
