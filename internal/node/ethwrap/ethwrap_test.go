package ethwrap

import (
	"testing"

	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/p2p"
)

// TestEth: each eth version's run is wrapped with its own version and run,
// the snap protocol's is left, and the input slice is not changed.
func TestEth(t *testing.T) {
	calls := map[string]int{}
	run := func(name string) Run {
		return func(*p2p.Peer, p2p.MsgReadWriter) error { calls[name]++; return nil }
	}
	in := []p2p.Protocol{
		{Name: eth.ProtocolName, Version: 68, Run: run("eth68")},
		{Name: "snap", Version: 1, Run: run("snap")},
		{Name: eth.ProtocolName, Version: 69, Run: run("eth69")},
	}
	var versions []uint
	out := Eth(in, func(version uint, next Run) Run {
		return func(peer *p2p.Peer, rw p2p.MsgReadWriter) error {
			versions = append(versions, version)
			return next(peer, rw)
		}
	})
	for _, p := range out {
		p.Run(nil, nil)
	}
	if len(versions) != 2 || versions[0] != 68 || versions[1] != 69 {
		t.Errorf("wrapped versions: have %v, want [68 69]", versions)
	}
	if calls["eth68"] != 1 || calls["eth69"] != 1 || calls["snap"] != 1 {
		t.Errorf("runs called: %v, want each once", calls)
	}
	in[1].Run(nil, nil)
	if len(versions) != 2 {
		t.Error("the input's protocols were changed")
	}
	for _, p := range in {
		if p.Name == eth.ProtocolName {
			p.Run(nil, nil)
		}
	}
	if len(versions) != 2 {
		t.Error("the input's eth runs were replaced")
	}
}
