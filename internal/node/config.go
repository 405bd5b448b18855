package node

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/p2p/nat"

	"github.com/citychain/citychain/consensus/sealer"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
	"github.com/citychain/citychain/internal/node/diskspace"
	"github.com/citychain/citychain/internal/node/metrics"
	"github.com/citychain/citychain/internal/node/permissions"
	"github.com/citychain/citychain/internal/node/rpcacl"
)

// Modes of a citynode.
const (
	ModeSigner  = "signer"  // a department's validator; seals with --signer (citynode refuses it without)
	ModeRPC     = "rpc"     // a non-signing node serving reads and accepting transactions
	ModeAuditor = "auditor" // a read-only archive node: never seals, refuses writes and admin calls
	ModeDev     = "dev"     // one process, a fresh single-signer chain
)

// defaultAPIs are the JSON-RPC namespaces served unless asked otherwise. admin,
// debug and personal are never on by default.
var defaultAPIs = []string{"eth", "net", "web3", "txpool", "clique", "city"}

// adminAPIs are namespaces that give control of the node.
var adminAPIs = []string{"admin", "debug", "miner", "personal"}

// Config is the whole node's configuration. The TOML file, environment and
// flags of cmd/citynode all fill this structure.
type Config struct {
	DataDir  string `toml:"datadir"`
	Mode     string `toml:"mode"`
	DBEngine string `toml:"db_engine"` // "pebble" or "leveldb"

	// Cache is the memory, in MiB, given to the chain database and the state
	// caches (DefaultCache; see cacheShares).
	Cache int `toml:"cache"`
	// NoPrefetch turns off go-ethereum's state prefetcher, which executes
	// every imported block a second time, speculatively, beside the import,
	// to warm the state caches (ADR 087).
	NoPrefetch bool `toml:"noprefetch"`
	// StateHistory is go-ethereum's state history length (its
	// --history.state): the recent state-changing blocks whose reverse diffs
	// are kept to roll the state on disk back. It also bounds the work of a
	// restart after a crash: geth writes its buffered state to disk before
	// the state on disk would fall below the oldest history kept, so the
	// state on disk is never more than 128 + StateHistory state-changing
	// blocks behind the head (2 x StateHistory while a write is under way),
	// and a restart after SIGKILL executes at most those blocks again
	// (ADR 088). 0: the whole chain's history, and only the 64 MiB buffer
	// bounds the state not yet on disk. Not used by an auditor (hash scheme).
	StateHistory uint64 `toml:"statehistory"`
	// MinFreeDisk is the free space, in MiB, the data dir's file system must
	// keep: below it the node refuses to start, and a running node stops
	// cleanly (ADR 074). 0: no guard.
	MinFreeDisk uint64 `toml:"minfreedisk"`

	// SyncMode is how a fresh node gets the chain: "snap" (headers verified
	// by our engine from genesis, bodies and receipts stored without
	// executing, the state at a pivot near the head taken from peers and
	// checked against that header's root; ADR 076), "full" (every block
	// executed; the default), or "auto" (snap on an rpc node, full
	// elsewhere). Snap is opt-in: on a young live network it stalled (ADR 076).
	SyncMode string `toml:"syncmode"`
	// SyncPivot is where a snap-syncing rpc node takes the state when it
	// joins: "finalized" (the default: the join driver of ADR 084, headers
	// checked by our engine, state at the newest finalized block, the few
	// blocks above it executed; bodies and receipts below the pivot
	// backfilled after serving) or "head-64" (the fallback: go-ethereum's
	// downloader, 64 blocks below the peer's head, those 64 executed). A node
	// that does not snap-sync ignores it.
	SyncPivot string `toml:"syncpivot"`

	HTTP    HTTPConfig     `toml:"http"`
	RPC     RPCConfig      `toml:"rpc"`
	P2P     P2PConfig      `toml:"p2p"`
	TxPool  TxPoolConfig   `toml:"txpool"`
	Miner   MinerConfig    `toml:"miner"`
	Metrics metrics.Config `toml:"metrics"`

	Permissions PermissionsConfig `toml:"permissions"`
	AuthRPC     AuthRPCConfig     `toml:"authrpc"`

	// Signer is the account that seals blocks; empty for a node that only follows.
	Signer string `toml:"signer"`
	// PasswordFile holds the keystore password of the signer account.
	PasswordFile string `toml:"password_file"`
	// SignerExternal, if set, is the URL of a clef-compatible external
	// signer holding the signer's key: blocks are sealed through its
	// account_signData (ADR 050) and the keystore is not used.
	SignerExternal string `toml:"signer_external"`

	// Genesis, when set, is committed on first start (dev mode); otherwise
	// the data dir must have been initialised with `citynode init`.
	Genesis *core.Genesis `toml:"-"`
	// Extension is Genesis's config.citychain section (ADR 048), stored with
	// it; unused without Genesis (`citynode init` stores a file's).
	Extension genesis.Extension `toml:"-"`
	// DevKey signs blocks in dev mode without a keystore.
	DevKey []byte `toml:"-"`

	// GossipLatency, if set, delays every block received from a peer (see
	// gossip.Config.Latency). For tests only; not configurable.
	GossipLatency func() time.Duration `toml:"-"`

	// Fault holds fault injections for the fault suite (ADR 073): never in
	// a configuration file, refused outside dev mode unless Allow is set.
	Fault FaultConfig `toml:"-"`
}

