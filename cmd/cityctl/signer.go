package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/signers"
)

var (
	rpcURLFlag    = &cli.StringFlag{Name: "rpc", Usage: "JSON-RPC URL of the node to ask (for votes: the signer's own node)", Value: "http://127.0.0.1:8545"}
	windowFlag    = &cli.Uint64Flag{Name: "window", Usage: "recent blocks to look at", Value: 100}
	silentFlag    = &cli.Uint64Flag{Name: "silent", Usage: "K: warn about a signer that has not sealed for K slots (0: twice the signer count)"}
	requestsFlag  = &cli.StringSliceFlag{Name: "requests", Usage: "join request files naming the departments of signers (until the on-chain directory is wired in)"}
	intervalFlag  = &cli.DurationFlag{Name: "interval", Usage: "time between refreshes", Value: 2 * time.Second}
	countFlag     = &cli.IntFlag{Name: "count", Usage: "stop after this many reports (0: until interrupted)"}
	allowlistFlag = &cli.StringFlag{Name: "allowlist", Usage: "the node's --p2p.allowlist file, to admit or release the department's node"}
	dropFlag      = &cli.BoolFlag{Name: "drop", Usage: "vote to remove the account instead of adding it"}
	enodeFlag     = &cli.StringFlag{Name: "enode", Usage: "enode URL of the leaving signer's node (if no join request is given)"}
	waitFlag      = &cli.DurationFlag{Name: "wait", Usage: "after voting, wait up to this long for the signer to leave, then release its node"}

	onboardDataDirFlag = &cli.StringFlag{Name: "datadir", Usage: "data directory of the new department's citynode", Value: "citynode-data"}
	onboardPassFlag    = &cli.StringFlag{Name: "password", Usage: "file holding the password that encrypts the new signer key", Required: true}
	onboardGenFlag     = &cli.StringFlag{Name: "genesis", Usage: "the network's genesis.json", Required: true}
	deptCodeFlag       = &cli.StringFlag{Name: "department.code", Usage: "department code, such as TRANSPORT", Required: true}
	deptNameFlag       = &cli.StringFlag{Name: "department.name", Usage: "department name", Required: true}
	onboardAddrFlag    = &cli.StringFlag{Name: "p2p.addr", Usage: "IP address the other members reach this node at", Required: true}
	onboardPortFlag    = &cli.IntFlag{Name: "port", Usage: "devp2p port of this node", Value: 30303}
	onboardOutFlag     = &cli.StringFlag{Name: "out", Usage: "join request file to write", Value: "join-request.json"}
)

