package signers

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/consensus/clique"
)

// keys maps signer labels ("A", "B", ...) to keys made on demand, as the
// clique tests do.
type keys map[string]*ecdsa.PrivateKey

func (k keys) addr(label string) common.Address {
	if k[label] == nil {
		k[label], _ = crypto.GenerateKey()
	}
	return crypto.PubkeyToAddress(k[label].PublicKey)
}

func (k keys) addrs(labels ...string) []common.Address {
	out := make([]common.Address, len(labels))
	for i, l := range labels {
		out[i] = k.addr(l)
	}
	slices.SortFunc(out, common.Address.Cmp)
	return out
}

// chain builds sealed headers 1..len(sealers) on a genesis, each sealed by
// the labelled signer, and returns the Blocks Compute reads, recovering each
// signer from its seal the way Client does.
func (k keys) chain(t *testing.T, period uint64, signers []string, sealers []string) []Block {
	t.Helper()
	engine := clique.New(&params.CliqueConfig{Period: period, Epoch: 30000}, nil)
	set := k.addrs(signers...)
	parent := &types.Header{Number: big.NewInt(0), Time: 1_700_000_000, Extra: make([]byte, 97), Difficulty: big.NewInt(1)}
	var out []Block
	for i, label := range sealers {
		number := uint64(i + 1)
		signer := k.addr(label)
		diff := big.NewInt(1)
		if set[number%uint64(len(set))] == signer {
			diff = big.NewInt(2)
		}
		h := &types.Header{
			ParentHash: parent.Hash(), Number: new(big.Int).SetUint64(number), Time: parent.Time + period,
			Difficulty: diff, Extra: make([]byte, 97), GasLimit: 30_000_000, UncleHash: types.EmptyUncleHash,
			BaseFee: big.NewInt(params.InitialBaseFee),
		}
		sealed, err := engine.Seal(h, signer, func(_ common.Address, hash []byte) ([]byte, error) {
			return crypto.Sign(hash, k[label])
		})
		if err != nil {
			t.Fatal(err)
		}
		author, err := engine.Author(sealed)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Block{Number: number, Hash: sealed.Hash(), Time: sealed.Time, Signer: author, Signers: set})
		parent = sealed
	}
	return out
}

// snapshot is the snapshot after the last block: signers, and the recents
// the signer limit keeps.
func (k keys) snapshot(blocks []Block, signers []string) *clique.Snapshot {
	head := blocks[len(blocks)-1]
	s := &clique.Snapshot{Number: head.Number, Hash: head.Hash, Signers: map[common.Address]struct{}{},
		Recents: map[uint64]common.Address{}, Tally: map[common.Address]clique.Tally{}}
	for _, a := range k.addrs(signers...) {
		s.Signers[a] = struct{}{}
	}
	limit := uint64(len(signers)/2 + 1)
	for _, b := range blocks {
		if b.Number+limit > head.Number {
			s.Recents[b.Number] = b.Signer
		}
	}
	return s
}

