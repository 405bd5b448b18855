package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/polls"
)

var (
	pollRPCFlag      = &cli.StringFlag{Name: "rpc", Usage: "JSON-RPC URL of a node", Value: "http://127.0.0.1:8545"}
	pollKeystoreFlag = &cli.StringFlag{Name: "keystore", Usage: "keystore directory holding the account's encrypted key (with --from and --password)"}
	pollFromFlag     = &cli.StringFlag{Name: "from", Usage: "address of the account in --keystore"}
	pollPasswordFlag = &cli.StringFlag{Name: "password", Usage: "file holding the keystore password"}
	pollKeyFlag      = &cli.StringFlag{Name: "key", Usage: "file holding a hex private key (test and dev keys only; real accounts use --keystore)"}
	pollIDFlag       = &cli.Uint64Flag{Name: "poll", Usage: "poll number", Required: true}
	pollEligFlag     = &cli.StringFlag{Name: "eligibility", Usage: "eligibility file written by `cityctl poll eligible`", Value: "eligibility.json"}
	pollOutFlag      = &cli.StringFlag{Name: "out", Usage: "file to write (default: standard output)"}

	questionFlag = &cli.StringFlag{Name: "question", Usage: "the poll's question", Required: true}
	optionFlag   = &cli.StringSliceFlag{Name: "option", Usage: "an option (repeat, 2 to 64, in order)", Required: true}
	opensFlag    = &cli.StringFlag{Name: "opens", Usage: "opening time: RFC 3339, or +DURATION from now", Value: "+0s"}
	closesFlag   = &cli.StringFlag{Name: "closes", Usage: "closing time: RFC 3339, or +DURATION from now", Required: true}
	votersFlag   = &cli.StringFlag{Name: "voters", Usage: "file with one voter address per line (# comments allowed)", Required: true}
	choiceFlag   = &cli.UintFlag{Name: "option", Usage: "number of the chosen option (from 0)", Required: true}
	chainIDFlag2 = &cli.Uint64Flag{Name: "chainid", Usage: "chain id to sign for (default: asked from --rpc)"}
	batchFlag    = &cli.IntFlag{Name: "batch", Usage: "ballots per relay transaction (a transaction must stay under 128 KiB: about 130 ballots for a million voters)", Value: 100}
	fromBlkFlag  = &cli.Uint64Flag{Name: "from-block", Usage: "first block to read events from (default: 0)"}
)

var pollCommand = &cli.Command{
	Name:  "poll",
	Usage: "Active Citizen polls: eligibility, creation, signed ballots, relaying, results and recounts",
	Subcommands: []*cli.Command{
		{
			Name:   "eligible",
			Usage:  "build the eligibility tree of a voter list: its root, and each resident's index and proof",
			Flags:  []cli.Flag{votersFlag, pollOutFlag},
			Action: pollEligible,
		},
		{
			Name:   "create",
			Usage:  "create a poll (poll admin)",
			Flags:  []cli.Flag{pollRPCFlag, pollKeystoreFlag, pollFromFlag, pollPasswordFlag, pollKeyFlag, questionFlag, optionFlag, opensFlag, closesFlag, pollEligFlag},
			Action: pollCreate,
		},
		{
			Name:   "sign-ballot",
			Usage:  "sign a ballot as a resident (offline with --chainid); prints one JSON line to hand to a relayer",
			Flags:  []cli.Flag{pollRPCFlag, pollKeystoreFlag, pollFromFlag, pollPasswordFlag, pollKeyFlag, pollIDFlag, choiceFlag, pollEligFlag, chainIDFlag2, pollOutFlag},
			Action: pollSignBallot,
		},
		{
			Name:      "relay",
			Usage:     "submit signed ballots in batches (relayer); reports every rejected ballot with its reason",
			ArgsUsage: "BALLOTS.jsonl ...",
			Flags:     []cli.Flag{pollRPCFlag, pollKeystoreFlag, pollFromFlag, pollPasswordFlag, pollKeyFlag, pollIDFlag, batchFlag},
			Action:    pollRelay,
		},
		{
			Name:   "results",
			Usage:  "a poll's question, window, state and tallies as the contract holds them",
			Flags:  []cli.Flag{pollRPCFlag, pollIDFlag, jsonFlag},
			Action: pollResults,
		},
		{
			Name:   "recount",
			Usage:  "recount a poll from its BallotCast events and compare with the contract's tallies",
			Flags:  []cli.Flag{pollRPCFlag, pollIDFlag, fromBlkFlag},
			Action: pollRecount,
		},
	},
}

