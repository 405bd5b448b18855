package cluster

import (
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/trie"

	"github.com/citychain/citychain/internal/node/gossip"
)

// TestInvalidBlocksFromPeer: a peer gossips blocks that break each rule class;
// the receiving node refuses each, disconnects the peer, and its chain is
// untouched. Member 0 is the (only) signer and plays the bad peer through its
// own gossip service; each case goes to a fresh receiver (see Cluster.Add).
func TestInvalidBlocksFromPeer(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(h *types.Header)
		key    func(signer *ecdsa.PrivateKey) *ecdsa.PrivateKey // who seals
	}{
		{"unauthorized signer", nil, func(*ecdsa.PrivateKey) *ecdsa.PrivateKey { k, _ := crypto.GenerateKey(); return k }},
		{"wrong difficulty", func(h *types.Header) { h.Difficulty = big.NewInt(1) }, nil},
		{"signer list on a non-checkpoint block", func(h *types.Header) {
			h.Extra = append(append(append([]byte{}, h.Extra[:32]...), make([]byte, 20)...), h.Extra[32:]...)
		}, nil},
		{"bad state root", func(h *types.Header) { h.Root = common.Hash{0xba, 0xd} }, nil},
		{"vote nonce neither add nor drop", func(h *types.Header) {
			h.Coinbase = common.Address{0xc1}
			h.Nonce = types.BlockNonce{0x01}
		}, nil},
		{"non-zero mix digest", func(h *types.Header) { h.MixDigest = common.Hash{0x01} }, nil},
		{"uncles", func(h *types.Header) { h.UncleHash = common.Hash{0x01} }, nil},
	}
	c := Make(t, 1, 0, 0) // period 0: no block unless there are transactions
	bad := c.Members[0]
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			receiver := c.Add()
			defer c.Stop(receiver)
			recv := c.Members[receiver].Node
			c.wait(30*time.Second, "the bad peer to connect to "+c.Members[receiver].Name, func() bool {
				return recv.Gossip().Metrics().Peers == 1
			})
			before := recv.Eth().BlockChain().CurrentBlock().Hash()

			block := invalidBlock(t, c, bad.Key, tc.mutate, tc.key)
			bad.Node.Gossip().Broadcast(block)

			c.wait(30*time.Second, "the receiver to refuse the block and drop the peer", func() bool {
				m := recv.Gossip().Metrics()
				return m.Rejected[gossip.RejectInvalid] >= 1 && m.Dropped[gossip.DropInvalidBlock] >= 1
			})
			if after := recv.Eth().BlockChain().CurrentBlock().Hash(); after != before {
				t.Fatalf("receiver head after the invalid block: have %v, want %v", after, before)
			}
			if recv.Eth().BlockChain().HasBlock(block.Hash(), block.NumberU64()) {
				t.Fatal("the invalid block was stored")
			}
		})
	}
}

// invalidBlock builds an empty block 1 on the genesis as the signer would,
// breaks it with mutate, and seals it with sealer(signer) (the signer by default).
func invalidBlock(t *testing.T, c *Cluster, signer *ecdsa.PrivateKey, mutate func(*types.Header), sealer func(*ecdsa.PrivateKey) *ecdsa.PrivateKey) *types.Block {
	t.Helper()
	n := c.Members[0].Node
	chain := n.Eth().BlockChain()
	parent := chain.Genesis().Header()
	header := &types.Header{
		ParentHash: parent.Hash(),
		Number:     big.NewInt(1),
		GasLimit:   parent.GasLimit,
		BaseFee:    eip1559.CalcBaseFee(chain.Config(), parent),
		Root:       parent.Root,
	}
	address := crypto.PubkeyToAddress(signer.PublicKey)
	if err := n.Engine().Prepare(chain, header, address); err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(header)
	}
	key := signer
	if sealer != nil {
		key = sealer(signer)
	}
	sealed, err := n.Engine().Seal(header, crypto.PubkeyToAddress(key.PublicKey), func(_ common.Address, hash []byte) ([]byte, error) {
		return crypto.Sign(hash, key)
	})
	if err != nil {
		t.Fatal(err)
	}
	return types.NewBlock(sealed, nil, nil, trie.NewStackTrie(nil))
}
