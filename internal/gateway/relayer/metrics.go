package relayer

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/citychain/citychain/internal/gateway/intake"
)

// metrics are the relayer's Prometheus metrics.
type metrics struct {
	relayed  prometheus.Counter
	counted  prometheus.Counter
	rejected *prometheus.CounterVec
	txs      *prometheus.CounterVec
	errors   prometheus.Counter
	lastMine prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer, r *Relayer) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	f := promauto.With(reg)
	m := &metrics{
		relayed: f.NewCounter(prometheus.CounterOpts{Name: "citygate_ballots_relayed_total", Help: "Ballots sent in relay transactions (a batch sent again after a failure counts again)."}),
		counted: f.NewCounter(prometheus.CounterOpts{Name: "citygate_ballots_counted_total", Help: "Ballots counted by the Polls contract (BallotCast)."}),
		rejected: f.NewCounterVec(prometheus.CounterOpts{
			Name: "citygate_ballots_rejected_total", Help: "Ballots the Polls contract skipped, by its reason (BallotRejected: AlreadyVoted, PollNotOpen, BadSignature, NotEligible, InvalidOption, BallotForOtherPoll).",
		}, []string{"reason"}),
		txs: f.NewCounterVec(prometheus.CounterOpts{
			Name: "citygate_relay_transactions_total", Help: "Relay transactions by event: sent, send_failed, resent, mined, failed (reverted on chain: ballots queued again), replaced (nonce taken: ballots queued again).",
		}, []string{"event"}),
		errors: f.NewCounter(prometheus.CounterOpts{Name: "citygate_relay_errors_total", Help: "Batches the relayer could not prepare (gas estimate refused, no node ready, store failure)."}),
		lastMine: f.NewGauge(prometheus.GaugeOpts{
			Name: "citygate_relayer_last_mined_timestamp_seconds", Help: "Unix time the last relay transaction was found mined (the relayer's start time before the first).",
		}),
	}
	for _, e := range []string{"sent", "send_failed", "resent", "mined", "failed", "replaced"} {
		m.txs.WithLabelValues(e)
	}
	for _, reason := range []string{"AlreadyVoted", "PollNotOpen", "BadSignature", "NotEligible", "InvalidOption", "BallotForOtherPoll"} {
		m.rejected.WithLabelValues(reason)
	}
	f.NewGaugeFunc(prometheus.GaugeOpts{Name: "citygate_relay_transactions_inflight", Help: "Relay transactions sent and not yet mined."}, func() float64 {
		r.mu.Lock()
		defer r.mu.Unlock()
		return float64(len(r.inflight))
	})
	m.lastMine.Set(float64(time.Now().Unix()))
	return m
}

// mined counts a mined transaction's outcomes.
func (m *metrics) mined(outcomes []intake.Outcome) {
	m.txs.WithLabelValues("mined").Inc()
	m.lastMine.Set(float64(time.Now().Unix()))
	for _, o := range outcomes {
		if o.State == intake.StateCounted {
			m.counted.Inc()
		} else {
			m.rejected.WithLabelValues(o.Reason).Inc()
		}
	}
}