// FaultConfig is the fault injection a node accepts (ADR 073).
type FaultConfig struct {
	// ClockOffset shifts the clock Clique and the sealer read: the
	// future-block check, a new block's time and its release. 0: none.
	ClockOffset time.Duration
	// Allow accepts a fault injection outside dev mode.
	Allow bool
}

// maxClockOffset bounds the offset: a shift of minutes is a mistake, not a
// skew test.
const maxClockOffset = 10 * time.Minute

// diskGuard is the free space the data dir must keep (ADR 074).
func (c *Config) diskGuard() diskspace.Guard {
	// The databases, the sealer's guard and the transaction journal live
	// in the instance dir (the keystore beside it is small and read-only).
	return diskspace.Guard{Dir: c.instanceDir(), Min: c.MinFreeDisk << 20}
}

// check refuses a fault injection outside dev mode unless allowed.
func (f FaultConfig) check(mode string) error {
	if f.ClockOffset == 0 {
		return nil
	}
	if f.ClockOffset > maxClockOffset || f.ClockOffset < -maxClockOffset {
		return fmt.Errorf("--fault.clock-offset %v out of range: want at most %v either way", f.ClockOffset, maxClockOffset)
	}
	if mode != ModeDev && !f.Allow {
		return fmt.Errorf("--fault.clock-offset %v shifts the clock this node seals and verifies blocks by: a fault injection for tests, refused in %s mode; add --fault.allow only on a network you are testing (ADR 073)", f.ClockOffset, mode)
	}
	return nil
}

// HTTPConfig is the JSON-RPC over HTTP (and WebSocket, on the same port) server.
type HTTPConfig struct {
	Enabled bool     `toml:"enabled"`
	Addr    string   `toml:"addr"`
	Port    int      `toml:"port"`
	APIs    []string `toml:"apis"`
	CORS    []string `toml:"cors"`
	VHosts  []string `toml:"vhosts"`
	WS      bool     `toml:"ws"` // also serve WebSocket on the same port
	// RPCAllow and RPCDeny are per-method lists over the namespaces of APIs:
	// method names (eth_call) or namespaces (debug_*). With RPCAllow only what
	// it names is served; what RPCDeny names is never served (ADR 067).
	RPCAllow []string `toml:"rpc_allow"`
	RPCDeny  []string `toml:"rpc_deny"`
	// TLSCert and TLSKey, PEM files, serve the listener over TLS: https and
	// wss (ADR 068). Key names as citygate's [http] section.
	TLSCert string `toml:"tlscert"`
	TLSKey  string `toml:"tlskey"`
}

// RPCConfig limits what one JSON-RPC request may cost the node.
type RPCConfig struct {
	GasCap               uint64        `toml:"gascap"`                  // gas an eth_call or eth_estimateGas may use; 0: no cap
	EVMTimeout           time.Duration `toml:"evmtimeout"`              // time an eth_call may run; 0: no limit
	BatchRequestLimit    int           `toml:"batch_request_limit"`     // requests in one batch
	BatchResponseMaxSize int           `toml:"batch_response_max_size"` // bytes of one batch's answers
	LogRangeLimit        uint64        `toml:"log_range_limit"`         // blocks one eth_getLogs may span; 0: no limit
	// LogIndex is go-ethereum's log search index: "on", "off", or "auto"
	// (off on a sealing signer, on elsewhere; ADR 059).
	LogIndex string `toml:"log_index"`
}