var signerCommand = &cli.Command{
	Name:  "signer",
	Usage: "the authority signers: health, votes, onboarding and removal of departments",
	Subcommands: []*cli.Command{
		{
			Name:   "list",
			Usage:  "the signers with their department, last sealed block and whether each may seal next",
			Flags:  []cli.Flag{rpcURLFlag, windowFlag, silentFlag, requestsFlag, jsonFlag},
			Action: func(ctx *cli.Context) error { return report(ctx, false) },
		},
		{
			Name:      "status",
			Usage:     "the signers' health, votes in flight and warnings; with ADDRESS or REQUEST.json, that account's progress",
			ArgsUsage: "[ADDRESS|REQUEST.json ...]",
			Flags:     []cli.Flag{rpcURLFlag, windowFlag, silentFlag, requestsFlag, jsonFlag},
			Action:    func(ctx *cli.Context) error { return report(ctx, true) },
		},
		{
			Name:  "watch",
			Usage: "status, refreshed every --interval (redrawn in a terminal)",
			Flags: []cli.Flag{rpcURLFlag, windowFlag, silentFlag, requestsFlag, jsonFlag, intervalFlag, countFlag},
			Action: func(ctx *cli.Context) error {
				out := ctx.App.Writer
				tty := false
				if f, ok := out.(*os.File); ok {
					if fi, err := f.Stat(); err == nil {
						tty = fi.Mode()&os.ModeCharDevice != 0
					}
				}
				for i := 0; ctx.Int(countFlag.Name) == 0 || i < ctx.Int(countFlag.Name); i++ {
					if i > 0 {
						time.Sleep(ctx.Duration(intervalFlag.Name))
					}
					if tty {
						fmt.Fprint(out, "\x1b[H\x1b[2J") // cursor home, clear screen
					} else if i > 0 && !ctx.Bool(jsonFlag.Name) {
						fmt.Fprintln(out)
					}
					if err := report(ctx, true); err != nil {
						// An unreachable node is shown and retried, not fatal.
						if !errors.Is(err, signers.ErrUnreachable) {
							return err
						}
						fmt.Fprintf(out, "%s  %v\n", time.Now().Format(time.TimeOnly), err)
					}
				}
				return nil
			},
		},
		{
			Name:      "propose",
			Usage:     "vote, through the signer's own node, to add an account (or with --drop to remove one)",
			ArgsUsage: "ADDRESS",
			Flags:     []cli.Flag{rpcURLFlag, dropFlag},
			Action: func(ctx *cli.Context) error {
				addr, err := addressArg(ctx)
				if err != nil {
					return err
				}
				return withClient(ctx, func(c *signers.Client) error {
					authorize := !ctx.Bool(dropFlag.Name)
					check, err := c.Propose(ctx.Context, addr, authorize)
					if err != nil {
						return err
					}
					fmt.Fprintf(ctx.App.Writer, "Signer %s now votes to %s %s in the blocks it seals; follow with `cityctl signer status --rpc %s %s`\n",
						check.NodeSigner.Hex(), verb(authorize), addr.Hex(), c.URL(), addr.Hex())
					return nil
				})
			},
		},
		{
			Name:      "discard",
			Usage:     "stop the node voting on an account",
			ArgsUsage: "ADDRESS",
			Flags:     []cli.Flag{rpcURLFlag},
			Action: func(ctx *cli.Context) error {
				addr, err := addressArg(ctx)
				if err != nil {
					return err
				}
				return withClient(ctx, func(c *signers.Client) error {
					proposals, err := c.Proposals(ctx.Context)
					if err != nil {
						return err
					}
					if _, ok := proposals[addr]; !ok {
						return cli.Exit(fmt.Sprintf("the node at %s has no proposal on %s: nothing to discard (see `cityctl signer proposals`)", c.URL(), addr.Hex()), 1)
					}
					if err := c.Discard(ctx.Context, addr); err != nil {
						return err
					}
					fmt.Fprintf(ctx.App.Writer, "Discarded the proposal on %s; votes already in blocks stay counted until the next checkpoint\n", addr.Hex())
					return nil
				})
			},
		},
		{
			Name:  "proposals",
			Usage: "votes in flight: the chain's tally and the node's own proposals",
			Flags: []cli.Flag{rpcURLFlag, windowFlag, requestsFlag, jsonFlag},
			Action: func(ctx *cli.Context) error {
				return withReport(ctx, func(r *signers.Report) error {
					if ctx.Bool(jsonFlag.Name) {
						return writeJSON(ctx.App.Writer, r.Proposals)
					}
					return printProposals(ctx.App.Writer, r)
				})
			},
		},
		{
			Name:  "onboard",
			Usage: "on the new department's machine: create the signer key (encrypted keystore) and node key, write a signed join request",
			Flags: []cli.Flag{onboardDataDirFlag, onboardPassFlag, onboardGenFlag, deptCodeFlag, deptNameFlag, onboardAddrFlag, onboardPortFlag, onboardOutFlag},
			Action: func(ctx *cli.Context) error {
				password, err := node.ReadPassword(ctx.String(onboardPassFlag.Name))
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				cfg := signers.OnboardConfig{
					DataDir:  ctx.String(onboardDataDirFlag.Name),
					Password: password,
					Genesis:  ctx.String(onboardGenFlag.Name),
					Department: signers.Department{
						Code: ctx.String(deptCodeFlag.Name),
						Name: ctx.String(deptNameFlag.Name),
					},
					Host: ctx.String(onboardAddrFlag.Name),
					Port: ctx.Int(onboardPortFlag.Name),
					Out:  ctx.String(onboardOutFlag.Name),
				}
				res, err := signers.Onboard(cfg)
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				w := ctx.App.Writer
				nodeKey := "created"
				if res.Reused {
					nodeKey = "kept (it existed)"
				}
				fmt.Fprintf(w, "Signer:       %s (key encrypted in %s)\n", res.Request.Signer.Hex(), res.Keyfile)
				fmt.Fprintf(w, "Node key:     %s, %s\n", res.NodeKey, nodeKey)
				fmt.Fprintf(w, "Enode:        %s\n", res.Request.Enode)
				fmt.Fprintf(w, "Join request: %s\n\n", cfg.Out)
				fmt.Fprintf(w, "Next steps:\n")
				fmt.Fprintf(w, "  1. citynode init --datadir %s %s\n", cfg.DataDir, cfg.Genesis)
				fmt.Fprintf(w, "  2. citynode --datadir %s --signer %s --password %s --p2p.addr %s --port %d --p2p.allowlist MEMBERS.txt --staticnodes ENODES\n",
					cfg.DataDir, res.Request.Signer.Hex(), ctx.String(onboardPassFlag.Name), cfg.Host, cfg.Port)
				fmt.Fprintf(w, "  3. send %s to every signer department; each runs `cityctl signer approve --rpc THEIR_NODE --allowlist THEIR_MEMBERS.txt %s`\n", cfg.Out, cfg.Out)
				fmt.Fprintf(w, "  4. follow with `cityctl signer status --rpc URL %s` until it seals\n", res.Request.Signer.Hex())
				return nil
			},
		},
		{
			Name:      "approve",
			Usage:     "on an existing signer's machine: check a join request, admit its node to the allowlist, vote to add the signer",
			ArgsUsage: "REQUEST.json",
			Flags:     []cli.Flag{rpcURLFlag, allowlistFlag},
			Action: func(ctx *cli.Context) error {
				if ctx.NArg() != 1 {
					return cli.Exit("usage: cityctl signer approve --rpc URL --allowlist FILE REQUEST.json", 2)
				}
				req, err := signers.LoadJoinRequest(ctx.Args().First())
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				return withClient(ctx, func(c *signers.Client) error {
					a, err := signers.Approve(ctx.Context, c, req, ctx.String(allowlistFlag.Name))
					if a != nil {
						printAdmission(ctx.App.Writer, a, req.Enode)
					}
					if err != nil {
						return err
					}
					fmt.Fprintf(ctx.App.Writer, "Signer %s votes to add %s (%s, %s); follow with `cityctl signer status --rpc %s %s`\n",
						a.Voter.Hex(), req.Signer.Hex(), req.Department.Code, req.Department.Name, c.URL(), req.Signer.Hex())
					return nil
				})
			},
		},
		{
			Name:      "remove",
			Usage:     "vote to remove a signer; once it is out, release its node from the allowlist",
			ArgsUsage: "ADDRESS|REQUEST.json",
			Flags:     []cli.Flag{rpcURLFlag, allowlistFlag, enodeFlag, waitFlag},
			Action: func(ctx *cli.Context) error {
				if ctx.NArg() != 1 {
					return cli.Exit("usage: cityctl signer remove --rpc URL [--allowlist FILE] ADDRESS|REQUEST.json", 2)
				}
				addr, enode, err := accountArg(ctx.Args().First())
				if err != nil {
					return err
				}
				if ctx.IsSet(enodeFlag.Name) {
					enode = ctx.String(enodeFlag.Name)
				}
				return withClient(ctx, func(c *signers.Client) error {
					return remove(ctx, c, addr, enode)
				})
			},
		},
	},
}

