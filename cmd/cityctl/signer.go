package main

import (
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

	"github.com/citychain/citychain/genesis/joinrequest"
	"github.com/citychain/citychain/internal/client/signers"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
)

var (
	windowFlag    = &cli.Uint64Flag{Name: "window", Usage: "recent blocks to look at", Value: 100}
	silentFlag    = &cli.Uint64Flag{Name: "silent", Usage: "K: warn about a signer that has not sealed for K slots (0: twice the signer count)"}
	requestsFlag  = &cli.StringSliceFlag{Name: "requests", Usage: "join request files naming the departments of signers (before the on-chain directory)"}
	intervalFlag  = &cli.DurationFlag{Name: "interval", Usage: "time between refreshes", Value: 2 * time.Second}
	countFlag     = &cli.IntFlag{Name: "count", Usage: "stop after this many reports (0: until interrupted)"}
	allowlistFlag = &cli.StringFlag{Name: "p2p.allowlist", Usage: "the node's --p2p.allowlist file, to admit or release the department's node"}
	dropFlag      = &cli.BoolFlag{Name: "drop", Usage: "vote to remove the account instead of adding it"}
	enodeFlag     = &cli.StringFlag{Name: "enode", Usage: "enode URL of the leaving signer's node (if no join request is given)"}

	onboardDataDirFlag = &cli.StringFlag{Name: "datadir", Usage: "data directory of the new department's citynode, where the signer key and node key are made (e.g. /var/lib/citynode)", Required: true}
	deptCodeFlag       = &cli.StringFlag{Name: "department.code", Usage: "department code, such as TRANSPORT", Required: true}
	deptNameFlag       = &cli.StringFlag{Name: "department.name", Usage: "department name", Required: true}
	onboardAddrFlag    = &cli.StringFlag{Name: "p2p.addr", Usage: "IP address the other members reach this node at", Required: true}
	onboardPortFlag    = &cli.IntFlag{Name: "port", Usage: "devp2p port of this node", Value: 30303}
	onboardOutFlag     = &cli.StringFlag{Name: "out", Usage: "join request file to write", Value: "join-request.json", Category: catOutput}

	// allowlistRenamed keeps the name --allowlist had before it took citynode's.
	allowlistRenamed = &cliutil.Deprecated{Name: "allowlist", For: "p2p.allowlist"}
)

// reportFlags are the flags of the commands that print a signer report.
var reportFlags = []cli.Flag{windowFlag, silentFlag, requestsFlag}

var signerCommand = &cli.Command{
	Name:  "signer",
	Usage: "the authority signers: health, votes, onboarding and removal of departments",
	Description: `Every command talks to a node's JSON-RPC (--rpc); votes go through a signer's own
node, which votes with the account it seals with.`,
	Subcommands: []*cli.Command{
		{
			Name:      "list",
			ArgsUsage: "[REQUEST.json ...]",
			Usage:     "the signers with their department, last sealed block and whether each may seal next",
			Flags:     nodeFlags(reportFlags...),
			Action:    func(ctx *cli.Context) error { return report(ctx, false) },
		},
		{
			Name:      "status",
			Usage:     "the signers' health, votes in flight and warnings; with ADDRESS or REQUEST.json, that account's progress",
			ArgsUsage: "[ADDRESS|REQUEST.json ...]",
			Flags:     nodeFlags(reportFlags...),
			Action:    func(ctx *cli.Context) error { return report(ctx, true) },
		},
		{
			Name:      "watch",
			ArgsUsage: "[ADDRESS|REQUEST.json ...]",
			Usage:     "status, refreshed every --interval (redrawn in a terminal)",
			Flags:     nodeFlags(append(slices.Clone(reportFlags), intervalFlag, countFlag)...),
			Action:    watch,
		},
		{
			Name:      "propose",
			Usage:     "vote, through the signer's own node, to add an account (or with --drop to remove one)",
			ArgsUsage: "ADDRESS",
			Flags:     nodeFlags(dropFlag),
			Action:    propose,
		},
		{
			Name:      "discard",
			Usage:     "stop the node voting on an account",
			ArgsUsage: "ADDRESS",
			Flags:     nodeFlags(),
			Action:    discard,
		},
		{
			Name:      "proposals",
			ArgsUsage: "[REQUEST.json ...]",
			Usage:     "votes in flight: the chain's tally and the node's own proposals",
			Flags:     nodeFlags(windowFlag, requestsFlag),
			Action: func(ctx *cli.Context) error {
				return withReport(ctx, func(r *signers.Report) error {
					return emit(ctx, r.Proposals, func(w io.Writer) error { return printProposals(w, r) })
				})
			},
		},
		{
			Name:   "onboard",
			Usage:  "on the new department's machine: create the signer key (encrypted keystore) and node key, write a signed join request",
			Flags:  offlineFlags(onboardDataDirFlag, passwordFlag, genesisFlag, deptCodeFlag, deptNameFlag, onboardAddrFlag, onboardPortFlag, onboardOutFlag),
			Action: onboard,
		},
		{
			Name:      "approve",
			Usage:     "on an existing signer's machine: check a join request, admit its node to the allowlist, vote to add the signer",
			ArgsUsage: "REQUEST.json",
			Flags:     nodeFlags(allowlistFlag, allowlistRenamed),
			Action:    approve,
		},
		{
			Name:      "remove",
			Usage:     "vote to remove a signer; once it is out, release its node from the allowlist (with --wait, both in one go)",
			ArgsUsage: "ADDRESS|REQUEST.json",
			Flags:     nodeFlags(allowlistFlag, allowlistRenamed, enodeFlag, waitFlag),
			Action:    removeSigner,
		},
	},
}

