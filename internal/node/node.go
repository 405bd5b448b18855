// Package node wires a citynode together: geth's node, chain and transaction
// pool, our Clique engine and sealer, and the JSON-RPC namespaces we serve.
package node

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/log"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/consensus/forkchoice"
	"github.com/citychain/citychain/consensus/sealer"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
	"github.com/citychain/citychain/internal/node/allowlist"
	"github.com/citychain/citychain/internal/node/ethcall"
	"github.com/citychain/citychain/internal/node/extsigner"
	"github.com/citychain/citychain/internal/node/follow"
	"github.com/citychain/citychain/internal/node/getlogs"
	"github.com/citychain/citychain/internal/node/gossip"
	"github.com/citychain/citychain/internal/node/gossiptx"
	"github.com/citychain/citychain/internal/node/health"
	"github.com/citychain/citychain/internal/node/metrics"
	"github.com/citychain/citychain/internal/node/permissions"
	"github.com/citychain/citychain/internal/node/readahead"
	"github.com/citychain/citychain/internal/node/receipts"
	"github.com/citychain/citychain/internal/node/rpcacl"
	"github.com/citychain/citychain/internal/node/sendbatch"
	"github.com/citychain/citychain/internal/node/staletx"
	"github.com/citychain/citychain/internal/node/txhashes"
	"github.com/citychain/citychain/internal/node/txintake"
)

// ErrNotInitialised is returned if the data dir holds no chain.
var ErrNotInitialised = errors.New("data directory is not initialised")

// Node is a running (or ready to run) citynode.
type Node struct {
	cfg    Config
	stack  *gethnode.Node
	eth    *eth.Ethereum
	engine *clique.Engine
	sealer *sealer.Sealer
	intake *txintake.Intake
	perms  *permissions.Policy    // nil: any account may send transactions
	ext    genesis.Extension      // the chain's citychain rules (ADR 048)
	blocks *permissions.Processor // refuses blocks with senders not permitted; nil without a permissions block
	fc     *forkchoice.ForkChoice
	gossip *gossip.Service
	follow *follow.Follower
	allow  *allowlist.Allowlist
	stale  *staletx.Set       // transactions of recent blocks, kept out of geth's fetcher; nil without p2p
	admit  *gossiptx.Admitter // gossiped transactions into the pool, senders on every core; nil without p2p
	calls  *ethcall.Handler   // the eth_call fast path; nil without HTTP
	logs   *getlogs.Handler   // the eth_getLogs fast path; nil without HTTP
	sends  *sendbatch.Handler // batches of eth_sendRawTransaction over HTTP; nil without
	txh    *txhashes.Index    // transaction hashes of blocks with logs, for the fast path (ADR 072)
	acl    *rpcacl.Policy     // --http.rpc-allow and --http.rpc-deny; nil without lists
	tls    *tlsFront          // the public listener over TLS; nil without --http.tls.cert
	join   *joiner            // the join driver (--sync.pivot finalized, ADR 084); nil without

	// keySign signs with the keystore signer's key, unlocked by New before
	// any database is opened; nil unless the node seals with a keystore key.
	keySign clique.SignerFn

	// headTxs is the number of transactions in the last head block (noteHead).
	headTxs atomic.Int64
	// leaving counts the pool's transactions in blocks on their way to the
	// head, for the batch hold; nil without an intake or without the hold.
	leaving *leaving
	// headSigners is the number of signers of the last head's parent (noteHead).
	headSigners atomic.Int64

	registry *prometheus.Registry // nil unless metrics are enabled
	metrics  *metrics.Server
	health   *health.Checker

	stopDisk context.CancelFunc    // ends the free-space watch
	fatal    atomic.Pointer[error] // why the node stopped itself, if it did
	// startTried is set when Start hands the stack to geth: from then on
	// geth's node stops eth's services before it closes the databases.
	startTried atomic.Bool
	released   atomic.Bool // releaseUnstarted ran
}

// New assembles a node from cfg. Nothing listens until Start.
func New(cfg Config) (*Node, error) {
	keySign, err := preflight(cfg)
	if err != nil {
		return nil, err
	}
	stackCfg, front, err := stackConfig(&cfg)
	if err != nil {
		return nil, err
	}
	stack, err := gethnode.New(stackCfg)
	if err != nil {
		return nil, explainNodeError(err, cfg)
	}
	n := &Node{cfg: cfg, stack: stack, keySign: keySign}
	if front != nil {
		front.backend, n.tls = stack.HTTPEndpoint, front
		stack.RegisterLifecycle(front)
	}
	if err := n.setup(); err != nil {
		n.releaseUnstarted()
		stack.Close()
		return nil, err
	}
	return n, nil
}

