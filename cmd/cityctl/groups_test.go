package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/testkit/proctest"
	"github.com/citychain/citychain/params"
)

// groupRun drives the command groups against one `citynode dev`.
type groupRun struct {
	t    *testing.T
	n    *devNode
	dir  string
	key  []string         // key files holding the dev keys as `citynode dev` prints them
	addr []common.Address // the dev accounts
	doc  common.Hash      // a document the doc group leaves revoked
	head uint64           // the block the audit group proves at
}

// devBannerKey is a dev account's line in the `citynode dev` banner.
var devBannerKey = regexp.MustCompile(`(?m)^\((\d)\) (0x[0-9a-fA-F]{40})  key (0x[0-9a-f]{64})$`)

// devKeys writes each dev account's key to a file exactly as the banner of
// the dev node prints it (0x and 64 hex digits).
func (g *groupRun) devKeys() {
	var found [][]string
	proctest.WaitFor(g.t, 30*time.Second, "the dev banner with 10 keys", func() bool {
		found = devBannerKey.FindAllStringSubmatch(g.n.output(), -1)
		return len(found) == 10
	})
	for _, m := range found {
		path := filepath.Join(g.dir, "dev"+m[1]+".key")
		if err := os.WriteFile(path, []byte(m[3]+"\n"), 0o600); err != nil {
			g.t.Fatal(err)
		}
		g.key = append(g.key, path)
		g.addr = append(g.addr, common.HexToAddress(m[2]))
	}
}

// run runs cityctl and checks its exit status; it returns standard output.
func (g *groupRun) run(want int, args ...string) string {
	g.t.Helper()
	all, stdout, err := cityctlOut(args...)
	if have := exitCode(err); have != want {
		g.t.Fatalf("cityctl %s: have exit status %d, want %d\n%s", strings.Join(args, " "), have, want, all)
	}
	return stdout
}

// fails runs cityctl, checks its exit status and that its error names msg.
func (g *groupRun) fails(want int, msg string, args ...string) {
	g.t.Helper()
	_, _, err := cityctlOut(args...)
	if exitCode(err) != want || !strings.Contains(err.Error(), msg) {
		g.t.Fatalf("cityctl %s: have %v, want exit status %d naming %q", strings.Join(args, " "), err, want, msg)
	}
}

