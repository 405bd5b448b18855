// Package auratest builds Aura chains signed with test keys and serves them
// over JSON-RPC the way a Parity/OpenEthereum node answers, for tests of the
// code that reads and verifies external Aura chains.
package auratest

import (
	"crypto/ecdsa"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/consensus/aura"
)

// Key is a test validator.
type Key struct {
	Private *ecdsa.PrivateKey
	Address common.Address
}

// Keys returns n validators with fixed keys.
func Keys(n int) []Key {
	out := make([]Key, n)
	for i := range out {
		k, err := crypto.ToECDSA(crypto.Keccak256([]byte("auratest validator"), []byte{byte(i)}))
		if err != nil {
			panic(err)
		}
		out[i] = Key{k, crypto.PubkeyToAddress(k.PublicKey)}
	}
	return out
}

// Addresses returns the keys' addresses.
func Addresses(ks ...Key) []common.Address {
	out := make([]common.Address, len(ks))
	for i, k := range ks {
		out[i] = k.Address
	}
	return out
}

// Chain is a generated Aura chain: its blocks, the InitiateChange events
// of a validator-set contract and the contract's getValidators() answers.
type Chain struct {
	ChainID  uint64
	Duration uint64 // step duration, seconds
	Contract common.Address
	Blocks   []*aura.Header
	// Sets is getValidators() after a block, by block hash.
	Sets map[common.Hash][]common.Address
	// Signals is the new set of the InitiateChange in a block, by block hash.
	Signals map[common.Hash][]common.Address
	// Bodies is the transactions and receipts of a block, by block hash
	// (SealBody; a block without one holds none).
	Bodies map[common.Hash]*Body
	// PostStateReceipts makes SealBody's receipts hold the state root after
	// the transaction in place of a status, as before EIP-658 (Byzantium;
	// a spec without eip658Transition).
	PostStateReceipts bool
	world             *world
}

// NewChain returns a chain of its genesis block at step genesisStep.
func NewChain(chainID, duration, genesisStep uint64, contract common.Address) *Chain {
	g := &aura.Header{UncleHash: types.EmptyUncleHash, TxHash: types.EmptyRootHash, ReceiptHash: types.EmptyRootHash,
		Difficulty: big.NewInt(0x20000), GasLimit: 10_000_000, Time: genesisStep * duration, Step: genesisStep}
	return &Chain{ChainID: chainID, Duration: duration, Contract: contract, Blocks: []*aura.Header{g},
		Sets: map[common.Hash][]common.Address{}, Signals: map[common.Hash][]common.Address{}}
}

// Head returns the last block.
func (c *Chain) Head() *aura.Header { return c.Blocks[len(c.Blocks)-1] }

// Seal appends a block at step sealed by k, as an Aura validator seals it.
// A non-nil signal makes the block carry the contract's InitiateChange
// with that set (its bloom then names the contract and the event).
func (c *Chain) Seal(step uint64, k Key, signal []common.Address) *aura.Header {
	parent := c.Head()
	h := &aura.Header{ParentHash: parent.Hash(), UncleHash: types.EmptyUncleHash, Coinbase: k.Address, Root: parent.Root, TxHash: types.EmptyRootHash,
		ReceiptHash: types.EmptyRootHash, Difficulty: Score(parent.Step, step), Number: parent.Number + 1,
		GasLimit: parent.GasLimit, Time: step * c.Duration, Extra: []byte("auratest")}
	if signal != nil {
		l := c.signalLog(h, signal)
		h.Bloom.Add(l.Address.Bytes())
		for _, t := range l.Topics {
			h.Bloom.Add(t.Bytes())
		}
	}
	Sign(h, step, k)
	if signal != nil {
		c.Signals[h.Hash()] = slices.Clone(signal)
	}
	c.Blocks = append(c.Blocks, h)
	return h
}

// Rotate appends n blocks at the next steps, each sealed by the validator
// of set whose turn the step is.
func (c *Chain) Rotate(set []Key, n int) {
	for range n {
		step := c.Head().Step + 1
		c.Seal(step, set[step%uint64(len(set))], nil)
	}
}

// Sign seals h for step with k's key.
func Sign(h *aura.Header, step uint64, k Key) {
	if err := h.Sign(step, func(hash []byte) ([]byte, error) { return crypto.Sign(hash, k.Private) }); err != nil {
		panic(err)
	}
}

// Score is the Aura difficulty of a block at step after one at parentStep.
func Score(parentStep, step uint64) *big.Int {
	s := new(big.Int).Lsh(big.NewInt(1), 128)
	s.Sub(s, big.NewInt(1))
	s.Add(s, new(big.Int).SetUint64(parentStep))
	return s.Sub(s, new(big.Int).SetUint64(step))
}

// signalLog is the InitiateChange log of h with set.
func (c *Chain) signalLog(h *aura.Header, set []common.Address) *types.Log {
	data, err := addressList.Pack(set)
	if err != nil {
		panic(err)
	}
	return &types.Log{Address: c.Contract, Topics: []common.Hash{aura.InitiateChangeTopic, h.ParentHash}, Data: data,
		BlockNumber: h.Number}
}

var addressList = abi.Arguments{{Type: mustType("address[]")}}

func mustType(s string) abi.Type {
	t, err := abi.NewType(s, "", nil)
	if err != nil {
		panic(err)
	}
	return t
}