// preflight checks cfg and the machine before any database is opened, and
// unlocks the signer's key in the keystore, if it has one there.
func preflight(cfg Config) (clique.SignerFn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := CheckInitialised(cfg); err != nil {
		return nil, err
	}
	// Before any database is opened: pebble spins on a full disk (ADR 074).
	if err := cfg.diskGuard().Check(); err != nil {
		return nil, err
	}
	if err := checkPorts(cfg); err != nil {
		return nil, err
	}
	if err := checkAllowlist(cfg); err != nil {
		return nil, err
	}
	// Before any database is opened: a missing key or a wrong password
	// changes nothing in the data dir.
	keySign, err := unlockKeystoreSigner(cfg)
	if err != nil {
		return nil, err
	}
	if err := checkDataDir(cfg); err != nil {
		return nil, err
	}
	return keySign, nil
}

// stackConfig returns the configuration of geth's node stack for cfg (an
// auditor's API list narrowed in cfg), and the TLS front of its public
// listener, if it has one.
func stackConfig(cfg *Config) (*gethnode.Config, *tlsFront, error) {
	stackCfg := gethnode.DefaultConfig
	stackCfg.Name = "citynode"
	stackCfg.Version = buildinfo.Get().Short() // web3_clientVersion: citynode/v<version>-<commit>[-dirty]/<os>-<arch>/<go>
	stackCfg.DataDir = cfg.DataDir
	stackCfg.KeyStoreDir = cfg.KeyStoreDir()
	stackCfg.DBEngine = cfg.DBEngine
	stackCfg.IPCPath = "" // no IPC endpoint: every interface is explicit
	stackCfg.HTTPHost, stackCfg.WSHost = "", ""
	if cfg.HTTP.Enabled {
		configureHTTP(cfg, &stackCfg)
	}
	configureAuthRPC(*cfg, &stackCfg)
	front, err := newTLSFront(*cfg, &stackCfg)
	if err != nil {
		return nil, nil, err
	}
	stackCfg.BatchRequestLimit = cfg.RPC.BatchRequestLimit
	stackCfg.BatchResponseMaxSize = cfg.RPC.BatchResponseMaxSize
	configureP2P(*cfg, &stackCfg)
	return &stackCfg, front, nil
}

// configureHTTP sets the stack's JSON-RPC listener over HTTP, and over
// WebSocket where geth serves it; an auditor's API list is narrowed in cfg.
func configureHTTP(cfg *Config, stackCfg *gethnode.Config) {
	if cfg.Mode == ModeAuditor {
		cfg.HTTP.APIs = auditorModules(cfg.HTTP.APIs)
	}
	stackCfg.HTTPHost = cfg.HTTP.Addr
	stackCfg.HTTPPort = cfg.HTTP.Port
	stackCfg.HTTPModules = cfg.HTTP.APIs
	stackCfg.HTTPCors = cfg.HTTP.CORS
	stackCfg.HTTPVirtualHosts = cfg.HTTP.VHosts
	if cfg.HTTP.WS && !cfg.frontWebSocket() {
		stackCfg.WSHost = cfg.HTTP.Addr
		stackCfg.WSPort = cfg.HTTP.Port
		stackCfg.WSModules = cfg.HTTP.APIs
		stackCfg.WSOrigins = cfg.HTTP.CORS
	}
}

// configureP2P sets the stack's devp2p server: listening on --p2p.addr, or
// not at all without one.
func configureP2P(cfg Config, stackCfg *gethnode.Config) {
	stackCfg.P2P = p2pConfig(cfg)
	if cfg.P2P.Addr != "" {
		stackCfg.P2P.ListenAddr = net.JoinHostPort(cfg.P2P.Addr, strconv.Itoa(cfg.P2P.Port))
		if ip := net.ParseIP(cfg.P2P.Addr); ip != nil && ip.IsLoopback() {
			stackCfg.P2P.NAT = nil
			warnLoopbackPeers(cfg)
		}
		return
	}
	stackCfg.P2P.ListenAddr = ""
	stackCfg.P2P.MaxPeers = 0
	stackCfg.P2P.NoDiscovery = true
	stackCfg.P2P.DiscoveryV4 = false
	stackCfg.P2P.NAT = nil
}