// watch prints status every --interval; an unreachable node is shown and
// retried, not fatal. Ctrl-C (SIGINT) or SIGTERM ends it, with exit status 0.
func watch(ctx *cli.Context) error {
	if d := ctx.Duration(intervalFlag.Name); d <= 0 {
		return cliutil.Usagef("invalid --interval %v: want a positive duration, e.g. 2s", d)
	}
	if n := ctx.Int(countFlag.Name); n < 0 {
		return cliutil.Usagef("invalid --count %d: want a number of reports, or 0 to run until interrupted", n)
	}
	out := ctx.App.Writer
	tty := isTerminal(out)
	for i := 0; ctx.Int(countFlag.Name) == 0 || i < ctx.Int(countFlag.Name); i++ {
		if i > 0 {
			select {
			case <-ctx.Context.Done():
				return nil
			case <-time.After(ctx.Duration(intervalFlag.Name)):
			}
		}
		if tty {
			fmt.Fprint(out, "\x1b[H\x1b[2J") // cursor home, clear screen
		} else if i > 0 && !ctx.Bool(jsonFlag.Name) {
			fmt.Fprintln(out)
		}
		err := report(ctx, true)
		if ctx.Context.Err() != nil {
			return nil // interrupted during the report
		}
		if !errors.Is(err, errUnreachable) && !errors.Is(err, signers.ErrUnreachable) {
			if err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(out, "%s  %v\n", time.Now().Format(time.TimeOnly), err)
	}
	return nil
}

func propose(ctx *cli.Context) error {
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
		v := map[string]any{"voter": check.NodeSigner, "address": addr, "authorize": authorize}
		return emit(ctx, v, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "Signer %s now votes to %s %s in the blocks it seals; follow with `cityctl signer status %s --rpc %s`\n",
				check.NodeSigner.Hex(), verb(authorize), addr.Hex(), addr.Hex(), c.URL())
			return err
		})
	})
}

func discard(ctx *cli.Context) error {
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
		return emit(ctx, map[string]any{"address": addr, "discarded": true}, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "Discarded the proposal on %s; votes already in blocks stay counted until the next checkpoint\n", addr.Hex())
			return err
		})
	})
}

