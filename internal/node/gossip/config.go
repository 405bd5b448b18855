package gossip

import (
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Config configures a Service.
type Config struct {
	NetworkID uint64      // network id; a peer with another one is disconnected
	Genesis   common.Hash // genesis block hash; a peer with another one is disconnected

	HandshakeTimeout time.Duration // time a peer has to send its status
	RequestTimeout   time.Duration // time a peer has to answer a GetBlocks

	MaxMessageSize uint32 // bytes; a larger message drops the peer before it is decoded
	MaxFetchDepth  uint64 // ancestors fetched for a block with an unknown parent before SyncFrom takes over
	SyncThreshold  uint64 // blocks a peer's head may be ahead of ours before SyncFrom is called instead of fetching

	MsgRate   float64 // messages per second a peer may send, on average; faster drops the peer
	MsgBurst  int     // messages a peer may send at once
	ByteRate  float64 // bytes per second a peer may send, on average; faster drops the peer
	ByteBurst int     // bytes a peer may send at once; at least MaxMessageSize

	SendQueue  int // messages queued for sending per peer; a broadcast or answer beyond it is dropped
	InboxQueue int // received blocks and announcement batches queued for import per peer; beyond it they are dropped
	KnownCache int // block hashes remembered per peer as known to it (not sent to it again)

	// Latency, if set, delays each block received from a peer by the
	// duration it returns before the block is handled, as a slow link
	// would. For tests of out-of-turn races; never set by a running node.
	Latency func() time.Duration
}

// Defaults are the settings a node uses unless configured otherwise. NetworkID
// and Genesis have no default.
var Defaults = Config{
	HandshakeTimeout: 5 * time.Second,
	RequestTimeout:   5 * time.Second,
	MaxMessageSize:   16 * 1024 * 1024, // RLPx itself carries at most 2^24-1 bytes, so this is the transport's limit
	MaxFetchDepth:    64,
	SyncThreshold:    8,
	MsgRate:          50,
	MsgBurst:         200,
	ByteRate:         16 * 1024 * 1024,
	ByteBurst:        32 * 1024 * 1024,
	SendQueue:        64,
	InboxQueue:       16,
	KnownCache:       1024,
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs []error
	if c.Genesis == (common.Hash{}) {
		errs = append(errs, errors.New("gossip: missing Genesis hash"))
	}
	if c.HandshakeTimeout <= 0 {
		errs = append(errs, fmt.Errorf("gossip: invalid HandshakeTimeout: have %v, want > 0", c.HandshakeTimeout))
	}
	if c.RequestTimeout <= 0 {
		errs = append(errs, fmt.Errorf("gossip: invalid RequestTimeout: have %v, want > 0", c.RequestTimeout))
	}
	if c.MaxMessageSize < 1024 {
		errs = append(errs, fmt.Errorf("gossip: invalid MaxMessageSize: have %d, want >= 1024 bytes", c.MaxMessageSize))
	}
	if c.MaxFetchDepth < 1 {
		errs = append(errs, fmt.Errorf("gossip: invalid MaxFetchDepth: have %d, want >= 1", c.MaxFetchDepth))
	}
	if c.MsgRate <= 0 {
		errs = append(errs, fmt.Errorf("gossip: invalid MsgRate: have %v, want > 0", c.MsgRate))
	}
	if c.MsgBurst < 1 {
		errs = append(errs, fmt.Errorf("gossip: invalid MsgBurst: have %d, want >= 1", c.MsgBurst))
	}
	if c.ByteRate <= 0 {
		errs = append(errs, fmt.Errorf("gossip: invalid ByteRate: have %v, want > 0", c.ByteRate))
	}
	if c.ByteBurst < int(c.MaxMessageSize) {
		errs = append(errs, fmt.Errorf("gossip: invalid ByteBurst: have %d, want >= MaxMessageSize (%d)", c.ByteBurst, c.MaxMessageSize))
	}
	if c.SendQueue < 1 {
		errs = append(errs, fmt.Errorf("gossip: invalid SendQueue: have %d, want >= 1", c.SendQueue))
	}
	if c.InboxQueue < 1 {
		errs = append(errs, fmt.Errorf("gossip: invalid InboxQueue: have %d, want >= 1", c.InboxQueue))
	}
	if c.KnownCache < 1 {
		errs = append(errs, fmt.Errorf("gossip: invalid KnownCache: have %d, want >= 1", c.KnownCache))
	}
	return errors.Join(errs...)
}