// eligibilityFile is what `poll eligible` writes: the root and count to
// create the poll with, and each voter's index and proof.
type eligibilityFile struct {
	Root       common.Hash        `json:"root"`
	VoterCount int                `json:"voterCount"`
	Voters     []eligibilityEntry `json:"voters"`
}

type eligibilityEntry struct {
	Voter common.Address `json:"voter"`
	Index uint32         `json:"index"`
	Proof []common.Hash  `json:"proof"`
}

func readVoters(path string) ([]common.Address, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("voter list: %v", err), 2)
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
			return nil, cli.Exit(fmt.Sprintf("%s line %d: %q is not an address; want one 0x-prefixed 20-byte hex address per line", path, n, line), 2)
		}
		out = append(out, common.HexToAddress(line))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func pollEligible(ctx *cli.Context) error {
	voters, err := readVoters(ctx.String(votersFlag.Name))
	if err != nil {
		return err
	}
	el, err := ballots.NewEligibility(voters)
	if err != nil {
		return cli.Exit(fmt.Sprintf("%s: %v", ctx.String(votersFlag.Name), err), 2)
	}
	file := eligibilityFile{Root: el.Root(), VoterCount: el.Len(), Voters: make([]eligibilityEntry, el.Len())}
	for i := range file.Voters {
		idx, proof, err := el.Proof(el.Voter(i))
		if err != nil {
			return err
		}
		file.Voters[i] = eligibilityEntry{Voter: el.Voter(i), Index: idx, Proof: proof}
	}
	out, _ := json.MarshalIndent(file, "", "  ")
	if err := writeOut(ctx, append(out, '\n')); err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.ErrWriter, "Eligibility of %d voters: root %s (publish the list and the root; create the poll with --eligibility)\n", el.Len(), el.Root().Hex())
	return nil
}

func writeOut(ctx *cli.Context, data []byte) error {
	if path := ctx.String(pollOutFlag.Name); path != "" {
		return os.WriteFile(path, data, 0o644)
	}
	_, err := ctx.App.Writer.Write(data)
	return err
}

func readEligibility(path string) (*eligibilityFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("eligibility: %v (write it with `cityctl poll eligible`)", err), 2)
	}
	var f eligibilityFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, cli.Exit(fmt.Sprintf("eligibility %s: %v", path, err), 2)
	}
	if f.VoterCount == 0 || f.Root == (common.Hash{}) {
		return nil, cli.Exit(fmt.Sprintf("eligibility %s: no root or no voters", path), 2)
	}
	return &f, nil
}

// loadKey returns the signing key named by --key or --keystore/--from/--password.
func loadKey(ctx *cli.Context) (*ecdsa.PrivateKey, error) {
	if path := ctx.String(pollKeyFlag.Name); path != "" {
		if ctx.String(pollKeystoreFlag.Name) != "" {
			return nil, cli.Exit("pass either --key or --keystore, not both", 2)
		}
		k, err := crypto.LoadECDSA(path)
		if err != nil {
			return nil, cli.Exit(fmt.Sprintf("--key %s: %v (the file must hold 64 hex digits)", path, err), 2)
		}
		return k, nil
	}
	dir, from, pwFile := ctx.String(pollKeystoreFlag.Name), ctx.String(pollFromFlag.Name), ctx.String(pollPasswordFlag.Name)
	if dir == "" || from == "" || pwFile == "" {
		return nil, cli.Exit("no signing key: pass --keystore DIR --from ADDRESS --password FILE (or --key FILE for a test key)", 2)
	}
	if !common.IsHexAddress(from) {
		return nil, cli.Exit(fmt.Sprintf("--from %q is not an address", from), 2)
	}
	pw, err := os.ReadFile(pwFile)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("--password: %v", err), 2)
	}
	ks := keystore.NewKeyStore(dir, keystore.StandardScryptN, keystore.StandardScryptP)
	acct, err := ks.Find(accountsAccount(common.HexToAddress(from)))
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("account %s is not in keystore %s", from, dir), 2)
	}
	data, err := os.ReadFile(acct.URL.Path)
	if err != nil {
		return nil, err
	}
	k, err := keystore.DecryptKey(data, strings.TrimRight(string(pw), "\r\n"))
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("decrypting %s: %v (check --password)", from, err), 2)
	}
	return k.PrivateKey, nil
}

