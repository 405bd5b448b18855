package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/consensus/aura"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// Flags of the anchor commands.
var (
	chainRPCFlag    = &cli.StringFlag{Name: "chain-rpc", Usage: "JSON-RPC URL of a node of the external chain (with the clique API for register)", Required: true}
	anchorChainFlag = &cli.Uint64Flag{Name: "chain", Usage: "chain id of the registered external chain", Required: true}
	epochFlag       = &cli.Uint64Flag{Name: "epoch", Usage: "the external chain's Clique epoch (its genesis' clique.epoch)", Value: 30000}
	checkpointFlag  = &cli.StringFlag{Name: "checkpoint", Usage: "block number of the trusted checkpoint, an epoch header (default: the latest one)"}
	blocksFlag      = &cli.Uint64Flag{Name: "blocks", Usage: "most headers in one posting (Anchors costs about 30,000 gas a header, 41,000 with a vote)", Value: 256}
	auraSpecFlag    = &cli.StringFlag{Name: "chain-spec", Usage: "an Aura chain's Parity/OpenEthereum chain spec JSON: the chain is Aura, verified with its rules (ADR 070)"}
)

var anchorCommand = &cli.Command{
	Name:  "anchor",
	Usage: "checkpoints of the city's existing proof-of-authority chains in the Anchors contract (docs/integration.md)",
	Subcommands: []*cli.Command{
		{
			Name:   "deploy",
			Usage:  "deploy Anchors and register it in the Directory as service \"anchors\" (city admin; nothing to do if it is there)",
			Flags:  signFlags(),
			Action: anchorDeploy,
		},
		{
			Name:   "register",
			Usage:  "register an external Clique chain (or an Aura chain, with --chain-spec) at a trusted checkpoint read from --chain-rpc (city admin)",
			Flags:  signFlags(chainRPCFlag, epochFlag, checkpointFlag, auraSpecFlag),
			Action: anchorRegister,
		},
		{
			Name:   "status",
			Usage:  "show what Anchors holds for an external chain: latest checkpoint, tracked validators, conflicts",
			Flags:  nodeFlags(anchorChainFlag),
			Action: anchorStatus,
		},
		{
			Name:   "post",
			Usage:  "post one span of headers of the external chain after the latest checkpoint (anchor-relayer; an Aura chain's headers are verified with --chain-spec first)",
			Flags:  signFlags(anchorChainFlag, chainRPCFlag, blocksFlag, auraSpecFlag),
			Action: anchorPost,
		},
	},
}

func anchorDeploy(ctx *cli.Context) error {
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	a, existing, err := anchor.Deploy(c.ctx, c.Client)
	if err != nil {
		return err
	}
	return emit(ctx, map[string]any{"address": a.Address, "existing": existing}, func(w io.Writer) error {
		if existing {
			fmt.Fprintf(w, "Anchors is already registered in the Directory at %s\n", a.Address.Hex())
			return nil
		}
		fmt.Fprintf(w, "Deployed Anchors at %s and registered it in the Directory as %q\n", a.Address.Hex(), anchor.ServiceName)
		return nil
	})
}

