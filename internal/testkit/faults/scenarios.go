package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// Partition splits the nodes into groups for hold, then heals.
func Partition(name string, hold time.Duration, groups ...[]string) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		if err := c.Lab.Partition(groups...); err != nil {
			return err
		}
		sleep(ctx, hold) // the fault's duration: nothing to await
		return c.Lab.Heal()
	}}
}

// OneWay makes deaf not hear from for hold, then heals: an asymmetric
// partition (from still hears deaf).
func OneWay(name string, hold time.Duration, deaf string, from ...string) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		if err := c.Lab.Deafen(deaf, from...); err != nil {
			return err
		}
		sleep(ctx, hold)
		return c.Lab.Heal()
	}}
}

// Loss drops the given share of arriving packets on every node for hold.
func Loss(name string, hold time.Duration, probability float64) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		if err := c.Lab.Loss(probability); err != nil {
			return err
		}
		sleep(ctx, hold)
		return c.Lab.Heal()
	}}
}

// Delay holds every byte on every p2p connection for d each way (both
// directions of every link, through the relays of Options.Relays) for hold.
func Delay(name string, d, hold time.Duration) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		if len(c.relays) == 0 {
			return fmt.Errorf("no relays: start the cluster with Options.Relays")
		}
		var before int64
		for _, r := range c.relays {
			before += r.Conns()
			r.SetDelay(d)
		}
		sleep(ctx, hold) // the fault's duration: nothing to await
		var after int64
		for _, r := range c.relays {
			r.SetDelay(0)
			after += r.Conns()
		}
		c.note("p2p connections through the relays: %d since the start, %d opened during the fault", after, after-before)
		return nil
	}}
}

// Skew shifts node's clock by offset for hold: the node is stopped, started
// again with --fault.clock-offset (ADR 073) and, after hold, restarted
// without it. The fault includes both restarts.
func Skew(name, node string, offset, hold time.Duration) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		n, err := c.Net.Node(node)
		if err != nil {
			return err
		}
		plain := n.Args
		n.Args = append(append([]string(nil), plain...), "--fault.clock-offset", offset.String(), "--fault.allow")
		err = c.restartAs(ctx, node)
		n.Args = plain
		if err != nil {
			return err
		}
		from, dropped := c.bestHead(), c.logCount(droppedFuture)
		sleep(ctx, hold) // the fault's duration: nothing to await
		sealed, counted := c.sealedBy(ctx, n.Address, from+1, c.bestHead())
		c.note("%s sealed %d of the %d blocks of the hold; %d blocks dropped as too far in the future", node, sealed, counted, c.logCount(droppedFuture)-dropped)
		return c.restartAs(ctx, node)
	}}
}

// droppedFuture is what the follower logs for a peer's block more than 5 s
// ahead of its clock.
const droppedFuture = "Dropped block from the future"

// bestHead is the highest head the watchers saw last.
func (c *Cluster) bestHead() uint64 {
	var best uint64
	for _, h := range c.watch.heads() {
		if h != nil {
			best = max(best, h.Number.Uint64())
		}
	}
	return best
}

// sealedBy counts the blocks from..to of the rpc node's chain that signer
// sealed, and the blocks counted (up to the rpc node's head, which may be
// below to).
func (c *Cluster) sealedBy(ctx context.Context, signer common.Address, from, to uint64) (sealed, counted int) {
	n, _ := c.Net.Node("rpc1")
	cl, err := rpc.DialContext(ctx, n.RPC)
	if err != nil {
		return 0, 0
	}
	defer cl.Close()
	for num := from; num <= to; num++ {
		var who common.Address
		if err := cl.CallContext(ctx, &who, "clique_getSigner", hexutil.Uint64(num).String()); err != nil {
			break
		}
		counted++
		if who == signer {
			sealed++
		}
	}
	return sealed, counted
}

// logCount is how many lines of every node's log hold text.
func (c *Cluster) logCount(text string) int {
	total := 0
	for _, n := range c.Net.Nodes {
		total += len(logLines(n.Log, text))
	}
	return total
}

// restartAs stops node (SIGTERM) and starts it again with its Args.
func (c *Cluster) restartAs(ctx context.Context, node string) error {
	if err := c.Net.Stop(node, false); err != nil {
		return fmt.Errorf("stop %s: %w", node, err)
	}
	rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	return c.Restart(rctx, node)
}

// KillRandom kills -9 a random node every minGap..maxGap for total, and
// restarts it after down; the rpc node is one of the candidates.
func KillRandom(name string, total, minGap, maxGap, down time.Duration) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		end := time.Now().Add(total)
		names := c.Names()
		for time.Now().Before(end) && ctx.Err() == nil {
			sleep(ctx, minGap+time.Duration(rand.Int64N(int64(maxGap-minGap)+1)))
			victim := names[rand.IntN(len(names))]
			if err := c.Kill(victim); err != nil {
				return err
			}
			sleep(ctx, down)
			rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			err := c.Restart(rctx, victim)
			cancel()
			if err != nil {
				return fmt.Errorf("restart %s: %w", victim, err)
			}
		}
		return nil
	}}
}

// KillAll kills -9 every node at once and restarts them all after down.
func KillAll(name string, down time.Duration) Scenario {
	return Scenario{Name: name, Inject: func(ctx context.Context, c *Cluster) error {
		for _, n := range c.Names() {
			if err := c.Kill(n); err != nil {
				return err
			}
		}
		sleep(ctx, down)
		for _, n := range c.Names() {
			rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			err := c.Restart(rctx, n)
			cancel()
			if err != nil {
				return fmt.Errorf("restart %s: %w", n, err)
			}
		}
		return nil
	}}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
