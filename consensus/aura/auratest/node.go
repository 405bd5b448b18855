package auratest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/aura"
)

// getValidatorsSelector is the selector of getValidators().
var getValidatorsSelector = []byte{0xb7, 0xab, 0x4d, 0xb5}

// Node serves a Chain over HTTP JSON-RPC as a Parity/OpenEthereum node
// answers: eth_chainId, eth_blockNumber, eth_getBlockByNumber and
// eth_getBlockByHash (with sealFields, step and signature, and the
// transactions of SealBody's blocks), eth_getTransactionByHash,
// eth_getTransactionReceipt, eth_getProof, eth_call of getValidators() and
// eth_getLogs of the InitiateChange events.
type Node struct {
	URL string
	// NoBlockHash makes eth_call refuse a block hash (EIP-1898), as older
	// Parity versions do; Nethermind answers blocks as Nethermind does (step
	// and signature as 0x-hex, no sealFields). Set them before requests.
	NoBlockHash bool
	Nethermind  bool
	mu          sync.Mutex
	chain       *Chain
	http        *httptest.Server
}

// Serve starts a node on 127.0.0.1 serving c; Close stops it.
func Serve(c *Chain) *Node {
	n := &Node{chain: c}
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", &ethAPI{n}); err != nil {
		panic(err)
	}
	n.http = httptest.NewServer(srv)
	n.URL = n.http.URL
	return n
}

// Close stops the node.
func (n *Node) Close() { n.http.Close() }

// Update runs f on the chain while no request is served: to grow it, or to
// replace its blocks by another branch.
func (n *Node) Update(f func(c *Chain)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	f(n.chain)
}

type ethAPI struct{ n *Node }

func (a *ethAPI) ChainId() hexutil.Uint64 {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	return hexutil.Uint64(a.n.chain.ChainID)
}

func (a *ethAPI) BlockNumber() hexutil.Uint64 {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	return hexutil.Uint64(a.n.chain.Head().Number)
}

func (a *ethAPI) GetBlockByNumber(num rpc.BlockNumber, full bool) (map[string]any, error) {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	c := a.n.chain
	n := int64(num)
	if num == rpc.LatestBlockNumber {
		n = int64(c.Head().Number)
	}
	if n < 0 || n >= int64(len(c.Blocks)) {
		return nil, nil
	}
	return a.n.blockJSON(c.Blocks[n], full), nil
}

func (a *ethAPI) GetBlockByHash(h common.Hash, full bool) (map[string]any, error) {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	for _, b := range a.n.chain.Blocks {
		if b.Hash() == h {
			return a.n.blockJSON(b, full), nil
		}
	}
	return nil, nil
}

// NethermindJSON renders h as Nethermind's eth_getBlockByNumber does: step
// and signature as 0x-hex, no sealFields.
func NethermindJSON(h *aura.Header) map[string]any {
	m := ParityJSON(h)
	delete(m, "sealFields")
	m["step"] = hexutil.Uint64(h.Step)
	m["signature"] = hexutil.Bytes(h.Signature[:])
	return m
}

// ParityJSON renders h as Parity's eth_getBlockByNumber does.
func ParityJSON(h *aura.Header) map[string]any {
	step, _ := rlp.EncodeToBytes(h.Step)
	sig, _ := rlp.EncodeToBytes(h.Signature[:])
	m := map[string]any{
		"hash": h.Hash(), "parentHash": h.ParentHash, "sha3Uncles": h.UncleHash, "miner": h.Coinbase, "author": h.Coinbase,
		"stateRoot": h.Root, "transactionsRoot": h.TxHash, "receiptsRoot": h.ReceiptHash, "logsBloom": h.Bloom,
		"difficulty": (*hexutil.Big)(h.Difficulty), "number": hexutil.Uint64(h.Number), "gasLimit": hexutil.Uint64(h.GasLimit),
		"gasUsed": hexutil.Uint64(h.GasUsed), "timestamp": hexutil.Uint64(h.Time), "extraData": hexutil.Bytes(h.Extra),
		"sealFields": []hexutil.Bytes{step, sig}, "step": strconv.FormatUint(h.Step, 10),
		"signature": fmt.Sprintf("%x", h.Signature[:]), "uncles": []common.Hash{}, "transactions": []common.Hash{},
	}
	if h.BaseFee != nil {
		m["baseFeePerGas"] = (*hexutil.Big)(h.BaseFee)
	}
	return m
}

type callArgs struct {
	To   common.Address `json:"to"`
	Data hexutil.Bytes  `json:"data"`
	Inpt hexutil.Bytes  `json:"input"`
}

func (a *ethAPI) Call(args callArgs, at rpc.BlockNumberOrHash) (hexutil.Bytes, error) {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	c := a.n.chain
	data := args.Data
	if data == nil {
		data = args.Inpt
	}
	if args.To != c.Contract || !bytes.Equal(data, getValidatorsSelector) {
		return nil, fmt.Errorf("auratest node answers only getValidators() of %s", c.Contract)
	}
	h, byHash := at.Hash()
	if byHash && a.n.NoBlockHash {
		return nil, fmt.Errorf("invalid params: a block number or tag, not an object")
	}
	if n, ok := at.Number(); ok && n >= 0 && int(n) < len(c.Blocks) {
		h = c.Blocks[n].Hash()
	}
	set, ok := c.Sets[h]
	if !ok {
		return nil, fmt.Errorf("header not found")
	}
	return addressList.Pack(set)
}

type logQuery struct {
	FromBlock hexutil.Uint64    `json:"fromBlock"`
	ToBlock   hexutil.Uint64    `json:"toBlock"`
	Address   common.Address    `json:"address"`
	Topics    []json.RawMessage `json:"topics"`
}

func (a *ethAPI) GetLogs(q logQuery) ([]*types.Log, error) {
	a.n.mu.Lock()
	defer a.n.mu.Unlock()
	c := a.n.chain
	var out []*types.Log
	for n := uint64(q.FromBlock); n <= uint64(q.ToBlock) && n < uint64(len(c.Blocks)); n++ {
		h := c.Blocks[n]
		set, ok := c.Signals[h.Hash()]
		if !ok || q.Address != c.Contract {
			continue
		}
		l := c.signalLog(h, set)
		l.BlockHash, l.TxHash = h.Hash(), common.Hash{1}
		out = append(out, l)
	}
	return out, nil
}
