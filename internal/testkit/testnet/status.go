package testnet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// NodeStatus is what `cityctl testnet status` shows of a node.
type NodeStatus struct {
	Name    string      `json:"name"`
	Role    string      `json:"role"`
	Running bool        `json:"running"`
	PID     int         `json:"pid"`
	Head    uint64      `json:"head"`
	Hash    common.Hash `json:"hash"`
	Peers   uint64      `json:"peers"`
	Error   string      `json:"error,omitempty"`
}

// Status queries every node of the network.
func (nw *Network) Status(ctx context.Context) []NodeStatus {
	out := make([]NodeStatus, len(nw.Nodes))
	for i, n := range nw.Nodes {
		st := NodeStatus{Name: n.Name, Role: n.Role, Running: n.alive(), PID: n.PID}
		if st.Running {
			if err := query(ctx, n, &st); err != nil {
				st.Error = err.Error()
			}
		}
		out[i] = st
	}
	return out
}

func query(ctx context.Context, n *Node, st *NodeStatus) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	client, err := rpc.DialContext(ctx, n.RPC)
	if err != nil {
		return err
	}
	defer client.Close()
	var head struct {
		Number hexutil.Uint64 `json:"number"`
		Hash   common.Hash    `json:"hash"`
	}
	var peers hexutil.Uint64
	batch := []rpc.BatchElem{
		{Method: "eth_getBlockByNumber", Args: []any{"latest", false}, Result: &head},
		{Method: "net_peerCount", Result: &peers},
	}
	if err := client.BatchCallContext(ctx, batch); err != nil {
		return err
	}
	for _, el := range batch {
		if el.Error != nil {
			return el.Error
		}
	}
	st.Head, st.Hash, st.Peers = uint64(head.Number), head.Hash, uint64(peers)
	return nil
}

// waitRPC waits until the node answers JSON-RPC, failing early if it exits.
func waitRPC(n *Node, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if !n.alive() {
			return exitedError(n)
		}
		var st NodeStatus
		if err := query(context.Background(), n, &st); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer JSON-RPC at %s within %v: see %s", n.Name, n.RPC, timeout, n.Log)
}

// errPortTaken marks a node that could not bind a port picked for it.
var errPortTaken = errors.New("a port picked for the node was taken by another process")

// exitedError describes a node that exited during start-up, with the end of
// its log, so that a failure in CI can be read from the test output alone.
func exitedError(n *Node) error {
	tail := logTail(n.Log, 20)
	err := fmt.Errorf("%s exited during start-up: see %s; its log ends:\n%s", n.Name, n.Log, tail)
	if strings.Contains(tail, "address already in use") {
		return fmt.Errorf("%w: %w", errPortTaken, err)
	}
	return err
}

// logTail returns the last lines of a log file, or why it cannot.
func logTail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
