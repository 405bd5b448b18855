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
)

// Guard remembers the last block this signer released, so that the signer never
// signs two different blocks at one height, across restarts too. Save must be
// durable before it returns: the sealer releases a signature only after Save.
type Guard interface {
	// Load returns the last block saved, or nil if none was.
	Load() (*types.Block, error)
	// Save durably records block as the last one signed.
	Save(block *types.Block) error
}

// FileGuard is a Guard kept in one file, replaced atomically (write, fsync,
// rename, fsync of the directory) so a crash leaves either the old or the new
// record, never a torn one.
type FileGuard struct {
	path string
	mu   sync.Mutex
}

// NewFileGuard returns a guard stored at path.
func NewFileGuard(path string) *FileGuard { return &FileGuard{path: path} }

// Load implements Guard.
func (g *FileGuard) Load() (*types.Block, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
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
	return block, nil
}

// Save implements Guard.
func (g *FileGuard) Save(block *types.Block) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	var buf bytes.Buffer
	if err := block.EncodeRLP(&buf); err != nil {
		return err
	}
	dir := filepath.Dir(g.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".guard-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), g.path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
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
	g.block = block
	return nil
}
