package main

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/genesis/ceremony"
	"github.com/citychain/citychain/genesis/rehearsal"
)

// TestCeremonyVerdict: the ceremony's last line says whether it made a
// network or reused the one an earlier run made, with the genesis hash, and
// names the nodes it gave new node keys (make network-up prints it).
func TestCeremonyVerdict(t *testing.T) {
	hash := common.HexToHash("0x01")
	res := func(reused bool, inited ...string) *rehearsal.Result {
		r := &rehearsal.Result{Result: &ceremony.Result{Hash: hash}, Reused: reused, Inited: map[string]struct{}{}}
		for _, n := range inited {
			r.Inited[n] = struct{}{}
		}
		return r
	}
	for _, c := range []struct {
		res  *rehearsal.Result
		want []string
	}{
		{res(false, "rpc1", "signer-land"), []string{"Ceremony: made a new network, genesis " + hash.Hex()}},
		{res(true), []string{"Ceremony: reused the network an earlier run made, genesis " + hash.Hex() + ": no key made, every data dir already initialised"}},
		{res(true, "rpc2", "auditor"), []string{"Ceremony: reused the network an earlier run made, genesis " + hash.Hex(), "new node keys of auditor, rpc2", "SIGHUP"}},
	} {
		have := verdict(c.res)
		for _, w := range c.want {
			if !strings.Contains(have, w) {
				t.Errorf("verdict: have %q, want it to hold %q", have, w)
			}
		}
	}
}
