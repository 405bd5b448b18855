package main

import (
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/marketstalls"
	"github.com/citychain/citychain/contracts/stalls"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// drawPoll is how often draw looks at the chain while it waits.
const drawPoll = 200 * time.Millisecond

// drawView is what `stall draw` prints: the lottery's public inputs and the
// allocation, checked against a recomputation from them.
type drawView struct {
	Round         uint64           `json:"round"`
	Closed        string           `json:"closed,omitempty"` // the close this command made, if any
	Block         uint64           `json:"block"`
	Seed          common.Hash      `json:"seed"`
	Commitment    common.Hash      `json:"commitment"`
	DrawBlock     *big.Int         `json:"drawBlock"`
	DrawBlockHash common.Hash      `json:"drawBlockHash"`
	Applicants    []common.Address `json:"applicants"`
	Randomness    common.Hash      `json:"randomness"`
	Allocation    []allocated      `json:"allocation"`
	Waitlist      int              `json:"waitlist"`
	Identical     bool             `json:"identical"`
}

// allocated is a stall of the round and its lease after the draw.
type allocated struct {
	Stall      *big.Int       `json:"stall"`
	Code       string         `json:"code"`
	Lease      *big.Int       `json:"lease"`
	Holder     common.Address `json:"holder"`
	Recomputed common.Address `json:"recomputed"`
}

// drawer runs one draw: a round, its seed and the command's wait.
type drawer struct {
	c        *conn
	id       *big.Int
	seed     common.Hash
	deadline time.Time
	round    marketstalls.GetRoundOutput
	view     drawView
}

func stallDraw(ctx *cli.Context) error {
	seed, err := readSeed(ctx.String(seedFileFlag.Name))
	if err != nil {
		return err
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	d := &drawer{c: c, id: u(ctx.Uint64(roundIDFlag.Name)), seed: seed, deadline: time.Now().Add(ctx.Duration(waitFlag.Name))}
	if err := d.run(ctx.String(seedFileFlag.Name)); err != nil {
		return err
	}
	if err := emit(ctx, &d.view, d.view.print); err != nil {
		return err
	}
	if !d.view.Identical {
		return cli.Exit("the allocation differs from the recomputation from the public inputs: report this", 1)
	}
	return nil
}

// readSeed reads the seed file `stall round` wrote.
func readSeed(path string) (common.Hash, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return common.Hash{}, cliutil.Usagef("--seed-file: %v", err)
	}
	raw, err := hexutil.Decode(strings.TrimSpace(string(data)))
	if err != nil || len(raw) != common.HashLength {
		return common.Hash{}, cliutil.Usagef("--seed-file %s: want the 0x-prefixed 32-byte seed `cityctl stall round` wrote", path)
	}
	return common.BytesToHash(raw), nil
}

// run closes the round if it is open, waits for its draw block, reveals
// the seed and recomputes the allocation.
func (d *drawer) run(seedPath string) error {
	if err := d.load(); err != nil {
		return err
	}
	if stalls.Commitment(d.seed) != d.round.R.Commitment {
		return cliutil.Usagef("the seed in %s is not the one round %s committed to: use the round's own seed file", seedPath, d.id)
	}
	if d.round.R.State == roundOpen {
		if err := d.close(); err != nil {
			return err
		}
	}
	if d.round.R.State != roundClosed {
		return cli.Exit(fmt.Sprintf("round %s is drawn already: see `cityctl stall waitlist --round %s`", d.id, d.id), 1)
	}
	if err := d.waitDrawBlock(); err != nil {
		return err
	}
	return d.reveal()
}

func (d *drawer) load() (err error) {
	d.round, err = read(d.c, "MarketStalls.getRound", contracts.MarketStallsAddress, stallsABI.PackGetRound(d.id), stallsABI.UnpackGetRound)
	return err
}

// close waits for the round's closing time (chain time) and closes it.
func (d *drawer) close() error {
	for {
		now, err := d.c.chainNow()
		if err != nil {
			return err
		}
		if uint64(now.Unix()) >= d.round.R.ClosesAt {
			break
		}
		if time.Now().After(d.deadline) {
			return cli.Exit(fmt.Sprintf("round %s takes applications until %s: run draw after that (or give a longer --wait)", d.id, formatTime(d.round.R.ClosesAt)), 1)
		}
		time.Sleep(drawPoll)
	}
	if _, err := d.c.send("MarketStalls.closeRound", contracts.MarketStallsAddress, stallsABI.PackCloseRound(d.id)); err != nil {
		return err
	}
	if err := d.load(); err != nil {
		return err
	}
	d.view.Closed = fmt.Sprintf("Round %s closed with %d applicants; draw block %s", d.id, len(d.round.Applicants), d.round.R.DrawBlock)
	return nil
}

// waitDrawBlock waits until the block after the draw block exists: the draw
// block's hash is then known.
func (d *drawer) waitDrawBlock() error {
	for {
		n, err := d.c.Eth().BlockNumber(d.c.ctx)
		if err != nil {
			return err
		}
		if n >= d.round.R.DrawBlock.Uint64()+1 {
			return nil
		}
		if time.Now().After(d.deadline) {
			return cli.Exit(fmt.Sprintf("draw block %s not reached within --wait (head %d): run draw again later", d.round.R.DrawBlock, n), 1)
		}
		time.Sleep(drawPoll)
	}
}

// reveal sends the seed and checks the contract's draw against stalls.Draw
// over the same public inputs.
func (d *drawer) reveal() error {
	tx, err := d.c.send("MarketStalls.draw", contracts.MarketStallsAddress, stallsABI.PackDraw(d.id, d.seed))
	if err != nil {
		return err
	}
	var drawn *marketstalls.MarketStallsDrawn
	for _, l := range tx.Logs {
		if ev, err := stallsABI.UnpackDrawnEvent(l); err == nil {
			drawn = ev
		}
	}
	if drawn == nil {
		return noEvent(tx, "Drawn")
	}
	hdr, err := d.c.Eth().HeaderByNumber(d.c.ctx, d.round.R.DrawBlock)
	if err != nil {
		return err
	}
	want := stalls.Draw(d.seed, hdr.Hash(), d.round.Applicants, len(d.round.Stalls))
	d.view = drawView{Round: d.id.Uint64(), Closed: d.view.Closed, Block: tx.Block, Seed: d.seed, Commitment: d.round.R.Commitment,
		DrawBlock: d.round.R.DrawBlock, DrawBlockHash: hdr.Hash(), Applicants: d.round.Applicants, Randomness: drawn.Randomness,
		Waitlist: len(want.Waitlist), Allocation: []allocated{},
		Identical: want.Randomness == drawn.Randomness && hdr.Hash() == common.Hash(drawn.DrawBlockHash)}
	return d.allocation(want.Winners)
}

// allocation reads the lease of each stall the draw allocated and compares
// its holder with the recomputed winner.
func (d *drawer) allocation(winners []common.Address) error {
	for i, st := range d.round.Stalls[:len(winners)] {
		stall, err := read(d.c, "MarketStalls.getStall", contracts.MarketStallsAddress, stallsABI.PackGetStall(st), stallsABI.UnpackGetStall)
		if err != nil {
			return err
		}
		lease, err := read(d.c, "MarketStalls.getLease", contracts.MarketStallsAddress, stallsABI.PackGetLease(stall.Lease), stallsABI.UnpackGetLease)
		if err != nil {
			return err
		}
		d.view.Allocation = append(d.view.Allocation, allocated{Stall: st, Code: contracts.String32(stall.Code), Lease: stall.Lease, Holder: lease.Holder, Recomputed: winners[i]})
		d.view.Identical = d.view.Identical && lease.Holder == winners[i]
	}
	return nil
}

func (v *drawView) print(w io.Writer) error {
	if v.Closed != "" {
		fmt.Fprintln(w, v.Closed)
	}
	fmt.Fprintf(w, "Round %d drawn in block %d. Public inputs:\n", v.Round, v.Block)
	fmt.Fprintf(w, "  seed              %s (commitment %s)\n", v.Seed.Hex(), v.Commitment.Hex())
	fmt.Fprintf(w, "  draw block        %s, hash %s\n", v.DrawBlock, v.DrawBlockHash.Hex())
	fmt.Fprintf(w, "  applicants        %d, in application order\n", len(v.Applicants))
	fmt.Fprintf(w, "  randomness        keccak256(seed . blockhash) = %s\n", v.Randomness.Hex())
	for _, a := range v.Allocation {
		mark := ""
		if a.Holder != a.Recomputed {
			mark = "  DIFFERS from the recomputation " + a.Recomputed.Hex()
		}
		fmt.Fprintf(w, "  stall %s (%s)  lease %s to %s%s\n", a.Stall, a.Code, a.Lease, a.Holder.Hex(), mark)
	}
	fmt.Fprintf(w, "  waitlist          %d applicants\n", v.Waitlist)
	if v.Identical {
		fmt.Fprintln(w, "Allocation recomputed from the public inputs: identical.")
	}
	return nil
}
