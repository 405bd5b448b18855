package api

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// metrics are the API's Prometheus metrics; route is the route's pattern
// (a bounded set: the route table, "unmatched" and "assets").
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	cache    *prometheus.CounterVec
	hit      prometheus.Counter // cache's hit series, looked up once
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	f := promauto.With(reg)
	m := &metrics{
		requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "citygate_http_requests_total", Help: "HTTP requests answered, by route (its pattern) and status code.",
		}, []string{"route", "code"}),
		latency: f.NewHistogramVec(prometheus.HistogramOpts{
			Name: "citygate_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route (the event stream: its whole life).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		cache: f.NewCounterVec(prometheus.CounterOpts{
			Name: "citygate_cache_requests_total", Help: "Reads looked up in the answer cache (per request and block hash), by result: hit, stale (the previous final block's answer given while a fresh one is read), miss, or outage (a kept answer given while no rpc node answers, ADR 090).",
		}, []string{"result"}),
	}
	for _, r := range []string{"hit", "stale", "miss"} {
		m.cache.WithLabelValues(r)
	}
	m.hit = m.cache.WithLabelValues("hit")
	return m
}

func timeSince(t time.Time) float64 { return time.Since(t).Seconds() }
