package main

import (
	"context"
	"fmt"
	"time"

	"github.com/citychain/citychain/internal/bench/loadgen"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"
)

var (
	waitBlockFlag = &cli.Uint64Flag{
		Name:  "block",
		Usage: "wait until the head is at least this block (1: the node is sealing)",
		Value: 1,
	}
	waitTimeoutFlag = &cli.DurationFlag{
		Name:  "timeout",
		Usage: "give up after this long",
		Value: 60 * time.Second,
	}
)

var waitCommand = &cli.Command{
	Name:   "wait",
	Usage:  "wait until a node answers JSON-RPC and its head reaches --block",
	Flags:  []cli.Flag{rpcFlag, allowRemoteFlag, waitBlockFlag, waitTimeoutFlag},
	Action: runWait,
}

func runWait(c *cli.Context) error {
	url := c.String(rpcFlag.Name)
	if err := loadgen.CheckTarget(url, c.Bool(allowRemoteFlag.Name)); err != nil {
		return cli.Exit(err.Error(), 2)
	}
	timeout := c.Duration(waitTimeoutFlag.Name)
	ctx, cancel := context.WithTimeout(c.Context, timeout)
	defer cancel()
	client := loadgen.NewClient(url, 1, 5*time.Second)
	defer client.Close()
	want := c.Uint64(waitBlockFlag.Name)
	var lastErr error
	for {
		var head hexutil.Uint64
		lastErr = client.Call(ctx, &head, "eth_blockNumber")
		if lastErr == nil && uint64(head) >= want {
			log.Info("Node is up", "rpc", url, "head", uint64(head))
			return nil
		}
		select {
		case <-ctx.Done():
			why := fmt.Sprintf("head below %d", want)
			if lastErr != nil {
				why = lastErr.Error()
			}
			return cli.Exit(fmt.Sprintf("node at %s not ready after %v: %s; check the node's log", url, timeout, why), 1)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
