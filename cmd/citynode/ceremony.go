package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/genesis/ceremony"
	"github.com/citychain/citychain/genesis/rehearsal"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
	"github.com/citychain/citychain/internal/node"
)

var (
	ceremonyConfigFlag = &cli.StringFlag{Name: "network", Usage: "the network's description (network.toml; see docs/deployment.md); --config stays citynode's own configuration", Value: "network.toml"}
	ceremonyOutFlag    = &cli.StringFlag{Name: "out", Usage: "directory for genesis.json, network.toml (published), members.txt and each node's NODE.toml", Required: true}
	ceremonyPassFlag   = &cli.StringFlag{Name: "password", Usage: "file holding the password that encrypts the signer keys made here"}
	ceremonyNodeFlag   = &cli.StringSliceFlag{Name: "node", Usage: "NAME=DATADIR of a node to initialise (NAME is the host name peers reach it at); repeat"}
	ceremonyArchFlag   = &cli.StringSliceFlag{Name: "archive", Usage: "NAME=DATADIR of an archive (auditor) node to initialise; repeat"}
	ceremonyPortFlag   = &cli.IntFlag{Name: "port", Usage: "devp2p port every node listens on", Value: 30303}
	ceremonyOwnFlag    = &cli.StringFlag{Name: "owner", Usage: "UID:GID to give every file made (when run as root for nodes that are not)"}
)

// ceremonyCommand runs the genesis ceremony of a rehearsal network on one
// host (the compose network's one-shot service). It initialises data dirs,
// so it lives in citynode: cityctl does not link the node (ADR 033).
var ceremonyCommand = &cli.Command{
	Name:  "ceremony",
	Usage: "run the whole genesis ceremony on one host, for a rehearsal network (docker/compose.yaml)",
	Description: `Makes a key in each keystore network.toml names that has none (each
department's signer, and role holders or funded accounts given by keystore, such as
a gateway's relayer), the genesis (as cityctl genesis new), a node key in each data dir, initialises
each data dir, and writes the allowlist of exactly these nodes and each node's citynode
configuration (NODE.toml: the other nodes as static peers, the allowlist, a signer's
account and password file). Running it again changes nothing: it reuses what an earlier run
made and says so, and refuses to make another network where one was made (a lost key, a
changed network.toml), saying what to put back. On a production network
each department makes its own key on its own host instead (docs/deployment.md).`,
	Flags:  []cli.Flag{ceremonyConfigFlag, ceremonyOutFlag, ceremonyPassFlag, ceremonyNodeFlag, ceremonyArchFlag, ceremonyPortFlag, ceremonyOwnFlag},
	Action: runCeremony,
}

func runCeremony(ctx *cli.Context) error {
	cfg, err := ceremony.Load(ctx.String(ceremonyConfigFlag.Name))
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	r, err := ceremonyRehearsal(ctx, cfg)
	if err != nil {
		return err
	}
	var res *rehearsal.Result
	err = withoutFreshHeadWarning(dataDirs(r.Nodes), func() (err error) {
		res, err = rehearsal.Run(r)
		return err
	})
	if err != nil {
		return cli.Exit("ceremony: "+err.Error(), 1)
	}
	printCeremony(ctx.App.Writer, r, res)
	return nil
}

// ceremonyRehearsal is the rehearsal of network cfg the flags ask for: where
// to write, the password, the nodes and archives to initialise, the owner.
func ceremonyRehearsal(ctx *cli.Context, cfg *ceremony.Config) (rehearsal.Rehearsal, error) {
	r := rehearsal.Rehearsal{Network: cfg, Out: ctx.String(ceremonyOutFlag.Name), Port: ctx.Int(ceremonyPortFlag.Name), DataDirs: node.DataDirs{}}
	var err error
	if f := ctx.String(ceremonyPassFlag.Name); f != "" {
		if r.Password, err = keyfiles.ReadPassword(f); err != nil {
			return r, cli.Exit(err.Error(), 2)
		}
		r.PasswordFile = f
	}
	if r.Nodes, err = parseNodes(ctx.StringSlice(ceremonyNodeFlag.Name), false); err != nil {
		return r, err
	}
	archives, err := parseNodes(ctx.StringSlice(ceremonyArchFlag.Name), true)
	if err != nil {
		return r, err
	}
	r.Nodes = append(r.Nodes, archives...)
	if own := ctx.String(ceremonyOwnFlag.Name); own != "" {
		if r.Owner, err = parseOwner(own); err != nil {
			return r, err
		}
	}
	return r, nil
}

