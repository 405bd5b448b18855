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
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/consensus/sealer"
	"github.com/citychain/citychain/internal/metrics"
)

// Modes of a citynode.
const (
	ModeSigner  = "signer"  // a department's validator; seals when --signer is set
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

	HTTP    HTTPConfig     `toml:"http"`
	P2P     P2PConfig      `toml:"p2p"`
	TxPool  TxPoolConfig   `toml:"txpool"`
	Miner   MinerConfig    `toml:"miner"`
	Metrics metrics.Config `toml:"metrics"`

	// Signer is the account that seals blocks; empty for a node that only follows.
	Signer string `toml:"signer"`
	// PasswordFile holds the keystore password of the signer account.
	PasswordFile string `toml:"password_file"`

	// Genesis, when set, is committed on first start (dev mode); otherwise
	// the data dir must have been initialised with `citynode init`.
	Genesis *core.Genesis `toml:"-"`
	// DevKey signs blocks in dev mode without a keystore.
	DevKey []byte `toml:"-"`

	// GossipLatency, if set, delays every block received from a peer (see
	// gossip.Config.Latency). For tests only; not configurable.
	GossipLatency func() time.Duration `toml:"-"`
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
}

// P2PConfig is the devp2p server.
type P2PConfig struct {
	Addr       string `toml:"addr"`
	Port       int    `toml:"port"`
	MaxPeers   int    `toml:"maxpeers"`
	NoDiscover bool   `toml:"nodiscover"`
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
}

// MinerConfig steers the blocks this node seals.
type MinerConfig struct {
	GasLimit uint64 `toml:"gaslimit"` // target block gas limit
	Extra    string `toml:"extradata"`
}

// Defaults returns the default configuration.
func Defaults() Config {
	return Config{
		Mode:     ModeSigner,
		DataDir:  "citynode-data",
		DBEngine: "pebble",
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
		},
		TxPool: TxPoolConfig{
			GlobalSlots:  131072,
			AccountSlots: 4096,
			GlobalQueue:  32768,
			AccountQueue: 4096,
			PriceLimit:   1,
		},
		Miner: MinerConfig{
			GasLimit: sealer.DefaultConfig().GasCeil,
		},
		Metrics: metrics.Defaults(),
	}
}

// Validate checks fields against each other.
func (c *Config) Validate() error {
	var errs []error
	switch c.Mode {
	case ModeSigner, ModeRPC, ModeDev, ModeAuditor:
	default:
		errs = append(errs, fmt.Errorf("unknown mode %q: want one of signer, rpc, auditor, dev", c.Mode))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("no data directory: set --datadir"))
	}
	switch c.DBEngine {
	case "pebble", "leveldb":
	default:
		errs = append(errs, fmt.Errorf("unknown database engine %q: want pebble or leveldb", c.DBEngine))
	}
	if c.HTTP.Enabled {
		if net.ParseIP(c.HTTP.Addr) == nil && c.HTTP.Addr != "localhost" {
			errs = append(errs, fmt.Errorf("invalid --http.addr %q: want an IP address such as 127.0.0.1", c.HTTP.Addr))
		}
		if c.HTTP.Port < 0 || c.HTTP.Port > 65535 {
			errs = append(errs, fmt.Errorf("invalid --http.port: have %d, want 0..65535", c.HTTP.Port))
		}
		for _, api := range c.HTTP.APIs {
			if !slices.Contains(defaultAPIs, api) && !slices.Contains(adminAPIs, api) {
				errs = append(errs, fmt.Errorf("unknown API namespace %q in --http.api: want some of %s", api, strings.Join(append(slices.Clone(defaultAPIs), adminAPIs...), ",")))
			}
		}
	}
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
	if c.Signer != "" {
		if !common.IsHexAddress(c.Signer) {
			errs = append(errs, fmt.Errorf("invalid --signer %q: want a 0x-prefixed account address", c.Signer))
		}
		if c.Mode == ModeRPC {
			errs = append(errs, errors.New("--signer given in rpc mode: an rpc node never seals; drop --signer or use --mode signer"))
		}
		if c.Mode == ModeAuditor {
			errs = append(errs, errors.New("--signer given in auditor mode: an auditor never seals, so that it stays independent of the signers; drop --signer (and --password)"))
		}
		if c.PasswordFile == "" && c.DevKey == nil {
			errs = append(errs, errors.New("--signer needs --password FILE to unlock the signer's key in the keystore"))
		}
	}
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

// instanceDir is where geth's node keeps chain data, keys and the node key.
func (c *Config) instanceDir() string { return filepath.Join(c.DataDir, "citynode") }

// KeyStoreDir is where the encrypted signer keys live.
func (c *Config) KeyStoreDir() string { return filepath.Join(c.DataDir, "keystore") }

// guardPath is where the sealer records the last block it signed.
func (c *Config) guardPath() string { return filepath.Join(c.instanceDir(), "sealer-guard.rlp") }
