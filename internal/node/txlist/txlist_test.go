package txlist

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"
)

// transactions returns a legacy, an access-list and a dynamic-fee
// transaction, signed.
func transactions(t *testing.T) []*types.Transaction {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	chainID := big.NewInt(4343)
	signer := types.LatestSignerForChainID(chainID)
	to := common.Address{0x70}
	var txs []*types.Transaction
	for i, inner := range []types.TxData{
		&types.LegacyTx{Nonce: 0, GasPrice: big.NewInt(params.GWei), Gas: 21000, To: &to, Value: big.NewInt(1)},
		&types.AccessListTx{ChainID: chainID, Nonce: 1, GasPrice: big.NewInt(params.GWei), Gas: 21000, To: &to},
		&types.DynamicFeeTx{ChainID: chainID, Nonce: 2, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(params.GWei), Gas: 21000, To: &to, Data: []byte{1, 2, 3}},
	} {
		tx, err := types.SignNewTx(key, signer, inner)
		if err != nil {
			t.Fatalf("transaction %d: %v", i, err)
		}
		txs = append(txs, tx)
	}
	return txs
}

// TestSplit: each transaction's hash, type and size read from its encoding
// are types.Transaction's, for a Transactions and a PooledTransactions
// message; Encode keeping everything gives the message back, and keeping
// some gives the message of those.
func TestSplit(t *testing.T) {
	txs := transactions(t)
	plain, err := rlp.EncodeToBytes(txs)
	if err != nil {
		t.Fatal(err)
	}
	type pooled struct {
		ID  uint64
		Txs []*types.Transaction
	}
	answer, err := rlp.EncodeToBytes(pooled{ID: 77, Txs: txs})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		code    uint64
		payload []byte
	}{{eth.TransactionsMsg, plain}, {eth.PooledTransactionsMsg, answer}} {
		list, err := Split(c.code, c.payload)
		if err != nil {
			t.Fatalf("message %d: %v", c.code, err)
		}
		if list.Len() != len(txs) {
			t.Fatalf("message %d: %d transactions, want %d", c.code, list.Len(), len(txs))
		}
		for i, tx := range txs {
			if list.Hash(i) != tx.Hash() || list.Type(i) != tx.Type() || uint64(list.Size(i)) != tx.Size() || list.Blob(i) {
				t.Fatalf("message %d, transaction %d: hash %x type %d size %d, want %x %d %d", c.code, i, list.Hash(i), list.Type(i), list.Size(i), tx.Hash(), tx.Type(), tx.Size())
			}
		}
		if out := list.Encode(func(int) bool { return true }); !bytes.Equal(out, c.payload) {
			t.Fatalf("message %d: encoded whole, not the message it came as", c.code)
		}
		out := list.Encode(func(i int) bool { return i != 1 })
		var want []byte
		if c.code == eth.TransactionsMsg {
			want, _ = rlp.EncodeToBytes([]*types.Transaction{txs[0], txs[2]})
		} else {
			want, _ = rlp.EncodeToBytes(pooled{ID: 77, Txs: []*types.Transaction{txs[0], txs[2]}})
		}
		if !bytes.Equal(out, want) {
			t.Fatalf("message %d: encoded without transaction 1, not the message of the other two", c.code)
		}
	}
}

// TestSplitRefuses: what is not such a message is an error, not a list.
func TestSplitRefuses(t *testing.T) {
	good, err := rlp.EncodeToBytes(transactions(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		code    uint64
		payload []byte
	}{
		"empty":                     {eth.TransactionsMsg, nil},
		"truncated":                 {eth.TransactionsMsg, good[:len(good)-1]},
		"trailing bytes":            {eth.TransactionsMsg, append(append([]byte{}, good...), 0x80)},
		"not a list":                {eth.TransactionsMsg, []byte{0x82, 1, 2}},
		"pooled without request id": {eth.PooledTransactionsMsg, []byte{0xc0}},
		"pooled without a list":     {eth.PooledTransactionsMsg, []byte{0xc2, 0x01, 0x80}},
	} {
		if _, err := Split(c.code, c.payload); err == nil {
			t.Errorf("%s: split without an error", name)
		}
	}
}
