package genesis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/xrash/smetrics"
)

// Load reads the genesis JSON file at path with Decode's rules. Every error
// names the file; decoding errors also give the line and column.
func Load(path string) (*core.Genesis, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load genesis: %w", err)
	}
	return decode(data, path)
}

// Decode reads a genesis in go-ethereum's core.Genesis JSON format, strictly,
// and validates it. Unlike go-ethereum it refuses unknown and duplicate keys in
// the top-level object, config, config.clique and the alloc accounts (naming the
// key, its line and column and the likely intended key), and data after the
// genesis object. A JSON syntax error reports its line and column. The decoded
// genesis must then pass Validate.
func Decode(r io.Reader) (*core.Genesis, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read genesis: %w", err)
	}
	return decode(data, "")
}

// decode decodes and validates data; name is the file name used in errors.
func decode(data []byte, name string) (*core.Genesis, error) {
	w := &walker{data: data, name: name, dec: json.NewDecoder(bytes.NewReader(data))}
	if err := w.document(); err != nil {
		return nil, join("", []error{err})
	}
	if len(w.errs) > 0 {
		return nil, join("", w.errs)
	}
	g := new(core.Genesis)
	if err := json.Unmarshal(data, g); err != nil {
		return nil, join("", []error{w.unmarshalError(err)})
	}
	// Why: go-ethereum ignores config.citychain, so a wrong value there
	// would pass unnoticed.
	if _, err := DecodeExtension(data); err != nil {
		return nil, join(name, []error{err})
	}
	if err := join(name, validate(g)); err != nil {
		return nil, err
	}
	return g, nil
}

// walker walks the JSON tokens of a genesis before it is decoded, to report
// syntax errors with their position and keys go-ethereum would silently ignore
// or overwrite, and to locate the field at fault when decoding fails.
type walker struct {
	data []byte
	name string // file name for positions, "" if none
	dec  *json.Decoder
	root []*field // the keys of the top-level object
	errs []error  // problems found so far that do not stop the walk
}

// field is a key of a checked object (the top level, config, config.clique,
// alloc and its accounts) and the span of its value.
type field struct {
	key        string
	keyOff     int64    // offset of the key
	start, end int64    // offsets of the value
	children   []*field // keys of the value if it is a checked object
}

// document walks the whole input: one JSON object and nothing after it.
func (w *walker) document() error {
	start := w.next()
	tok, err := w.dec.Token()
	if err != nil {
		return w.syntaxError(err)
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("%s: %w: have %s, want a JSON object ({...}) holding the genesis", w.pos(start), ErrMalformed, describe(tok))
	}
	if w.root, err = w.object(nil); err != nil {
		return err
	}
	// Why: data after the object (a second object, a stray brace) is a sign of a
	// damaged file that a plain decoder would not notice.
	end := w.next()
	if _, err := w.dec.Token(); err != io.EOF {
		if err != nil {
			return w.syntaxError(err)
		}
		return fmt.Errorf("%s: %w: data after the genesis object, want the end of the input; remove it", w.pos(end), ErrSyntax)
	}
	return nil
}

// value walks one JSON value whose first token is tok, returning the keys of
// a checked object.
func (w *walker) value(path []string, tok json.Token) ([]*field, error) {
	switch tok {
	case json.Delim('{'):
		return w.object(path)
	case json.Delim('['):
		for w.dec.More() {
			tok, err := w.dec.Token()
			if err != nil {
				return nil, w.syntaxError(err)
			}
			if _, err := w.value(append(path, "[]"), tok); err != nil {
				return nil, err
			}
		}
		if _, err := w.dec.Token(); err != nil {
			return nil, w.syntaxError(err)
		}
	}
	return nil, nil
}

