package sealer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
)

// Guard remembers the last block this signer released, so that the signer never
// signs two different blocks at one height, across restarts too. Save must be
// durable before it returns: the sealer releases a signature only after Save.
//
// The guard enforces the rule itself, not only the sealer's memory of it: Save
// refuses (errDoubleSign) a block at or below the height recorded unless it is
// the very block recorded, so a signature at a height already signed never
// leaves the sealer, whatever the sealer remembers.
type Guard interface {
	// Load returns the last block saved, or nil if none was.
	Load() (*types.Block, error)
	// Save durably records block as the last one signed. It returns an error
	// wrapping errDoubleSign, and records nothing, if another block at the
	// same or a greater height is recorded.
	Save(block *types.Block) error
}

// checkRecord returns an error wrapping errDoubleSign if block may not be
// released after recorded (nil: nothing recorded): a block at the recorded
// height or below, other than the recorded block itself.
func checkRecord(recorded *types.Header, block *types.Block) error {
	if recorded == nil || block.NumberU64() > recorded.Number.Uint64() || block.Hash() == recorded.Hash() {
		return nil
	}
	return fmt.Errorf("%w: have block %d %s, want a height above %d (block %s is recorded as signed)",
		errDoubleSign, block.NumberU64(), block.Hash().TerminalString(), recorded.Number, recorded.Hash().TerminalString())
}

// FileGuard is a Guard kept in one file, replaced atomically (write, fsync,
// rename, fsync of the directory) so a crash leaves either the old or the new
// record, never a torn one.
type FileGuard struct {
	path string
	mu   sync.Mutex

	recorded *types.Header // header of the block in the file; valid once loaded is set
	loaded   bool
}

// NewFileGuard returns a guard stored at path.
func NewFileGuard(path string) *FileGuard { return &FileGuard{path: path} }

// Load implements Guard.
func (g *FileGuard) Load() (*types.Block, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.load()
}

// load reads the file and remembers the header of the block it holds.
func (g *FileGuard) load() (*types.Block, error) {
	data, err := os.ReadFile(g.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read signing guard: %w", err)
	}
	block := new(types.Block)
	if err := rlp.DecodeBytes(data, block); err != nil {
		return nil, fmt.Errorf("signing guard %s is corrupt (%v): if this signer's chain is intact, move the file away and restart", g.path, err)
	}
	g.recorded, g.loaded = block.Header(), true
	return block, nil
}

// Save implements Guard. The record it checks against is the file's, read
// once and then kept in step with every Save.
func (g *FileGuard) Save(block *types.Block) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.loaded {
		if _, err := g.load(); err != nil {
			return err
		}
		g.loaded = true
	}
	if err := checkRecord(g.recorded, block); err != nil {
		return err
	}
	if err := g.write(block); err != nil {
		return err
	}
	g.recorded = block.Header()
	return nil
}

// write replaces the file with block, durably.
func (g *FileGuard) write(block *types.Block) error {
	var buf bytes.Buffer
	if err := block.EncodeRLP(&buf); err != nil {
		return err
	}
	dir := filepath.Dir(g.path)
	if err := atomicfile.MkdirAll(dir, 0o700); err != nil { // durably: a lost directory would lose the record
		return err
	}
	return atomicfile.Write(g.path, buf.Bytes(), 0o600)
}

// MemGuard is an in-memory Guard for tests.
type MemGuard struct {
	mu    sync.Mutex
	block *types.Block
}

// Load implements Guard.
func (g *MemGuard) Load() (*types.Block, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.block, nil
}

// Save implements Guard.
func (g *MemGuard) Save(block *types.Block) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.block != nil {
		if err := checkRecord(g.block.Header(), block); err != nil {
			return err
		}
	}
	g.block = block
	return nil
}
