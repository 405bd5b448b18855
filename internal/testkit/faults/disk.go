package faults

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/testkit/testnet"
)

// DiskFull fills the disk of node (whose data dir must be a small tmpfs:
// Options.SmallDisk) for hold, then frees the space. The node must say why
// in its log, keep a data dir it can start from, and seal again once space
// returns (restarted if it had exited).
func DiskFull(name, node string, hold time.Duration) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		n, err := c.Net.Node(node)
		if err != nil {
			return err
		}
		filler := filepath.Join(n.DataDir, "filler")
		if err := fill(filler); err != nil {
			return err
		}
		sleep(ctx, hold) // the fault's duration: nothing to await
		said := diskErrors(n.Log)
		if len(said) == 0 {
			return fmt.Errorf("%s logged no disk error while its disk was full (%s)", node, n.Log)
		}
		c.note("%s logged %d disk errors, first: %s", node, len(said), said[0])
		if err := os.Remove(filler); err != nil {
			return err
		}
		freed := time.Now()
		c.note("%s free on signer4's disk after the file went", free(n.DataDir))
		if !n.Running() {
			c.note("%s exited on the full disk; restarted on the same data dir once space returned", node)
			rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			err := c.Restart(rctx, node)
			cancel()
			if err != nil {
				return fmt.Errorf("restart %s on its data dir after the full disk: %w", node, err)
			}
		}
		after, err := sealedAgain(ctx, n, 90*time.Second)
		if err != nil {
			return fmt.Errorf("%w (%s free then; the node running: %v)", err, free(n.DataDir), n.Running())
		}
		c.note("%s sealed again %.1f s after space returned", node, after.Sub(freed).Seconds())
		return nil
	}}
}

// fill writes zeros to path until the disk is full.
func fill(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return nil
			}
			return err
		}
	}
}

// diskErrors returns the node's log lines that name the full disk.
func diskErrors(log string) []string {
	f, err := os.Open(log)
	if err != nil {
		return nil
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); strings.Contains(l, "no space left on device") {
			lines = append(lines, strings.Join(strings.Fields(l), " "))
		}
	}
	return lines
}

// sealedAgain waits until a block above the current head is sealed by n.
func sealedAgain(ctx context.Context, n *testnet.Node, timeout time.Duration) (time.Time, error) {
	cl, err := rpc.DialContext(ctx, n.RPC)
	if err != nil {
		return time.Time{}, err
	}
	defer cl.Close()
	var from hexutil.Uint64
	if err := cl.CallContext(ctx, &from, "eth_blockNumber"); err != nil {
		return time.Time{}, err
	}
	deadline := time.Now().Add(timeout)
	next := uint64(from) + 1
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var head hexutil.Uint64
		if err := cl.CallContext(ctx, &head, "eth_blockNumber"); err == nil {
			for ; next <= uint64(head); next++ {
				var signer common.Address
				if err := cl.CallContext(ctx, &signer, "clique_getSigner", hexutil.Uint64(next).String()); err != nil {
					break
				}
				if signer == n.Address {
					return time.Now(), nil
				}
			}
		}
		time.Sleep(watchInterval)
	}
	return time.Time{}, fmt.Errorf("%s sealed no block within %v after space returned", n.Name, timeout)
}

// free says how much space the file system of dir has left.
func free(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%.1f MiB", float64(st.Bavail)*float64(st.Bsize)/(1<<20))
}
