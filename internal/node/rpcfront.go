package node

import (
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"github.com/citychain/citychain/internal/node/ethcall"
	"github.com/citychain/citychain/internal/node/getlogs"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
)

// setupRPCFront mounts the eth_call and eth_getLogs fast paths
// (internal/node/ethcall, internal/node/getlogs, ADR 060) on the root
// of geth's HTTP endpoint, in front of a JSON-RPC server that has exactly the
// APIs and modules geth's own server for that endpoint would have. It must
// run after every API is registered. See docs/adr/026-eth-call-fast-path.md.
//
// geth routes a request to the handlers mounted with RegisterHandler before
// its own JSON-RPC handler, so the root pattern "/{$}" takes every JSON-RPC
// request over HTTP; WebSocket upgrades and other paths stay geth's.
func (n *Node) setupRPCFront(ethCfg *ethconfig.Config) error {
	sc := n.stack.Config()
	if sc.HTTPHost == "" || sc.HTTPPathPrefix != "" || !slices.Contains(sc.HTTPModules, "eth") {
		return nil
	}
	apis, err := registeredAPIs(n.stack)
	if err != nil {
		return err
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
		return fmt.Errorf("JSON-RPC over HTTP: %w", err)
	}
	n.logs = getlogs.New(n.eth.BlockChain(), srv, getlogs.Config{
		LogQueryLimit: ethCfg.LogQueryLimit,
		RangeLimit:    ethCfg.RangeLimit,
		Traced:        n.cfg.Metrics.Enabled,
	})
	n.calls = ethcall.New(n.eth.BlockChain(), n.logs, ethcall.Config{
		GasCap:    ethCfg.RPCGasCap,
		Timeout:   ethCfg.RPCEVMTimeout,
		BodyLimit: int64(bodyLimit),
		Traced:    n.cfg.Metrics.Enabled,
	})
	n.stack.RegisterHandler("JSON-RPC with the eth_call fast path", "/{$}",
		gethnode.NewHTTPHandlerStack(n.calls, sc.HTTPCors, sc.HTTPVirtualHosts, nil, false))
	n.stack.RegisterLifecycle(rpcServer{srv})
	return nil
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

// GetLogsStats returns how many eth_getLogs over HTTP the fast path answered
// and how many it handed to geth's server (zero without HTTP).
func (n *Node) GetLogsStats() (served, fallback uint64) {
	if n.logs == nil {
		return 0, 0
	}
	return n.logs.Stats()
}
