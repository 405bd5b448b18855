// Package diskspace stops a node before its disk is full (ADR 074). A full
// disk is not survivable in-process: pebble panics on a write-ahead log
// commit that fails, and go-ethereum's path-based state database keeps the
// error of a failed flush and marks its disk layer stale, so that no block
// is ever imported again until a restart. A node that stops cleanly while a
// little space is left restarts on an intact data dir once space returns.
package diskspace

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"syscall"
	"time"
)

// Interval is how often Watch looks at the free space.
const Interval = time.Second

// Guard holds the free space the data dir's file system must keep.
type Guard struct {
	Dir string // the data directory
	Min uint64 // bytes; 0: no guard
	// Free reports the bytes free for an unprivileged writer under dir;
	// nil: statfs.
	Free func(dir string) (uint64, error)
}

// Check returns an error saying what to do if less than Min is free.
func (g Guard) Check() error {
	if g.Min == 0 {
		return nil
	}
	free := g.Free
	if free == nil {
		free = Statfs
	}
	have, err := free(g.Dir)
	if err != nil {
		return fmt.Errorf("free disk space of %s: %w", g.Dir, err)
	}
	if have < g.Min {
		return fmt.Errorf("free disk space on the file system of %s is %s, below --datadir.minfreedisk %s: the node stops before its databases fail on a full disk; free some space (or grow the disk) and start it again", g.Dir, mib(have), mib(g.Min))
	}
	return nil
}

// Watch checks every Interval until ctx ends; at the first failed check it
// calls stop with the error, once, and returns.
func (g Guard) Watch(ctx context.Context, stop func(error)) {
	if g.Min == 0 {
		return
	}
	t := time.NewTicker(Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := g.Check(); err != nil {
				stop(err)
				return
			}
		}
	}
}

// Statfs returns the bytes available to an unprivileged writer on dir's
// file system (the nearest existing parent's, for a data dir not made yet).
func Statfs(dir string) (uint64, error) {
	var st syscall.Statfs_t
	for {
		err := syscall.Statfs(dir, &st)
		if err == nil {
			return st.Bavail * uint64(st.Bsize), nil
		}
		parent := filepath.Dir(dir)
		if !errors.Is(err, syscall.ENOENT) || parent == dir {
			return 0, err
		}
		dir = parent
	}
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
