package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// metric is one metric family read at scrape time.
type metric struct {
	desc  *prometheus.Desc
	typ   prometheus.ValueType
	value func() float64 // for metrics without labels
	// labelled reports one value per label set, for metrics with labels.
	labelled func(emit func(v float64, labels ...string))
}

// scrape is a prometheus.Collector of metrics read at scrape time from state
// that a package already keeps (snapshots of atomic counters).
type scrape struct {
	metrics []metric
	before  func() // runs once per scrape before the values are read; may be nil

	mu sync.Mutex // one scrape at a time: before fills values the metrics read
}

func counter(name, help string, value func() float64) metric {
	return metric{desc: prometheus.NewDesc(name, help, nil, nil), typ: prometheus.CounterValue, value: value}
}

func gauge(name, help string, value func() float64) metric {
	return metric{desc: prometheus.NewDesc(name, help, nil, nil), typ: prometheus.GaugeValue, value: value}
}

func counterVec(name, help string, labels []string, values func(emit func(v float64, labels ...string))) metric {
	return metric{desc: prometheus.NewDesc(name, help, labels, nil), typ: prometheus.CounterValue, labelled: values}
}

// Describe implements prometheus.Collector.
func (s *scrape) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range s.metrics {
		ch <- m.desc
	}
}

// Collect implements prometheus.Collector.
func (s *scrape) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.before != nil {
		s.before()
	}
	for _, m := range s.metrics {
		if m.labelled != nil {
			m.labelled(func(v float64, labels ...string) {
				ch <- prometheus.MustNewConstMetric(m.desc, m.typ, v, labels...)
			})
			continue
		}
		ch <- prometheus.MustNewConstMetric(m.desc, m.typ, m.value())
	}
}
