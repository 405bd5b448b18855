package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/consensus/aura/auratest"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// auraMultiSpecFile writes a chain spec whose validators are contract
// (safeContract) from block 0, then list after block switchAt.
func auraMultiSpecFile(t *testing.T, contract common.Address, switchAt string, list []common.Address) string {
	t.Helper()
	quoted := make([]string, len(list))
	for i, a := range list {
		quoted[i] = `"` + a.Hex() + `"`
	}
	spec := `{"name":"ActiveCitizenMulti","engine":{"authorityRound":{"params":{"stepDuration":5,"validators":{"multi":{` +
		`"0":{"safeContract":"` + contract.Hex() + `"},"` + switchAt + `":{"list":[` + strings.Join(quoted, ",") + `]}}}}}},"params":{"networkID":"0x1e7a"}}`
	path := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(path, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// auditJSON runs anchor audit --json and returns its report and error.
func auditJSON(t *testing.T, args ...string) (anchor.AuraAudit, string, error) {
	t.Helper()
	out, stdout, err := cityctlOut(append([]string{"anchor", "audit", "--json"}, args...)...)
	var au anchor.AuraAudit
	if jerr := json.Unmarshal([]byte(stdout), &au); jerr != nil {
		t.Fatalf("anchor audit --json: %v (%v)\n%s", jerr, err, out)
	}
	return au, out, err
}

// TestAnchorAuraSetChanges anchors a generated Aura chain across two
// validator-set changes on a `citynode dev` (ADR 080): its contract
// signals four validators in block 5, final after block 6 (two of the
// three sealed from block 5 on); its spec's multi switches to a list after
// block 14. `anchor post` waits while the change is pending, then posts it
// with block 6; a follower posts the switch with block 14, is killed with
// SIGKILL, and another goes on from Anchors' set. `anchor audit` finds
// Anchors' sets are the chain's; then a set change the chain did not make,
// posted by the relayer, is flagged by the audit and refused by the
// follower.
func TestAnchorAuraSetChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode and cityctl")
	}
	contract := common.HexToAddress("0x0000000000000000000000000000000000001000")
	ks := auratest.Keys(5)
	setA, setB, list := ks[:3], ks[1:5], []auratest.Key{ks[4], ks[0]}
	c := auratest.NewChain(7802, 5, 1000, contract)
	c.Rotate(setA, 4)
	c.Sets[c.Blocks[2].Hash()] = auratest.Addresses(setA...)
	step := c.Head().Step + 1
	c.Seal(step, setA[step%3], auratest.Addresses(setB...)) // block 5 signals setB
	node := auratest.Serve(c)
	defer node.Close()
	spec := auraMultiSpecFile(t, contract, "14", auratest.Addresses(list...))
	bin, cleanup, err := proctest.Build(".", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	url, admin, relayer := anchorRelay(t)
	mustCityctl(t, "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", node.URL, "--chain-spec", spec, "--checkpoint", "2")

	// While the change is pending nothing after block 4 can be posted; a
	// span ends before the signal.
	post := []string{"anchor", "post", "--rpc", url, "--key", relayer, "--chain", "7802", "--chain-rpc", node.URL, "--chain-spec", spec}
	mustCityctl(t, post...)
	if s := anchorStatusJSON(t, url, 7802); s.Latest.Number != 4 {
		t.Fatalf("a span with a pending change: latest %d, want 4 (before the signal)", s.Latest.Number)
	}
	if out := mustCityctl(t, post...); !strings.Contains(out, "Nothing to post yet") {
		t.Fatalf("anchor post with only a pending change after the checkpoint: %s", out)
	}
	node.Update(func(c *auratest.Chain) { c.Rotate(setA, 1) }) // block 6: final
	if out := mustCityctl(t, post...); !strings.Contains(out, "Anchored block 6") || !strings.Contains(out, "4 validators") || !strings.Contains(out, "signalled in block 5") {
		t.Fatalf("anchor post of the change: %s", out)
	}
	if s := anchorStatusJSON(t, url, 7802); !slices.Equal(s.Validators, auratest.Addresses(setB...)) || len(s.SetChanges) != 2 || s.SetChanges[1].Number != 6 || s.SetChanges[1].Signal != 5 {
		t.Fatalf("after the change: validators %v, set changes %+v; want %v, recorded after block 6 with signal 5", s.Validators, s.SetChanges, auratest.Addresses(setB...))
	}
	if out := mustCityctl(t, "anchor", "status", "--rpc", url, "--chain", "7802"); !strings.Contains(out, "Validator set changed after block 6 (signal 5): 4 validators") {
		t.Fatalf("anchor status after the change:\n%s", out)
	}

	// The follower posts the multi switch with block 14, is killed, and
	// another goes on from the list Anchors tracks.
	node.Update(func(c *auratest.Chain) { c.Rotate(setB, 8) })
	args := []string{"--rpc", url, "--key", relayer, "--chain", "7802", "--chain-rpc", node.URL, "--chain-spec", spec,
		"--every", "1", "--interval", "1h", "--poll", "200ms"}
	f1 := startFollower(t, bin, args...)
	f1.waitPosted(t, 14, 60*time.Second)
	f1.stop(syscall.SIGKILL)
	if out := f1.output(); !strings.Contains(out, "Validator set of chain 7802 after block 14: 2 validators") {
		t.Fatalf("the follower did not report the switch after block 14:\n%s", out)
	}
	node.Update(func(c *auratest.Chain) { c.Rotate(list, 4) })
	f2 := startFollower(t, bin, args...)
	f2.waitPosted(t, 18, 60*time.Second)
	f2.stop(syscall.SIGTERM)
	posted := append(f1.posted(), f2.posted()...)
	increasing := slices.IsSortedFunc(posted, func(a, b uint64) int { return int(a) - int(b) }) && len(slices.Compact(slices.Clone(posted))) == len(posted)
	if !increasing || !slices.Contains(posted, 14) || posted[len(posted)-1] != 18 {
		t.Fatalf("the followers posted %v: want increasing checkpoints, 14 among them", posted)
	}
	if s := anchorStatusJSON(t, url, 7802); s.Latest.Number != 18 || s.Latest.Hash != c.Blocks[18].Hash() || !slices.Equal(s.Validators, auratest.Addresses(list...)) {
		t.Fatalf("after following: %+v, want block 18 %s with the list", s, c.Blocks[18].Hash())
	}

	audit := []string{"--rpc", url, "--chain", "7802", "--chain-rpc", node.URL, "--chain-spec", spec}
	au, out, err := auditJSON(t, audit...)
	want := []anchor.RecordedSet{{Number: 2, Set: auratest.Addresses(setA...)}, {Number: 6, Signal: 5, Set: auratest.Addresses(setB...)},
		{Number: 14, Set: auratest.Addresses(list...)}}
	if err != nil || len(au.Mismatches) != 0 || au.Verified != 16 || !sameSets(au.Recorded, want) || !sameSets(au.Found, want) {
		t.Fatalf("anchor audit of the honest line: %v\n%s\nwant sets %+v", err, out, want)
	}

	// The relayer posts block 19 with a set change the chain did not make:
	// Anchors takes a list switch on its word, the audit flags it.
	node.Update(func(c *auratest.Chain) { c.Rotate(list, 1) })
	forgeSetChange(t, url, c.Blocks[19], []common.Address{ks[0].Address})
	au, out, err = auditJSON(t, audit...)
	var exit *exitError
	if !errors.As(err, &exit) || exit.code != 1 || len(au.Mismatches) != 1 || !strings.Contains(au.Mismatches[0], "after block 19") {
		t.Fatalf("anchor audit after a forged set change: %v\n%s", err, out)
	}
	if out, _ := cityctl(append([]string{"anchor", "audit"}, audit...)...); !strings.Contains(out, "MISMATCH: Anchors records a validator-set change after block 19") {
		t.Fatalf("anchor audit text after a forged set change:\n%s", out)
	}
	node.Update(func(c *auratest.Chain) { c.Rotate(list, 1) })
	f3 := startFollower(t, bin, args...)
	proctest.WaitFor(t, 60*time.Second, "the follower to refuse the forged set", func() bool {
		return strings.Contains(f3.output(), "the validator set Anchors tracks is not the chain's")
	})
	if out := f3.output(); !strings.Contains(out, "REFUSED a span of chain 7802 after checkpoint 19") || len(f3.posted()) != 0 {
		t.Fatalf("the follower's refusal of the forged set:\n%s", out)
	}
}

// forgeSetChange posts header h after the latest checkpoint with set as a
// change, signed by the relayer (dev account 8), as a dishonest relayer can.
func forgeSetChange(t *testing.T, url string, h interface{ Encode() ([]byte, error) }, set []common.Address) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rc, err := registry.Dial(ctx, url, registry.NewSigner(genesis.DevAccounts(9)[8].Key))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	a, err := anchor.Find(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.PostSetChange(ctx, 7802, 18, [][]byte{raw}, &anchor.SetChange{Set: set}); err != nil {
		t.Fatalf("the forged set change: %v", err)
	}
}

func sameSets(a, b []anchor.RecordedSet) bool {
	return slices.EqualFunc(a, b, func(x, y anchor.RecordedSet) bool {
		return x.Number == y.Number && x.Signal == y.Signal && slices.Equal(x.Set, y.Set)
	})
}
