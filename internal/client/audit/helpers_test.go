package audit

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// record is the account the proof tests prove: a contract-like account with
// code and a few storage slots in genesis.
var (
	recordAddr  = common.HexToAddress("0x00000000000000000000000000000000000c17e0")
	recordSlots = map[common.Hash]common.Hash{
		common.BigToHash(big.NewInt(0)):              common.BigToHash(big.NewInt(42)),
		common.BigToHash(big.NewInt(1)):              common.HexToHash("0xdeadbeef"),
		crypto.Keccak256Hash([]byte("mapping slot")): common.HexToHash("0x0100000000000000000000000000000000000000000000000000000000000001"),
	}
)

// startDevNode starts an in-process single-signer node (no HTTP, no p2p) on a
// genesis holding the record account, and returns it with an in-process
// JSON-RPC client.
func startDevNode(t *testing.T) (*node.Node, *rpc.Client) {
	t.Helper()
	accounts := genesis.DevAccounts(1)
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4344, 0
	spec.Signers = []common.Address{accounts[0].Address}
	spec.Alloc = types.GenesisAlloc{
		accounts[0].Address: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)},
		recordAddr:          {Balance: big.NewInt(7), Code: []byte{0x60, 0x00, 0x56}, Storage: recordSlots, Nonce: 1},
	}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	cfg := node.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Mode = node.ModeDev
	cfg.Genesis = g
	cfg.HTTP.Enabled = false
	cfg.P2P.Addr = ""
	cfg.Signer = accounts[0].Address.Hex()
	cfg.DevKey = crypto.FromECDSA(accounts[0].Key)
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	client := n.Stack().Attach()
	t.Cleanup(client.Close)
	return n, client
}
