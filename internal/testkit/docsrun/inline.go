package docsrun

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Inline is a command of the project's binaries named in prose: a code span
// such as `cityctl genesis convert --out genesis.json geth-genesis.json`.
// Such spans are synopses, not command lines (ADR 042), but the command they
// name must exist: Path is the binary and its subcommand words.
type Inline struct {
	File string
	Line int
	Span string
	Path []string
}

var (
	spanRE     = regexp.MustCompile("`([^`]+)`")
	binaryRE   = regexp.MustCompile(`^(?:build/bin/)?(citynode|cityctl|citygate|citybench)$`)
	cmdWordRE  = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	inlineBins = map[string]bool{"citynode": true, "cityctl": true, "citygate": true, "citybench": true}
)

// InlineCommands returns the commands of the binaries named in code spans of
// the prose (outside fenced blocks) of README.md and docs/*.md.
func InlineCommands(root string) ([]Inline, error) {
	docs, err := Documents(root)
	if err != nil {
		return nil, err
	}
	var out []Inline
	for _, doc := range docs {
		data, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			return nil, err
		}
		in := false
		var fence string
		for i, line := range strings.Split(string(data), "\n") {
			if m := fenceRE.FindStringSubmatch(line); m != nil && !in {
				in, fence = true, m[2]
				continue
			}
			if in {
				if t := strings.TrimSpace(line); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
					in = false
				}
				continue
			}
			for _, m := range spanRE.FindAllStringSubmatch(line, -1) {
				words := strings.Fields(m[1])
				if len(words) == 0 {
					continue
				}
				b := binaryRE.FindStringSubmatch(words[0])
				if b == nil || !inlineBins[b[1]] {
					continue
				}
				path := []string{b[1]}
				for _, w := range words[1:] {
					if !cmdWordRE.MatchString(w) {
						break
					}
					path = append(path, w)
				}
				out = append(out, Inline{File: doc, Line: i + 1, Span: m[1], Path: path})
			}
		}
	}
	return out, nil
}

// String is FILE:LINE: `SPAN`.
func (c Inline) String() string { return fmt.Sprintf("%s:%d: `%s`", c.File, c.Line, c.Span) }
