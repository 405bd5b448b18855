package main

import (
	"fmt"
	"io"
	"maps"
	"math/big"
	"os"
	"slices"

	"github.com/citychain/citychain/internal/bench/loadgen"
	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"
)

// exitNeverMined is the exit status when the node lost accepted transactions.
const exitNeverMined = 3

var d = loadgen.Defaults

var (
	rpcFlag         = &cli.StringFlag{Name: "rpc", Usage: "node JSON-RPC HTTP endpoint", Value: d.RPC, Category: catTarget}
	allowRemoteFlag = &cli.BoolFlag{Name: "allow-remote", Usage: "allow a target that is not a loopback address", Category: catTarget}
	pidFlag         = &cli.IntFlag{Name: "pid", Usage: "node process id, to sample its memory (VmHWM/VmRSS) and CPU", Category: catTarget}
	labelFlag       = &cli.StringFlag{Name: "label", Usage: "name of the node in reports (default: its web3_clientVersion)", Category: catTarget}

	txsFlag        = &cli.IntFlag{Name: "txs", Usage: "transactions to send", Value: d.Txs, Category: catLoad}
	batchFlag      = &cli.IntFlag{Name: "batch", Usage: "transactions per JSON-RPC batch", Value: d.Batch, Category: catLoad}
	workersFlag    = &cli.IntFlag{Name: "workers", Usage: "concurrent batch senders", Value: d.Workers, Category: catLoad}
	maxPendingFlag = &cli.IntFlag{Name: "max-pending", Usage: "sent but unmined transactions allowed in flight (0: no limit)", Category: catLoad}
	sendRateFlag   = &cli.IntFlag{Name: "rate", Usage: "transactions sent per second at most, a steady load for soaks (0: no limit)", Category: catLoad}
	txTypeFlag     = &cli.StringFlag{Name: "txtype", Usage: "auto, dynamic (EIP-1559) or legacy", Value: d.TxType, Category: catLoad}
	tipFlag        = &cli.StringFlag{Name: "tip", Usage: "priority fee per gas, wei", Value: d.Tip.String(), Category: catLoad}
	feeCapFlag     = &cli.StringFlag{Name: "feecap", Usage: "max fee per gas (legacy: gas price), wei (default: 2*base fee + tip)", Category: catLoad}
	timeoutFlag    = &cli.DurationFlag{Name: "timeout", Usage: "limit of the whole run", Value: d.Timeout, Category: catLoad}
	rpcTimeoutFlag = &cli.DurationFlag{Name: "rpc.timeout", Usage: "limit of one JSON-RPC request", Value: d.RPCTimeout, Category: catLoad}
	pollFlag       = &cli.DurationFlag{Name: "poll", Usage: "head polling interval (the latency resolution)", Value: d.Poll, Category: catLoad}
	stallFlag      = &cli.DurationFlag{Name: "stall", Usage: "stop waiting once nothing was mined for this long after the last send", Value: d.Stall, Category: catLoad}
	progressFlag   = &cli.DurationFlag{Name: "progress", Usage: "interval between progress lines", Value: d.Progress, Category: catOutput}
	jsonFlag       = &cli.BoolFlag{Name: "json", Usage: "print the report as JSON instead of text", Category: catOutput}
	resendFlag     = &cli.BoolFlag{Name: "resend", Usage: "post a batch whose request failed again until the node answers, and check that every accepted transaction is in a block of the node's chain at the end (the crash benchmark: the node is killed and restarted under load)", Category: catLoad}
	reportFlag     = &cli.StringFlag{Name: "report", Usage: "also write the JSON report to this file", Category: catOutput}
	txTimesFlag    = &cli.StringFlag{Name: "tx-times", Usage: "also write every accepted transaction's send, answer, block and sighting times to this CSV file", Category: catOutput}
)

