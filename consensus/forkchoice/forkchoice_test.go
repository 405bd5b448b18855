package forkchoice

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/consensus/sealer"
)

// ForkChoice is the sealer's sink on a network.
var _ sealer.Sink = (*ForkChoice)(nil)

// TestExtendAndKnown inserts a chain that extends the head block by block,
// then inserts its blocks again: known blocks change nothing.
func TestExtendAndKnown(t *testing.T) {
	net := newTestnet(t, 3, 1)
	nd := net.newNode()
	blocks := net.chain(net.genesis, "B", "C", "A", "B") // in turn: 2 each

	for i, block := range blocks {
		res := nd.insert(block)
		if res.Status != StatusExtended || !res.HeadChanged() {
			t.Fatalf("block %d: have status %v, want %v", i+1, res.Status, StatusExtended)
		}
		if have, want := res.Head.Hash(), block.Hash(); have != want {
			t.Fatalf("block %d: have head %x, want %x", i+1, have, want)
		}
		if have, want := res.TD, big.NewInt(int64(1+2*(i+1))); have.Cmp(want) != 0 {
			t.Fatalf("block %d: have td %v, want %v", i+1, have, want)
		}
	}
	for _, block := range append([]*types.Block{net.genesis}, blocks...) {
		res := nd.insert(block)
		if res.Status != StatusKnown || res.HeadChanged() {
			t.Fatalf("known block %d: have status %v, want %v", block.NumberU64(), res.Status, StatusKnown)
		}
		if have, want := res.TD, net.tds[block.Hash()]; have.Cmp(want) != 0 {
			t.Fatalf("known block %d: have td %v, want %v", block.NumberU64(), have, want)
		}
	}
	if have, want := nd.fc.Head().Hash(), blocks[3].Hash(); have != want {
		t.Fatalf("have head %x, want %x", have, want)
	}
	if have, want := nd.fc.Stats(), (Stats{Extended: 4, Finalized: 2}); have != want {
		t.Fatalf("have stats %+v, want %+v", have, want)
	}
}

// TestEqualDifficultyForks builds the competing branches of the deadlocks
// reported on Clique networks and delivers every block in every order to a
// fresh node: every node ends on the same head, the best by Compare, and the
// signers left out of the losing branch can extend the winner.
func TestEqualDifficultyForks(t *testing.T) {
	tests := []struct {
		name    string
		signers int
		prefix  []string   // common chain from genesis
		forks   [][]string // competing branches on the prefix
		winner  int        // index of the fork that must win
		stuck   [][]string // per fork, the signers following it that may not extend it: the deadlock
		next    string     // signer that extends the winner afterwards
	}{
		{
			// go-ethereum #18402 (and Besu #7437's picture): three signers,
			// the one in turn for block 1 (B) is offline, A and C both seal
			// block 1 out of turn. Equal difficulty, equal height: under
			// "highest TD, first seen" A and C each keep their own block and
			// may not seal block 2 on it (signer limit 2); B is gone. The
			// chain halts. Rule 3 picks A's block, (1-0)%3=1 against
			// (1-2)%3=2, and C seals block 2 on it, in turn.
			name:    "geth #18402: three signers, in-turn signer offline",
			signers: 3,
			forks:   [][]string{{"A"}, {"C"}},
			winner:  0,
			stuck:   [][]string{{"A"}, {"C"}},
			next:    "C",
		}, {
			// go-ethereum #24705: four signers (node0..3 = A..D). Block 1 in
			// turn by B; then D seals block 2 out of turn and A block 3 out of
			// turn (TD 5 at 3), while C seals block 2 in turn (TD 5 at 2).
			// A and D cannot seal block 4 on their branch, B and C cannot seal
			// block 3 on theirs: equal TD, halted. Rule 2 picks the shorter
			// branch, and D seals block 3 on it, in turn.
			name:    "geth #24705: four signers, in-turn block against two out-of-turn blocks",
			signers: 4,
			prefix:  []string{"B"},
			forks:   [][]string{{"D", "A"}, {"C"}},
			winner:  1,
			stuck:   [][]string{{"D", "A"}, {"B", "C"}},
			next:    "D",
		}, {
			// EIP-3436's first scenario, block for block: eight signers,
			// blocks 1..7 sealed in turn (H seals 7); E, G, H go offline. One
			// branch: A in turn at 8, C out of turn at 9 (TD 18 at 9); the
			// other: B, D, F out of turn at 8, 9, 10 (TD 18 at 10). The
			// shorter branch wins.
			name:    "EIP-3436 scenario 1: eight signers, 1,3 against 2,4,6",
			signers: 8,
			prefix:  []string{"B", "C", "D", "E", "F", "G", "H"},
			forks:   [][]string{{"A", "C"}, {"B", "D", "F"}},
			winner:  0,
			next:    "D",
		}, {
			// Rule 4: the same signer sealed two blocks at one height (which
			// EIP-3436 reports seeing; our sealer's guard prevents it): only
			// the hash tells them apart.
			name:    "rule 4: one signer, two blocks at one height",
			signers: 3,
			forks:   [][]string{{"A"}, {"A'"}},
			winner:  -1, // the lower hash, computed below
			next:    "C",
		},
	}
	// Each scenario on London blocks (difficulty 1 or 2) and on
	// post-transition blocks (difficulty 0, the weight from the turn; ADR 044).
	for _, modern := range []bool{false, true} {
		for _, tt := range tests {
			name := tt.name
			if modern {
				name += ", post-transition"
			}
			t.Run(name, func(t *testing.T) {
				equalDifficultyFork(t, tt.signers, modern, tt.prefix, tt.forks, tt.winner, tt.stuck, tt.next)
			})
		}
	}
}

