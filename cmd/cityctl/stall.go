package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/marketstalls"
	"github.com/citychain/citychain/contracts/stalls"
)

var (
	marketCodeFlag = &cli.StringFlag{Name: "code", Usage: "short code (at most 32 bytes), e.g. SAT-FAIR or A-12", Required: true}
	marketNameFlag = &cli.StringFlag{Name: "name", Usage: "the market's name", Required: true}
	marketIDFlag   = &cli.Uint64Flag{Name: "market", Usage: "market number", Required: true}
	stallIDsFlag   = &cli.StringFlag{Name: "stalls", Usage: "comma-separated stall numbers offered in the round, in allocation order", Required: true}
	stallIDFlag    = &cli.Uint64Flag{Name: "stall", Usage: "stall number", Required: true}
	roundIDFlag    = &cli.Uint64Flag{Name: "round", Usage: "round number", Required: true}
	leaseIDFlag    = &cli.Uint64Flag{Name: "lease", Usage: "lease number", Required: true}
	leaseEndFlag   = &cli.StringFlag{Name: "lease-end", Usage: "end of the leases: RFC 3339 or +DURATION from now", Required: true}
	seedFileFlag   = &cli.StringFlag{Name: "seed-file", Usage: "file of the round's secret seed (round: written, must not exist; draw: read)", Required: true}
	holderFlag     = &cli.StringFlag{Name: "holder", Usage: "address of the trader", Required: true}
	feePaidFlag    = &cli.BoolFlag{Name: "fee-paid", Usage: "record that the lease's fee was paid (instead of releasing)"}
	drawWaitFlag   = &cli.DurationFlag{Name: "wait", Usage: "longest wait for the round's closing time and the draw block", Value: 2 * time.Minute}
)

var keyFlags = []cli.Flag{pollRPCFlag, pollKeystoreFlag, pollFromFlag, pollPasswordFlag, pollKeyFlag}

var stallCommand = &cli.Command{
	Name:  "stall",
	Usage: "market stalls: markets, stalls, application rounds, the lottery, leases and waitlists",
	Subcommands: []*cli.Command{
		{Name: "market", Usage: "create a market (market operator)", Flags: append(slices.Clone(keyFlags), marketCodeFlag, marketNameFlag), Action: stallMarket},
		{Name: "stall", Usage: "add a stall to a market (market operator)", Flags: append(slices.Clone(keyFlags), marketIDFlag, marketCodeFlag), Action: stallAdd},
		{
			Name:   "round",
			Usage:  "open an application round over free stalls; draws a secret seed, writes it to --seed-file and commits to it",
			Flags:  append(slices.Clone(keyFlags), marketIDFlag, stallIDsFlag, opensFlag, closesFlag, leaseEndFlag, seedFileFlag),
			Action: stallRound,
		},
		{Name: "apply", Usage: "apply for a stall in a round (trader, once per round)", Flags: append(slices.Clone(keyFlags), roundIDFlag), Action: stallApply},
		{
			Name:   "draw",
			Usage:  "close the round after its window, wait for the draw block, reveal the seed; prints the public inputs and checks the allocation against a recomputation",
			Flags:  append(slices.Clone(keyFlags), roundIDFlag, seedFileFlag, drawWaitFlag),
			Action: stallDraw,
		},
		{Name: "lease", Usage: "lease a free stall directly (market operator)", Flags: append(slices.Clone(keyFlags), stallIDFlag, holderFlag, leaseEndFlag), Action: stallLease},
		{
			Name:   "release",
			Usage:  "release a lease (holder or operator), promoting the round's waitlist; with --fee-paid record the fee instead",
			Flags:  append(slices.Clone(keyFlags), leaseIDFlag, feePaidFlag),
			Action: stallRelease,
		},
		{Name: "waitlist", Usage: "a round's state, allocation and remaining waitlist", Flags: []cli.Flag{pollRPCFlag, roundIDFlag}, Action: stallWaitlist},
	},
}

type stallClient struct {
	ec   *ethclient.Client
	ms   *marketstalls.MarketStalls
	bc   *bind.BoundContract
	ctx  context.Context
	opts *bind.TransactOpts
}

func dialStalls(ctx *cli.Context, withKey bool) (*stallClient, error) {
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
	s := &stallClient{ec: ec, ms: marketstalls.NewMarketStalls(), ctx: ctx.Context}
	s.bc = s.ms.Instance(ec, contracts.MarketStallsAddress)
	if withKey {
		key, err := loadKey(ctx)
		if err != nil {
			ec.Close()
			return nil, err
		}
		s.opts = bind.NewKeyedTransactor(key, id)
		s.opts.Context = ctx.Context
	}
	return s, nil
}

