package metrics_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/node/metrics"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

const (
	alertsFile     = "../../../docker/prometheus/alerts.yml"
	alertTestsFile = "../../../docker/prometheus/alerts_test.yml"
	promConfigFile = "../../../docker/prometheus/prometheus.yml"
	dashboardFile  = "../../../docker/grafana/citychain.json"
	operationsDoc  = "../../../docs/operations.md"
)

// TestAlertRules checks the alert rules and runs their unit tests with
// promtool (Debian package prometheus). CI (CI set to any value) must have
// it; elsewhere the test is skipped with the reason.
func TestAlertRules(t *testing.T) {
	promtool := proctest.Tool(t, "promtool", "apt-get install -y --no-install-recommends prometheus")
	for _, args := range [][]string{
		{"check", "rules", alertsFile},
		{"test", "rules", alertTestsFile},
		{"check", "config", promConfigFile},
	} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestDashboard checks that the Grafana dashboard is valid JSON with a query
// in every panel.
func TestDashboard(t *testing.T) {
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Panels []struct {
			Type    string `json:"type"`
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	if dash.UID == "" || len(dash.Panels) == 0 {
		t.Fatalf("%s: have uid %q and %d panels, want a uid and panels", dashboardFile, dash.UID, len(dash.Panels))
	}
	for _, p := range dash.Panels {
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			if strings.TrimSpace(target.Expr) == "" {
				t.Errorf("panel %q has an empty query", p.Title)
			}
		}
	}
}

var metricName = regexp.MustCompile(`\b(?:citychain|go|process)_[a-z0-9_]*[a-z0-9]`)

// checkNames checks, against a sample of a node that has seen every event
// the names depend on, that the alert rules and the dashboard use only
// metrics that exist, and that docs/operations.md documents each citychain
// metric the node has.
func checkNames(t *testing.T, s metrics.Sample) {
	t.Helper()
	for _, file := range []string{alertsFile, alertTestsFile, dashboardFile} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range metricName.FindAllString(string(data), -1) {
			base := name
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if trimmed, ok := strings.CutSuffix(name, suffix); ok && s[trimmed] != nil {
					base = trimmed
				}
			}
			if s[base] == nil {
				t.Errorf("%s uses %s, which the node does not export", filepath.Base(file), name)
			}
		}
	}
	doc, err := os.ReadFile(operationsDoc)
	if err != nil {
		t.Fatal(err)
	}
	for name := range s {
		if strings.HasPrefix(name, "citychain_") && !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("%s is not documented in docs/operations.md", name)
		}
	}
}
