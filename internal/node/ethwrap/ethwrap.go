// Package ethwrap wraps the run function of geth's eth protocol, the one
// place where citynode can see each eth message of a connection before
// geth's handler does (staletx, gossiptx and readahead wrap it so).
package ethwrap

import (
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/p2p"
)

// Run is a protocol's run function (p2p.Protocol.Run).
type Run = func(peer *p2p.Peer, rw p2p.MsgReadWriter) error

// Eth returns protocols with the run function of each version of geth's eth
// protocol replaced by wrap's, which gets the version and the run function
// it replaces. The other protocols are returned as they are; protocols is
// not changed.
func Eth(protocols []p2p.Protocol, wrap func(version uint, run Run) Run) []p2p.Protocol {
	wrapped := make([]p2p.Protocol, len(protocols))
	for i, proto := range protocols {
		wrapped[i] = proto
		if proto.Name == eth.ProtocolName {
			wrapped[i].Run = wrap(proto.Version, proto.Run)
		}
	}
	return wrapped
}