func onboard(ctx *cli.Context) error {
	if ctx.String(passwordFlag.Name) == "" {
		return cliutil.Usagef("missing --password FILE: the password that encrypts the new signer key")
	}
	password, err := keyfiles.ReadPassword(ctx.String(passwordFlag.Name))
	if err != nil {
		return cliutil.Usagef("%v", err)
	}
	cfg := signers.OnboardConfig{
		DataDir:    ctx.String(onboardDataDirFlag.Name),
		Password:   password,
		Genesis:    ctx.String(genesisFlag.Name),
		Department: signers.Department{Code: ctx.String(deptCodeFlag.Name), Name: ctx.String(deptNameFlag.Name)},
		Host:       ctx.String(onboardAddrFlag.Name),
		Port:       ctx.Int(onboardPortFlag.Name),
		Out:        ctx.String(onboardOutFlag.Name),
	}
	if err := cfg.Validate(); err != nil {
		return cliutil.Usagef("%v", err)
	}
	res, err := signers.Onboard(cfg)
	if err != nil {
		return err
	}
	v := map[string]any{"signer": res.Request.Signer, "keyfile": res.Keyfile, "nodeKey": res.NodeKey, "nodeKeyReused": res.Reused,
		"enode": res.Request.Enode, "request": cfg.Out}
	return emit(ctx, v, func(w io.Writer) error { printOnboarded(w, cfg, res, ctx.String(passwordFlag.Name)); return nil })
}

func printOnboarded(w io.Writer, cfg signers.OnboardConfig, res *signers.Onboarded, passwordFile string) {
	nodeKey := "created"
	if res.Reused {
		nodeKey = "kept (it existed)"
	}
	fmt.Fprintf(w, "Signer:       %s (key encrypted in %s)\n", res.Request.Signer.Hex(), res.Keyfile)
	fmt.Fprintf(w, "Node key:     %s, %s\n", res.NodeKey, nodeKey)
	fmt.Fprintf(w, "Enode:        %s\n", res.Request.Enode)
	fmt.Fprintf(w, "Join request: %s\n\n", cfg.Out)
	fmt.Fprintf(w, "Next steps:\n")
	fmt.Fprintf(w, "  1. citynode init %s --datadir %s\n", cfg.Genesis, cfg.DataDir)
	fmt.Fprintf(w, "  2. citynode --datadir %s --signer %s --password %s --p2p.addr %s --port %d --p2p.allowlist MEMBERS.txt --staticnodes ENODES\n",
		cfg.DataDir, res.Request.Signer.Hex(), passwordFile, cfg.Host, cfg.Port)
	// approve votes: on the signer's control listener only, behind its JWT (ADR 062).
	fmt.Fprintf(w, "  3. send %s to every signer department; each runs, on its signer's machine, `cityctl signer approve %s --rpc http://127.0.0.1:8551 --jwtsecret THEIR_DATADIR/citynode/jwtsecret --p2p.allowlist THEIR_MEMBERS.txt`\n", cfg.Out, cfg.Out)
	fmt.Fprintf(w, "  4. follow with `cityctl signer status %s --rpc URL` until it seals\n", res.Request.Signer.Hex())
}

func approve(ctx *cli.Context) error {
	path, err := oneArg(ctx, "REQUEST.json, the join request `cityctl signer onboard` wrote")
	if err != nil {
		return err
	}
	req, err := joinrequest.Load(path)
	if err != nil {
		return cliutil.Usagef("%v", err)
	}
	return withClient(ctx, func(c *signers.Client) error {
		a, err := signers.Approve(ctx.Context, c, req, ctx.String(allowlistFlag.Name))
		if a != nil && !ctx.Bool(jsonFlag.Name) {
			printAdmission(ctx.App.Writer, a, req.Enode)
		}
		if err != nil {
			return err
		}
		v := map[string]any{"signer": req.Signer, "department": req.Department, "admission": a}
		return emit(ctx, v, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "Signer %s votes to add %s (%s, %s); follow with `cityctl signer status %s --rpc %s`\n",
				a.Voter.Hex(), req.Signer.Hex(), req.Department.Code, req.Department.Name, req.Signer.Hex(), c.URL())
			return err
		})
	})
}

func removeSigner(ctx *cli.Context) error {
	arg, err := oneArg(ctx, "ADDRESS or REQUEST.json of the leaving signer")
	if err != nil {
		return err
	}
	addr, enode, err := accountArg(arg)
	if err != nil {
		return err
	}
	if ctx.IsSet(enodeFlag.Name) {
		enode = ctx.String(enodeFlag.Name)
	}
	return withClient(ctx, func(c *signers.Client) error {
		return remove(ctx, c, addr, enode)
	})
}

