package logpage

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/jsonscan"
)

// RPC is a Filterer over a JSON-RPC client that decodes the answer with a
// scanner for the encoding geth and citynode write (DecodeLogs), instead of
// encoding/json's reflection: a recount reads 1.5 million logs.
type RPC struct{ Client *rpc.Client }

// FilterLogs implements Filterer: eth_getLogs as ethclient sends it.
func (r RPC) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	var raw json.RawMessage
	if err := r.Client.CallContext(ctx, &raw, "eth_getLogs", filterArg(q)); err != nil {
		return nil, err
	}
	return DecodeLogs(raw)
}

// filterArg is ethclient's encoding of a range query.
func filterArg(q ethereum.FilterQuery) map[string]any {
	arg := map[string]any{"address": q.Addresses, "topics": q.Topics}
	if q.BlockHash != nil {
		arg["blockHash"] = *q.BlockHash
		return arg
	}
	arg["fromBlock"] = blockArg(q.FromBlock)
	arg["toBlock"] = blockArg(q.ToBlock)
	return arg
}

func blockArg(n *big.Int) string {
	if n == nil {
		return "latest"
	}
	return hexutil.EncodeBig(n)
}

// DecodeLogs decodes a JSON array of logs as encoding/json decodes it into
// []types.Log. The common encoding (the ten members of geth's, strings
// without escapes) is read by a scanner; anything else by encoding/json.
func DecodeLogs(raw []byte) ([]types.Log, error) {
	if logs, ok := scanLogs(raw); ok {
		return logs, nil
	}
	var logs []types.Log
	if err := json.Unmarshal(raw, &logs); err != nil {
		return nil, err
	}
	return logs, nil
}

// scanner reads a JSON text (jsonscan.Scanner) and the values of logs; ok
// false on anything it does not handle.
type scanner struct{ jsonscan.Scanner }

// literal consumes word (true, false, null) if it is next.
func (s *scanner) literal(word string) bool {
	s.Space()
	if len(s.In)-s.Pos >= len(word) && string(s.In[s.Pos:s.Pos+len(word)]) == word {
		s.Pos += len(word)
		return true
	}
	return false
}

func scanLogs(raw []byte) ([]types.Log, bool) {
	s := scanner{jsonscan.Scanner{In: raw}}
	logs, ok := s.logArray()
	return logs, ok && s.End()
}

// logArray reads null or an array of logs.
func (s *scanner) logArray() ([]types.Log, bool) {
	if s.literal("null") {
		return nil, true
	}
	if !s.Byte('[') {
		return nil, false
	}
	logs := []types.Log{}
	if s.Byte(']') {
		return logs, true
	}
	for {
		var l types.Log
		if !s.log(&l) {
			return nil, false
		}
		logs = append(logs, l)
		if s.Byte(']') {
			return logs, true
		}
		if !s.Byte(',') {
			return nil, false
		}
	}
}

// Members of a log; the four geth requires must all be present.
const (
	mAddress = 1 << iota
	mTopics
	mData
	mTxHash
	mOther
	required = mAddress | mTopics | mData | mTxHash
)

// log reads one log object whose members each appear once.
func (s *scanner) log(l *types.Log) bool {
	if !s.Byte('{') {
		return false
	}
	seen := 0
	for {
		key, ok := s.Plain()
		if !ok || !s.Byte(':') {
			return false
		}
		bit, ok := s.member(l, string(key))
		if !ok || seen&bit != 0 && bit != mOther {
			return false
		}
		seen |= bit
		if s.Byte('}') {
			return seen&required == required
		}
		if !s.Byte(',') {
			return false
		}
	}
}

// member reads the value of the member named key into l.
func (s *scanner) member(l *types.Log, key string) (int, bool) {
	switch key {
	case "address":
		return mAddress, s.fixed(l.Address[:])
	case "topics":
		return mTopics, s.topics(l)
	case "data":
		v, ok := s.hex()
		l.Data = v
		return mData, ok && v != nil
	case "transactionHash":
		return mTxHash, s.fixed(l.TxHash[:])
	case "blockHash":
		return mOther, s.fixed(l.BlockHash[:])
	case "blockNumber":
		return mOther, s.quantity(&l.BlockNumber, 64)
	case "blockTimestamp":
		return mOther, s.quantity(&l.BlockTimestamp, 64)
	case "transactionIndex":
		var v uint64
		ok := s.quantity(&v, strconv.IntSize)
		l.TxIndex = uint(v)
		return mOther, ok
	case "logIndex":
		var v uint64
		ok := s.quantity(&v, strconv.IntSize)
		l.Index = uint(v)
		return mOther, ok
	case "removed":
		l.Removed = s.literal("true")
		return mOther, l.Removed || s.literal("false")
	}
	return 0, false // a member geth does not write: encoding/json's to read
}

// hex reads a "0x"-prefixed even-length hex string (hexutil.Bytes).
func (s *scanner) hex() ([]byte, bool) {
	v, ok := s.Plain()
	if !ok || len(v) < 2 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X') || len(v)%2 != 0 {
		return nil, false
	}
	out := make([]byte, (len(v)-2)/2)
	if _, err := hex.Decode(out, v[2:]); err != nil {
		return nil, false
	}
	return out, true
}

// fixed reads a hex string of exactly len(dst) bytes (common.Address, common.Hash).
func (s *scanner) fixed(dst []byte) bool {
	v, ok := s.Plain()
	if !ok || len(v) != 2+2*len(dst) || v[0] != '0' || (v[1] != 'x' && v[1] != 'X') {
		return false
	}
	_, err := hex.Decode(dst, v[2:])
	return err == nil
}

// quantity reads a hexutil quantity ("0x0", "0x1a": no leading zeros) of at most bits.
func (s *scanner) quantity(dst *uint64, bits int) bool {
	v, ok := s.Plain()
	if !ok || len(v) < 3 || len(v) > 2+bits/4 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X') || len(v) > 3 && v[2] == '0' {
		return false
	}
	n, err := strconv.ParseUint(string(v[2:]), 16, bits)
	*dst = n
	return err == nil
}

func (s *scanner) topics(l *types.Log) bool {
	if !s.Byte('[') {
		return false // null: encoding/json's (a missing required field)
	}
	l.Topics = []common.Hash{}
	if s.Byte(']') {
		return true
	}
	for {
		var h common.Hash
		if !s.fixed(h[:]) {
			return false
		}
		l.Topics = append(l.Topics, h)
		if s.Byte(']') {
			return true
		}
		if !s.Byte(',') {
			return false
		}
	}
}
