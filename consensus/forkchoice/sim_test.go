package forkchoice

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
)

// simConfig describes a simulated network of signer nodes.
type simConfig struct {
	signers   int     // signer nodes, one per signer
	steps     int     // block periods simulated with latency
	maxDelay  int     // most extra periods a block takes to reach another node
	inTurn    float64 // chance that the in-turn signer seals in a period (it may be slow or offline)
	outOfTurn float64 // chance that another allowed signer seals in a period when the in-turn one is offline
	race      float64 // chance that it seals anyway, racing the in-turn block
	modern    bool    // post-transition blocks (ADR 044): weights from the engine, not the difficulty
}

// simResult is what a simulated run produced.
type simResult struct {
	blocks     int    // blocks sealed
	reorgs     uint64 // reorganisations over all nodes
	refused    int    // blocks refused for conflicting with a node's finalized block
	safeReorgs int    // times a node's safe block left its canonical chain
	split      bool   // nodes finalized conflicting blocks
	converged  bool   // all nodes ended on one head
	finalized  uint64 // lowest finalized number over the nodes at the end
	detail     string
}

// simulate runs a network of signer nodes, each a real chain and fork choice,
// sealing honestly on its own head (never twice at one height, as the
// sealer's guard ensures) and broadcasting each block with random delays.
// After the steps with latency, the network runs synchronously (every block
// reaches every node within its period, every signer online) until it has
// had time to settle.
func simulate(t *testing.T, seed uint64, cfg simConfig) simResult {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 225))
	net := newTestnet(t, cfg.signers, 1)
	if cfg.modern {
		net = newModernTestnet(t, cfg.signers, 1)
	}
	labels := make([]string, cfg.signers)
	nodes := make([]*node, cfg.signers)
	for i := range labels {
		labels[i] = string(rune('A' + i))
		nodes[i] = net.newNode()
	}
	type message struct {
		at    int
		block *types.Block
	}
	var (
		inbox   = make([][]message, cfg.signers)
		pending = make([][]*types.Block, cfg.signers)
		signed  = make([]map[uint64]bool, cfg.signers)
		res     simResult
	)
	for i := range signed {
		signed[i] = make(map[uint64]bool)
	}
	// receive inserts a block into node i, holding orphans until their parent
	// has come.
	receive := func(i int, block *types.Block) {
		safe := nodes[i].chain.CurrentSafeBlock()
		defer func() {
			if safe != nil && !nodes[i].fc.canonical(safe) {
				res.safeReorgs++
			}
		}()
		pending[i] = append(pending[i], block)
		for progress := true; progress; {
			progress = false
			for j, b := range pending[i] {
				_, err := nodes[i].fc.Insert(b)
				switch {
				case errors.Is(err, ErrUnknownParent):
					continue
				case errors.Is(err, ErrFinalizedConflict):
					res.refused++
				case err != nil:
					t.Fatalf("seed %d: node %s: insert %s: %v", seed, labels[i], net.name(b.Header()), err)
				}
				pending[i] = slices.Delete(pending[i], j, j+1)
				progress = true
				break
			}
		}
	}
	total := cfg.steps + 4*cfg.signers + cfg.maxDelay
	for step := 0; step < total; step++ {
		synchronous := step >= cfg.steps
		// Blocks due this period arrive, in random order.
		for i := range nodes {
			var due, later []message
			for _, m := range inbox[i] {
				if m.at <= step {
					due = append(due, m)
				} else {
					later = append(later, m)
				}
			}
			inbox[i] = later
			rng.Shuffle(len(due), func(a, b int) { due[a], due[b] = due[b], due[a] })
			for _, m := range due {
				receive(i, m.block)
			}
		}
		outOfTurnSealed := make(map[uint64]bool)
		online := make([]bool, cfg.signers)
		for i := range online {
			online[i] = synchronous || rng.Float64() < cfg.inTurn
		}
		// Signers seal on their own head; they do not see each other's
		// blocks of this period before sealing (a race).
		for _, i := range rng.Perm(cfg.signers) {
			nd := nodes[i]
			head := nd.fc.Head()
			number := head.Number.Uint64() + 1
			if signed[i][number] {
				continue
			}
			header, err := net.prepareOn(nd.chain, nd.engine, head, labels[i])
			if err != nil {
				continue // not allowed now (signer limit)
			}
			inturn := inturnOf(net, nd, head) == i // difficulty 2 before the transition
			chance := cfg.outOfTurn
			if inturn {
				chance = 1
			} else if online[inturnOf(net, nd, head)] {
				chance = cfg.race
			}
			if synchronous {
				// Every block arrives within its period: the in-turn block
				// comes first, and only if its signer may not seal does one
				// out-of-turn signer (the shortest wiggle) seal instead.
				chance = 0
				switch {
				case inturn:
					chance = 1
				case !outOfTurnSealed[number] && !net.mayseal(nd, head, inturnOf(net, nd, head), signed):
					chance = 1
					outOfTurnSealed[number] = true
				}
			}
			if !online[i] || rng.Float64() >= chance {
				continue
			}
			block := net.seal(net.execute(nd.chain, head, header, nil), labels[i])
			signed[i][number] = true
			res.blocks++
			receive(i, block)
			for j := range nodes {
				if j == i {
					continue
				}
				delay := 0
				if !synchronous {
					delay = rng.IntN(cfg.maxDelay + 1)
				}
				inbox[j] = append(inbox[j], message{at: step + 1 + delay, block: block})
			}
		}
	}
	// Deliver what is still on its way.
	for i := range nodes {
		for _, m := range inbox[i] {
			receive(i, m.block)
		}
	}
	res.converged = true
	res.finalized = ^uint64(0)
	for i, nd := range nodes {
		res.reorgs += nd.fc.Stats().Reorgs
		if nd.fc.Head().Hash() != nodes[0].fc.Head().Hash() {
			res.converged = false
		}
		res.finalized = min(res.finalized, nd.fc.Finalized().Number.Uint64())
		for j := range i {
			if conflicting(nodes[i], nodes[j]) {
				res.split = true
			}
		}
	}
	for i, nd := range nodes {
		res.detail += fmt.Sprintf(" %s:head=%s,final=%s", labels[i], net.name(nd.fc.Head()), net.name(nd.fc.Finalized()))
	}
	return res
}

