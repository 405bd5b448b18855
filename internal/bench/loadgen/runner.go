package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
)

var (
	// errUnfunded is returned if the first test account has no balance on the target.
	errUnfunded = errors.New("test account has no balance")
	// errNoBlock is returned if the node does not return a requested block.
	errNoBlock = errors.New("block not found")
)

// rpcBlock is the part of eth_getBlockByNumber(n, false) the runner reads.
type rpcBlock struct {
	Number       hexutil.Uint64 `json:"number"`
	Timestamp    hexutil.Uint64 `json:"timestamp"`
	GasUsed      hexutil.Uint64 `json:"gasUsed"`
	BaseFee      *hexutil.Big   `json:"baseFeePerGas"`
	Transactions []common.Hash  `json:"transactions"`
}

// tx states in tracker.state.
const (
	txUnsent uint8 = iota
	txSending
	txAccepted
	txRejected
)

// tracker is the shared record of one run's transactions. All fields after mu are
// guarded by it.
type tracker struct {
	t0    time.Time           // start of the measured window (first send)
	index map[common.Hash]int // tx hash to position, read-only once built
	hash  []common.Hash       // read-only

	mu         sync.Mutex
	sentAt     []time.Duration // since t0, when its batch was posted
	answerAt   []time.Duration // since t0, when the node answered its batch
	state      []uint8
	mined      []bool
	seenAt     []time.Duration // since t0, when its block was first seen
	blockOf    []uint64        // the block it was first seen in
	dispatched int
	resent     int // batches posted again after their request failed (Config.Resend)
	accepted   int
	rejected   int
	minedAll   int
	minedOK    int // mined and accepted
	reasons    map[string]int
	examples   map[string]string
	lastMined  time.Time
	head       uint64
	blocks     []BlockStat
}

func newTracker(hashes []common.Hash) *tracker {
	tr := &tracker{
		index:    make(map[common.Hash]int, len(hashes)),
		hash:     hashes,
		sentAt:   make([]time.Duration, len(hashes)),
		answerAt: make([]time.Duration, len(hashes)),
		state:    make([]uint8, len(hashes)),
		mined:    make([]bool, len(hashes)),
		seenAt:   make([]time.Duration, len(hashes)),
		blockOf:  make([]uint64, len(hashes)),
		reasons:  make(map[string]int),
		examples: make(map[string]string),
	}
	for i, h := range hashes {
		tr.index[h] = i
	}
	return tr
}

// inflight returns how many dispatched transactions are neither mined nor rejected.
func (tr *tracker) inflight() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.dispatched - tr.minedAll - tr.rejected
}

func (tr *tracker) reject(i int, reason string) {
	tr.state[i] = txRejected
	tr.rejected++
	key := reasonKey(reason)
	tr.reasons[key]++
	if _, ok := tr.examples[key]; !ok {
		tr.examples[key] = reason
	}
}

// reasonKey groups rejection messages by their text before the first colon, so that
// messages carrying addresses or nonces do not each make their own group.
func reasonKey(msg string) string {
	if i := strings.IndexByte(msg, ':'); i > 0 {
		msg = msg[:i]
	}
	if len(msg) > 80 {
		msg = msg[:80]
	}
	return msg
}

// Run prepares cfg.Txs transactions of workload w, sends them to the node and waits
// until they are mined, the node stalls, or cfg.Timeout passes. It returns an error only
// if the run could not start; what happened during the run is in the report.
func Run(ctx context.Context, cfg Config, w Workload) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	client := NewClient(cfg.RPC, cfg.Workers, cfg.RPCTimeout)
	defer client.Close()

	p, err := prepare(ctx, client, cfg, w)
	if err != nil {
		return nil, err
	}
	sampler, err := startSampler(cfg.PID, cfg.Sample)
	if err != nil {
		return nil, err
	}
	rep := p.rep
	tr := openWindow(p, sampler)
	cpu0 := selfCPU()
	complete, found := sendAndWait(ctx, client, tr, cfg, p, sampler)
	rep.RunSeconds = time.Since(tr.t0).Seconds()
	rep.GeneratorCPUSeconds = selfCPU() - cpu0
	if sampler != nil {
		st := sampler.Stop()
		rep.Node = &st
	}
	complete = lookUpMissing(client, tr, rep, found, complete)
	fillReport(rep, tr, cfg, complete)
	if rep.NeverMined > 0 {
		diagnose(client, tr, rep)
	}
	if cfg.Resend {
		confirm(client, tr, cfg, rep)
	}
	return rep, nil
}

