package main

import (
	"fmt"
	"io"
	"math/big"
	"strings"
	"text/tabwriter"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/client/logpage"
)

// recountResult is what `poll recount` reports: the tallies recomputed from
// the BallotCast events and the contract's, both up to one block.
type recountResult struct {
	Poll       uint64   `json:"poll"`
	Block      uint64   `json:"block"`
	Events     int      `json:"events"`
	Options    []string `json:"options"`
	FromEvents []uint64 `json:"fromEvents"`
	Contract   []uint64 `json:"contract"`
	Invalid    []string `json:"invalidEvents"`
	Match      bool     `json:"match"`
}

// pollRecount recounts a poll and exits 1 if the events and the contract disagree.
func pollRecount(ctx *cli.Context) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	res, err := c.recount(ctx.Uint64(pollIDFlag.Name), ctx.Uint64(fromBlkFlag.Name), c.logFilterer(ctx.String(jwtFlag.Name) == ""))
	if err != nil {
		return err
	}
	if err := emit(ctx, res, res.print); err != nil {
		return err
	}
	if !res.Match {
		return cli.Exit(fmt.Sprintf("recount of poll %d differs from the contract's tallies: check the node (%s) against another one", res.Poll, c.url), 1)
	}
	return nil
}

// logFilterer is how a recount reads logs: over plain HTTP (no JWT) it posts
// eth_getLogs itself and scans the answer once (logpage.HTTP); otherwise
// through the connection's client, its answers scanned (logpage.RPC).
func (c *conn) logFilterer(plain bool) logpage.Filterer {
	if plain && (strings.HasPrefix(c.url, "http://") || strings.HasPrefix(c.url, "https://")) {
		return logpage.HTTP{URL: c.url}
	}
	return logpage.RPC{Client: c.Eth().Client()}
}

// recount recomputes poll id from its events since block from, and reads
// the contract's tallies at the same head, reading logs through f.
func (c *conn) recount(id, from uint64, f logpage.Filterer) (*recountResult, error) {
	info, err := c.pollResult(id)
	if err != nil {
		return nil, err
	}
	head, err := c.Eth().BlockNumber(c.ctx)
	if err != nil {
		return nil, err
	}
	// Paged by block range: a city-wide poll's 1.5 million events do not fit
	// one eth_getLogs answer (ADR 058).
	tally := ballots.NewTally(id, len(info.Options))
	q := ethereum.FilterQuery{
		Addresses: []common.Address{contracts.PollsAddress},
		Topics:    [][]common.Hash{{pollsABI.GetABI().Events["BallotCast"].ID}, {common.BigToHash(u(id))}},
	}
	if _, err := logpage.Each(c.ctx, f, logpage.Defaults, q, from, head, tally.Add); err != nil {
		return nil, fmt.Errorf("reading BallotCast events from %s: %w", c.url, err)
	}
	c.Block = u(head)
	counts, err := read(c, "Polls.tallies", contracts.PollsAddress, pollsABI.PackTallies(u(id)), pollsABI.UnpackTallies)
	c.Block = nil
	if err != nil {
		return nil, err
	}
	return newRecount(id, head, info.Options, tally, counts), nil
}

func newRecount(id, head uint64, options []string, tally *ballots.Tally, counts []*big.Int) *recountResult {
	r := &recountResult{Poll: id, Block: head, Events: tally.Cast, Options: options, FromEvents: tally.Counts,
		Invalid: []string{}, Match: len(tally.Errors) == 0}
	for i, n := range counts {
		r.Contract = append(r.Contract, n.Uint64())
		r.Match = r.Match && i < len(tally.Counts) && n.Uint64() == tally.Counts[i]
	}
	for _, e := range tally.Errors {
		r.Invalid = append(r.Invalid, e.Error())
	}
	return r
}

func (r *recountResult) print(out io.Writer) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Poll %d recounted from %d BallotCast events up to block %d\n", r.Poll, r.Events, r.Block)
	fmt.Fprintf(w, "  option\tevents\tcontract\n")
	for i, o := range r.Options {
		mark := ""
		if r.Contract[i] != r.FromEvents[i] {
			mark = "  MISMATCH"
		}
		fmt.Fprintf(w, "  %d %s\t%d\t%d%s\n", i, o, r.FromEvents[i], r.Contract[i], mark)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for _, e := range r.Invalid {
		fmt.Fprintln(out, "  invalid event:", e)
	}
	if r.Match {
		fmt.Fprintln(out, "Recount matches the contract's tallies.")
	}
	return nil
}
