// Package jsonscan is the shared core of the hand-written JSON readers of
// hot paths (citygate's ballot body, its relayer's receipts, the node's plain
// eth_call requests, the eth_getLogs answers internal/client/logpage reads):
// a cursor over the input that reads white space, single bytes and plain
// strings, and refuses anything else so that its caller can hand the input
// to encoding/json instead.
package jsonscan

// Scanner is a position in In.
type Scanner struct {
	In  []byte
	Pos int
}

// Space steps over JSON white space.
func (p *Scanner) Space() {
	for p.Pos < len(p.In) {
		switch p.In[p.Pos] {
		case ' ', '\t', '\n', '\r':
			p.Pos++
		default:
			return
		}
	}
}

// Byte consumes c after white space, if it is next.
func (p *Scanner) Byte(c byte) bool {
	p.Space()
	if p.Pos < len(p.In) && p.In[p.Pos] == c {
		p.Pos++
		return true
	}
	return false
}

// End reports whether only white space is left.
func (p *Scanner) End() bool {
	p.Space()
	return p.Pos == len(p.In)
}

// Plain reads a string of printable ASCII without escapes, returning its
// content (a slice of the input); false for any other string.
func (p *Scanner) Plain() ([]byte, bool) {
	if !p.Byte('"') {
		return nil, false
	}
	start := p.Pos
	for ; p.Pos < len(p.In); p.Pos++ {
		switch c := p.In[p.Pos]; {
		case c == '"':
			p.Pos++
			return p.In[start : p.Pos-1], true
		case c == '\\' || c < 0x20 || c >= 0x7f:
			return nil, false
		}
	}
	return nil, false
}