// Log index settings (RPCConfig.LogIndex).
const (
	LogIndexAuto = "auto"
	LogIndexOn   = "on"
	LogIndexOff  = "off"
)

// Sync modes (Config.SyncMode).
const (
	SyncAuto = "auto"
	SyncSnap = "snap"
	SyncFull = "full"
)

// Snap sync pivots (Config.SyncPivot).
const (
	PivotHead64    = "head-64"
	PivotFinalized = "finalized"
)

// joinDriver reports whether a fresh node joins by the driver of ADR 084
// (package join) instead of go-ethereum's downloader.
func (c *Config) joinDriver() bool {
	return c.syncMode() == SyncSnap && c.SyncPivot == PivotFinalized
}

// syncMode is the sync mode the node runs: an auditor keeps every state
// since genesis, so it always executes every block (ADR 015); "auto", the
// default, is snap on an rpc node, whose readers want the head, and full
// elsewhere; unset (a Config not from Defaults) is full.
func (c *Config) syncMode() string {
	switch {
	case c.Mode == ModeAuditor, c.SyncMode == "":
		return SyncFull
	case c.SyncMode == SyncAuto:
		if c.Mode == ModeRPC {
			return SyncSnap
		}
		return SyncFull
	}
	return c.SyncMode
}

// logIndexed reports whether the node keeps go-ethereum's log search index:
// a signer that seals serves no residents' reads (rpc nodes do), and the
// index costs it CPU at every head (ADR 059).
func (c *Config) logIndexed() bool {
	switch c.RPC.LogIndex {
	case LogIndexOn:
		return true
	case LogIndexOff:
		return false
	}
	return c.Mode != ModeSigner || c.Signer == ""
}

// methodLists reports whether per-method lists are set (ADR 067).
func (h *HTTPConfig) methodLists() bool { return len(h.RPCAllow) > 0 || len(h.RPCDeny) > 0 }

// frontWebSocket reports whether citynode's JSON-RPC front serves WebSocket
// on the HTTP port instead of go-ethereum's own server, which takes no
// filter: with per-method lists (ADR 067), and on a node that may join by the
// join driver, whose history guard answers calls below the backfilled
// history (ADR 084, amendment 4).
func (c *Config) frontWebSocket() bool {
	return c.HTTP.Enabled && c.HTTP.WS && (c.HTTP.methodLists() || c.joinDriver())
}

// P2PConfig is the devp2p server.
type P2PConfig struct {
	Addr       string `toml:"addr"`
	Port       int    `toml:"port"`
	MaxPeers   int    `toml:"maxpeers"`
	NoDiscover bool   `toml:"nodiscover"`
	// NAT is how the node learns the address it announces: "none" (the
	// default: consortium members list each other's addresses), "extip:IP"
	// (the public address of a node behind a port forward), "any", "upnp" or "pmp".
	NAT string `toml:"nat"`
	// Bootnodes are enode URLs of discovery bootstrap nodes. Discovery runs
	// only if some are given (and NoDiscover is off).
	Bootnodes []string `toml:"bootnodes"`
	// StaticNodes are enode URLs this node keeps connected to.
	StaticNodes []string `toml:"staticnodes"`
	// Allowlist is a file of the node IDs allowed to peer; empty: any node.
	Allowlist string `toml:"allowlist"`
}

// TxPoolConfig sizes the transaction pool. The defaults are far above geth's so
// that a burst of residents' transactions is queued, not evicted.
type TxPoolConfig struct {
	GlobalSlots  uint64 `toml:"globalslots"`
	AccountSlots uint64 `toml:"accountslots"`
	GlobalQueue  uint64 `toml:"globalqueue"`
	AccountQueue uint64 `toml:"accountqueue"`
	PriceLimit   uint64 `toml:"pricelimit"` // wei; lowest tip accepted
	// BatchHold is the longest a JSON-RPC batch of eth_sendRawTransaction
	// waits before it is submitted while the pool holds more than its
	// backlog bound (ADR 077); 0: batches are never held.
	BatchHold time.Duration `toml:"batchhold"`
	// GossipBatch puts gossiped transactions into the pool ahead of geth's
	// eth handler, senders recovered on every core (ADR 099). Off by
	// default: it lowered latency only on a machine whose cores the nodes
	// saturate, and cost CPU with no gain otherwise (ADR 099, amendment 1).
	GossipBatch bool `toml:"gossipbatch"`
}