func anchorRegister(ctx *cli.Context) error {
	at, err := optionalBlock(ctx, checkpointFlag)
	if err != nil {
		return err
	}
	spec, err := optionalChainSpec(ctx)
	if err != nil {
		return err
	}
	if spec != nil && ctx.IsSet(epochFlag.Name) {
		return cliutil.Usagef("--epoch is a Clique chain's; an Aura chain's step duration is read from --chain-spec")
	}
	c, a, ext, err := dialAnchors(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	defer ext.Close()
	var r *anchor.Registration
	if spec != nil {
		r, err = ext.AuraRegistration(c.ctx, spec, at)
	} else {
		r, err = ext.Registration(c.ctx, ctx.Uint64(epochFlag.Name), at)
	}
	if err != nil {
		return err
	}
	tx, err := a.Register(c.ctx, *r)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("Registered chain %d (genesis %s, epoch %d) at checkpoint %d %s with %d signers", r.ChainID, r.Genesis.Hex(), r.Epoch, r.Checkpoint.Number, r.Checkpoint.Hash.Hex(), len(r.Signers))
	if spec != nil {
		text = fmt.Sprintf("Registered Aura chain %d (genesis %s, step duration %d s) at checkpoint %d %s with %d validators", r.ChainID, r.Genesis.Hex(), r.Epoch, r.Checkpoint.Number, r.Checkpoint.Hash.Hex(), len(r.Signers))
	}
	return printTx(ctx, tx, text, map[string]any{"registration": r})
}

// optionalChainSpec reads --chain-spec if given.
func optionalChainSpec(ctx *cli.Context) (*aura.Spec, error) {
	if ctx.String(auraSpecFlag.Name) == "" {
		return nil, nil
	}
	return readChainSpec(ctx.String(auraSpecFlag.Name))
}

func anchorStatus(ctx *cli.Context) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	a, err := anchor.Find(c.ctx, c.Client)
	if err != nil {
		return err
	}
	s, err := a.Status(c.ctx, ctx.Uint64(anchorChainFlag.Name))
	if err != nil {
		return err
	}
	return emit(ctx, s, func(w io.Writer) error {
		period := fmt.Sprintf("epoch %d", s.Epoch)
		if s.Consensus == "aura" {
			period = fmt.Sprintf("step duration %d s", s.Epoch)
		}
		fmt.Fprintf(w, "Chain %d (%s, %s, genesis %s), Anchors at %s\n", s.ChainID, s.Consensus, period, s.Genesis.Hex(), a.Address.Hex())
		fmt.Fprintf(w, "Trusted checkpoint %d\n", s.Trusted)
		fmt.Fprintf(w, "Latest checkpoint  %d %s (anchored in citychain block %d)\n", s.Latest.Number, s.Latest.Hash.Hex(), s.Latest.AnchoredAt)
		if s.Conflicted {
			fmt.Fprintf(w, "CONFLICT: a different checkpoint was posted for block %d (cityctl anchor status --json; docs/integration.md)\n", s.Latest.Number)
		}
		for _, v := range s.Validators {
			fmt.Fprintf(w, "  validator %s\n", v.Hex())
		}
		for _, c := range s.SetChanges[min(1, len(s.SetChanges)):] {
			fmt.Fprintf(w, "Validator set changed after block %d (signal %d): %d validators (cityctl anchor audit re-checks it)\n", c.Number, c.Signal, len(c.Set))
		}
		return nil
	})
}

func anchorPost(ctx *cli.Context) error {
	if ctx.Uint64(blocksFlag.Name) == 0 {
		return cliutil.Usagef("--blocks must be at least 1")
	}
	spec, err := optionalChainSpec(ctx)
	if err != nil {
		return err
	}
	c, a, ext, err := dialAnchors(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	defer ext.Close()
	r := anchor.Relay{Anchors: a, External: ext, ChainID: ctx.Uint64(anchorChainFlag.Name), MaxHeaders: ctx.Uint64(blocksFlag.Name)}
	span, err := r.Next(c.ctx)
	if err != nil {
		return err
	}
	if span.Len() == 0 {
		return emit(ctx, map[string]any{"latest": span.From, "posted": 0}, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "Nothing to post: checkpoint %d is the external chain's head\n", span.From)
			return err
		})
	}
	if err := verifyAuraSpan(c.ctx, &r, spec, span); err != nil {
		return err
	}
	if span.Len() == 0 {
		return emit(ctx, map[string]any{"latest": span.From, "posted": 0}, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "Nothing to post yet: the blocks after checkpoint %d hold a validator-set change that is not final yet\n", span.From)
			return err
		})
	}
	tx, err := r.Post(c.ctx, span)
	if err != nil {
		return err
	}
	number, hash := span.Last()
	text := fmt.Sprintf("Anchored block %d %s of chain %d (%d headers)", number, hash.Hex(), r.ChainID, span.Len())
	if span.Change != nil {
		text += "; validator set after it: " + describeChange(span.Change)
	}
	return printTx(ctx, tx, text, map[string]any{"chain": r.ChainID, "from": span.From, "to": number, "hash": hash, "setChange": span.Change})
}

// describeChange renders an Aura set change posted with a span.
func describeChange(c *anchor.SetChange) string {
	how := "a configured list or immediate transition, no signal checked on chain"
	if c.Signal != 0 {
		how = fmt.Sprintf("signalled in block %d, final", c.Signal)
	}
	return fmt.Sprintf("%d validators %v (%s)", len(c.Set), c.Set, how)
}