// send sends a transaction and waits for it; a revert is an error naming the rule.
func (s *stallClient) send(data []byte) (*types.Receipt, error) {
	return transact(s.ctx, s.ec, s.bc, s.opts, "MarketStalls", data)
}

func (s *stallClient) now() (time.Time, error) {
	h, err := s.ec.HeaderByNumber(s.ctx, nil)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(h.Time), 0), nil
}

func code32(ctx *cli.Context) ([32]byte, error) {
	b, err := contracts.Bytes32(ctx.String(marketCodeFlag.Name))
	if err != nil {
		return b, cli.Exit("--code: "+err.Error(), 2)
	}
	return b, nil
}

func u(v uint64) *big.Int { return new(big.Int).SetUint64(v) }

func stallMarket(ctx *cli.Context) error {
	code, err := code32(ctx)
	if err != nil {
		return err
	}
	s, err := dialStalls(ctx, true)
	if err != nil {
		return err
	}
	defer s.ec.Close()
	r, err := s.send(s.ms.PackCreateMarket(code, ctx.String(marketNameFlag.Name)))
	if err != nil {
		return err
	}
	for _, l := range r.Logs {
		if ev, err := s.ms.UnpackMarketCreatedEvent(l); err == nil {
			fmt.Fprintf(ctx.App.Writer, "Market %d %s (%s) created for %s\n", ev.Market, contracts.String32(ev.Code), ev.Name, contracts.String32(ev.Department))
		}
	}
	return nil
}

func stallAdd(ctx *cli.Context) error {
	code, err := code32(ctx)
	if err != nil {
		return err
	}
	s, err := dialStalls(ctx, true)
	if err != nil {
		return err
	}
	defer s.ec.Close()
	r, err := s.send(s.ms.PackAddStall(u(ctx.Uint64(marketIDFlag.Name)), code))
	if err != nil {
		return err
	}
	for _, l := range r.Logs {
		if ev, err := s.ms.UnpackStallAddedEvent(l); err == nil {
			fmt.Fprintf(ctx.App.Writer, "Stall %d %s added to market %d\n", ev.Stall, contracts.String32(ev.Code), ev.Market)
		}
	}
	return nil
}

func stallRound(ctx *cli.Context) error {
	var ids []*big.Int
	for _, f := range strings.Split(ctx.String(stallIDsFlag.Name), ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil || v == 0 {
			return cli.Exit(fmt.Sprintf("--stalls: %q is not a stall number", f), 2)
		}
		ids = append(ids, u(v))
	}
	seedPath := ctx.String(seedFileFlag.Name)
	if _, err := os.Stat(seedPath); err == nil {
		return cli.Exit(fmt.Sprintf("--seed-file %s exists: each round needs a fresh seed; choose another file", seedPath), 2)
	}
	s, err := dialStalls(ctx, true)
	if err != nil {
		return err
	}
	defer s.ec.Close()
	now, err := s.now()
	if err != nil {
		return err
	}
	var times [3]uint64
	for i, f := range []*cli.StringFlag{opensFlag, closesFlag, leaseEndFlag} {
		if times[i], err = parseTime(ctx.String(f.Name), now); err != nil {
			return cli.Exit("--"+f.Name+" "+err.Error(), 2)
		}
	}
	var seed common.Hash
	if _, err := rand.Read(seed[:]); err != nil {
		return err
	}
	// The seed is kept before the commitment is published: losing it would
	// leave the round undrawable.
	if err := os.WriteFile(seedPath, []byte(seed.Hex()+"\n"), 0o600); err != nil {
		return err
	}
	r, err := s.send(s.ms.PackOpenRound(u(ctx.Uint64(marketIDFlag.Name)), ids, times[0], times[1], times[2], stalls.Commitment(seed)))
	if err != nil {
		os.Remove(seedPath)
		return err
	}
	for _, l := range r.Logs {
		if ev, err := s.ms.UnpackRoundOpenedEvent(l); err == nil {
			fmt.Fprintf(ctx.App.Writer, "Round %d opened on market %d for stalls %v: applications %s to %s, leases until %s, commitment %s (seed kept in %s)\n",
				ev.Round, ev.Market, ev.Stalls, rfc(ev.OpensAt), rfc(ev.ClosesAt), rfc(ev.LeaseEnd), common.Hash(ev.Commitment).Hex(), seedPath)
		}
	}
	return nil
}

func rfc(t uint64) string { return time.Unix(int64(t), 0).UTC().Format(time.RFC3339) }

