// Package ballotload is workload W3 of the benchmark: residents' signed
// ballots relayed in batches to the Polls contract of a running node. It
// builds an electorate (the eligibility tree of a city, with the signing
// residents spread through it), creates a poll, signs every ballot and
// every relay transaction before the clock starts, then sends the batches
// from one or several relayer accounts and reads the blocks that included
// them: ballots per second sustained, gas per ballot, ballots per block,
// and a recount of the poll from its events compared with the contract.
package ballotload

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/internal/client/registry"
)

// maxTxSize is go-ethereum's transaction pool limit (legacypool txMaxSize,
// 128 KiB): a relay transaction larger than this is refused by every node.
const maxTxSize = 128 * 1024

var (
	// ErrConfig is returned (wrapped) for an invalid configuration.
	ErrConfig = errors.New("invalid ballot workload")
	// ErrRecount is returned when the recount from events differs from the contract's tallies.
	ErrRecount = errors.New("recount differs from the contract's tallies")
)

// Config is one W3 run.
type Config struct {
	Client     *ethclient.Client
	Admin      *ecdsa.PrivateKey   // holds POLL_ADMIN in the Directory
	Relayers   []*ecdsa.PrivateKey // hold RELAYER in the Directory
	Voters     []*ecdsa.PrivateKey // residents who vote
	Electorate int                 // leaves of the eligibility tree (>= len(Voters))
	Batch      int                 // ballots per relay transaction
	Options    int                 // options of the poll
	Timeout    time.Duration       // limit of the measured part
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	switch {
	case c.Client == nil || c.Admin == nil:
		return fmt.Errorf("%w: no client or poll admin key", ErrConfig)
	case len(c.Relayers) == 0:
		return fmt.Errorf("%w: no relayer accounts; give at least one", ErrConfig)
	case len(c.Voters) == 0:
		return fmt.Errorf("%w: no voters", ErrConfig)
	case c.Electorate < len(c.Voters):
		return fmt.Errorf("%w: electorate %d smaller than the %d voters", ErrConfig, c.Electorate, len(c.Voters))
	case c.Batch < 1:
		return fmt.Errorf("%w: batch size %d, want >= 1", ErrConfig, c.Batch)
	case c.Options < 2 || c.Options > 64:
		return fmt.Errorf("%w: %d options, want 2 to 64", ErrConfig, c.Options)
	}
	return nil
}

// Report is the outcome of one run.
type Report struct {
	Batch          int     `json:"batch"`
	Relayers       int     `json:"relayers"`
	Electorate     int     `json:"electorate"`
	ProofDepth     int     `json:"proofDepth"`
	Ballots        int     `json:"ballots"`  // sent
	Accepted       uint64  `json:"accepted"` // counted by the contract
	Rejected       uint64  `json:"rejected"` // skipped by the contract
	Txs            int     `json:"txs"`      // relay transactions
	TxBytes        int     `json:"txBytes"`  // size of one full relay transaction
	Blocks         int     `json:"blocks"`   // blocks that included ballots
	MaxPerBlock    uint64  `json:"maxPerBlock"`
	GasPerBallot   float64 `json:"gasPerBallot"`
	GasPerBlockMax uint64  `json:"gasPerBlockMax"`
	BlockGasLimit  uint64  `json:"blockGasLimit"`
	Seconds        float64 `json:"seconds"`                // first send to last inclusion seen
	PerSecond      float64 `json:"ballotsPerSec"`          // accepted / Seconds
	Sustained      float64 `json:"ballotsPerSecSustained"` // ballots after the first including block / wall time from it to the last
	BlockSpan      uint64  `json:"blockSpanSec"`           // timestamp of the last block minus the block before the first
	PerSecondChain float64 `json:"ballotsPerSecOnChain"`   // accepted / BlockSpan
	Recount        bool    `json:"recountMatches"`
}