// prepared is a run's signed transactions, ready to send.
type prepared struct {
	rep    *Report
	head   uint64        // the head's number when the run started
	hashes []common.Hash // the transactions' hashes, in sending order
	bodies [][]byte      // the batches' request bodies
	bounds []int         // bodies[i] holds transactions bounds[i] to bounds[i+1]
}

// prepare reads the chain facts, accounts and nonces (everything the
// workload needs before signing), then plans, signs and batches the
// transactions.
func prepare(ctx context.Context, client *Client, cfg Config, w Workload) (*prepared, error) {
	begin := time.Now()
	env, rep, head, err := setup(ctx, client, cfg)
	if err != nil {
		return nil, err
	}
	rep.Workload = w.Name()
	if ic, ok := w.(ItemCounter); ok {
		rep.ItemsPerTx = ic.ItemsPerTx()
	}
	intents, err := w.Plan(ctx, env, cfg.Txs)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", w.Name(), err)
	}
	raws, hashes, err := signAll(ctx, env, intents)
	if err != nil {
		return nil, err
	}
	bodies, bounds := encodeBatches(raws, cfg.Batch)
	rep.Txs = len(hashes)
	rep.PrepareSeconds = time.Since(begin).Seconds()
	log.Info("Prepared transactions", "workload", w.Name(), "txs", len(hashes), "batches", len(bodies),
		"type", rep.TxType, "elapsed", common.PrettyDuration(time.Since(begin)))
	return &prepared{rep: rep, head: head, hashes: hashes, bodies: bodies, bounds: bounds}, nil
}

// openWindow opens the measured window, which opens with the first send:
// it returns the tracker of p's transactions, started now.
func openWindow(p *prepared, sampler *ProcSampler) *tracker {
	tr := newTracker(p.hashes)
	tr.t0 = time.Now()
	tr.head = p.head
	tr.lastMined = tr.t0
	if sampler != nil {
		sampler.Restart()
	}
	p.rep.Started = tr.t0.UTC()
	return tr
}

// sendAndWait sends p's batches while watching the chain and logging
// progress, then waits until they are mined; it returns whether all were
// and how many were found by lookup.
func sendAndWait(ctx context.Context, client *Client, tr *tracker, cfg Config, p *prepared, sampler *ProcSampler) (bool, int) {
	watchCtx, stopWatch := context.WithCancel(ctx)
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		watch(watchCtx, client, tr, cfg.Poll)
	}()
	progDone := make(chan struct{})
	go func() {
		defer close(progDone)
		progress(watchCtx, tr, cfg.Progress, len(p.hashes), sampler)
	}()

	sendErr := send(ctx, client, tr, cfg, p.bodies, p.bounds)
	p.rep.SendSeconds = time.Since(tr.t0).Seconds()
	if sendErr != nil {
		p.rep.Notes = append(p.rep.Notes, "sending stopped early: "+sendErr.Error())
	}
	complete, found := waitMined(ctx, client, tr, cfg)
	stopWatch()
	<-watchDone
	<-progDone
	return complete, found
}

// lookUpMissing looks up the transactions not seen mined after the run and
// returns whether the run is complete. A node in the middle of a
// reorganisation may answer a lookup with its pool's copy (no block) and the
// block a moment later: look again while a pass finds more.
func lookUpMissing(client *Client, tr *tracker, rep *Report, found int, complete bool) bool {
	for pass := 0; pass < finalLookups && !allMined(tr); pass++ {
		n, err := resolveByLookup(client, tr)
		found += n
		if err != nil || (n == 0 && pass > 0) {
			break
		}
		if pass+1 < finalLookups {
			time.Sleep(time.Second)
		}
	}
	if found > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d transactions found only by lookup after the run: a reorg replaced the block the generator had read at their height", found))
		complete = complete || allMined(tr)
	}
	return complete
}