// rotation returns n sealers taking turns over the sorted signer set, except
// those in skip, whose turns the next signer takes out of turn.
func (k keys) rotation(signers []string, n int, skip ...string) []string {
	set := k.addrs(signers...)
	label := make(map[common.Address]string)
	for _, l := range signers {
		label[k.addr(l)] = l
	}
	var out []string
	for i := 1; i <= n; i++ {
		for j := 0; ; j++ {
			if j == len(set) {
				panic("rotation: no signer may seal: the chain would halt here")
			}
			l := label[set[(i+j)%len(set)]]
			// Respect the signer limit among the online signers too.
			limit := len(signers)/2 + 1
			recent := slices.Contains(out[max(0, len(out)-limit+1):], l)
			if !slices.Contains(skip, l) && !recent {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

func kinds(ws []Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Kind)
	}
	return out
}

// TestCompute reads like the issue: the warnings an operator gets for each
// shape of signer set.
func TestCompute(t *testing.T) {
	tests := []struct {
		name    string
		signers []string
		sealers func(k keys) []string
		silent  uint64
		now     time.Duration // after the head's time
		tally   map[string]clique.Tally
		votes   []string // signers that voted for the tallied account
		epoch   uint64
		want    []string // warning kinds in order
		check   func(t *testing.T, k keys, r *Report)
	}{
		{
			name:    "five signers all sealing: no warning",
			signers: []string{"A", "B", "C", "D", "E"},
			sealers: func(k keys) []string { return k.rotation([]string{"A", "B", "C", "D", "E"}, 30) },
			want:    nil,
			check: func(t *testing.T, k keys, r *Report) {
				if r.Sealing != 5 || r.Limit != 3 {
					t.Errorf("sealing, limit: have %d, %d, want 5, 3", r.Sealing, r.Limit)
				}
				for _, s := range r.Signers {
					if s.Missed != 0 || s.InTurnSlots != 6 || s.Sealed != 6 {
						t.Errorf("%s: missed %d of %d, sealed %d; want 0 of 6, 6", s.Address, s.Missed, s.InTurnSlots, s.Sealed)
					}
				}
			},
		},
		{
			name:    "three of three sealing: no warning (one may drop)",
			signers: []string{"A", "B", "C"},
			sealers: func(k keys) []string { return k.rotation([]string{"A", "B", "C"}, 12) },
			want:    nil,
		},
		{
			name:    "one of three silent: one more offline halts",
			signers: []string{"A", "B", "C"},
			sealers: func(k keys) []string { return k.rotation([]string{"A", "B", "C"}, 12, "C") },
			want:    []string{WarnOneMoreHalts, WarnSilent},
			check: func(t *testing.T, k keys, r *Report) {
				for _, s := range r.Signers {
					wantSilent := s.Address == k.addr("C")
					if s.Silent != wantSilent {
						t.Errorf("%s silent: have %v, want %v", s.Address, s.Silent, wantSilent)
					}
					if wantSilent && (s.LastSealed != nil || s.Missed != s.InTurnSlots || s.InTurnSlots != 4 || s.SlotsSince != 12) {
						t.Errorf("silent C: last %v, missed %d of %d, slots since %d; want none, 4 of 4, 12", s.LastSealed, s.Missed, s.InTurnSlots, s.SlotsSince)
					}
				}
				if !strings.Contains(r.Warnings[0].Message, "one more signer offline halts the chain: 2 of 3 signers sealing, the chain needs 2") {
					t.Errorf("message: have %q", r.Warnings[0].Message)
				}
			},
		},
		{
			name:    "a signer silent for K slots only once K is reached",
			signers: []string{"A", "B", "C", "D", "E"},
			// E seals block 10, then stops: 10 slots of silence, K=11.
			sealers: func(keys) []string { return strings.Split("ABCDEABCDEABCDABCDAB", "") },
			silent:  11,
			want:    nil,
		},
		{
			name:    "a signer silent for K slots",
			signers: []string{"A", "B", "C", "D", "E"},
			sealers: func(keys) []string { return strings.Split("ABCDEABCDEABCDABCDAB", "") },
			silent:  10,
			want:    []string{WarnSilent},
		},
		{
			name:    "two of five silent: one more halts",
			signers: []string{"A", "B", "C", "D", "E"},
			sealers: func(k keys) []string { return k.rotation([]string{"A", "B", "C", "D", "E"}, 20, "D", "E") },
			want:    []string{WarnOneMoreHalts, WarnSilent, WarnSilent},
		},
		{
			// The two that stopped last sealed moments before the head; the
			// slots since, which they were free to seal, count against them.
			name:    "two of three stopped and no block for 30 periods: stalled, halted",
			signers: []string{"A", "B", "C"},
			sealers: func(k keys) []string { return k.rotation([]string{"A", "B", "C"}, 12) },
			now:     30 * time.Second,
			want:    []string{WarnStalled, WarnHalted, WarnSilent, WarnSilent},
		},
		{
			name:    "even signer count",
			signers: []string{"A", "B", "C", "D"},
			sealers: func(k keys) []string { return k.rotation([]string{"A", "B", "C", "D"}, 16) },
			want:    []string{WarnEvenCount},
			check: func(t *testing.T, k keys, r *Report) {
				if want := "4 signers is an even count: it tolerates no more offline signers than 3 would (1)"; !strings.Contains(r.Warnings[0].Message, want) {
					t.Errorf("message: have %q, want it to contain %q", r.Warnings[0].Message, want)
				}
			},
		},
		{
			name:    "pending votes far from the epoch: no warning",
			signers: []string{"A", "B", "C"},
			sealers: func(k keys) []string { return k.rotation([]string{"A", "B", "C"}, 12) },
			tally:   map[string]clique.Tally{"X": {Authorize: true, Votes: 1}},
			votes:   []string{"A"},
			epoch:   30,
			want:    nil,
			check: func(t *testing.T, k keys, r *Report) {
				p := r.Proposals[0]
				if p.Address != k.addr("X") || p.Votes != 1 || p.Needed != 2 || p.More() != 1 || p.DiscardAt != 30 || !slices.Equal(p.Voters, k.addrs("A")) {
					t.Errorf("proposal: have %+v, want X 1/2 votes by A, discarded at 30", p)
				}
			},
		},
		{
			name:    "pending votes right before the epoch are discarded",
			signers: []string{"A", "B", "C"},
			sealers: func(k keys) []string { return k.rotation([]string{"A", "B", "C"}, 12) },
			tally:   map[string]clique.Tally{"X": {Authorize: true, Votes: 1}},
			votes:   []string{"A"},
			epoch:   16,
			want:    []string{WarnEpochDiscard},
			check: func(t *testing.T, k keys, r *Report) {
				want := fmt.Sprintf("1/2 votes to add %s are discarded at checkpoint block 16 in 4 blocks unless 1 more arrive", k.addr("X").Hex())
				if !strings.Contains(r.Warnings[0].Message, want) {
					t.Errorf("message: have %q, want it to contain %q", r.Warnings[0].Message, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := keys{}
			blocks := k.chain(t, 1, tt.signers, tt.sealers(k))
			snap := k.snapshot(blocks, tt.signers)
			for label, tally := range tt.tally {
				snap.Tally[k.addr(label)] = tally
				for i, v := range tt.votes {
					snap.Votes = append(snap.Votes, &clique.Vote{Signer: k.addr(v), Block: uint64(i + 1), Address: k.addr(label), Authorize: tally.Authorize})
				}
			}
			head := blocks[len(blocks)-1]
			epoch := tt.epoch
			if epoch == 0 {
				epoch = 30000
			}
			in := Input{Blocks: blocks, Snapshot: snap, Period: 1, Epoch: epoch, Now: time.Unix(int64(head.Time), 0).Add(tt.now), NodeSigner: k.addr(tt.signers[0])}
			r, err := Compute(in, Options{SilentSlots: tt.silent})
			if err != nil {
				t.Fatal(err)
			}
			if have := kinds(r.Warnings); !slices.Equal(have, tt.want) {
				t.Fatalf("warnings: have %v, want %v\n%v", have, tt.want, r.Warnings)
			}
			if tt.check != nil {
				tt.check(t, k, r)
			}
		})
	}
}

// TestComputeSignerLimit: who may seal the next block under the signer limit.
func TestComputeSignerLimit(t *testing.T) {
	k := keys{}
	signers := []string{"A", "B", "C"}
	blocks := k.chain(t, 1, signers, k.rotation(signers, 9))
	r, err := Compute(Input{Blocks: blocks, Snapshot: k.snapshot(blocks, signers), Period: 1, Epoch: 30000, Now: time.Unix(int64(blocks[8].Time), 0)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Block 9 was sealed by the last sealer: it may not seal block 10; the
	// signer of block 8 may (limit 2: one block out of two).
	for _, s := range r.Signers {
		wantMay := s.Address != blocks[8].Signer
		if s.MaySealNext != wantMay {
			t.Errorf("%s may seal block 10: have %v, want %v", s.Address, s.MaySealNext, wantMay)
		}
		if !wantMay && s.NextAllowed != 11 {
			t.Errorf("%s next allowed: have %d, want 11", s.Address, s.NextAllowed)
		}
	}
}

// TestComputeNewSigner: a signer voted in mid-window is not silent for the
// blocks before it joined, and its turns count only once it is a signer.
func TestComputeNewSigner(t *testing.T) {
	k := keys{}
	three, four := []string{"A", "B", "C"}, []string{"A", "B", "C", "D"}
	before := k.chain(t, 1, three, k.rotation(three, 20))
	after := k.chain(t, 1, four, k.rotation(four, 3, "D"))
	blocks := before
	for i, b := range after {
		b.Number = uint64(21 + i)
		blocks = append(blocks, b)
	}
	snap := k.snapshot(blocks, four)
	r, err := Compute(Input{Blocks: blocks, Snapshot: snap, Period: 1, Epoch: 30000, Now: time.Unix(int64(blocks[len(blocks)-1].Time), 0)}, Options{SilentSlots: 8})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Signers {
		if s.Address != k.addr("D") {
			continue
		}
		if s.Silent || s.SlotsSince != 3 || s.LastSealed != nil {
			t.Errorf("new signer D: silent %v, slots since %d, last %v; want not silent, 3, none", s.Silent, s.SlotsSince, s.LastSealed)
		}
	}
}

func TestComputeProposalsHere(t *testing.T) {
	k := keys{}
	signers := []string{"A", "B", "C"}
	blocks := k.chain(t, 1, signers, k.rotation(signers, 6))
	snap := k.snapshot(blocks, signers)
	// The node proposes to add X (not cast yet) and still holds its proposal
	// to add C, who is a signer already.
	in := Input{Blocks: blocks, Snapshot: snap, Period: 1, Epoch: 30000, Now: time.Unix(int64(blocks[5].Time), 0),
		Proposals: map[common.Address]bool{k.addr("X"): true, k.addr("C"): true}}
	r, err := Compute(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[common.Address]Proposal)
	for _, p := range r.Proposals {
		got[p.Address] = p
	}
	if p := got[k.addr("X")]; !p.ProposedHere || p.Settled || p.Votes != 0 || p.More() != 2 {
		t.Errorf("X: have %+v, want proposed here, 0/2 votes", p)
	}
	if p := got[k.addr("C")]; !p.Settled {
		t.Errorf("C: have %+v, want settled", p)
	}
}

func TestComputeBadInput(t *testing.T) {
	if _, err := Compute(Input{}, Options{}); err == nil {
		t.Error("no blocks: have no error, want one")
	}
	if _, err := Compute(Input{Blocks: []Block{{Number: 3}}}, Options{}); err == nil {
		t.Error("no snapshot: have no error, want one")
	}
	if _, err := Compute(Input{Blocks: []Block{{Number: 3}}, Snapshot: &clique.Snapshot{Number: 2}}, Options{}); err == nil {
		t.Error("snapshot of another block: have no error, want one")
	}
}