// String is the report's one-line summary.
func (r *Report) String() string {
	return fmt.Sprintf("batch %4d: %7d ballots (%d rejected) in %6.1f s = %6.0f ballots/s end to end, %6.0f/s sustained between first and last block; %d blocks, max %d per block (%d gas), block timestamps span %d s; %6.0f gas/ballot, tx %d bytes, proof depth %d, recount ok %v",
		r.Batch, r.Accepted, r.Rejected, r.Seconds, r.PerSecond, r.Sustained, r.Blocks, r.MaxPerBlock, r.GasPerBlockMax, r.BlockSpan, r.GasPerBallot, r.TxBytes, r.ProofDepth, r.Recount)
}

// Electorate returns the eligibility list of a city of n residents with the
// voters spread evenly through it (so their voted flags fall in different
// bitmap words, as random residents' would); the others are addresses only.
func Electorate(voters []common.Address, n int) []common.Address {
	list := make([]common.Address, n)
	stride := n / len(voters)
	placed := make([]bool, n)
	for i, v := range voters {
		list[i*stride] = v
		placed[i*stride] = true
	}
	for i := range list {
		if !placed[i] {
			list[i] = common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprint("citybench resident ", i))))
		}
	}
	return list
}

// Run creates a poll and relays every voter's ballot in batches.
func Run(ctx context.Context, cfg Config, el *ballots.Eligibility) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r, err := newRun(ctx, cfg, el)
	if err != nil {
		return nil, err
	}
	if err := r.createPoll(ctx); err != nil {
		return nil, err
	}
	signed, err := r.signBallots()
	if err != nil {
		return nil, err
	}
	perRelayer, rep, err := r.relayTxs(ctx, signed)
	if err != nil {
		return nil, err
	}
	// The measured part: send, then follow the chain until every relay
	// transaction is in.
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	included, err := r.sendAndFollow(ctx, perRelayer, rep)
	if err != nil {
		return nil, err
	}
	if err := r.recount(ctx, included, rep); err != nil {
		if errors.Is(err, ErrRecount) {
			return rep, err
		}
		return nil, err
	}
	return rep, nil
}

// run is one W3 run's state between its steps.
type run struct {
	cfg         Config
	el          *ballots.Eligibility
	cl          *ethclient.Client
	c           *polls.Polls
	chainID     *big.Int
	signer      types.Signer
	head        *types.Header // at the start
	feeCap, tip *big.Int
	poll        uint64
	pollID      *big.Int
	relayedID   common.Hash // topic of BatchRelayed
}

// newRun reads the chain id and the head and sets the fees.
func newRun(ctx context.Context, cfg Config, el *ballots.Eligibility) (*run, error) {
	cl := cfg.Client
	chainID, err := cl.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the chain id: %w", err)
	}
	head, err := cl.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	c := polls.NewPolls()
	return &run{
		cfg: cfg, el: el, cl: cl, c: c, chainID: chainID, relayedID: c.GetABI().Events["BatchRelayed"].ID,
		signer: types.LatestSignerForChainID(chainID), head: head,
		feeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), big.NewInt(params.GWei)),
		tip:    big.NewInt(params.GWei),
	}, nil
}

// createPoll creates the poll, open for an hour from the head's time.
func (r *run) createPoll(ctx context.Context) error {
	options := make([]string, r.cfg.Options)
	for i := range options {
		options[i] = fmt.Sprintf("option %d", i)
	}
	spec := polls.PollsPollSpec{
		Question: fmt.Sprintf("citybench W3, batches of %d", r.cfg.Batch), Options: options,
		OpensAt: r.head.Time, ClosesAt: r.head.Time + 3600, EligibleRoot: r.el.Root(), VoterCount: uint32(r.el.Len()),
	}
	rc, err := sendWait(ctx, r.cl, r.signer, r.cfg.Admin, r.c.PackCreatePoll(spec), 3_000_000, r.feeCap, r.tip)
	if err != nil {
		return fmt.Errorf("creating the poll: %w", err)
	}
	for _, l := range rc.Logs {
		if ev, err := r.c.UnpackPollCreatedEvent(l); err == nil {
			r.poll = ev.Poll.Uint64()
		}
	}
	if r.poll == 0 {
		return errors.New("createPoll emitted no PollCreated event")
	}
	r.pollID = new(big.Int).SetUint64(r.poll)
	return nil
}

