package api

import (
	"encoding/hex"
	"math"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/ballots"
)

// fastBallot reads a posted ballot in the form clients send it (`cityctl
// poll sign-ballot`'s JSON line, the Active Citizen app's): one object of
// the ballot's members, each at most once and spelled as documented,
// integers in decimal, 0x-hex strings without escapes. It reports false for
// anything else, which the caller then reads with encoding/json (and its
// error messages): so it takes a subset of what decodeBallot's slow path
// takes, and gives the same ballot for it (FuzzDecodeBallot compares the
// two). encoding/json with reflection was ~30 us of a ballot's gateway CPU
// at W6 (docs/benchmarks.md), this ~2 us.
func fastBallot(body []byte, poll uint64) (ballots.Ballot, bool) {
	p := jsonScan{in: body}
	var (
		b            = ballots.Ballot{Poll: poll}
		seen         [6]bool
		sig          string
		postedPoll   uint64
		postedPollOK bool
	)
	if !p.byte('{') {
		return b, false
	}
	for first := true; ; first = false {
		if p.byte('}') {
			break
		}
		if !first && !p.byte(',') {
			return b, false
		}
		name, ok := p.str()
		if !ok || !p.byte(':') {
			return b, false
		}
		field := fieldIndex(name)
		if field < 0 || seen[field] {
			return b, false
		}
		seen[field] = true
		switch field {
		case 0:
			postedPoll, postedPollOK = p.uint(math.MaxUint64)
			ok = postedPollOK
		case 1:
			var v uint64
			v, ok = p.uint(math.MaxUint32)
			b.Option = uint32(v)
		case 2:
			ok = p.hex(b.Voter[:])
		case 3:
			var v uint64
			v, ok = p.uint(math.MaxUint32)
			b.VoterIndex = uint32(v)
		case 4:
			var s []byte
			s, ok = p.str()
			sig = string(s)
		case 5:
			b.Proof, ok = p.hashes()
		}
		if !ok {
			return b, false
		}
	}
	if !p.end() || !seen[1] || !seen[2] || !seen[4] || !seen[5] {
		return b, false
	}
	if postedPollOK && postedPoll != 0 && postedPoll != poll {
		return b, false
	}
	if b.SetSignature(sig) != nil {
		return b, false
	}
	return b, true
}

// fieldIndex numbers a ballot's members as ballotFields does, -1 for any
// other name.
func fieldIndex(name []byte) int {
	for i, f := range ballotFields {
		if string(name) == f {
			return i
		}
	}
	return -1
}

// jsonScan reads the few JSON forms of a ballot.
type jsonScan struct {
	in  []byte
	pos int
}

func (p *jsonScan) space() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// byte consumes c after white space, if it is next.
func (p *jsonScan) byte(c byte) bool {
	p.space()
	if p.pos < len(p.in) && p.in[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (p *jsonScan) end() bool {
	p.space()
	return p.pos == len(p.in)
}

// str reads a string of printable ASCII without escapes, returning its
// content (a slice of the input).
func (p *jsonScan) str() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start := p.pos
	for ; p.pos < len(p.in); p.pos++ {
		switch c := p.in[p.pos]; {
		case c == '"':
			p.pos++
			return p.in[start : p.pos-1], true
		case c == '\\' || c < 0x20 || c >= 0x7f:
			return nil, false
		}
	}
	return nil, false
}

// uint reads a decimal integer of at most max, as JSON writes it (no sign,
// no leading zero, no fraction or exponent).
func (p *jsonScan) uint(max uint64) (uint64, bool) {
	p.space()
	start := p.pos
	var v uint64
	for ; p.pos < len(p.in) && p.in[p.pos] >= '0' && p.in[p.pos] <= '9'; p.pos++ {
		d := uint64(p.in[p.pos] - '0')
		if v > (max-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	n := p.pos - start
	if n == 0 || (n > 1 && p.in[start] == '0') {
		return 0, false
	}
	if p.pos < len(p.in) {
		switch p.in[p.pos] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	return v, true
}

// hex reads a string of "0x" and exactly 2*len(out) hex digits into out.
func (p *jsonScan) hex(out []byte) bool {
	s, ok := p.str()
	if !ok || len(s) != 2+2*len(out) || s[0] != '0' || s[1] != 'x' {
		return false
	}
	_, err := hex.Decode(out, s[2:])
	return err == nil
}

// hashes reads an array of 0x-hex 32-byte strings.
func (p *jsonScan) hashes() ([]common.Hash, bool) {
	if !p.byte('[') {
		return nil, false
	}
	out := make([]common.Hash, 0, 24)
	if p.byte(']') {
		return out, true
	}
	for {
		var h common.Hash
		if !p.hex(h[:]) {
			return nil, false
		}
		out = append(out, h)
		if p.byte(']') {
			return out, true
		}
		if !p.byte(',') {
			return nil, false
		}
	}
}
