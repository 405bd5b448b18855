package docsrun

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInlineCommandsExist: every command of our binaries that the prose of
// README.md and docs/*.md names in a code span exists: `BINARY WORDS
// --help` prints that very command's help (a code span may stop at a
// positional argument written in lower case: its help is the command's).
func TestInlineCommandsExist(t *testing.T) {
	t.Parallel() // the documents' chains mostly wait for blocks
	bin := binaries(t)
	spans, err := InlineCommands(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) < 20 {
		t.Fatalf("%d commands named in prose: the scanner misses them", len(spans))
	}
	checked := map[string]string{}
	for _, c := range spans {
		path := strings.Join(c.Path, " ")
		if msg, ok := checked[path]; ok {
			if msg != "" {
				t.Errorf("%s\n\t%s", c, msg)
			}
			continue
		}
		msg := "names no command of " + c.Path[0] + ": fix the text (or the tool)"
		// The longest prefix of the words that is a command; the words after
		// it are positional arguments in lower case (cityctl testnet stop
		// signer2), which only a command without subcommands takes.
		for n := len(c.Path); n >= 1; n-- {
			out, err := exec.Command(filepath.Join(bin, c.Path[0]), append(c.Path[1:n:n], "--help")...).CombinedOutput()
			if err != nil || !strings.Contains(string(out), strings.Join(c.Path[:n], " ")+" - ") {
				continue
			}
			msg = ""
			if n < len(c.Path) && strings.Contains(string(out), "COMMANDS:") {
				msg = fmt.Sprintf("%q is not a command of `%s` (see %s --help): fix the text (or the tool)", c.Path[n], strings.Join(c.Path[:n], " "), strings.Join(c.Path[:n], " "))
			}
			break
		}
		checked[path] = msg
		if msg != "" {
			t.Errorf("%s\n\t%s", c, msg)
		}
	}
	t.Logf("%d commands named in prose, %d distinct", len(spans), len(checked))
}
