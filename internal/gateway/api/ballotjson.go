package api

import (
	"encoding/hex"
	"math"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/jsonscan"
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
	p := jsonScan{jsonscan.Scanner{In: body}}
	var (
		b            = ballots.Ballot{Poll: poll}
		seen         [6]bool
		sig          string
		postedPoll   uint64
		postedPollOK bool
	)
	if !p.Byte('{') {
		return b, false
	}
	for first := true; ; first = false {
		if p.Byte('}') {
			break
		}
		if !first && !p.Byte(',') {
			return b, false
		}
		name, ok := p.Plain()
		if !ok || !p.Byte(':') {
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
			s, ok = p.Plain()
			sig = string(s)
		case 5:
			b.Proof, ok = p.hashes()
		}
		if !ok {
			return b, false
		}
	}
	if !p.End() || !seen[1] || !seen[2] || !seen[4] || !seen[5] {
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
type jsonScan struct{ jsonscan.Scanner }

// uint reads a decimal integer of at most max, as JSON writes it (no sign,
// no leading zero, no fraction or exponent).
func (p *jsonScan) uint(max uint64) (uint64, bool) {
	p.Space()
	start := p.Pos
	var v uint64
	for ; p.Pos < len(p.In) && p.In[p.Pos] >= '0' && p.In[p.Pos] <= '9'; p.Pos++ {
		d := uint64(p.In[p.Pos] - '0')
		if v > (max-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	n := p.Pos - start
	if n == 0 || (n > 1 && p.In[start] == '0') {
		return 0, false
	}
	if p.Pos < len(p.In) {
		switch p.In[p.Pos] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	return v, true
}

// hex reads a string of "0x" and exactly 2*len(out) hex digits into out.
func (p *jsonScan) hex(out []byte) bool {
	s, ok := p.Plain()
	if !ok || len(s) != 2+2*len(out) || s[0] != '0' || s[1] != 'x' {
		return false
	}
	_, err := hex.Decode(out, s[2:])
	return err == nil
}

// hashes reads an array of 0x-hex 32-byte strings.
func (p *jsonScan) hashes() ([]common.Hash, bool) {
	if !p.Byte('[') {
		return nil, false
	}
	out := make([]common.Hash, 0, 24)
	if p.Byte(']') {
		return out, true
	}
	for {
		var h common.Hash
		if !p.hex(h[:]) {
			return nil, false
		}
		out = append(out, h)
		if p.Byte(']') {
			return out, true
		}
		if !p.Byte(',') {
			return nil, false
		}
	}
}