// verifyAuraSpan checks an Aura span's headers with spec's rules before
// anchor post sends it; a Clique span is left to Anchors' checks.
func verifyAuraSpan(ctx context.Context, r *anchor.Relay, spec *aura.Spec, span *anchor.Span) error {
	switch {
	case span.Aura == nil && spec != nil:
		return cliutil.Usagef("chain %d is registered as a Clique chain in Anchors: drop --chain-spec", r.ChainID)
	case span.Aura == nil:
		return nil
	case spec == nil:
		return cliutil.Usagef("chain %d is registered as an Aura chain in Anchors: give its chain spec with --chain-spec, which verifies the headers before they are posted", r.ChainID)
	}
	if _, err := r.VerifyAura(ctx, spec, nil, span); err != nil {
		return fmt.Errorf("REFUSED, not posted: %w", err)
	}
	return nil
}

// Flags of anchor follow.
var (
	chainGenesisFlag   = &cli.StringFlag{Name: "chain-genesis", Usage: "a Clique chain's genesis.json: its Clique rules verify every header before it is posted (or --chain-spec for an Aura chain)"}
	anchorEveryFlag    = &cli.Uint64Flag{Name: "every", Usage: "post once the external chain is this many blocks past the latest checkpoint", Value: 64}
	anchorIntervalFlag = &cli.DurationFlag{Name: "interval", Usage: "post whatever is new once this long has passed since the last posting", Value: 5 * time.Minute}
	anchorPollFlag     = &cli.DurationFlag{Name: "poll", Usage: "time between two looks at the external chain", Value: 2 * time.Second}
	anchorMetricsFlag  = &cli.StringFlag{Name: "metrics.addr", Usage: "serve Prometheus metrics on this address (host:port, /metrics); empty: none"}
)

var anchorFollowCommand = &cli.Command{
	Name:  "follow",
	Usage: "follow an external chain: verify every header with its Clique (--chain-genesis) or Aura (--chain-spec) rules and post a checkpoint every --every blocks or --interval (anchor-relayer; runs until interrupted)",
	Description: `Each step starts from Anchors' latest checkpoint: nothing is kept locally, so a follower
killed at any point and started again neither skips nor repeats a checkpoint. A span that
breaks the external chain's rules (a forged or bad seal, a signer not in the set, ...) is
refused, reported and not posted (docs/integration.md). A Clique chain's rules come from
--chain-genesis, an Aura chain's from --chain-spec (consensus/aura, ADR 070).`,
	Flags:  signFlags(anchorChainFlag, chainRPCFlag, chainGenesisFlag, auraSpecFlag, anchorEveryFlag, anchorIntervalFlag, anchorPollFlag, blocksFlag, anchorMetricsFlag),
	Action: anchorFollow,
}

func init() { anchorCommand.Subcommands = append(anchorCommand.Subcommands, anchorFollowCommand) }