// object walks the keys and values of an object whose '{' has been read,
// checking keys against the fields go-ethereum decodes at that path. It
// returns the keys if the object is checked.
func (w *walker) object(path []string) ([]*field, error) {
	var (
		known, checked = knownKeys(path)
		alloc          = len(path) == 1 && path[0] == "alloc"
		seen           = make(map[string]int64)
		fields         []*field
	)
	for w.dec.More() {
		keyOff := w.next()
		tok, err := w.dec.Token()
		if err != nil {
			return nil, w.syntaxError(err)
		}
		key := tok.(string) // the decoder returns object keys as strings
		name := strings.Join(append(slices.Clone(path), key), ".")

		id := key
		if alloc {
			// Checked here: a bad address would fail the decoding of every
			// field of its account.
			var addr common.UnprefixedAddress
			if err := addr.UnmarshalText([]byte(key)); err != nil {
				w.errs = append(w.errs, fmt.Errorf("%s: %s: %w: have %q, want a 20-byte hex address: %v", w.pos(keyOff), name, ErrMalformed, key, err))
			}
			id = common.Address(addr).Hex() // "0xAb.." and "ab.." are the same account
		}
		if first, dup := seen[id]; dup {
			w.errs = append(w.errs, fmt.Errorf("%s: %s: %w: first given at %s, want each key once (a decoder keeps only the last); remove one", w.pos(keyOff), name, ErrDuplicateField, w.linecol(first)))
		}
		seen[id] = keyOff
		if known != nil && !slices.Contains(known, key) {
			w.errs = append(w.errs, fmt.Errorf("%s: %s: %w: go-ethereum would ignore it; %s", w.pos(keyOff), name, ErrUnknownField, hint(key, known)))
		}
		start := w.next()
		if tok, err = w.dec.Token(); err != nil {
			return nil, w.syntaxError(err)
		}
		children, err := w.value(append(path, key), tok)
		if err != nil {
			return nil, err
		}
		if checked {
			fields = append(fields, &field{key: key, keyOff: keyOff, start: start, end: w.dec.InputOffset(), children: children})
		}
	}
	if _, err := w.dec.Token(); err != nil {
		return nil, w.syntaxError(err)
	}
	return fields, nil
}

// next returns the offset of the next token, skipping the whitespace and
// separators the decoder has not consumed yet.
func (w *walker) next() int64 {
	off := w.dec.InputOffset()
	for off < int64(len(w.data)) && strings.IndexByte(" \t\r\n,:", w.data[off]) >= 0 {
		off++
	}
	return off
}

// syntaxError converts a decoder error into an ErrSyntax with a position.
func (w *walker) syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// The decoder's offsets inside a value are inexact; a validating scan
		// of the whole input stops right after the offending byte.
		off := se.Offset
		if verr := json.Unmarshal(w.data, new(json.RawMessage)); errors.As(verr, &se) {
			off = se.Offset - 1
		}
		return fmt.Errorf("%s: %w: %s", w.pos(off), ErrSyntax, se.Error())
	case err == io.EOF && len(bytes.TrimSpace(w.data)) == 0:
		return fmt.Errorf("%s: %w: empty input, want a JSON object holding the genesis", w.pos(0), ErrSyntax)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: %w: unexpected end of input; look for a missing closing brace, bracket or quote", w.pos(int64(len(w.data))), ErrSyntax)
	}
	return fmt.Errorf("%w: %v", ErrSyntax, err)
}

// unmarshalError converts an error of json.Unmarshal into core.Genesis into an
// ErrMalformed naming the field at fault and the position of its key.
//
// go-ethereum's decoders mostly return errors without the field, so the field
// is found by decoding each checked key alone, wrapped in its enclosing
// objects: decoding decodes every present field before it checks for missing
// required ones, so the key whose lone decoding fails other than with a
// missing field is at fault. A missing required field is found by its name.
func (w *walker) unmarshalError(err error) error {
	var (
		fields = w.root
		path   []string
		at     *field
	)
	if name, typ, ok := missingField(err); ok {
		// gencodec: "missing required field 'balance' for Account"
		switch typ {
		case "Genesis":
			return fmt.Errorf("%s: %s: %w: have no %q (absent or null), want one; %v", w.pos(0), name, ErrMalformed, name, err)
		case "Account":
			for _, acc := range alloc(w.root) {
				if !slices.ContainsFunc(acc.children, func(f *field) bool { return f.key == name }) {
					return fmt.Errorf("%s: alloc.%s: %w: have no %q (absent or null), want one; %v", w.pos(acc.keyOff), acc.key, ErrMalformed, name, err)
				}
			}
		}
		return fmt.Errorf("%s: %w: %v", w.where(), ErrMalformed, err)
	}
descend:
	for {
		for _, f := range fields {
			probe := append(slices.Clone(path), f.key)
			if perr := probeDecode(probe, w.data[f.start:f.end]); perr != nil {
				path, at, fields, err = probe, f, f.children, perr
				continue descend
			}
		}
		break
	}
	if at == nil {
		return fmt.Errorf("%s: %w: %v", w.where(), ErrMalformed, err)
	}
	return fmt.Errorf("%s: %s: %w: %v", w.pos(at.keyOff), strings.Join(path, "."), ErrMalformed, err)
}

// probeDecode decodes a document holding only value, at path, into a
// core.Genesis and returns the error, ignoring missing required fields.
func probeDecode(path []string, value []byte) error {
	var b bytes.Buffer
	for _, key := range path {
		k, _ := json.Marshal(key)
		b.WriteByte('{')
		b.Write(k)
		b.WriteByte(':')
	}
	b.Write(value)
	b.Write(bytes.Repeat([]byte{'}'}, len(path)))

	err := json.Unmarshal(b.Bytes(), new(core.Genesis))
	if _, _, missing := missingField(err); missing {
		return nil
	}
	return err
}