// remove runs one removal step, and with --wait the release once the signer is out.
func remove(ctx *cli.Context, c *signers.Client, addr common.Address, enode string) error {
	w := ctx.App.Writer
	a, err := signers.Remove(ctx.Context, c, addr, enode, ctx.String(allowlistFlag.Name))
	if err != nil {
		return err
	}
	if !a.Voted {
		printAdmission(w, a, enode)
		fmt.Fprintf(w, "%s is not a signer\n", addr.Hex())
		return nil
	}
	fmt.Fprintf(w, "Signer %s votes to remove %s\n", a.Voter.Hex(), addr.Hex())
	wait := ctx.Duration(waitFlag.Name)
	if wait == 0 {
		fmt.Fprintf(w, "Once the majority has voted (`cityctl signer status --rpc %s %s`), run this again to release its node from the allowlist\n", c.URL(), addr.Hex())
		return nil
	}
	deadline := time.Now().Add(wait)
	for {
		list, err := c.Signers(ctx.Context)
		if err != nil {
			return err
		}
		if !slices.Contains(list, addr) {
			break
		}
		if time.Now().After(deadline) {
			return cli.Exit(fmt.Sprintf("%s is still a signer after %v: the other signers must vote too (see `cityctl signer status --rpc %s %s`)", addr.Hex(), wait, c.URL(), addr.Hex()), 1)
		}
		time.Sleep(time.Second)
	}
	a, err = signers.Remove(ctx.Context, c, addr, enode, ctx.String(allowlistFlag.Name))
	if err != nil {
		return err
	}
	printAdmission(w, a, enode)
	fmt.Fprintf(w, "%s is no longer a signer\n", addr.Hex())
	return nil
}

