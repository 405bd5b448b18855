package upstream

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// metrics are the pool's Prometheus metrics, labelled by node (host:port of
// a configured node: a bounded set).
type metrics struct {
	ready    *prometheus.GaugeVec
	head     *prometheus.GaugeVec
	lag      *prometheus.GaugeVec
	failures *prometheus.CounterVec
	retries  prometheus.Counter
	readyAll prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer, p *Pool) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry() // unregistered: counted, never served
	}
	f := promauto.With(reg)
	m := &metrics{
		ready: f.NewGaugeVec(prometheus.GaugeOpts{
			Name: "citygate_upstream_ready", Help: "1 if the rpc node takes calls: it answers probes, reports itself ready and lags at most --upstream.maxlag blocks; 0 otherwise.",
		}, []string{"node"}),
		head: f.NewGaugeVec(prometheus.GaugeOpts{
			Name: "citygate_upstream_head", Help: "Head block number of the rpc node at its last answered probe.",
		}, []string{"node"}),
		lag: f.NewGaugeVec(prometheus.GaugeOpts{
			Name: "citygate_upstream_lag_blocks", Help: "Blocks the rpc node's head is behind the best node's head.",
		}, []string{"node"}),
		failures: f.NewCounterVec(prometheus.CounterOpts{
			Name: "citygate_upstream_failures_total", Help: "Calls that failed on the rpc node for a reason of the node (connection, timeout, HTTP 5xx); a failed connection takes the node out until its next answered probe.",
		}, []string{"node"}),
		retries: f.NewCounter(prometheus.CounterOpts{
			Name: "citygate_upstream_retries_total", Help: "Calls retried on another rpc node after a failure of the first.",
		}),
		readyAll: f.NewGauge(prometheus.GaugeOpts{
			Name: "citygate_upstream_ready_nodes", Help: "Number of rpc nodes that take calls.",
		}),
	}
	for _, n := range p.nodes {
		m.ready.WithLabelValues(n.label)
		m.failures.WithLabelValues(n.label)
	}
	return m
}

// observe records the nodes' states after a probe round.
func (m *metrics) observe(p *Pool) {
	ready := 0
	for _, n := range p.nodes {
		st := n.Status()
		v := 0.0
		if st.Ready {
			v = 1
			ready++
		}
		m.ready.WithLabelValues(n.label).Set(v)
		if st.Head != nil {
			m.head.WithLabelValues(n.label).Set(float64(st.Head.Number))
			m.lag.WithLabelValues(n.label).Set(float64(st.Lag))
		}
	}
	m.readyAll.Set(float64(ready))
}
