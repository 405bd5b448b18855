// Package faults is the fault suite (docs/reliability.md): four signers and
// an rpc node, each in a network namespace of its own (internal/testkit/
// netlab), under a steady transfer load through the rpc node, while a
// scenario partitions, kills or starves them. Watchers poll every node and a
// Result gives the verdict: acknowledged transactions lost (must be 0),
// deepest reorg, longest stall, time to recover, agreement of all nodes at
// the end, finality never reverted, and the transfer rate before and during
// the fault.
package faults

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/internal/testkit/netlab"
	"github.com/citychain/citychain/internal/testkit/testnet"
)

// Signers and Period of the suite's network.
const (
	Signers = 4
	Period  = 1 // seconds
	chainID = 4377
)

// Cluster is the network under test and its lab.
type Cluster struct {
	Lab *netlab.Lab
	Net *testnet.Network
	// Before is how long the load runs alone before each fault (10 s if 0).
	Before time.Duration

	notesMu sync.Mutex
	notes   []string // what the running scenario observed, for its Result

	key    *ecdsa.PrivateKey
	signer types.Signer
	watch  *Watcher
	relays map[string]*netlab.Relay // by node, with Options.Relays
}

// smallDiskMinFree is the --datadir.minfreedisk (MiB) of the node on the
// small disk: the default (256 MiB) is the whole disk.
const smallDiskMinFree = 32

// Options of a cluster.
type Options struct {
	// SmallDisk names a node whose data dir is a tmpfs of DiskSize bytes
	// (for DiskFull).
	SmallDisk string
	DiskSize  int64
	// Relays puts a delay relay (netlab.Relay) in front of every node's
	// p2p port from the start, for Delay.
	Relays bool
}

// Start makes the lab, one host per node, and starts the network in dir.
func Start(dir, binary string, opts Options) (*Cluster, error) {
	lab, err := netlab.New()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Lab: lab}
	if opts.SmallDisk != "" {
		// testnet puts node NAME's data dir in dir/NAME, and citynode its
		// databases in DATADIR/citynode; the log and the keystore stay on
		// the big disk (the log must say what happened).
		if err := lab.Tmpfs(filepath.Join(dir, opts.SmallDisk, "citynode"), opts.DiskSize); err != nil {
			lab.Close()
			return nil, err
		}
	}
	nw, err := testnet.Up(testnet.Config{
		Dir: dir, Binary: binary, Signers: Signers, RPC: 1, Period: Period, ChainID: chainID,
		Place: c.place, BeforeStart: c.beforeStart(opts),
	})
	if err != nil {
		lab.Close()
		return nil, err
	}
	c.Net = nw
	if c.key, err = crypto.HexToECDSA(nw.Faucet); err != nil {
		c.Close()
		return nil, err
	}
	c.signer = types.LatestSignerForChainID(big.NewInt(chainID))
	c.watch = newWatcher(c)
	return c, nil
}

// place gives each node a namespace of its own, made on first use.
func (c *Cluster) place(name string) testnet.Placement {
	h := c.Lab.Host(name)
	if h == nil {
		var err error
		if h, err = c.Lab.AddHost(name); err != nil {
			// testnet.Up reports a bad address: the error is in the log.
			return testnet.Placement{Addr: "invalid: " + err.Error()}
		}
	}
	return testnet.Placement{Addr: h.Addr, Netns: h.Netns}
}

// beforeStart relays every node's p2p port (Options.Relays) and gives the
// small disk's node its guard (Options.SmallDisk).
func (c *Cluster) beforeStart(opts Options) func(*testnet.Network) error {
	return func(nw *testnet.Network) error {
		if opts.SmallDisk != "" {
			n, err := nw.Node(opts.SmallDisk)
			if err != nil {
				return err
			}
			n.Args = append(n.Args, "--datadir.minfreedisk", fmt.Sprint(smallDiskMinFree))
		}
		if !opts.Relays {
			return nil
		}
		c.relays = map[string]*netlab.Relay{}
		for _, n := range nw.Nodes {
			en, err := enode.ParseV4(n.Enode)
			if err != nil {
				return err
			}
			if c.relays[n.Name], err = c.Lab.Relay(n.Name, en.TCP()); err != nil {
				return err
			}
		}
		return nil
	}
}

// Close stops the watcher and the nodes, then removes the lab (which kills
// what is left in its namespaces).
func (c *Cluster) Close() error {
	if c.watch != nil {
		c.watch.stop()
	}
	if c.Net != nil {
		c.Net.Down()
	}
	return c.Lab.Close()
}

// Names returns the node names: signer1..4, rpc1.
func (c *Cluster) Names() []string {
	var names []string
	for _, n := range c.Net.Nodes {
		names = append(names, n.Name)
	}
	return names
}

// Kill ends a node with SIGKILL.
func (c *Cluster) Kill(name string) error { return c.Net.Stop(name, true) }

// Restart starts a stopped node and waits (bounded) until it answers.
func (c *Cluster) Restart(ctx context.Context, name string) error {
	if err := c.Net.Start(name); err != nil {
		return err
	}
	n, _ := c.Net.Node(name)
	for ctx.Err() == nil {
		if !n.Running() {
			return fmt.Errorf("%s exited after its restart: see %s", name, n.Log)
		}
		if _, err := c.head(ctx, n); err == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s does not answer after its restart: %w", name, ctx.Err())
}

func (c *Cluster) head(ctx context.Context, n *testnet.Node) (*types.Header, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	cl, err := ethclient.DialContext(ctx, n.RPC)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	return cl.HeaderByNumber(ctx, nil)
}

// Faucet is the account the load sends from.
func (c *Cluster) Faucet() common.Address { return crypto.PubkeyToAddress(c.key.PublicKey) }

// note records an observation of the running scenario.
func (c *Cluster) note(format string, args ...any) {
	c.notesMu.Lock()
	defer c.notesMu.Unlock()
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// takeNotes returns the observations so far and starts afresh.
func (c *Cluster) takeNotes() []string {
	c.notesMu.Lock()
	defer c.notesMu.Unlock()
	n := c.notes
	c.notes = nil
	return n
}
