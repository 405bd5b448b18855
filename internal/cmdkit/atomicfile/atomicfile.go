// Package atomicfile replaces files so that a reader, or the file system after
// a crash or power failure, sees either the old content or the new, never a
// mix: the data goes to a temporary file beside the target, is fsynced, renamed
// over the target, and the directory is fsynced so the rename itself survives.
package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
)

// Write replaces the file at path with data, with permissions perm (exactly:
// the umask does not apply). The directory must exist. On error the target is
// untouched and the temporary file removed.
func Write(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename: already gone
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// SyncDir fsyncs a directory, making the creations, renames and removals of
// its entries durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// MkdirAll creates dir and any missing parents, like os.MkdirAll, and makes
// each creation durable: it fsyncs the parent of every directory it creates,
// so a power failure cannot lose a directory (and the files later made
// durable in it) after MkdirAll returns.
func MkdirAll(dir string, perm os.FileMode) error {
	dir = filepath.Clean(dir)
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return &os.PathError{Op: "mkdir", Path: dir, Err: errors.New("not a directory")}
		}
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := MkdirAll(parent, perm); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, perm); err != nil {
		if os.IsExist(err) {
			return nil // made meanwhile by another: its maker syncs it
		}
		return err
	}
	return SyncDir(filepath.Dir(dir))
}

// SyncUp makes a file that someone else wrote durable, with the directories
// that lead to it: it fsyncs the file, then every directory from the file's
// own up to and including top (a directory above it, such as the data dir's
// parent). go-ethereum's keystore and node key writers neither fsync the file
// nor its directory, so a power failure could lose a key they had reported
// made.
func SyncUp(path, top string) error {
	if err := SyncFile(path); err != nil {
		return err
	}
	top = filepath.Clean(top)
	for dir := filepath.Dir(filepath.Clean(path)); ; dir = filepath.Dir(dir) {
		if err := SyncDir(dir); err != nil {
			return err
		}
		if dir == top || dir == filepath.Dir(dir) {
			return nil
		}
	}
}

// SyncFile fsyncs the file at path, written by someone else.
func SyncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}
