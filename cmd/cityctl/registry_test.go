package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// devNode is a `citynode dev` process for the registry tests.
type devNode struct {
	url     string
	dataDir string
	client  *ethclient.Client
	cmd     *exec.Cmd
	logs    proctest.Output
	done    <-chan struct{}
}

// startDevNode starts `citynode dev` on a free loopback port, a block a second,
// and waits until it seals.
func startDevNode(t *testing.T) *devNode {
	t.Helper()
	port := freeport.T(t)
	n := &devNode{url: fmt.Sprintf("http://127.0.0.1:%d", port), dataDir: filepath.Join(t.TempDir(), "node")}
	n.cmd = exec.Command(citynodeBin, "dev", "--datadir", n.dataDir, "--http.port", fmt.Sprint(port), "--period", "1")
	done, err := proctest.Start(n.cmd, &n.logs)
	if err != nil {
		t.Fatal(err)
	}
	n.done = done
	t.Cleanup(func() {
		n.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-n.done:
		case <-time.After(20 * time.Second):
			n.cmd.Process.Kill()
			<-n.done
		}
	})
	proctest.WaitFor(t, 60*time.Second, "citynode dev to seal block 1", func() bool {
		select {
		case <-n.done:
			t.Fatalf("citynode dev exited early:\n%s", n.output())
		default:
		}
		if n.client == nil {
			c, err := ethclient.Dial(n.url)
			if err != nil {
				return false
			}
			n.client = c
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		head, err := n.client.BlockNumber(ctx)
		return err == nil && head >= 1
	})
	t.Cleanup(n.client.Close)
	return n
}

// control returns the flags that vote through the dev node's control
// listener, as its banner prints them.
func (n *devNode) control(t *testing.T) []string {
	t.Helper()
	re := regexp.MustCompile(`Control \(votes\): (\S+)   JWT secret: (\S+)`)
	var m []string
	proctest.WaitFor(t, 30*time.Second, "the dev banner's control listener", func() bool {
		m = re.FindStringSubmatch(n.output())
		return m != nil
	})
	return []string{"--rpc", m[1], "--jwtsecret", m[2]}
}

func (n *devNode) output() string {
	return n.logs.String()
}

// keyring writes dev accounts' keys into a keystore with a password file and
// returns, per account index, the flags that select the key.
func keyring(t *testing.T, indexes ...int) map[int][]string {
	t.Helper()
	dir := t.TempDir()
	pw := filepath.Join(dir, "password.txt")
	if err := os.WriteFile(pw, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ks := keystore.NewKeyStore(filepath.Join(dir, "keystore"), keystore.LightScryptN, keystore.LightScryptP)
	dev := genesis.DevAccounts(10)
	out := make(map[int][]string)
	for _, i := range indexes {
		acct, err := ks.ImportECDSA(dev[i].Key, "correct horse")
		if err != nil {
			t.Fatal(err)
		}
		out[i] = []string{"--keystore", acct.URL.Path, "--password", pw}
	}
	return out
}

// checkGolden compares have with testdata/name; UPDATE_GOLDEN=1 rewrites it.
func checkGolden(t *testing.T, name, have string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(have), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with UPDATE_GOLDEN=1)", err)
	}
	if have != string(want) {
		t.Errorf("%s: have\n%s\nwant\n%s", name, have, want)
	}
}

