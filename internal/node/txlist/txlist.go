// Package txlist reads and rebuilds the transaction lists of geth's eth
// protocol messages (Transactions, PooledTransactions) without decoding the
// transactions: each transaction's network encoding is kept as it came, and
// its hash is computed from it.
//
// The packages that sit between a peer's connection and geth's eth handler
// (staletx, gossiptx) take transactions out of these messages before geth
// sees them; the list's framing (and PooledTransactions' request id) is the
// same for both.
package txlist

import (
	"errors"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/rlp"
)

// ErrTrailing is returned if a message has bytes after its RLP value.
var ErrTrailing = errors.New("trailing bytes after the message")

// List is one Transactions or PooledTransactions message, split.
type List struct {
	code   uint64
	prefix []byte   // PooledTransactions' request id, kept as it came
	Raw    [][]byte // each transaction's network encoding, in order
	kinds  []rlp.Kind
	values [][]byte // each transaction's RLP content
}

// Split splits payload, an eth Transactions (a list of transactions) or
// PooledTransactions (a request id and such a list) message, into its
// transactions' encodings.
func Split(code uint64, payload []byte) (*List, error) {
	content, rest, err := rlp.SplitList(payload)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, ErrTrailing
	}
	l := &List{code: code}
	list := content
	if code == eth.PooledTransactionsMsg {
		_, _, afterID, err := rlp.Split(content)
		if err != nil {
			return nil, err
		}
		l.prefix = content[:len(content)-len(afterID)]
		inner, tail, err := rlp.SplitList(afterID)
		if err != nil {
			return nil, err
		}
		if len(tail) > 0 {
			return nil, ErrTrailing
		}
		list = inner
	}
	for elems := list; len(elems) > 0; {
		kind, value, next, err := rlp.Split(elems)
		if err != nil {
			return nil, err
		}
		l.Raw = append(l.Raw, elems[:len(elems)-len(next)])
		l.kinds = append(l.kinds, kind)
		l.values = append(l.values, value)
		elems = next
	}
	return l, nil
}

// Len returns the number of transactions in the list.
func (l *List) Len() int { return len(l.Raw) }

// Hash returns the hash of transaction i: a legacy transaction is an RLP
// list, hashed whole; a typed one is an RLP string holding type byte and
// payload, which are hashed. A blob transaction's network form may carry its
// sidecar, which its hash does not cover: it gets the zero hash (see Blob).
func (l *List) Hash(i int) common.Hash {
	switch {
	case l.kinds[i] == rlp.List:
		return crypto.Keccak256Hash(l.Raw[i])
	case l.kinds[i] == rlp.String && len(l.values[i]) > 0 && l.values[i][0] != types.BlobTxType:
		return crypto.Keccak256Hash(l.values[i])
	}
	return common.Hash{}
}

// Blob reports whether transaction i is a blob transaction.
func (l *List) Blob(i int) bool {
	return l.kinds[i] == rlp.String && len(l.values[i]) > 0 && l.values[i][0] == types.BlobTxType
}

// Encode returns the message with only the transactions keep reports true
// for, in their order, and the request id as it came.
func (l *List) Encode(keep func(i int) bool) []byte {
	buf := rlp.NewEncoderBuffer(nil)
	outer := buf.List()
	buf.Write(l.prefix)
	inner := outer
	if l.code == eth.PooledTransactionsMsg {
		inner = buf.List()
	}
	for i, raw := range l.Raw {
		if keep(i) {
			buf.Write(raw)
		}
	}
	if l.code == eth.PooledTransactionsMsg {
		buf.ListEnd(inner)
	}
	buf.ListEnd(outer)
	return buf.ToBytes()
}

// Type returns the type of transaction i (0 for a legacy transaction).
func (l *List) Type(i int) byte {
	if l.kinds[i] == rlp.List || len(l.values[i]) == 0 {
		return types.LegacyTxType
	}
	return l.values[i][0]
}

// Size returns the encoded size of transaction i, as types.Transaction's
// Size gives it and eth announcements carry it: the RLP list of a legacy
// transaction, the type byte and payload of a typed one.
func (l *List) Size(i int) uint32 {
	if l.kinds[i] == rlp.List {
		return uint32(len(l.Raw[i]))
	}
	return uint32(len(l.values[i]))
}
