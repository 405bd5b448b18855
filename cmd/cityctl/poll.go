package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

var (
	pollIDFlag   = &cli.Uint64Flag{Name: "poll", Usage: "poll number", Required: true}
	pollEligFlag = &cli.StringFlag{Name: "eligibility", Usage: "eligibility file written by `cityctl poll eligible`", Value: "eligibility.json"}
	questionFlag = &cli.StringFlag{Name: "question", Usage: "the poll's question", Required: true}
	optionsFlag  = &cli.StringSliceFlag{Name: "option", Usage: "an option (repeat, 2 to 64, in order)", Required: true}
	votersFlag   = &cli.StringFlag{Name: "voters", Usage: "file with one voter address per line (# comments allowed)", Required: true}
	choiceFlag   = &cli.UintFlag{Name: "option", Usage: "number of the chosen option (from 0)", Required: true}
	ballotChain  = &cli.Uint64Flag{Name: "chainid", Usage: "chain id to sign for, offline (default: asked from --rpc)"}
	batchFlag    = &cli.IntFlag{Name: "batch", Usage: "ballots per relay transaction (a transaction must stay under 128 KiB: about 130 ballots for a million voters)", Value: 100}
	fromBlkFlag  = &cli.Uint64Flag{Name: "from-block", Usage: "first block to read events from (default: 0)"}
)

// pollsABI packs and unpacks the Polls contract's calls and events.
var pollsABI = polls.NewPolls()

var pollCommand = &cli.Command{
	Name:  "poll",
	Usage: "Active Citizen polls: eligibility, creation, signed ballots, relaying, results and recounts",
	Subcommands: []*cli.Command{
		{
			Name:   "eligible",
			Usage:  "build the eligibility tree of a voter list and write it as a standard-v1 dump (@openzeppelin/merkle-tree)",
			Flags:  offlineFlags(votersFlag, outFlag),
			Action: pollEligible,
		},
		{
			Name:   "create",
			Usage:  "create a poll (poll admin)",
			Flags:  signFlags(questionFlag, optionsFlag, opensFlag, closesFlag, pollEligFlag),
			Action: pollCreate,
		},
		{
			Name:   "sign-ballot",
			Usage:  "sign a ballot as a resident (offline with --chainid); prints one JSON line to hand to a relayer",
			Flags:  keyFlags(pollIDFlag, choiceFlag, pollEligFlag, ballotChain, outFlag),
			Action: pollSignBallot,
		},
		pollTypedDataCommand,
		{
			Name:      "relay",
			Usage:     "submit signed ballots in batches (relayer); reports every rejected ballot with its reason",
			ArgsUsage: "BALLOTS.jsonl ...",
			Flags:     signFlags(pollIDFlag, batchFlag),
			Action:    pollRelay,
		},
		{
			Name:   "results",
			Usage:  "a poll's question, window, state and tallies as the contract holds them",
			Flags:  nodeFlags(pollIDFlag),
			Action: pollResults,
		},
		{
			Name:   "recount",
			Usage:  "recount a poll from its BallotCast events and compare with the contract's tallies; exits 1 if they differ",
			Flags:  nodeFlags(pollIDFlag, fromBlkFlag),
			Action: pollRecount,
		},
	},
}

func readVoters(path string) ([]common.Address, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, cliutil.Usagef("voter list: %v", err)
	}
	defer f.Close()
	var out []common.Address
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !common.IsHexAddress(line) {
			return nil, cliutil.Usagef("%s line %d: %q is not an address; want one 0x-prefixed 20-byte hex address per line", path, n, line)
		}
		out = append(out, common.HexToAddress(line))
	}
	return out, sc.Err()
}

func pollEligible(ctx *cli.Context) error {
	voters, err := readVoters(ctx.String(votersFlag.Name))
	if err != nil {
		return err
	}
	el, err := ballots.NewEligibility(voters)
	if err != nil {
		return cliutil.Usagef("%s: %v", ctx.String(votersFlag.Name), err)
	}
	out, err := el.Encode()
	if err != nil {
		return err
	}
	if err := writeOut(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.ErrWriter, "Eligibility of %d voters: root %s (publish the list and the root; create the poll with --eligibility)\n", el.Len(), el.Root().Hex())
	if path := ctx.String(outFlag.Name); path != "" && ctx.Bool(jsonFlag.Name) {
		return writeJSON(ctx.App.Writer, map[string]any{"root": el.Root(), "voterCount": el.Len(), "file": path})
	}
	return nil
}