// parseTime reads an RFC 3339 time or +DURATION from now.
func parseTime(s string, now time.Time) (uint64, error) {
	if d, ok := strings.CutPrefix(s, "+"); ok {
		dur, err := time.ParseDuration(d)
		if err != nil || dur < 0 {
			return 0, fmt.Errorf("%q: want +DURATION such as +10m", s)
		}
		return uint64(now.Add(dur).Unix()), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return 0, fmt.Errorf("%q: want RFC 3339 (2026-12-01T09:00:00Z) or +DURATION", s)
	}
	return uint64(t.Unix()), nil
}

type pollClient struct {
	ec   *ethclient.Client
	c    *polls.Polls
	bc   *bind.BoundContract
	dom  ballots.Domain
	url  string
	ctx  context.Context
	opts *bind.TransactOpts
}

func dialPolls(ctx *cli.Context, key *ecdsa.PrivateKey) (*pollClient, error) {
	url := ctx.String(pollRPCFlag.Name)
	ec, err := ethclient.DialContext(ctx.Context, url)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("connecting to %s: %v", url, err), 1)
	}
	id, err := ec.ChainID(ctx.Context)
	if err != nil {
		ec.Close()
		return nil, cli.Exit(fmt.Sprintf("node %s does not answer: %v (is citynode running?)", url, err), 1)
	}
	p := &pollClient{ec: ec, c: polls.NewPolls(), dom: ballots.DevDomain(id.Uint64()), url: url, ctx: ctx.Context}
	p.bc = p.c.Instance(ec, contracts.PollsAddress)
	if key != nil {
		p.opts = bind.NewKeyedTransactor(key, id)
		p.opts.Context = ctx.Context
	}
	return p, nil
}

// send sends a transaction and waits for it; a revert is an error naming the rule.
func (p *pollClient) send(data []byte) (*types.Receipt, error) {
	return transact(p.ctx, p.ec, p.bc, p.opts, "Polls", data)
}

func pollCreate(ctx *cli.Context) error {
	key, err := loadKey(ctx)
	if err != nil {
		return err
	}
	el, err := readEligibility(ctx.String(pollEligFlag.Name))
	if err != nil {
		return err
	}
	p, err := dialPolls(ctx, key)
	if err != nil {
		return err
	}
	defer p.ec.Close()
	head, err := p.ec.HeaderByNumber(ctx.Context, nil)
	if err != nil {
		return err
	}
	now := time.Unix(int64(head.Time), 0)
	opens, err := parseTime(ctx.String(opensFlag.Name), now)
	if err != nil {
		return cli.Exit("--opens "+err.Error(), 2)
	}
	closes, err := parseTime(ctx.String(closesFlag.Name), now)
	if err != nil {
		return cli.Exit("--closes "+err.Error(), 2)
	}
	r, err := p.send(p.c.PackCreatePoll(polls.PollsPollSpec{
		Question: ctx.String(questionFlag.Name), Options: ctx.StringSlice(optionFlag.Name),
		OpensAt: opens, ClosesAt: closes, EligibleRoot: el.Root, VoterCount: uint32(el.VoterCount),
	}))
	if err != nil {
		return err
	}
	for _, l := range r.Logs {
		if ev, err := p.c.UnpackPollCreatedEvent(l); err == nil {
			fmt.Fprintf(ctx.App.Writer, "Poll %d created by %s in block %d: %d options, %d eligible voters, open %s to %s\n",
				ev.Poll, contracts.String32(ev.Department), r.BlockNumber, len(ev.Spec.Options), ev.Spec.VoterCount,
				time.Unix(int64(opens), 0).UTC().Format(time.RFC3339), time.Unix(int64(closes), 0).UTC().Format(time.RFC3339))
			return nil
		}
	}
	return errors.New("createPoll emitted no PollCreated event")
}