// json runs cityctl with exit status want and decodes its standard output.
func (g *groupRun) json(want int, v any, args ...string) {
	g.t.Helper()
	out := g.run(want, args...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		g.t.Fatalf("cityctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// keystoreOf puts dev account i's key in a keystore directory and returns
// it and its password file.
func (g *groupRun) keystoreOf(i int) (string, string) {
	dir := filepath.Join(g.dir, fmt.Sprintf("keystore%d", i))
	key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(mustRead(g.t, g.key[i])), "0x"))
	if err != nil {
		g.t.Fatal(err)
	}
	if _, err := keystore.NewKeyStore(dir, keystore.LightScryptN, keystore.LightScryptP).ImportECDSA(key, "pw"); err != nil {
		g.t.Fatal(err)
	}
	return dir, g.file(fmt.Sprintf("keystore%d.pw", i), "pw\n")
}

func mustRead(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// keyFileIn returns the single key file of a keystore directory.
func keyFileIn(t *testing.T, dir string) string {
	matches, err := filepath.Glob(filepath.Join(dir, "UTC--*"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("key files in %s: have %v (%v), want one", dir, matches, err)
	}
	return matches[0]
}

func (g *groupRun) file(name, content string) string {
	path := filepath.Join(g.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		g.t.Fatal(err)
	}
	return path
}

// TestCommandGroupsFlagsAfterArguments drives each command group that talks
// to a node against one real `citynode dev`, every command line with its
// flags after its positional arguments (the order urfave/cli v2 alone
// refuses), signing with the dev keys as `citynode dev` prints them (--key),
// and checks the exit status of each outcome: 0 success, 1 a refusal or a
// negative verification, 2 bad input. `testnet` has its own test.
func TestCommandGroupsFlagsAfterArguments(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode")
	}
	g := &groupRun{n: startDevNode(t), dir: t.TempDir()}
	for _, group := range []struct {
		name string
		run  func(*groupRun)
	}{
		{"contracts", (*groupRun).contracts}, {"dept", (*groupRun).dept}, {"doc", (*groupRun).docs},
		{"title", (*groupRun).title}, {"audit", (*groupRun).audit}, {"signer", (*groupRun).signer},
		{"stall", (*groupRun).stall}, {"poll", (*groupRun).poll},
	} {
		t.Run(group.name, func(t *testing.T) {
			g.t = t
			if g.key == nil {
				g.devKeys()
			}
			group.run(g)
		})
	}
}

func (g *groupRun) contracts() {
	var checks []registry.CodeCheck
	g.json(0, &checks, "contracts", "list", "--rpc", g.n.url, "--json")
	if len(checks) != 6 {
		g.t.Errorf("contracts list: have %d contracts, want 6 (the five fixed ones and Anchors, pre-deployed)", len(checks))
	}
	g.json(0, &checks, "contracts", "verify", "--json", "--rpc", g.n.url)
}

func (g *groupRun) dept() {
	url, admin := g.n.url, g.key[0]
	var tx map[string]any
	g.json(0, &tx, "dept", "grant", "CIVIL", "issuer", g.addr[9].Hex(), "--rpc", url, "--key", admin, "--json")
	if tx["action"] != "Directory.grantRole" || tx["role"] != "issuer" {
		g.t.Errorf("dept grant --json: have %v", tx)
	}
	g.run(0, "dept", "revoke", "CIVIL", "issuer", g.addr[9].Hex(), "--key", admin, "--rpc", url)
	g.run(0, "dept", "add", "PARKS", "Parks and Gardens", "--rpc", url, "--key", admin)
	g.fails(1, "OwnableUnauthorizedAccount(", "dept", "add", "ZOO", "Zoo", "--rpc", url, "--key", g.key[1])
	g.fails(2, "unknown role", "dept", "grant", "CIVIL", "mayor", g.addr[9].Hex(), "--rpc", url, "--key", admin)
	var list struct{ Departments []registry.Department }
	g.json(0, &list, "dept", "list", "--rpc", url, "--json")
	if !slices.ContainsFunc(list.Departments, func(d registry.Department) bool { return d.Code == "PARKS" }) {
		g.t.Errorf("dept list: have %+v, want PARKS", list.Departments)
	}
}

// verifyDoc runs doc verify --json with the exit status of the status.
func (g *groupRun) verifyDoc(h common.Hash, status string, extra ...string) {
	g.t.Helper()
	var v registry.Verification
	g.json(map[bool]int{true: 0, false: 1}[status == "valid"], &v, append([]string{"doc", "verify", h.Hex()}, append(extra, "--rpc", g.n.url, "--json")...)...)
	if v.Status != status {
		g.t.Fatalf("doc verify %s: have %s, want %s", h.Hex(), v.Status, status)
	}
}

func (g *groupRun) docs() {
	url, issuer := g.n.url, g.key[1]
	ref := crypto.Keccak256Hash([]byte("salt"), []byte("resident 7")).Hex()
	a, b, old := crypto.Keccak256Hash([]byte("A")), crypto.Keccak256Hash([]byte("B")), crypto.Keccak256Hash([]byte("old"))
	g.run(0, "doc", "issue", "--hash", a.Hex(), "--type", "BIRTH-CERT", "--holder-ref", ref, "--rpc", url, "--key", issuer)
	g.verifyDoc(a, "valid")
	// docs/cityctl.md: a document file signed with a dev key as printed.
	pdf := g.file("birth.pdf", "%PDF-1.4 birth certificate of resident 7")
	g.run(0, "doc", "issue", "--file", pdf, "--type", "BIRTH-CERT", "--holder-ref", ref, "--key", issuer, "--rpc", url)
	g.verifyDoc(crypto.Keccak256Hash([]byte("%PDF-1.4 birth certificate of resident 7")), "valid")
	g.verifyDoc(crypto.Keccak256Hash([]byte("never issued")), "unknown")
	g.run(0, "doc", "issue", "--valid-from", "1", "--valid-until", "2", "--hash", old.Hex(), "--type", "PERMIT", "--holder-ref", ref, "--key", issuer, "--rpc", url)
	g.verifyDoc(old, "expired")
	csv := fmt.Sprintf("docHash,docType,holderRef,validFrom,validUntil\n%s,RESIDENCE,%s,0,0\n%s,RESIDENCE,%s,0,0\n",
		crypto.Keccak256Hash([]byte("b1")).Hex(), ref, crypto.Keccak256Hash([]byte("b2")).Hex(), ref)
	batch := filepath.Join(g.dir, "batch.json")
	g.run(0, "doc", "issue-batch", g.file("docs.csv", csv), "--out", batch, "--rpc", url, "--key", issuer)
	g.verifyDoc(crypto.Keccak256Hash([]byte("b2")), "valid", "--batch", batch)
	g.run(0, "doc", "supersede", a.Hex(), "--hash", b.Hex(), "--type", "BIRTH-CERT", "--holder-ref", ref, "--rpc", url, "--key", issuer)
	g.verifyDoc(a, "superseded")
	g.run(0, "doc", "revoke", b.Hex(), "--rpc", url, "--key", issuer)
	g.verifyDoc(b, "revoked")
	g.fails(1, "AlreadyRevoked(", "doc", "revoke", b.Hex(), "--rpc", url, "--key", issuer)
	g.fails(2, "is no 32-byte hash", "doc", "verify", "0x1234", "--rpc", url)
	g.doc = b
}

func (g *groupRun) title() {
	url, registrar := g.n.url, g.key[2]
	const parcel = "77:01:0004012:7"
	// The registrar signs from a keystore directory, naming its account.
	ks, password := g.keystoreOf(2)
	g.run(0, "title", "register", parcel, "--owner", g.addr[6].Hex()+":100", "--rpc", url, "--keystore", ks, "--from", g.addr[2].Hex(), "--password", password)
	g.fails(2, "holds the key of", "title", "register", "77:01:0004012:9", "--owner", g.addr[6].Hex()+":1", "--rpc", url,
		"--keystore", keyFileIn(g.t, ks), "--from", g.addr[3].Hex(), "--password", password)
	g.run(0, "title", "offer", parcel, "--buyer", g.addr[7].Hex(), "--share", "40", "--rpc", url, "--key", g.key[6])
	g.run(0, "title", "accept", parcel, "--rpc", url, "--key", g.key[7])
	g.run(0, "title", "approve", parcel, "--key", registrar, "--rpc", url)
	var p registry.Parcel
	g.json(0, &p, "title", "show", parcel, "--rpc", url, "--json")
	if len(p.Owners) != 2 {
		g.t.Errorf("title show: have owners %+v, want 2", p.Owners)
	}
	var hist []registry.Entry
	g.json(0, &hist, "title", "history", parcel, "--json", "--rpc", url)
	g.fails(1, "NotRegistrar(", "title", "register", "77:01:0004012:8", "--owner", g.addr[6].Hex()+":1", "--rpc", url, "--key", g.key[6])
}

func (g *groupRun) audit() {
	url := g.n.url
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	head, err := g.n.client.HeaderByNumber(ctx, nil)
	if err != nil {
		g.t.Fatal(err)
	}
	block := head.Number.String()
	proof := filepath.Join(g.dir, "doc.proof.json")
	var wrote map[string]any
	g.json(0, &wrote, "audit", "prove", "document", g.doc.Hex(), "--block", block, "--out", proof, "--rpc", url, "--json")
	if wrote["file"] != proof {
		g.t.Errorf("audit prove --json: have %v, want file %s", wrote, proof)
	}
	var v verified
	g.json(0, &v, "audit", "verify-proof", proof, "--trusted-header", head.Hash().Hex(), "--json")
	if v.Record == nil || !strings.Contains(string(v.Record.Value), `"revoked"`) {
		g.t.Errorf("verify-proof --json: have %+v, want the revoked document", v)
	}
	g.fails(1, "does NOT verify", "audit", "verify-proof", proof, "--trusted-header", head.ParentHash.Hex())
	g.run(0, "audit", "prove", "account", g.addr[0].Hex(), "0", "1", "--block", block, "--rpc", url)
	g.run(0, "audit", "prove", "title", "77:01:0004012:7", "--block", block, "--rpc", url, "--out", filepath.Join(g.dir, "title.proof.json"))
	// The genesis `citynode dev` wrote to its data dir, as a user runs it (README).
	gen := filepath.Join(g.n.dataDir, "genesis.json")
	var a struct{ To uint64 }
	g.json(0, &a, "audit", "signers", "--genesis", gen, "--to-block", block, "--rpc", url, "--json")
	if a.To != head.Number.Uint64() {
		g.t.Errorf("audit signers --json: checked to %d, want %d", a.To, head.Number)
	}
	if all, err := cityctl("audit", "signers", "--genesis", gen, "--to", "2", "--rpc", url); err != nil || !strings.Contains(all, "cityctl: warning: --to is deprecated, use --to-block") {
		g.t.Errorf("audit signers --to: have %v, want a deprecation warning\n%s", err, all)
	}
	g.head = head.Number.Uint64()
}

func (g *groupRun) signer() {
	url, self := g.n.url, g.addr[0].Hex()
	var status struct {
		Tracked []tracked `json:"tracked"`
	}
	g.json(0, &status, "signer", "status", self, "--rpc", url, "--json")
	if len(status.Tracked) != 1 || status.Tracked[0].State != "sealing" {
		g.t.Errorf("signer status %s: have %+v, want it sealing", self, status.Tracked)
	}
	g.run(0, "signer", "list", "--rpc", url)
	g.run(0, "signer", "watch", "--count", "1", "--rpc", url)
	control := g.n.control(g.t)
	g.fails(1, "already one of the 1 signers", append([]string{"signer", "propose", self}, control...)...)
	g.fails(1, "has no proposal on", append([]string{"signer", "discard", g.addr[9].Hex()}, control...)...)
	g.fails(1, "is not one of the 1 signers", append([]string{"signer", "remove", g.addr[9].Hex()}, control...)...)
	g.fails(1, "takes no votes", "signer", "propose", self, "--rpc", url)
	// A join request for another network: refused by the dev node, nothing changed.
	other := params.Dev()
	other.ExtraData = append([]byte{}, other.ExtraData...)
	other.Timestamp++
	gen, _ := json.Marshal(other)
	req := filepath.Join(g.dir, "join.json")
	var onboarded map[string]any
	g.json(0, &onboarded, "signer", "onboard", "--datadir", filepath.Join(g.dir, "parks"), "--password", g.file("pw", "pw\n"),
		"--genesis", g.file("other-genesis.json", string(gen)), "--department.code", "PARKS", "--department.name", "Parks",
		"--p2p.addr", "127.0.0.1", "--out", req, "--json")
	if onboarded["request"] != req {
		g.t.Errorf("signer onboard --json: have %v", onboarded)
	}
	allow := g.file("allowlist.txt", "")
	g.fails(1, "another network", append([]string{"signer", "approve", req, "--p2p.allowlist", allow}, control...)...)
}

func (g *groupRun) stall() {
	url, op := g.n.url, g.key[3]
	var market map[string]any
	g.json(0, &market, "stall", "market", "--rpc", url, "--key", op, "--code", "SAT", "--name", "Saturday", "--json")
	id := fmt.Sprint(market["market"])
	g.run(0, "stall", "stall", "--market", id, "--code", "A-1", "--key", op, "--rpc", url)
	var lease struct{ Leases []leaseView }
	g.json(0, &lease, "stall", "lease", "--stall", "1", "--holder", g.addr[9].Hex(), "--lease-end", "+1h", "--rpc", url, "--key", op, "--json")
	if len(lease.Leases) != 1 || lease.Leases[0].Holder != g.addr[9] {
		g.t.Fatalf("stall lease --json: have %+v", lease)
	}
	g.run(0, "stall", "release", "--lease", "1", "--fee-paid", "--rpc", url, "--key", op)
	g.run(0, "stall", "release", "--lease", "1", "--rpc", url, "--key", g.key[9])
	g.fails(1, "UnknownRound(7)", "stall", "waitlist", "--round", "7", "--rpc", url)
	g.fails(2, "--lease-end", "stall", "lease", "--stall", "1", "--holder", g.addr[9].Hex(), "--lease-end", "tomorrow", "--rpc", url, "--key", op)
}

func (g *groupRun) poll() {
	url := g.n.url
	voters := g.file("voters.txt", g.addr[6].Hex()+"\n"+g.addr[7].Hex()+"\n")
	elig := filepath.Join(g.dir, "eligibility.json")
	var el map[string]any
	g.json(0, &el, "poll", "eligible", "--voters", voters, "--out", elig, "--json")
	var created map[string]any
	g.json(0, &created, "poll", "create", "--question", "Trees?", "--option", "oak", "--option", "lime", "--closes", "+1h",
		"--eligibility", elig, "--rpc", url, "--key", g.key[4], "--json")
	poll := fmt.Sprint(created["poll"])
	ballotsFile := filepath.Join(g.dir, "ballots.jsonl")
	g.run(0, "poll", "sign-ballot", "--poll", poll, "--option", "1", "--eligibility", elig, "--key", g.key[6], "--out", ballotsFile, "--rpc", url)
	// The README's command line, with the node named after it.
	out := g.run(0, "poll", "relay", "--poll", poll, "--batch", "100", ballotsFile, "--key", g.key[5], "--rpc", url)
	if !strings.Contains(out, "1 counted, 0 rejected") {
		g.t.Errorf("poll relay: %s", out)
	}
	var res pollResult
	g.json(0, &res, "poll", "results", "--poll", poll, "--rpc", url, "--json")
	if fmt.Sprint(res.Tallies) != "[0 1]" {
		g.t.Errorf("poll results: have tallies %v, want [0 1]", res.Tallies)
	}
	var rc recountResult
	g.json(0, &rc, "poll", "recount", "--poll", poll, "--rpc", url, "--json")
	if !rc.Match || rc.Events != 1 {
		g.t.Errorf("poll recount: have %+v, want 1 event, matching", rc)
	}
	g.fails(1, "not in the eligibility list", "poll", "sign-ballot", "--poll", poll, "--option", "0", "--eligibility", elig, "--key", g.key[8], "--rpc", url)
}
