package relayer

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/intake"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// Config is the relayer's configuration.
type Config struct {
	Batch    int           `toml:"batch"`    // ballots per relay transaction (a transaction must stay under the pool's 128 KiB: about 130 ballots with 21-hash proofs)
	Inflight int           `toml:"inflight"` // relay transactions sent and not yet mined
	Workers  int           `toml:"workers"`  // transactions prepared (gas estimated) at once
	Wait     time.Duration `toml:"wait"`     // longest wait for a batch to fill before a smaller one is sent
	Resend   time.Duration `toml:"resend"`   // a transaction not mined after this is sent again
	Poll     time.Duration `toml:"poll"`     // time between receipt checks
}

// Defaults of the relayer.
var Defaults = Config{Batch: 100, Inflight: 256, Workers: 4, Wait: 250 * time.Millisecond, Resend: 20 * time.Second, Poll: 200 * time.Millisecond}

// Validate checks the configuration.
func (c *Config) Validate() error {
	switch {
	case c.Batch < 1 || c.Batch > 1000:
		return fmt.Errorf("invalid relay batch: have %d, want 1..1000", c.Batch)
	case c.Inflight < 1:
		return fmt.Errorf("invalid relay transactions in flight: have %d, want >= 1", c.Inflight)
	case c.Workers < 1:
		return fmt.Errorf("invalid relay workers: have %d, want >= 1", c.Workers)
	case c.Wait < 0 || c.Resend < time.Second || c.Poll < 10*time.Millisecond:
		return fmt.Errorf("invalid relay timings: wait %v (want >= 0), resend %v (want >= 1s), poll %v (want >= 10ms)", c.Wait, c.Resend, c.Poll)
	}
	return nil
}

// gasHeadroom is the percentage added to a relay's gas estimate.
const gasHeadroom = 20

// Reuse of a poll's gas estimate: a relay's gas is the ballots' count times
// the gas per ballot of the last estimate with gasPerBallotHeadroom percent
// more (a ballot costs more when it is the first of its voted-flags word),
// for gasReuse batches; then, or after a relay failed on chain, the next
// batch is estimated again. Estimating runs the whole batch on the node,
// several times over (go-ethereum's estimator searches for the limit): at
// one batch in 50 it was still 10 % of the node's CPU while it relayed
// (ADR 097). A poll's first batch is its dearest per ballot (its voters'
// flag words are all new), so its estimate stays enough as the poll fills;
// a relay that runs out of gas fails on chain, its ballots are queued again
// and the next batch is estimated.
const (
	gasReuse             = 1000
	gasPerBallotHeadroom = 50
)

// gasModel is a poll's last estimate, per ballot.
type gasModel struct {
	perBallot uint64
	uses      int
}

// feeTTL is how long the fees of the last head are reused.
const feeTTL = 2 * time.Second

var pollsABI = polls.NewPolls()

// Event IDs of the logs a relay transaction emits.
var (
	castID     = pollsABI.GetABI().Events["BallotCast"].ID
	rejectedID = pollsABI.GetABI().Events["BallotRejected"].ID
)

// flight is a relay transaction sent and not yet mined.
type flight struct {
	rec  *intake.TxRecord
	due  time.Time        // when the watcher sends it again if it is not mined; zero: at its next check (not sent since the start)
	held []*intake.Record // its ballots' states as marked sent (rec.Ballots' order, no body); nil for one loaded at the start: read from the store
}

// sendRetry is how soon a transaction whose send failed (no rpc node ready,
// the node unreachable) is sent again. The watcher's next check does it,
// and only once the node answers the check's receipts. Before, a failed
// send waited Resend (20 s) like a sent one: when the gateway took a busy
// node out for a moment (its head a second late), every relay sent in that
// moment waited 20 s, and the nonces after them with it (ADR 100).
const sendRetry = time.Second

// nextSend returns when a transaction sent at now with outcome err is to be
// sent again if not mined: after resend when the node took it (or had it),
// after sendRetry when the send failed.
func nextSend(err error, now time.Time, resend time.Duration) time.Time {
	if err == nil || strings.Contains(err.Error(), "already known") {
		return now.Add(resend)
	}
	return now.Add(sendRetry)
}

// Relayer sends the intake's ballots to the Polls contract.
type Relayer struct {
	cfg     Config
	store   *intake.Store
	pool    *upstream.Pool
	signer  *registry.Signer
	metrics *metrics

	mu       sync.Mutex
	nonce    uint64               // next nonce to give
	inflight map[uint64]*flight   // by nonce
	claimed  map[common.Hash]bool // ballots taken by a worker, not yet recorded as sent
	next     int                  // round robin over polls
	gas      map[uint64]*gasModel // by poll
	fee      [2]*big.Int          // tip, fee cap of the last head read
	feeAt    time.Time

	quit chan struct{}
	wg   sync.WaitGroup
}

// New returns a relayer of store's ballots through pool, signing with signer.
func New(cfg Config, store *intake.Store, pool *upstream.Pool, signer *registry.Signer, reg prometheus.Registerer) *Relayer {
	r := &Relayer{cfg: cfg, store: store, pool: pool, signer: signer, inflight: map[uint64]*flight{}, claimed: map[common.Hash]bool{}, gas: map[uint64]*gasModel{}, quit: make(chan struct{})}
	r.metrics = newMetrics(reg, r)
	return r
}