// equalDifficultyFork runs one scenario of TestEqualDifficultyForks.
func equalDifficultyFork(t *testing.T, signers int, modern bool, prefixSigners []string, forks [][]string, winner int, stuck [][]string, nextSigner string) {
	tt := struct {
		forks  [][]string
		winner int
		stuck  [][]string
		next   string
	}{forks, winner, stuck, nextSigner}
	{
		{
			net := newTestnet(t, signers, 1)
			if modern {
				net = newModernTestnet(t, signers, 1)
			}
			prefix := net.chain(net.genesis, prefixSigners...)
			fork := net.genesis
			if len(prefix) > 0 {
				fork = prefix[len(prefix)-1]
			}
			var (
				all   []*types.Block
				heads []*types.Block
			)
			for _, signers := range tt.forks {
				parent := fork
				for _, signer := range signers {
					if signer == "A'" { // the same signer, another block
						parent = net.buildWith(parent, "A", func(h *types.Header) { h.Extra[0] ^= 0xff })
					} else {
						parent = net.build(parent, signer)
					}
					all = append(all, parent)
				}
				heads = append(heads, parent)
			}
			if have, want := net.tds[heads[0].Hash()], net.tds[heads[1].Hash()]; have.Cmp(want) != 0 {
				t.Fatalf("branches: have total difficulties %v and %v, want them equal", have, want)
			}
			want := net.best(heads)
			if tt.winner >= 0 && want != heads[tt.winner] {
				t.Fatalf("Compare picks %s, want %s", net.name(want.Header()), net.name(heads[tt.winner].Header()))
			}
			// Without a tie-break each side keeps its branch, which its
			// signers may not extend.
			for i, signers := range tt.stuck {
				for _, signer := range signers {
					if canSeal(net, heads[i], signer) {
						t.Fatalf("%s may seal on %s: no deadlock to resolve", signer, net.name(heads[i].Header()))
					}
				}
			}
			orders := 0
			permutations(all, func(order []*types.Block) {
				orders++
				nd := net.newNode()
				nd.deliver(prefix)
				nd.deliver(order)
				if have := nd.fc.Head(); have.Hash() != want.Hash() {
					t.Fatalf("order %v: have head %s, want %s", names(net, order), net.name(have), net.name(want.Header()))
				}
				if have := nd.fc.TD(want.Hash()); have.Cmp(net.tds[want.Hash()]) != 0 {
					t.Fatalf("order %v: have head td %v, want %v", names(net, order), have, net.tds[want.Hash()])
				}
				// The winner's branch goes on: a signer left out seals on it.
				next := net.build(want, tt.next)
				if res := nd.insert(next); res.Status != StatusExtended {
					t.Fatalf("order %v: block %s after the fork: have status %v, want %v", names(net, order), net.name(next.Header()), res.Status, StatusExtended)
				}
			})
			if orders < 2 {
				t.Fatalf("have %d arrival orders, want all permutations", orders)
			}
			if modern && want.Difficulty().Sign() != 0 {
				t.Fatalf("post-transition scenario built a block of difficulty %v", want.Difficulty())
			}
		}
	}
}

// canSeal reports whether signer may seal a block on parent.
func canSeal(net *testnet, parent *types.Block, signer string) bool {
	_, err := net.prepare(parent, signer)
	return err == nil
}

func names(net *testnet, blocks []*types.Block) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = net.name(b.Header())
	}
	return out
}