// printCeremony says what the ceremony made: keys, nodes, files, verdict.
func printCeremony(w io.Writer, r rehearsal.Rehearsal, res *rehearsal.Result) {
	for _, k := range res.NewKeys {
		fmt.Fprintf(w, "Made the key of %s: %s\n", k.Department, k.Address.Hex())
	}
	res.Summary(w)
	for _, n := range r.Nodes {
		state := "already initialised"
		if _, ok := res.Inited[n.Name]; ok {
			state = "initialised"
		}
		fmt.Fprintf(w, "Node %-10s %s  %s\n", n.Name, state, res.Enodes[n.Name])
	}
	fmt.Fprintf(w, "Wrote %s\n", strings.Join([]string{
		filepath.Join(r.Out, rehearsal.GenesisFile), filepath.Join(r.Out, rehearsal.NetworkFile),
		filepath.Join(r.Out, rehearsal.MembersFile), filepath.Join(r.Out, "NODE.toml")}, ", "))
	fmt.Fprintln(w, verdict(res))
}

// verdict is the ceremony's last line: whether it made a network or reused
// the one an earlier run made (make network-up prints it).
func verdict(res *rehearsal.Result) string {
	if !res.Reused {
		return fmt.Sprintf("Ceremony: made a new network, genesis %s", res.Hash.Hex())
	}
	var fresh []string
	for name := range res.Inited {
		fresh = append(fresh, name)
	}
	if len(fresh) == 0 {
		return fmt.Sprintf("Ceremony: reused the network an earlier run made, genesis %s: no key made, every data dir already initialised", res.Hash.Hex())
	}
	slices.Sort(fresh)
	return fmt.Sprintf("Ceremony: reused the network an earlier run made, genesis %s: no key made but the new node keys of %s, whose data dirs were empty and are initialised now (the running nodes accept them once they re-read the allowlist, on SIGHUP)", res.Hash.Hex(), strings.Join(fresh, ", "))
}

// dataDirs are the data dirs of nodes.
func dataDirs(nodes []rehearsal.Node) []string {
	var dirs []string
	for _, n := range nodes {
		dirs = append(dirs, n.DataDir)
	}
	return dirs
}

// parseNodes reads NAME=DATADIR values.
func parseNodes(vals []string, archive bool) ([]rehearsal.Node, error) {
	var nodes []rehearsal.Node
	for _, v := range vals {
		name, dir, ok := strings.Cut(v, "=")
		if !ok || name == "" || dir == "" {
			return nil, cli.Exit(fmt.Sprintf("invalid node %q: want NAME=DATADIR, e.g. signer-land=/nodes/land", v), 2)
		}
		if slices.ContainsFunc(nodes, func(n rehearsal.Node) bool { return n.Name == name }) {
			return nil, cli.Exit(fmt.Sprintf("node %q given twice: give each node once", name), 2)
		}
		nodes = append(nodes, rehearsal.Node{Name: name, DataDir: dir, Archive: archive})
	}
	return nodes, nil
}

// parseOwner reads UID:GID.
func parseOwner(s string) (*[2]int, error) {
	u, g, ok := strings.Cut(s, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if !ok || err1 != nil || err2 != nil || uid < 0 || gid < 0 {
		return nil, cli.Exit(fmt.Sprintf("invalid --owner %q: want UID:GID, e.g. 10001:10001", s), 2)
	}
	return &[2]int{uid, gid}, nil
}
