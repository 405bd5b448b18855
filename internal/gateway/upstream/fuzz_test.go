package upstream

import "testing"

// FuzzParseAt reads ?at= values: no input panics, and a value that parses
// prints back to one that parses to the same block.
func FuzzParseAt(f *testing.F) {
	for _, s := range []string{"", "finalized", "latest", "0", "123", "0x1f", "0x", "-1", "18446744073709551616", "pending"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseAt(s)
		if err != nil {
			return
		}
		again, err := ParseAt(at.String())
		if err != nil || again != at {
			t.Fatalf("ParseAt(%q) = %+v, printed %q parses to %+v, %v", s, at, at.String(), again, err)
		}
	})
}