// alloc returns the account keys under the top-level alloc key.
func alloc(root []*field) []*field {
	for _, f := range root {
		if f.key == "alloc" {
			return f.children
		}
	}
	return nil
}

// missingField parses gencodec's "missing required field 'name' for Type".
func missingField(err error) (name, typ string, ok bool) {
	if err == nil {
		return "", "", false
	}
	rest, ok := strings.CutPrefix(err.Error(), "missing required field '")
	if !ok {
		return "", "", false
	}
	name, typ, ok = strings.Cut(rest, "' for ")
	return name, typ, ok
}

// pos returns "name:line:col" for a byte offset, or "line L, column C" without
// a file name.
func (w *walker) pos(off int64) string {
	if w.name == "" {
		line, col := lineCol(w.data, off)
		return fmt.Sprintf("line %d, column %d", line, col)
	}
	return w.name + ":" + w.linecol(off)
}

// linecol returns "line:col" for a byte offset.
func (w *walker) linecol(off int64) string {
	line, col := lineCol(w.data, off)
	return fmt.Sprintf("%d:%d", line, col)
}

// where names the input when no position is known.
func (w *walker) where() string {
	if w.name == "" {
		return "genesis"
	}
	return w.name
}

// lineCol returns the 1-based line and column (in bytes) of a byte offset.
func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// describe names the kind of a JSON token for messages.
func describe(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", tok)
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// The keys go-ethereum decodes in each checked object of a genesis.
var (
	genesisKeys = structKeys[core.Genesis]()
	configKeys  = append(structKeys[params.ChainConfig](), ExtensionKey)
	cliqueKeys  = structKeys[params.CliqueConfig]()
	extKeys     = structKeys[Extension]()
	accountKeys = structKeys[types.Account]()
)

// knownKeys returns the keys allowed in the object at path (nil for any) and
// whether the walker records the keys of that object.
func knownKeys(path []string) (known []string, checked bool) {
	switch {
	case len(path) == 0:
		return genesisKeys, true
	case len(path) == 1 && path[0] == "config":
		return configKeys, true
	case len(path) == 2 && path[0] == "config" && path[1] == "clique":
		return cliqueKeys, true
	case len(path) == 2 && path[0] == "config" && path[1] == ExtensionKey:
		return extKeys, true
	case len(path) == 1 && path[0] == "alloc":
		return nil, true
	case len(path) == 2 && path[0] == "alloc":
		return accountKeys, true
	}
	return nil, false
}

// structKeys returns the JSON keys of the fields of T.
func structKeys[T any]() []string {
	t := reflect.TypeFor[T]()
	var keys []string
	for i := range t.NumField() {
		if name := jsonName(t.Field(i)); name != "" {
			keys = append(keys, name)
		}
	}
	return keys
}

// jsonName returns the JSON key of a struct field, "" if it has none.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

// hint tells how to fix an unknown key: the known key it most likely
// misspells, else the list of known keys when it is short.
func hint(key string, known []string) string {
	if s := closest(key, known); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	if len(known) <= 20 {
		return "remove it or use one of " + strings.Join(known, ", ")
	}
	return "remove it or check its spelling"
}

// closest returns the known key that equals key but for case, else the one
// within two edits of it, else "".
func closest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if strings.EqualFold(k, key) {
			return k
		}
		if d := editDistance(strings.ToLower(k), strings.ToLower(key)); d < bestDist && len(key) > 3 {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance returns the Levenshtein distance between a and b (in bytes).
func editDistance(a, b string) int { return smetrics.WagnerFischer(a, b, 1, 1, 1) }

// problemList is the error Validate, Spec.Validate, Decode and Load return:
// the problems of one genesis, each wrapping a sentinel error.
type problemList struct {
	name string // file the genesis came from, "" if none
	errs []error
}

// join returns the problems as one error, nil if there are none.
func join(name string, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return &problemList{name: name, errs: errs}
}

// Error implements error: one line per problem.
func (p *problemList) Error() string {
	prefix := ""
	if p.name != "" {
		prefix = p.name + ": "
	}
	if len(p.errs) == 1 {
		return prefix + p.errs[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%d problems:", prefix, len(p.errs))
	for _, err := range p.errs {
		b.WriteString("\n  - ")
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.Is finds each sentinel.
func (p *problemList) Unwrap() []error {
	return p.errs
}