func printAdmission(w io.Writer, a *signers.Admission, enode string) {
	if a.Peered {
		fmt.Fprintln(w, "The node dials the new member now (until it restarts: add the enode to its --staticnodes)")
	}
	if a.Discarded {
		fmt.Fprintln(w, "Discarded the node's settled proposal")
	}
	if a.AllowlistFile == "" {
		return
	}
	switch {
	case !a.AllowlistEdit:
		fmt.Fprintf(w, "Allowlist %s: unchanged\n", a.AllowlistFile)
	case a.Reloaded:
		fmt.Fprintf(w, "Allowlist %s: updated for %s; the node reloaded it\n", a.AllowlistFile, shortEnode(enode))
	default:
		fmt.Fprintf(w, "Allowlist %s: updated for %s; the node does not serve admin_reloadAllowlist: send it SIGHUP (kill -HUP PID) to apply it\n", a.AllowlistFile, shortEnode(enode))
	}
}

func shortEnode(url string) string {
	if len(url) > 24 {
		return url[:24] + "…"
	}
	return url
}

// report prints list (full false) or status (full true).
func report(ctx *cli.Context, full bool) error {
	return withReport(ctx, func(r *signers.Report) error {
		var progs []tracked
		if full {
			for _, arg := range ctx.Args().Slice() {
				addr, _, err := accountArg(arg)
				if err != nil {
					return err
				}
				progs = append(progs, progress(r, addr))
			}
		}
		if ctx.Bool(jsonFlag.Name) {
			if !full {
				return writeJSON(ctx.App.Writer, r.Signers)
			}
			return writeJSON(ctx.App.Writer, struct {
				*signers.Report
				Tracked []tracked `json:"tracked,omitempty"`
			}{r, progs})
		}
		w := ctx.App.Writer
		fmt.Fprintf(w, "Head %d %s, %.0fs old; %d signers, %d sealing, the chain needs %d\n",
			r.Head, r.HeadHash.TerminalString(), r.HeadAge, len(r.Signers), r.Sealing, r.Limit)
		if err := printSigners(w, r); err != nil {
			return err
		}
		if !full {
			return nil
		}
		fmt.Fprintln(w)
		if err := printProposals(w, r); err != nil {
			return err
		}
		for _, t := range progs {
			fmt.Fprintf(w, "%s: %s\n", t.Address.Hex(), t.Progress)
		}
		if len(r.Warnings) == 0 {
			fmt.Fprintln(w, "No warnings")
		}
		for _, warn := range r.Warnings {
			fmt.Fprintf(w, "WARNING [%s] %s\n", warn.Kind, warn.Message)
		}
		return nil
	})
}

// tracked is the progress of one account named on the command line.
type tracked struct {
	Address  common.Address `json:"address"`
	State    string         `json:"state"` // joining, signer, sealing, leaving, out
	Progress string         `json:"progress"`
}

func progress(r *signers.Report, addr common.Address) tracked {
	t := tracked{Address: addr}
	var prop *signers.Proposal
	for i := range r.Proposals {
		if r.Proposals[i].Address == addr && !r.Proposals[i].Settled {
			prop = &r.Proposals[i]
		}
	}
	var health *signers.SignerHealth
	for i := range r.Signers {
		if r.Signers[i].Address == addr {
			health = &r.Signers[i]
		}
	}
	switch {
	case health == nil && prop != nil && prop.Authorize:
		t.State, t.Progress = "joining", fmt.Sprintf("joining: %d/%d votes, %d more needed before checkpoint block %d", prop.Votes, prop.Needed, prop.More(), prop.DiscardAt)
	case health == nil:
		t.State, t.Progress = "out", "not a signer, no votes in the chain"
	case prop != nil && !prop.Authorize:
		t.State, t.Progress = "leaving", fmt.Sprintf("leaving: %d/%d votes, %d more needed before checkpoint block %d", prop.Votes, prop.Needed, prop.More(), prop.DiscardAt)
	case health.LastSealed == nil:
		t.State, t.Progress = "signer", fmt.Sprintf("a signer (majority reached); has not sealed yet (%d slots)", health.SlotsSince)
	default:
		t.State, t.Progress = "sealing", fmt.Sprintf("a signer, sealing: last sealed block %d", *health.LastSealed)
	}
	return t
}

