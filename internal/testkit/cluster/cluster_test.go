package cluster

import (
	"testing"
	"time"
)

// TestThreeSignersSealInTurn: three signers over real p2p take turns, and
// every node holds the same chain.
func TestThreeSignersSealInTurn(t *testing.T) {
	c := Make(t, 3, 1, 1)
	c.WaitSame(8, 60*time.Second)
	if signers := c.Signers(3, 3, 8); len(signers) != 3 {
		t.Fatalf("distinct signers of blocks 3..8: have %d, want 3", len(signers))
	}
	if inturn, total := c.InTurn(3, 3, 8); inturn < total-1 {
		t.Fatalf("in-turn blocks among 3..8: have %d of %d, want at least %d", inturn, total, total-1)
	}
}

// TestMinorityStoppedKeepsSealing: with floor(N/2) of N signers stopped the
// others keep sealing, and the stopped one catches up when it returns.
func TestMinorityStoppedKeepsSealing(t *testing.T) {
	c := Make(t, 3, 0, 1)
	c.WaitSame(3, 60*time.Second)
	c.Stop(2)
	from := c.Head(0).Number.Uint64()
	c.WaitHead(0, from+4, 30*time.Second)
	c.Start(2)
	target := c.Head(0).Number.Uint64() + 2
	c.WaitSame(target, 60*time.Second)
}

// TestPartitionHeals: five signers split 3|2. The majority keeps sealing,
// the minority cannot (EIP-225's signer limit), and after the partition heals
// every node converges on the majority's chain.
func TestPartitionHeals(t *testing.T) {
	if testing.Short() {
		t.Skip("five nodes for half a minute")
	}
	c := Make(t, 5, 0, 1)
	c.WaitSame(3, 60*time.Second)
	c.Partition([]int{0, 1, 2}, []int{3, 4})
	from := c.Head(0).Number.Uint64()
	c.WaitHead(0, from+5, 60*time.Second)
	if minority := c.Head(3).Number.Uint64(); minority > from+2 {
		t.Fatalf("minority head during the partition: have %d, want at most %d", minority, from+2)
	}
	c.Heal()
	target := c.Head(0).Number.Uint64() + 2
	hash := c.WaitSame(target, 60*time.Second)
	if majority := c.Members[0].Node.Eth().BlockChain().GetHeaderByNumber(target); majority.Hash() != hash {
		t.Fatalf("block %d after healing: have %v, want the majority's %v", target, hash, majority.Hash())
	}
}

// TestPartitionRightAfterStart: a cut made as soon as the cluster is made
// holds. geth's RemovePeer does not stop a dial under way, so the dials the
// last member's start asked for connected across the cut after it was made
// and the lone signer followed the majority's chain.
func TestPartitionRightAfterStart(t *testing.T) {
	if testing.Short() {
		t.Skip("three nodes for several seconds")
	}
	c := Make(t, 3, 0, 1)
	c.Partition([]int{0}, []int{1, 2})
	from := max(c.Head(0).Number.Uint64(), c.Head(1).Number.Uint64())
	// Two of three signers keep sealing; while they seal five blocks the
	// lone one may seal at most one of its own (EIP-225's signer limit).
	c.WaitHead(1, from+5, 60*time.Second)
	for _, j := range []int{1, 2} {
		if connected(c.Members[0], c.Members[j]) || connected(c.Members[j], c.Members[0]) {
			t.Errorf("members %s and %s connected across the cut", c.Members[0].Name, c.Members[j].Name)
		}
	}
	if lone := c.Head(0).Number.Uint64(); lone > from+1 {
		t.Errorf("the lone signer's head during the partition: have %d, want at most %d (it followed the others)", lone, from+1)
	}
}
