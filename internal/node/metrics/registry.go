package metrics

import (
	"fmt"

	"github.com/ethereum/go-ethereum/version"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
)

// NewRegistry returns a registry holding citychain_build_info for the given
// build and the standard Go runtime (go_*) and process (process_*)
// collectors.
func NewRegistry(build buildinfo.Info) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	commit := build.Commit
	if commit == "" {
		commit = "unknown"
	}
	promauto.With(reg).NewGauge(prometheus.GaugeOpts{
		Name: "citychain_build_info",
		Help: "Always 1; the labels name the citynode version, the VCS commit it was built from and whether its tree had uncommitted changes, the Go version and the go-ethereum version it is built on.",
		ConstLabels: prometheus.Labels{
			"version":      build.Version,
			"commit":       commit,
			"dirty":        build.DirtyLabel(),
			"go_version":   build.GoVersion,
			"geth_version": fmt.Sprintf("%d.%d.%d", version.Major, version.Minor, version.Patch),
		},
	}).Set(1)
	return reg
}