func printSigners(w io.Writer, r *signers.Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SIGNER\tDEPARTMENT\tLAST SEALED\tSEALED\tMISSED IN-TURN\tNEXT BLOCK\tSTATE")
	for _, s := range r.Signers {
		dept := "-"
		if s.Department != nil {
			dept = s.Department.Code
		}
		last := "none"
		if s.LastSealed != nil {
			last = fmt.Sprintf("%d (%d ago)", *s.LastSealed, r.Head-*s.LastSealed)
		}
		next := "may seal"
		if !s.MaySealNext {
			next = fmt.Sprintf("from %d", s.NextAllowed)
		}
		state := "ok"
		if s.Silent {
			state = fmt.Sprintf("SILENT %d slots", s.SlotsSince)
		}
		name := s.Address.Hex()
		if s.Self {
			name += " (this node)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%d/%d\t%s\t%s\n", name, dept, last, s.Sealed, r.Window, s.Missed, s.InTurnSlots, next, state)
	}
	return tw.Flush()
}

func printProposals(w io.Writer, r *signers.Report) error {
	if len(r.Proposals) == 0 {
		fmt.Fprintln(w, "No votes in flight")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VOTE\tACCOUNT\tDEPARTMENT\tVOTES\tTHIS NODE\tDISCARDED AT")
	for _, p := range r.Proposals {
		dept := "-"
		if p.Department != nil {
			dept = p.Department.Code
		}
		here := "-"
		switch {
		case p.Settled:
			here = "done (discard it)"
		case p.ProposedHere:
			here = "votes for it"
		}
		votes := fmt.Sprintf("%d/%d votes", p.Votes, p.Needed)
		if p.Settled {
			votes = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", verb(p.Authorize), p.Address.Hex(), dept, votes, here, p.DiscardAt)
	}
	return tw.Flush()
}

func verb(authorize bool) string {
	if authorize {
		return "add"
	}
	return "remove"
}

func withReport(ctx *cli.Context, fn func(*signers.Report) error) error {
	requests, err := resolverFrom(ctx.StringSlice(requestsFlag.Name), ctx.Args().Slice())
	if err != nil {
		return err
	}
	return withClient(ctx, func(c *signers.Client) error {
		// Join requests the operator named first, then the on-chain directory.
		resolver := signers.Resolvers{requests, signers.NewDirectory(c)}
		r, err := c.Report(ctx.Context, ctx.Uint64(windowFlag.Name), signers.Options{SilentSlots: ctx.Uint64(silentFlag.Name)}, resolver)
		if err != nil {
			return err
		}
		return fn(r)
	})
}

// resolverFrom builds the department resolver of the join request files
// (--requests and request arguments); the on-chain directory answers for
// the signers they do not name.
func resolverFrom(files, args []string) (signers.DepartmentResolver, error) {
	static := signers.Static{}
	for _, f := range append(files, args...) {
		if !strings.HasSuffix(f, ".json") {
			continue
		}
		req, err := signers.LoadJoinRequest(f)
		if err != nil {
			return nil, cli.Exit(err.Error(), 1)
		}
		static[req.Signer] = req.Department
	}
	if len(static) == 0 {
		return signers.NoDirectory{}, nil
	}
	return static, nil
}

func withClient(ctx *cli.Context, fn func(*signers.Client) error) error {
	c, err := signers.Dial(ctx.Context, ctx.String(rpcURLFlag.Name))
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	defer c.Close()
	if err := fn(c); err != nil {
		var exit cli.ExitCoder
		if errors.As(err, &exit) {
			return err
		}
		return cli.Exit(err.Error(), 1)
	}
	return nil
}

func addressArg(ctx *cli.Context) (common.Address, error) {
	if ctx.NArg() != 1 {
		return common.Address{}, cli.Exit("name one account: a 0x-prefixed address", 2)
	}
	s := ctx.Args().First()
	if !common.IsHexAddress(s) {
		return common.Address{}, cli.Exit(fmt.Sprintf("%q is not an account address: want 0x and 40 hex digits", s), 2)
	}
	return common.HexToAddress(s), nil
}

// accountArg takes an address or a join request file; a request also gives
// the enode.
func accountArg(s string) (common.Address, string, error) {
	if common.IsHexAddress(s) {
		return common.HexToAddress(s), "", nil
	}
	if _, err := os.Stat(s); err == nil {
		req, err := signers.LoadJoinRequest(s)
		if err != nil {
			return common.Address{}, "", cli.Exit(err.Error(), 1)
		}
		return req.Signer, req.Enode, nil
	}
	return common.Address{}, "", cli.Exit(fmt.Sprintf("%q is neither an account address (0x and 40 hex digits) nor a join request file", s), 2)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