// conflicting reports whether two nodes finalized blocks on different
// branches.
func conflicting(a, b *node) bool {
	fa, fb := a.fc.Finalized(), b.fc.Finalized()
	if fa.Number.Uint64() > fb.Number.Uint64() {
		b, fa, fb = a, fb, fa
	}
	// fb is the higher one; it must descend from fa in b's chain.
	h := fb
	for h != nil && h.Number.Uint64() > fa.Number.Uint64() {
		h = b.chain.GetHeader(h.ParentHash, h.Number.Uint64()-1)
	}
	return h == nil || h.Hash() != fa.Hash()
}

// TestSimulatedNetwork runs networks of 3, 4 and 5 signer nodes in which
// blocks take up to two periods to reach the other nodes, signers go offline
// at random and out-of-turn signers race the in-turn one. No two nodes may
// finalize conflicting blocks, once the network is synchronous again all
// nodes must end on one head, and finality must keep up. Under in-period
// latency only, no node may see its safe block reorganised away.
// CITYCHAIN_SIM_SEEDS sets the number of seeds per row (default 4).
func TestSimulatedNetwork(t *testing.T) {
	seeds := uint64(4)
	if v, err := strconv.ParseUint(os.Getenv("CITYCHAIN_SIM_SEEDS"), 10, 64); err == nil && v > 0 {
		seeds = v
	}
	if testing.Short() {
		seeds = 1
	}
	tests := []simConfig{
		{signers: 3, steps: 30, maxDelay: 0, inTurn: 0.8, outOfTurn: 0.7, race: 0.3},
		{signers: 5, steps: 30, maxDelay: 0, inTurn: 0.8, outOfTurn: 0.7, race: 0.3},
		{signers: 3, steps: 30, maxDelay: 1, inTurn: 0.8, outOfTurn: 0.7, race: 0.3},
		{signers: 4, steps: 30, maxDelay: 1, inTurn: 0.8, outOfTurn: 0.7, race: 0.3},
		{signers: 5, steps: 30, maxDelay: 1, inTurn: 0.8, outOfTurn: 0.7, race: 0.3},
		// The same rules on post-transition blocks, whose difficulty is 0.
		{signers: 3, steps: 30, maxDelay: 0, inTurn: 0.8, outOfTurn: 0.7, race: 0.3, modern: true},
		{signers: 4, steps: 30, maxDelay: 1, inTurn: 0.8, outOfTurn: 0.7, race: 0.3, modern: true},
	}
	for _, cfg := range tests {
		name := fmt.Sprintf("%d signers, delay up to %d periods", cfg.signers, cfg.maxDelay+1)
		if cfg.modern {
			name += ", post-transition"
		}
		t.Run(name, func(t *testing.T) {
			var reorgs uint64
			for seed := range seeds {
				r := simulate(t, seed, cfg)
				reorgs += r.reorgs
				if r.split {
					t.Fatalf("seed %d: nodes finalized conflicting blocks:%s", seed, r.detail)
				}
				if !r.converged {
					t.Fatalf("seed %d: nodes did not converge:%s", seed, r.detail)
				}
				// Liveness: finality keeps up with a chain of about one
				// block a period.
				if r.finalized < uint64(cfg.steps/2) {
					t.Fatalf("seed %d: finalized block %d after %d blocks sealed, want >= %d:%s", seed, r.finalized, r.blocks, cfg.steps/2, r.detail)
				}
				if cfg.maxDelay == 0 && r.safeReorgs > 0 {
					t.Fatalf("seed %d: %d safe blocks reorganised away under in-period latency", seed, r.safeReorgs)
				}
			}
			if reorgs == 0 {
				t.Fatalf("weak run: no reorganisation in %d seeds", seeds)
			}
		})
	}
}

// inturnOf returns the index of the signer in turn for the block after head.
func inturnOf(net *testnet, nd *node, head *types.Header) int {
	snap, err := nd.engine.Snapshot(nd.chain, head.Number.Uint64(), head.Hash(), nil)
	if err != nil {
		panic(err)
	}
	return int((head.Number.Uint64() + 1) % uint64(len(snap.Signers)))
}

// mayseal reports whether signer i may seal on head in nd's view: allowed by
// the signer limit and not sealed at that height yet.
func (net *testnet) mayseal(nd *node, head *types.Header, i int, signed []map[uint64]bool) bool {
	if signed[i][head.Number.Uint64()+1] {
		return false
	}
	_, err := net.prepareOn(nd.chain, nd.engine, head, string(rune('A'+i)))
	return err == nil
}
