// Package cluster runs several citychain nodes in one process, peered over
// real devp2p connections on 127.0.0.1, for tests: make a cluster, connect it,
// partition it, heal it, stop and restart members, and wait until every head
// agrees. Each member is a full node (internal/node) with its own data dir.
package cluster

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

const pollInterval = 50 * time.Millisecond // how often waits check the heads

// Member is one node of a cluster.
type Member struct {
	Name    string
	Key     *ecdsa.PrivateKey // signer key; nil for a non-signer
	Address common.Address
	Node    *node.Node // nil while stopped
	dataDir string
	enode   *enode.Node
}

// Cluster is a set of in-process nodes on one genesis.
type Cluster struct {
	t       testing.TB
	Genesis *core.Genesis
	Members []*Member
	cut     map[[2]int]bool // pairs kept apart by Partition

	configure func(i int, cfg *node.Config) // see MakeWith; may be nil
}

// Make starts signers signer nodes and rpc non-signing nodes on a fresh
// genesis with the given period, and connects every pair.
func Make(t testing.TB, signers, rpc int, period uint64) *Cluster {
	t.Helper()
	return MakeWith(t, signers, rpc, period, nil)
}

// MakeWith is Make with configure called on each member's configuration
// (member index i) before every start, e.g. to enable metrics.
func MakeWith(t testing.TB, signers, rpc int, period uint64, configure func(i int, cfg *node.Config)) *Cluster {
	t.Helper()
	c := &Cluster{t: t, cut: make(map[[2]int]bool), configure: configure}
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4343, period
	for i := 0; i < signers+rpc; i++ {
		m := &Member{Name: fmt.Sprintf("rpc%d", i-signers+1), dataDir: t.TempDir()}
		if i < signers {
			key, err := crypto.GenerateKey()
			if err != nil {
				t.Fatal(err)
			}
			m.Name, m.Key, m.Address = string(rune('A'+i)), key, crypto.PubkeyToAddress(key.PublicKey)
			spec.Signers = append(spec.Signers, m.Address)
		}
		c.Members = append(c.Members, m)
	}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	c.Genesis = g
	for i := range c.Members {
		c.Start(i)
	}
	t.Cleanup(c.Close)
	return c
}

// Add starts one more non-signing member, connected to every running member,
// and returns its index. A fresh member has a fresh node identity, so no peer
// holds back a dial to it (geth waits about half a minute before redialling a
// peer it was just disconnected from).
func (c *Cluster) Add() int {
	c.t.Helper()
	m := &Member{Name: fmt.Sprintf("rpc%d", len(c.Members)+1), dataDir: c.t.TempDir()}
	c.Members = append(c.Members, m)
	i := len(c.Members) - 1
	c.Start(i)
	return i
}

