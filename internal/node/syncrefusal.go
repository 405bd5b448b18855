package node

import (
	"strings"

	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
)

// warnRefusedSyncData wraps the eth and snap protocols so that a peer dropped
// for serving chain data that fails its check (bodies or receipts against
// their header's roots, state ranges against the pivot's state root) is a
// warning naming the peer and the check: geth's downloader drops such a peer
// with a debug line only (ADR 076).
func warnRefusedSyncData(protos []p2p.Protocol) []p2p.Protocol {
	out := make([]p2p.Protocol, len(protos))
	copy(out, protos)
	for i := range out {
		if out[i].Name != "eth" && out[i].Name != "snap" {
			continue
		}
		name, run := out[i].Name, out[i].Run
		out[i].Run = func(p *p2p.Peer, rw p2p.MsgReadWriter) error {
			err := run(p, rw)
			if err != nil && strings.Contains(err.Error(), "invalid") {
				log.Warn("Dropped a peer that served chain data failing verification", "peer", p.ID().TerminalString(), "addr", p.RemoteAddr(), "protocol", name, "err", err)
			}
			return err
		}
	}
	return out
}
