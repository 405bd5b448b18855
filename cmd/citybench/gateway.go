package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/internal/bench/gateload"
	"github.com/citychain/citychain/internal/bench/loadgen"
	"github.com/citychain/citychain/internal/client/registry"
)

var (
	gateURLFlag     = &cli.StringFlag{Name: "url", Usage: "citygate's base URL", Value: "http://127.0.0.1:8700", Category: catTarget}
	connectionsFlag = &cli.IntFlag{Name: "connections", Usage: "concurrent connections, one request in flight each", Value: 10_000, Category: catLoad}
	rateFlag        = &cli.Float64Flag{Name: "rate", Usage: "requests per second offered in all, spread over the connections (0: each connection sends its next request at once)", Category: catLoad}
	atFlag          = &cli.StringFlag{Name: "at", Usage: "block of the reads: finalized (cached per block) or latest", Value: "finalized", Category: catLoad}
	gatePIDFlag     = &cli.IntFlag{Name: "gateway-pid", Usage: "citygate's process id, to sample its CPU and memory", Category: catTarget}
	postersFlag     = &cli.IntFlag{Name: "workers", Usage: "concurrent clients posting ballots", Value: 256, Category: catLoad}
	drainFlag       = &cli.DurationFlag{Name: "drain", Usage: "longest wait for the gateway's queue to empty after the load", Value: 10 * time.Minute, Category: catLoad}
	holdFlag        = &cli.BoolFlag{Name: "hold", Usage: "the gateway's relayer is held back: measure the intake alone (no drain, no count; citybench gateway-drain follows)", Category: catLoad}
	nodePIDFlag     = &cli.IntFlag{Name: "node-pid", Usage: "the rpc node's process id, to sample its CPU and memory", Category: catTarget}
	pollIDFlag      = &cli.Uint64Flag{Name: "poll", Usage: "the poll the ballots were posted to", Value: 1, Category: catTarget}
	acceptedFlag    = &cli.IntFlag{Name: "accepted", Usage: "ballots the gateway answered 202: the count to wait for", Category: catLoad}
)

var gatewayReadsCommand = &cli.Command{
	Name:  "gateway-reads",
	Usage: "W5: document statuses read through citygate from many connections; reports reads/s and latency",
	Description: `Run after citybench docs --txs N on a fresh chain (genesis --registry) with citygate in
front of its node: --connections clients on connections of their own send GET
/api/v1/documents/{hash} for --duration, cycling through the first --docs documents (the
same ones citybench verify reads as eth_call): each its next request as soon as the last
is answered, or, with --rate, at --rate requests per second in all.`,
	Flags:  []cli.Flag{gateURLFlag, accountsFlag, seedFlag, docsFlag, connectionsFlag, rateFlag, durationFlag, warmupFlag, atFlag, gatePIDFlag, rpcTimeoutFlag, jsonFlag, reportFlag},
	Action: runGatewayReads,
}

func runGatewayReads(c *cli.Context) error {
	n, docs := c.Int(accountsFlag.Name), c.Int(docsFlag.Name)
	accounts, err := loadgen.DeriveAccounts(c.String(seedFlag.Name), n)
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	hashes := make([]common.Hash, docs)
	for k := range hashes {
		hashes[k] = loadgen.BenchDocument(accounts[k%n].Address, uint64(k/n)).DocHash
	}
	at := c.String(atFlag.Name)
	if at == "finalized" {
		at = ""
	}
	rep, err := gateload.RunReads(c.Context, gateload.ReadsConfig{
		URL: c.String(gateURLFlag.Name), Docs: hashes, Connections: c.Int(connectionsFlag.Name), Duration: c.Duration(durationFlag.Name),
		Warmup: c.Duration(warmupFlag.Name), Timeout: max(c.Duration(rpcTimeoutFlag.Name), 30*time.Second), At: at, PID: c.Int(gatePIDFlag.Name),
		Rate: c.Float64(rateFlag.Name),
	})
	if err != nil {
		return cli.Exit(fmt.Sprintf("gateway-reads: %v", err), 1)
	}
	return emitReport(c, rep, rep.WriteText)
}

var gatewayBallotsCommand = &cli.Command{
	Name:  "gateway-ballots",
	Usage: "W6: residents' signed ballots posted to citygate's intake until all are counted",
	Description: `Needs a chain whose genesis came from citybench genesis --relayers N (same --seed) and
citygate in front of its node with one of the relayers' keys: test account 0 creates a
poll of an electorate of --electorate residents, every one of --voters residents' ballots
is signed before the clock starts, then --workers clients post them (again after a 429
or 503) and the gateway's queue is waited for until empty. Reports ballots accepted per
second, the latency of the 202 answers, the time to drain the queue after the load and
end to end, and the poll's count and recount read through the gateway.`,
	Flags: []cli.Flag{gateURLFlag, rpcFlag, seedFlag, votersFlag, electorateFlag, voterSeedFlag, optionsFlag, postersFlag, drainFlag,
		holdFlag, gatePIDFlag, nodePIDFlag, jsonFlag, reportFlag},
	Action: runGatewayBallots,
}

