package docker

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// shBlocks returns the lines of the ```sh blocks of a markdown file, by the
// name of the `<!-- run: NAME -->` marker before each; unmarked blocks are
// listed in order under "#1", "#2", ... Comment-only and blank lines are
// skipped.
func shBlocks(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blocks := map[string][]string{}
	marker := regexp.MustCompile(`^<!-- run: ([a-z0-9-]+) -->$`)
	var name, pending string
	unnamed := 0
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case !in && marker.MatchString(line):
			pending = marker.FindStringSubmatch(line)[1]
		case !in && line == "```sh":
			in, name = true, pending
			if name == "" {
				unnamed++
				name = fmt.Sprintf("#%d", unnamed)
			}
			pending = ""
		case in && line == "```":
			in = false
		case in && line != "" && !strings.HasPrefix(line, "#"):
			blocks[name] = append(blocks[name], line)
		}
	}
	return blocks
}

// section returns the part of a markdown file from a heading to the next
// heading of the same level, written to a temporary file for shBlocks.
func section(t *testing.T, path, heading string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, heading+"\n")
	if start < 0 {
		t.Fatalf("%s has no %q", path, heading)
	}
	rest := text[start+len(heading):]
	level := strings.SplitN(heading, " ", 2)[0]
	if end := strings.Index(rest, "\n"+level+" "); end >= 0 {
		rest = rest[:end]
	}
	out := filepath.Join(t.TempDir(), "section.md")
	if err := os.WriteFile(out, []byte(rest), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// rehearsalLine adapts a documented command to the network under test: its
// project name, image tags and balancer ports.
func (n *network) rehearsalLine(line string) string {
	r := strings.NewReplacer(
		"-p citychain ", "-p "+n.project+" ",
		"make network-up", "make network-up NETWORK="+n.project+" IMAGE_TAG="+n.tag,
		"make network-down", "make network-down NETWORK="+n.project+" IMAGE_TAG="+n.tag,
		"CITYCHAIN_TAG=next", "CITYCHAIN_TAG="+n.tag+"-next",
		"127.0.0.1:8545", fmt.Sprintf("127.0.0.1:%d", n.rpcPort),
		"127.0.0.1:8700", fmt.Sprintf("127.0.0.1:%d", n.gatePort),
	)
	return r.Replace(line)
}

// runDoc runs documented commands, as printed but for rehearsalLine, with
// bash in the repository root; it returns their combined output.
func (n *network) runDoc(t *testing.T, lines ...string) string {
	t.Helper()
	var all strings.Builder
	for _, line := range lines {
		cmd := exec.Command("bash", "-c", n.rehearsalLine(line))
		cmd.Dir, cmd.Env = n.root, n.env(n.tag)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("documented command %q: %v\n%s", line, err, out)
		}
		all.Write(out)
	}
	return all.String()
}

// docs are the documented rehearsal commands the compose test runs.
type docs struct {
	readme []string            // README "A real network", the compose block
	deploy map[string][]string // docs/deployment.md, by marker
}

func loadDocs(t *testing.T) docs {
	readme := shBlocks(t, section(t, "../README.md", "## A real network"))
	d := docs{readme: readme["#3"], deploy: shBlocks(t, "../docs/deployment.md")}
	if len(d.readme) == 0 || !strings.HasPrefix(d.readme[0], "make network-up") || !strings.HasPrefix(d.readme[len(d.readme)-1], "make network-down") {
		t.Fatalf("README's rehearsal block: have %q, want make network-up ... make network-down", d.readme)
	}
	for _, name := range []string{"up", "health", "gateway", "gateway-stop", "backup", "restore", "upgrade", "signer-restart", "vote", "down"} {
		if len(d.deploy[name]) == 0 {
			t.Fatalf("docs/deployment.md has no `<!-- run: %s -->` block", name)
		}
	}
	return d
}

