package docsrun

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cmds, err := Parse("testdata", "sample.md")
	if err != nil {
		t.Fatal(err)
	}
	want := []Command{
		{File: "sample.md", Line: 6, Text: "make run    # a comment", Key: "make run", Comment: "a comment", Heading: "# Title"},
		{File: "sample.md", Line: 9, Text: "cityctl poll relay --poll 1 \\\n--key relayer.key   # joined", Key: "cityctl poll relay --poll 1 --key relayer.key", Comment: "joined", Heading: "# Title"},
		{File: "sample.md", Line: 11, Text: `echo '# not a comment' "a # b"; ls`, Key: `echo '# not a comment' "a # b"; ls`, Heading: "# Title"},
		{File: "sample.md", Line: 16, Text: "citynode version", Key: "citynode version", Block: "named", Heading: "# Title"},
	}
	if !reflect.DeepEqual(cmds, want) {
		t.Errorf("have\n%#v\nwant\n%#v", cmds, want)
	}
}

func TestParseRefusesBlockWithoutLanguage(t *testing.T) {
	_, err := Parse("testdata", "nolang.md")
	if err == nil || !strings.Contains(err.Error(), "nolang.md:1: a fenced block without a language") {
		t.Errorf("have %v, want the file, line and what to write", err)
	}
}

func TestSplitComment(t *testing.T) {
	for in, want := range map[string][2]string{
		"a b # c":            {"a b", "c"},
		"a#b":                {"a#b", ""},
		`a "#b" # c`:         {`a "#b"`, "c"},
		"a '# x' 'y'#z":      {"a '# x' 'y'#z", ""},
		"cmd   #   spaced  ": {"cmd", "spaced"},
	} {
		if c, k := SplitComment(in); c != want[0] || k != want[1] {
			t.Errorf("SplitComment(%q) = %q, %q; want %q, %q", in, c, k, want[0], want[1])
		}
	}
}

// TestDocumentsParse: every document of the repository parses (every fenced
// block names its language).
func TestDocumentsParse(t *testing.T) {
	cmds, err := All(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) < 50 {
		t.Errorf("%d command lines in README.md and docs/*.md: the parser misses blocks", len(cmds))
	}
}

// repoRoot is the repository, from this package's directory.
const repoRoot = "../../.."
