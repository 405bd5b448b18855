package auratest

import (
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/aura"
)

// blockJSON renders block n as the node does, with its transactions'
// hashes or, if full, the transactions.
func (n *Node) blockJSON(h *aura.Header, full bool) map[string]any {
	m := ParityJSON(h)
	if n.Nethermind {
		m = NethermindJSON(h)
	}
	body := n.chain.Bodies[h.Hash()]
	if body == nil {
		return m
	}
	if !full {
		hashes := make([]common.Hash, len(body.Txs))
		for i, tx := range body.Txs {
			hashes[i] = tx.Hash()
		}
		m["transactions"] = hashes
		return m
	}
	txs := make([]map[string]any, len(body.Txs))
	for i, tx := range body.Txs {
		txs[i] = n.txJSON(tx, body.Receipts[i])
	}
	m["transactions"] = txs
	return m
}

// txJSON renders a mined transaction: go-ethereum's fields, the block's,
// and, as OpenEthereum (crates/rpc/src/v1/types/transaction.rs), its
// "type" as a JSON number with from, creates, raw, publicKey, standardV and
// condition.
func (n *Node) txJSON(tx *types.Transaction, r *types.Receipt) map[string]any {
	m := remarshal(tx)
	from := sender(tx)
	m["blockHash"], m["blockNumber"], m["transactionIndex"], m["from"] = r.BlockHash, (*hexutil.Big)(r.BlockNumber), hexutil.Uint(r.TransactionIndex), from
	if n.Nethermind {
		return m
	}
	raw, _ := tx.MarshalBinary()
	v, rs, s := tx.RawSignatureValues()
	pub, _ := crypto.Ecrecover(types.LatestSignerForChainID(tx.ChainId()).Hash(tx).Bytes(), append(append(common.LeftPadBytes(rs.Bytes(), 32), common.LeftPadBytes(s.Bytes(), 32)...), byte(v.Uint64()-35-2*tx.ChainId().Uint64())))
	m["type"], m["raw"], m["publicKey"], m["condition"] = int(tx.Type()), hexutil.Bytes(raw), hexutil.Bytes(pub[1:]), nil
	m["standardV"] = hexutil.Uint64(v.Uint64() - 35 - 2*tx.ChainId().Uint64())
	m["creates"] = nil
	if tx.To() == nil {
		m["creates"] = r.ContractAddress
	}
	return m
}

// receiptJSON renders a receipt: go-ethereum's fields with from and to,
// and, as OpenEthereum (crates/rpc/src/v1/types/receipt.rs, log.rs), its
// "type" as a JSON number, no effectiveGasPrice, and each log with its
// "type" "mined" and transactionLogIndex.
func (n *Node) receiptJSON(tx *types.Transaction, r *types.Receipt) map[string]any {
	m := remarshal(r)
	m["from"], m["to"] = sender(tx), tx.To()
	if len(r.PostState) > 0 {
		delete(m, "status") // as both clients answer a receipt before EIP-658
	} else {
		delete(m, "root")
	}
	if n.Nethermind {
		return m
	}
	m["type"] = int(r.Type)
	delete(m, "effectiveGasPrice")
	delete(m, "blobGasUsed")
	delete(m, "blobGasPrice")
	logs := make([]map[string]any, len(r.Logs))
	for i, l := range r.Logs {
		logs[i] = remarshal(l)
		logs[i]["type"], logs[i]["transactionLogIndex"] = "mined", hexutil.Uint(i)
	}
	m["logs"] = logs
	return m
}

// remarshal returns v's JSON as a map, to add or change fields.
func remarshal(v any) map[string]any {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		panic(err)
	}
	return m
}

// findTx returns the transaction with hash h and its receipt.
func (c *Chain) findTx(h common.Hash) (*types.Transaction, *types.Receipt) {
	for _, b := range c.Blocks {
		body := c.Bodies[b.Hash()]
		if body == nil {
			continue
		}
		for i, tx := range body.Txs {
			if tx.Hash() == h {
				return tx, body.Receipts[i]
			}
		}
	}
	return nil, nil
}

