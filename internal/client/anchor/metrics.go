package anchor

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the follower's Prometheus metrics, labelled by chain id. A nil
// *Metrics records nothing.
type Metrics struct {
	externalHead *prometheus.GaugeVec
	anchoredHead *prometheus.GaugeVec
	lag          *prometheus.GaugeVec
	conflicted   *prometheus.GaugeVec
	conflicts    *prometheus.CounterVec
	refusals     *prometheus.CounterVec
	errors       *prometheus.CounterVec
	posts        *prometheus.CounterVec
	chain        string
}

// NewMetrics registers the follower's metrics for chainID in reg.
func NewMetrics(reg prometheus.Registerer, chainID uint64) *Metrics {
	labels := []string{"chain"}
	gauge := func(name, help string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	counter := func(name, help string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
		reg.MustRegister(c)
		return c
	}
	return &Metrics{
		externalHead: gauge("citychain_anchor_external_head", "Head block number of the external chain, as its node reports it."),
		anchoredHead: gauge("citychain_anchor_anchored_head", "Block number of the latest checkpoint of the external chain in Anchors."),
		lag:          gauge("citychain_anchor_lag_blocks", "Blocks of the external chain past the latest anchored checkpoint."),
		conflicted:   gauge("citychain_anchor_latest_conflicted", "1 if Anchors holds a conflicting checkpoint for the latest anchored height, else 0."),
		conflicts:    counter("citychain_anchor_conflicts_seen_total", "Follower steps that found the external chain's node on another branch than the anchored checkpoint."),
		refusals:     counter("citychain_anchor_refused_headers_total", "Spans refused because a header broke the external chain's Clique rules (forged or bad seal, signer not in the set, ...)."),
		errors:       counter("citychain_anchor_errors_total", "Follower steps that failed for another reason (node unreachable, posting refused, ...)."),
		posts:        counter("citychain_anchor_posts_total", "Checkpoints posted to Anchors."),
		chain:        strconv.FormatUint(chainID, 10),
	}
}

func (m *Metrics) observe(s *Span) {
	if m == nil {
		return
	}
	m.externalHead.WithLabelValues(m.chain).Set(float64(s.Head))
	m.anchoredHead.WithLabelValues(m.chain).Set(float64(s.From))
	m.lag.WithLabelValues(m.chain).Set(float64(s.Head - min(s.Head, s.From)))
	if s.Status != nil {
		v := 0.0
		if s.Status.Conflicted {
			v = 1
		}
		m.conflicted.WithLabelValues(m.chain).Set(v)
	}
}

func (m *Metrics) posted(s *Span) {
	if m == nil {
		return
	}
	to := s.From + uint64(s.Len())
	m.posts.WithLabelValues(m.chain).Inc()
	m.anchoredHead.WithLabelValues(m.chain).Set(float64(to))
	m.lag.WithLabelValues(m.chain).Set(float64(s.Head - min(s.Head, to)))
}

func (m *Metrics) conflict() {
	if m != nil {
		m.conflicts.WithLabelValues(m.chain).Inc()
	}
}

func (m *Metrics) refused() {
	if m != nil {
		m.refusals.WithLabelValues(m.chain).Inc()
	}
}

func (m *Metrics) failed() {
	if m != nil {
		m.errors.WithLabelValues(m.chain).Inc()
	}
}