// Address returns the relayer's account.
func (r *Relayer) Address() common.Address { return r.signer.Address }

// Start loads the transactions in flight and starts the workers and the
// receipt watcher. The first nonce is asked of the nodes when one is ready.
func (r *Relayer) Start() error {
	txs, err := r.store.Inflight()
	if err != nil {
		return err
	}
	for _, t := range txs {
		r.inflight[t.Nonce] = &flight{rec: t}
		r.nonce = max(r.nonce, t.Nonce+1)
	}
	if len(txs) > 0 {
		log.Info("Relay transactions in flight at start", "count", len(txs), "first", txs[0].Nonce, "last", txs[len(txs)-1].Nonce)
	}
	r.wg.Add(1)
	go r.run()
	return nil
}

// Stop stops the relayer; what is in flight stays in the store.
func (r *Relayer) Stop() error {
	close(r.quit)
	r.wg.Wait()
	return nil
}

// run syncs the nonce with the chain, then runs the workers and the watcher.
func (r *Relayer) run() {
	defer r.wg.Done()
	for !r.syncNonce() {
		select {
		case <-r.quit:
			return
		case <-time.After(time.Second):
		}
	}
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Add(1)
		go func() { defer wg.Done(); r.work() }()
	}
	r.watch()
	wg.Wait()
}

// syncNonce raises the next nonce to the account's pending nonce.
func (r *Relayer) syncNonce() bool {
	var pending uint64
	err := r.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) (err error) {
		pending, err = ethclient.NewClient(n.RPC()).PendingNonceAt(ctx, r.signer.Address)
		return err
	})
	if err != nil {
		log.Warn("Cannot read the relayer's nonce, trying again", "account", r.signer.Address, "err", err)
		return false
	}
	r.mu.Lock()
	r.nonce = max(r.nonce, pending)
	log.Info("Relayer ready", "account", r.signer.Address, "nonce", r.nonce, "inflight", len(r.inflight))
	r.mu.Unlock()
	return true
}

// work prepares and sends relay transactions while there is room in flight.
func (r *Relayer) work() {
	for {
		changed := r.store.Changed()
		sent, err := r.relayOne()
		if err != nil {
			r.metrics.errors.Inc()
			log.Warn("Failed to relay a batch of ballots", "err", err)
		}
		if sent {
			continue
		}
		wait := r.cfg.Wait
		if err != nil {
			wait = time.Second
		}
		select {
		case <-r.quit:
			return
		case <-changed:
			if err == nil {
				// New ballots: let a batch fill a little.
				select {
				case <-r.quit:
					return
				case <-time.After(min(r.cfg.Wait, 20*time.Millisecond)):
				}
			}
		case <-time.After(max(wait, 10*time.Millisecond)):
		}
	}
}

// relayOne takes one batch, estimates its gas, signs it with the next nonce,
// records it and sends it. It reports whether it sent one.
func (r *Relayer) relayOne() (bool, error) {
	poll, batch, err := r.take()
	if err != nil || len(batch) == 0 {
		return false, err
	}
	defer r.release(batch)
	signed := make([]polls.PollsSignedBallot, len(batch))
	for i, b := range batch {
		signed[i] = b.Ballot().Signed()
	}
	data := packRelay(poll, signed)
	gas, err := r.gasFor(poll, len(batch), data)
	if err != nil {
		return false, err
	}
	tip, feeCap, err := r.fees()
	if err != nil {
		return false, err
	}
	rec, tx, err := r.record(poll, batch, data, gas, tip, feeCap)
	if err != nil {
		return false, err
	}
	r.metrics.relayed.Add(float64(len(batch)))
	r.send(rec, tx)
	return true, nil
}

// take claims up to Batch queued ballots of the next poll with any, unless
// room in flight is used up or the batch is short and young.
func (r *Relayer) take() (uint64, []*intake.Record, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.inflight) >= r.cfg.Inflight {
		return 0, nil, nil
	}
	polls := r.store.Polls()
	for range polls {
		poll := polls[r.next%len(polls)]
		r.next++
		batch, err := r.store.Queued(poll, r.cfg.Batch, func(id common.Hash) bool { return r.claimed[id] })
		if err != nil {
			return 0, nil, err
		}
		if len(batch) == 0 {
			continue
		}
		if len(batch) < r.cfg.Batch && time.Since(time.Unix(0, int64(batch[0].Seq))) < r.cfg.Wait {
			continue // let it fill
		}
		for _, rec := range batch {
			r.claimed[rec.ID] = true
		}
		return poll, batch, nil
	}
	return 0, nil, nil
}

// release forgets the claim on a batch (sent or not).
func (r *Relayer) release(batch []*intake.Record) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rec := range batch {
		delete(r.claimed, rec.ID)
	}
}