// confirm fills the crash check into rep: every accepted transaction must be in
// a block of the node's final chain, which a node that lost acknowledged
// transactions (or mined them in blocks it lost) does not have.
func confirm(client *Client, tr *tracker, cfg Config, rep *Report) {
	check := confirmAccepted(client, tr, rep.StartHead, cfg.Stall)
	rep.Confirmed = len(check.unanswered) == 0 && len(check.pending) == 0
	rep.Lost = len(check.lost)
	rep.Unconfirmed = len(check.unanswered)
	rep.PendingAtEnd = len(check.pending)
	if rep.PendingAtEnd > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("crash check: %d accepted transactions were not in a block when the check gave up but the node still holds them (pending, not lost): raise --stall",
			rep.PendingAtEnd))
	}
	rep.ResentBatches = tr.resent
	if rep.Unconfirmed > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("crash check: the node's chain could not be read to look for %d transactions (neither lost nor confirmed): %v",
			rep.Unconfirmed, check.why))
	}
	if len(check.unanswered) == 0 && rep.NeverMined != rep.Lost+rep.PendingAtEnd {
		// A block the watch read was replaced after a restart's rewind: the
		// final chain, read whole, is the authority on what was mined.
		rep.Notes = append(rep.Notes, fmt.Sprintf("crash check: %d accepted transactions the watch did not see mined, %d missing from the final chain: never mined set to the latter",
			rep.NeverMined, rep.Lost+rep.PendingAtEnd))
		rep.NeverMined = rep.Lost + rep.PendingAtEnd
	}
	for _, h := range check.lost[:min(3, len(check.lost))] {
		rep.Notes = append(rep.Notes, fmt.Sprintf("lost %s: accepted by the node, in no block of its chain at the end", h))
	}
	if rep.Lost > 0 || !rep.Confirmed {
		rep.Complete = false
	}
}

// setup reads the chain facts and the accounts' nonces and returns the workload's
// environment, a report with the run's facts filled in, and the current head number.
func setup(ctx context.Context, client *Client, cfg Config) (*Env, *Report, uint64, error) {
	var chainID hexutil.Big
	if err := client.Call(ctx, &chainID, "eth_chainId"); err != nil {
		return nil, nil, 0, fmt.Errorf("node at %s not answering: %w", cfg.RPC, err)
	}
	var version string
	if err := client.Call(ctx, &version, "web3_clientVersion"); err != nil {
		version = "unknown"
	}
	var head rpcBlock
	if err := client.Call(ctx, &head, "eth_getBlockByNumber", "latest", false); err != nil {
		return nil, nil, 0, err
	}
	accounts, err := fundedAccounts(ctx, client, cfg)
	if err != nil {
		return nil, nil, 0, err
	}
	nonces, err := pendingNonces(ctx, client, accounts, cfg.Batch)
	if err != nil {
		return nil, nil, 0, err
	}
	env := &Env{Client: client, ChainID: chainID.ToInt(), Accounts: accounts, Nonces: nonces, Tip: cfg.Tip}
	if err := setFees(env, cfg, head.BaseFee); err != nil {
		return nil, nil, 0, err
	}
	rep := &Report{
		Label: cfg.Label, Client: version, RPC: cfg.RPC, ChainID: chainID.ToInt().Uint64(),
		Accounts: cfg.Accounts, Batch: cfg.Batch, Workers: cfg.Workers, MaxPending: cfg.MaxPending, Rate: cfg.Rate,
		PollSeconds: cfg.Poll.Seconds(), StartHead: uint64(head.Number),
		TxType: TxTypeLegacy, TipWei: cfg.Tip.String(), FeeCapWei: env.FeeCap.String(),
	}
	if env.Dynamic {
		rep.TxType = TxTypeDynamic
	}
	log.Info("Connected to node", "client", version, "chainid", rep.ChainID, "head", uint64(head.Number),
		"accounts", len(accounts))
	return env, rep, uint64(head.Number), nil
}

// fundedAccounts derives the test accounts of cfg and checks that the
// first has a balance on the node.
func fundedAccounts(ctx context.Context, client *Client, cfg Config) ([]Account, error) {
	accounts, err := DeriveAccounts(cfg.Seed, cfg.Accounts)
	if err != nil {
		return nil, err
	}
	var balance hexutil.Big
	if err := client.Call(ctx, &balance, "eth_getBalance", accounts[0].Address, "latest"); err != nil {
		return nil, err
	}
	if balance.ToInt().Sign() == 0 {
		return nil, fmt.Errorf("%w: %s; write the genesis with the same --seed and --accounts (citybench genesis)",
			errUnfunded, accounts[0].Address)
	}
	return accounts, nil
}