var gatewayDrainCommand = &cli.Command{
	Name:  "gateway-drain",
	Usage: "W6's second half: the time citygate takes to relay the ballots it holds, none arriving",
	Description: `Run after citybench gateway-ballots --hold (citygate's relayer held back, e.g. with
--relayer.inflight 1 --relayer.batch 1) once citygate is restarted over the same store with
its relayer free: waits until its queue is empty, timed from the first read of its
status, then reads the poll's count and recount through the gateway. Reports the ballots
relayed per second and, with --gateway-pid and --node-pid, each process's CPU a ballot.`,
	Flags:  []cli.Flag{gateURLFlag, pollIDFlag, acceptedFlag, drainFlag, gatePIDFlag, nodePIDFlag, jsonFlag, reportFlag},
	Action: runGatewayDrain,
}

func runGatewayDrain(c *cli.Context) error {
	cfg := gateload.DrainConfig{URL: c.String(gateURLFlag.Name), Poll: c.Uint64(pollIDFlag.Name), Accepted: c.Int(acceptedFlag.Name),
		Limit: c.Duration(drainFlag.Name), PID: c.Int(gatePIDFlag.Name), NodePID: c.Int(nodePIDFlag.Name)}
	rep, err := gateload.RunDrain(c.Context, cfg)
	if err != nil {
		if rep != nil {
			rep.WriteText(os.Stderr)
		}
		return cli.Exit(fmt.Sprintf("gateway-drain: %v", err), 1)
	}
	return emitReport(c, rep, rep.WriteText)
}

func runGatewayBallots(c *cli.Context) error {
	keys, el, err := buildElectorate(c)
	if err != nil {
		return err
	}
	admin, err := loadgen.DeriveAccounts(c.String(seedFlag.Name), 1)
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	poll, chainID, err := createBenchPoll(c.Context, c.String(rpcFlag.Name), admin[0].Key, el, c.Int(optionsFlag.Name))
	if err != nil {
		return cli.Exit(fmt.Sprintf("creating the poll: %v", err), 1)
	}
	cfg := gateload.BallotsConfig{
		URL: c.String(gateURLFlag.Name), Poll: poll, Options: c.Int(optionsFlag.Name), Domain: ballots.DevDomain(chainID),
		Voters: keys, Elig: el, Workers: c.Int(postersFlag.Name), Drain: c.Duration(drainFlag.Name), PID: c.Int(gatePIDFlag.Name),
		Hold: c.Bool(holdFlag.Name), NodePID: c.Int(nodePIDFlag.Name),
	}
	t := time.Now()
	signed, err := gateload.Sign(cfg)
	if err != nil {
		return err
	}
	log.Info("Ballots signed", "ballots", len(signed), "elapsed", time.Since(t).Round(time.Millisecond))
	rep, err := gateload.RunBallots(c.Context, cfg, signed)
	if err != nil {
		if rep != nil {
			rep.WriteText(os.Stderr)
		}
		return cli.Exit(fmt.Sprintf("gateway-ballots: %v", err), 1)
	}
	return emitReport(c, rep, rep.WriteText)
}

// createBenchPoll creates a poll of el, open for two hours, and returns its
// number and the chain id.
func createBenchPoll(ctx context.Context, url string, admin *ecdsa.PrivateKey, el *ballots.Eligibility, options int) (uint64, uint64, error) {
	c, err := registry.Dial(ctx, url, registry.NewSigner(admin))
	if err != nil {
		return 0, 0, err
	}
	defer c.Close()
	id, err := c.ChainID(ctx)
	if err != nil {
		return 0, 0, err
	}
	head, err := c.Eth().HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	labels := make([]string, options)
	for i := range labels {
		labels[i] = fmt.Sprintf("option %d", i)
	}
	abi := polls.NewPolls()
	tx, err := c.Send(ctx, "Polls.createPoll", contracts.PollsAddress, abi.PackCreatePoll(polls.PollsPollSpec{
		Question: "citybench W6", Options: labels, OpensAt: head.Time, ClosesAt: head.Time + 7200, EligibleRoot: el.Root(), VoterCount: uint32(el.Len()),
	}))
	if err != nil {
		return 0, 0, err
	}
	for _, l := range tx.Logs {
		if ev, err := abi.UnpackPollCreatedEvent(l); err == nil {
			return ev.Poll.Uint64(), id.Uint64(), nil
		}
	}
	return 0, 0, fmt.Errorf("no PollCreated event in %s", tx.Hash)
}
