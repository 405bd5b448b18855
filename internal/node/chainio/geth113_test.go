package chainio_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/bench/loadgen"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/chainio"
)

// geth113 names the testdata made by scripts/geth113-interop.sh (see
// testdata/README.md): a chain sealed by a geth 1.13.15 network, its genesis,
// and the head geth reported.
const geth113 = "testdata/geth113-clique"

// chainHeaders serves canonical headers from a node's chain to the audit.
type chainHeaders struct{ chain *core.BlockChain }

func (c chainHeaders) Headers(_ context.Context, from, to uint64) ([]*types.Header, error) {
	var out []*types.Header
	for n := from; n <= to; n++ {
		h := c.chain.GetHeaderByNumber(n)
		if h == nil {
			return nil, fmt.Errorf("block %d not found", n)
		}
		out = append(out, h)
	}
	return out, nil
}

// interopSigner is the address of signer A, B or C of the interop script
// (citybench keys --seed geth113-interop-signer-X).
func interopSigner(t *testing.T, label string) common.Address {
	t.Helper()
	accts, err := loadgen.DeriveAccounts("geth113-interop-signer-"+label, 1)
	if err != nil {
		t.Fatal(err)
	}
	return accts[0].Address
}

// TestImportGeth113 imports a chain that geth 1.13.15 sealed (signers A and B,
// then C voted in, then B voted out, epoch 8) into a full node and an archive:
// every block passes our engine and geth v1.17's execution, the head is the
// one geth 1.13 had, and the signer history replayed with our rules shows the
// votes, both changes and every checkpoint, with no violation.
func TestImportGeth113(t *testing.T) {
	g, err := genesis.Load(geth113 + ".genesis.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(geth113 + ".head")
	if err != nil {
		t.Fatal(err)
	}
	var (
		wantNumber     uint64
		wantHash, root string
	)
	if _, err := fmt.Sscan(string(raw), &wantNumber, &wantHash, &root); err != nil {
		t.Fatalf("%s.head: %v (want: number hash root)", geth113, err)
	}
	a, b, c := interopSigner(t, "A"), interopSigner(t, "B"), interopSigner(t, "C")
	sorted := func(addrs ...common.Address) []common.Address {
		return slices.SortedFunc(slices.Values(addrs), common.Address.Cmp)
	}

	for _, mode := range []string{node.ModeRPC, node.ModeAuditor} {
		t.Run(mode, func(t *testing.T) {
			n := startNode(t, g, mode, nil)
			r, err := chainio.Open(filepath.FromSlash(geth113 + ".rlp.gz"))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			p, err := chainio.Import(r, n.ForkChoice(), nil)
			if err != nil {
				t.Fatal(err)
			}
			chain := n.Eth().BlockChain()
			head := chain.CurrentBlock()
			if head.Number.Uint64() != wantNumber || head.Hash() != common.HexToHash(wantHash) || head.Root != common.HexToHash(root) {
				t.Fatalf("head: have %d %s root %s, want %d %s root %s (geth 1.13.15's)", head.Number, head.Hash(), head.Root, wantNumber, wantHash, root)
			}
			if p.Txs == 0 {
				t.Error("the geth chain holds no transactions: regenerate it with the script")
			}

			res, err := audit.AuditSigners(context.Background(), g, chainHeaders{chain}, 0, wantNumber, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Violation != nil {
				t.Fatalf("violation at block %d: %v", res.Violation.Block, res.Violation)
			}
			if !slices.Equal(res.Start.Signers, sorted(a, b)) {
				t.Errorf("genesis signers: have %v, want A %s and B %s", res.Start.Signers, a, b)
			}
			// Two changes: C added, then B dropped.
			type change struct {
				subject common.Address
				added   bool
				after   []common.Address
			}
			want := []change{{c, true, sorted(a, b, c)}, {b, false, sorted(a, c)}}
			if len(res.Changes) != len(want) {
				t.Fatalf("signer changes: have %+v, want C added then B dropped", res.Changes)
			}
			for i, w := range want {
				have := res.Changes[i]
				if have.Subject != w.subject || have.Added != w.added || !slices.Equal(have.Signers, w.after) {
					t.Errorf("change %d: have %s added=%v signers %v, want %s added=%v signers %v", i, have.Subject, have.Added, have.Signers, w.subject, w.added, w.after)
				}
			}
			// The votes that made them: A and B for C, A and C against B,
			// each counted in the block of the change at the latest.
			votes := map[string]int{}
			for _, v := range res.Votes {
				votes[fmt.Sprintf("%s %s %v", v.Voter, v.Subject, v.Authorize)]++
			}
			for _, v := range []string{fmt.Sprintf("%s %s true", a, c), fmt.Sprintf("%s %s true", b, c), fmt.Sprintf("%s %s false", a, b), fmt.Sprintf("%s %s false", c, b)} {
				if votes[v] == 0 {
					t.Errorf("no vote %q among %v", v, votes)
				}
			}
			// A checkpoint every 8 blocks, each listing the signers of its time.
			epoch := g.Config.Clique.Epoch
			if uint64(len(res.Epochs)) != wantNumber/epoch {
				t.Errorf("checkpoints: have %d, want %d (every %d blocks up to %d)", len(res.Epochs), wantNumber/epoch, epoch, wantNumber)
			}
			for _, cp := range res.Epochs {
				if !cp.Matches {
					t.Errorf("checkpoint %d lists %v, which is not the replayed signer set", cp.Block, cp.Signers)
				}
			}
			if last := res.Epochs[len(res.Epochs)-1]; !slices.Equal(last.Signers, sorted(a, c)) {
				t.Errorf("last checkpoint %d: have %v, want A and C", last.Block, last.Signers)
			}
			// Every signer sealed, and our engine's snapshot at the head agrees.
			for _, s := range []common.Address{a, b, c} {
				if res.Sealers[s.Hex()].Blocks == 0 {
					t.Errorf("signer %s sealed no block: %v", s, res.Sealers)
				}
			}
			snap, err := n.Engine().Snapshot(chain, head.Number.Uint64(), head.Hash(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if have := sorted(slices.Collect(maps.Keys(snap.Signers))...); !slices.Equal(have, sorted(a, c)) {
				t.Errorf("engine snapshot at the head: have %v, want A and C", have)
			}
		})
	}
}