// workloadCommands returns one command per workload, all with the same flags.
func workloadCommands() []*cli.Command {
	all := loadgen.Workloads()
	var cmds []*cli.Command
	for _, name := range slices.Sorted(maps.Keys(all)) {
		w := all[name]
		cmds = append(cmds, &cli.Command{
			Name:  name,
			Usage: fmt.Sprintf("run the %s workload against a node and report mined tx/s, latency and memory", name),
			Description: `Pre-signs --txs transactions from the --accounts test accounts (nonces from
eth_getTransactionCount "pending", chain id from eth_chainId), pushes them in batched
eth_sendRawTransaction calls, polls the head every --poll and reads each new block, and
stops when every accepted transaction is mined, nothing was mined for --stall, or
--timeout passes. Exit status 3 means the node accepted transactions it never mined
(with --resend: or that are in no block of its chain at the end).`,
			Flags: []cli.Flag{rpcFlag, allowRemoteFlag, pidFlag, labelFlag, accountsFlag, seedFlag,
				txsFlag, batchFlag, workersFlag, maxPendingFlag, sendRateFlag, txTypeFlag, tipFlag, feeCapFlag,
				timeoutFlag, rpcTimeoutFlag, pollFlag, stallFlag, resendFlag, progressFlag, jsonFlag, reportFlag, txTimesFlag},
			Action: func(c *cli.Context) error { return runWorkload(c, w) },
		})
	}
	return cmds
}

// runConfig reads the load flags into a loadgen.Config.
func runConfig(c *cli.Context) (loadgen.Config, error) {
	cfg := loadgen.Defaults
	cfg.RPC = c.String(rpcFlag.Name)
	cfg.AllowRemote = c.Bool(allowRemoteFlag.Name)
	cfg.PID = c.Int(pidFlag.Name)
	cfg.Label = c.String(labelFlag.Name)
	cfg.Accounts = c.Int(accountsFlag.Name)
	cfg.Seed = c.String(seedFlag.Name)
	cfg.Txs = c.Int(txsFlag.Name)
	cfg.Batch = c.Int(batchFlag.Name)
	cfg.Workers = c.Int(workersFlag.Name)
	cfg.MaxPending = c.Int(maxPendingFlag.Name)
	cfg.Rate = c.Int(sendRateFlag.Name)
	cfg.TxType = c.String(txTypeFlag.Name)
	cfg.Timeout = c.Duration(timeoutFlag.Name)
	cfg.RPCTimeout = c.Duration(rpcTimeoutFlag.Name)
	cfg.Poll = c.Duration(pollFlag.Name)
	cfg.Stall = c.Duration(stallFlag.Name)
	cfg.Progress = c.Duration(progressFlag.Name)
	cfg.Resend = c.Bool(resendFlag.Name)
	var ok bool
	if cfg.Tip, ok = new(big.Int).SetString(c.String(tipFlag.Name), 10); !ok {
		return cfg, fmt.Errorf("invalid --tip %q: want a decimal number of wei", c.String(tipFlag.Name))
	}
	if s := c.String(feeCapFlag.Name); s != "" {
		if cfg.FeeCap, ok = new(big.Int).SetString(s, 10); !ok {
			return cfg, fmt.Errorf("invalid --feecap %q: want a decimal number of wei", s)
		}
	}
	return cfg, cfg.Validate()
}

func runWorkload(c *cli.Context, w loadgen.Workload) error {
	cfg, err := runConfig(c)
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	rep, err := loadgen.Run(c.Context, cfg, w)
	if err != nil {
		return cli.Exit(fmt.Sprintf("%s: %v", w.Name(), err), 1)
	}
	if path := c.String(txTimesFlag.Name); path != "" {
		if err := writeFile(path, rep.WriteTxTimes); err != nil {
			return err
		}
	}
	if err := emitReport(c, rep, rep.WriteText); err != nil {
		return err
	}
	if rep.Rejected > 0 {
		log.Warn("Node rejected transactions", "rejected", rep.Rejected, "reasons", fmt.Sprint(rep.RejectReasons))
	}
	if rep.Lost > 0 {
		return cli.Exit(fmt.Sprintf("DEFECT: the node acknowledged %d transactions that are in no block of its chain and unknown to it at the end (lost)", rep.Lost), exitNeverMined)
	}
	if rep.Unconfirmed > 0 || rep.PendingAtEnd > 0 {
		return cli.Exit(fmt.Sprintf("crash check incomplete: %d accepted transactions undecided (the node not answering), %d still pending in the node (see the notes above)", rep.Unconfirmed, rep.PendingAtEnd), 1)
	}
	if rep.NeverMined > 0 {
		msg := fmt.Sprintf("DEFECT: the node accepted %d transactions that were never mined (see the notes above)", rep.NeverMined)
		return cli.Exit(msg, exitNeverMined)
	}
	return nil
}

// writeFile creates path and writes it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
