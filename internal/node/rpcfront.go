package node

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"unsafe"

	"github.com/citychain/citychain/internal/node/ethcall"
	"github.com/citychain/citychain/internal/node/getlogs"
	"github.com/citychain/citychain/internal/node/historygap"
	"github.com/citychain/citychain/internal/node/rpcacl"
	"github.com/citychain/citychain/internal/node/sendbatch"
	"github.com/citychain/citychain/internal/node/txhashes"
	"github.com/citychain/citychain/internal/node/wsrpc"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
)

// setupRPCFront mounts, on the root of geth's HTTP endpoint, citynode's own
// JSON-RPC server: a server that has exactly the APIs and modules geth's own
// server for that endpoint would have, behind the eth_call and eth_getLogs
// fast paths (internal/node/ethcall, internal/node/getlogs, ADR 026, 060)
// when the eth namespace is served, and behind the per-method lists
// (internal/node/rpcacl, ADR 067) when there are any. With lists, the front
// also serves WebSocket (geth's own WebSocket server is then off), so that
// every call on the public listener passes the lists. It must run after
// every API is registered.
//
// geth routes a request to the handlers mounted with RegisterHandler before
// its own JSON-RPC handler, so the root pattern "/{$}" takes every JSON-RPC
// request over HTTP; without lists, WebSocket upgrades stay geth's.
func (n *Node) setupRPCFront(ethCfg *ethconfig.Config) error {
	sc := n.stack.Config()
	if sc.HTTPHost == "" || sc.HTTPPathPrefix != "" {
		return nil
	}
	acl, err := rpcacl.New(n.cfg.HTTP.RPCAllow, n.cfg.HTTP.RPCDeny)
	if err != nil {
		return err
	}
	fast := slices.Contains(sc.HTTPModules, "eth")
	if !fast && acl == nil && !n.cfg.frontWebSocket() {
		return nil
	}
	srv, bodyLimit, err := n.frontServer(sc)
	if err != nil {
		return err
	}
	var h http.Handler = srv
	if fast {
		h = n.fastPaths(ethCfg, srv, bodyLimit)
		h = n.withSendBatch(h, sc, bodyLimit)
	}
	var gap *historygap.Guard
	if n.join != nil {
		gap = historygap.New(n.join.history(n.eth.ChainDb()), h, int64(bodyLimit))
		h = gap
	}
	if acl != nil {
		h = n.withLists(acl, srv, h, bodyLimit)
	}
	if acl != nil || gap != nil {
		// Refused calls over WebSocket are rewritten into calls to
		// rpcacl_refused, which answers their error.
		if err := srv.RegisterName(rpcacl.Namespace, rpcacl.Service{}); err != nil {
			panic(err) // a fixed service of exported methods: cannot fail
		}
	}
	n.stack.RegisterHandler("JSON-RPC with the eth_call fast path", "/{$}", n.withWebSocket(acl, gap, srv,
		gethnode.NewHTTPHandlerStack(h, sc.HTTPCors, sc.HTTPVirtualHosts, nil, false)))
	n.stack.RegisterLifecycle(rpcServer{srv})
	return nil
}

// frontServer is a JSON-RPC server with the public APIs of --http.api, and
// the body limit of geth's endpoint.
func (n *Node) frontServer(sc *gethnode.Config) (*rpc.Server, int, error) {
	apis, err := registeredAPIs(n.stack)
	if err != nil {
		return nil, 0, err
	}
	var open []rpc.API
	for _, api := range apis {
		if !api.Authenticated {
			open = append(open, api)
		}
	}
	srv := rpc.NewServer()
	srv.SetBatchLimits(sc.BatchRequestLimit, sc.BatchResponseMaxSize)
	bodyLimit := sc.HTTPBodyLimit
	if bodyLimit > 0 {
		srv.SetHTTPBodyLimit(bodyLimit)
	} else {
		bodyLimit = gethnode.DefaultConfig.HTTPBodyLimit
	}
	if err := gethnode.RegisterApis(open, sc.HTTPModules, srv); err != nil {
		return nil, 0, fmt.Errorf("JSON-RPC over HTTP: %w", err)
	}
	return srv, bodyLimit, nil
}