// setup builds the node's parts on its stack, in the order they depend on
// each other and in which their APIs must be registered (a later
// registration answers a method first).
func (n *Node) setup() error {
	cfg := n.cfg
	ethCfg := n.ethConfig()
	if err := n.startEth(ethCfg); err != nil {
		return err
	}
	if err := n.setupEngine(); err != nil {
		return err
	}
	n.registerChainAPIs(ethCfg)
	if err := n.recoverHead(); err != nil {
		return err
	}
	if err := n.setupForkChoice(); err != nil {
		return err
	}
	n.setupReceiptsAndHashes()
	if cfg.Mode == ModeAuditor {
		// After geth's and the engine's: these answer the writing methods.
		n.stack.RegisterAPIs(readOnlyAPIs())
	} else if err := n.setupIntake(); err != nil {
		return err
	}
	// Without a consensus client nothing else tells the eth handler that the
	// node is synced, and until then it drops transactions gossiped by peers.
	n.eth.SetSynced()

	n.setupJoin()
	if cfg.P2P.Addr != "" {
		if err := n.setupNetwork(); err != nil {
			return err
		}
	}
	n.warnNoPeers()
	if cfg.Signer != "" {
		if err := n.setupSealer(); err != nil {
			return err
		}
	}
	if cfg.Metrics.Enabled {
		n.setupMetrics()
	}
	n.setupHealth()
	// Last: it serves every API registered above.
	return n.setupRPCFront(ethCfg)
}

// ethConfig returns the configuration of geth's eth service for the node's.
func (n *Node) ethConfig() *ethconfig.Config {
	cfg := n.cfg
	ethCfg := ethconfig.Defaults
	ethCfg.SyncMode = ethconfig.FullSync
	if cfg.syncMode() == SyncSnap {
		// geth's downloader snap-syncs a node without state (eth/69 headers,
		// bodies and receipts; snap/1 state at the pivot) and turns to full
		// sync once it has the head's state; fork choice's Reconcile then
		// verifies every header from genesis with our engine (ADR 076).
		ethCfg.SyncMode = ethconfig.SnapSync
	}
	ethCfg.Genesis = cfg.Genesis
	ethCfg.TxPool.GlobalSlots = cfg.TxPool.GlobalSlots
	ethCfg.TxPool.AccountSlots = cfg.TxPool.AccountSlots
	ethCfg.TxPool.GlobalQueue = cfg.TxPool.GlobalQueue
	ethCfg.TxPool.AccountQueue = cfg.TxPool.AccountQueue
	ethCfg.TxPool.PriceLimit = cfg.TxPool.PriceLimit
	// Our intake journals every accepted transaction before answering and
	// resubmits what the pool drops; geth's local tracker journals only hourly.
	ethCfg.TxPool.NoLocals = true
	ethCfg.Miner.GasPrice = new(big.Int).SetUint64(max(cfg.TxPool.PriceLimit, 1))
	ethCfg.Miner.GasCeil = cfg.Miner.GasLimit
	ethCfg.BlobPool.Datadir = "" // Clique chains carry no blob transactions (ADR 044)
	ethCfg.TrieDirtyCache = stateBufferMB
	ethCfg.StateHistory = cfg.StateHistory
	ethCfg.NoPrefetch = cfg.NoPrefetch
	ethCfg.DatabaseCache, ethCfg.TrieCleanCache, ethCfg.SnapshotCache = cacheShares(cfg.Cache)
	ethCfg.DatabaseHandles = databaseHandles()
	ethCfg.RPCGasCap = cfg.RPC.GasCap
	ethCfg.RPCEVMTimeout = cfg.RPC.EVMTimeout
	ethCfg.RangeLimit = cfg.RPC.LogRangeLimit
	ethCfg.LogNoHistory = !cfg.logIndexed()
	if cfg.Mode == ModeAuditor {
		// An archive: the hash scheme with pruning off writes every block's
		// state to disk, and serves eth_getProof and eth_call at any block.
		// The path scheme's archive (state and trie-node histories) is built
		// by a background indexer and refuses historical reads until it has
		// caught up (ADR 015).
		ethCfg.NoPruning = true
		ethCfg.StateScheme = rawdb.HashScheme
	}
	return &ethCfg
}

// startEth makes geth's eth service on the stack, explaining a data dir
// that does not fit the configuration.
func (n *Node) startEth(ethCfg *ethconfig.Config) error {
	cfg := n.cfg
	backend, err := eth.New(n.stack, ethCfg)
	if err != nil {
		var mismatch *core.GenesisMismatchError
		if errors.As(err, &mismatch) {
			return fmt.Errorf("data dir %s holds another chain (genesis %x, this configuration wants %x): use a fresh --datadir, or drop the genesis override", cfg.DataDir, mismatch.Stored, mismatch.New)
		}
		if cfg.Mode == ModeAuditor && strings.Contains(err.Error(), "incompatible state scheme") {
			return fmt.Errorf("data dir %s was initialised for a full node (path state scheme); an auditor keeps every state and needs an archive data dir: `citynode init --mode auditor --datadir NEWDIR genesis.json`, then sync or `citynode import` into it (%v)", cfg.DataDir, err)
		}
		return fmt.Errorf("start chain: %w", err)
	}
	n.eth = backend
	if backend.BlockChain().Config().Clique == nil {
		return fmt.Errorf("data dir %s holds a chain without a clique section: citynode runs Clique chains only", cfg.DataDir)
	}
	return nil
}

