package gossip

import (
	"sync/atomic"

	"github.com/ethereum/go-ethereum/p2p"
)

// DropReason says why a peer was disconnected, for metrics with a bounded set
// of labels. Each maps to the devp2p disconnect reason the peer receives.
type DropReason int

const (
	DropMismatch     DropReason = iota // network id or genesis differs (p2p.DiscUselessPeer)
	DropTimeout                        // no status within HandshakeTimeout (p2p.DiscReadTimeout)
	DropOversized                      // a message above MaxMessageSize (p2p.DiscProtocolError)
	DropMalformed                      // a message that does not decode or breaks a protocol limit (p2p.DiscProtocolError)
	DropProtocol                       // an unexpected message or an answer that is not what was asked (p2p.DiscProtocolError)
	DropRateLimit                      // more messages or bytes than MsgRate/ByteRate allow (p2p.DiscSubprotocolError)
	DropInvalidBlock                   // a block that breaks a consensus rule (p2p.DiscUselessPeer)
	numDropReasons
)

// String returns the reason's metric label.
func (r DropReason) String() string {
	switch r {
	case DropMismatch:
		return "mismatch"
	case DropTimeout:
		return "timeout"
	case DropOversized:
		return "oversized"
	case DropMalformed:
		return "malformed"
	case DropProtocol:
		return "protocol"
	case DropRateLimit:
		return "rate_limit"
	case DropInvalidBlock:
		return "invalid_block"
	default:
		return "unknown"
	}
}

// disc returns the devp2p disconnect reason sent to the peer.
func (r DropReason) disc() p2p.DiscReason {
	switch r {
	case DropMismatch, DropInvalidBlock:
		return p2p.DiscUselessPeer
	case DropTimeout:
		return p2p.DiscReadTimeout
	case DropRateLimit:
		return p2p.DiscSubprotocolError
	default:
		return p2p.DiscProtocolError
	}
}

// RejectReason says why a block received from a peer did not make it into the
// chain, for metrics with a bounded set of labels.
type RejectReason int

const (
	RejectInvalid  RejectReason = iota // Import reported ErrInvalidBlock or ErrBodyMismatch, or the hash is known to be bad
	RejectAncestry                     // its missing ancestors could not be fetched (timeout, not found, too deep)
	RejectError                        // Import failed for a local reason
	numRejectReasons
)

// String returns the reason's metric label.
func (r RejectReason) String() string {
	switch r {
	case RejectInvalid:
		return "invalid"
	case RejectAncestry:
		return "ancestry"
	case RejectError:
		return "error"
	default:
		return "unknown"
	}
}

// Metrics is a snapshot of a Service's counters. Counters count since the
// Service was created; Peers is the current value.
type Metrics struct {
	Peers int // peers past the handshake now

	BlocksReceived uint64 // blocks received in NewBlock messages
	BlocksFetched  uint64 // blocks received in answers to our GetBlocks
	BlocksImported uint64 // received blocks Import accepted
	BlocksSent     uint64 // full blocks queued to peers (NewBlock)
	HashesSent     uint64 // block hashes queued to peers (NewBlockHashes)
	HashesReceived uint64 // block hashes peers announced
	BlocksServed   uint64 // blocks sent in answers to peers' GetBlocks
	SyncRequests   uint64 // calls of Backend.SyncFrom

	Rejected [numRejectReasons]uint64 // received blocks refused, indexed by RejectReason
	Dropped  [numDropReasons]uint64   // peers disconnected, indexed by DropReason
	Overflow uint64                   // messages dropped because a per-peer queue was full
}

// counters are the live counters behind Metrics.
type counters struct {
	received, fetched, imported, sent, hashesSent, hashesReceived, served, syncs atomic.Uint64

	rejected [numRejectReasons]atomic.Uint64
	dropped  [numDropReasons]atomic.Uint64
	overflow atomic.Uint64
}
