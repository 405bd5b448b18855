// Package docsrun reads the command lines a user is told to type in README.md
// and docs/*.md, so that tests can run them as printed and a coverage test
// can fail on any line that no test runs (ADR 042, docs/testing.md).
//
// A command line is a line of a fenced code block whose info string is sh,
// console, bash or shell. Blank lines and lines starting with # are not
// commands; a line ending in a backslash continues on the next one. Every
// fenced block must name its language: a command in a block without one
// could escape the check, so Parse refuses it (text, json, toml, ... are
// never commands). Commands inside prose (`...` spans) are not command lines:
// they are synopses (`citynode export FILE [FIRST LAST] --datadir DIR`)
// and references; a line a reader is meant to copy goes in a sh block.
package docsrun

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// ShellLangs are the info strings of fenced blocks whose lines are commands.
var ShellLangs = map[string]bool{"sh": true, "console": true, "bash": true, "shell": true}

// Command is one command line of a document, as printed.
type Command struct {
	File    string // path relative to the repository root, e.g. "docs/cityctl.md"
	Line    int    // 1-based line of its first physical line
	Text    string // the command as printed, continuation lines joined with "\\\n"
	Key     string // Text without its trailing comment, continuations joined by one space, trimmed
	Comment string // the trailing comment, without "#", trimmed
	Block   string // the `<!-- run: NAME -->` marker before the block, or ""
	Heading string // the nearest heading above the block, e.g. "## A real network"
}

// String is FILE:LINE: KEY, how messages name a command.
func (c Command) String() string { return fmt.Sprintf("%s:%d: %s", c.File, c.Line, c.Key) }

var (
	fenceRE  = regexp.MustCompile("^(\\s*)(```+|~~~+)\\s*([^\\s`]*)")
	markerRE = regexp.MustCompile(`^<!-- run: ([a-z0-9-]+) -->$`)
)

// Parse returns the command lines of the markdown file root/rel in order.
func Parse(root, rel string) ([]Command, error) {
	f, err := os.Open(filepath.Join(root, rel))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p := &mdParser{rel: rel}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if err := p.line(sc.Text()); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if p.in {
		return nil, fmt.Errorf("%s: a fenced block is not closed", rel)
	}
	return p.out, nil
}

// mdParser is Parse's state between the lines of one file.
type mdParser struct {
	rel       string
	lineNo    int
	out       []Command
	in, shell bool   // in a fenced block; in one of ShellLangs
	fence     string // the open block's fence
	marker    string // the run marker of the open block
	pending   string // the run marker seen since the last block, if nothing came after it
	heading   string
	cont      *Command // the command being read, until its last continuation line
	contLines []string
	contKeys  []string
}

// line reads the next line of the file.
func (p *mdParser) line(raw string) error {
	p.lineNo++
	trim := strings.TrimSpace(raw)
	if !p.in {
		if m := fenceRE.FindStringSubmatch(raw); m != nil {
			return p.openBlock(m)
		}
		p.prose(trim)
		return nil
	}
	if strings.HasPrefix(trim, p.fence) && strings.Trim(trim, p.fence[:1]) == "" {
		return p.closeBlock()
	}
	if p.shell {
		p.shellLine(trim)
	}
	return nil
}

// openBlock opens the fenced block of fenceRE's match m.
func (p *mdParser) openBlock(m []string) error {
	p.in, p.fence = true, m[2]
	lang := strings.ToLower(m[3])
	if lang == "" {
		return fmt.Errorf("%s:%d: a fenced block without a language: write ```sh for commands a reader types, ```text (or json, toml, ...) for anything else", p.rel, p.lineNo)
	}
	p.shell = ShellLangs[lang]
	p.marker, p.pending = p.pending, ""
	return nil
}

// prose reads a line outside blocks: a run marker, a heading, or text,
// which ends the marker's reach.
func (p *mdParser) prose(trim string) {
	if m := markerRE.FindStringSubmatch(trim); m != nil {
		p.pending = m[1]
	} else if strings.HasPrefix(trim, "#") {
		p.heading = trim
	} else if trim != "" {
		p.pending = ""
	}
}

// closeBlock closes the open block, which must not end inside a command.
func (p *mdParser) closeBlock() error {
	if p.cont != nil {
		return fmt.Errorf("%s:%d: the block ends after a line ending in a backslash", p.rel, p.lineNo)
	}
	p.in, p.shell = false, false
	return nil
}

// shellLine reads a line of a shell block: blank lines and comments between
// commands are passed over; a command ends at a line not ending in a
// backslash.
func (p *mdParser) shellLine(trim string) {
	if p.cont == nil && (trim == "" || strings.HasPrefix(trim, "#")) {
		return
	}
	if p.cont == nil {
		p.cont = &Command{File: p.rel, Line: p.lineNo, Block: p.marker, Heading: p.heading}
		p.contLines, p.contKeys = nil, nil
	}
	body, more := strings.CutSuffix(strings.TrimRight(trim, " \t"), "\\")
	p.contLines = append(p.contLines, trim)
	p.contKeys = append(p.contKeys, strings.TrimSpace(body))
	if more {
		return
	}
	p.cont.Text = strings.Join(p.contLines, "\n")
	p.cont.Key, p.cont.Comment = SplitComment(strings.Join(p.contKeys, " "))
	p.out = append(p.out, *p.cont)
	p.cont = nil
}

// SplitComment splits a shell line at its first # that starts a word
// outside quotes: the command, trimmed, and the comment without the #.
func SplitComment(line string) (string, string) {
	var quote rune
	prev := ' '
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			return strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		}
		prev = r
	}
	return strings.TrimSpace(line), ""
}

// Documents returns README.md and every docs/*.md of the repository at root,
// relative to it, sorted.
func Documents(root string) ([]string, error) {
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	out := []string{"README.md"}
	for _, d := range docs {
		rel, err := filepath.Rel(root, d)
		if err != nil {
			return nil, err
		}
		out = append(out, filepath.ToSlash(rel))
	}
	sort.Strings(out[1:])
	return out, nil
}

// All returns the command lines of every document of Documents.
func All(root string) ([]Command, error) {
	docs, err := Documents(root)
	if err != nil {
		return nil, err
	}
	var out []Command
	for _, d := range docs {
		cmds, err := Parse(root, d)
		if err != nil {
			return nil, err
		}
		out = append(out, cmds...)
	}
	return out, nil
}
