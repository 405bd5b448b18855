package auratest

import (
	"crypto/ecdsa"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/holiman/uint256"

	"github.com/citychain/citychain/consensus/aura"
)

// Body is a block's transactions and their receipts, the receipts with
// the fields a node derives (hashes, indexes, gas used, logs' positions).
type Body struct {
	Txs      types.Transactions
	Receipts types.Receipts
}

// world keeps the chain's states: every block's state root stays readable
// (a generated chain is an archive).
type world struct{ db state.Database }

func newWorld() *world {
	mem := rawdb.NewMemoryDatabase()
	return &world{db: state.NewDatabase(triedb.NewDatabase(mem, nil), state.NewCodeDB(mem))}
}

// rules are the fork rules the generated states are committed with.
var rules = params.AllEthashProtocolChanges.Rules(big.NewInt(0), false, 0)

// state opens the state at root; the zero hash (a chain that had no state
// yet) is the empty state.
func (w *world) state(root common.Hash) *state.StateDB {
	if root == (common.Hash{}) {
		root = types.EmptyRootHash
	}
	st, err := state.New(root, w.db)
	if err != nil {
		panic(err)
	}
	return st
}

// SealBody appends a block at step sealed by k holding txs, each
// transaction's receipt giving its status (or, with PostStateReceipts, the
// block's state root) and logs (gas is made up: 21,000 plus 16 a data byte), and the state after the parent's changed by apply:
// the roots, bloom and gas used follow, as a validator fills them.
func (c *Chain) SealBody(step uint64, k Key, txs types.Transactions, status []uint64, logs [][]*types.Log, apply func(*state.StateDB)) *aura.Header {
	w := c.world0()
	parent := c.Head()
	receipts := make(types.Receipts, len(txs))
	var cumulative uint64
	for i, tx := range txs {
		gas := 21_000 + 16*uint64(len(tx.Data()))
		cumulative += gas
		r := &types.Receipt{Type: tx.Type(), Status: status[i], CumulativeGasUsed: cumulative, Logs: logs[i], TxHash: tx.Hash(),
			GasUsed: gas, TransactionIndex: uint(i), EffectiveGasPrice: tx.GasPrice()}
		if tx.To() == nil {
			r.ContractAddress = crypto.CreateAddress(sender(tx), tx.Nonce())
		}
		r.Bloom = types.CreateBloom(r)
		receipts[i] = r
	}
	st := w.state(parent.Root)
	if apply != nil {
		apply(st)
	}
	root, err := st.Commit(rules, parent.Number+1)
	if err != nil {
		panic(err)
	}
	if c.PostStateReceipts {
		for _, r := range receipts { // one root for all: the receipts of a test block, not an execution
			r.PostState, r.Status = root.Bytes(), 0
		}
	}
	h := &aura.Header{ParentHash: parent.Hash(), UncleHash: types.EmptyUncleHash, Coinbase: k.Address, Root: root,
		TxHash: types.DeriveSha(txs, trie.NewStackTrie(nil)), ReceiptHash: types.DeriveSha(receipts, trie.NewStackTrie(nil)),
		Bloom: types.MergeBloom(receipts), Difficulty: Score(parent.Step, step), Number: parent.Number + 1,
		GasLimit: parent.GasLimit, GasUsed: cumulative, Time: step * c.Duration, Extra: []byte("auratest")}
	Sign(h, step, k)
	var index uint
	for i, r := range receipts {
		r.BlockHash, r.BlockNumber = h.Hash(), new(big.Int).SetUint64(h.Number)
		for _, l := range r.Logs {
			l.BlockNumber, l.BlockHash, l.TxHash, l.TxIndex, l.Index = h.Number, r.BlockHash, r.TxHash, uint(i), index
			index++
		}
	}
	c.Bodies[h.Hash()] = &Body{Txs: txs, Receipts: receipts}
	c.Blocks = append(c.Blocks, h)
	return h
}

// EmitterRuntime is the code of a contract that logs its call data with
// topic 0x2a (the Clique tests' emitter); Emitter deploys it with slot 7 set
// to 0x2a.
var EmitterRuntime = []byte{0x36, 0x60, 0x00, 0x60, 0x00, 0x37, 0x60, 0x2a, 0x36, 0x60, 0x00, 0xa1, 0x00}

// EmitterTopic is the topic of the emitter's log.
var EmitterTopic = common.BigToHash(big.NewInt(0x2a))

// Emitter appends a block at step sealed by k in which from deploys the
// emitter contract, and returns its address.
func (c *Chain) Emitter(step uint64, k Key, from *ecdsa.PrivateKey) common.Address {
	// SSTORE(7, 0x2a), then return the 13-byte runtime.
	tx := c.signTx(from, nil, append(common.FromHex("602a600755600d6011600039600d6000f3"), EmitterRuntime...))
	addr := crypto.CreateAddress(crypto.PubkeyToAddress(from.PublicKey), tx.Nonce())
	c.SealBody(step, k, types.Transactions{tx}, []uint64{types.ReceiptStatusSuccessful}, [][]*types.Log{nil}, func(st *state.StateDB) {
		bumpNonce(st, tx)
		st.SetNonce(addr, 1, tracing.NonceChangeNewContract)
		st.SetCode(addr, EmitterRuntime, tracing.CodeChangeContractCreation)
		st.SetState(addr, common.BigToHash(big.NewInt(7)), EmitterTopic)
	})
	return addr
}

// Emit appends a block at step sealed by k in which from calls the emitter
// at contract with data; it returns the transaction.
func (c *Chain) Emit(step uint64, k Key, from *ecdsa.PrivateKey, contract common.Address, data []byte) *types.Transaction {
	tx := c.signTx(from, &contract, data)
	log := &types.Log{Address: contract, Topics: []common.Hash{EmitterTopic}, Data: common.CopyBytes(data)}
	c.SealBody(step, k, types.Transactions{tx}, []uint64{types.ReceiptStatusSuccessful}, [][]*types.Log{{log}}, func(st *state.StateDB) {
		bumpNonce(st, tx)
	})
	return tx
}

// signTx signs a legacy EIP-155 transaction of from at its next nonce.
func (c *Chain) signTx(from *ecdsa.PrivateKey, to *common.Address, data []byte) *types.Transaction {
	st := c.world0().state(c.Head().Root)
	nonce := st.GetNonce(crypto.PubkeyToAddress(from.PublicKey))
	signer := types.NewEIP155Signer(new(big.Int).SetUint64(c.ChainID))
	tx, err := types.SignNewTx(from, signer, &types.LegacyTx{Nonce: nonce, GasPrice: big.NewInt(1_000_000_000), Gas: 200_000, To: to, Data: data})
	if err != nil {
		panic(err)
	}
	return tx
}

// world0 returns the chain's states, made on first use.
func (c *Chain) world0() *world {
	if c.world == nil {
		c.world, c.Bodies = newWorld(), map[common.Hash]*Body{}
	}
	return c.world
}

func bumpNonce(st *state.StateDB, tx *types.Transaction) {
	from := sender(tx)
	st.SetNonce(from, tx.Nonce()+1, tracing.NonceChangeEoACall)
	if st.GetBalance(from).IsZero() {
		st.SetBalance(from, uint256.NewInt(1e18), tracing.BalanceChangeUnspecified)
	}
}

func sender(tx *types.Transaction) common.Address {
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	if err != nil {
		panic(err)
	}
	return from
}
