package anchor

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

const (
	alertsFile     = "../../../docker/prometheus/anchor-alerts.yml"
	alertTestsFile = "../../../docker/prometheus/anchor-alerts_test.yml"
)

// TestAlertRules checks the follower's alert rules and runs their unit
// tests with promtool (CI must have it), and checks that they use only
// metrics the follower exports.
func TestAlertRules(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, 4242)
	span := &Span{From: 1, Head: 5, Status: &Status{}, Headers: nil}
	m.observe(span)
	m.posted(span)
	m.conflict()
	m.refused()
	m.failed()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, f := range families {
		have[f.GetName()] = true
	}
	for _, file := range []string{alertsFile, alertTestsFile} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range regexp.MustCompile(`\bcitychain_[a-z0-9_]*[a-z0-9]`).FindAllString(string(data), -1) {
			if !have[name] {
				t.Errorf("%s uses %s, which the follower does not export", file, name)
			}
		}
	}
	promtool := proctest.Tool(t, "promtool", "apt-get install -y --no-install-recommends prometheus")
	for _, args := range [][]string{{"check", "rules", alertsFile}, {"test", "rules", alertTestsFile}} {
		if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