func anchorFollow(ctx *cli.Context) error {
	if ctx.Uint64(blocksFlag.Name) == 0 || ctx.Duration(anchorPollFlag.Name) <= 0 {
		return cliutil.Usagef("--blocks and --poll must be positive")
	}
	g, spec, err := followRules(ctx)
	if err != nil {
		return err
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	run := ctx.Context
	a, err := anchor.Find(run, c.Client)
	if err != nil {
		return err
	}
	ext, err := anchor.DialExternal(run, ctx.String(chainRPCFlag.Name))
	if err != nil {
		return err
	}
	defer ext.Close()
	chain := ctx.Uint64(anchorChainFlag.Name)
	if id, err := ext.ChainID(run); err != nil || id != chain {
		return cliutil.Usagef("--chain-rpc %s serves chain id %d, not --chain %d", ext.URL, id, chain)
	}
	reg := prometheus.NewRegistry()
	f := &anchor.Follower{
		Relay:   anchor.Relay{Anchors: a, External: ext, ChainID: chain, MaxHeaders: ctx.Uint64(blocksFlag.Name)},
		Genesis: g, Spec: spec, Every: ctx.Uint64(anchorEveryFlag.Name), Interval: ctx.Duration(anchorIntervalFlag.Name), Poll: ctx.Duration(anchorPollFlag.Name),
		Metrics:     anchor.NewMetrics(reg, chain),
		Report:      func(e anchor.Event) { reportFollow(ctx, chain, e) },
		StepTimeout: commandTimeout + ctx.Duration(waitFlag.Name),
	}
	if addr := ctx.String(anchorMetricsFlag.Name); addr != "" {
		stop, err := serveMetrics(ctx, addr, reg)
		if err != nil {
			return err
		}
		defer stop()
	}
	fmt.Fprintf(ctx.App.Writer, "Following chain %d at %s into Anchors %s\n", chain, ext.URL, a.Address.Hex())
	return f.Run(run)
}

// followRules reads the external chain's rules: --chain-genesis (Clique)
// or --chain-spec (Aura), exactly one.
func followRules(ctx *cli.Context) (*core.Genesis, *aura.Spec, error) {
	if (ctx.String(chainGenesisFlag.Name) == "") == (ctx.String(auraSpecFlag.Name) == "") {
		return nil, nil, cliutil.Usagef("give the external chain's rules: --chain-genesis FILE for a Clique chain or --chain-spec FILE for an Aura chain (one of them)")
	}
	if ctx.String(auraSpecFlag.Name) != "" {
		spec, err := readChainSpec(ctx.String(auraSpecFlag.Name))
		return nil, spec, err
	}
	g, err := anchor.LoadGenesis(ctx.String(chainGenesisFlag.Name))
	if err != nil {
		return nil, nil, cliutil.Usagef("--chain-genesis: %v", err)
	}
	return g, nil, nil
}

// reportFollow prints one step of the follower: progress on standard
// output, refusals and errors on standard error.
func reportFollow(ctx *cli.Context, chain uint64, e anchor.Event) {
	switch e.Kind {
	case "posted":
		number, hash := e.Span.Last()
		fmt.Fprintf(ctx.App.Writer, "Anchored block %d %s of chain %d: %d headers verified, %d posted (tx %s, citychain block %d); external head %d\n",
			number, hash.Hex(), chain, e.Verified, e.Span.Len(), e.Tx.Hash.Hex(), e.Tx.Block, e.Span.Head)
		if c := e.Span.Change; c != nil {
			fmt.Fprintf(ctx.App.Writer, "Validator set of chain %d after block %d: %s\n", chain, number, describeChange(c))
		}
	case "refused":
		warn(ctx, "REFUSED a span of chain %d after checkpoint %d, not posted: %v", chain, e.Span.From, e.Err)
	case "conflict":
		warn(ctx, "CONFLICT on chain %d: %v", chain, e.Err)
	default:
		warn(ctx, "chain %d: %v (retrying)", chain, e.Err)
	}
}

// serveMetrics serves reg at http://addr/metrics until stop is called.
func serveMetrics(ctx *cli.Context, addr string, reg *prometheus.Registry) (stop func(), err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, cliutil.Usagef("--metrics.addr %s: %v", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l)
	fmt.Fprintf(ctx.App.Writer, "Metrics on http://%s/metrics\n", l.Addr())
	return func() { srv.Close() }, nil
}

// proofRecords are the record kinds `audit verify-proof` checks: the
// registry's and anchoring's.
func proofRecords() *audit.Records {
	r := registry.RecordDecoders()
	anchor.Records(r)
	return r
}

var (
	anchorBlockFlag      = &cli.StringFlag{Name: "block", Usage: "citychain block whose state proves the checkpoint (default: the latest)"}
	anchorChainBlockFlag = &cli.StringFlag{Name: "chain-block", Usage: "block of the external chain whose state account and storage prove (default: the latest anchored checkpoint)"}
)

var anchorProveCommand = &cli.Command{
	Name:      "prove",
	Usage:     "write a proof file of a record of an external chain (a receipt with its transaction, an account, a storage slot) against an anchored checkpoint, and citychain's proof of that checkpoint",
	ArgsUsage: "receipt TXHASH | account ADDRESS | storage ADDRESS SLOT",
	Description: `receipt: the receipt's proof leads from its block's receipts root and the transaction's from
its transactions root (so the transaction hash is proven); account, storage: the external node's
eth_getProof (EIP-1186) leads from the state root of --chain-block (the latest anchored
checkpoint by default) to the account and slot. The headers link that block to the first
anchored checkpoint at or above it; the checkpoint is proven in Anchors' storage with
eth_getProof at a citychain block. cityctl audit verify-proof checks the file offline against
that citychain block's hash, which the reader trusts from elsewhere.`,
	Flags:  nodeFlags(anchorChainFlag, chainRPCFlag, anchorBlockFlag, anchorChainBlockFlag, outFlag),
	Action: anchorProve,
}

func init() { anchorCommand.Subcommands = append(anchorCommand.Subcommands, anchorProveCommand) }

// proveTarget is what `anchor prove` was asked for.
type proveTarget struct {
	kind    string // receipt, account, storage
	tx      common.Hash
	account common.Address
	slots   []common.Hash
}

func parseProveTarget(ctx *cli.Context) (proveTarget, error) {
	args := ctx.Args().Slice()
	want := map[string]int{"receipt": 2, "account": 2, "storage": 3}
	if len(args) == 0 || want[args[0]] == 0 || len(args) != want[args[0]] {
		return proveTarget{}, cliutil.Usagef("want receipt TXHASH, account ADDRESS or storage ADDRESS SLOT; have %q", strings.Join(args, " "))
	}
	t := proveTarget{kind: args[0]}
	var err error
	if t.kind == "receipt" {
		if t.tx, err = parseHash(args[1]); err != nil {
			return t, cliutil.Usagef("%v", err)
		}
		return t, nil
	}
	if t.account, err = parseAddress("account", args[1]); err != nil {
		return t, err
	}
	if t.kind == "storage" {
		slot, err := parseSlot(args[2])
		if err != nil {
			return t, cliutil.Usagef("%v", err)
		}
		t.slots = []common.Hash{slot}
	}
	return t, nil
}

func anchorProve(ctx *cli.Context) error {
	target, err := parseProveTarget(ctx)
	if err != nil {
		return err
	}
	at, err := optionalBlock(ctx, anchorBlockFlag)
	if err != nil {
		return err
	}
	extBlock, err := optionalBlock(ctx, anchorChainBlockFlag)
	if err != nil {
		return err
	}
	if target.kind == "receipt" && extBlock != nil {
		return cliutil.Usagef("--chain-block is for account and storage; a receipt is proven at its own block")
	}
	c, a, ext, err := dialAnchors(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	defer ext.Close()
	p, err := proveAnchored(c, a, ext, ctx.Uint64(anchorChainFlag.Name), target, extBlock, at)
	if err != nil {
		return err
	}
	return writeProof(ctx, p, target.String())
}

// String names the target in a sentence: "receipt 0x..", "storage of 0x..".
func (t proveTarget) String() string {
	if t.kind == "receipt" {
		return "receipt " + t.tx.Hex()
	}
	return t.kind + " of " + t.account.Hex()
}

// proveAnchored proves the target of external chain chainID through the anchored
// checkpoints (at the citychain block at, the external block extBlock).
func proveAnchored(c *conn, a *anchor.Contract, ext *anchor.External, chainID uint64, t proveTarget, extBlock, at *uint64) (*audit.Proof, error) {
	if t.kind == "receipt" {
		return anchor.ProveReceipt(c.ctx, a, ext, chainID, t.tx, at)
	}
	return anchor.ProveState(c.ctx, a, ext, chainID, t.account, t.slots, extBlock, at)
}

// writeProof writes the proof file (--out, or standard output) and, to a
// file, says how to check it.
func writeProof(ctx *cli.Context, p *audit.Proof, what string) error {
	data, err := p.Encode()
	if err != nil {
		return err
	}
	if err := writeOut(ctx, data); err != nil {
		return err
	}
	if path := ctx.String(outFlag.Name); path != "" {
		fmt.Fprintf(ctx.App.ErrWriter, "Wrote the proof of %s to %s; check it with: cityctl audit verify-proof --trusted-header %s %s\n", what, path, p.Header.Hash.Hex(), path)
	}
	return nil
}

// optionalBlock reads a block number flag; nil when it is not given.
func optionalBlock(ctx *cli.Context, flag *cli.StringFlag) (*uint64, error) {
	s := ctx.String(flag.Name)
	if s == "" {
		return nil, nil
	}
	n, err := parseBlock(s)
	if err != nil {
		return nil, cliutil.Usagef("--%s %v", flag.Name, err)
	}
	return &n, nil
}

// dialAnchors connects to citychain (signing if sign), finds its Anchors
// contract and dials the external chain of --chain-rpc. On success the caller
// closes c and ext.
func dialAnchors(ctx *cli.Context, sign bool) (c *conn, a *anchor.Contract, ext *anchor.External, err error) {
	if c, err = dial(ctx, sign); err != nil {
		return nil, nil, nil, err
	}
	if a, err = anchor.Find(c.ctx, c.Client); err == nil {
		ext, err = anchor.DialExternal(c.ctx, ctx.String(chainRPCFlag.Name))
	}
	if err != nil {
		c.Close()
		return nil, nil, nil, err
	}
	return c, a, ext, nil
}