// setupEngine makes our Clique engine and puts it in place of geth's.
func (n *Node) setupEngine() error {
	if err := n.setupExtension(); err != nil {
		return err
	}
	chain := n.eth.BlockChain()
	n.engine = clique.New(chain.Config().Clique, n.eth.ChainDb())
	if off := n.cfg.Fault.ClockOffset; off != 0 {
		n.engine.SetClockOffset(off)
		log.Warn("FAULT INJECTION: Clique and the sealer read a shifted clock (--fault.clock-offset); for fault tests only", "offset", off)
	}
	if err := installChainEngine(n.eth, n.engine); err != nil {
		return err
	}
	n.logConsensus()
	return nil
}

// registerChainAPIs registers the engine's, the sealer's and the log
// filters' APIs.
func (n *Node) registerChainAPIs(ethCfg *ethconfig.Config) {
	backend := n.eth
	n.stack.RegisterAPIs(engineAPIs(n.engine.APIs(backend.BlockChain()), n.cfg.ControlPlane()))
	n.stack.RegisterAPIs(n.sealerAPIs())
	// eth_getLogs and the log filters: eth.New does not register them (geth's
	// command line does), and residents recount polls from events.
	n.stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filters.NewFilterSystem(backend.APIBackend, filters.Config{
		LogCacheSize:  ethCfg.FilterLogCacheSize,
		LogQueryLimit: ethCfg.LogQueryLimit,
		RangeLimit:    ethCfg.RangeLimit,
	}))}})
}

// setupForkChoice starts fork choice from the recovered head, so finality
// catches up with it, with the node's hooks around each new head.
func (n *Node) setupForkChoice() error {
	chain, db := n.eth.BlockChain(), n.eth.ChainDb()
	var err error
	if n.fc, err = forkchoice.New(finalized{chain, db}, n.engine, db); err != nil {
		return fmt.Errorf("fork choice: %w", err)
	}
	n.fc.BeforeHead(func(block *types.Block) {
		follow.WarmSenders(chain, block)
		n.noteHead(block)
	})
	n.fc.AfterBatch(func(blocks []*types.Block) { follow.WarmBatch(chain, blocks) })
	n.fc.AfterHead(durability{db}.sync)
	return nil
}

// setupReceiptsAndHashes registers the receipts override and the
// transaction hashes of blocks with logs.
func (n *Node) setupReceiptsAndHashes() {
	chain, db := n.eth.BlockChain(), n.eth.ChainDb()
	// After geth's: ours answers eth_getTransactionReceipt from derived
	// receipts of whole blocks (ADR 018).
	// Without HTTP (import, export, in-process use) blocks enter only when asked for.
	var source receipts.BlockSource
	if n.cfg.HTTP.Enabled {
		source = n.fc
	}
	rc := receipts.New(chain, db, types.LatestSigner(chain.Config()), source, receipts.DefaultBytes)
	n.stack.RegisterAPIs(rc.APIs())
	n.stack.RegisterLifecycle(rc)
	// Every node, HTTP or not (an import, a signer later serving reads),
	// writes the transaction hashes of its blocks with logs (ADR 072).
	n.txh = txhashes.New(db, chain)
	n.stack.RegisterLifecycle(n.txh)
}

// setupIntake makes the transaction intake of a node that takes
// transactions, with the permissions it checks.
func (n *Node) setupIntake() error {
	cfg, backend := n.cfg, n.eth
	icfg := txintake.Defaults
	icfg.Journal = filepath.Join(cfg.instanceDir(), "transactions.journal")
	var err error
	if n.perms, err = permissions.Load(cfg.Permissions.Accounts); err != nil {
		return err
	}
	if n.perms != nil {
		log.Info("Transactions limited to permitted accounts", "accounts", n.perms.Spec, "listed", len(n.perms.List))
	}
	if gate := n.permitGate(); gate != nil {
		icfg.Gate = gate
		n.stack.RegisterAPIs(permissionedAPIs())
	}
	intake, err := txintake.New(icfg, backend.BlockChain().Config(), backend.TxPool(), backend.BlockChain())
	if err != nil {
		return fmt.Errorf("transaction intake: %w", err)
	}
	n.intake = intake
	if cfg.TxPool.BatchHold > 0 {
		n.leaving = newLeaving(backend.TxPool().Has)
	}
	n.stack.RegisterLifecycle(intake)
	n.stack.RegisterAPIs(intake.APIs()) // after geth's: ours answers eth_sendRawTransaction
	return nil
}

