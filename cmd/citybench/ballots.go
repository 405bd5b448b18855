package main

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/bench/ballotload"
	"github.com/citychain/citychain/internal/bench/loadgen"
)

var (
	votersFlag     = &cli.IntFlag{Name: "voters", Usage: "residents who vote in each poll (one ballot each)", Value: 60_000, Category: catLoad}
	electorateFlag = &cli.IntFlag{Name: "electorate", Usage: "residents in the eligibility tree (sets the proof depth)", Value: 1_500_000, Category: catLoad}
	batchesFlag    = &cli.StringFlag{Name: "batches", Usage: "comma-separated batch sizes, one poll each, run in turn", Value: "25,50,100,130", Category: catLoad}
	optionsFlag    = &cli.IntFlag{Name: "options", Usage: "options of each poll", Value: 4, Category: catLoad}
	voterSeedFlag  = &cli.StringFlag{Name: "voter-seed", Usage: "seed the voters' keys are derived from", Value: "citybench voters", Category: catAccounts}
)

var ballotsCommand = &cli.Command{
	Name:  "ballots",
	Usage: "W3: relay residents' signed ballots in batches to the Polls contract",
	Description: `Needs a chain whose genesis came from citybench genesis --relayers N (same --seed):
test account 0 creates one poll per batch size, accounts 1..N relay the ballots. Keys,
the eligibility tree, the ballots and the relay transactions are all made before the
clock starts; then the batches are sent and the included blocks read. Prints one line
per batch size (ballots per second, gas per ballot, ballots per block) and checks that
a recount from the events equals the contract's tallies.`,
	Flags: []cli.Flag{rpcFlag, allowRemoteFlag, seedFlag, relayersFlag, votersFlag, electorateFlag,
		batchesFlag, optionsFlag, voterSeedFlag, timeoutFlag, reportFlag},
	Action: runBallots,
}

func runBallots(c *cli.Context) error {
	url := c.String(rpcFlag.Name)
	if err := loadgen.CheckTarget(url, c.Bool(allowRemoteFlag.Name)); err != nil {
		return cli.Exit(err.Error(), 2)
	}
	nRelayers := c.Int(relayersFlag.Name)
	if nRelayers < 1 {
		return cli.Exit("--relayers: give the number of relayers the genesis was written with (at least 1)", 2)
	}
	var sizes []int
	for _, s := range strings.Split(c.String(batchesFlag.Name), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return cli.Exit(fmt.Sprintf("--batches: %q is not a positive number", s), 2)
		}
		sizes = append(sizes, n)
	}
	accounts, err := loadgen.DeriveAccounts(c.String(seedFlag.Name), nRelayers+1)
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	relayers := make([]*ecdsa.PrivateKey, nRelayers)
	for i := range relayers {
		relayers[i] = accounts[i+1].Key
	}
	keys, el, err := buildElectorate(c)
	if err != nil {
		return err
	}
	client, err := ethclient.DialContext(c.Context, url)
	if err != nil {
		return cli.Exit(fmt.Sprintf("connecting to %s: %v", url, err), 1)
	}
	defer client.Close()
	var reports []*ballotload.Report
	for _, b := range sizes {
		rep, err := ballotload.Run(c.Context, ballotload.Config{
			Client: client, Admin: accounts[0].Key, Relayers: relayers, Voters: keys, Electorate: c.Int(electorateFlag.Name),
			Batch: b, Options: c.Int(optionsFlag.Name), Timeout: c.Duration(timeoutFlag.Name),
		}, el)
		if err != nil {
			return cli.Exit(fmt.Sprintf("batch size %d: %v", b, err), 1)
		}
		fmt.Println(rep)
		reports = append(reports, rep)
	}
	if path := c.String(reportFlag.Name); path != "" {
		out, _ := json.MarshalIndent(reports, "", "  ")
		if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// buildElectorate derives the keys of --voters voters from --voter-seed and
// builds the eligibility tree of an electorate of --electorate residents,
// the voters among them (ballotload.Electorate).
func buildElectorate(c *cli.Context) ([]*ecdsa.PrivateKey, *ballots.Eligibility, error) {
	nVoters, size := c.Int(votersFlag.Name), c.Int(electorateFlag.Name)
	if nVoters < 1 || size < nVoters {
		return nil, nil, cli.Exit(fmt.Sprintf("--voters %d and --electorate %d: want 1 <= voters <= electorate", nVoters, size), 2)
	}
	start := time.Now()
	voters, err := loadgen.DeriveAccounts(c.String(voterSeedFlag.Name), nVoters)
	if err != nil {
		return nil, nil, err
	}
	keys := make([]*ecdsa.PrivateKey, nVoters)
	addrs := make([]common.Address, nVoters)
	for i, v := range voters {
		keys[i], addrs[i] = v.Key, v.Address
	}
	el, err := ballots.NewEligibility(ballotload.Electorate(addrs, size))
	if err != nil {
		return nil, nil, err
	}
	log.Info("Electorate built", "residents", size, "voters", nVoters, "root", el.Root(), "elapsed", time.Since(start).Round(time.Millisecond))
	return keys, el, nil
}
