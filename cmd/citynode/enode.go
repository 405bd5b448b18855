package main

import (
	"fmt"
	"net"

	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
)

// enodeCommand prints the enode URL a data dir's node will have, making its
// node key if there is none: what a department sends the operators for the
// members' allowlist before its node has ever run (admin_nodeInfo needs a
// running node).
var enodeCommand = &cli.Command{
	Name:  "enode",
	Usage: "print this data dir's enode URL (the node key is made, durably, if there is none): what the other members put on their allowlists and --staticnodes",
	Flags: []cli.Flag{dataDirFlag, p2pAddrFlag, p2pPortFlag},
	Action: func(ctx *cli.Context) error {
		if err := needDataDir(ctx, "enode"); err != nil {
			return err
		}
		ip, err := enodeIP(ctx.String(p2pAddrFlag.Name))
		if err != nil {
			return err
		}
		key, made, err := keyfiles.NodeKey(ctx.String(dataDirFlag.Name))
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		state := "kept (it existed)"
		if made {
			state = "created"
		}
		port := ctx.Int(p2pPortFlag.Name)
		fmt.Fprintf(ctx.App.Writer, "Node key: %s, %s\nEnode:    %s\n", keyfiles.NodeKeyPath(ctx.String(dataDirFlag.Name)), state, enode.NewV4(&key.PublicKey, ip, port, port).URLv4())
		if ip.IsLoopback() {
			fmt.Fprintf(ctx.App.ErrWriter, "The address is %s, which only this host reaches: give --p2p.addr, the address the other members reach this node at, and start the node with the same\n", ip)
		}
		return nil
	},
}

// enodeIP reads --p2p.addr for an enode URL: a concrete IP address.
func enodeIP(addr string) (net.IP, error) {
	ip := net.ParseIP(addr)
	if ip == nil || ip.IsUnspecified() {
		return nil, cli.Exit(fmt.Sprintf("--p2p.addr %q is not an address peers can dial: give the IP address the other members reach this node at, e.g. --p2p.addr 10.0.0.9", addr), 2)
	}
	return ip, nil
}