func (a *ethAPI) GetTransactionReceipt(h common.Hash) (map[string]any, error) {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	tx, r := a.n.chain.findTx(h)
	if tx == nil {
		return nil, nil
	}
	return a.n.receiptJSON(tx, r), nil
}

func (a *ethAPI) GetTransactionByHash(h common.Hash) (map[string]any, error) {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	tx, r := a.n.chain.findTx(h)
	if tx == nil {
		return nil, nil
	}
	return a.n.txJSON(tx, r), nil
}

// proofJSON is eth_getProof's answer (EIP-1186).
type proofJSON struct {
	Address      common.Address   `json:"address"`
	AccountProof []hexutil.Bytes  `json:"accountProof"`
	Balance      *hexutil.Big     `json:"balance"`
	CodeHash     common.Hash      `json:"codeHash"`
	Nonce        hexutil.Uint64   `json:"nonce"`
	StorageHash  common.Hash      `json:"storageHash"`
	StorageProof []map[string]any `json:"storageProof"`
}

// proofList collects trie nodes as Prove writes them.
type proofList []hexutil.Bytes

func (l *proofList) Put(_ []byte, value []byte) error {
	*l = append(*l, common.CopyBytes(value))
	return nil
}

func (l *proofList) Delete([]byte) error { panic("not supported") }

// GetProof answers eth_getProof at a block number from the chain's states:
// OpenEthereum writes each storage key as a quantity (its StorageProof.key
// is a U256), Nethermind here as the 32 bytes asked.
func (a *ethAPI) GetProof(address common.Address, keys []string, at rpc.BlockNumber) (*proofJSON, error) {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	c := a.n.chain
	n := int64(at)
	if at == rpc.LatestBlockNumber {
		n = int64(c.Head().Number)
	}
	if n < 0 || n >= int64(len(c.Blocks)) {
		return nil, fmt.Errorf("unknown block")
	}
	root := c.Blocks[n].Root
	if root == (common.Hash{}) {
		root = types.EmptyRootHash
	}
	w := c.world0()
	st := w.state(root)
	tr, err := w.db.OpenTrie(root)
	if err != nil {
		return nil, err
	}
	out := &proofJSON{Address: address, Balance: (*hexutil.Big)(st.GetBalance(address).ToBig()), CodeHash: st.GetCodeHash(address),
		Nonce: hexutil.Uint64(st.GetNonce(address)), StorageHash: st.GetStorageRoot(address), StorageProof: []map[string]any{}}
	if out.CodeHash == (common.Hash{}) {
		out.CodeHash, out.StorageHash = types.EmptyCodeHash, types.EmptyRootHash // as OpenEthereum answers for no account
	}
	var accountProof proofList
	if err := tr.Prove(crypto.Keccak256(address.Bytes()), &accountProof); err != nil {
		return nil, err
	}
	out.AccountProof = accountProof
	for _, k := range keys {
		key := common.HexToHash(k)
		var proof proofList
		if out.StorageHash != types.EmptyRootHash {
			str, err := w.db.OpenStorageTrie(root, address, out.StorageHash, nil)
			if err != nil {
				return nil, err
			}
			if err := str.Prove(crypto.Keccak256(key.Bytes()), &proof); err != nil {
				return nil, err
			}
		}
		var shown any = (*hexutil.Big)(key.Big())
		if a.n.Nethermind {
			shown = key
		}
		out.StorageProof = append(out.StorageProof, map[string]any{"key": shown, "value": (*hexutil.Big)(st.GetState(address, key).Big()), "proof": proofOrEmpty(proof)})
	}
	return out, nil
}

func proofOrEmpty(p proofList) proofList {
	if p == nil {
		return proofList{}
	}
	return p
}
