package powercut

import (
	"context"
	"path/filepath"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
)

// node is go-fuse's loopback node, with fsyncs recorded in the durable state
// and removed files kept (FS.keep).
type node struct {
	*fs.LoopbackNode
	fs *FS
}

var (
	_ fs.NodeWrapChilder    = (*node)(nil)
	_ fs.NodeFsyncer        = (*node)(nil)
	_ fs.NodeOpendirHandler = (*node)(nil)
	_ fs.NodeUnlinker       = (*node)(nil)
	_ fs.NodeRenamer        = (*node)(nil)
	_ fs.FileFsyncdirer     = (*dirHandle)(nil)
	_ fs.FileReaddirenter   = (*dirHandle)(nil)
	_ fs.FileReleasedirer   = (*dirHandle)(nil)
	_ fs.FileSeekdirer      = (*dirHandle)(nil)
)

// WrapChild makes every node of the mount a powercut node.
func (n *node) WrapChild(ctx context.Context, ops fs.InodeEmbedder) fs.InodeEmbedder {
	return &node{LoopbackNode: ops.(*fs.LoopbackNode), fs: n.fs}
}

// path is the node's path in the backing directory.
func (n *node) path() string { return filepath.Join(n.fs.backing, n.Path(nil)) }

// Fsync records the file's content (or, for a directory, its entries) as durable.
func (n *node) Fsync(ctx context.Context, f fs.FileHandle, flags uint32) syscall.Errno {
	if n.IsDir() {
		return n.fs.fsyncDir(n.path())
	}
	return n.fs.fsyncFile(n.path(), n.StableAttr().Ino)
}

// OpendirHandle returns a directory handle whose fsync records the entries.
func (n *node) OpendirHandle(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	ds, errno := fs.NewLoopbackDirStream(n.path())
	if errno != 0 {
		return nil, 0, errno
	}
	return &dirHandle{dirStream: ds.(dirStream), n: n}, 0, 0
}

// Unlink keeps the file's inode before removing it.
func (n *node) Unlink(ctx context.Context, name string) syscall.Errno {
	if errno := n.fs.keepPath(filepath.Join(n.path(), name)); errno != 0 {
		return errno
	}
	return n.LoopbackNode.Unlink(ctx, name)
}

// Rename keeps the inode of a file it replaces.
func (n *node) Rename(ctx context.Context, name string, newParent fs.InodeEmbedder, newName string, flags uint32) syscall.Errno {
	if np, ok := newParent.(*node); ok {
		if errno := n.fs.keepPath(filepath.Join(np.path(), newName)); errno != 0 {
			return errno
		}
	}
	return n.LoopbackNode.Rename(ctx, name, newParent, newName, flags)
}

// dirStream is what go-fuse's loopback directory stream implements.
type dirStream interface {
	fs.DirStream
	fs.FileReaddirenter
	fs.FileReleasedirer
	fs.FileSeekdirer
}

// dirHandle is a loopback directory handle whose fsync records the entries.
type dirHandle struct {
	dirStream
	n *node
}

// Fsyncdir implements fs.FileFsyncdirer.
func (d *dirHandle) Fsyncdir(ctx context.Context, flags uint32) syscall.Errno {
	return d.n.fs.fsyncDir(d.n.path())
}

// fsyncFile records the content of file ino (at path, or kept) as durable.
func (f *FS) fsyncFile(path string, ino uint64) syscall.Errno {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cut {
		return syscall.EIO
	}
	if have, err := inode(path); err != nil || have != ino {
		path = f.kept[ino] // removed or replaced since it was opened
	}
	return fs.ToErrno(f.syncFile(path, ino))
}

// fsyncDir records the entries of the directory at path as durable. (Its
// inode comes from the backing directory: the mount's root has inode 1.)
func (f *FS) fsyncDir(path string) syscall.Errno {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cut {
		return syscall.EIO
	}
	ino, err := inode(path)
	if err == nil {
		_, err = f.syncDir(path, ino)
	}
	return fs.ToErrno(err)
}

// keepPath is keep, under the lock, as an errno.
func (f *FS) keepPath(path string) syscall.Errno {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cut {
		return 0 // nothing done now becomes durable: no need to keep
	}
	return fs.ToErrno(f.keep(path))
}