// TestRegistryFlows runs cityctl against a real `citynode dev` process: the
// departments, the full flow of documents (single, superseded, a batch of
// 1,000 with a proof, revoked; a non-issuer's revert decoded), the full flow
// of titles (register, offer, accept, a lien blocking approval with the
// decoded error, release, approve, history), the code check, and document
// and title proofs verified offline and refused once altered.
func TestRegistryFlows(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode")
	}
	n := startDevNode(t)
	dev := genesis.DevAccounts(10)
	keys := keyring(t, 0, 1, 2, 6, 7, 8)
	// ctl runs "cityctl <path> args... --rpc URL [key flags of who]", the
	// shared flags after the arguments as docs/contracts.md prints them;
	// who < 0: no key.
	ctl := func(path string, who int, args ...string) (string, error) {
		full := append(append(strings.Fields(path), args...), "--rpc", n.url)
		if who >= 0 {
			full = append(full, keys[who]...)
		}
		return cityctl(full...)
	}
	must := func(path string, who int, args ...string) string {
		t.Helper()
		out, err := ctl(path, who, args...)
		if err != nil {
			t.Fatalf("cityctl %s %v: %v\n%s", path, args, err, out)
		}
		return out
	}
	// reverts checks that a command fails with the decoded custom error.
	reverts := func(want, path string, who int, args ...string) {
		t.Helper()
		out, err := ctl(path, who, args...)
		if err == nil {
			t.Fatalf("cityctl %s %v: no error, want %s\n%s", path, args, want, out)
		}
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("cityctl %s %v: have %q, want the decoded error %s", path, args, err, want)
		}
	}
	// verify runs doc verify --json: exit status 0 for a valid document, 1 otherwise.
	verify := func(h common.Hash, extra ...string) registry.Verification {
		t.Helper()
		var v registry.Verification
		_, out, runErr := cityctlOut(append(append([]string{"doc", "verify", "--rpc", n.url, "--json"}, extra...), h.Hex())...)
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("doc verify --json: %v (run: %v)\n%s", err, runErr, out)
		}
		if want := map[bool]int{true: 0, false: 1}[v.Status == "valid"]; exitCode(runErr) != want {
			t.Fatalf("doc verify of a %s document: have exit status %d (%v), want %d", v.Status, exitCode(runErr), runErr, want)
		}
		return v
	}

	// Contracts: the code at the fixed addresses is the committed artifacts'
	// (the output is pinned: addresses, sizes and code hashes).
	checkGolden(t, "contracts-verify.golden", must("contracts verify", -1))

	// Departments: the admin grants, anyone else is refused by name.
	must("dept grant", 0, "CIVIL", "issuer", dev[9].Address.Hex())
	reverts("OwnableUnauthorizedAccount("+dev[1].Address.Hex()+")", "dept grant", 1, "LAND", "registrar", dev[9].Address.Hex())
	var list struct {
		Admin       common.Address
		Departments []registry.Department
	}
	if _, out, err := cityctlOut("dept", "list", "--rpc", n.url, "--json"); err != nil || json.Unmarshal([]byte(out), &list) != nil {
		t.Fatalf("dept list --json: %v\n%s", err, out)
	}
	if list.Admin != dev[0].Address {
		t.Errorf("admin: have %v, want %v", list.Admin, dev[0].Address)
	}
	civil := slices.IndexFunc(list.Departments, func(d registry.Department) bool { return d.Code == "CIVIL" })
	if civil < 0 || len(list.Departments[civil].Accounts) != 2 {
		t.Fatalf("CIVIL after the grant: have %+v, want accounts 1 and 9", list.Departments)
	}

	// Documents one by one.
	holder := crypto.Keccak256Hash([]byte("salt"), []byte("resident 42")).Hex()
	docA, docB := crypto.Keccak256Hash([]byte("document A")), crypto.Keccak256Hash([]byte("document B"))
	must("doc issue", 1, "--hash", docA.Hex(), "--type", "BIRTH-CERT", "--holder-ref", holder)
	if v := verify(docA); v.Status != "valid" || v.Issuer != "CIVIL" {
		t.Fatalf("document A: have %+v, want valid, issued by CIVIL", v)
	}
	reverts("NotIssuer("+dev[6].Address.Hex()+")", "doc issue", 6, "--hash", docB.Hex(), "--type", "BIRTH-CERT", "--holder-ref", holder)
	reverts("DocumentExists(", "doc issue", 1, "--hash", docA.Hex(), "--type", "BIRTH-CERT", "--holder-ref", holder)
	must("doc supersede", 1, "--hash", docB.Hex(), "--type", "BIRTH-CERT", "--holder-ref", holder, docA.Hex())
	if v := verify(docA); v.Status != "superseded" || v.SupersededBy == nil || *v.SupersededBy != docB {
		t.Fatalf("document A after supersede: have %+v, want superseded by %v", v, docB)
	}
	if v := verify(docB); v.Status != "valid" {
		t.Fatalf("document B: have %v, want valid", v.Status)
	}

	// A batch of 1,000 documents; one is verified with its proof, then revoked.
	dir := t.TempDir()
	var docs []registry.Document
	for i := range 1000 {
		docs = append(docs, registry.Document{
			Hash: crypto.Keccak256Hash([]byte(fmt.Sprintf("batch document %d", i))), Type: "RESIDENCE",
			HolderRef: crypto.Keccak256Hash([]byte(fmt.Sprintf("holder %d", i))), ValidUntil: 4102444800,
		})
	}
	docsJSON, _ := json.Marshal(docs)
	docsFile, batchFile := filepath.Join(dir, "docs.json"), filepath.Join(dir, "batch.json")
	os.WriteFile(docsFile, docsJSON, 0o644)
	out := must("doc issue-batch", 1, "--out", batchFile, docsFile)
	if !strings.Contains(out, "100% (2000/2000)") || !strings.Contains(out, "Issued a batch of 1000 documents") {
		t.Errorf("issue-batch output: want progress to 100%% and the summary, have\n%s", out)
	}
	data, err := os.ReadFile(batchFile)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := registry.DecodeBatchFile(data)
	if err != nil {
		t.Fatal(err)
	}
	pick := batch.Documents[737]
	if err := batch.CheckProof(&pick); err != nil {
		t.Fatalf("offline proof of document 737: %v", err)
	}
	if v := verify(pick.Hash, "--batch", batchFile); v.Status != "valid" || v.BatchRoot == nil || *v.BatchRoot != batch.Root {
		t.Fatalf("batch document: have %+v, want valid in batch %v", v, batch.Root)
	}
	must("doc revoke", 1, "--batch", batchFile, pick.Hash.Hex())
	if v := verify(pick.Hash, "--batch", batchFile); v.Status != "revoked" {
		t.Fatalf("batch document after revoke: have %v, want revoked", v.Status)
	}
	if v := verify(batch.Documents[738].Hash, "--batch", batchFile); v.Status != "valid" {
		t.Fatalf("its neighbour: have %v, want valid", v.Status)
	}
	must("doc revoke", 1, docB.Hex())
	if v := verify(docB); v.Status != "revoked" {
		t.Fatalf("document B after revoke: have %v, want revoked", v.Status)
	}
	reverts("AlreadyRevoked("+docB.Hex()+")", "doc revoke", 1, docB.Hex())

	// Titles: a lien blocks the approval until its holder releases it.
	const parcel = "77:01:0004012:1234"
	seller, buyer, bank := dev[6].Address, dev[7].Address, dev[8].Address
	must("title register", 2, "--owner", seller.Hex()+":100", parcel)
	reverts("NotRegistrar("+seller.Hex()+")", "title register", 6, "--owner", seller.Hex()+":100", "77:01:0004012:9999")
	must("title offer", 6, "--buyer", buyer.Hex(), "--share", "40", parcel)
	must("title accept", 7, parcel)
	if out := must("title lien", 2, "--holder", bank.Hex(), parcel); !strings.Contains(out, "Recorded lien 1 ") {
		t.Fatalf("lien: have %q, want lien 1", out)
	}
	reverts(`ParcelEncumbered("`+parcel+`", 1)`, "title approve", 2, parcel)
	reverts("NotLienHolder(1, "+seller.Hex()+")", "title release", 6, "1")
	must("title release", 8, "1")
	must("title approve", 2, parcel)
	var hist []registry.Entry
	if _, out, err := cityctlOut("title", "history", "--rpc", n.url, "--json", parcel); err != nil || json.Unmarshal([]byte(out), &hist) != nil {
		t.Fatalf("title history --json: %v\n%s", err, out)
	}
	var actions []string
	for _, e := range hist {
		actions = append(actions, e.Action)
	}
	if want := []string{"registered", "offered", "accepted", "lien-added", "lien-released", "approved"}; !slices.Equal(actions, want) {
		t.Fatalf("history: have %v, want %v", actions, want)
	}
	if out := must("title show", -1, parcel); !strings.Contains(out, seller.Hex()+"  60/100") || !strings.Contains(out, buyer.Hex()+"  40/100") {
		t.Fatalf("title show: want 60/100 and 40/100, have\n%s", out)
	}

	// Proofs of a document and of a title at the head, verified offline.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	head, err := n.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	block := head.Number.String()
	for _, tc := range []struct {
		kind, key, want string
	}{
		{"document", docB.Hex(), `"status": "revoked"`},
		{"title", parcel, `"share": 40`},
	} {
		file := filepath.Join(dir, tc.kind+".proof.json")
		must("audit prove "+tc.kind, -1, "--block", block, "--out", file, tc.key)
		proofData, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(proofData, []byte(tc.want)) {
			t.Errorf("%s proof: record lacks %s:\n%s", tc.kind, tc.want, proofData)
		}
		if out, err := cityctl("audit", "verify-proof", "--trusted-header", head.Hash().Hex(), file); err != nil {
			t.Fatalf("verify-proof %s: %v\n%s", tc.kind, err, out)
		}
		// Altered: the record claims something the slots do not prove.
		p, err := audit.DecodeProof(proofData)
		if err != nil {
			t.Fatal(err)
		}
		trusted := p.Header.Hash
		before := slices.Clone(p.Record.Value)
		switch tc.kind {
		case "document":
			p.Record.Value = bytes.Replace(p.Record.Value, []byte(`"revoked"`), []byte(`"valid"`), 1)
		case "title":
			p.Record.Value = bytes.Replace(p.Record.Value, []byte(`"share": 40`), []byte(`"share": 45`), 1)
		}
		if bytes.Equal(before, p.Record.Value) {
			t.Fatalf("%s proof: the alteration changed nothing", tc.kind)
		}
		altered, _ := p.Encode()
		if _, err := audit.VerifyFile(altered, trusted, registry.RecordDecoders()); !errors.Is(err, audit.ErrClaimMismatch) {
			t.Errorf("%s proof with an altered record: have %v, want %v", tc.kind, err, audit.ErrClaimMismatch)
		}
		badFile := filepath.Join(dir, tc.kind+".altered.json")
		os.WriteFile(badFile, altered, 0o644)
		if out, err := cityctl("audit", "verify-proof", "--trusted-header", trusted.Hex(), badFile); err == nil {
			t.Errorf("verify-proof of an altered %s proof passed:\n%s", tc.kind, out)
		}
	}

	// The code check fails against a tampered expectation.
	c, err := registry.Dial(ctx, n.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tampered := func(name string) (*contracts.Artifact, error) {
		a := *contracts.MustLoad(name)
		if name == contracts.DocumentsName {
			a.DeployedBytecode = slices.Clone(a.DeployedBytecode)
			a.DeployedBytecode[100] ^= 0xff
		}
		return &a, nil
	}
	checks, err := c.CheckCodeAgainst(ctx, registry.Fixed(), tampered)
	if !errors.Is(err, registry.ErrCodeMismatch) {
		t.Fatalf("tampered artifact: have %v, want %v", err, registry.ErrCodeMismatch)
	}
	for _, r := range checks {
		if want := r.Name != contracts.DocumentsName; r.Match != want {
			t.Errorf("%s: match %v, want %v (%s)", r.Name, r.Match, want, r.Problem)
		}
	}
}