func pollSignBallot(ctx *cli.Context) error {
	key, err := loadKey(ctx)
	if err != nil {
		return err
	}
	el, err := readEligibility(ctx.String(pollEligFlag.Name))
	if err != nil {
		return err
	}
	voter := crypto.PubkeyToAddress(key.PublicKey)
	var entry *eligibilityEntry
	for i := range el.Voters {
		if el.Voters[i].Voter == voter {
			entry = &el.Voters[i]
		}
	}
	if entry == nil {
		return cli.Exit(fmt.Sprintf("%s is not in the eligibility list %s: this resident cannot vote in the poll", voter.Hex(), ctx.String(pollEligFlag.Name)), 1)
	}
	dom := ballots.DevDomain(ctx.Uint64(chainIDFlag2.Name))
	if dom.ChainID == 0 {
		p, err := dialPolls(ctx, nil)
		if err != nil {
			return err
		}
		dom = p.dom
		p.ec.Close()
	}
	option := ctx.Uint(choiceFlag.Name)
	if option >= 64 {
		return cli.Exit(fmt.Sprintf("--option %d: a poll has at most 64 options, numbered from 0", option), 2)
	}
	b, err := ballots.Sign(key, dom, ctx.Uint64(pollIDFlag.Name), uint32(option))
	if err != nil {
		return err
	}
	b.VoterIndex, b.Proof = entry.Index, entry.Proof
	line, _ := json.Marshal(b)
	line = append(line, '\n')
	if path := ctx.String(pollOutFlag.Name); path != "" {
		// Appends, so that many residents' ballots collect in one file.
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = f.Write(line)
		return err
	}
	_, err = ctx.App.Writer.Write(line)
	return err
}

// readBallots reads JSON lines of ballots.
func readBallots(paths []string) ([]ballots.Ballot, error) {
	var out []ballots.Ballot
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, cli.Exit(fmt.Sprintf("ballots: %v", err), 2)
		}
		for n, line := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var b ballots.Ballot
			if err := json.Unmarshal([]byte(line), &b); err != nil {
				return nil, cli.Exit(fmt.Sprintf("%s line %d: %v (want one ballot per line, as `cityctl poll sign-ballot` prints)", path, n+1, err), 2)
			}
			out = append(out, b)
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