// TestReadmeCeremony runs the ceremony commands of README's "A real
// network" and of docs/deployment.md as printed, for four departments, each
// with its own root in place of / (/var/lib/citynode and /etc/citynode are
// mapped there); the operators' network.toml is written from the addresses
// the departments printed. `systemctl enable --now citynode` is not run
// (no systemd here): TestSystemdUnit checks the unit and its command line.
func TestReadmeCeremony(t *testing.T) {
	dir := t.TempDir()
	bins := filepath.Join(dir, "bin")
	for _, name := range []string{"citynode", "cityctl"} {
		path, cleanup, err := proctest.Build("../cmd/"+name, name)
		if err != nil {
			t.Fatal(err)
		}
		defer cleanup()
		proctest.CopyFile(t, path, filepath.Join(bins, name), 0o755)
	}
	readme := shBlocks(t, section(t, "../README.md", "## A real network"))
	deploy := shBlocks(t, section(t, "../docs/deployment.md", "## The genesis ceremony"))
	if len(readme["#1"]) != 1 || len(readme["#2"]) != 3 || len(deploy["#1"]) != 2 || len(deploy["#2"]) != 1 || len(deploy["#3"]) != 2 {
		t.Fatalf("ceremony blocks changed shape: README %q, deployment %q", readme, deploy)
	}
	run := func(root, work, line string) string {
		t.Helper()
		mapped := strings.NewReplacer("/var/lib/citynode", filepath.Join(root, "var/lib/citynode"), "/etc/citynode", filepath.Join(root, "etc/citynode")).Replace(line)
		cmd := exec.Command("bash", "-c", mapped)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "PATH="+bins+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("documented command %q: %v\n%s", line, err, out)
		}
		return string(out)
	}
	// 1. Each department makes its key on its own host.
	depts := []string{"LAND", "TAX", "TRANSPORT", "PARKS"}
	var toml strings.Builder
	toml.WriteString("chain_id = 4691\nperiod = 1\n[registry]\nadmin = \"0xa0c82d4ac07fd496615a5acfcbf3d4c62ea991a9\"\n")
	roots, enodes := map[string]string{}, map[string]string{}
	for _, d := range depts {
		root := filepath.Join(dir, strings.ToLower(d))
		roots[d] = root
		copyPassword(t, filepath.Join(root, "etc/citynode/password"))
		out := run(root, dir, readme["#1"][0])
		addr := regexp.MustCompile(`Address: (0x[0-9a-fA-F]{40})`).FindStringSubmatch(out)
		if addr == nil {
			t.Fatalf("account new printed no address:\n%s", out)
		}
		fmt.Fprintf(&toml, "[[department]]\ncode = %q\nname = %q\nsigner = %q\n", d, d, addr[1])
		enodes[d] = documentedEnode(t, run(root, dir, deploy["#1"][1]))
	}
	// 2. The operators write network.toml and make the genesis; each
	// department verifies it and initialises its node.
	work := filepath.Join(dir, "ops")
	os.MkdirAll(work, 0o755)
	if err := os.WriteFile(filepath.Join(work, "network.toml"), []byte(toml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, line := range readme["#2"] {
		root := roots[depts[0]]
		if i == 2 { // init: on every department's host
			for _, d := range depts {
				if out := run(roots[d], work, line); !strings.Contains(out, "Initialised") {
					t.Errorf("%s: %s", line, out)
				}
			}
			continue
		}
		out := run(root, work, line)
		if i == 0 && !strings.Contains(out, "Signers:   4") {
			t.Errorf("genesis new summary: %s", out)
		}
		if i == 1 && !strings.Contains(out, "is exactly the genesis") {
			t.Errorf("genesis verify: %s", out)
		}
	}
	// init keeps the node key `citynode enode` made: the enode each
	// department sent is still its node's.
	for _, d := range depts {
		again := documentedEnode(t, run(roots[d], dir, deploy["#1"][1]))
		if again != enodes[d] {
			t.Errorf("%s: the enode changed after init: %s, then %s", d, enodes[d], again)
		}
	}
	// docs/deployment.md's ceremony, in a second operators' directory, with
	// verify against a node started from one department's data dir.
	work2 := filepath.Join(dir, "ops2")
	os.MkdirAll(work2, 0o755)
	proctest.CopyFile(t, filepath.Join(work, "network.toml"), filepath.Join(work2, "network.toml"), 0o644)
	run(roots["LAND"], work2, deploy["#2"][0])
	run(roots["LAND"], work2, deploy["#3"][0])
	port := freeport.T(t)
	node := exec.Command(filepath.Join(bins, "citynode"), "--mode", "rpc", "--datadir", filepath.Join(roots["TAX"], "var/lib/citynode"), "--p2p.addr", "", "--http", "--http.port", fmt.Sprint(port))
	if err := node.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { node.Process.Kill(); node.Wait() }()
	verify := strings.Replace(deploy["#3"][1], "127.0.0.1:8545", fmt.Sprintf("127.0.0.1:%d", port), 1)
	var out string
	proctest.WaitFor(t, 30*time.Second, "genesis verify --rpc against the node", func() bool {
		cmd := exec.Command("bash", "-c", verify)
		cmd.Dir, cmd.Env = work2, append(os.Environ(), "PATH="+bins+":"+os.Getenv("PATH"))
		o, err := cmd.CombinedOutput()
		out = string(o)
		return err == nil
	})
	if !strings.Contains(out, "runs this genesis") {
		t.Errorf("genesis verify --rpc: %s", out)
	}
}

// documentedEnode reads the enode URL `citynode enode` printed.
func documentedEnode(t *testing.T, out string) string {
	t.Helper()
	m := regexp.MustCompile(`Enode: +(enode://[0-9a-f]{128}@10\.0\.0\.9:30303)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("citynode enode printed no enode at 10.0.0.9:30303:\n%s", out)
	}
	return m[1]
}

// TestReadmeConvert runs README's inline conversion command on a geth 1.13
// style genesis (the one of internal/node/chainio's geth 1.13.15 chain, without
// its terminalTotalDifficulty).
func TestReadmeConvert(t *testing.T) {
	const command = "cityctl genesis convert --out genesis.json geth-genesis.json"
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), "`"+command+"`") {
		t.Fatalf("README no longer shows `%s`", command)
	}
	bin, cleanup, err := proctest.Build("../cmd/cityctl", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	dir := t.TempDir()
	geth := regexp.MustCompile(`(?m)^\s*"terminalTotalDifficulty": \d+,\n`).ReplaceAll([]byte(readFile(t, "../internal/node/chainio/testdata/geth113-clique.genesis.json")), nil)
	if strings.Contains(string(geth), "terminalTotalDifficulty") {
		t.Fatal("could not remove the TTD from the test genesis")
	}
	if err := os.WriteFile(filepath.Join(dir, "geth-genesis.json"), geth, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-c", strings.Replace(command, "cityctl", bin, 1))
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "genesis hash unchanged") {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
	if !strings.Contains(readFile(t, filepath.Join(dir, "genesis.json")), "terminalTotalDifficulty") {
		t.Error("converted genesis has no terminalTotalDifficulty")
	}
}

func copyPassword(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("department password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}
