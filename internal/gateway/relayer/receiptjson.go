package relayer

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/citychain/citychain/internal/jsonscan"
)

// UnmarshalJSON reads a receipt with fastReceipt, or with encoding/json if
// it is in any other form. A relay's receipt holds one log per ballot, and
// encoding/json's reflection over their fields was the relayer's largest
// cost per ballot (docs/benchmarks.md, W6).
func (r *relayReceipt) UnmarshalJSON(data []byte) error {
	if fastReceipt(data, r) {
		return nil
	}
	type plain relayReceipt
	*r = relayReceipt{}
	return json.Unmarshal(data, (*plain)(r))
}

// fastReceipt reads a receipt as nodes write it: the fields relayReceipt
// has, each at most once, as 0x-hex strings in go-ethereum's canonical
// form (lower case, quantities without leading zeros), any other member
// skipped. It reports false, with r in any state, for anything else (a
// member named like one of relayReceipt's in other letter case, a null, an
// escape in a field read): encoding/json then reads it, so it takes a
// subset of what encoding/json takes and reads it the same
// (TestFastReceipt compares them).
func fastReceipt(data []byte, r *relayReceipt) bool {
	p := scan{jsonscan.Scanner{In: data}}
	return p.receipt(r) && p.End()
}

// receipt reads a receipt as fastReceipt does.
func (p *scan) receipt(r *relayReceipt) bool {
	*r = relayReceipt{}
	var seen [4]bool
	return p.object(func(name []byte) bool {
		switch string(name) {
		case "status":
			return once(&seen[0]) && p.quantity((*uint64)(&r.Status))
		case "blockNumber":
			return once(&seen[1]) && p.quantity((*uint64)(&r.BlockNumber))
		case "gasUsed":
			return once(&seen[2]) && p.quantity((*uint64)(&r.GasUsed))
		case "logs":
			return once(&seen[3]) && p.logs(&r.Logs)
		}
		return !foldsTo(name, "status", "blockNumber", "gasUsed", "logs") && p.skip()
	})
}

// once marks a member seen, false if it was already.
func once(seen *bool) bool {
	if *seen {
		return false
	}
	*seen = true
	return true
}

// foldsTo reports whether name is one of names in other letter case, which
// encoding/json would read into that field.
func foldsTo(name []byte, names ...string) bool {
	for _, n := range names {
		if strings.EqualFold(string(name), n) {
			return true
		}
	}
	return false
}

// logs reads an array of logs.
func (p *scan) logs(out *[]relayLog) bool {
	if !p.Byte('[') {
		return false
	}
	logs := make([]relayLog, 0, 128)
	if !p.Byte(']') {
		for {
			var l relayLog
			if !p.log(&l) {
				return false
			}
			logs = append(logs, l)
			if p.Byte(']') {
				break
			}
			if !p.Byte(',') {
				return false
			}
		}
	}
	*out = logs
	return true
}

// log reads one log's fields, skipping the others.
func (p *scan) log(l *relayLog) bool {
	var seen [5]bool
	return p.object(func(name []byte) bool {
		switch string(name) {
		case "address":
			return once(&seen[0]) && p.fixed(l.Address[:])
		case "topics":
			return once(&seen[1]) && p.topics(&l.Topics)
		case "data":
			return once(&seen[2]) && p.bytes((*[]byte)(&l.Data))
		case "logIndex":
			var v uint64
			ok := once(&seen[3]) && p.quantity(&v)
			l.Index = hexutil.Uint(v)
			return ok
		case "removed":
			return once(&seen[4]) && p.boolean(&l.Removed)
		}
		return !foldsTo(name, "address", "topics", "data", "logIndex", "removed") && p.skip()
	})
}

func (p *scan) topics(out *[]common.Hash) bool {
	if !p.Byte('[') {
		return false
	}
	topics := make([]common.Hash, 0, 4)
	if !p.Byte(']') {
		for {
			var h common.Hash
			if !p.fixed(h[:]) {
				return false
			}
			topics = append(topics, h)
			if p.Byte(']') {
				break
			}
			if !p.Byte(',') {
				return false
			}
		}
	}
	*out = topics
	return true
}

