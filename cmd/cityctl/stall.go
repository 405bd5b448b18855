package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"os"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/marketstalls"
	"github.com/citychain/citychain/contracts/stalls"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
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
)

// stallsABI packs and unpacks the MarketStalls contract's calls and events.
var stallsABI = marketstalls.NewMarketStalls()

var stallCommand = &cli.Command{
	Name:  "stall",
	Usage: "market stalls: markets, stalls, application rounds, the lottery, leases and waitlists",
	Subcommands: []*cli.Command{
		{Name: "market", Usage: "create a market (market operator)", Flags: signFlags(marketCodeFlag, marketNameFlag), Action: stallMarket},
		{Name: "stall", Usage: "add a stall to a market (market operator)", Flags: signFlags(marketIDFlag, marketCodeFlag), Action: stallAdd},
		{
			Name:   "round",
			Usage:  "open an application round over free stalls; draws a secret seed, writes it to --seed-file and commits to it",
			Flags:  signFlags(marketIDFlag, stallIDsFlag, opensFlag, closesFlag, leaseEndFlag, seedFileFlag),
			Action: stallRound,
		},
		{Name: "apply", Usage: "apply for a stall in a round (trader, once per round)", Flags: signFlags(roundIDFlag), Action: stallApply},
		{
			Name:   "draw",
			Usage:  "close the round after its window, wait for the draw block, reveal the seed; prints the public inputs and checks the allocation against a recomputation (exit 1 if it differs)",
			Flags:  signFlags(roundIDFlag, seedFileFlag),
			Action: stallDraw,
		},
		{Name: "lease", Usage: "lease a free stall directly (market operator)", Flags: signFlags(stallIDFlag, holderFlag, leaseEndFlag), Action: stallLease},
		{
			Name:   "release",
			Usage:  "release a lease (holder or operator), promoting the round's waitlist; with --fee-paid record the fee instead",
			Flags:  signFlags(leaseIDFlag, feePaidFlag),
			Action: stallRelease,
		},
		{Name: "waitlist", Usage: "a round's state, allocation and remaining waitlist", Flags: nodeFlags(roundIDFlag), Action: stallWaitlist},
	},
}

// sendStalls sends a MarketStalls transaction of the command's key.
func sendStalls(ctx *cli.Context, method string, data []byte) (*registry.Tx, error) {
	c, err := dial(ctx, true)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.send("MarketStalls."+method, contracts.MarketStallsAddress, data)
}

func code32(ctx *cli.Context) ([32]byte, error) {
	b, err := contracts.Bytes32(ctx.String(marketCodeFlag.Name))
	if err != nil {
		return b, cliutil.Usagef("--code: %v", err)
	}
	return b, nil
}

func stallMarket(ctx *cli.Context) error {
	code, err := code32(ctx)
	if err != nil {
		return err
	}
	tx, err := sendStalls(ctx, "createMarket", stallsABI.PackCreateMarket(code, ctx.String(marketNameFlag.Name)))
	if err != nil {
		return err
	}
	for _, l := range tx.Logs {
		if ev, err := stallsABI.UnpackMarketCreatedEvent(l); err == nil {
			return printTx(ctx, tx, fmt.Sprintf("Market %d %s (%s) created for %s", ev.Market, contracts.String32(ev.Code), ev.Name, contracts.String32(ev.Department)),
				map[string]any{"market": ev.Market, "code": contracts.String32(ev.Code), "name": ev.Name, "department": contracts.String32(ev.Department)})
		}
	}
	return noEvent(tx, "MarketCreated")
}

func stallAdd(ctx *cli.Context) error {
	code, err := code32(ctx)
	if err != nil {
		return err
	}
	tx, err := sendStalls(ctx, "addStall", stallsABI.PackAddStall(u(ctx.Uint64(marketIDFlag.Name)), code))
	if err != nil {
		return err
	}
	for _, l := range tx.Logs {
		if ev, err := stallsABI.UnpackStallAddedEvent(l); err == nil {
			return printTx(ctx, tx, fmt.Sprintf("Stall %d %s added to market %d", ev.Stall, contracts.String32(ev.Code), ev.Market),
				map[string]any{"stall": ev.Stall, "code": contracts.String32(ev.Code), "market": ev.Market})
		}
	}
	return noEvent(tx, "StallAdded")
}

func noEvent(tx *registry.Tx, event string) error {
	return fmt.Errorf("%s in tx %s emitted no %s event", tx.Action, tx.Hash.Hex(), event)
}