// setFees sets env's transaction type and fee cap from cfg and the head's
// base fee (nil before London).
func setFees(env *Env, cfg Config, baseFee *hexutil.Big) error {
	switch cfg.TxType {
	case TxTypeDynamic:
		env.Dynamic = true
	case TxTypeAuto:
		env.Dynamic = baseFee != nil
	}
	if env.Dynamic && baseFee == nil {
		return errors.New("dynamic-fee transactions need London: the head has no base fee (use --txtype legacy)")
	}
	env.FeeCap = cfg.FeeCap
	if env.FeeCap == nil || env.FeeCap.Sign() == 0 {
		// Twice the base fee survives six full blocks of base-fee growth.
		env.FeeCap = new(big.Int).Set(cfg.Tip)
		if baseFee != nil {
			env.FeeCap.Add(env.FeeCap, new(big.Int).Mul(baseFee.ToInt(), big.NewInt(2)))
		}
	}
	return nil
}

// pendingNonces returns eth_getTransactionCount(addr, "pending") for every account.
func pendingNonces(ctx context.Context, client *Client, accounts []Account, chunk int) ([]uint64, error) {
	nonces := make([]uint64, len(accounts))
	for lo := 0; lo < len(accounts); lo += chunk {
		hi := min(lo+chunk, len(accounts))
		elems := make([]BatchElem, hi-lo)
		vals := make([]hexutil.Uint64, hi-lo)
		for i := range elems {
			elems[i] = BatchElem{Method: "eth_getTransactionCount",
				Params: []any{accounts[lo+i].Address, "pending"}, Result: &vals[i]}
		}
		if err := client.Batch(ctx, elems); err != nil {
			return nil, fmt.Errorf("read nonces: %w", err)
		}
		for i, e := range elems {
			if e.Err != nil {
				return nil, fmt.Errorf("read nonce of %s: %w", accounts[lo+i].Address, e.Err)
			}
			nonces[lo+i] = uint64(vals[i])
		}
	}
	return nonces, nil
}

// signAll signs intents on every CPU and returns their encodings and hashes.
func signAll(ctx context.Context, env *Env, intents []Intent) ([][]byte, []common.Hash, error) {
	signer := types.LatestSignerForChainID(env.ChainID)
	raws := make([][]byte, len(intents))
	hashes := make([]common.Hash, len(intents))
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(intents); i += workers {
				if i%1024 == w && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				in := intents[i]
				tx, err := types.SignNewTx(env.Accounts[in.From].Key, signer, in.Tx)
				if err == nil {
					raws[i], err = tx.MarshalBinary()
				}
				if err != nil {
					errs[w] = fmt.Errorf("sign transaction %d: %w", i, err)
					return
				}
				hashes[i] = tx.Hash()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return raws, hashes, nil
}

// encodeBatches returns the JSON-RPC batch bodies of eth_sendRawTransaction calls, size
// transactions each (ids 0..n-1 within a batch), and each batch's first tx index.
func encodeBatches(raws [][]byte, size int) ([][]byte, []int) {
	var bodies [][]byte
	var bounds []int
	for lo := 0; lo < len(raws); lo += size {
		hi := min(lo+size, len(raws))
		var buf bytes.Buffer
		buf.Grow((hi - lo) * (2*len(raws[lo]) + 80))
		buf.WriteByte('[')
		for j := lo; j < hi; j++ {
			if j > lo {
				buf.WriteByte(',')
			}
			buf.WriteString(`{"jsonrpc":"2.0","id":`)
			buf.WriteString(strconv.Itoa(j - lo))
			buf.WriteString(`,"method":"eth_sendRawTransaction","params":["`)
			buf.WriteString(hexutil.Encode(raws[j]))
			buf.WriteString(`"]}`)
		}
		buf.WriteByte(']')
		bodies = append(bodies, buf.Bytes())
		bounds = append(bounds, lo)
	}
	return bodies, append(bounds, len(raws))
}

// send posts the batches in order from cfg.Workers goroutines, holding back while
// cfg.MaxPending transactions are in flight.
func send(ctx context.Context, client *Client, tr *tracker, cfg Config, bodies [][]byte, bounds []int) error {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				sendBatch(ctx, client, tr, bodies[b], bounds[b], bounds[b+1], cfg.Resend)
			}
		}()
	}
	var err error
	for b := range bodies {
		if err = waitRoom(ctx, tr, cfg.MaxPending, bounds[b+1]-bounds[b]); err != nil {
			break
		}
		if err = waitTurn(ctx, tr.t0, cfg.Rate, bounds[b]); err != nil {
			break
		}
		tr.mu.Lock()
		tr.dispatched += bounds[b+1] - bounds[b]
		tr.mu.Unlock()
		select {
		case jobs <- b:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
	}
	close(jobs)
	wg.Wait()
	return err
}

