package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/consensus/aura/auratest"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// auraListSpecFile writes a Parity chain spec whose validators are list,
// in that order, with 5-second steps, and returns its path.
func auraListSpecFile(t *testing.T, list []common.Address) string {
	t.Helper()
	quoted := make([]string, len(list))
	for i, a := range list {
		quoted[i] = `"` + a.Hex() + `"`
	}
	spec := `{"name":"ActiveCitizenList","engine":{"authorityRound":{"params":{"stepDuration":5,` +
		`"validators":{"list":[` + strings.Join(quoted, ",") + `]}}}},"params":{"networkID":"0x1e79"}}`
	path := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(path, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAnchorAura anchors a generated Aura chain (three validators in a
// list, served as a Parity node serves it) on a `citynode dev`: register
// with --chain-spec, one `anchor post`, then `anchor follow` while the
// chain grows; then a span whose middle header is sealed out of turn
// (which Anchors alone would take: it checks the checkpoint header's seal)
// is refused by `anchor post` and by the follower, and nothing is posted.
func TestAnchorAura(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode and cityctl")
	}
	ks := auratest.Keys(3)
	c := auratest.NewChain(7801, 5, 1000, common.Address{})
	c.Rotate(ks, 6)
	node := auratest.Serve(c)
	defer node.Close()
	spec := auraListSpecFile(t, auratest.Addresses(ks...))
	bin, cleanup, err := proctest.Build(".", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	url, admin, relayer := anchorRelay(t)

	refusedCityctl(t, "--epoch is a Clique chain's", "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", node.URL, "--chain-spec", spec, "--epoch", "4")
	out := mustCityctl(t, "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", node.URL, "--chain-spec", spec, "--checkpoint", "2")
	if !strings.Contains(out, "Registered Aura chain 7801") {
		t.Fatalf("anchor register --chain-spec: %s", out)
	}
	s := anchorStatusJSON(t, url, 7801)
	if s.Consensus != "aura" || s.Epoch != 5 || s.Latest.Number != 2 || s.Latest.Hash != c.Blocks[2].Hash() || !slices.Equal(s.Validators, auratest.Addresses(ks...)) {
		t.Fatalf("after register: %+v, want aura, step 5 s, checkpoint 2 %s, validators in the spec's order", s, c.Blocks[2].Hash())
	}

	if out := mustCityctl(t, "anchor", "status", "--rpc", url, "--chain", "7801"); !strings.Contains(out, "Chain 7801 (aura, step duration 5 s,") {
		t.Fatalf("anchor status of an Aura chain: %s", out)
	}

	post := []string{"anchor", "post", "--rpc", url, "--key", relayer, "--chain", "7801", "--chain-rpc", node.URL, "--blocks", "3"}
	refusedCityctl(t, "give its chain spec with --chain-spec", post...)
	mustCityctl(t, append(post, "--chain-spec", spec)...)
	if s = anchorStatusJSON(t, url, 7801); s.Latest.Number != 5 || s.Latest.Hash != c.Blocks[5].Hash() || s.Latest.Sealer != ks[c.Blocks[5].Step%3].Address {
		t.Fatalf("after anchor post --blocks 3: %+v, want block 5 %s", s.Latest, c.Blocks[5].Hash())
	}

	f := startFollower(t, bin, "--rpc", url, "--key", relayer, "--chain", "7801", "--chain-rpc", node.URL, "--chain-spec", spec,
		"--every", "1", "--interval", "1h", "--poll", "200ms")
	f.waitPosted(t, 6, 60*time.Second)
	node.Update(func(c *auratest.Chain) { c.Rotate(ks, 6) })
	f.waitPosted(t, 12, 60*time.Second)
	f.stop(syscall.SIGTERM)
	if s = anchorStatusJSON(t, url, 7801); s.Latest.Number != 12 || s.Latest.Hash != c.Blocks[12].Hash() {
		t.Fatalf("after following: %+v, want block 12 %s", s.Latest, c.Blocks[12].Hash())
	}

	// Block 13 sealed by a validator whose turn it is not, block 14 by the
	// right one: Anchors checks only block 14's seal, the follower all.
	node.Update(func(c *auratest.Chain) {
		step := c.Head().Step + 1
		c.Seal(step, ks[(step+1)%3], nil)
		c.Rotate(ks, 1)
	})
	refusedCityctl(t, "whose turn it is not", append(post, "--chain-spec", spec)...)
	f2 := startFollower(t, bin, "--rpc", url, "--key", relayer, "--chain", "7801", "--chain-rpc", node.URL, "--chain-spec", spec,
		"--every", "1", "--interval", "1h", "--poll", "200ms")
	proctest.WaitFor(t, 60*time.Second, "the follower to refuse block 13", func() bool {
		return strings.Contains(f2.output(), "REFUSED a span of chain 7801")
	})
	f2.stop(syscall.SIGTERM)
	if out := f2.output(); !strings.Contains(out, "block 13") || !strings.Contains(out, "whose turn it is not") || len(f2.posted()) != 0 {
		t.Fatalf("the follower's refusal does not name block 13 and the rule, or it posted:\n%s", out)
	}
	if s = anchorStatusJSON(t, url, 7801); s.Latest.Number != 12 {
		t.Fatalf("after the out-of-turn block: latest %d, want 12", s.Latest.Number)
	}
}