// readEligibility reads the --eligibility file (a standard-v1 dump, or the
// deprecated format with a warning).
func readEligibility(ctx *cli.Context) (*ballots.Eligibility, error) {
	path := ctx.String(pollEligFlag.Name)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, cliutil.Usagef("eligibility: %v (write it with `cityctl poll eligible`)", err)
	}
	el, err := ballots.DecodeEligibility(data)
	if err != nil {
		return nil, cliutil.Usagef("eligibility %s: %v", path, err)
	}
	if msg := el.Deprecated(); msg != "" {
		warn(ctx, "%s: %s", path, msg)
	}
	return el, nil
}

// chainNow returns the head's time: the clock poll and round windows use.
func (c *conn) chainNow() (time.Time, error) {
	h, err := c.Eth().HeaderByNumber(c.ctx, nil)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(h.Time), 0), nil
}

func pollCreate(ctx *cli.Context) error {
	el, err := readEligibility(ctx)
	if err != nil {
		return err
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	spec, err := pollSpec(ctx, c, el)
	if err != nil {
		return err
	}
	tx, err := c.send("Polls.createPoll", contracts.PollsAddress, pollsABI.PackCreatePoll(spec))
	if err != nil {
		return err
	}
	for _, l := range tx.Logs {
		if ev, err := pollsABI.UnpackPollCreatedEvent(l); err == nil {
			text := fmt.Sprintf("Poll %d created by %s: %d options, %d eligible voters, open %s to %s", ev.Poll, contracts.String32(ev.Department),
				len(ev.Spec.Options), ev.Spec.VoterCount, formatTime(spec.OpensAt), formatTime(spec.ClosesAt))
			return printTx(ctx, tx, text, map[string]any{"poll": ev.Poll, "department": contracts.String32(ev.Department),
				"options": ev.Spec.Options, "eligibleVoters": ev.Spec.VoterCount, "opensAt": spec.OpensAt, "closesAt": spec.ClosesAt})
		}
	}
	return fmt.Errorf("createPoll in tx %s emitted no PollCreated event", tx.Hash.Hex())
}

// pollSpec reads the poll of the flags; its window is in chain time.
func pollSpec(ctx *cli.Context, c *conn, el *ballots.Eligibility) (polls.PollsPollSpec, error) {
	spec := polls.PollsPollSpec{Question: ctx.String(questionFlag.Name), Options: ctx.StringSlice(optionsFlag.Name),
		EligibleRoot: el.Root(), VoterCount: uint32(el.Len())}
	now, err := c.chainNow()
	if err != nil {
		return spec, err
	}
	if spec.OpensAt, err = timeFlag(ctx, opensFlag, now); err != nil {
		return spec, err
	}
	spec.ClosesAt, err = timeFlag(ctx, closesFlag, now)
	return spec, err
}

func pollSignBallot(ctx *cli.Context) error {
	key, err := loadKey(ctx)
	if err != nil {
		return err
	}
	el, err := readEligibility(ctx)
	if err != nil {
		return err
	}
	voter := crypto.PubkeyToAddress(key.PublicKey)
	index, proof, err := el.Proof(voter)
	if err != nil {
		return cli.Exit(fmt.Sprintf("%s is not in the eligibility list %s: this resident cannot vote in the poll", voter.Hex(), ctx.String(pollEligFlag.Name)), 1)
	}
	option := ctx.Uint(choiceFlag.Name)
	if option >= 64 {
		return cliutil.Usagef("--option %d: a poll has at most 64 options, numbered from 0", option)
	}
	dom, err := ballotDomain(ctx)
	if err != nil {
		return err
	}
	b, err := ballots.Sign(key, dom, ctx.Uint64(pollIDFlag.Name), uint32(option))
	if err != nil {
		return err
	}
	b.VoterIndex, b.Proof = index, proof
	return writeBallot(ctx, b)
}

// ballotDomain is the EIP-712 domain of ballots: --chainid, or the node's.
func ballotDomain(ctx *cli.Context) (ballots.Domain, error) {
	if id := ctx.Uint64(ballotChain.Name); id != 0 {
		return ballots.DevDomain(id), nil
	}
	c, err := dial(ctx, false)
	if err != nil {
		return ballots.Domain{}, err
	}
	defer c.Close()
	id, err := c.ChainID(c.ctx)
	if err != nil {
		return ballots.Domain{}, err
	}
	return ballots.DevDomain(id.Uint64()), nil
}

// writeBallot prints the ballot as one JSON line, or appends it to --out so
// that many residents' ballots collect in one file.
func writeBallot(ctx *cli.Context, b ballots.Ballot) error {
	line, _ := json.Marshal(b)
	line = append(line, '\n')
	path := ctx.String(outFlag.Name)
	if path == "" {
		_, err := ctx.App.Writer.Write(line)
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if ctx.Bool(jsonFlag.Name) {
		return writeJSON(ctx.App.Writer, map[string]any{"voter": b.Voter, "poll": b.Poll, "option": b.Option, "file": path})
	}
	return nil
}

// readBallots reads JSON lines of ballots; ballots in a deprecated form are
// counted in a warning per file.
func readBallots(ctx *cli.Context) ([]ballots.Ballot, error) {
	var out []ballots.Ballot
	for _, path := range ctx.Args().Slice() {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, cliutil.Usagef("ballots: %v", err)
		}
		deprecated, why := 0, ""
		for n, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			b, err := ballots.DecodeBallot([]byte(line))
			if err != nil {
				return nil, cliutil.Usagef("%s line %d: %v (want one ballot per line, as `cityctl poll sign-ballot` prints)", path, n+1, err)
			}
			if msg := b.Deprecated(); msg != "" {
				deprecated, why = deprecated+1, msg
			}
			out = append(out, b)
		}
		if deprecated > 0 {
			warn(ctx, "%s: %d ballots: %s", path, deprecated, why)
		}
	}
	return out, nil
}