// signBallots signs every voter's ballot, with its eligibility proof, on
// every core, before the clock starts.
func (r *run) signBallots() ([]polls.PollsSignedBallot, error) {
	voters, dom := r.cfg.Voters, ballots.DevDomain(r.chainID.Uint64())
	signed := make([]polls.PollsSignedBallot, len(voters))
	var wg sync.WaitGroup
	var signErr error
	var once sync.Once
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(voters); i += workers {
				b, err := ballots.Sign(voters[i], dom, r.poll, uint32(i%r.cfg.Options))
				if err == nil {
					b.VoterIndex, b.Proof, err = r.el.Proof(b.Voter)
				}
				if err != nil {
					once.Do(func() { signErr = err })
					return
				}
				signed[i] = b.Signed()
			}
		}()
	}
	wg.Wait()
	return signed, signErr
}

// relayTxs signs one relay transaction per batch, relayers taking turns;
// gas from an estimate of the first full batch with a margin for the
// voted-flag words the later batches open. It returns each relayer's
// transactions, in nonce order, and the report's static part.
func (r *run) relayTxs(ctx context.Context, signed []polls.PollsSignedBallot) ([][]*types.Transaction, *Report, error) {
	cfg := r.cfg
	var batches [][]polls.PollsSignedBallot
	for i := 0; i < len(signed); i += cfg.Batch {
		batches = append(batches, signed[i:min(i+cfg.Batch, len(signed))])
	}
	first := r.c.PackRelay(r.pollID, batches[0])
	if len(first) > maxTxSize-1024 {
		return nil, nil, fmt.Errorf("%w: a batch of %d ballots is %d bytes of calldata, above the transaction pool's %d-byte limit; use a smaller batch (about %d ballots fit)",
			ErrConfig, cfg.Batch, len(first), maxTxSize, cfg.Batch*(maxTxSize-1024)/len(first))
	}
	relayer0 := crypto.PubkeyToAddress(cfg.Relayers[0].PublicKey)
	est, err := r.cl.EstimateGas(ctx, ethereum.CallMsg{From: relayer0, To: &contracts.PollsAddress, Data: first})
	if err != nil {
		return nil, nil, fmt.Errorf("estimating the gas of a batch: %w (%s)", err, contracts.RevertReason(err))
	}
	gas := est + est/4
	nonces := make([]uint64, len(cfg.Relayers))
	for i, k := range cfg.Relayers {
		if nonces[i], err = r.cl.PendingNonceAt(ctx, crypto.PubkeyToAddress(k.PublicKey)); err != nil {
			return nil, nil, err
		}
	}
	perRelayer := make([][]*types.Transaction, len(cfg.Relayers))
	txBytes := 0
	for j, b := range batches {
		k := j % len(cfg.Relayers)
		tx, err := types.SignNewTx(cfg.Relayers[k], r.signer, &types.DynamicFeeTx{
			ChainID: r.chainID, Nonce: nonces[k], To: &contracts.PollsAddress, Gas: gas,
			GasFeeCap: r.feeCap, GasTipCap: r.tip, Data: r.c.PackRelay(r.pollID, b),
		})
		if err != nil {
			return nil, nil, err
		}
		nonces[k]++
		perRelayer[k] = append(perRelayer[k], tx)
		if j == 0 {
			txBytes = int(tx.Size())
		}
	}
	log.Info("Ballots signed", "poll", r.poll, "ballots", len(signed), "batch", cfg.Batch, "txs", len(batches), "gas", gas)
	rep := &Report{Batch: cfg.Batch, Relayers: len(cfg.Relayers), Electorate: r.el.Len(), ProofDepth: len(signed[0].Proof),
		Ballots: len(signed), Txs: len(batches), TxBytes: txBytes, BlockGasLimit: r.head.GasLimit}
	return perRelayer, rep, nil
}

