package node

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
)

// syncDataDir makes everything in the data dir durable before the node
// starts: every file's data, every directory's entries, and the data dir's
// own entry in its parent. geth and pebble create the data dir, the instance
// dir, chaindata, the freezer and triedb without fsyncing their parents
// (pebble then syncs only its own directory), and geth writes the node key
// without fsync. After a power cut before the disk wrote them back on its
// own, the database and the signing guard were gone (TestPowerCutSignerProcess:
// the node came back at genesis, where a signer would sign its first blocks
// again, differently). Start calls this before the sealer can sign. Files
// already on the disk cost an open and an fsync with nothing to write.
func syncDataDir(dataDir string) error {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			return atomicfile.SyncDir(path)
		case d.Type().IsRegular():
			return atomicfile.SyncFile(path)
		}
		return nil
	})
	if err == nil {
		err = atomicfile.SyncDir(filepath.Dir(dir))
	}
	if err != nil {
		return fmt.Errorf("make the data dir %s durable (fsync of its files and directories): %w; check the disk", dataDir, err)
	}
	return nil
}

// ensureJWTSecret makes the control plane's secret file, if it is missing,
// durably (geth's own, made when its listener starts, is not fsynced: a power
// cut left it empty, and the node then refused to start with "invalid JWT
// secret"). The content is what geth writes: 32 random bytes in hex.
func ensureJWTSecret(path string) error {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return nil // there (geth reads it), or unreadable (geth says why)
	}
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return nil // geth fails on the missing directory with the path
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	if err := atomicfile.Write(path, []byte(hexutil.Encode(secret)), 0o600); err != nil {
		return fmt.Errorf("make the JWT secret %s: %w", path, err)
	}
	return nil
}