// drawProgress draws a one-line progress bar on w.
func drawProgress(w io.Writer, done, total int, counted, rejected uint64) {
	const width = 30
	filled := width * done / max(total, 1)
	fmt.Fprintf(w, "\r[%s%s] %d/%d ballots, %d counted, %d rejected", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total, counted, rejected)
	if done == total {
		fmt.Fprintln(w)
	}
}

// relayResult is what `poll relay` reports.
type relayResult struct {
	Poll       uint64      `json:"poll"`
	Ballots    int         `json:"ballots"`
	Counted    uint64      `json:"counted"`
	Rejected   uint64      `json:"rejected"`
	Rejections []rejection `json:"rejections"`
	Txs        []string    `json:"txs"`
}

// rejection is a ballot the contract skipped, numbered from 1 in the order read.
type rejection struct {
	Ballot     int            `json:"ballot"`
	Voter      common.Address `json:"voter"`
	VoterIndex uint32         `json:"voterIndex"`
	Reason     string         `json:"reason"`
}

func pollRelay(ctx *cli.Context) error {
	if ctx.NArg() == 0 {
		return cliutil.Usagef("no ballot files: pass the files `cityctl poll sign-ballot` wrote")
	}
	size := ctx.Int(batchFlag.Name)
	if size < 1 {
		return cliutil.Usagef("--batch %d: want at least 1", size)
	}
	bs, err := readBallots(ctx)
	if err != nil {
		return err
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	res := &relayResult{Poll: ctx.Uint64(pollIDFlag.Name), Ballots: len(bs), Rejections: []rejection{}}
	for start := 0; start < len(bs); start += size {
		end := min(start+size, len(bs))
		if err := res.relay(c, bs, start, end); err != nil {
			fmt.Fprintln(ctx.App.ErrWriter)
			return err
		}
		drawProgress(ctx.App.ErrWriter, end, len(bs), res.Counted, res.Rejected)
	}
	return emit(ctx, res, res.print)
}

// relay sends ballots start to end-1 of bs in one transaction and adds the
// outcome to r.
func (r *relayResult) relay(c *conn, bs []ballots.Ballot, start, end int) error {
	batch := make([]polls.PollsSignedBallot, 0, end-start)
	for _, b := range bs[start:end] {
		batch = append(batch, b.Signed())
	}
	tx, err := c.send("Polls.relay", contracts.PollsAddress, pollsABI.PackRelay(u(r.Poll), batch))
	if err != nil {
		return fmt.Errorf("batch of ballots %d to %d: %w", start+1, end, err)
	}
	r.Txs = append(r.Txs, tx.Hash.Hex())
	for _, l := range tx.Logs {
		if ev, err := pollsABI.UnpackBallotRejectedEvent(l); err == nil {
			i := start + int(ev.Position.Int64())
			r.Rejections = append(r.Rejections, rejection{Ballot: i + 1, Voter: ev.Voter, VoterIndex: bs[i].VoterIndex, Reason: ballots.Reason(ev.Reason)})
		}
		if ev, err := pollsABI.UnpackBatchRelayedEvent(l); err == nil {
			r.Counted += ev.Accepted.Uint64()
			r.Rejected += ev.Rejected.Uint64()
		}
	}
	return nil
}

func (r *relayResult) print(w io.Writer) error {
	fmt.Fprintf(w, "Relayed %d ballots to poll %d: %d counted, %d rejected\n", r.Ballots, r.Poll, r.Counted, r.Rejected)
	for _, j := range r.Rejections {
		fmt.Fprintf(w, "  rejected ballot %d (voter %s, index %d): %s\n", j.Ballot, j.Voter.Hex(), j.VoterIndex, j.Reason)
	}
	return nil
}

type pollResult struct {
	Poll       uint64   `json:"poll"`
	Department string   `json:"department"`
	Question   string   `json:"question"`
	Options    []string `json:"options"`
	Tallies    []uint64 `json:"tallies"`
	OpensAt    uint64   `json:"opensAt"`
	ClosesAt   uint64   `json:"closesAt"`
	State      string   `json:"state"`
	Voters     uint32   `json:"eligibleVoters"`
	Root       string   `json:"eligibleRoot"`
}

// getPoll reads poll id's settings; the contract's refusal of an unknown
// poll says which numbers this chain's polls have.
func (c *conn) getPoll(id uint64) (polls.PollsPoll, error) {
	info, err := read(c, "Polls.getPoll", contracts.PollsAddress, pollsABI.PackGetPoll(u(id)), pollsABI.UnpackGetPoll)
	if err == nil || !registry.IsUnknown(err) {
		return info, err
	}
	count, cerr := c.PollCount(c.ctx)
	switch {
	case cerr != nil:
		return info, err
	case count == 0:
		return info, fmt.Errorf("%w: this chain has no polls yet (`cityctl poll create` makes one)", err)
	default:
		return info, fmt.Errorf("%w: this chain's polls are numbered 1 to %d; give one of them with --poll", err, count)
	}
}

// pollResult reads poll id's question, window, state and tallies.
func (c *conn) pollResult(id uint64) (*pollResult, error) {
	info, err := c.getPoll(id)
	if err != nil {
		return nil, err
	}
	q, err := read(c, "Polls.getQuestion", contracts.PollsAddress, pollsABI.PackGetQuestion(u(id)), pollsABI.UnpackGetQuestion)
	if err != nil {
		return nil, err
	}
	counts, err := read(c, "Polls.tallies", contracts.PollsAddress, pollsABI.PackTallies(u(id)), pollsABI.UnpackTallies)
	if err != nil {
		return nil, err
	}
	now, err := c.chainNow()
	if err != nil {
		return nil, err
	}
	res := &pollResult{Poll: id, Department: contracts.String32(info.Department), Question: q.Question, Options: q.Options,
		OpensAt: info.OpensAt, ClosesAt: info.ClosesAt, Voters: info.VoterCount, Root: common.Hash(info.EligibleRoot).Hex()}
	for _, n := range counts {
		res.Tallies = append(res.Tallies, n.Uint64())
	}
	res.State = pollState(info.Cancelled, uint64(now.Unix()), info.OpensAt, info.ClosesAt)
	return res, nil
}

func pollState(cancelled bool, now, opens, closes uint64) string {
	switch {
	case cancelled:
		return "cancelled"
	case now < opens:
		return "not yet open"
	case now < closes:
		return "open"
	}
	return "closed (final)"
}

func pollResults(ctx *cli.Context) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	res, err := c.pollResult(ctx.Uint64(pollIDFlag.Name))
	if err != nil {
		return err
	}
	return emit(ctx, res, res.print)
}

func (res *pollResult) print(out io.Writer) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Poll %d (%s): %s\n", res.Poll, res.Department, res.Question)
	fmt.Fprintf(w, "State: %s, open %s to %s, %d eligible voters\n", res.State, formatTime(res.OpensAt), formatTime(res.ClosesAt), res.Voters)
	var total uint64
	for _, n := range res.Tallies {
		total += n
	}
	for i, o := range res.Options {
		pct := 0.0
		if total > 0 {
			pct = 100 * float64(res.Tallies[i]) / float64(total)
		}
		fmt.Fprintf(w, "  %d\t%s\t%d\t%.1f%%\n", i, o, res.Tallies[i], pct)
	}
	fmt.Fprintf(w, "Total\t\t%d\n", total)
	return w.Flush()
}
