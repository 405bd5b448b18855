package jsonscan

import "testing"

func TestPlainReadsOnlyPlainStrings(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{
		{` "0xab" ,`, "0xab", true},
		{`""`, "", true},
		{`"a\"b"`, "", false}, // escapes are left to encoding/json
		{"\"a\u00e9\"", "", false},
		{"\"a\tb\"", "", false},
		{`"open`, "", false},
		{`12`, "", false},
	} {
		p := Scanner{In: []byte(c.in)}
		got, ok := p.Plain()
		if ok != c.ok || string(got) != c.want {
			t.Errorf("Plain(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestByteAndEnd(t *testing.T) {
	p := Scanner{In: []byte(" [ \n] \t")}
	if !p.Byte('[') || p.Byte('{') || !p.Byte(']') || !p.End() {
		t.Fatalf("scanner at %d of %q", p.Pos, p.In)
	}
	if q := (Scanner{In: []byte("[x")}); !q.Byte('[') || q.End() {
		t.Fatal("End true with input left")
	}
}
