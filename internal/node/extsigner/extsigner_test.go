package extsigner

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/consensus/sealer"
	"github.com/citychain/citychain/internal/testkit/cleftest"
)

// londonHeader is a header as the sealer prepares it: London format, the
// seal bytes zero.
func londonHeader() *types.Header {
	return &types.Header{
		ParentHash: common.Hash{1}, UncleHash: types.EmptyUncleHash, Root: common.Hash{2}, TxHash: types.EmptyTxsHash,
		ReceiptHash: types.EmptyReceiptsHash, Difficulty: big.NewInt(2), Number: big.NewInt(42), GasLimit: 30_000_000,
		GasUsed: 21000, Time: 1_700_000_000, Extra: make([]byte, clique.ExtraVanity+clique.ExtraSeal), BaseFee: big.NewInt(params.InitialBaseFee),
	}
}

// TestSealRLP: what clef signs hashes to our engine's seal hash.
func TestSealRLP(t *testing.T) {
	h := londonHeader()
	copy(h.Extra, "citychain vanity")
	data, err := SealRLP(h)
	if err != nil {
		t.Fatal(err)
	}
	want, err := clique.SealHash(h)
	if err != nil {
		t.Fatal(err)
	}
	if have := crypto.Keccak256Hash(data); have != want {
		t.Errorf("keccak256(SealRLP): have %s, want the seal hash %s", have, want)
	}
	modern := londonHeader()
	modern.WithdrawalsHash = &types.EmptyWithdrawalsHash
	if _, err := SealRLP(modern); err == nil || !strings.Contains(err.Error(), "post-London") {
		t.Errorf("SealRLP of a post-London header: have %v, want a refusal", err)
	}
}

// TestClef signs a header through a real clef (geth 1.13.15) whose rule file
// approves Clique headers: the seal verifies as the account's; an account
// clef does not hold is refused; with clef stopped the error wraps
// sealer.ErrSignerUnavailable, and signing works again once it is back.
func TestClef(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts clef")
	}
	bin := cleftest.Binary(t)
	key, _ := crypto.GenerateKey()
	account := crypto.PubkeyToAddress(key.PublicKey)
	keyJSON, err := keystore.EncryptKey(&keystore.Key{Address: account, PrivateKey: key}, "department password", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	clef := cleftest.Start(t, bin, account, keyJSON, "department password", 4354)
	c, err := New(clef.URL, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	engine := clique.New(&params.CliqueConfig{Period: 1, Epoch: 30000}, rawdb.NewMemoryDatabase())

	sealed, err := engine.SealHeader(londonHeader(), account, c.SignHeader)
	if err != nil {
		t.Fatalf("seal through clef: %v\n%s", err, clef.Output())
	}
	if author, err := engine.Author(sealed); err != nil || author != account {
		t.Errorf("author of the header clef sealed: have %s (%v), want %s", author, err, account)
	}
	stranger := common.HexToAddress("0x000000000000000000000000000000000000dead")
	if _, err := engine.SealHeader(londonHeader(), stranger, c.SignHeader); !errors.Is(err, sealer.ErrSignerUnavailable) || !strings.Contains(err.Error(), "refused") {
		t.Errorf("seal for an account clef does not hold: have %v, want %v (refused)", err, sealer.ErrSignerUnavailable)
	}

	clef.Stop()
	if _, err := engine.SealHeader(londonHeader(), account, c.SignHeader); !errors.Is(err, sealer.ErrSignerUnavailable) || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("seal with clef stopped: have %v, want %v (did not answer)", err, sealer.ErrSignerUnavailable)
	}
	clef.Start(t)
	if _, err := engine.SealHeader(londonHeader(), account, c.SignHeader); err != nil {
		t.Errorf("seal once clef is back: %v", err)
	}
	// What a slot pays for the round trip (ADR 050 quotes it).
	const rounds = 50
	var worst, total time.Duration
	for i := range rounds {
		h := londonHeader()
		h.Number = big.NewInt(int64(100 + i))
		start := time.Now()
		if _, err := engine.SealHeader(h, account, c.SignHeader); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		total += took
		worst = max(worst, took)
	}
	t.Logf("sealing through clef: %d headers, mean %v, worst %v", rounds, total/rounds, worst)
}
