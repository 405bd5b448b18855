package node

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// TestPermittedPrefix checks the sealer's filter: a refused sender's
// transactions are all left out, and a sender who may call but not create
// keeps only the transactions before its first contract creation.
func TestPermittedPrefix(t *testing.T) {
	member, deployer, stranger := common.Address{1}, common.Address{2}, common.Address{3}
	check := func(from common.Address, create bool) error {
		switch {
		case from == stranger, create && from != deployer:
			return errors.New("refused")
		}
		return nil
	}
	to := common.Address{9}
	lazy := func(create bool, nonce uint64) *txpool.LazyTransaction {
		tx := &types.LegacyTx{Nonce: nonce, GasPrice: big.NewInt(1), Gas: 21000, To: &to}
		if create {
			tx.To = nil
		}
		return &txpool.LazyTransaction{Tx: types.NewTx(tx)}
	}
	txs := []*txpool.LazyTransaction{lazy(false, 0), lazy(false, 1), lazy(true, 2), lazy(false, 3)}
	for _, c := range []struct {
		name string
		from common.Address
		want int
	}{
		{"member stops at its creation", member, 2},
		{"deployer keeps all", deployer, 4},
		{"stranger keeps none", stranger, 0},
	} {
		if have := permittedPrefix(check, c.from, txs); have != c.want {
			t.Errorf("%s: have %d, want %d", c.name, have, c.want)
		}
	}
}

// fakeGate refuses the senders it lists.
type fakeGate map[common.Address]bool

func (g fakeGate) View() (func(common.Address, bool) error, error) {
	return func(from common.Address, create bool) error {
		if g[from] {
			return errors.New("refused")
		}
		return nil
	}, nil
}

// TestPermittedIncoming: the transactions the sealer streams into a block
// from pool and intake events pass the gate too (a peer's gossiped
// transaction reaches the pool without the intake's check).
func TestPermittedIncoming(t *testing.T) {
	signer := types.LatestSignerForChainID(big.NewInt(1))
	keys := map[string]*ecdsa.PrivateKey{}
	for _, l := range []string{"member", "stranger"} {
		keys[l], _ = crypto.ToECDSA(crypto.Keccak256([]byte(l)))
	}
	to := common.Address{9}
	tx := func(l string, nonce uint64) *types.Transaction {
		return types.MustSignNewTx(keys[l], signer, &types.LegacyTx{Nonce: nonce, GasPrice: big.NewInt(1), Gas: 21000, To: &to})
	}
	p := sealerPool{gate: fakeGate{crypto.PubkeyToAddress(keys["stranger"].PublicKey): true}, signer: signer}
	in := []*types.Transaction{tx("member", 0), tx("stranger", 0), tx("member", 1)}
	kept := p.permitted(in)
	if len(kept) != 2 || kept[0] != in[0] || kept[1] != in[2] {
		t.Errorf("kept %d transactions, want the member's 2", len(kept))
	}
	if in[1].Hash() != tx("stranger", 0).Hash() {
		t.Error("the event's slice was changed")
	}
}
