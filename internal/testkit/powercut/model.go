package powercut

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// dataPath is where the durable copy of file ino is kept.
func (f *FS) dataPath(ino uint64) string {
	return filepath.Join(f.state, "data", strconv.FormatUint(ino, 10))
}

// snapshotAll makes the whole backing tree durable: a fresh state directory,
// every directory's entries recorded and every file copied.
func (f *FS) snapshotAll() error {
	if err := os.RemoveAll(f.state); err != nil {
		return err
	}
	for _, d := range []string{"data", "kept"} {
		if err := os.MkdirAll(filepath.Join(f.state, d), 0o700); err != nil {
			return err
		}
	}
	f.dirs, f.kept = map[uint64][]entry{}, map[uint64]string{}
	ino, err := inode(f.backing)
	if err != nil {
		return err
	}
	f.root = ino
	return f.snapshotTree(f.backing, ino)
}

// snapshotTree records dir (inode ino) and everything below it as durable.
func (f *FS) snapshotTree(dir string, ino uint64) error {
	entries, err := f.syncDir(dir, ino)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.name)
		switch {
		case e.mode.IsDir():
			err = f.snapshotTree(p, e.ino)
		case e.mode.IsRegular():
			err = f.syncFile(p, e.ino)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// syncDir records the entries dir (inode ino) has now as its durable ones.
func (f *FS) syncDir(dir string, ino uint64) ([]entry, error) {
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	entries := make([]entry, 0, len(list))
	for _, de := range list {
		e, err := readEntry(dir, de.Name())
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	f.dirs[ino] = entries
	return entries, nil
}

// readEntry describes the entry name of dir.
func readEntry(dir, name string) (entry, error) {
	p := filepath.Join(dir, name)
	fi, err := os.Lstat(p)
	if err != nil {
		return entry{}, err
	}
	e := entry{name: name, ino: fi.Sys().(*syscall.Stat_t).Ino, mode: fi.Mode()}
	if fi.Mode()&os.ModeSymlink != 0 {
		e.link, err = os.Readlink(p)
	}
	return e, err
}

// syncFile records the content path (inode ino) has now as its durable one.
func (f *FS) syncFile(path string, ino uint64) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := f.dataPath(ino) + ".tmp"
	dst, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, f.dataPath(ino))
}

// keep holds on to the file at path (if it is one) before it is removed or
// replaced: a hard link in the state directory keeps its inode from being
// reused while a durable entry may still name it, and lets a later fsync
// through a descriptor still open on it find its content.
func (f *FS) keep(path string) error {
	fi, err := os.Lstat(path)
	if os.IsNotExist(err) || (err == nil && !fi.Mode().IsRegular()) {
		return nil
	}
	if err != nil {
		return err
	}
	ino := fi.Sys().(*syscall.Stat_t).Ino
	if _, ok := f.kept[ino]; ok {
		return nil
	}
	f.nkept++
	k := filepath.Join(f.state, "kept", strconv.Itoa(f.nkept))
	if err := os.Link(path, k); err != nil {
		return err
	}
	f.kept[ino] = k
	return nil
}

// restore replaces the backing directory with the durable state.
func (f *FS) restore() error {
	fresh := f.backing + ".restoring"
	lost := f.backing + ".lost"
	for _, p := range []string{fresh, lost} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	if err := os.Mkdir(fresh, 0o700); err != nil {
		return err
	}
	if err := f.restoreDir(fresh, f.root); err != nil {
		return fmt.Errorf("powercut: rebuild the durable state of %s: %w", f.backing, err)
	}
	if err := os.Rename(f.backing, lost); err != nil {
		return err
	}
	if err := os.Rename(fresh, f.backing); err != nil {
		return err
	}
	for _, p := range []string{lost, f.state} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// restoreDir writes the durable entries of directory ino into dir.
func (f *FS) restoreDir(dir string, ino uint64) error {
	for _, e := range f.dirs[ino] {
		if err := f.restoreEntry(filepath.Join(dir, e.name), e); err != nil {
			return err
		}
	}
	return nil
}

// restoreEntry writes one durable entry at path: a directory with its own
// durable entries (none if it was never synced), a file with its durable
// content (empty if it was never synced), or a symlink.
func (f *FS) restoreEntry(path string, e entry) error {
	switch {
	case e.mode.IsDir():
		if err := os.Mkdir(path, e.mode.Perm()); err != nil {
			return err
		}
		return f.restoreDir(path, e.ino)
	case e.mode&os.ModeSymlink != 0:
		return os.Symlink(e.link, path)
	case e.mode.IsRegular():
		return restoreFile(path, f.dataPath(e.ino), e.mode.Perm())
	}
	return nil // devices, fifos, sockets: not restored
}

// restoreFile writes the durable copy at data (none: an empty file) to path.
func restoreFile(path, data string, perm os.FileMode) error {
	content, err := os.ReadFile(data)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.WriteFile(path, content, perm); err != nil {
		return err
	}
	return os.Chmod(path, perm)
}

// inode returns the inode number of path.
func inode(path string) (uint64, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return 0, err
	}
	return fi.Sys().(*syscall.Stat_t).Ino, nil
}