// fastPaths puts the eth_getLogs and eth_call fast paths in front of srv.
func (n *Node) fastPaths(ethCfg *ethconfig.Config, srv *rpc.Server, bodyLimit int) http.Handler {
	n.logs = getlogs.New(n.eth.BlockChain(), srv, getlogs.Config{
		LogQueryLimit: ethCfg.LogQueryLimit,
		RangeLimit:    ethCfg.RangeLimit,
		Hashes:        n.txh,
		Traced:        n.cfg.Metrics.Enabled,
	})
	n.calls = ethcall.New(n.eth.BlockChain(), n.logs, ethcall.Config{
		GasCap:    ethCfg.RPCGasCap,
		Timeout:   ethCfg.RPCEVMTimeout,
		BodyLimit: int64(bodyLimit),
		Traced:    n.cfg.Metrics.Enabled,
	})
	return n.calls
}

// withSendBatch puts the batch path of eth_sendRawTransaction
// (internal/node/sendbatch, ADR 077) in front of h when the node has an
// intake (not an auditor).
func (n *Node) withSendBatch(h http.Handler, sc *gethnode.Config, bodyLimit int) http.Handler {
	if n.intake == nil {
		return h
	}
	n.sends = sendbatch.New(n.intake, h, sendbatch.Config{
		BodyLimit:  int64(bodyLimit),
		BatchLimit: sc.BatchRequestLimit,
		Traced:     n.cfg.Metrics.Enabled,
		Room:       n.poolRoom,
		MaxWait:    n.cfg.TxPool.BatchHold,
	})
	return n.sends
}

// Holding batches of transactions while the pool is full (ADR 077): the pool
// has room while it holds fewer than backlogFloor / N transactions, N the
// signers of the head's parent, or fewer than one and a half blocks of the
// size of the last head block; a batch waits at most --txpool.batchhold.
//
// One signer under W1 fills its blocks from a backlog of 10,000 (at 3,000 it
// sealed 2,692 tx/s against 4,853, ADR 077's amendment). On a network the
// loaded signer seals one block in N and the others seal what its gossip
// brought them; under a client that sends as fast as it is answered the
// pool stays at its bound, and each transaction waits what the pool holds
// divided by the network's rate: on 3 signers at 10,000, 1.8-4.8 s of the
// mean inclusion latency was that wait; at 3,000 the inclusion p50 and p95
// were 11-64 % lower in every pair measured (docs/benchmarks.md, 2026-12-06).
const backlogFloor = 10000

// poolRoom reports whether the pool holds less than its backlog bound: it
// reads the counts the hold needs (holdCounts.room).
func (n *Node) poolRoom() bool {
	pending, queued := n.eth.TxPool().Stats()
	c := holdCounts{
		pooled:  pending + queued,
		headTxs: int(n.headTxs.Load()),
		signers: int(n.headSigners.Load()),
	}
	if n.leaving != nil {
		c.leaving = n.leaving.count()
	}
	if n.sealer != nil {
		c.building = n.sealer.Building()
	}
	return c.room()
}

// holdCounts are what the batch hold (ADR 077) decides from, read at one
// moment: all transactions, not bytes.
type holdCounts struct {
	pooled   int // pending and queued in the pool
	leaving  int // of those, in blocks handed over or arriving, not taken out yet (ADR 095)
	building int // applied to the block the sealer is building (ADR 101); 0 when not sealing
	headTxs  int // in the last head block
	signers  int // of the head's parent; 0 when not known yet
}

// room reports whether the pool holds less than its backlog bound. The
// backlog leaves out the transactions already in a block: those of blocks
// handed over or arriving, until the pool takes them out (ADR 095), and
// those the sealer has applied to the block it is building beyond the size
// of the last head block (ADR 101).
func (c holdCounts) room() bool {
	backlog := c.pooled - c.leaving
	backlog -= builtBeyond(c.building, c.headTxs)
	return backlogRoom(backlog, c.headTxs, c.signers)
}

// builtBeyond returns how many of the transactions applied to the block
// being built the hold leaves out of the backlog: those beyond the size of
// the last head block (ADR 101). Counted in full, a block growing past the
// bound held every batch until it was handed over, with the sealer idle for
// more (W1's first blocks grew only 1.5x a block each). Left out in full, the
// pool held the block being built on top of the bound: peak RSS +15 to +38
// MiB, above geth's (docs/benchmarks.md, 2026-12-06 16:39). Up to the last
// block's size it counts, so a pool whose blocks keep their size is bounded
// as before.
func builtBeyond(building, headTxs int) int {
	return max(building-headTxs, 0)
}