// PermissionsConfig says who may send transactions through this node (ADR 051).
type PermissionsConfig struct {
	// Accounts is "off", "directory" (the on-chain Directory's roles) or
	// "file:PATH" (the Directory plus a local list of accounts).
	Accounts string `toml:"accounts"`
}

// MinerConfig steers the blocks this node seals.
type MinerConfig struct {
	GasLimit uint64 `toml:"gaslimit"` // target block gas limit
	Extra    string `toml:"extradata"`
}

// Cache sizes, in MiB.
const (
	// DefaultCache keeps a node's memory and a dev chain's disk small: the
	// database takes half, and pebble preallocates each write-ahead log at
	// the size of a memtable (an eighth of its share). geth's fixed 2 GiB
	// database cache made a fresh dev chain 1.4 GB on disk, nearly all of it
	// preallocated logs.
	DefaultCache = 512
	MinCache     = 64 // below this the database thrashes
	// DefaultMinFreeDisk (MiB) leaves room for a state flush, a freezer
	// batch and a compaction's output after the guard's last look.
	DefaultMinFreeDisk = 256
)

// DefaultStateHistory (state-changing blocks) bounds what a restart after a
// crash executes again to 128 + 32 blocks (192 while a state write is under
// way); geth's 90,000 left it to the 64 MiB buffer (ADR 088).
const DefaultStateHistory = 32

// Defaults returns the default configuration.
func Defaults() Config {
	return Config{
		Mode:      ModeSigner,
		DataDir:   "citynode-data",
		DBEngine:  "pebble",
		Cache:     DefaultCache,
		SyncMode:  SyncAuto,
		SyncPivot: PivotFinalized,
		// StateHistory: see DefaultStateHistory.
		StateHistory: DefaultStateHistory,
		RPC: RPCConfig{
			GasCap:               ethconfig.Defaults.RPCGasCap,
			EVMTimeout:           ethconfig.Defaults.RPCEVMTimeout,
			LogIndex:             LogIndexAuto,
			BatchRequestLimit:    gethnode.DefaultConfig.BatchRequestLimit,
			BatchResponseMaxSize: gethnode.DefaultConfig.BatchResponseMaxSize,
		},
		HTTP: HTTPConfig{
			Addr:   "127.0.0.1",
			Port:   8545,
			APIs:   slices.Clone(defaultAPIs),
			VHosts: []string{"localhost"},
		},
		P2P: P2PConfig{
			Addr:     "127.0.0.1",
			Port:     30303,
			MaxPeers: 25,
			NAT:      "none",
		},
		TxPool: TxPoolConfig{
			GlobalSlots:  131072,
			AccountSlots: 4096,
			GlobalQueue:  32768,
			AccountQueue: 4096,
			PriceLimit:   1,
			BatchHold:    2 * time.Second,
		},
		Miner: MinerConfig{
			GasLimit: sealer.DefaultConfig().GasCeil,
		},
		MinFreeDisk: DefaultMinFreeDisk,
		Metrics:     metrics.Defaults(),
		Permissions: PermissionsConfig{Accounts: permissions.ModeOff},
		AuthRPC:     AuthRPCConfig{Addr: "127.0.0.1", Port: 8551},
	}
}

// Validate checks fields against each other.
func (c *Config) Validate() error {
	var errs []error
	errs = append(errs, c.validateBasics()...)
	if c.HTTP.Enabled {
		errs = append(errs, c.validateHTTP()...)
	}
	errs = append(errs, c.validateP2P()...)
	errs = append(errs, c.validateKnobs()...)
	errs = append(errs, c.validateSigner()...)
	if err := c.Metrics.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Miner.GasLimit == 0 {
		errs = append(errs, errors.New("--miner.gaslimit must be above zero"))
	}
	if len(c.Miner.Extra) > 32 {
		errs = append(errs, fmt.Errorf("--miner.extradata too long: have %d bytes, want <= 32", len(c.Miner.Extra)))
	}
	return errors.Join(errs...)
}