// scan reads JSON in the forms fastReceipt takes.
type scan struct{ jsonscan.Scanner }

// object reads an object, calling member with each member's name (the
// scanner then stands on its value, which member reads).
func (p *scan) object(member func(name []byte) bool) bool {
	if !p.Byte('{') {
		return false
	}
	if p.Byte('}') {
		return true
	}
	for {
		name, ok := p.Plain()
		if !ok || !p.Byte(':') || !member(name) {
			return false
		}
		if p.Byte('}') {
			return true
		}
		if !p.Byte(',') {
			return false
		}
	}
}

// lowerHex reports whether s is lower-case hex digits only.
func lowerHex(s []byte) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// quantity reads "0x0" or "0x" and up to 16 hex digits without a leading zero.
func (p *scan) quantity(v *uint64) bool {
	s, ok := p.Plain()
	if !ok || len(s) < 3 || len(s) > 18 || s[0] != '0' || s[1] != 'x' || (s[2] == '0' && len(s) > 3) || !lowerHex(s[2:]) {
		return false
	}
	var n uint64
	for _, c := range s[2:] {
		d := uint64(c - '0')
		if c >= 'a' {
			d = uint64(c-'a') + 10
		}
		n = n<<4 | d
	}
	*v = n
	return true
}

// fixed reads "0x" and exactly 2*len(out) lower-case hex digits.
func (p *scan) fixed(out []byte) bool {
	s, ok := p.Plain()
	if !ok || len(s) != 2+2*len(out) || s[0] != '0' || s[1] != 'x' || !lowerHex(s[2:]) {
		return false
	}
	_, err := hex.Decode(out, s[2:])
	return err == nil
}

// bytes reads "0x" and an even number of lower-case hex digits.
func (p *scan) bytes(out *[]byte) bool {
	s, ok := p.Plain()
	if !ok || len(s) < 2 || len(s)%2 != 0 || s[0] != '0' || s[1] != 'x' || !lowerHex(s[2:]) {
		return false
	}
	b := make([]byte, (len(s)-2)/2)
	if _, err := hex.Decode(b, s[2:]); err != nil {
		return false
	}
	*out = b
	return true
}

func (p *scan) boolean(v *bool) bool {
	switch {
	case p.literal("true"):
		*v = true
	case p.literal("false"):
		*v = false
	default:
		return false
	}
	return true
}

// literal consumes lit after white space, if it is next.
func (p *scan) literal(lit string) bool {
	p.Space()
	if !bytes.HasPrefix(p.In[p.Pos:], []byte(lit)) {
		return false
	}
	p.Pos += len(lit)
	return true
}

// skip steps over a value of a member relayReceipt does not read: a string
// of printable ASCII without escapes, an integer, true, false, null, or an
// array or object of those. Anything else is left to encoding/json.
func (p *scan) skip() bool {
	p.Space()
	if p.Pos >= len(p.In) {
		return false
	}
	switch c := p.In[p.Pos]; {
	case c == '"':
		return p.skipString()
	case c == '{':
		return p.object(func([]byte) bool { return p.skip() })
	case c == '[':
		p.Pos++
		if p.Byte(']') {
			return true
		}
		for {
			if !p.skip() {
				return false
			}
			if p.Byte(']') {
				return true
			}
			if !p.Byte(',') {
				return false
			}
		}
	case c == '-' || (c >= '0' && c <= '9'):
		return p.skipNumber()
	}
	return p.literal("true") || p.literal("false") || p.literal("null")
}

func (p *scan) skipString() bool {
	_, ok := p.Plain()
	return ok
}

func (p *scan) skipNumber() bool {
	start := p.Pos
	for p.Pos < len(p.In) && p.In[p.Pos] >= '0' && p.In[p.Pos] <= '9' {
		p.Pos++
	}
	n := p.Pos - start
	if n == 0 || (n > 1 && p.In[start] == '0') {
		return false
	}
	return p.Pos == len(p.In) || !strings.ContainsRune(".eE-+", rune(p.In[p.Pos]))
}
