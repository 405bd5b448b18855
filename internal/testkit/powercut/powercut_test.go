package powercut

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// write writes data to path without any fsync.
func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// syncPath fsyncs the file or directory at path.
func syncPath(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatalf("fsync %s: %v", path, err)
	}
}

// writeSynced writes data to path and fsyncs the file, not its directory.
func writeSynced(t *testing.T, path, data string) {
	t.Helper()
	write(t, path, data)
	syncPath(t, path)
}

// wantContent fails unless path holds data.
func wantContent(t *testing.T, path, data string) {
	t.Helper()
	have, err := os.ReadFile(path)
	if err != nil || string(have) != data {
		t.Fatalf("%s after the cut: have %q (%v), want %q", filepath.Base(path), have, err, data)
	}
}

// wantAbsent fails unless path does not exist.
func wantAbsent(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Lstat(path); !os.IsNotExist(err) {
		t.Fatalf("%s after the cut: have it (%v), want it gone", filepath.Base(path), err)
	}
}

// durableFile makes path durable with data (written, file and directory synced).
func durableFile(t *testing.T, path, data string) {
	t.Helper()
	writeSynced(t, path, data)
	syncPath(t, filepath.Dir(path))
}

func TestUnsyncedWriteLost(t *testing.T) {
	f := TempT(t)
	path := filepath.Join(f.Dir(), "a")
	durableFile(t, path, "old")
	write(t, path, "new, never synced")
	wantContent(t, path, "new, never synced") // before the cut the page cache shows it
	f = CutAndRemount(t, f)
	wantContent(t, filepath.Join(f.Dir(), "a"), "old")
}

func TestSyncedWriteSurvives(t *testing.T) {
	f := TempT(t)
	durableFile(t, filepath.Join(f.Dir(), "a"), "old")
	writeSynced(t, filepath.Join(f.Dir(), "a"), "new")
	f = CutAndRemount(t, f)
	wantContent(t, filepath.Join(f.Dir(), "a"), "new")
}

func TestCreateWithoutDirSyncLost(t *testing.T) {
	f := TempT(t)
	writeSynced(t, filepath.Join(f.Dir(), "a"), "data") // the file, not the directory
	f = CutAndRemount(t, f)
	wantAbsent(t, filepath.Join(f.Dir(), "a"))
}

func TestCreateDirSyncedDataNotIsEmpty(t *testing.T) {
	f := TempT(t)
	write(t, filepath.Join(f.Dir(), "a"), "data")
	syncPath(t, f.Dir())
	f = CutAndRemount(t, f)
	wantContent(t, filepath.Join(f.Dir(), "a"), "")
}

func TestRenameWithoutDirSyncLost(t *testing.T) {
	f := TempT(t)
	durableFile(t, filepath.Join(f.Dir(), "a"), "old")
	writeSynced(t, filepath.Join(f.Dir(), "a.tmp"), "new")
	if err := os.Rename(filepath.Join(f.Dir(), "a.tmp"), filepath.Join(f.Dir(), "a")); err != nil {
		t.Fatal(err)
	}
	f = CutAndRemount(t, f)
	wantContent(t, filepath.Join(f.Dir(), "a"), "old")
	wantAbsent(t, filepath.Join(f.Dir(), "a.tmp"))
}

func TestRenameWithDirSyncSurvives(t *testing.T) {
	f := TempT(t)
	durableFile(t, filepath.Join(f.Dir(), "a"), "old")
	writeSynced(t, filepath.Join(f.Dir(), "a.tmp"), "new")
	if err := os.Rename(filepath.Join(f.Dir(), "a.tmp"), filepath.Join(f.Dir(), "a")); err != nil {
		t.Fatal(err)
	}
	syncPath(t, f.Dir())
	f = CutAndRemount(t, f)
	wantContent(t, filepath.Join(f.Dir(), "a"), "new")
	wantAbsent(t, filepath.Join(f.Dir(), "a.tmp"))
}

func TestRemoveWithoutDirSyncLost(t *testing.T) {
	f := TempT(t)
	durableFile(t, filepath.Join(f.Dir(), "a"), "kept")
	if err := os.Remove(filepath.Join(f.Dir(), "a")); err != nil {
		t.Fatal(err)
	}
	// A new file may get the removed one's inode on the backing disk: its
	// fsync must not replace the removed file's durable content.
	writeSynced(t, filepath.Join(f.Dir(), "b"), "other")
	f = CutAndRemount(t, f)
	wantContent(t, filepath.Join(f.Dir(), "a"), "kept")
	wantAbsent(t, filepath.Join(f.Dir(), "b"))
}

func TestSubdirNeedsParentSync(t *testing.T) {
	f := TempT(t)
	sub := filepath.Join(f.Dir(), "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	durableFile(t, filepath.Join(sub, "a"), "data") // sub synced, its parent not
	f = CutAndRemount(t, f)
	wantAbsent(t, filepath.Join(f.Dir(), "sub"))

	sub = filepath.Join(f.Dir(), "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	durableFile(t, filepath.Join(sub, "a"), "data")
	syncPath(t, f.Dir())
	f = CutAndRemount(t, f)
	wantContent(t, filepath.Join(f.Dir(), "sub", "a"), "data")
}

func TestFsyncAfterCutFails(t *testing.T) {
	f := TempT(t)
	path := filepath.Join(f.Dir(), "a")
	durableFile(t, path, "old")
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if _, err := file.WriteString("new"); err != nil {
		t.Fatal(err)
	}
	f.Cut()
	if err := file.Sync(); err == nil {
		t.Fatal("fsync after the cut: have no error, want EIO (nothing may become durable)")
	}
	file.Close()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	f = MountT(t, f.backing, f.mnt)
	wantContent(t, filepath.Join(f.Dir(), "a"), "old")
}

func TestCloseWithoutCutKeepsAll(t *testing.T) {
	f := TempT(t)
	write(t, filepath.Join(f.Dir(), "a"), "never synced")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	wantContent(t, filepath.Join(f.backing, "a"), "never synced")
}

// TestCloseWithOpenFileAborts: Close with a file still open on the mount (a
// test that failed before closing it) aborts the connection after its wait
// and says so; the file's close then returns instead of waiting for ever on
// a server that has stopped (which would hang this process at exit).
func TestCloseWithOpenFileAborts(t *testing.T) {
	f := TempT(t)
	file, err := os.Create(filepath.Join(f.Dir(), "a"))
	if err != nil {
		t.Fatal(err)
	}
	f.Cut()
	if err := f.Close(); err == nil || !strings.Contains(err.Error(), "aborted") {
		t.Fatalf("Close with a file open: have %v, want an error saying the connection was aborted", err)
	}
	closed := make(chan struct{})
	go func() { file.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("closing the file after the abort: still waiting after 10 s")
	}
}
