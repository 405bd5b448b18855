package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
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
