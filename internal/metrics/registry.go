package metrics

import (
	"fmt"
	"runtime"

	"github.com/ethereum/go-ethereum/version"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// NewRegistry returns a registry holding citychain_build_info for the given
// citynode version and the standard Go runtime (go_*) and process
// (process_*) collectors.
func NewRegistry(citynodeVersion string) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	promauto.With(reg).NewGauge(prometheus.GaugeOpts{
		Name: "citychain_build_info",
		Help: "Always 1; the labels name the citynode version, the Go version and the go-ethereum version it is built on.",
		ConstLabels: prometheus.Labels{
			"version":      citynodeVersion,
			"goversion":    runtime.Version(),
			"geth_version": fmt.Sprintf("%d.%d.%d", version.Major, version.Minor, version.Patch),
		},
	}).Set(1)
	return reg
}
