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

// DiskFull fills the disk of node (whose databases must be on a small
// tmpfs: Options.SmallDisk) for hold, then frees the space. The node must
// stop by itself, saying why (its free-space guard, ADR 074: a full disk is
// not survivable in-process), refuse to start while the disk is full, and,
// started again once space returns, run on its data dir and seal again.
// A node that keeps running on the full disk fails the scenario: that is
// the state in which it once never sealed again (docs/reliability.md).
func DiskFull(name, node string, hold time.Duration) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		n, err := c.Net.Node(node)
		if err != nil {
			return err
		}
		filler := filepath.Join(n.DataDir, "citynode", "filler")
		if err := fill(filler); err != nil {
			return err
		}
		full := time.Now()
		if err := stoppedBySelf(ctx, c, n, full); err != nil {
			return err
		}
		if err := refusesToStart(ctx, c, n); err != nil {
			return err
		}
		sleep(ctx, time.Until(full.Add(hold))) // the rest of the fault: nothing to await
		if err := os.Remove(filler); err != nil {
			return err
		}
		freed := time.Now()
		c.note("%s free once the file went", free(filepath.Join(n.DataDir, "citynode")))
		rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		err = c.Restart(rctx, node)
		cancel()
		if err != nil {
			return fmt.Errorf("restart %s on its data dir after the full disk: %w", node, err)
		}
		after, err := sealedAgain(ctx, n, 90*time.Second)
		if err != nil {
			return fmt.Errorf("%w (the node running: %v)", err, n.Running())
		}
		c.note("%s sealed again %.1f s after space returned", node, after.Sub(freed).Seconds())
		return nil
	}}
}

// guardSays is what the free-space guard's message starts with.
const guardSays = "below --datadir.minfreedisk"

// stoppedBySelf waits (bounded) for n to exit on its full disk and checks
// that its log says why.
func stoppedBySelf(ctx context.Context, c *Cluster, n *testnet.Node, full time.Time) error {
	if !awaitExit(ctx, n, 30*time.Second) {
		return fmt.Errorf("%s still runs 30 s after its disk filled up: its free-space guard did not stop it (%s)", n.Name, n.Log)
	}
	c.note("%s stopped by itself %.1f s after its disk filled up", n.Name, time.Since(full).Seconds())
	said := logLines(n.Log, guardSays)
	if len(said) == 0 {
		return fmt.Errorf("%s stopped on its full disk without saying why (no %q in %s)", n.Name, guardSays, n.Log)
	}
	c.note("it said: %s", said[len(said)-1])
	if enospc := logLines(n.Log, "no space left on device"); len(enospc) > 0 {
		c.note("%d write errors logged before it stopped, first: %s", len(enospc), enospc[0])
	}
	return nil
}

// refusesToStart starts n on its full disk: it must exit again at once,
// saying why.
func refusesToStart(ctx context.Context, c *Cluster, n *testnet.Node) error {
	before := len(logLines(n.Log, guardSays))
	if err := c.Net.Start(n.Name); err != nil {
		return err
	}
	if !awaitExit(ctx, n, 30*time.Second) {
		return fmt.Errorf("%s started on a full disk and still runs", n.Name)
	}
	if len(logLines(n.Log, guardSays)) == before {
		return fmt.Errorf("%s refused to start on its full disk without saying why (%s)", n.Name, n.Log)
	}
	c.note("started on the full disk, it refused with the same message")
	return nil
}

// awaitExit reports whether n's process is gone within timeout.
func awaitExit(ctx context.Context, n *testnet.Node, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for n.Running() {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
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

// logLines returns the lines of the log that hold text, spaces squeezed.
func logLines(log, text string) []string {
	f, err := os.Open(log)
	if err != nil {
		return nil
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); strings.Contains(l, text) {
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
