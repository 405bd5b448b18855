package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// Files that name citygate's metrics.
var metricFiles = []string{"../../docker/prometheus/alerts.yml", "../../docker/prometheus/alerts_test.yml", "../../docker/grafana/citychain.json"}

const gatewayDoc = "../../docs/gateway.md"

var citygateMetric = regexp.MustCompile(`\bcitygate_[a-z0-9_]*[a-z0-9]`)

// checkMetrics reads a gateway's /metrics after the conformance test's
// requests: every citygate_* metric it exports is documented in
// docs/gateway.md, every one the alerts, their tests and the dashboard use
// exists, and promtool's linter (when installed) finds nothing to say.
func checkMetrics(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	exported := map[string]bool{}
	for _, line := range strings.Split(string(page), "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			exported[strings.Fields(name)[0]] = true
		}
	}
	doc, err := os.ReadFile(gatewayDoc)
	if err != nil {
		t.Fatal(err)
	}
	for name := range exported {
		if strings.HasPrefix(name, "citygate_") && !bytes.Contains(doc, []byte("`"+name+"`")) {
			t.Errorf("%s is not documented in docs/gateway.md", name)
		}
	}
	for _, file := range append(metricFiles, gatewayDoc) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range citygateMetric.FindAllString(string(data), -1) {
			base := name
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if trimmed, ok := strings.CutSuffix(name, suffix); ok && exported[trimmed] {
					base = trimmed
				}
			}
			if !exported[base] {
				t.Errorf("%s names %s, which citygate does not export", file, name)
			}
		}
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if proctest.UnderCI() {
			t.Fatal("promtool not found: install it with `apt-get install -y --no-install-recommends prometheus` (.ci/run does)")
		}
		t.Log("promtool not found: metrics not linted")
		return
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}