// following is what sendAndFollow has seen of the blocks that included
// ballots.
type following struct {
	want              map[common.Hash]bool // relay transactions not yet included
	included          []uint64             // numbers of the blocks that included ballots
	firstSeen         time.Time
	lastSeen          time.Time
	firstBlockBallots uint64
	firstTime         uint64 // timestamp of the block before the first including block
	lastTime          uint64
	gasUsed           uint64
}

// sendAndFollow sends each relayer's transactions and follows the chain,
// while the relayers are still sending, so that each block is seen when it
// is sealed, until every relay transaction is in. It fills the report's
// measured part and returns the blocks that included ballots.
func (r *run) sendAndFollow(ctx context.Context, perRelayer [][]*types.Transaction, rep *Report) ([]uint64, error) {
	startHead, err := r.cl.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	sendErrs := r.send(ctx, perRelayer)
	sending := len(perRelayer)
	f := &following{want: map[common.Hash]bool{}}
	for _, txs := range perRelayer {
		for _, tx := range txs {
			f.want[tx.Hash()] = true
		}
	}
	next := startHead + 1
	for len(f.want) > 0 {
		for sending > 0 {
			select {
			case err := <-sendErrs:
				if err != nil {
					return nil, err
				}
				sending--
				continue
			default:
			}
			break
		}
		n, err := r.cl.BlockNumber(ctx)
		if err != nil {
			return nil, fmt.Errorf("following the chain (%d relay transactions not yet included): %w", len(f.want), err)
		}
		for ; next <= n; next++ {
			if err := r.readBlock(ctx, next, f, rep); err != nil {
				return nil, err
			}
		}
		if len(f.want) > 0 {
			select {
			case <-ctx.Done():
				return nil, fmt.Errorf("%d relay transactions not included in %v (a failed one emits no BatchRelayed): %w", len(f.want), r.cfg.Timeout, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	if rep.Accepted > 0 {
		rep.GasPerBallot = float64(f.gasUsed) / float64(rep.Accepted)
		rep.PerSecond = float64(rep.Accepted) / rep.Seconds
		if d := f.lastSeen.Sub(f.firstSeen).Seconds(); rep.Blocks > 1 && d > 0 {
			rep.Sustained = float64(rep.Accepted-f.firstBlockBallots) / d
		}
		rep.BlockSpan = f.lastTime - f.firstTime
		if rep.BlockSpan > 0 {
			rep.PerSecondChain = float64(rep.Accepted) / float64(rep.BlockSpan)
		}
	}
	return f.included, nil
}

// send starts one goroutine per relayer sending its transactions in order;
// each reports once on the channel (nil when all were sent).
func (r *run) send(ctx context.Context, perRelayer [][]*types.Transaction) <-chan error {
	sendErrs := make(chan error, len(perRelayer))
	for _, txs := range perRelayer {
		go func() {
			for _, tx := range txs {
				if err := r.cl.SendTransaction(ctx, tx); err != nil {
					sendErrs <- fmt.Errorf("sending relay transaction %s: %w", tx.Hash().Hex(), err)
					return
				}
			}
			sendErrs <- nil
		}()
	}
	return sendErrs
}

// readBlock reads block number's header and the BatchRelayed events of our
// relay transactions (small answers, so that following the chain costs the
// node little while it seals) and counts its ballots.
func (r *run) readBlock(ctx context.Context, number uint64, f *following, rep *Report) error {
	hdr, err := r.cl.HeaderByNumber(ctx, new(big.Int).SetUint64(number))
	if err != nil {
		return err
	}
	evs, err := r.cl.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: hdr.Number, ToBlock: hdr.Number, Addresses: []common.Address{contracts.PollsAddress},
		Topics: [][]common.Hash{{r.relayedID}},
	})
	if err != nil {
		return fmt.Errorf("reading block %d's batches: %w", number, err)
	}
	var inBlock uint64
	for i := range evs {
		if !f.want[evs[i].TxHash] {
			continue
		}
		delete(f.want, evs[i].TxHash)
		ev, err := r.c.UnpackBatchRelayedEvent(&evs[i])
		if err != nil {
			return err
		}
		inBlock += ev.Accepted.Uint64()
		rep.Rejected += ev.Rejected.Uint64()
	}
	if inBlock == 0 {
		return nil
	}
	now := time.Now()
	if f.firstSeen.IsZero() {
		f.firstSeen, f.firstBlockBallots = now, inBlock
		parent, err := r.cl.HeaderByHash(ctx, hdr.ParentHash)
		if err != nil {
			return err
		}
		f.firstTime = parent.Time
	}
	f.lastSeen = now
	f.lastTime = hdr.Time
	f.included = append(f.included, number)
	rep.Blocks++
	rep.Accepted += inBlock
	rep.MaxPerBlock = max(rep.MaxPerBlock, inBlock)
	rep.GasPerBlockMax = max(rep.GasPerBlockMax, hdr.GasUsed)
	f.gasUsed += hdr.GasUsed // the bench chain carries nothing else
	log.Info("Ballots included", "block", number, "ballots", inBlock, "gas", hdr.GasUsed, "total", rep.Accepted, "of", rep.Ballots)
	return nil
}

// recount checks that the recount from the events of the blocks that
// included the ballots (read after the measurement, from receipts: eth_getLogs
// over tens of thousands of events timed out under load) equals the
// contract's tallies.
func (r *run) recount(ctx context.Context, included []uint64, rep *Report) error {
	var logs []types.Log
	for _, bn := range included {
		receipts, err := r.cl.BlockReceipts(ctx, rpcNumber(bn))
		if err != nil {
			return err
		}
		for _, rc := range receipts {
			if rc.Status != types.ReceiptStatusSuccessful {
				return fmt.Errorf("transaction %s failed in block %d", rc.TxHash.Hex(), bn)
			}
			for _, l := range rc.Logs {
				logs = append(logs, *l)
			}
		}
	}
	tally, err := ballots.Recount(r.poll, r.cfg.Options, logs)
	if err != nil {
		return err
	}
	out, err := r.cl.CallContract(ctx, ethereum.CallMsg{To: &contracts.PollsAddress, Data: r.c.PackTallies(r.pollID)}, nil)
	if err != nil {
		return err
	}
	onChain, err := r.c.UnpackTallies(out)
	if err != nil {
		return err
	}
	have := make([]uint64, len(onChain))
	for i, v := range onChain {
		have[i] = v.Uint64()
	}
	rep.Recount = slices.Equal(have, tally.Counts) && len(tally.Errors) == 0
	if !rep.Recount {
		return fmt.Errorf("%w: poll %d: contract %v, events %v (%v)", ErrRecount, r.poll, have, tally.Counts, tally.Errors)
	}
	return nil
}

// sendWait signs and sends one transaction and waits for its receipt.
func sendWait(ctx context.Context, cl *ethclient.Client, signer types.Signer, key *ecdsa.PrivateKey, data []byte, gas uint64, feeCap, tip *big.Int) (*types.Receipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := cl.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, err
	}
	if _, err := cl.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &contracts.PollsAddress, Data: data}); err != nil {
		return nil, fmt.Errorf("%w (%s)", err, contracts.RevertReason(err))
	}
	tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{
		ChainID: signer.ChainID(), Nonce: nonce, To: &contracts.PollsAddress, Gas: gas, GasFeeCap: feeCap, GasTipCap: tip, Data: data,
	})
	if err != nil {
		return nil, err
	}
	if err := cl.SendTransaction(ctx, tx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		r, err := cl.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return nil, fmt.Errorf("transaction %s failed", tx.Hash().Hex())
			}
			return r, nil
		}
		if !registry.ReceiptPending(err) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("transaction %s not mined: %w", tx.Hash().Hex(), ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func rpcNumber(n uint64) rpc.BlockNumberOrHash {
	return rpc.BlockNumberOrHashWithNumber(rpc.BlockNumber(n))
}