// removal is what `signer remove` did.
type removal struct {
	Address   common.Address     `json:"address"`
	Voter     common.Address     `json:"voter"` // zero if no vote was cast
	Out       bool               `json:"out"`   // no longer a signer
	Admission *signers.Admission `json:"admission"`
	enode     string
	hint      string
}

// remove votes to remove addr; once it is out (at once with --wait), it
// releases its node from the allowlist.
func remove(ctx *cli.Context, c *signers.Client, addr common.Address, enode string) error {
	a, err := signers.Remove(ctx.Context, c, addr, enode, ctx.String(allowlistFlag.Name))
	if err != nil {
		return err
	}
	r := &removal{Address: addr, Voter: a.Voter, Out: !a.Voted, Admission: a, enode: enode}
	switch {
	case r.Out:
	case !ctx.IsSet(waitFlag.Name):
		r.hint = fmt.Sprintf("Once the majority has voted (`cityctl signer status %s --rpc %s`), run this again to release its node from the allowlist", addr.Hex(), c.URL())
	default:
		if err := waitOut(ctx, c, addr); err != nil {
			return err
		}
		if r.Admission, err = signers.Remove(ctx.Context, c, addr, enode, ctx.String(allowlistFlag.Name)); err != nil {
			return err
		}
		r.Out = true
	}
	return emit(ctx, r, r.print)
}

// waitOut waits up to --wait for addr to leave the signer set.
func waitOut(ctx *cli.Context, c *signers.Client, addr common.Address) error {
	wait := ctx.Duration(waitFlag.Name)
	deadline := time.Now().Add(wait)
	for {
		list, err := c.Signers(ctx.Context)
		if err != nil {
			return err
		}
		if !slices.Contains(list, addr) {
			return nil
		}
		if time.Now().After(deadline) {
			return cli.Exit(fmt.Sprintf("%s is still a signer after %v: the other signers must vote too (see `cityctl signer status %s --rpc %s`)", addr.Hex(), wait, addr.Hex(), c.URL()), 1)
		}
		time.Sleep(time.Second)
	}
}

func (r *removal) print(w io.Writer) error {
	if r.Voter != (common.Address{}) {
		fmt.Fprintf(w, "Signer %s votes to remove %s\n", r.Voter.Hex(), r.Address.Hex())
	}
	if r.hint != "" {
		_, err := fmt.Fprintln(w, r.hint)
		return err
	}
	printAdmission(w, r.Admission, r.enode)
	_, err := fmt.Fprintf(w, "%s is no longer a signer\n", r.Address.Hex())
	return err
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
		return printReport(ctx.App.Writer, r, progs, full)
	})
}

// printReport prints list (full false) or status (full true) as text.
func printReport(w io.Writer, r *signers.Report, progs []tracked, full bool) error {
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
		req, err := joinrequest.Load(f)
		if err != nil {
			return nil, cliutil.Usagef("%v", err)
		}
		static[req.Signer] = req.Department
	}
	if len(static) == 0 {
		return signers.NoDirectory{}, nil
	}
	return static, nil
}

// withClient runs fn with a signer-set client of the node of --rpc.
func withClient(ctx *cli.Context, fn func(*signers.Client) error) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	return fn(c.signers())
}

func addressArg(ctx *cli.Context) (common.Address, error) {
	s, err := oneArg(ctx, "the account, a 0x-prefixed address")
	if err != nil {
		return common.Address{}, err
	}
	return parseAddress("account", s)
}

// accountArg takes an address or a join request file; a request also gives
// the enode.
func accountArg(s string) (common.Address, string, error) {
	if common.IsHexAddress(s) {
		return common.HexToAddress(s), "", nil
	}
	if _, err := os.Stat(s); err == nil {
		req, err := joinrequest.Load(s)
		if err != nil {
			return common.Address{}, "", cliutil.Usagef("%v", err)
		}
		return req.Signer, req.Enode, nil
	}
	return common.Address{}, "", cliutil.Usagef("%q is neither an account address (0x and 40 hex digits) nor a join request file", s)
}
