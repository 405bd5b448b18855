// Package powercut is a test file system that loses, on a simulated power cut,
// everything a real disk may lose: it is a FUSE loopback over a backing
// directory that keeps, beside the live files, the durable state — the content
// of each file as of its last fsync, and the entries of each directory as of its
// last directory fsync. Cut freezes the durable state (the power fails: nothing
// done afterwards becomes durable); Close then unmounts and, after a cut,
// replaces the backing directory with the durable state, as the disk would look
// when the machine comes back. Mount the backing directory again to restart.
//
// What is durable (the strictest POSIX reading, as LazyFS models it):
//   - a file's data once the file is fsynced (fsync or fdatasync);
//   - a creation, rename or removal once its directory is fsynced (a rename
//     between directories: each directory's side once that directory is);
//   - everything present at Mount.
//
// Not modelled: metadata other than the entries (chmod, times: the mode recorded
// is the one at the directory's fsync), O_SYNC/O_DSYNC opens, writes through
// mmap, torn writes inside one fsync interval (the data is either the last
// synced copy or lost whole, never a mix), and replacing a directory by
// renaming another over it. Mounting needs root and /dev/fuse; go-fuse mounts
// with mount(2) itself (DirectMountStrict), so fusermount is not needed.
package powercut

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"golang.org/x/sys/unix"
)

// FS is one mount of a backing directory.
type FS struct {
	backing string // the directory the mount shows
	mnt     string // the mount point
	state   string // beside backing: durable copies (state/data) and kept inodes (state/kept)
	server  *fuse.Server
	conn    uint32 // the FUSE connection's number (the mount's minor device number)

	mu     sync.Mutex
	cut    bool
	closed bool
	dirs   map[uint64][]entry // durable entries of each directory, by inode
	kept   map[uint64]string  // removed or replaced files, kept so their inode is not reused
	root   uint64             // the backing directory's inode
	nkept  int
}

// entry is one durable directory entry.
type entry struct {
	name string
	ino  uint64
	mode os.FileMode
	link string // a symlink's target
}

// Check returns why this process cannot mount a power-cut file system, or nil.
func Check() error {
	if os.Geteuid() != 0 {
		return errors.New("powercut mounts FUSE with mount(2): it needs root (run the test as root, as CI does)")
	}
	if _, err := os.Stat("/dev/fuse"); err != nil {
		return fmt.Errorf("powercut needs /dev/fuse (%v): load the fuse module or give the container the device (--device /dev/fuse)", err)
	}
	return nil
}

// Mount shows backing at mnt (both directories must exist, on one file system
// with the state directory backing+".powercut" that Mount creates beside
// backing). Everything in backing is durable at Mount.
func Mount(backing, mnt string) (*FS, error) {
	if err := Check(); err != nil {
		return nil, err
	}
	f := &FS{backing: filepath.Clean(backing), mnt: mnt, state: filepath.Clean(backing) + ".powercut"}
	if err := f.snapshotAll(); err != nil {
		return nil, fmt.Errorf("powercut: record the durable state of %s: %w", backing, err)
	}
	if err := f.mount(); err != nil {
		return nil, fmt.Errorf("powercut: mount %s at %s: %w", backing, mnt, err)
	}
	return f, nil
}

// mount starts the FUSE server.
func (f *FS) mount() error {
	rootOps, err := fs.NewLoopbackRoot(f.backing)
	if err != nil {
		return err
	}
	lb := rootOps.(*fs.LoopbackNode)
	root := &node{LoopbackNode: lb, fs: f}
	lb.RootData.RootNode = root
	opts := &fs.Options{MountOptions: fuse.MountOptions{
		DirectMountStrict: true,
		FsName:            f.backing,
		Name:              "powercut",
	}}
	server, err := fs.Mount(f.mnt, root, opts)
	if err != nil {
		return err
	}
	f.server = server
	var st syscall.Stat_t
	if err := syscall.Stat(f.mnt, &st); err != nil {
		return err
	}
	f.conn = unix.Minor(st.Dev)
	return nil
}

// Dir returns the mount point.
func (f *FS) Dir() string { return f.mnt }

// Cut is the power failure: from now on nothing becomes durable, and fsync
// fails with EIO. Stop the processes using the mount, then Close.
func (f *FS) Cut() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cut = true
}

// Close unmounts (lazily if files are still open, waiting up to ten seconds
// for them to close) and, after Cut, replaces the backing directory with its
// durable state. Without Cut the backing directory keeps everything written,
// as after a clean shutdown. Close is idempotent.
func (f *FS) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	wasCut := f.cut
	f.closed, f.cut = true, true // nothing more becomes durable
	f.mu.Unlock()
	if err := f.unmount(); err != nil {
		return err
	}
	if !wasCut {
		return os.RemoveAll(f.state)
	}
	return f.restore()
}

// unmount detaches the mount and waits for the server to stop. If files are
// still open after ten seconds (a test that failed with them open), it aborts
// the connection: a process that serves its own mount and exits with files
// open on it would otherwise hang in the kernel for ever, waiting for
// answers from itself.
func (f *FS) unmount() error {
	if err := syscall.Unmount(f.mnt, syscall.MNT_DETACH); err != nil {
		return fmt.Errorf("powercut: unmount %s: %w", f.mnt, err)
	}
	if f.waitServer(10 * time.Second) {
		return nil
	}
	err := fmt.Errorf("powercut: %s still had open files 10 s after the unmount (stop the processes using it, close its files, before Close)", f.mnt)
	if aerr := f.abort(); aerr != nil {
		return errors.Join(err, aerr)
	}
	if !f.waitServer(10 * time.Second) {
		return errors.Join(err, errors.New("powercut: the server did not stop after the connection was aborted"))
	}
	return fmt.Errorf("%w; the connection was aborted", err)
}

// waitServer reports whether the server stopped within d.
func (f *FS) waitServer(d time.Duration) bool {
	done := make(chan struct{})
	go func() { f.server.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// fusectl is where the kernel's FUSE control file system is mounted.
const fusectl = "/sys/fs/fuse/connections"

// abort aborts the mount's FUSE connection through fusectl (mounted here if
// it is not): every request waiting on it fails at once.
func (f *FS) abort() error {
	file := filepath.Join(fusectl, fmt.Sprint(f.conn), "abort")
	if _, err := os.Stat(file); err != nil {
		if err := syscall.Mount("fusectl", fusectl, "fusectl", 0, ""); err != nil && !errors.Is(err, syscall.EBUSY) {
			return fmt.Errorf("powercut: mount fusectl at %s to abort connection %d: %w", fusectl, f.conn, err)
		}
	}
	if err := os.WriteFile(file, []byte("1"), 0o200); err != nil {
		return fmt.Errorf("powercut: abort FUSE connection %d: %w", f.conn, err)
	}
	return nil
}
