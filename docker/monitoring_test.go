package docker

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// TestMonitoringFiles checks the monitoring profile's files, whose upstream
// images cannot run here: promtool accepts the compose Prometheus
// configuration (and its rules), every node of compose.yaml is a target, the
// Grafana datasource points at that Prometheus, and the dashboard provider
// reads the directory compose.yaml mounts the dashboard into.
func TestMonitoringFiles(t *testing.T) {
	if _, err := exec.LookPath("promtool"); err != nil {
		if proctest.UnderCI() {
			t.Fatal("promtool is missing: apt-get install prometheus")
		}
		t.Skip("promtool is missing: apt-get install prometheus")
	}
	if out, err := exec.Command("promtool", "check", "config", "prometheus/compose.yml").CombinedOutput(); err != nil {
		t.Errorf("promtool check config prometheus/compose.yml: %v\n%s", err, out)
	}
	prom := readFile(t, "prometheus/compose.yml")
	for _, s := range allServices {
		if !strings.Contains(prom, s+":6061") {
			t.Errorf("prometheus/compose.yml does not scrape %s", s)
		}
	}
	for _, s := range gateServices {
		if !strings.Contains(prom, s+":6062") {
			t.Errorf("prometheus/compose.yml does not scrape citygate %s (job citygate, port 6062)", s)
		}
	}

	var compose struct {
		Services map[string]struct {
			Image       string         `yaml:"image"`
			Profiles    []string       `yaml:"profiles"`
			Volumes     []string       `yaml:"volumes"`
			Networks    []string       `yaml:"networks"`
			Healthcheck map[string]any `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "compose.yaml")), &compose); err != nil {
		t.Fatal(err)
	}
	for _, s := range append(slices.Clone(allServices), gateServices...) {
		if _, ok := compose.Services[s]; !ok {
			t.Errorf("compose.yaml has no service %s", s)
		}
	}
	// Prometheus reaches the citygates (network front) and the nodes (chain).
	if nets := compose.Services["prometheus"].Networks; !slices.Contains(nets, "front") || !slices.Contains(nets, "chain") {
		t.Errorf("prometheus networks %v: want chain (nodes) and front (citygates)", nets)
	}
	for _, s := range gateServices {
		if test := fmt.Sprint(compose.Services[s].Healthcheck["test"]); !strings.Contains(test, "citygate health") {
			t.Errorf("%s health check %q, want `citygate health`", s, test)
		}
	}
	// The Grafana dashboard has the citygate row, on the job Prometheus scrapes.
	if dash := readFile(t, "grafana/citychain.json"); !strings.Contains(dash, "citygate_upstream_ready_nodes") || !strings.Contains(dash, "citygate_ballot_queue_depth") {
		t.Error("grafana/citychain.json has no citygate panels (ready upstream nodes, ballot queue)")
	}
	grafana := compose.Services["grafana"]
	if len(grafana.Profiles) != 1 || grafana.Profiles[0] != "monitoring" || len(compose.Services["prometheus"].Profiles) != 1 {
		t.Errorf("prometheus and grafana must be in the monitoring profile: %+v", compose.Services)
	}

	var ds struct {
		Datasources []struct {
			Name, Type, URL, UID string
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "grafana/provisioning/datasources/prometheus.yml")), &ds); err != nil {
		t.Fatal(err)
	}
	if len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" || ds.Datasources[0].URL != "http://prometheus:9090" {
		t.Errorf("datasource: have %+v, want the compose Prometheus at http://prometheus:9090", ds.Datasources)
	}
	var dp struct {
		Providers []struct {
			Type    string `yaml:"type"`
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "grafana/provisioning/dashboards/citychain.yml")), &dp); err != nil {
		t.Fatal(err)
	}
	if len(dp.Providers) != 1 || dp.Providers[0].Type != "file" {
		t.Fatalf("dashboard providers: %+v", dp.Providers)
	}
	mounted := false
	for _, v := range grafana.Volumes {
		if strings.HasPrefix(v, "./grafana/citychain.json:"+dp.Providers[0].Options.Path+"/") {
			mounted = true
		}
	}
	if !mounted {
		t.Errorf("grafana volumes %v do not put the dashboard in the provider's path %s", grafana.Volumes, dp.Providers[0].Options.Path)
	}
	var dash map[string]any
	if err := json.Unmarshal([]byte(readFile(t, "grafana/citychain.json")), &dash); err != nil {
		t.Errorf("dashboard JSON: %v", err)
	}
}
