package docker

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// helperProbeEnv makes TestHelperFailsItsSubtest run its probe: the test
// binary runs itself with it set.
const helperProbeEnv = "CITYCHAIN_DOCKER_HELPER_PROBE"

// TestHelperFailsItsSubtest: a network helper that fails inside a subtest
// (here n.client and n.ip, on a repository without docker/compose.yaml, so
// that docker-compose fails with or without Docker) ends that subtest and
// reports its error there, and the next subtest runs. A helper that failed
// the parent test instead ended the subtest with "subtest may have called
// FailNow on a parent test" and logged the real error against the parent.
// The probe runs in a child process, since its subtests must fail.
func TestHelperFailsItsSubtest(t *testing.T) {
	if os.Getenv(helperProbeEnv) == "1" {
		helperProbe(t)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestHelperFailsItsSubtest$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), helperProbeEnv+"=1")
	out, err := cmd.CombinedOutput()
	if _, failed := err.(*exec.ExitError); !failed {
		t.Fatalf("the probe's subtests fail, so its process exits 1: have %v\n%s", err, out)
	}
	text := string(out)
	defer func() {
		if t.Failed() {
			t.Logf("the probe's output:\n%s", text)
		}
	}()
	if strings.Contains(text, "FailNow on a parent test") || strings.Contains(text, "panic:") {
		t.Error("a helper failed the parent test from a subtest")
	}
	for _, sub := range []string{"client", "ip"} {
		name := "TestHelperFailsItsSubtest/" + sub
		if !strings.Contains(text, "--- FAIL: "+name+" ") {
			t.Errorf("subtest %s did not fail", sub)
		}
		if log := subtestLog(text, name); !strings.Contains(log, "docker-compose -f docker/compose.yaml") {
			t.Errorf("subtest %s: want the docker-compose error logged under it, have %q", sub, log)
		}
	}
	if !strings.Contains(text, "--- PASS: TestHelperFailsItsSubtest/after ") {
		t.Error("the subtest after the failed ones did not run and pass")
	}
}

// helperProbe runs failing helpers in subtests, then one that passes.
func helperProbe(t *testing.T) {
	n := &network{root: t.TempDir(), project: "cctest-probe", tag: "probe"}
	t.Run("client", func(t *testing.T) {
		n.client(t, "rpc1")
		t.Error("n.client returned after its command failed")
	})
	t.Run("ip", func(t *testing.T) {
		n.ip(t, "rpc1", "chain")
		t.Error("n.ip returned after its command failed")
	})
	t.Run("after", func(*testing.T) {})
}

// subtestLog returns what -test.v output logs under a (sub)test: the lines
// after its "=== RUN" line up to the next "=== " or "--- " line (a log line
// of another test is printed after an "=== NAME" line of its own).
func subtestLog(out, name string) string {
	head := "=== RUN   " + name + "\n"
	i := strings.Index(out, head)
	if i < 0 {
		return ""
	}
	rest := out[i+len(head):]
	for _, next := range []string{"\n=== ", "\n--- ", "\n    --- "} {
		if j := strings.Index(rest, next); j >= 0 {
			rest = rest[:j]
		}
	}
	return rest
}
