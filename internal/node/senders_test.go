package node

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/genesis"
)

// TestKnownSenderCache checks that a sender cached through knownSender is
// accepted by a later types.Sender with the chain's signer, without recovery.
func TestKnownSenderCache(t *testing.T) {
	key, _ := crypto.GenerateKey()
	signer := types.NewLondonSigner(big.NewInt(4242))
	tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4242), Gas: 21000, GasFeeCap: big.NewInt(1), GasTipCap: big.NewInt(1)})
	want := crypto.PubkeyToAddress(key.PublicKey)

	// A fresh copy, as decoded from the database: no sender cached.
	data, _ := tx.MarshalBinary()
	fresh := new(types.Transaction)
	if err := fresh.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	// A marker address, not the real sender: if a later call returns it, it
	// came from the cache and no signature was recovered.
	marker := common.Address{0xde, 0xad}
	if have, _ := types.Sender(knownSender{Signer: signer, from: marker}, fresh); have != marker {
		t.Fatalf("known sender: have %v, want %v", have, marker)
	}
	// The blob pool uses types.LatestSigner: a different value, equal signer.
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Signers = 4242, []common.Address{want}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	latest := types.LatestSigner(g.Config)
	if !latest.Equal(signer) {
		t.Fatalf("LatestSigner of a London chain is not equal to the London signer: the warm-up would not help")
	}
	have, err := types.Sender(latest, fresh)
	if err != nil || have != marker {
		t.Fatalf("sender with the chain's signer: have %v (err %v), want the cached %v", have, err, marker)
	}
	// The original keeps its own, recovered, sender.
	if have, _ := types.Sender(latest, tx); have != want {
		t.Fatalf("original: have %v, want %v", have, want)
	}
}