// setupMetrics builds the node's own Prometheus registry and the server on
// --metrics.addr:--metrics.port. The chain collector follows the chain as a
// lifecycle; everything else is read at scrape time.
func (n *Node) setupMetrics() {
	chain := n.eth.BlockChain()
	reg := metrics.NewRegistry(buildinfo.Get())
	n.stack.RegisterLifecycle(metrics.NewClique(reg, chain, n.engine, n.fc, chain.Config().Clique.Period))
	metrics.RegisterForkChoice(reg, n.fc)
	if n.cfg.Mode != ModeAuditor { // an archive writes every state (hash scheme)
		metrics.RegisterStatePersist(reg, &diskState{db: n.eth.ChainDb(), chain: chain})
	}
	metrics.RegisterTxPool(reg, n.eth.TxPool(), n.intake)
	if n.stale != nil {
		metrics.RegisterStaleTransactions(reg, n.stale)
	}
	if n.admit != nil {
		metrics.RegisterGossipTransactions(reg, n.admit)
	}
	if n.gossip != nil {
		metrics.RegisterP2P(reg, n.stack.Server(), n.gossip)
	} else {
		metrics.RegisterP2P(reg, n.stack.Server(), nil)
	}
	if n.sealer != nil {
		metrics.RegisterSealer(reg, n.sealer)
	}
	if n.blocks != nil {
		metrics.RegisterBlockPermissions(reg, n.blocks)
	}
	metrics.RPCMetrics().Register(reg)
	if n.join != nil {
		n.join.backfillGauges(reg)
	}
	n.registry = reg
	n.metrics = metrics.NewServer(n.cfg.Metrics, reg)
	n.stack.RegisterLifecycle(n.metrics)
}

// setupNetwork registers block gossip (with catch-up through geth's
// downloader) and, if configured, the peer allowlist.
func (n *Node) setupNetwork() error {
	chain := n.eth.BlockChain()
	// The follower's hooks reach the gossip service made below from it; it
	// calls them only once the node runs.
	var svc *gossip.Service
	n.follow = follow.New(follow.Config{Chain: chain, Downloader: n.eth.Downloader(), ForkChoice: n.fc, Pool: n.eth.TxPool(), Now: n.engine.Now}, follow.Hooks{
		Broadcast: func(block *types.Block) { svc.Broadcast(block) },
		PeerAhead: func(head uint64, within time.Duration) bool { return svc.PeerAhead(head, within) },
		FetchChain: func(peer enode.ID, hash common.Hash, limit uint64) ([]*types.Block, error) {
			return svc.FetchChain(peer, hash, limit)
		},
		Join:  n.join.hook(),
		Peers: func() []gossip.PeerInfo { return svc.Peers() },
	})
	gcfg := gossip.Defaults
	gcfg.NetworkID = chain.Config().ChainID.Uint64()
	gcfg.Genesis = chain.Genesis().Hash()
	gcfg.Latency = n.cfg.GossipLatency
	// Transactions of a block being imported are already dropped from
	// transaction gossip (staletx.Importing), not only once it is the head.
	n.stale = staletx.NewSet(staletx.DefaultBlocks, staletx.DefaultHashes)
	if n.cfg.TxPool.GossipBatch {
		// The pool's signer, so that the pool finds the senders cached.
		n.admit = gossiptx.New(types.LatestSigner(chain.Config()), n.eth.TxPool(), n.eth.Synced)
		n.stack.RegisterLifecycle(n.admit)
	}
	svc, err := gossip.New(gcfg, staletx.Importing(leavingImports(n.follow, n.noteLeaving), n.stale))
	if err != nil {
		return fmt.Errorf("block gossip: %w", err)
	}
	n.gossip = svc
	n.stack.RegisterProtocols(svc.Protocols())
	n.stack.RegisterLifecycle(svc)
	n.stack.RegisterLifecycle(n.follow)
	n.stack.RegisterLifecycle(staletx.NewFollower(n.stale, n.fc))
	if n.cfg.P2P.Allowlist != "" {
		if n.allow, err = allowlist.Load(n.cfg.P2P.Allowlist); err != nil {
			return err
		}
		n.stack.RegisterAPIs([]rpc.API{{Namespace: "admin", Service: &allowlistAPI{n}}})
		log.Info("Peering limited to the allowlist", "file", n.cfg.P2P.Allowlist, "nodes", n.allow.Len())
	} else {
		log.Warn("No peer allowlist (--p2p.allowlist): any node that knows an address and the network id may peer")
	}
	return nil
}