// stallIDs reads --stalls.
func stallIDs(ctx *cli.Context) ([]*big.Int, error) {
	var ids []*big.Int
	for _, f := range strings.Split(ctx.String(stallIDsFlag.Name), ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil || v == 0 {
			return nil, cliutil.Usagef("--stalls: %q is not a stall number", f)
		}
		ids = append(ids, u(v))
	}
	return ids, nil
}

func stallRound(ctx *cli.Context) error {
	ids, err := stallIDs(ctx)
	if err != nil {
		return err
	}
	seedPath := ctx.String(seedFileFlag.Name)
	if _, err := os.Stat(seedPath); err == nil {
		return cliutil.Usagef("--seed-file %s exists: each round needs a fresh seed; choose another file", seedPath)
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	times, err := roundTimes(ctx, c)
	if err != nil {
		return err
	}
	seed, err := newSeed(seedPath)
	if err != nil {
		return err
	}
	tx, err := c.send("MarketStalls.openRound", contracts.MarketStallsAddress,
		stallsABI.PackOpenRound(u(ctx.Uint64(marketIDFlag.Name)), ids, times[0], times[1], times[2], stalls.Commitment(seed)))
	if err != nil {
		os.Remove(seedPath)
		return err
	}
	return printRoundOpened(ctx, tx, seedPath)
}

// roundTimes reads --opens, --closes and --lease-end against chain time.
func roundTimes(ctx *cli.Context, c *conn) ([3]uint64, error) {
	var times [3]uint64
	now, err := c.chainNow()
	if err != nil {
		return times, err
	}
	for i, f := range []*cli.StringFlag{opensFlag, closesFlag, leaseEndFlag} {
		if times[i], err = timeFlag(ctx, f, now); err != nil {
			return times, err
		}
	}
	return times, nil
}

// newSeed draws a round's secret seed and keeps it in path before the
// commitment is published: losing it would leave the round undrawable.
func newSeed(path string) (common.Hash, error) {
	var seed common.Hash
	if _, err := rand.Read(seed[:]); err != nil {
		return seed, err
	}
	return seed, os.WriteFile(path, []byte(seed.Hex()+"\n"), 0o600)
}

func printRoundOpened(ctx *cli.Context, tx *registry.Tx, seedPath string) error {
	for _, l := range tx.Logs {
		if ev, err := stallsABI.UnpackRoundOpenedEvent(l); err == nil {
			text := fmt.Sprintf("Round %d opened on market %d for stalls %v: applications %s to %s, leases until %s, commitment %s (seed kept in %s)",
				ev.Round, ev.Market, ev.Stalls, formatTime(ev.OpensAt), formatTime(ev.ClosesAt), formatTime(ev.LeaseEnd), common.Hash(ev.Commitment).Hex(), seedPath)
			return printTx(ctx, tx, text, map[string]any{"round": ev.Round, "market": ev.Market, "stalls": ev.Stalls, "opensAt": ev.OpensAt,
				"closesAt": ev.ClosesAt, "leaseEnd": ev.LeaseEnd, "commitment": common.Hash(ev.Commitment), "seedFile": seedPath})
		}
	}
	return noEvent(tx, "RoundOpened")
}

func stallApply(ctx *cli.Context) error {
	tx, err := sendStalls(ctx, "applyFor", stallsABI.PackApplyFor(u(ctx.Uint64(roundIDFlag.Name))))
	if err != nil {
		return err
	}
	for _, l := range tx.Logs {
		if ev, err := stallsABI.UnpackAppliedEvent(l); err == nil {
			return printTx(ctx, tx, fmt.Sprintf("Applied to round %d as applicant %d (%s)", ev.Round, ev.Position.Uint64()+1, ev.Applicant.Hex()),
				map[string]any{"round": ev.Round, "applicant": ev.Applicant, "position": ev.Position.Uint64() + 1})
		}
	}
	return noEvent(tx, "Applied")
}

func stallLease(ctx *cli.Context) error {
	holder, err := parseAddress("--holder", ctx.String(holderFlag.Name))
	if err != nil {
		return err
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	now, err := c.chainNow()
	if err != nil {
		return err
	}
	end, err := timeFlag(ctx, leaseEndFlag, now)
	if err != nil {
		return err
	}
	tx, err := c.send("MarketStalls.lease", contracts.MarketStallsAddress, stallsABI.PackLease(u(ctx.Uint64(stallIDFlag.Name)), holder, end))
	if err != nil {
		return err
	}
	return printLeases(ctx, tx, "")
}

// leaseView is a lease or a promotion from the waitlist, as printed.
type leaseView struct {
	Lease    *big.Int       `json:"lease"`
	Stall    *big.Int       `json:"stall"`
	Holder   common.Address `json:"holder"`
	End      uint64         `json:"end,omitempty"`
	Round    *big.Int       `json:"round,omitempty"`
	Promoted bool           `json:"promoted,omitempty"`
}

// printLeases prints the leases and promotions of tx after the line first.
func printLeases(ctx *cli.Context, tx *registry.Tx, first string) error {
	leases := []leaseView{}
	var lines []string
	if first != "" {
		lines = append(lines, first)
	}
	for _, l := range tx.Logs {
		if ev, err := stallsABI.UnpackLeasedEvent(l); err == nil {
			leases = append(leases, leaseView{Lease: ev.Lease, Stall: ev.Stall, Holder: ev.Holder, End: ev.End})
			lines = append(lines, fmt.Sprintf("Lease %d: stall %d to %s until %s", ev.Lease, ev.Stall, ev.Holder.Hex(), formatTime(ev.End)))
		}
		if ev, err := stallsABI.UnpackPromotedEvent(l); err == nil {
			leases = append(leases, leaseView{Lease: ev.Lease, Stall: ev.Stall, Holder: ev.Holder, Round: ev.Round, Promoted: true})
			lines = append(lines, fmt.Sprintf("Promoted from the waitlist of round %d: %s gets stall %d (lease %d)", ev.Round, ev.Holder.Hex(), ev.Stall, ev.Lease))
		}
	}
	return printTx(ctx, tx, strings.Join(lines, "\n"), map[string]any{"leases": leases})
}

func stallRelease(ctx *cli.Context) error {
	id := ctx.Uint64(leaseIDFlag.Name)
	if ctx.Bool(feePaidFlag.Name) {
		tx, err := sendStalls(ctx, "markFeePaid", stallsABI.PackMarkFeePaid(u(id)))
		if err != nil {
			return err
		}
		return printTx(ctx, tx, fmt.Sprintf("Lease %d: fee paid", id), map[string]any{"lease": id, "feePaid": true})
	}
	tx, err := sendStalls(ctx, "release", stallsABI.PackRelease(u(id)))
	if err != nil {
		return err
	}
	return printLeases(ctx, tx, fmt.Sprintf("Lease %d released", id))
}

// waitlistView is what `stall waitlist` prints.
type waitlistView struct {
	Round      uint64           `json:"round"`
	Market     *big.Int         `json:"market"`
	State      string           `json:"state"`
	Stalls     []*big.Int       `json:"stalls"`
	Applicants int              `json:"applicants"`
	Waitlist   []common.Address `json:"waitlist"`
}

// Round states (MarketStalls.RoundState).
const (
	roundOpen   = 1
	roundClosed = 2
	roundDrawn  = 3
)

var roundStates = []string{"none", "open", "closed (waiting for the draw)", "drawn"}

func stallWaitlist(ctx *cli.Context) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	id := ctx.Uint64(roundIDFlag.Name)
	round, err := read(c, "MarketStalls.getRound", contracts.MarketStallsAddress, stallsABI.PackGetRound(u(id)), stallsABI.UnpackGetRound)
	if err != nil {
		return err
	}
	v := &waitlistView{Round: id, Market: round.R.Market, State: roundStates[round.R.State], Stalls: round.Stalls, Applicants: len(round.Applicants), Waitlist: []common.Address{}}
	if round.R.State == roundDrawn {
		if v.Waitlist, err = read(c, "MarketStalls.waitlist", contracts.MarketStallsAddress, stallsABI.PackWaitlist(u(id)), stallsABI.UnpackWaitlist); err != nil {
			return err
		}
	}
	return emit(ctx, v, func(w io.Writer) error {
		fmt.Fprintf(w, "Round %d on market %s: %s, %d applicants for stalls %v\n", v.Round, v.Market, v.State, v.Applicants, v.Stalls)
		if round.R.State != roundDrawn {
			return nil
		}
		fmt.Fprintf(w, "Waitlist (%d, next first):\n", len(v.Waitlist))
		for i, a := range v.Waitlist {
			fmt.Fprintf(w, "  %d  %s\n", i+1, a.Hex())
		}
		return nil
	})
}