func stallApply(ctx *cli.Context) error {
	s, err := dialStalls(ctx, true)
	if err != nil {
		return err
	}
	defer s.ec.Close()
	r, err := s.send(s.ms.PackApplyFor(u(ctx.Uint64(roundIDFlag.Name))))
	if err != nil {
		return err
	}
	for _, l := range r.Logs {
		if ev, err := s.ms.UnpackAppliedEvent(l); err == nil {
			fmt.Fprintf(ctx.App.Writer, "Applied to round %d as applicant %d (%s)\n", ev.Round, ev.Position.Uint64()+1, ev.Applicant.Hex())
		}
	}
	return nil
}

// Round states (MarketStalls.RoundState).
const (
	roundOpen   = 1
	roundClosed = 2
	roundDrawn  = 3
)

func stallDraw(ctx *cli.Context) error {
	data, err := os.ReadFile(ctx.String(seedFileFlag.Name))
	if err != nil {
		return cli.Exit(fmt.Sprintf("--seed-file: %v", err), 2)
	}
	raw, err := hexutil.Decode(strings.TrimSpace(string(data)))
	if err != nil || len(raw) != 32 {
		return cli.Exit(fmt.Sprintf("--seed-file %s: want the 0x-prefixed 32-byte seed `cityctl stall round` wrote", ctx.String(seedFileFlag.Name)), 2)
	}
	seed := common.BytesToHash(raw)
	s, err := dialStalls(ctx, true)
	if err != nil {
		return err
	}
	defer s.ec.Close()
	id := u(ctx.Uint64(roundIDFlag.Name))
	round, err := bind.Call(s.bc, nil, s.ms.PackGetRound(id), s.ms.UnpackGetRound)
	if err != nil {
		return cli.Exit(fmt.Sprintf("round %s: %s", id, contracts.RevertReason(err)), 1)
	}
	if stalls.Commitment(seed) != round.R.Commitment {
		return cli.Exit(fmt.Sprintf("the seed in %s is not the one round %s committed to: use the round's own seed file", ctx.String(seedFileFlag.Name), id), 2)
	}
	deadline := time.Now().Add(ctx.Duration(drawWaitFlag.Name))
	if round.R.State == roundOpen {
		// Applications end at the round's closing time (chain time).
		for {
			now, err := s.now()
			if err != nil {
				return err
			}
			if uint64(now.Unix()) >= round.R.ClosesAt {
				break
			}
			if time.Now().After(deadline) {
				return cli.Exit(fmt.Sprintf("round %s takes applications until %s: run draw after that", id, rfc(round.R.ClosesAt)), 1)
			}
			time.Sleep(200 * time.Millisecond)
		}
		if _, err := s.send(s.ms.PackCloseRound(id)); err != nil {
			return err
		}
		if round, err = bind.Call(s.bc, nil, s.ms.PackGetRound(id), s.ms.UnpackGetRound); err != nil {
			return err
		}
		fmt.Fprintf(ctx.App.Writer, "Round %s closed with %d applicants; draw block %s\n", id, len(round.Applicants), round.R.DrawBlock)
	}
	if round.R.State != roundClosed {
		return cli.Exit(fmt.Sprintf("round %s is drawn already: see `cityctl stall waitlist --round %s`", id, id), 1)
	}
	// The draw block must exist before the reveal (one block after it at least).
	for {
		n, err := s.ec.BlockNumber(ctx.Context)
		if err != nil {
			return err
		}
		if n >= round.R.DrawBlock.Uint64()+1 {
			break
		}
		if time.Now().After(deadline) {
			return cli.Exit(fmt.Sprintf("draw block %s not reached in %v (head %d): run draw again later", round.R.DrawBlock, ctx.Duration(drawWaitFlag.Name), n), 1)
		}
		time.Sleep(200 * time.Millisecond)
	}
	r, err := s.send(s.ms.PackDraw(id, seed))
	if err != nil {
		return err
	}
	var drawn *marketstalls.MarketStallsDrawn
	for _, l := range r.Logs {
		if ev, err := s.ms.UnpackDrawnEvent(l); err == nil {
			drawn = ev
		}
	}
	if drawn == nil {
		return errors.New("draw emitted no Drawn event")
	}
	hdr, err := s.ec.HeaderByNumber(ctx.Context, round.R.DrawBlock)
	if err != nil {
		return err
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Round %s drawn in block %d. Public inputs:\n", id, r.BlockNumber)
	fmt.Fprintf(w, "  seed              %s (commitment %s)\n", seed.Hex(), common.Hash(round.R.Commitment).Hex())
	fmt.Fprintf(w, "  draw block        %s, hash %s\n", round.R.DrawBlock, hdr.Hash().Hex())
	fmt.Fprintf(w, "  applicants        %d, in application order\n", len(round.Applicants))
	fmt.Fprintf(w, "  randomness        keccak256(seed . blockhash) = %s\n", common.Hash(drawn.Randomness).Hex())
	want := stalls.Draw(seed, hdr.Hash(), round.Applicants, len(round.Stalls))
	if want.Randomness != drawn.Randomness || hdr.Hash() != drawn.DrawBlockHash {
		return cli.Exit("the contract's randomness differs from the recomputation: report this", 3)
	}
	for i, st := range round.Stalls {
		if i < len(want.Winners) {
			stall, err := bind.Call(s.bc, nil, s.ms.PackGetStall(st), s.ms.UnpackGetStall)
			if err != nil {
				return err
			}
			lease, err := bind.Call(s.bc, nil, s.ms.PackGetLease(stall.Lease), s.ms.UnpackGetLease)
			if err != nil {
				return err
			}
			mark := ""
			if lease.Holder != want.Winners[i] {
				mark = "  DIFFERS from the recomputation " + want.Winners[i].Hex()
			}
			fmt.Fprintf(w, "  stall %s (%s)  lease %s to %s%s\n", st, contracts.String32(stall.Code), stall.Lease, lease.Holder.Hex(), mark)
			if mark != "" {
				return cli.Exit("the allocation differs from the recomputation: report this", 3)
			}
		}
	}
	fmt.Fprintf(w, "  waitlist          %d applicants\nAllocation recomputed from the public inputs: identical.\n", len(want.Waitlist))
	return nil
}

func stallLease(ctx *cli.Context) error {
	h := ctx.String(holderFlag.Name)
	if !common.IsHexAddress(h) {
		return cli.Exit(fmt.Sprintf("--holder %q is not an address", h), 2)
	}
	s, err := dialStalls(ctx, true)
	if err != nil {
		return err
	}
	defer s.ec.Close()
	now, err := s.now()
	if err != nil {
		return err
	}
	end, err := parseTime(ctx.String(leaseEndFlag.Name), now)
	if err != nil {
		return cli.Exit("--lease-end "+err.Error(), 2)
	}
	r, err := s.send(s.ms.PackLease(u(ctx.Uint64(stallIDFlag.Name)), common.HexToAddress(h), end))
	if err != nil {
		return err
	}
	printLeases(ctx, s, r)
	return nil
}

func printLeases(ctx *cli.Context, s *stallClient, r *types.Receipt) {
	for _, l := range r.Logs {
		if ev, err := s.ms.UnpackLeasedEvent(l); err == nil {
			fmt.Fprintf(ctx.App.Writer, "Lease %d: stall %d to %s until %s\n", ev.Lease, ev.Stall, ev.Holder.Hex(), rfc(ev.End))
		}
		if ev, err := s.ms.UnpackPromotedEvent(l); err == nil {
			fmt.Fprintf(ctx.App.Writer, "Promoted from the waitlist of round %d: %s gets stall %d (lease %d)\n", ev.Round, ev.Holder.Hex(), ev.Stall, ev.Lease)
		}
	}
}

func stallRelease(ctx *cli.Context) error {
	s, err := dialStalls(ctx, true)
	if err != nil {
		return err
	}
	defer s.ec.Close()
	id := u(ctx.Uint64(leaseIDFlag.Name))
	if ctx.Bool(feePaidFlag.Name) {
		if _, err := s.send(s.ms.PackMarkFeePaid(id)); err != nil {
			return err
		}
		fmt.Fprintf(ctx.App.Writer, "Lease %s: fee paid\n", id)
		return nil
	}
	r, err := s.send(s.ms.PackRelease(id))
	if err != nil {
		return err
	}
	fmt.Fprintf(ctx.App.Writer, "Lease %s released\n", id)
	printLeases(ctx, s, r)
	return nil
}

func stallWaitlist(ctx *cli.Context) error {
	s, err := dialStalls(ctx, false)
	if err != nil {
		return err
	}
	defer s.ec.Close()
	id := u(ctx.Uint64(roundIDFlag.Name))
	round, err := bind.Call(s.bc, nil, s.ms.PackGetRound(id), s.ms.UnpackGetRound)
	if err != nil {
		return cli.Exit(fmt.Sprintf("round %s: %s", id, contracts.RevertReason(err)), 1)
	}
	states := []string{"none", "open", "closed (waiting for the draw)", "drawn"}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Round %s on market %s: %s, %d applicants for stalls %v\n", id, round.R.Market, states[round.R.State], len(round.Applicants), round.Stalls)
	if round.R.State != roundDrawn {
		return nil
	}
	wl, err := bind.Call(s.bc, nil, s.ms.PackWaitlist(id), s.ms.UnpackWaitlist)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Waitlist (%d, next first):\n", len(wl))
	for i, a := range wl {
		fmt.Fprintf(w, "  %d  %s\n", i+1, a.Hex())
	}
	return nil
}