func (n *Node) setupSealer() error {
	cfg := n.cfg
	signer := common.HexToAddress(cfg.Signer)
	scfg := sealer.DefaultConfig()
	var sign clique.SignerFn
	switch {
	case cfg.SignerExternal != "":
		ext, err := extsigner.New(cfg.SignerExternal, extsigner.DefaultTimeout)
		if err != nil {
			return err
		}
		scfg.SignHeader = ext.SignHeader
		sign = func(common.Address, []byte) ([]byte, error) {
			return nil, errors.New("the signer's key is in the external signer") // never called: SignHeader signs
		}
		log.Info("Sealing through an external signer", "signer", signer, "url", cfg.SignerExternal)
	case cfg.DevKey != nil:
		s, err := devSigner(signer, cfg.DevKey)
		if err != nil {
			return err
		}
		sign = s
	default:
		sign = n.keySign // unlocked by New
	}
	scfg.Signer = signer
	scfg.GasCeil = cfg.Miner.GasLimit
	scfg.Extra = []byte(cfg.Miner.Extra)
	scfg.MinTip = new(big.Int).SetUint64(cfg.TxPool.PriceLimit)
	if n.follow != nil {
		scfg.Pause = n.follow.Syncing
	}
	sink := networkSink{fc: n.fc, svc: n.gossip, handed: n.noteLeaving}
	s, err := sealer.New(scfg, n.engine, n.eth.BlockChain(), sealerPool{n.eth.TxPool(), n.intake, n.permitGate(), types.LatestSigner(n.eth.BlockChain().Config())}, sink, sealer.NewFileGuard(cfg.guardPath()), sign)
	if err != nil {
		return err
	}
	n.fc.AfterVerify(s.Incoming)
	n.sealer = s
	n.stack.RegisterLifecycle(s)
	return nil
}

// recoverHead re-executes blocks that were written before a crash but whose
// state had not reached the disk, instead of leaving the head rewound.
func (n *Node) recoverHead() error {
	chain := n.eth.BlockChain()
	head, top := chain.CurrentBlock(), chain.CurrentHeader()
	if top.Number.Cmp(head.Number) <= 0 {
		return nil
	}
	if snap := chain.CurrentSnapBlock(); snap.Number.Cmp(head.Number) > 0 && snapInterrupted(rawdb.ReadLastPivotNumber(n.eth.ChainDb()), head.Number.Uint64()) {
		// A snap sync was interrupted: its blocks were stored without
		// state, and the downloader resumes it (ADR 076); re-executing
		// them from the head's state would be a full sync. Only a snap
		// sync records a pivot: on a node that never snap-synced, a snap
		// block above the head is what an unclean shutdown left (geth
		// rewound the head to the last state on disk), re-executed below;
		// so is one above a committed pivot (the join driver's blocks
		// above its pivot, ADR 084 amendment 5).
		log.Info("Snap sync in progress, resumed by the downloader", "head", head.Number, "snaphead", snap.Number, "headers", top.Number)
		return nil
	}
	// Walk back from the header head to the newest block whose body we hold.
	for num := top.Number.Uint64(); num > head.Number.Uint64(); num-- {
		hash := rawdb.ReadCanonicalHash(n.eth.ChainDb(), num)
		block := chain.GetBlock(hash, num)
		if block == nil {
			continue
		}
		log.Warn("Re-executing blocks written before an unclean shutdown", "from", head.Number, "to", num, "blocks", num-head.Number.Uint64())
		start := time.Now()
		if _, err := chain.SetCanonical(block); err != nil {
			return fmt.Errorf("recover chain head %d after unclean shutdown: %w", num, err)
		}
		log.Info("Chain head recovered", "number", num, "hash", hash, "elapsed", common.PrettyDuration(time.Since(start)))
		return nil
	}
	return nil
}

// snapInterrupted reports whether a snap sync with this pivot (nil: none)
// stopped before its pivot's state was committed: the head, the newest
// block with state, is below the pivot.
func snapInterrupted(pivot *uint64, head uint64) bool {
	return pivot != nil && head < *pivot
}