// Start starts member i (again, on its data dir) and connects it to every
// member it is not partitioned from.
func (c *Cluster) Start(i int) {
	c.t.Helper()
	m := c.Members[i]
	if m.Node != nil {
		c.t.Fatalf("member %s already runs", m.Name)
	}
	cfg := node.Defaults()
	cfg.DataDir = m.dataDir
	cfg.Mode = node.ModeDev // configured genesis, no keystore
	cfg.Genesis = c.Genesis
	cfg.HTTP.Enabled = false
	cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover, cfg.P2P.MaxPeers = "127.0.0.1", 0, true, 16
	if m.Key != nil {
		cfg.Signer = m.Address.Hex()
		cfg.DevKey = crypto.FromECDSA(m.Key)
	}
	if c.configure != nil {
		c.configure(i, &cfg)
	}
	n, err := node.New(cfg)
	if err != nil {
		c.t.Fatalf("member %s: %v", m.Name, err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		c.t.Fatalf("start member %s: %v", m.Name, err)
	}
	m.Node, m.enode = n, n.Stack().Server().Self()
	for j, o := range c.Members {
		if j != i && o.Node != nil && !c.cut[pair(i, j)] {
			n.Stack().Server().AddPeer(o.enode)
		}
	}
}

// Stop stops member i; its data dir stays for Start.
func (c *Cluster) Stop(i int) {
	m := c.Members[i]
	if m.Node == nil {
		return
	}
	for _, o := range c.Members {
		if o != m && o.Node != nil {
			o.Node.Stack().Server().RemovePeer(m.enode)
		}
	}
	if err := m.Node.Close(); err != nil {
		c.t.Errorf("stop member %s: %v", m.Name, err)
	}
	m.Node = nil
}

// Close stops every member.
func (c *Cluster) Close() {
	for i := range c.Members {
		c.Stop(i)
	}
}

// Partition splits the members into the given groups (member indexes): no
// connection crosses a group boundary until Heal. It returns once the cut
// holds: it first waits until every running pair not cut already is
// connected, because geth's RemovePeer does not stop a dial under way (one a
// Start or Heal just asked for connects after the cut), then cuts, then
// waits until no cut pair is connected.
func (c *Cluster) Partition(groups ...[]int) {
	c.t.Helper()
	c.waitConnected(func(i, j int) bool { return !c.cut[pair(i, j)] }, true, "the full mesh before the cut")
	group := make(map[int]int)
	for g, members := range groups {
		for _, i := range members {
			group[i] = g
		}
	}
	for i := range c.Members {
		for j := i + 1; j < len(c.Members); j++ {
			if group[i] == group[j] {
				continue
			}
			c.cut[pair(i, j)] = true
			a, b := c.Members[i], c.Members[j]
			if a.Node != nil && b.Node != nil {
				a.Node.Stack().Server().RemovePeer(b.enode)
				b.Node.Stack().Server().RemovePeer(a.enode)
			}
		}
	}
	c.waitConnected(func(i, j int) bool { return c.cut[pair(i, j)] }, false, "the cut pairs to disconnect")
}

// meshTimeout bounds Partition's waits for connections to come up or go.
const meshTimeout = 30 * time.Second

// waitConnected waits until every pair of running members that which
// selects is connected (want true) or not (want false). Static dials are
// geth's dialled peers, at most MaxPeers/3 per member: 5 with the cluster's
// 16, enough for the six members a full mesh of these tests needs.
func (c *Cluster) waitConnected(which func(i, j int) bool, want bool, what string) {
	c.t.Helper()
	c.wait(meshTimeout, what, func() bool {
		for i, a := range c.Members {
			for j := i + 1; j < len(c.Members); j++ {
				b := c.Members[j]
				if a.Node == nil || b.Node == nil || !which(i, j) {
					continue
				}
				ab, ba := connected(a, b), connected(b, a)
				if want && !(ab && ba) || !want && (ab || ba) {
					return false
				}
			}
		}
		return true
	})
}

// connected reports whether a's devp2p server has b as a peer, whichever
// of the two dialled.
func connected(a, b *Member) bool {
	for _, p := range a.Node.Stack().Server().Peers() {
		if p.ID() == b.enode.ID() {
			return true
		}
	}
	return false
}

// Heal reconnects every pair of running members.
func (c *Cluster) Heal() {
	c.cut = make(map[[2]int]bool)
	for i, a := range c.Members {
		for j, b := range c.Members {
			if i < j && a.Node != nil && b.Node != nil {
				a.Node.Stack().Server().AddPeer(b.enode)
			}
		}
	}
}

// Head returns member i's head header.
func (c *Cluster) Head(i int) *types.Header {
	return c.Members[i].Node.Eth().BlockChain().CurrentBlock()
}

// WaitHead waits until member i's head reaches number.
func (c *Cluster) WaitHead(i int, number uint64, timeout time.Duration) {
	c.t.Helper()
	c.wait(timeout, fmt.Sprintf("%s to reach block %d", c.Members[i].Name, number), func() bool {
		return c.Head(i).Number.Uint64() >= number
	})
}

// WaitSame waits until every running member holds the same block at number
// (each head at or above it), and returns that block's hash.
func (c *Cluster) WaitSame(number uint64, timeout time.Duration) common.Hash {
	c.t.Helper()
	var hash common.Hash
	c.wait(timeout, fmt.Sprintf("every member to agree on block %d", number), func() bool {
		hash = common.Hash{}
		for _, m := range c.Members {
			if m.Node == nil {
				continue
			}
			h := m.Node.Eth().BlockChain().GetHeaderByNumber(number)
			if h == nil {
				return false
			}
			if hash == (common.Hash{}) {
				hash = h.Hash()
			} else if h.Hash() != hash {
				return false
			}
		}
		return true
	})
	return hash
}

// Signers returns the distinct signers of blocks from..to on member i's chain.
func (c *Cluster) Signers(i int, from, to uint64) []common.Address {
	chain := c.Members[i].Node.Eth().BlockChain()
	engine := c.Members[i].Node.Engine()
	var out []common.Address
	for n := from; n <= to; n++ {
		h := chain.GetHeaderByNumber(n)
		if h == nil {
			continue
		}
		if a, err := engine.Author(h); err == nil && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// InTurn counts the in-turn blocks among blocks from..to on member i.
func (c *Cluster) InTurn(i int, from, to uint64) (inturn, total int) {
	chain := c.Members[i].Node.Eth().BlockChain()
	engine := c.Members[i].Node.Engine()
	for n := from; n <= to; n++ {
		if h := chain.GetHeaderByNumber(n); h != nil {
			total++
			// The engine's weight: the difficulty, or the turn after the
			// transition (ADR 044).
			if w, err := engine.Weight(chain, h, nil); err == nil && w.Cmp(big.NewInt(2)) == 0 {
				inturn++
			}
		}
	}
	return inturn, total
}

func (c *Cluster) wait(timeout time.Duration, what string, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(pollInterval)
	}
	var heads []string
	for _, m := range c.Members {
		if m.Node != nil {
			h := m.Node.Eth().BlockChain().CurrentBlock()
			heads = append(heads, fmt.Sprintf("%s=%d/%s peers=%d", m.Name, h.Number, h.Hash().TerminalString(), m.Node.Stack().Server().PeerCount()))
		}
	}
	c.t.Fatalf("timed out after %v waiting for %s; heads: %v", timeout, what, heads)
}

func pair(i, j int) [2]int {
	if i > j {
		i, j = j, i
	}
	return [2]int{i, j}
}
