package allowlist

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
)

// errLastEntry is returned if removing an entry would leave the list empty,
// which nodes refuse to load.
var errLastEntry = errors.New("cannot remove the last allowlist entry")

// AddEntry appends entry (any form ParseEntry takes), with an optional
// comment on the line, to the list file at path, unless its node ID is already
// on the list. It reports whether it added the line. The file is rewritten
// atomically (other lines and comments kept) and created if missing. Nodes
// read the change on Reload (SIGHUP or admin_reloadAllowlist).
func AddEntry(path, entry, comment string) (bool, error) {
	id, err := ParseEntry(entry)
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("allowlist: %w", err)
	}
	if len(data) > 0 {
		if ids, err := Parse(bytes.NewReader(data)); err == nil {
			for _, have := range ids {
				if have == id {
					return false, nil
				}
			}
		} else if !errors.Is(err, errEmpty) {
			return false, fmt.Errorf("allowlist %s: %w: fix the file first", path, err)
		}
	}
	line := entry
	if comment = strings.TrimSpace(strings.ReplaceAll(comment, "\n", " ")); comment != "" {
		line += " # " + comment
	}
	if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
		data = append(data, '\n')
	}
	data = append(data, line+"\n"...)
	return true, rewrite(path, data)
}

// RemoveEntry removes the lines holding node id from the list file at path
// (comment lines and other entries kept, atomic rewrite) and returns how many
// it removed. It refuses to remove the last entry.
func RemoveEntry(path string, id enode.ID) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("allowlist: %w", err)
	}
	var (
		kept    []string
		removed int
		left    int
	)
	for i, text := range strings.SplitAfter(string(data), "\n") {
		entry := text
		if j := strings.IndexByte(entry, '#'); j >= 0 {
			entry = entry[:j]
		}
		entry = strings.TrimSpace(entry)
		if entry != "" {
			have, err := ParseEntry(entry)
			if err != nil {
				return 0, fmt.Errorf("allowlist %s: line %d: %w: fix the file first", path, i+1, err)
			}
			if have == id {
				removed++
				continue
			}
			left++
		}
		kept = append(kept, text)
	}
	if removed == 0 {
		return 0, nil
	}
	if left == 0 {
		return 0, fmt.Errorf("%w: %s would hold no node and nodes refuse an empty list", errLastEntry, path)
	}
	return removed, rewrite(path, []byte(strings.Join(kept, "")))
}

// rewrite replaces the file at path atomically, keeping its permissions.
func rewrite(path string, data []byte) error {
	mode := os.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := atomicfile.Write(path, data, mode); err != nil {
		return fmt.Errorf("allowlist: %w", err)
	}
	return nil
}