// Start starts the node's services and listeners.
func (n *Node) Start() error {
	// p2p.Server reads its protocol slice for every new connection, so it is
	// wrapped once, here, after all protocols are registered and before the
	// server starts: geth's eth protocol no longer sees transactions already
	// mined (package staletx), with --txpool.gossipbatch finds the others in
	// the pool with their senders recovered on every core (package gossiptx),
	// and reads ahead of its handler (package readahead), and every protocol
	// (eth, snap, poa) refuses peers off the allowlist.
	srv := n.stack.Server()
	srv.Protocols = warnRefusedSyncData(n.join.wrap(srv.Protocols))
	if n.stale != nil {
		if n.admit != nil {
			// Read after staletx's filter: mined transactions are not admitted.
			srv.Protocols = n.admit.Wrap(srv.Protocols)
		}
		srv.Protocols = staletx.Wrap(srv.Protocols, n.stale)
	}
	// geth's eth handler puts gossiped transactions into the pool before it
	// reads the connection's next message: read ahead of it, so that poa/1
	// blocks do not wait behind transaction gossip (package readahead).
	srv.Protocols = readahead.Wrap(srv.Protocols, readahead.DefaultLimits)
	if n.allow != nil {
		srv.Protocols = n.allow.Wrap(srv.Protocols)
	}
	n.startTried.Store(true)
	if n.cfg.ControlPlane() {
		if err := ensureJWTSecret(n.cfg.JWTSecretPath()); err != nil {
			return err
		}
	}
	if err := syncDataDir(n.cfg.DataDir); err != nil {
		return err
	}
	if err := n.stack.Start(); err != nil {
		return explainNodeError(err, n.cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n.stopDisk = cancel
	go n.cfg.diskGuard().Watch(ctx, n.failStop)
	return nil
}

// failStop stops the node for err: a fault it cannot survive running
// (ADR 072). Err reports it once the node has stopped.
func (n *Node) failStop(err error) {
	n.fatal.CompareAndSwap(nil, &err)
	log.Error("Stopping the node", "err", err)
	go n.Close()
}

// Err is why the node stopped itself (nil if it was stopped, or runs).
func (n *Node) Err() error {
	if err := n.fatal.Load(); err != nil {
		return *err
	}
	return nil
}

// Close stops the node and releases its data dir.
func (n *Node) Close() error {
	if n.stopDisk != nil {
		n.stopDisk()
	}
	if !n.startTried.Load() {
		n.releaseUnstarted()
	}
	return n.stack.Close()
}

// releaseUnstarted stops what eth.New set running (the chain, with its state
// snapshot's generation, and the transaction pools' loops) on a node whose
// stack was never started. geth's node closes its databases on Close without
// stopping services it never started, and a snapshot generation still
// running then panicked "pebble: closed" (ci27, internal/node). It mirrors
// the end of eth.Ethereum.Stop, whose peer-side parts never started.
func (n *Node) releaseUnstarted() {
	if n.eth == nil || !n.released.CompareAndSwap(false, true) {
		return
	}
	n.eth.BlobCache().Stop()
	n.eth.TxPool().Close()
	n.eth.BlockChain().Stop()
}

// Wait blocks until the node stops.
func (n *Node) Wait() { n.stack.Wait() }

// Eth returns geth's Ethereum service.
func (n *Node) Eth() *eth.Ethereum { return n.eth }

// ForkChoice returns fork choice, through which every block enters the chain.
func (n *Node) ForkChoice() *forkchoice.ForkChoice { return n.fc }

// Engine returns the Clique engine.
func (n *Node) Engine() *clique.Engine { return n.engine }

// HTTPEndpoint returns the JSON-RPC URL, or "" if HTTP is off.
func (n *Node) HTTPEndpoint() string {
	if !n.cfg.HTTP.Enabled {
		return ""
	}
	if n.tls != nil {
		return n.tls.url()
	}
	return n.stack.HTTPEndpoint()
}

// WSEndpoint returns the WebSocket URL, or "" without WebSocket. With
// per-method lists the front serves WebSocket on the HTTP port (ADR 067).
func (n *Node) WSEndpoint() string {
	if !n.cfg.HTTP.Enabled || !n.cfg.HTTP.WS {
		return ""
	}
	if n.tls != nil {
		return "wss://" + strings.TrimPrefix(n.tls.url(), "https://")
	}
	if n.cfg.frontWebSocket() {
		return "ws://" + strings.TrimPrefix(n.stack.HTTPEndpoint(), "http://")
	}
	return n.stack.WSEndpoint()
}

// ControlEndpoint is the control listener's URL (ADR 062), or "" when the
// control plane is off.
func (n *Node) ControlEndpoint() string {
	if !n.cfg.ControlPlane() {
		return ""
	}
	return n.stack.HTTPAuthEndpoint()
}

// Stack returns geth's node.
func (n *Node) Stack() *gethnode.Node { return n.stack }

// ReloadAllowlist re-reads the allowlist file and disconnects peers no longer
// on it. It is an error if the node has no allowlist.
func (n *Node) ReloadAllowlist() error {
	if n.allow == nil {
		return errors.New("no allowlist configured: start the node with --p2p.allowlist FILE")
	}
	if err := n.allow.Reload(); err != nil {
		return err
	}
	dropped := n.allow.DisconnectRemoved(n.stack.Server())
	log.Info("Reloaded peer allowlist", "nodes", n.allow.Len(), "disconnected", dropped)
	return nil
}

// allowlistAPI is the admin_reloadAllowlist JSON-RPC method (the admin
// namespace is served only when asked for).
type allowlistAPI struct{ n *Node }

// ReloadAllowlist re-reads the allowlist file.
func (api *allowlistAPI) ReloadAllowlist() error { return api.n.ReloadAllowlist() }

// Metrics returns the node's Prometheus registry, or nil without --metrics.
func (n *Node) Metrics() *prometheus.Registry { return n.registry }

// MetricsURL returns the metrics endpoint (http://host:port/metrics) of a
// started node, or "" without --metrics.
func (n *Node) MetricsURL() string {
	if n.metrics == nil || n.metrics.URL() == "" {
		return ""
	}
	return n.metrics.URL() + metrics.Path
}

// Gossip returns block gossip, or nil without p2p.
func (n *Node) Gossip() *gossip.Service { return n.gossip }

// CheckInitialised returns ErrNotInitialised, with the command that
// initialises it, if cfg's data dir holds no chain and cfg brings no genesis
// of its own (dev mode does). citynode checks it before its other refusals:
// a new operator's first step is citynode init.
func CheckInitialised(cfg Config) error {
	if cfg.Genesis == nil && !initialised(cfg.DataDir) {
		return fmt.Errorf("%w: %s has no chain; run `citynode init --datadir %s genesis.json` first", ErrNotInitialised, cfg.DataDir, cfg.DataDir)
	}
	return nil
}

// initialised reports whether dir holds chain data.
func initialised(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "citynode", "chaindata"))
	return err == nil
}

