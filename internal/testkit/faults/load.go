package faults

import (
	"context"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Load sends transfers through the rpc node at a steady rate, one nonce
// after the other. A transfer is acknowledged when eth_sendRawTransaction
// returns its hash; one that fails is sent again, the same bytes, until the
// node takes it (or says its nonce is used: it was included).
type Load struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	acked []common.Hash
}

// Rate of the load, transfers per second.
const Rate = 5

// StartLoad starts the load on the cluster's rpc node.
func (c *Cluster) StartLoad() (*Load, error) {
	rpcNode, err := c.Net.Node("rpc1")
	if err != nil {
		return nil, err
	}
	cl, err := ethclient.Dial(rpcNode.RPC)
	if err != nil {
		return nil, err
	}
	start, err := cl.PendingNonceAt(context.Background(), c.Faucet())
	if err != nil {
		cl.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Load{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		defer cl.Close()
		l.run(ctx, c, cl, start)
	}()
	return l, nil
}

func (l *Load) run(ctx context.Context, c *Cluster, cl *ethclient.Client, start uint64) {
	tick := time.NewTicker(time.Second / Rate)
	defer tick.Stop()
	to := common.Address{0xfa, 0x17}
	for nonce := start; ; nonce++ {
		tx := types.MustSignNewTx(c.key, c.signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(chainID), Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9),
			Gas: 21000, To: &to, Value: big.NewInt(1),
		})
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			sctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			err := cl.SendTransaction(sctx, tx)
			cancel()
			if err == nil || strings.Contains(err.Error(), "already known") || strings.Contains(err.Error(), "nonce too low") {
				l.mu.Lock()
				l.acked = append(l.acked, tx.Hash())
				l.mu.Unlock()
				break
			}
		}
	}
}

// Stop ends the load and returns every acknowledged transfer.
func (l *Load) Stop() []common.Hash {
	l.cancel()
	<-l.done
	return l.Acked()
}

// Acked returns the transfers acknowledged so far.
func (l *Load) Acked() []common.Hash {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]common.Hash(nil), l.acked...)
}
