package docker

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

const (
	period  = 4 * time.Second // docker/ceremony/network.toml
	signers = 4
)

var signerServices = []string{"signer-land", "signer-tax", "signer-transport", "signer-parks"}

// allServices are the node services of docker/compose.yaml.
var allServices = append(slices.Clone(signerServices), "rpc1", "rpc2", "auditor")

// gateServices are its citygates, behind the balancer's gateway front.
var gateServices = []string{"citygate1", "citygate2"}

// requireDocker skips without a container engine, and fails under CI=true:
// .ci/run installs docker.io and docker-compose and starts dockerd.
func requireDocker(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range []string{"docker", "docker-compose", "make"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if _, err := os.Stat("/usr/sbin/haproxy"); err != nil {
		missing = append(missing, "haproxy (/usr/sbin/haproxy, for the balancer image)")
	}
	if len(missing) == 0 {
		if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
			missing = append(missing, fmt.Sprintf("a running Docker engine (docker info: %v: %s)", err, strings.TrimSpace(string(out))))
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("the compose tests need %s: apt-get install docker.io docker-compose haproxy, then start dockerd", strings.Join(missing, ", "))
	if proctest.UnderCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// network is a compose network under test, under a project name of its own.
// It holds no *testing.T: every helper that can fail takes the t of the test
// or subtest that calls it, so that a failure inside a subtest ends that
// subtest and is reported against it.
type network struct {
	root     string // repository root
	project  string
	tag      string
	rpcPort  int
	gatePort int
}

func newNetwork(t *testing.T) *network {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	suffix := make([]byte, 4)
	rand.Read(suffix)
	id := hex.EncodeToString(suffix)
	return &network{root: root, project: "cctest" + id, tag: "test-" + id, rpcPort: freeport.T(t), gatePort: freeport.T(t)}
}

// env is the environment of make and docker-compose for this network.
func (n *network) env(tag string) []string {
	return append(os.Environ(), "CITYCHAIN_TAG="+tag, fmt.Sprintf("CITYCHAIN_RPC_PORT=%d", n.rpcPort), fmt.Sprintf("CITYCHAIN_GATE_PORT=%d", n.gatePort))
}

// run runs a command in the repository root and returns its output.
func (n *network) run(env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = n.root, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// must runs a command like run and fails t if it fails.
func (n *network) must(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	out, err := n.run(env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// compose runs docker-compose on the network with the given image tag.
func (n *network) compose(t *testing.T, tag string, args ...string) string {
	t.Helper()
	return n.must(t, n.env(tag), "docker-compose", append([]string{"-f", "docker/compose.yaml", "-p", n.project}, args...)...)
}

// container returns the container ID of a service.
func (n *network) container(t *testing.T, service string) string {
	t.Helper()
	id := strings.TrimSpace(n.compose(t, n.tag, "ps", "-q", service))
	if id == "" {
		t.Fatalf("service %s has no container", service)
	}
	return id
}

// ip returns a service's address on one of the compose networks.
func (n *network) ip(t *testing.T, service, netName string) string {
	t.Helper()
	format := fmt.Sprintf(`{{with index .NetworkSettings.Networks %q}}{{.IPAddress}}{{end}}`, n.project+"_"+netName)
	ip := strings.TrimSpace(n.must(t, nil, "docker", "inspect", "-f", format, n.container(t, service)))
	if net.ParseIP(ip) == nil {
		t.Fatalf("service %s has no address on network %s (have %q)", service, netName, ip)
	}
	return ip
}

// client dials a node's JSON-RPC on the chain network.
func (n *network) client(t *testing.T, service string) *ethclient.Client {
	t.Helper()
	c, err := ethclient.Dial("http://" + n.ip(t, service, "chain") + ":8545")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// probe runs the image's health check inside a service's container:
// `citynode health` on its readiness endpoint.
func (n *network) probe(t *testing.T, service string) (bool, string) {
	out, err := n.run(nil, "docker", "exec", n.container(t, service), "citynode", "health")
	return err == nil, out
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	proctest.WaitFor(t, timeout, what, cond)
}

// headOf returns a node's head number, or 0 if it does not answer.
func headOf(c *ethclient.Client) uint64 {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	n, err := c.BlockNumber(ctx)
	if err != nil {
		return 0
	}
	return n
}

// TestComposeNetwork brings the compose network up from nothing with `make
// network-up`, checks it and rehearses failures and a rolling upgrade on it,
// then takes it down with `make network-down`. The subtests run in order on
// one network.
func TestComposeNetwork(t *testing.T) {
	requireDocker(t)
	d := loadDocs(t)
	n := newNetwork(t)
	started := time.Now()
	t.Cleanup(func() {
		// A failed subtest printed the logs as they were then (step); this
		// covers a failure of the test itself while the network is up.
		if t.Failed() {
			n.dumpLogs(t, "the test failed")
		}
		n.run(n.env(n.tag), "make", "network-down", "NETWORK="+n.project, "IMAGE_TAG="+n.tag)
		n.run(nil, "docker", "rmi", "citychain:"+n.tag, "citychain:"+n.tag+"-next", "citychain-haproxy:"+n.tag)
		t.Logf("compose test: %s from make network-up to the end", time.Since(started).Round(time.Second))
	})

	up := time.Now()
	genesis := ceremonyVerdict(t, n.runDoc(t, d.readme[0]), "made a new network") // make network-up
	t.Logf("make network-up: %s", time.Since(up).Round(time.Second))
	rpc2 := n.client(t, "rpc2")
	waitFor(t, 2*time.Minute, "block 8 on rpc2", func() bool { return headOf(rpc2) >= 8 })
	t.Logf("block 8 after %s", time.Since(up).Round(time.Second))
	waitFor(t, time.Minute, "rpc1 ready", func() bool { ok, _ := n.probe(t, "rpc1"); return ok })
	// The rest of README's rehearsal block, then deployment.md's.
	out := n.runDoc(t, d.readme[1:len(d.readme)-1]...)
	for _, want := range []string{"Up (healthy)", `"result":["0x`, `"status":"UP"`} {
		if !strings.Contains(out, want) {
			t.Errorf("README's rehearsal commands: output lacks %s:\n%s", want, out)
		}
	}
	// deployment.md's block runs make network-up again, on the running
	// network: the ceremony reuses what it made and says so.
	if again := ceremonyVerdict(t, n.runDoc(t, d.deploy["up"]...), "reused the network an earlier run made"); again != genesis {
		t.Errorf("the second make network-up: genesis %s, want the first one's, %s", again, genesis)
	}
	if out := n.runDoc(t, d.deploy["health"]...); !strings.Contains(out, `"status":"UP"`) {
		t.Errorf("deployment.md health: %s", out)
	}

	n.step(t, "image", func(t *testing.T) { checkImage(t, n) })
	n.step(t, "rpc nodes run the join driver", func(t *testing.T) { checkJoinDriver(t, n) })
	n.step(t, "signers seal in turn", func(t *testing.T) { checkTurns(t, n, rpc2) })
	n.step(t, "reads through the balancer", func(t *testing.T) { checkBalancer(t, n) })
	n.step(t, "citygates behind the balancer", func(t *testing.T) { checkGateways(t, n, d) })
	n.step(t, "prometheus scrapes every node", func(t *testing.T) { checkPrometheus(t, n) })
	n.step(t, "rpc node stopped", func(t *testing.T) { rpcNodeStopped(t, n) })
	n.step(t, "rpc node cut off", func(t *testing.T) { rpcNodeCutOff(t, n) })
	n.step(t, "votes on the control listener only", func(t *testing.T) { checkVotes(t, n, d) })
	n.step(t, "signer killed and restarted", func(t *testing.T) { signerKilled(t, n, d, rpc2) })
	n.step(t, "rolling upgrade", func(t *testing.T) { rollingUpgrade(t, n, d, rpc2) })
	n.step(t, "backup and restore", func(t *testing.T) { backupRestore(t, n, d) })
	n.step(t, "network-down leaves nothing", func(t *testing.T) { networkDown(t, n, d) })
}

// ceremonyVerdict returns the genesis hash of the ceremony's verdict that
// make network-up prints last ("Ceremony: WANT, genesis 0x..."), and fails
// t if the output has no such line.
func ceremonyVerdict(t *testing.T, out, want string) string {
	t.Helper()
	m := regexp.MustCompile(`Ceremony: ` + regexp.QuoteMeta(want) + `, genesis (0x[0-9a-f]{64})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("make network-up printed no \"Ceremony: %s, genesis 0x...\":\n%s", want, out)
	}
	return m[1]
}

// step runs a subtest and, if it failed, prints the network's logs at once:
// the later subtests replace containers (rolling upgrade, restarts) and the
// last one takes the network down, so the logs of a failure are gone by the
// time the test's cleanup runs.
func (n *network) step(t *testing.T, name string, check func(t *testing.T)) {
	t.Helper()
	if !t.Run(name, check) {
		n.dumpLogs(t, "subtest "+name+" failed")
	}
}

// logTail is how many of each service's last log lines a failure prints.
const logTail = 150

// dumpLogs prints the last logTail lines of every service of the network,
// the exited ceremony and the monitoring profile included, with Docker's
// timestamps; or says that no container is left to read.
func (n *network) dumpLogs(t *testing.T, why string) {
	t.Helper()
	args := []string{"-f", "docker/compose.yaml", "-p", n.project, "--profile", "monitoring"}
	ids, err := n.run(n.env(n.tag), "docker-compose", append(args, "ps", "-a", "-q")...)
	if err != nil {
		t.Logf("%s: docker-compose ps: %v\n%s", why, err, ids)
		return
	}
	if strings.TrimSpace(ids) == "" {
		t.Logf("%s: no container of project %s is left to print the logs of (a failed subtest printed them when it failed)", why, n.project)
		return
	}
	out, err := n.run(n.env(n.tag), "docker-compose", append(args, "logs", "--no-color", "--timestamps", "--tail", fmt.Sprint(logTail))...)
	if err != nil {
		t.Logf("%s: docker-compose logs: %v", why, err)
	}
	t.Logf("%s: the last %d log lines of each service of %s:\n%s", why, logTail, n.project, out)
}

// checkImage: the image runs as the unprivileged user, has a health check,
// carries the version and commit labels and holds no key.
// checkJoinDriver: the rpc nodes run the join driver, the default
// (--sync.pivot finalized, ADR 084 amendment 6). They start with the
// signers, on a chain shorter than follow.SnapMinTarget, which the driver
// leaves to be followed block by block; a node added later joins by it.
func checkJoinDriver(t *testing.T, n *network) {
	for _, s := range []string{"rpc1", "rpc2"} {
		if out := n.compose(t, n.tag, "logs", "--no-color", s); !strings.Contains(out, "Joining by the join driver") {
			t.Errorf("%s does not run the join driver (no \"Joining by the join driver\" in its log):\n%s", s, out)
		}
	}
}

func checkImage(t *testing.T, n *network) {
	format := `{{.Config.User}}|{{json .Config.Healthcheck.Test}}|{{index .Config.Labels "org.opencontainers.image.version"}}|{{index .Config.Labels "org.opencontainers.image.revision"}}`
	out := strings.TrimSpace(n.must(t, nil, "docker", "image", "inspect", "-f", format, "citychain:"+n.tag))
	parts := strings.Split(out, "|")
	commit := strings.TrimSpace(n.must(t, nil, "git", "rev-parse", "HEAD"))
	if len(parts) != 4 || parts[0] != "10001:10001" || !strings.Contains(parts[1], "citynode") || parts[2] == "" || parts[3] != commit {
		t.Errorf("image config: have %q, want user 10001:10001, a citynode health check, a version and revision %s", out, commit)
	}
	size := strings.TrimSpace(n.must(t, nil, "docker", "image", "inspect", "-f", "{{.Size}}", "citychain:"+n.tag))
	t.Logf("image citychain:%s: %s bytes", n.tag, size)
	if out := n.must(t, nil, "docker", "run", "--rm", "--entrypoint", "/usr/local/bin/cityctl", "citychain:"+n.tag, "--version"); !strings.Contains(out, "cityctl") {
		t.Errorf("cityctl --version in the image: %s", out)
	}
	// The binaries know the commit the image's label names.
	if out := n.must(t, nil, "docker", "run", "--rm", "citychain:"+n.tag, "version"); !strings.Contains(out, commit[:8]) {
		t.Errorf("citynode version in the image lacks commit %s:\n%s", commit[:8], out)
	}
	if out := n.must(t, nil, "docker", "run", "--rm", "--entrypoint", "/usr/local/bin/citygate", "citychain:"+n.tag, "version"); !strings.Contains(out, commit[:8]) {
		t.Errorf("citygate version in the image lacks commit %s:\n%s", commit[:8], out)
	}
	for _, service := range append(slices.Clone(allServices), gateServices...) {
		state := strings.TrimSpace(n.must(t, nil, "docker", "inspect", "-f", "{{.State.Health.Status}}", n.container(t, service)))
		if state != "healthy" && state != "starting" {
			t.Errorf("%s health: have %s, want healthy", service, state)
		}
	}
	checkImageBinaries(t, n)
}

// removeContainer removes a container made by docker create with its
// anonymous volumes (the image's VOLUME /data and /backup), and checks that
// they are gone: a plain docker rm left one volume behind at every run.
func removeContainer(t *testing.T, n *network, id string) {
	t.Helper()
	vols := strings.Fields(n.must(t, nil, "docker", "inspect", "-f", `{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}`, id))
	n.must(t, nil, "docker", "rm", "-v", id)
	for _, v := range vols {
		if _, err := n.run(nil, "docker", "volume", "inspect", v); err == nil {
			t.Errorf("volume %s of container %s is left after removing it", v, id)
		}
	}
}

// checkImageBinaries copies the binaries out of the image and checks them with
// scripts/checkbin: static, with cgo and go-ethereum's libsecp256k1 recovery
// (ADR 092; a CGO_ENABLED=0 image recovers senders 3.4x slower).
func checkImageBinaries(t *testing.T, n *network) {
	id := strings.TrimSpace(n.must(t, nil, "docker", "create", "citychain:"+n.tag))
	defer removeContainer(t, n, id)
	dir := t.TempDir()
	var bins []string
	for _, b := range []string{"citynode", "cityctl", "citygate"} {
		n.must(t, nil, "docker", "cp", id+":/usr/local/bin/"+b, filepath.Join(dir, b))
		bins = append(bins, filepath.Join(dir, b))
	}
	out, err := n.run(nil, "go", append([]string{"run", "./scripts/checkbin"}, bins...)...)
	if err != nil {
		t.Errorf("the image's binaries are not built as scripts/build-static.sh builds them: %v\n%s", err, out)
	}
}

// checkTurns: every signer seals, and on a healthy network each block is
// sealed in turn (difficulty 2): at least 7 of 8 blocks sealed once the
// network is formed and in rotation.
//
// The blocks just below the head when this runs are blocks of the network's
// first minute, where a slot can go out of turn with no signer late in its
// turn: the signers come up seconds apart (each decrypts its key first; the
// last signer's peer-to-peer server started 1.7 to 18 s after the first in
// the runs behind this comment, in two of them 1.1 and 1.5 s after its own
// first slot), and a slot that comes before its signer is up is sealed by
// another. Under EIP-225 one such block makes more: its sealer may not seal
// the next floor(N/2) blocks, and with 4 signers in rotation that sealer is
// the next block's in-turn signer (the other two being barred as the last two
// sealers), so that block goes out of turn too, and each further one about
// half the time (whichever of two signers' random delay ends first), until
// the rotation happens to be restored. CI's two failures here, 3 and 6 of the
// 8 blocks below a head of 11 and 10 out of turn, fit one miss in the first
// blocks.
//
// So the blocks measured are sealed after every signer has its peers and after
// floor(N/2) consecutive blocks in turn, from which every in-turn signer is
// free to seal: an out-of-turn block there is a signer late or absent in its
// own turn.
func checkTurns(t *testing.T, n *network, c *ethclient.Client) {
	waitFormed(t, n)
	formed := headOf(c)
	from := inRotation(t, c, formed) + 1
	to := from + 7
	waitFor(t, 2*8*period, fmt.Sprintf("block %d", to), func() bool { return headOf(c) >= to })
	t.Logf("network formed at block %d, in rotation from block %d: measuring blocks %d..%d", formed, from-1, from, to)
	blocks := sealers(t, c, from, to)
	seen := map[common.Address]int{}
	inTurn := 0
	for _, b := range blocks {
		seen[b.signer]++
		if b.difficulty == 2 {
			inTurn++
		}
	}
	if len(seen) != signers {
		t.Errorf("blocks %d..%d sealed by %d signers (%v), want all %d", from, to, len(seen), seen, signers)
	}
	if inTurn < 7 {
		t.Errorf("blocks %d..%d: %d of 8 in turn, want at least 7", from, to, inTurn)
	}
	if t.Failed() {
		logSealers(t, n, c, blocks)
	}
}

// waitFormed waits until every signer is connected to every other node.
func waitFormed(t *testing.T, n *network) {
	t.Helper()
	clients := map[string]*ethclient.Client{}
	for _, s := range signerServices {
		clients[s] = n.client(t, s)
	}
	want := len(allServices) - 1
	have := map[string]int{}
	defer func() {
		if t.Failed() {
			t.Logf("peers of each signer when the wait ended: %v", have)
		}
	}()
	waitFor(t, 2*time.Minute, fmt.Sprintf("every signer connected to the other %d nodes", want), func() bool {
		for s, c := range clients {
			var peers hexutil.Uint
			if err := c.Client().CallContext(t.Context(), &peers, "net_peerCount"); err == nil {
				have[s] = int(peers)
			}
		}
		for _, s := range signerServices {
			if have[s] < want {
				return false
			}
		}
		return true
	})
}

// inRotation returns the first block at or after block after such that it
// and the floor(N/2)-1 blocks before it were sealed in turn, waiting for it:
// the signers barred by EIP-225's recent-signer rule for the next block are
// then exactly the two before it in the rotation, never the one in turn.
func inRotation(t *testing.T, c *ethclient.Client, after uint64) uint64 {
	t.Helper()
	need := uint64(signers / 2)
	next, run := after+1-need, uint64(0)
	waitFor(t, 16*period, fmt.Sprintf("%d consecutive blocks in turn from block %d", need, after+1-need), func() bool {
		for ; next <= headOf(c); next++ {
			h, err := c.HeaderByNumber(t.Context(), new(big.Int).SetUint64(next))
			if err != nil {
				return false
			}
			run++
			if h.Difficulty.Uint64() != 2 {
				run = 0
			}
			if run == need {
				return true
			}
		}
		return false
	})
	return next
}

// sealed is a block's number, time, sealer and difficulty.
type sealed struct {
	number, time, difficulty uint64
	signer                   common.Address
}

// sealers reads blocks from..to and who sealed each.
func sealers(t *testing.T, c *ethclient.Client, from, to uint64) []sealed {
	t.Helper()
	ctx := context.Background()
	var out []sealed
	for num := from; num <= to; num++ {
		h, err := c.HeaderByNumber(ctx, new(big.Int).SetUint64(num))
		if err != nil {
			t.Fatal(err)
		}
		var signer common.Address
		if err := c.Client().CallContext(ctx, &signer, "clique_getSigner", h.Hash()); err != nil {
			t.Fatal(err)
		}
		out = append(out, sealed{number: num, time: h.Time, difficulty: h.Difficulty.Uint64(), signer: signer})
	}
	return out
}

// logSealers prints, for a failure, each block's time, its sealer and the
// signer whose turn it was (the signer set in address order, EIP-225), by
// service where the signer's node answers, to find in the logs. It reads the
// set from c and asks each signer's node without failing the test: a signer
// may be down.
func logSealers(t *testing.T, n *network, c *ethclient.Client, blocks []sealed) {
	t.Helper()
	var addrs []common.Address
	if err := c.Client().CallContext(t.Context(), &addrs, "clique_getSigners", "latest"); err != nil || len(addrs) == 0 {
		t.Logf("clique_getSigners: %v", err)
		return
	}
	slices.SortFunc(addrs, func(a, b common.Address) int { return a.Cmp(b) })
	names := n.signerNames(t)
	name := func(a common.Address) string {
		if s, ok := names[a]; ok {
			return s
		}
		return a.Hex()
	}
	for _, b := range blocks {
		t.Logf("block %d at %s: sealed by %s, difficulty %d, in turn: %s", b.number,
			time.Unix(int64(b.time), 0).UTC().Format(time.TimeOnly), name(b.signer), b.difficulty, name(addrs[b.number%uint64(len(addrs))]))
	}
}

// signerNames maps the signing accounts to their services, for the signers
// whose node answers city_sealer; it never fails the test.
func (n *network) signerNames(t *testing.T) map[common.Address]string {
	names := map[common.Address]string{}
	format := fmt.Sprintf(`{{with index .NetworkSettings.Networks %q}}{{.IPAddress}}{{end}}`, n.project+"_chain")
	for _, s := range signerServices {
		id, err := n.run(n.env(n.tag), "docker-compose", "-f", "docker/compose.yaml", "-p", n.project, "ps", "-q", s)
		if err != nil || strings.TrimSpace(id) == "" {
			continue
		}
		ip, err := n.run(nil, "docker", "inspect", "-f", format, strings.TrimSpace(id))
		if err != nil || net.ParseIP(strings.TrimSpace(ip)) == nil {
			continue
		}
		c, err := rpc.Dial("http://" + strings.TrimSpace(ip) + ":8545")
		if err != nil {
			continue
		}
		var res struct {
			Signer common.Address `json:"signer"`
		}
		if c.CallContext(t.Context(), &res, "city_sealer") == nil {
			names[res.Signer] = s
		}
		c.Close()
	}
	return names
}

// stats reads HAProxy's state of the rpc nodes: server -> (status, total
// sessions).
func (n *network) stats(t *testing.T) map[string][2]string {
	t.Helper()
	return n.backendStats(t, "rpc_nodes")
}

// backendStats reads HAProxy's state of one backend's servers: server ->
// (status, total sessions).
func (n *network) backendStats(t *testing.T, backend string) map[string][2]string {
	t.Helper()
	resp, err := http.Get("http://" + n.ip(t, "balancer", "front") + ":8404/stats;csv")
	if err != nil {
		t.Fatalf("HAProxy stats: %v", err)
	}
	defer resp.Body.Close()
	r := csv.NewReader(resp.Body)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("HAProxy stats: %v (%d rows)", err, len(rows))
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	rows[0][0] = strings.TrimPrefix(rows[0][0], "# ")
	out := map[string][2]string{}
	for _, row := range rows[1:] {
		if row[col("pxname")] == backend && row[col("svname")] != "BACKEND" {
			out[row[col("svname")]] = [2]string{row[col("status")], row[col("stot")]}
		}
	}
	return out
}

// isDown reports whether HAProxy routes nothing to a server: DOWN after
// failed checks, or MAINT (resolution) once its name no longer resolves (a
// stopped container leaves Docker's DNS).
func isDown(status string) bool {
	return strings.HasPrefix(status, "DOWN") || strings.HasPrefix(status, "MAINT")
}

// reader sends reads through the balancer until stopped, each retried once
// on failure, and counts the reads that failed twice.
type reader struct {
	sent, retried, failed atomic.Int64
	stop                  chan struct{}
	done                  sync.WaitGroup
	lastErr               atomic.Value
}

func startReader(t *testing.T, url string) *reader {
	r := &reader{stop: make(chan struct{})}
	c, err := rpc.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	r.done.Add(1)
	go func() {
		defer r.done.Done()
		defer c.Close()
		for {
			select {
			case <-r.stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			r.sent.Add(1)
			if readOnce(c) == nil {
				continue
			}
			r.retried.Add(1)
			if err := readOnce(c); err != nil {
				r.failed.Add(1)
				r.lastErr.Store(err.Error())
			}
		}
	}()
	return r
}

func readOnce(c *rpc.Client) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var num string
	return c.CallContext(ctx, &num, "eth_blockNumber")
}

func (r *reader) finish(t *testing.T) {
	close(r.stop)
	r.done.Wait()
	t.Logf("reads through the balancer: %d sent, %d retried once, %d failed after the retry", r.sent.Load(), r.retried.Load(), r.failed.Load())
	if r.failed.Load() > 0 {
		t.Errorf("%d reads failed after one retry (last: %v)", r.failed.Load(), r.lastErr.Load())
	}
	if r.sent.Load() < 20 {
		t.Errorf("only %d reads sent", r.sent.Load())
	}
}

// checkBalancer: reads through the published port succeed and both rpc
// nodes serve them.
func checkBalancer(t *testing.T, n *network) {
	url := fmt.Sprintf("http://127.0.0.1:%d", n.rpcPort)
	waitFor(t, 30*time.Second, "both rpc nodes UP in HAProxy", func() bool {
		s := n.stats(t)
		return s["rpc1"][0] == "UP" && s["rpc2"][0] == "UP"
	})
	before := n.stats(t)
	c, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < 40; i++ {
		if _, err := c.BlockNumber(context.Background()); err != nil {
			t.Fatalf("read %d through the balancer: %v", i, err)
		}
	}
	id, err := c.ChainID(context.Background())
	if err != nil || id.Uint64() != 4690 {
		t.Errorf("chain id through the balancer: have %v, %v; want 4690", id, err)
	}
	after := n.stats(t)
	for _, s := range []string{"rpc1", "rpc2"} {
		if after[s][1] == before[s][1] {
			t.Errorf("%s served none of the reads (sessions %s)", s, after[s][1])
		}
	}
}

// rpcNodeStopped: with rpc1 stopped the balancer takes it out and no read
// fails beyond one retry; it comes back when started.
func rpcNodeStopped(t *testing.T, n *network) {
	r := startReader(t, fmt.Sprintf("http://127.0.0.1:%d", n.rpcPort))
	time.Sleep(time.Second)
	n.compose(t, n.tag, "stop", "rpc1")
	waitFor(t, 20*time.Second, "HAProxy to mark rpc1 DOWN", func() bool { return isDown(n.stats(t)["rpc1"][0]) })
	down := n.stats(t)["rpc1"][1]
	time.Sleep(3 * time.Second)
	if have := n.stats(t)["rpc1"][1]; have != down {
		t.Errorf("rpc1 got sessions while DOWN: %s -> %s", down, have)
	}
	n.compose(t, n.tag, "start", "rpc1")
	waitFor(t, 90*time.Second, "rpc1 UP again in HAProxy", func() bool { return n.stats(t)["rpc1"][0] == "UP" })
	time.Sleep(2 * time.Second)
	r.finish(t)
}

// rpcNodeCutOff: rpc1 cut off from its peers (docker network disconnect)
// stops being ready (503 with the reason), the balancer sends it nothing,
// and it is ready and back once reconnected.
func rpcNodeCutOff(t *testing.T, n *network) {
	r := startReader(t, fmt.Sprintf("http://127.0.0.1:%d", n.rpcPort))
	chainNet := n.project + "_chain"
	id := n.container(t, "rpc1")
	if ok, out := n.probe(t, "rpc1"); !ok {
		t.Fatalf("rpc1 not ready before the cut: %s", out)
	}
	n.must(t, nil, "docker", "network", "disconnect", chainNet, id)
	cut := time.Now()
	var body string
	waitFor(t, 60*time.Second, "rpc1's readiness to fail", func() bool {
		ok, out := n.probe(t, "rpc1")
		body = out
		return !ok
	})
	t.Logf("rpc1 not ready %s after the cut: %s", time.Since(cut).Round(time.Second), strings.TrimSpace(body))
	if !strings.Contains(body, "503") || !strings.Contains(body, `"status":"DOWN"`) {
		t.Errorf("readiness after the cut: have %s, want a 503 with status DOWN", body)
	}
	waitFor(t, 20*time.Second, "HAProxy to mark rpc1 DOWN", func() bool { return isDown(n.stats(t)["rpc1"][0]) })
	down := n.stats(t)["rpc1"][1]
	time.Sleep(3 * time.Second)
	if have := n.stats(t)["rpc1"][1]; have != down {
		t.Errorf("rpc1 got sessions while not ready: %s -> %s", down, have)
	}
	n.must(t, nil, "docker", "network", "connect", "--alias", "rpc1", chainNet, id)
	back := time.Now()
	waitFor(t, 120*time.Second, "rpc1 ready again", func() bool { ok, _ := n.probe(t, "rpc1"); return ok })
	waitFor(t, 20*time.Second, "rpc1 UP again in HAProxy", func() bool { return n.stats(t)["rpc1"][0] == "UP" })
	t.Logf("rpc1 ready %s after reconnecting", time.Since(back).Round(time.Second))
	r.finish(t)
}

// stallWatch records when a node's head moves, to find the longest stall.
type stallWatch struct {
	mu      sync.Mutex
	last    time.Time
	longest time.Duration
	stop    chan struct{}
	done    sync.WaitGroup
}

const watchPoll = 200 * time.Millisecond

func watchStalls(c *ethclient.Client) *stallWatch {
	w := &stallWatch{stop: make(chan struct{}), last: time.Now()}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		head := headOf(c)
		for {
			select {
			case <-w.stop:
				return
			case <-time.After(watchPoll):
			}
			h := headOf(c)
			w.mu.Lock()
			if h > head {
				w.longest = max(w.longest, time.Since(w.last))
				head, w.last = h, time.Now()
			}
			w.mu.Unlock()
		}
	}()
	return w
}

func (w *stallWatch) finish() time.Duration {
	close(w.stop)
	w.done.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return max(w.longest, time.Since(w.last))
}

// checkStall fails if the chain went without a new block for more than two
// periods (plus the watcher's polling interval).
func checkStall(t *testing.T, w *stallWatch) {
	t.Helper()
	longest := w.finish()
	t.Logf("longest time without a new head: %s (period %s)", longest.Round(10*time.Millisecond), period)
	if longest > 2*period+watchPoll {
		t.Errorf("the chain stalled for %s, want at most 2 periods (%s)", longest.Round(10*time.Millisecond), 2*period)
	}
}

// checkVotes: deployment.md's vote through signer-land's control listener,
// cast and withdrawn; the same vote on its public port, or with a wrong
// secret, is refused and leaves no proposal (ADR 062).
func checkVotes(t *testing.T, n *network, d docs) {
	out := n.runDoc(t, d.deploy["vote"]...)
	for _, want := range []string{"now votes to add 0x00000000000000000000000000000000000c0de5", "discarded the proposal"} {
		if !strings.Contains(strings.ToLower(out), want) {
			t.Errorf("deployment.md vote: output lacks %q:\n%s", want, out)
		}
	}
	cityctl := func(args ...string) (string, error) {
		return n.run(n.env(n.tag), "docker-compose", append([]string{"-f", "docker/compose.yaml", "-p", n.project, "exec", "-T", "signer-land", "cityctl"}, args...)...)
	}
	candidate := "0x00000000000000000000000000000000000c0de5"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"signer", "propose", candidate, "--rpc", "http://127.0.0.1:8545"}, "takes no votes"},
		{[]string{"signer", "propose", candidate, "--rpc", "http://127.0.0.1:8551", "--jwtsecret", "/data/citynode/nodekey"}, "--jwtsecret"},
		{[]string{"signer", "propose", candidate, "--rpc", "http://127.0.0.1:8551"}, "the control listener refused the token"},
	} {
		if out, err := cityctl(c.args...); err == nil || !strings.Contains(out, c.want) {
			t.Errorf("cityctl %s in signer-land: have %v, want a refusal containing %q\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
	var proposals map[common.Address]bool
	if err := n.client(t, "signer-land").Client().CallContext(t.Context(), &proposals, "clique_proposals"); err != nil || len(proposals) != 0 {
		t.Errorf("signer-land's own proposals after the refused votes: have %v (err %v), want none", proposals, err)
	}
}

// signerKilled: a signer killed with SIGKILL and restarted; the chain never
// stalls for more than two periods and the signer catches up.
func signerKilled(t *testing.T, n *network, d docs, rpc2 *ethclient.Client) {
	w := watchStalls(rpc2)
	time.Sleep(period)
	steps := d.deploy["signer-restart"] // kill -s SIGKILL signer-tax; start signer-tax
	n.runDoc(t, steps[0])
	// Down for more than a round of signers, so its turn comes at least once.
	time.Sleep((signers + 1) * period)
	n.runDoc(t, steps[1:]...)
	restarted := time.Now()
	tax := n.client(t, "signer-tax")
	waitFor(t, 2*time.Minute, "signer-tax to catch up", func() bool {
		h := headOf(tax)
		return h > 0 && h+1 >= headOf(rpc2)
	})
	t.Logf("signer-tax caught up %s after its restart", time.Since(restarted).Round(100*time.Millisecond))
	time.Sleep(2 * period)
	checkStall(t, w)
	// The restarted signer seals again.
	waitFor(t, 4*signers*period, "a block sealed by signer-tax after its restart", func() bool {
		return sealedSince(t, rpc2, n.signerAddress(t, "signer-tax"), restarted)
	})
}

// signerAddress reads a signer's account from its node.
func (n *network) signerAddress(t *testing.T, service string) common.Address {
	t.Helper()
	var res struct {
		Signer common.Address `json:"signer"`
	}
	if err := n.client(t, service).Client().Call(&res, "city_sealer"); err != nil {
		t.Fatal(err)
	}
	return res.Signer
}

// sealedSince reports whether signer sealed one of the last blocks after t0.
func sealedSince(t *testing.T, c *ethclient.Client, signer common.Address, t0 time.Time) bool {
	ctx := context.Background()
	head := headOf(c)
	for num := head; num > 0 && num+signers*2 > head; num-- {
		h, err := c.HeaderByNumber(ctx, new(big.Int).SetUint64(num))
		if err != nil || time.Unix(int64(h.Time), 0).Before(t0) {
			return false
		}
		var s common.Address
		if err := c.Client().CallContext(ctx, &s, "clique_getSigner", h.Hash()); err == nil && s == signer {
			return true
		}
	}
	return false
}

// rollingUpgrade replaces each signer in turn by a container of a new image
// tag; the chain keeps sealing throughout and all nodes agree on the head.
func rollingUpgrade(t *testing.T, n *network, d docs, rpc2 *ethclient.Client) {
	next := n.tag + "-next"
	// A new image (its own ID): the same binaries with another version label.
	build := exec.Command("docker", "build", "-q", "-t", "citychain:"+next, "-")
	build.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	build.Stdin = strings.NewReader(fmt.Sprintf("FROM citychain:%s\nLABEL org.opencontainers.image.version=%s\n", n.tag, next))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build citychain:%s: %v\n%s", next, err, out)
	}
	w := watchStalls(rpc2)
	for _, s := range signerServices {
		// deployment.md's command for signer-land, for each signer in turn.
		n.runDoc(t, strings.ReplaceAll(d.deploy["upgrade"][0], "signer-land", s))
		c := n.client(t, s)
		waitFor(t, 2*time.Minute, s+" on the new image, caught up", func() bool {
			h := headOf(c)
			return h > 0 && h+1 >= headOf(rpc2)
		})
		image := strings.TrimSpace(n.must(t, nil, "docker", "inspect", "-f", "{{.Config.Image}}", n.container(t, s)))
		if image != "citychain:"+next {
			t.Errorf("%s runs %s, want citychain:%s", s, image, next)
		}
		time.Sleep(period)
	}
	time.Sleep(2 * period)
	checkStall(t, w)
	agreeOnHead(t, n)
}

// agreeOnHead: every node has the same block at the lowest head among them.
func agreeOnHead(t *testing.T, n *network) {
	ctx := context.Background()
	clients := map[string]*ethclient.Client{}
	low := uint64(1 << 62)
	for _, s := range allServices {
		clients[s] = n.client(t, s)
		low = min(low, headOf(clients[s]))
	}
	if low < 8 {
		t.Fatalf("lowest head %d", low)
	}
	var want common.Hash
	for _, s := range allServices {
		h, err := clients[s].HeaderByNumber(ctx, new(big.Int).SetUint64(low))
		if err != nil {
			t.Fatalf("%s block %d: %v", s, low, err)
		}
		if want == (common.Hash{}) {
			want = h.Hash()
		} else if h.Hash() != want {
			t.Errorf("%s block %d: have %s, want %s", s, low, h.Hash().Hex(), want.Hex())
		}
	}
	t.Logf("all %d nodes agree on block %d: %s", len(allServices), low, want.Hex())
}

// backupRestore runs deployment.md's backup (rpc2 stopped, exported, started
// again) and restore (a fresh data dir initialised and the export imported)
// and checks the restored chain reaches the exported head.
func backupRestore(t *testing.T, n *network, d docs) {
	n.runDoc(t, d.deploy["backup"]...)
	out := n.runDoc(t, d.deploy["restore"]...)
	if !strings.Contains(out, "Imported") && !strings.Contains(out, "imported") {
		t.Errorf("restore: no import reported:\n%s", out)
	}
	waitFor(t, 2*time.Minute, "rpc2 back after the backup", func() bool { ok, _ := n.probe(t, "rpc2"); return ok })
	if h := headOf(n.client(t, "rpc2")); h < 8 {
		t.Errorf("rpc2 head after the backup: %d", h)
	}
}

// networkDown: `make network-down` leaves no container, network or volume
// of the project.
func networkDown(t *testing.T, n *network, d docs) {
	n.runDoc(t, d.readme[len(d.readme)-1]) // make network-down
	n.runDoc(t, d.deploy["down"]...)       // again: nothing left to remove is no error
	filter := "label=com.docker.compose.project=" + n.project
	for _, kind := range [][]string{{"ps", "-a", "-q"}, {"network", "ls", "-q"}, {"volume", "ls", "-q"}} {
		out := strings.TrimSpace(n.must(t, nil, "docker", append(kind, "--filter", filter)...))
		if out != "" {
			t.Errorf("docker %s after network-down: %s", strings.Join(kind, " "), out)
		}
	}
}

// checkPrometheus runs Debian's prometheus against the network with the
// citychain alert rules and waits until it has scraped every node.
func checkPrometheus(t *testing.T, n *network) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if proctest.UnderCI() {
			t.Fatal("prometheus is missing: apt-get install prometheus")
		}
		t.Skip("prometheus is missing: apt-get install prometheus")
	}
	dir := t.TempDir()
	var targets []string
	for _, s := range allServices {
		targets = append(targets, fmt.Sprintf("%q", n.ip(t, s, "chain")+":6061"))
	}
	alerts, err := filepath.Abs("prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var gates []string
	for _, s := range gateServices {
		gates = append(gates, fmt.Sprintf("%q", n.ip(t, s, "front")+":6062"))
	}
	config := fmt.Sprintf("global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: [%q]\nscrape_configs:\n  - job_name: citynode\n    static_configs: [{targets: [%s]}]\n  - job_name: citygate\n    static_configs: [{targets: [%s]}]\n", alerts, strings.Join(targets, ", "), strings.Join(gates, ", "))
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	port := freeport.T(t)
	cmd := exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"), fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port))
	logs := new(strings.Builder)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	query := func(q string) []float64 {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/query?query=%s", port, q))
		if err != nil {
			return nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var res struct {
			Data struct {
				Result []struct {
					Value [2]any `json:"value"`
				} `json:"result"`
			} `json:"data"`
		}
		json.Unmarshal(body, &res)
		var out []float64
		for _, r := range res.Data.Result {
			var v float64
			fmt.Sscan(fmt.Sprint(r.Value[1]), &v)
			out = append(out, v)
		}
		return out
	}
	waitFor(t, 60*time.Second, "every node and citygate scraped (up == 1)", func() bool {
		up := query("up")
		return len(up) == len(allServices)+len(gateServices) && !slices.Contains(up, 0)
	})
	if s := query("citychain_clique_signers"); len(s) != len(allServices) || slices.Min(s) != signers {
		t.Errorf("citychain_clique_signers: have %v, want %d on every node", s, signers)
	}
	// Each citygate sees both rpc nodes ready.
	if s := query("citygate_upstream_ready_nodes"); len(s) != len(gateServices) || slices.Min(s) != 2 {
		t.Errorf("citygate_upstream_ready_nodes: have %v, want 2 on every citygate", s)
	}
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/v1/rules", port))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "ChainStalled") || !strings.Contains(string(body), "CitygateRelayerStuck") {
		t.Errorf("alert rules not loaded: %s\nlogs:\n%s", body, logs)
	}
}
