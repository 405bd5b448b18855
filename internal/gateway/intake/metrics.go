package intake

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// results are the label values of citygate_ballots_received_total.
var results = map[error]string{
	ErrMalformed: "malformed", ErrUnknownPoll: "unknown_poll", ErrPollNotOpen: "poll_not_open",
	ErrInvalidOption: "invalid_option", ErrBadSignature: "bad_signature", ErrNotEligible: "not_eligible",
	ErrAlreadyVoted: "already_voted", ErrAlreadyQueued: "already_queued", ErrQueueFull: "queue_full",
	ErrUnavailable: "unavailable",
}

// metrics are the intake's Prometheus metrics.
type metrics struct {
	ballots *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer, in *Intake) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	f := promauto.With(reg)
	m := &metrics{ballots: f.NewCounterVec(prometheus.CounterOpts{
		Name: "citygate_ballots_received_total",
		Help: "Ballots posted, by result: accepted (stored), duplicate (the same ballot again), error (the store failed), or the refusal (malformed, unknown_poll, poll_not_open, invalid_option, bad_signature, not_eligible, already_voted, already_queued, queue_full, unavailable).",
	}, []string{"result"})}
	for _, r := range results {
		m.ballots.WithLabelValues(r)
	}
	f.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "citygate_ballot_queue_depth", Help: "Ballots stored and not yet sent in a relay transaction.",
	}, func() float64 { q, _ := in.store.Counts(); return float64(q) })
	f.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "citygate_ballots_inflight", Help: "Ballots in relay transactions not yet mined.",
	}, func() float64 { _, s := in.store.Counts(); return float64(s) })
	f.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "citygate_ballot_queue_oldest_age_seconds", Help: "Age of the oldest queued ballot; 0 when the queue is empty.",
	}, func() float64 {
		t := in.store.Oldest()
		if t.IsZero() {
			return 0
		}
		return time.Since(t).Seconds()
	})
	return m
}

// received counts a posted ballot by result.
func (m *metrics) count(err error, existed bool) {
	switch {
	case err == nil && existed:
		m.ballots.WithLabelValues("duplicate").Inc()
	case err == nil:
		m.ballots.WithLabelValues("accepted").Inc()
	default:
		for kind, label := range results {
			if errors.Is(err, kind) {
				m.ballots.WithLabelValues(label).Inc()
				return
			}
		}
		m.ballots.WithLabelValues("error").Inc()
	}
}
