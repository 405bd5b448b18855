package docsrun

import (
	"context"
	"math/big"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/internal/testkit/gethclique"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// TestIntegrationDoc runs docs/integration.md's walkthrough as printed
// against citynode dev and a real geth 1.13.15 Clique chain (chain id 4343,
// epoch 30000, one signer): Anchors found pre-deployed, the relayer granted, the
// chain registered, one span posted by hand, the follower run until it has
// anchored past a payment, then stopped with Ctrl-C; the payment's receipt
// and transaction, and the payer's account, proven and verified offline
// against citychain block hashes read from the dev chain itself.
func TestIntegrationDoc(t *testing.T) {
	t.Parallel() // the chains mostly wait for blocks
	s := newSession(t, "docs/integration.md")
	dev := startDev(t, binaries(t))
	ext := gethclique.Start(t, gethclique.Config{ChainID: 4343, Period: 1, Epoch: 30000, Signers: 1})
	s.Setenv("CITYCTL_RPC", dev.URL)
	dev.keystoreFile(t, s, "admin.json", "admin.pw", 0)
	dev.keystoreFile(t, s, "relayer.json", "relayer.pw", 8)
	data, err := os.ReadFile(ext.Genesis)
	if err != nil {
		t.Fatal(err)
	}
	s.File("old-genesis.json", string(data))
	s.Set("http://10.20.0.5:8545", ext.Nodes[0].URL)
	s.Set("0xRELAYER", dev.Addrs[8].Hex())

	// The upgrade path's command, on a chain that has Anchors pre-deployed:
	// it finds it and sends nothing (on a chain made before, it deploys:
	// TestAnchorDeployOnOlderNetwork in cmd/cityctl).
	s.Run("cityctl anchor deploy --keystore admin.json --password admin.pw", "Anchors is already registered in the Directory at "+contracts.AnchorsAddress.Hex())
	s.Run("cityctl dept grant CIVIL anchor-relayer 0xRELAYER --keystore admin.json --password admin.pw")
	s.Run("cityctl anchor register --chain-rpc http://10.20.0.5:8545 --epoch 30000 --keystore admin.json --password admin.pw", "Registered chain 4343", "at checkpoint 0 ")
	s.Run("cityctl anchor status --chain 4343", "Latest checkpoint  0 ", ext.Nodes[0].Address.Hex())
	ext.WaitHead(t, 2, 30*time.Second)
	s.Run("cityctl anchor post --chain 4343 --chain-rpc http://10.20.0.5:8545 --keystore relayer.json --password relayer.pw", "Anchored block")

	payment := pay(t, ext)
	f := s.Start("cityctl anchor follow --chain 4343 --chain-rpc http://10.20.0.5:8545 --chain-genesis old-genesis.json --every 3 --keystore relayer.json --password relayer.pw")
	proctest.WaitFor(t, 90*time.Second, "the follower to anchor the payment's block", func() bool {
		if f.Exited() {
			t.Fatalf("the follower ended:\n%s", f.Output())
		}
		for _, m := range regexp.MustCompile(`Anchored block (\d+) `).FindAllStringSubmatch(f.Output(), -1) {
			if n, ok := new(big.Int).SetString(m[1], 10); ok && n.Cmp(payment.BlockNumber) >= 0 {
				return true
			}
		}
		return false
	})
	f.Stop(30 * time.Second)

	s.Set("0xTXHASH", payment.TxHash.Hex())
	out := s.Run("cityctl anchor prove --chain 4343 --chain-rpc http://10.20.0.5:8545 --out payment.json receipt 0xTXHASH", "check it with")
	s.Set("0xBLOCKHASH", trustedHash(t, dev, out.Out()))
	s.Run("cityctl audit verify-proof --trusted-header 0xBLOCKHASH payment.json", "Proof verified", payment.TxHash.Hex())
	payer := crypto.PubkeyToAddress(ext.Funded.PublicKey)
	s.Set("0xADDRESS", payer.Hex())
	out = s.Run("cityctl anchor prove --chain 4343 --chain-rpc http://10.20.0.5:8545 --out payer.json account 0xADDRESS", "check it with")
	s.Set("0xBLOCKHASH", trustedHash(t, dev, out.Out()))
	s.Run("cityctl audit verify-proof --trusted-header 0xBLOCKHASH payer.json", "Proof verified", `"exists": true`, strings.ToLower(payer.Hex()))
}

// pay sends 1 gwei from the geth chain's funded account and waits for its
// receipt.
func pay(t *testing.T, ext *gethclique.Network) *types.Receipt {
	t.Helper()
	eth := ext.Nodes[0].Eth
	from := crypto.PubkeyToAddress(ext.Funded.PublicKey)
	nonce, err := eth.PendingNonceAt(context.Background(), from)
	if err != nil {
		t.Fatal(err)
	}
	to := common.HexToAddress("0x00000000000000000000000000000000000c17e5")
	tx, err := types.SignNewTx(ext.Funded, types.LatestSignerForChainID(big.NewInt(4343)), &types.LegacyTx{Nonce: nonce, GasPrice: big.NewInt(10_000_000_000), Gas: 21_000, To: &to, Value: big.NewInt(1_000_000_000)})
	if err != nil {
		t.Fatal(err)
	}
	if err := eth.SendTransaction(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	var r *types.Receipt
	proctest.WaitFor(t, 60*time.Second, "the payment to be mined", func() bool {
		r, err = eth.TransactionReceipt(context.Background(), tx.Hash())
		return err == nil
	})
	return r
}

// trustedHash reads the citychain block the proof names from the dev chain
// itself (a reader's own node), and checks it is the hash the output names.
func trustedHash(t *testing.T, dev *devChain, out string) string {
	t.Helper()
	m := regexp.MustCompile(`--trusted-header (0x[0-9a-f]{64})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("anchor prove does not say how to verify:\n%s", out)
	}
	c, err := ethclient.Dial(dev.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h, err := c.HeaderByHash(context.Background(), common.HexToHash(m[1]))
	if err != nil || h.Hash().Hex() != m[1] {
		t.Fatalf("citychain has no block %s (%v)", m[1], err)
	}
	canonical, err := c.HeaderByNumber(context.Background(), h.Number)
	if err != nil || canonical.Hash() != h.Hash() {
		t.Fatalf("block %s is not citychain's block %d", m[1], h.Number)
	}
	return canonical.Hash().Hex()
}