// gasFor returns the gas of a relay of n ballots of poll: from the poll's
// last estimate, or estimated (and kept) when that is used up.
func (r *Relayer) gasFor(poll uint64, n int, data []byte) (uint64, error) {
	r.mu.Lock()
	if m := r.gas[poll]; m != nil && m.uses < gasReuse {
		m.uses++
		per := m.perBallot
		r.mu.Unlock()
		return uint64(n) * (per + per*gasPerBallotHeadroom/100), nil
	}
	r.mu.Unlock()
	gas, err := r.estimate(data)
	if err != nil {
		return 0, err
	}
	r.mu.Lock()
	r.gas[poll] = &gasModel{perBallot: gas / uint64(n)}
	r.mu.Unlock()
	return gas, nil
}

// forgetGas makes the next relay of poll be estimated again.
func (r *Relayer) forgetGas(poll uint64) {
	r.mu.Lock()
	delete(r.gas, poll)
	r.mu.Unlock()
}

// estimate returns the gas of a relay call with headroom; a revert (the
// account lacks the RELAYER role, say) is a *registry.RevertError.
func (r *Relayer) estimate(data []byte) (uint64, error) {
	var gas uint64
	to := contracts.PollsAddress
	err := r.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) (err error) {
		gas, err = ethclient.NewClient(n.RPC()).EstimateGas(ctx, ethereum.CallMsg{From: r.signer.Address, To: &to, Data: data})
		return err
	})
	if err != nil {
		if data, ok := contracts.RevertData(err); ok {
			reason, _ := contracts.DecodeRevert(data)
			return 0, &registry.RevertError{Action: "Polls.relay", Reason: reason}
		}
		return 0, fmt.Errorf("estimate gas of Polls.relay: %w", err)
	}
	return gas + gas*gasHeadroom/100, nil
}

// fees returns the tip and fee cap, read again after feeTTL: twice the
// latest base fee plus the suggested tip (at least 1 wei).
func (r *Relayer) fees() (tip, feeCap *big.Int, err error) {
	r.mu.Lock()
	if time.Since(r.feeAt) < feeTTL {
		tip, feeCap = r.fee[0], r.fee[1]
		r.mu.Unlock()
		return tip, feeCap, nil
	}
	r.mu.Unlock()
	err = r.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) (err error) {
		tip, feeCap, err = registry.New(n.RPC(), nil).Fees(ctx)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("fees: %w", err)
	}
	r.mu.Lock()
	r.fee, r.feeAt = [2]*big.Int{tip, feeCap}, time.Now()
	r.mu.Unlock()
	return tip, feeCap, nil
}

// record signs the relay with the next nonce and stores it as in flight,
// the batch's ballots as sent; only then may it be sent.
func (r *Relayer) record(poll uint64, batch []*intake.Record, data []byte, gas uint64, tip, feeCap *big.Int) (*intake.TxRecord, *types.Transaction, error) {
	chainID := r.pool.ChainID()
	if chainID == 0 {
		return nil, nil, upstream.ErrNoReady
	}
	to := contracts.PollsAddress
	r.mu.Lock()
	defer r.mu.Unlock()
	tx, err := r.signer.Sign(&types.DynamicFeeTx{
		ChainID: new(big.Int).SetUint64(chainID), Nonce: r.nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: &to, Data: data,
	}, new(big.Int).SetUint64(chainID))
	if err != nil {
		return nil, nil, err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	rec := &intake.TxRecord{Hash: tx.Hash(), Nonce: r.nonce, Poll: poll, Raw: raw, Sent: uint64(time.Now().UnixMilli())}
	for _, b := range batch {
		rec.Ballots = append(rec.Ballots, b.ID)
	}
	if err := r.store.MarkSent(rec, batch); err != nil {
		return nil, nil, err
	}
	r.inflight[rec.Nonce] = &flight{rec: rec, held: stateless(batch)}
	r.nonce++
	return rec, tx, nil
}

// send sends a recorded transaction; a failure leaves it for the watcher to
// send again.
func (r *Relayer) send(rec *intake.TxRecord, tx *types.Transaction) {
	err := r.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) error {
		return ethclient.NewClient(n.RPC()).SendTransaction(ctx, tx)
	})
	r.mu.Lock()
	if f := r.inflight[rec.Nonce]; f != nil {
		f.due = nextSend(err, time.Now(), r.cfg.Resend)
	}
	r.mu.Unlock()
	switch {
	case err == nil || strings.Contains(err.Error(), "already known"):
		r.metrics.txs.WithLabelValues("sent").Inc()
		log.Debug("Sent relay transaction", "hash", rec.Hash, "nonce", rec.Nonce, "poll", rec.Poll, "ballots", len(rec.Ballots))
	default:
		r.metrics.txs.WithLabelValues("send_failed").Inc()
		log.Warn("Failed to send relay transaction, will send it again", "hash", rec.Hash, "nonce", rec.Nonce, "err", err)
	}
}

// stateless returns copies of recs without their signature and proof.
func stateless(recs []*intake.Record) []*intake.Record {
	out := make([]*intake.Record, len(recs))
	for i, r := range recs {
		c := *r
		c.Signature, c.Proof = nil, nil
		out[i] = &c
	}
	return out
}