// sendAt returns when the transaction numbered sent may go at rate per second
// after t0; rate 0 means at once.
func sendAt(t0 time.Time, rate, sent int) time.Time {
	if rate == 0 {
		return t0
	}
	return t0.Add(time.Duration(sent) * time.Second / time.Duration(rate))
}

// waitTurn blocks until the batch starting at transaction sent is due at rate.
func waitTurn(ctx context.Context, t0 time.Time, rate, sent int) error {
	wait := time.Until(sendAt(t0, rate, sent))
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// waitRoom blocks until n more transactions fit under the pending limit.
func waitRoom(ctx context.Context, tr *tracker, limit, n int) error {
	if limit == 0 {
		return nil
	}
	for tr.inflight()+n > limit {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

func sendBatch(ctx context.Context, client *Client, tr *tracker, body []byte, lo, hi int, resend bool) {
	at := time.Since(tr.t0)
	tr.mu.Lock()
	for i := lo; i < hi; i++ {
		tr.sentAt[i] = at
		tr.state[i] = txSending
	}
	tr.mu.Unlock()

	resps, again, err := postBatch(ctx, client, body, hi-lo, resend)
	answered := time.Since(tr.t0)

	tr.mu.Lock()
	defer tr.mu.Unlock()
	if again > 0 {
		tr.resent++
	}
	for i := lo; i < hi; i++ {
		tr.answerAt[i] = answered
		switch {
		case err != nil:
			tr.reject(i, "transport: "+err.Error())
		case resps[i-lo].Error != nil && again > 0 && alreadyKnown(resps[i-lo].Error.Message):
			tr.accept(i) // the first post reached the node; its answer was lost
		case resps[i-lo].Error != nil:
			tr.reject(i, resps[i-lo].Error.Message)
		default:
			var h common.Hash
			if res := resps[i-lo].Result; len(res) != 68 || h.UnmarshalJSON(res) != nil || h != tr.hash[i] {
				tr.reject(i, "unexpected hash: "+string(truncate(resps[i-lo].Result, 80)))
				continue
			}
			tr.accept(i)
		}
	}
}

func (tr *tracker) accept(i int) {
	tr.state[i] = txAccepted
	tr.accepted++
	if tr.mined[i] {
		tr.minedOK++
	}
}

// lookupAfter is how long after the last send nothing must be mined before the run
// asks the node about the transactions it has not seen in a block (a reorg may have
// replaced a block it had read; see resolveByLookup), and then again at that interval.
// A variable for tests.
var lookupAfter = 5 * time.Second

// finalLookups bounds the lookup passes after the run (see Run).
const finalLookups = 5

// waitMined waits after the last send until every accepted transaction is mined (true),
// nothing was mined for cfg.Stall, or ctx ends. It returns how many transactions it
// found by lookup meanwhile: without that, a run whose last blocks were reorganised
// waited the whole cfg.Stall for transactions that were mined long before.
func waitMined(ctx context.Context, client *Client, tr *tracker, cfg Config) (bool, int) {
	sendsDone := time.Now()
	looked := sendsDone
	found := 0
	tick := time.NewTicker(cfg.Poll)
	defer tick.Stop()
	for {
		tr.mu.Lock()
		done := tr.minedOK >= tr.accepted
		last := tr.lastMined
		tr.mu.Unlock()
		if done {
			return true, found
		}
		if last.Before(sendsDone) {
			last = sendsDone
		}
		if time.Since(last) > cfg.Stall {
			log.Warn("Nothing mined for too long, giving up", "stall", cfg.Stall)
			return false, found
		}
		if time.Since(last) > lookupAfter && time.Since(looked) > lookupAfter {
			n, _ := resolveByLookup(client, tr)
			found += n
			looked = time.Now()
			continue
		}
		select {
		case <-ctx.Done():
			log.Warn("Run timed out before every transaction was mined", "err", ctx.Err())
			return false, found
		case <-tick.C:
		}
	}
}

// watch polls the head every interval and records each new block's workload
// transactions, fetching every block once, in order.
func watch(ctx context.Context, client *Client, tr *tracker, interval time.Duration) {
	tr.mu.Lock()
	next := tr.head + 1
	tr.mu.Unlock()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		var head hexutil.Uint64
		if err := client.Call(ctx, &head, "eth_blockNumber"); err == nil {
			seen := time.Since(tr.t0)
			for ; next <= uint64(head); next++ {
				var b rpcBlock
				err := client.Call(ctx, &b, "eth_getBlockByNumber", hexutil.Uint64(next), false)
				if err == nil && uint64(b.Number) != next {
					err = fmt.Errorf("%w: %d", errNoBlock, next)
				}
				if err != nil {
					if ctx.Err() == nil {
						log.Debug("Failed to fetch block", "number", next, "err", err)
					}
					break // try again at the next tick
				}
				tr.recordBlock(&b, seen)
			}
		} else if ctx.Err() == nil {
			log.Debug("Failed to poll head", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (tr *tracker) recordBlock(b *rpcBlock, seen time.Duration) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	stat := BlockStat{Number: uint64(b.Number), Timestamp: uint64(b.Timestamp), Txs: len(b.Transactions),
		GasUsed: uint64(b.GasUsed), Seen: seen.Seconds()}
	for _, h := range b.Transactions {
		i, ok := tr.index[h]
		if !ok || tr.mined[i] {
			continue
		}
		tr.mined[i] = true
		tr.seenAt[i] = seen
		tr.blockOf[i] = stat.Number
		tr.minedAll++
		if tr.state[i] == txAccepted {
			tr.minedOK++
		}
		if stat.Workload == 0 || tr.sentAt[i].Seconds() < stat.OldestSent {
			stat.OldestSent = tr.sentAt[i].Seconds()
		}
		stat.Workload++
	}
	if stat.Workload > 0 {
		tr.lastMined = time.Now()
	}
	tr.head = stat.Number
	tr.blocks = append(tr.blocks, stat)
}

// progress logs a throttled progress line every interval.
func progress(ctx context.Context, tr *tracker, interval time.Duration, total int, sampler *ProcSampler) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	lastMined, lastAt := 0, time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		tr.mu.Lock()
		sent := tr.accepted + tr.rejected
		accepted, rejected, mined, head := tr.accepted, tr.rejected, tr.minedAll, tr.head
		tr.mu.Unlock()
		now := time.Now()
		rate := float64(mined-lastMined) / now.Sub(lastAt).Seconds()
		lastMined, lastAt = mined, now
		ctxs := []any{"sent", fmt.Sprintf("%d/%d", sent, total), "accepted", accepted, "rejected", rejected,
			"mined", mined, "head", head, "tps", int(rate)}
		if sampler != nil {
			ctxs = append(ctxs, "rss", common.StorageSize(sampler.RSS()))
		}
		log.Info("Load progress", ctxs...)
	}
}

// lookupBatch is how many transactions one lookup batch asks about.
const lookupBatch = 500

// fillReport derives the report's figures from the tracker.
func fillReport(rep *Report, tr *tracker, cfg Config, complete bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	rep.Sent = tr.accepted + tr.rejected
	rep.Accepted, rep.Rejected, rep.Mined = tr.accepted, tr.rejected, tr.minedAll
	rep.NeverMined = tr.accepted - tr.minedOK
	rep.Complete = complete && rep.NeverMined == 0
	if len(tr.reasons) > 0 {
		rep.RejectReasons = make(map[string]int, len(tr.reasons))
		for k, v := range tr.reasons {
			rep.RejectReasons[k] = v
			rep.Notes = append(rep.Notes, fmt.Sprintf("rejected %d× %q, e.g. %q", v, k, tr.examples[k]))
		}
	}
	rep.Blocks = tr.blocks
	rep.Throughput = ComputeThroughput(tr.blocks)
	rep.GasPerTx = gasPerTx(tr.blocks)
	if rep.SendSeconds > 0 {
		rep.IntakeTPS = float64(tr.accepted) / rep.SendSeconds
	}
	lat := make([]time.Duration, 0, tr.minedAll)
	answer := make([]time.Duration, 0, tr.accepted)
	for i, m := range tr.mined {
		if m {
			lat = append(lat, tr.seenAt[i]-tr.sentAt[i])
		}
		if tr.state[i] == txAccepted {
			answer = append(answer, tr.answerAt[i]-tr.sentAt[i])
		}
	}
	rep.Latency = Summarize(lat)
	rep.AnswerLatency = Summarize(answer)
	rep.txTimes = txTimes(tr)
}

// txTimes lists every accepted transaction's times, in the order they were
// planned (a sender's nonces in order).
func txTimes(tr *tracker) []TxTime {
	out := make([]TxTime, 0, tr.accepted)
	for i, st := range tr.state {
		if st != txAccepted {
			continue
		}
		t := TxTime{Hash: tr.hash[i], Sent: tr.sentAt[i].Seconds(), Answered: tr.answerAt[i].Seconds()}
		if tr.mined[i] {
			t.Block, t.Seen = tr.blockOf[i], tr.seenAt[i].Seconds()
		}
		out = append(out, t)
	}
	return out
}

// gasPerTx is the mean gas of a workload transaction, over the blocks that
// held only workload transactions (so other transactions do not count).
func gasPerTx(blocks []BlockStat) float64 {
	var gas uint64
	var txs int
	for _, b := range blocks {
		if b.Workload > 0 && b.Workload == b.Txs {
			gas += b.GasUsed
			txs += b.Workload
		}
	}
	if txs == 0 {
		return 0
	}
	return float64(gas) / float64(txs)
}

// resolveByLookup asks the node where the accepted transactions that no block
// read so far contained are: the generator reads each block number once, so a
// block replaced by a reorg after it was read hides the transactions of the
// block that replaced it. Those found in a block count as mined, seen when that
// block number was first seen. It returns how many it found, and the error
// that cut the lookups short, if one did.
func resolveByLookup(client *Client, tr *tracker) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tr.mu.Lock()
	var missing []int
	for i, st := range tr.state {
		if st == txAccepted && !tr.mined[i] {
			missing = append(missing, i)
		}
	}
	seen := make(map[uint64]time.Duration, len(tr.blocks))
	for _, b := range tr.blocks {
		seen[b.Number] = time.Duration(b.Seen * float64(time.Second))
	}
	tr.mu.Unlock()

	found := 0
	for lo := 0; lo < len(missing); lo += lookupBatch {
		part := missing[lo:min(lo+lookupBatch, len(missing))]
		results := make([]struct {
			BlockNumber *hexutil.Uint64 `json:"blockNumber"`
		}, len(part))
		elems := make([]BatchElem, len(part))
		for k, i := range part {
			elems[k] = BatchElem{Method: "eth_getTransactionByHash", Params: []any{tr.hash[i]}, Result: &results[k]}
		}
		if err := client.Batch(ctx, elems); err != nil {
			log.Warn("Failed to look up unmined transactions", "err", err)
			return found, err
		}
		tr.mu.Lock()
		for k, i := range part {
			if elems[k].Err != nil || results[k].BlockNumber == nil || tr.mined[i] {
				continue
			}
			at, ok := seen[uint64(*results[k].BlockNumber)]
			if !ok {
				at = time.Since(tr.t0)
			}
			tr.mined[i], tr.seenAt[i] = true, at
			tr.minedAll++
			tr.minedOK++
			found++
		}
		tr.mu.Unlock()
	}
	return found, nil
}

// allMined reports whether every accepted transaction is mined.
func allMined(tr *tracker) bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.minedOK == tr.accepted
}

// diagnose looks up a few never-mined transactions on the node and adds what it says to
// the report's notes.
func diagnose(client *Client, tr *tracker, rep *Report) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var status map[string]hexutil.Uint64
	if err := client.Call(ctx, &status, "txpool_status"); err == nil {
		rep.Notes = append(rep.Notes, fmt.Sprintf("txpool_status at the end: pending %d, queued %d",
			status["pending"], status["queued"]))
	}
	shown := 0
	for i, st := range tr.state {
		if st != txAccepted || tr.mined[i] || shown == 3 {
			continue
		}
		shown++
		var tx map[string]any
		err := client.Call(ctx, &tx, "eth_getTransactionByHash", tr.hash[i])
		switch {
		case err != nil:
			rep.Notes = append(rep.Notes, fmt.Sprintf("never mined %s: lookup failed: %v", tr.hash[i], err))
		case tx == nil:
			rep.Notes = append(rep.Notes, fmt.Sprintf("never mined %s: unknown to the node (dropped)", tr.hash[i]))
		default:
			rep.Notes = append(rep.Notes, fmt.Sprintf("never mined %s: node knows it, block %v, nonce %v",
				tr.hash[i], tx["blockNumber"], tx["nonce"]))
		}
	}
}