// checkPorts fails early, with the flag to change, if a port is taken.
func checkPorts(cfg Config) error {
	try := func(network, addr, flag string) error {
		var l interface{ Close() error }
		var err error
		if network == "tcp" {
			l, err = net.Listen("tcp", addr)
		} else {
			l, err = net.ListenPacket("udp", addr)
		}
		if err != nil {
			return fmt.Errorf("cannot listen on %s (%v): another process holds it; stop it or choose another port with %s", addr, err, flag)
		}
		return l.Close()
	}
	if cfg.HTTP.Enabled && cfg.HTTP.Port != 0 {
		if err := try("tcp", net.JoinHostPort(cfg.HTTP.Addr, strconv.Itoa(cfg.HTTP.Port)), "--http.port"); err != nil {
			return err
		}
	}
	if cfg.Metrics.Enabled && cfg.Metrics.Port != 0 {
		if err := try("tcp", cfg.Metrics.ListenAddr(), "--metrics.port"); err != nil {
			return err
		}
	}
	if cfg.ControlPlane() && cfg.AuthRPC.Port != 0 {
		if err := try("tcp", net.JoinHostPort(cfg.AuthRPC.Addr, strconv.Itoa(cfg.AuthRPC.Port)), "--authrpc.port"); err != nil {
			return err
		}
	}
	if cfg.P2P.Addr != "" && cfg.P2P.Port != 0 {
		addr := net.JoinHostPort(cfg.P2P.Addr, strconv.Itoa(cfg.P2P.Port))
		if err := try("tcp", addr, "--port"); err != nil {
			return err
		}
		if discovery(cfg) {
			if err := try("udp", addr, "--port"); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkAllowlist reads --p2p.allowlist before any database is opened, so
// that a missing or malformed file is refused changing nothing.
func checkAllowlist(cfg Config) error {
	if cfg.P2P.Allowlist == "" {
		return nil
	}
	_, err := allowlist.Load(cfg.P2P.Allowlist)
	return err
}

// explainNodeError turns geth's node errors into ones that say what to do.
func explainNodeError(err error, cfg Config) error {
	switch {
	case errors.Is(err, gethnode.ErrDatadirUsed):
		return fmt.Errorf("data dir %s is in use by another citynode: stop it first or use another --datadir", cfg.DataDir)
	}
	return err
}

// permitGate returns the gate the sealer filters transactions through, nil
// if any account may send transactions.
func (n *Node) permitGate() txintake.Gate {
	if n.perms == nil && n.ext.PermissionsBlock == nil {
		return nil
	}
	return permissions.Gate{Policy: n.perms, Chain: n.eth.BlockChain(), Enforced: n.ext.PermissionsBlock}
}

// setupExtension reads the chain's citychain rules (config.citychain, ADR
// 048), storing dev mode's first, and puts the permissions rule in front of
// go-ethereum's block processing: every block the node executes (from peers,
// the downloader, imports, reorganisations) goes through it. Nothing has been
// imported yet, as SetBlockValidatorAndProcessorForTesting requires.
func (n *Node) setupExtension() error {
	chain := n.eth.BlockChain()
	db, hash := n.eth.ChainDb(), chain.Genesis().Hash()
	if n.cfg.Genesis != nil {
		if _, err := applyExtension(db, hash, n.cfg.Extension); err != nil {
			return fmt.Errorf("data dir %s: %w", n.cfg.DataDir, err)
		}
	}
	ext, err := readExtension(db, hash)
	if err != nil {
		return err
	}
	n.ext = ext
	if b := ext.PermissionsBlock; b != nil {
		n.blocks = &permissions.Processor{Inner: chain.Processor(), From: *b, Config: chain.Config()}
		chain.SetBlockValidatorAndProcessorForTesting(chain.Validator(), n.blocks)
		log.Info("Blocks limited to permitted senders", "from", *b, "head", chain.CurrentBlock().Number)
	}
	return nil
}
