package faults

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
)

// Flood sends eth_call (the Directory's signerDepartment) and eth_getLogs
// (the Directory's events from block 0) to one node from clients clients at
// once, as fast as it answers, for hold. The verdict's block time p95 says
// whether sealing kept its period.
func Flood(name, node string, clients int, hold time.Duration) Scenario {
	return Scenario{Name: name, MaxBlockP95: Period*time.Second + 500*time.Millisecond, Inject: func(ctx context.Context, c *Cluster) error {
		n, err := c.Net.Node(node)
		if err != nil {
			return err
		}
		directory := c.Net.Registry[contracts.DirectoryName]
		call := append(crypto.Keccak256([]byte("signerDepartment(address)"))[:4], common.LeftPadBytes(n.Address.Bytes(), 32)...)
		fctx, cancel := context.WithTimeout(ctx, hold)
		defer cancel()
		var (
			wg       sync.WaitGroup
			answered atomic.Int64
		)
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl, err := rpc.DialContext(fctx, n.RPC)
				if err != nil {
					return
				}
				defer cl.Close()
				for fctx.Err() == nil {
					var out any
					var err error
					if i%2 == 0 {
						err = cl.CallContext(fctx, &out, "eth_call", map[string]any{"to": directory, "data": hexutil.Bytes(call)}, "latest")
					} else {
						err = cl.CallContext(fctx, &out, "eth_getLogs", map[string]any{"fromBlock": "0x0", "toBlock": "latest", "address": directory})
					}
					if err == nil {
						answered.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		c.note("%d requests answered (%.0f/s)", answered.Load(), float64(answered.Load())/hold.Seconds())
		return nil
	}}
}
