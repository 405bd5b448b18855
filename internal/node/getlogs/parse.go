package getlogs

import (
	"encoding/json"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/filters"

	"github.com/citychain/citychain/internal/node/ethcall"
)

// query is a plain eth_getLogs: numbered blocks, addresses and topics.
type query struct {
	id        json.RawMessage
	from, to  uint64
	addresses []common.Address
	topics    [][]common.Hash
}

// message is one JSON-RPC request object, decoded as geth decodes it.
type message struct {
	Version string            `json:"jsonrpc"`
	ID      json.RawMessage   `json:"id"`
	Method  string            `json:"method"`
	Params  []json.RawMessage `json:"params"`
}

// maxTopics is geth's limit on topic positions (its errExceedMaxTopics).
const maxTopics = 4

// parse decodes body if it is a single eth_getLogs whose filter has a
// numbered fromBlock and toBlock, from <= to, and only address and topics
// besides: the filter itself is decoded by geth's own FilterCriteria, so
// what it means is what geth reads. ok false for anything else.
func parse(body []byte) (q query, ok bool) {
	var msg message
	if err := json.Unmarshal(body, &msg); err != nil {
		return q, false // a batch, or anything geth must answer
	}
	if msg.Version != "2.0" || msg.Method != "eth_getLogs" || !ethcall.PlainID(msg.ID) || len(msg.Params) != 1 {
		return q, false
	}
	if !plainMembers(msg.Params[0]) {
		return q, false
	}
	var crit filters.FilterCriteria
	if err := crit.UnmarshalJSON(msg.Params[0]); err != nil {
		return q, false
	}
	if crit.BlockHash != nil || crit.FromBlock == nil || crit.ToBlock == nil ||
		crit.FromBlock.Sign() < 0 || crit.ToBlock.Sign() < 0 || !crit.FromBlock.IsInt64() || !crit.ToBlock.IsInt64() {
		return q, false // block tags, a block hash, or geth's defaults: geth's
	}
	q.from, q.to = crit.FromBlock.Uint64(), crit.ToBlock.Uint64()
	if q.from > q.to || len(crit.Topics) > maxTopics {
		return q, false // geth's errors
	}
	q.id, q.addresses, q.topics = msg.ID, crit.Addresses, crit.Topics
	return q, true
}

// plainMembers reports whether the filter object has only the members the
// fast path reads (names matched as encoding/json matches them, ignoring
// case): fromBlock, toBlock, address, topics. A blockHash, even null, or any
// other member sends the request to geth.
func plainMembers(raw json.RawMessage) bool {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return false
	}
	for k := range members {
		switch strings.ToLower(k) {
		case "fromblock", "toblock", "address", "topics":
		default:
			return false
		}
	}
	return true
}

// match is geth's filterLogs test of one log (addresses any of, each topic
// position any of, an empty position any topic).
func (q *query) match(l *types.Log) bool {
	if len(q.addresses) > 0 && !containsAddr(q.addresses, l.Address) {
		return false
	}
	if len(q.topics) > len(l.Topics) {
		return false
	}
	for i, sub := range q.topics {
		if len(sub) != 0 && !containsHash(sub, l.Topics[i]) {
			return false
		}
	}
	return true
}

// bloomMatch reports whether a block with bloom may hold a matching log.
func (q *query) bloomMatch(bloom types.Bloom) bool {
	if len(q.addresses) > 0 {
		found := false
		for _, a := range q.addresses {
			if types.BloomLookup(bloom, a) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for _, sub := range q.topics {
		if len(sub) == 0 {
			continue
		}
		found := false
		for _, t := range sub {
			if types.BloomLookup(bloom, t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func containsAddr(s []common.Address, a common.Address) bool {
	for i := range s {
		if s[i] == a {
			return true
		}
	}
	return false
}

func containsHash(s []common.Hash, h common.Hash) bool {
	for i := range s {
		if s[i] == h {
			return true
		}
	}
	return false
}