// validateBasics checks the mode, data dir, permissions, control listener,
// fault injection and database engine.
func (c *Config) validateBasics() []error {
	var errs []error
	switch c.Mode {
	case ModeSigner, ModeRPC, ModeDev, ModeAuditor:
	default:
		errs = append(errs, fmt.Errorf("unknown mode %q: want one of signer, rpc, auditor, dev", c.Mode))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("no data directory: set --datadir"))
	}
	if _, err := permissions.Load(c.Permissions.Accounts); err != nil {
		errs = append(errs, err)
	}
	if err := c.checkAuthRPC(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Fault.check(c.Mode); err != nil {
		errs = append(errs, err)
	}
	switch c.DBEngine {
	case "pebble", "leveldb":
	default:
		errs = append(errs, fmt.Errorf("unknown database engine %q: want pebble or leveldb", c.DBEngine))
	}
	return errs
}

// validateHTTP checks the JSON-RPC listener: address, port, method lists,
// TLS files and API namespaces.
func (c *Config) validateHTTP() []error {
	var errs []error
	if net.ParseIP(c.HTTP.Addr) == nil && c.HTTP.Addr != "localhost" {
		errs = append(errs, fmt.Errorf("invalid --http.addr %q: want an IP address such as 127.0.0.1", c.HTTP.Addr))
	}
	if c.HTTP.Port < 0 || c.HTTP.Port > 65535 {
		errs = append(errs, fmt.Errorf("invalid --http.port: have %d, want 0..65535", c.HTTP.Port))
	}
	if _, err := rpcacl.New(c.HTTP.RPCAllow, c.HTTP.RPCDeny); err != nil {
		errs = append(errs, err)
	}
	if c.HTTP.TLSCert != "" || c.HTTP.TLSKey != "" {
		if _, err := c.HTTP.loadTLS(); err != nil {
			errs = append(errs, err)
		}
	}
	for _, api := range c.HTTP.APIs {
		if !slices.Contains(defaultAPIs, api) && !slices.Contains(adminAPIs, api) {
			errs = append(errs, fmt.Errorf("unknown API namespace %q in --http.api: want some of %s", api, strings.Join(append(slices.Clone(defaultAPIs), adminAPIs...), ",")))
		}
	}
	return errs
}

// validateP2P checks the devp2p listener and static peers.
func (c *Config) validateP2P() []error {
	var errs []error
	if c.P2P.Addr != "" && net.ParseIP(c.P2P.Addr) == nil {
		errs = append(errs, fmt.Errorf("invalid --p2p.addr %q: want an IP address, such as the interface consortium peers reach", c.P2P.Addr))
	}
	for _, url := range c.P2P.StaticNodes {
		if _, err := enode.ParseV4(url); err != nil {
			errs = append(errs, fmt.Errorf("invalid --staticnodes entry %q (%v): want enode://<128 hex chars>@host:port", url, err))
		}
	}
	if c.P2P.Port < 0 || c.P2P.Port > 65535 {
		errs = append(errs, fmt.Errorf("invalid --port: have %d, want 0..65535", c.P2P.Port))
	}
	return errs
}

// validateSigner checks the sealing account against the mode and the way
// its key is unlocked.
func (c *Config) validateSigner() []error {
	var errs []error
	if c.Signer == "" {
		if c.SignerExternal != "" {
			errs = append(errs, errors.New("--signer.external needs --signer: the account the external signer seals with"))
		}
		return errs
	}
	if !common.IsHexAddress(c.Signer) {
		errs = append(errs, fmt.Errorf("invalid --signer %q: want a 0x-prefixed account address", c.Signer))
	}
	if c.Mode == ModeRPC {
		errs = append(errs, errors.New("--signer given in rpc mode: an rpc node never seals; drop --signer or use --mode signer"))
	}
	if c.Mode == ModeAuditor {
		errs = append(errs, errors.New("--signer given in auditor mode: an auditor never seals, so that it stays independent of the signers; drop --signer (and --password)"))
	}
	switch {
	case c.SignerExternal != "" && (c.PasswordFile != "" || c.DevKey != nil):
		errs = append(errs, errors.New("--signer.external with --password: the key is in the external signer, not in the keystore; drop --password"))
	case c.SignerExternal == "" && c.PasswordFile == "" && c.DevKey == nil:
		errs = append(errs, errors.New("--signer needs --password FILE to unlock the signer's key in the keystore, or --signer.external URL of the signer holding it"))
	}
	return errs
}