// backlogRoom reports whether a pool holding pooled transactions has room
// for more, the last head block having held headTxs, with signers signers
// (0 when not known: taken as one).
func backlogRoom(pooled, headTxs, signers int) bool {
	return pooled < max(backlogFloor/max(signers, 1), headTxs*3/2)
}

// noteHead records the size of a new head block and wakes the batches held
// for the pool's backlog.
func (n *Node) noteHead(block *types.Block) {
	n.headTxs.Store(int64(len(block.Transactions())))
	if number := block.NumberU64(); number > 0 {
		if snap, err := n.engine.Snapshot(n.eth.BlockChain(), number-1, block.ParentHash(), nil); err == nil {
			n.headSigners.Store(int64(len(snap.Signers)))
		}
	}
	if n.sends != nil {
		n.sends.HeadChanged()
	}
}

// withLists puts the per-method lists in front of h (the fast paths too: a
// refused call reaches neither) and registers the service that answers
// refused calls on srv.
func (n *Node) withLists(acl *rpcacl.Policy, srv *rpc.Server, h http.Handler, bodyLimit int) http.Handler {
	n.acl = acl
	if n.registry != nil {
		acl.Register(n.registry)
	}
	return acl.HTTP(h, int64(bodyLimit))
}

// withWebSocket serves WebSocket upgrades when the front serves them (geth's
// own WebSocket server is off then, see New and Config.frontWebSocket):
// every message through the lists when there are any, then through the
// history guard on a node joined by the join driver; the rest with h.
func (n *Node) withWebSocket(acl *rpcacl.Policy, gap *historygap.Guard, srv *rpc.Server, h http.Handler) http.Handler {
	if !n.cfg.frontWebSocket() {
		return h
	}
	ws := wsrpc.Handler(srv, n.cfg.HTTP.CORS, func() []wsrpc.Filter {
		var filters []wsrpc.Filter
		if acl != nil {
			filters = append(filters, acl)
		}
		if gap != nil {
			filters = append(filters, gap.Conn())
		}
		return filters
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wsrpc.IsWebSocket(r) {
			ws.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// registeredAPIs returns the APIs registered on geth's node so far: the node's
// own (admin, debug, web3), eth.New's and ours. geth keeps the list in an
// unexported field and offers no accessor; reading it is the only way to
// build a server with exactly the APIs of geth's own (the alternatives, a
// second listener behind a proxy or re-implementing module filtering over the
// in-process server, are worse: ADR 026). TestRPCFrontAPIs checks that every
// method geth's in-process server answers is reachable.
func registeredAPIs(stack *gethnode.Node) ([]rpc.API, error) {
	f := reflect.ValueOf(stack).Elem().FieldByName("rpcAPIs")
	if !f.IsValid() || f.Type() != reflect.TypeFor[[]rpc.API]() {
		return nil, fmt.Errorf("go-ethereum's node no longer keeps its APIs in rpcAPIs: citynode was built against v1.17.10 and must be adapted to this version")
	}
	apis := *(*[]rpc.API)(unsafe.Pointer(f.UnsafeAddr()))
	return slices.Clone(apis), nil
}

// rpcServer stops the front's JSON-RPC server with the node.
type rpcServer struct{ srv *rpc.Server }

func (rpcServer) Start() error  { return nil }
func (s rpcServer) Stop() error { s.srv.Stop(); return nil }

// EthCallStats returns how many eth_calls over HTTP the fast path answered
// and how many it handed to geth's server (zero without HTTP).
func (n *Node) EthCallStats() (served, fallback uint64) {
	if n.calls == nil {
		return 0, 0
	}
	return n.calls.Stats()
}

// TxHashStats returns the transaction hash index's counts (ADR 072).
func (n *Node) TxHashStats() txhashes.Stats { return n.txh.Stats() }

// GetLogsStats returns how many eth_getLogs over HTTP the fast path answered
// and how many it handed to geth's server (zero without HTTP).
func (n *Node) GetLogsStats() (served, fallback uint64) {
	if n.logs == nil {
		return 0, 0
	}
	return n.logs.Stats()
}

// SendBatchStats returns how many batches of eth_sendRawTransaction over HTTP
// the batch path answered, the calls in them, and the batches naming the
// method it handed to geth's server (zero without HTTP or an intake).
func (n *Node) SendBatchStats() (batches, calls, fallback uint64) {
	if n.sends == nil {
		return 0, 0, 0
	}
	return n.sends.Stats()
}