func pollRelay(ctx *cli.Context) error {
	if ctx.NArg() == 0 {
		return cli.Exit("no ballot files: pass the files `cityctl poll sign-ballot` wrote", 2)
	}
	size := ctx.Int(batchFlag.Name)
	if size < 1 {
		return cli.Exit(fmt.Sprintf("--batch %d: want at least 1", size), 2)
	}
	bs, err := readBallots(ctx.Args().Slice())
	if err != nil {
		return err
	}
	key, err := loadKey(ctx)
	if err != nil {
		return err
	}
	p, err := dialPolls(ctx, key)
	if err != nil {
		return err
	}
	defer p.ec.Close()
	poll := new(big.Int).SetUint64(ctx.Uint64(pollIDFlag.Name))
	var counted, rejected uint64
	var reasons []string
	for start := 0; start < len(bs); start += size {
		end := min(start+size, len(bs))
		batch := make([]polls.PollsSignedBallot, 0, end-start)
		for _, b := range bs[start:end] {
			batch = append(batch, b.Signed())
		}
		r, err := p.send(p.c.PackRelay(poll, batch))
		if err != nil {
			fmt.Fprintln(ctx.App.ErrWriter)
			return fmt.Errorf("batch of ballots %d to %d: %w", start+1, end, err)
		}
		for _, l := range r.Logs {
			if ev, err := p.c.UnpackBallotRejectedEvent(l); err == nil {
				i := start + int(ev.Position.Int64())
				reasons = append(reasons, fmt.Sprintf("ballot %d (voter %s, index %d): %s", i+1, ev.Voter.Hex(), bs[i].VoterIndex, ballots.Reason(ev.Reason)))
			}
			if ev, err := p.c.UnpackBatchRelayedEvent(l); err == nil {
				counted += ev.Accepted.Uint64()
				rejected += ev.Rejected.Uint64()
			}
		}
		drawProgress(ctx.App.ErrWriter, end, len(bs), counted, rejected)
	}
	fmt.Fprintf(ctx.App.Writer, "Relayed %d ballots to poll %s: %d counted, %d rejected\n", len(bs), poll, counted, rejected)
	for _, r := range reasons {
		fmt.Fprintln(ctx.App.Writer, "  rejected", r)
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

func (p *pollClient) result(id uint64) (*pollResult, error) {
	n := new(big.Int).SetUint64(id)
	info, err := bind.Call(p.bc, nil, p.c.PackGetPoll(n), p.c.UnpackGetPoll)
	if err != nil {
		if reason := contracts.RevertReason(err); reason != "" {
			return nil, cli.Exit(fmt.Sprintf("poll %d: %s", id, reason), 1)
		}
		return nil, err
	}
	q, err := bind.Call(p.bc, nil, p.c.PackGetQuestion(n), p.c.UnpackGetQuestion)
	if err != nil {
		return nil, err
	}
	counts, err := bind.Call(p.bc, nil, p.c.PackTallies(n), p.c.UnpackTallies)
	if err != nil {
		return nil, err
	}
	head, err := p.ec.HeaderByNumber(p.ctx, nil)
	if err != nil {
		return nil, err
	}
	res := &pollResult{Poll: id, Department: contracts.String32(info.Department), Question: q.Question, Options: q.Options,
		OpensAt: info.OpensAt, ClosesAt: info.ClosesAt, Voters: info.VoterCount, Root: common.Hash(info.EligibleRoot).Hex()}
	for _, c := range counts {
		res.Tallies = append(res.Tallies, c.Uint64())
	}
	switch {
	case info.Cancelled:
		res.State = "cancelled"
	case head.Time < info.OpensAt:
		res.State = "not yet open"
	case head.Time < info.ClosesAt:
		res.State = "open"
	default:
		res.State = "closed (final)"
	}
	return res, nil
}

func pollResults(ctx *cli.Context) error {
	p, err := dialPolls(ctx, nil)
	if err != nil {
		return err
	}
	defer p.ec.Close()
	res, err := p.result(ctx.Uint64(pollIDFlag.Name))
	if err != nil {
		return err
	}
	if ctx.Bool(jsonFlag.Name) {
		out, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintln(ctx.App.Writer, string(out))
		return nil
	}
	w := tabwriter.NewWriter(ctx.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Poll %d (%s): %s\n", res.Poll, res.Department, res.Question)
	fmt.Fprintf(w, "State: %s, open %s to %s, %d eligible voters\n", res.State,
		time.Unix(int64(res.OpensAt), 0).UTC().Format(time.RFC3339), time.Unix(int64(res.ClosesAt), 0).UTC().Format(time.RFC3339), res.Voters)
	var total uint64
	for _, c := range res.Tallies {
		total += c
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

func pollRecount(ctx *cli.Context) error {
	p, err := dialPolls(ctx, nil)
	if err != nil {
		return err
	}
	defer p.ec.Close()
	id := ctx.Uint64(pollIDFlag.Name)
	res, err := p.result(id)
	if err != nil {
		return err
	}
	head, err := p.ec.BlockNumber(ctx.Context)
	if err != nil {
		return err
	}
	logs, err := p.ec.FilterLogs(ctx.Context, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(ctx.Uint64(fromBlkFlag.Name)), ToBlock: new(big.Int).SetUint64(head),
		Addresses: []common.Address{contracts.PollsAddress},
		Topics:    [][]common.Hash{{p.c.GetABI().Events["BallotCast"].ID}, {common.BigToHash(new(big.Int).SetUint64(id))}},
	})
	if err != nil {
		return fmt.Errorf("reading BallotCast events from %s: %w", p.url, err)
	}
	tally, err := ballots.Recount(id, len(res.Options), logs)
	if err != nil {
		return err
	}
	// The contract's tallies at the same block the events were read to.
	counts, err := bind.Call(p.bc, &bind.CallOpts{BlockNumber: new(big.Int).SetUint64(head)}, p.c.PackTallies(new(big.Int).SetUint64(id)), p.c.UnpackTallies)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(ctx.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Poll %d recounted from %d BallotCast events up to block %d\n", id, tally.Cast, head)
	fmt.Fprintf(w, "  option\tevents\tcontract\n")
	match := len(tally.Errors) == 0
	for i, o := range res.Options {
		c := counts[i].Uint64()
		mark := ""
		if c != tally.Counts[i] {
			mark, match = "  MISMATCH", false
		}
		fmt.Fprintf(w, "  %d %s\t%d\t%d%s\n", i, o, tally.Counts[i], c, mark)
	}
	w.Flush()
	for _, e := range tally.Errors {
		fmt.Fprintln(ctx.App.Writer, "  invalid event:", e)
	}
	if !match {
		return cli.Exit(fmt.Sprintf("recount of poll %d differs from the contract's tallies: check the node (%s) against another one", id, p.url), 3)
	}
	fmt.Fprintln(ctx.App.Writer, "Recount matches the contract's tallies.")
	return nil
}

// accountsAccount names an address for keystore.Find.
func accountsAccount(a common.Address) accounts.Account { return accounts.Account{Address: a} }