// validateKnobs checks the cache, NAT, bootnodes and RPC limits.
func (c *Config) validateKnobs() []error {
	var errs []error
	if c.Cache < MinCache {
		errs = append(errs, fmt.Errorf("invalid --cache: have %d MiB, want at least %d (%d is the default)", c.Cache, MinCache, DefaultCache))
	}
	switch c.SyncMode {
	case SyncAuto, SyncSnap, SyncFull, "":
		if c.SyncMode == SyncSnap && c.Mode == ModeAuditor {
			errs = append(errs, errors.New("--syncmode snap in auditor mode: an auditor keeps every block's state from genesis, which only a full sync computes; drop --syncmode (auditors always sync full)"))
		}
	default:
		errs = append(errs, fmt.Errorf("invalid --syncmode %q: want auto (snap on an rpc node, full elsewhere), snap or full", c.SyncMode))
	}
	switch c.SyncPivot {
	case PivotHead64, PivotFinalized, "":
		// Either is the default's or an operator's choice; a node that
		// does not snap-sync (a signer, an auditor, --syncmode full) has no
		// pivot and ignores it (ADR 084, amendment 6).
	default:
		errs = append(errs, fmt.Errorf("invalid --sync.pivot %q: want head-64 (go-ethereum's downloader) or finalized (the join driver, ADR 084)", c.SyncPivot))
	}
	switch c.RPC.LogIndex {
	case LogIndexAuto, LogIndexOn, LogIndexOff:
	default:
		errs = append(errs, fmt.Errorf("invalid --rpc.logindex %q: want auto (off on a sealing signer), on or off", c.RPC.LogIndex))
	}
	if _, err := parseNAT(c.P2P.NAT); err != nil {
		errs = append(errs, err)
	}
	for _, url := range c.P2P.Bootnodes {
		if _, err := enode.ParseV4(url); err != nil {
			errs = append(errs, fmt.Errorf("invalid --bootnodes entry %q (%v): want enode://<128 hex chars>@host:port", url, err))
		}
	}
	if c.TxPool.BatchHold < 0 {
		errs = append(errs, fmt.Errorf("invalid --txpool.batchhold: have %v, want 0 (never hold) or more", c.TxPool.BatchHold))
	}
	if c.RPC.EVMTimeout < 0 {
		errs = append(errs, fmt.Errorf("invalid --rpc.evmtimeout: have %v, want 0 (no limit) or more", c.RPC.EVMTimeout))
	}
	if c.RPC.BatchRequestLimit < 1 {
		errs = append(errs, fmt.Errorf("invalid --rpc.batch-request-limit: have %d, want at least 1 (%d is the default)", c.RPC.BatchRequestLimit, gethnode.DefaultConfig.BatchRequestLimit))
	}
	if c.RPC.BatchResponseMaxSize < 1 {
		errs = append(errs, fmt.Errorf("invalid --rpc.batch-response-max-size: have %d, want at least 1 byte (%d is the default)", c.RPC.BatchResponseMaxSize, gethnode.DefaultConfig.BatchResponseMaxSize))
	}
	return errs
}

// parseNAT reads --nat. STUN is refused: it asks public servers on the
// Internet, which a consortium node has no business contacting.
func parseNAT(spec string) (nat.Interface, error) {
	if strings.HasPrefix(strings.ToLower(spec), "stun") {
		return nil, fmt.Errorf("invalid --nat %q: STUN asks public servers for the address; use extip:IP with the address peers reach, or none", spec)
	}
	n, err := nat.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("invalid --nat %q (%v): want none, extip:IP (the address peers reach this node at), any, upnp or pmp", spec, err)
	}
	return n, nil
}

// cacheShares splits the cache between geth's caches: half to the database
// (pebble's block cache and memtables), the rest to clean trie nodes and the
// state snapshot. The dirty-state buffer is fixed (stateBufferMB, crash
// safety) and not taken from the cache.
func cacheShares(total int) (database, trieClean, snapshot int) {
	return total / 2, total * 3 / 10, total / 5
}

// instanceDir is where geth's node keeps chain data, keys and the node key.
func (c *Config) instanceDir() string { return filepath.Join(c.DataDir, "citynode") }

// KeyStoreDir is where the encrypted signer keys live.
func (c *Config) KeyStoreDir() string { return keyfiles.Dir(c.DataDir) }

// guardPath is where the sealer records the last block it signed.
func (c *Config) guardPath() string { return filepath.Join(c.instanceDir(), "sealer-guard.rlp") }
