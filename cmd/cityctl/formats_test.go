package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// contractsDir is contracts/ (the npm packages, the Node.js scripts) from
// this test's directory.
const contractsDir = "../../contracts"

// saveKey writes a hex key file for --key.
func saveKey(t *testing.T, dir, name string, hexKey []byte) string {
	t.Helper()
	k, err := crypto.ToECDSA(hexKey)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := crypto.SaveECDSA(path, k); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWalletBallots is the wallet path of a poll against a real citynode
// dev: residents with their own keys sign the typed data `cityctl poll
// typed-data` prints, exactly as printed, with ethers v6 Wallet.signTypedData
// (contracts/scripts/wallet-ballot.js, which also takes each resident's index
// and proof from the eligibility file through @openzeppelin/merkle-tree's
// StandardMerkleTree.load); the ballot lines with the wallet's signatures
// are relayed unchanged by `cityctl poll relay` and every one is counted by
// Polls.relay.
func TestWalletBallots(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	proctest.RequireNode(t, contractsDir)
	url := startDev(t)
	dir := t.TempDir()
	dev := genesis.DevAccounts(6)
	admin := saveKey(t, dir, "admin.key", crypto.FromECDSA(dev[4].Key))
	relayer := saveKey(t, dir, "relayer.key", crypto.FromECDSA(dev[5].Key))

	// Four residents with wallets of their own, and the option each chooses.
	type resident struct {
		key    []byte
		option int
	}
	residents := make([]resident, 4)
	var list strings.Builder
	for i := range residents {
		k, _ := crypto.GenerateKey()
		residents[i] = resident{crypto.FromECDSA(k), []int{0, 2, 2, 1}[i]}
		fmt.Fprintln(&list, crypto.PubkeyToAddress(k.PublicKey).Hex())
	}
	voters, elig := filepath.Join(dir, "voters.txt"), filepath.Join(dir, "eligibility.json")
	if err := os.WriteFile(voters, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "poll", "eligible", "--voters", voters, "--out", elig)
	mustRun(t, "poll", "create", "--rpc", url, "--key", admin, "--question", "Where should the new library go?",
		"--option", "Centre", "--option", "Harbour", "--option", "Station", "--closes", "+1h", "--eligibility", elig)

	// The typed data of each option, checked against the contract; the
	// offline form (--chainid) is the same bytes.
	typed := make(map[int]json.RawMessage)
	for opt := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("typed-%d.json", opt))
		mustRun(t, "poll", "typed-data", "--rpc", url, "--poll", "1", "--option", fmt.Sprint(opt), "--out", out)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		typed[opt] = data
		if offline := mustRun(t, "poll", "typed-data", "--chainid", "1337", "--poll", "1", "--option", fmt.Sprint(opt)); offline != string(data) {
			t.Errorf("typed data offline differs:\n%s\nonline:\n%s", offline, data)
		}
	}
	if _, err := cityctl("poll", "typed-data", "--rpc", url, "--poll", "1", "--option", "3"); err == nil || !strings.Contains(err.Error(), "poll 1 has 3 options") {
		t.Errorf("typed data of option 3: have %v, want a refusal", err)
	}
	if _, err := cityctl("poll", "typed-data", "--rpc", url, "--poll", "9"); err == nil || !strings.Contains(err.Error(), "UnknownPoll(9)") {
		t.Errorf("typed data of poll 9: have %v, want UnknownPoll(9)", err)
	}

	// The wallets sign; the script writes the ballot lines.
	eligData, err := os.ReadFile(elig)
	if err != nil {
		t.Fatal(err)
	}
	type job struct {
		Key       hexutil.Bytes   `json:"key"`
		TypedData json.RawMessage `json:"typedData"`
	}
	in := struct {
		Eligibility json.RawMessage `json:"eligibility"`
		Ballots     []job           `json:"ballots"`
	}{Eligibility: eligData}
	for _, r := range residents {
		in.Ballots = append(in.Ballots, job{r.key, typed[r.option]})
	}
	input, _ := json.Marshal(in)
	lines := proctest.NodeScript(t, contractsDir, "wallet-ballot.js", input)
	walletSig := regexp.MustCompile(`"signature":"0x[0-9a-f]{128}(1b|1c)"`)
	for i, line := range bytes.Split(bytes.TrimSpace(lines), []byte("\n")) {
		if !walletSig.Match(line) {
			t.Errorf("ballot %d: want a 0x-hex signature with v 27 or 28, have %s", i+1, line)
		}
	}
	ballotsFile := filepath.Join(dir, "ballots.jsonl")
	if err := os.WriteFile(ballotsFile, lines, 0o644); err != nil {
		t.Fatal(err)
	}

	out := mustRun(t, "poll", "relay", "--rpc", url, "--key", relayer, "--poll", "1", ballotsFile)
	if !strings.Contains(out, "Relayed 4 ballots to poll 1: 4 counted, 0 rejected") || strings.Contains(out, "cityctl: warning:") {
		t.Fatalf("relay of the wallets' ballots:\n%s", out)
	}
	var res pollResult
	if err := json.Unmarshal([]byte(mustRun(t, "poll", "results", "--rpc", url, "--poll", "1", "--json")), &res); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Tallies) != "[1 1 2]" {
		t.Errorf("tallies: have %v, want [1 1 2]", res.Tallies)
	}
}

// TestDeprecatedPollFiles runs a poll from files written by cityctl before
// the formats changed (commit 1ae54ba: contracts/ballots/testdata): the
// eligibility file and the base64 ballots are read with a warning, and the
// poll counts them; a ballot signed now from the old eligibility file, and
// one whose signature has v 0 or 1, count without a warning.
func TestDeprecatedPollFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	url := startDev(t)
	dir := t.TempDir()
	dev := genesis.DevAccounts(9)
	admin := saveKey(t, dir, "admin.key", crypto.FromECDSA(dev[4].Key))
	relayer := saveKey(t, dir, "relayer.key", crypto.FromECDSA(dev[5].Key))
	resident := saveKey(t, dir, "resident.key", crypto.FromECDSA(dev[8].Key))
	elig := filepath.Join(contractsDir, "ballots", "testdata", "eligibility-deprecated.json")
	old := filepath.Join(contractsDir, "ballots", "testdata", "ballots-base64.jsonl")

	out := mustRun(t, "poll", "create", "--rpc", url, "--key", admin, "--question", "Which park gets the new playground?",
		"--option", "North Park", "--option", "Riverside", "--option", "Old Town", "--closes", "+1h", "--eligibility", elig)
	if !strings.Contains(out, "cityctl: warning: "+elig+": eligibility files with root, voterCount and voters") || !strings.Contains(out, "Poll 1 created") {
		t.Fatalf("create from a deprecated eligibility file: want a warning and poll 1, have\n%s", out)
	}
	out = mustRun(t, "poll", "relay", "--rpc", url, "--key", relayer, "--poll", "1", old)
	if !strings.Contains(out, "cityctl: warning: "+old+": 2 ballots: base64 ballot signatures are deprecated") || !strings.Contains(out, "2 counted, 0 rejected") {
		t.Fatalf("relay of base64 ballots: want a warning and 2 counted, have\n%s", out)
	}

	// Dev account 8 votes now, from the old file; its v is then made 0 or 1.
	line := mustRun(t, "poll", "sign-ballot", "--rpc", url, "--key", resident, "--poll", "1", "--option", "2", "--eligibility", elig)
	line = line[strings.Index(line, "{"):]
	var b struct {
		Signature hexutil.Bytes `json:"signature"`
	}
	if err := json.Unmarshal([]byte(line), &b); err != nil || len(b.Signature) != 65 || b.Signature[64] < 27 {
		t.Fatalf("sign-ballot: %v, signature %x; want 65 bytes with v 27 or 28\n%s", err, b.Signature, line)
	}
	zeroOne := strings.Replace(line, hexutil.Encode(b.Signature), hexutil.Encode(append(b.Signature[:64:64], b.Signature[64]-27)), 1)
	file := filepath.Join(dir, "ballot.jsonl")
	if err := os.WriteFile(file, []byte(zeroOne), 0o644); err != nil {
		t.Fatal(err)
	}
	out = mustRun(t, "poll", "relay", "--rpc", url, "--key", relayer, "--poll", "1", file)
	if !strings.Contains(out, "1 counted, 0 rejected") || strings.Contains(out, "cityctl: warning:") {
		t.Fatalf("relay of a v 0/1 ballot: want 1 counted, no warning, have\n%s", out)
	}
	var res pollResult
	if err := json.Unmarshal([]byte(mustRun(t, "poll", "results", "--rpc", url, "--poll", "1", "--json")), &res); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Tallies) != "[1 1 1]" {
		t.Errorf("tallies: have %v, want [1 1 1]", res.Tallies)
	}
}

// TestDeprecatedBatchFile verifies documents of a version 1 batch file
// (written by cityctl at commit 1ae54ba: internal/client/registry/testdata) against
// a chain where its root is issued: the file is read with a warning, and its
// documents are valid.
func TestDeprecatedBatchFile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode")
	}
	n := startDevNode(t)
	path := filepath.Join("..", "..", "internal", "client", "registry", "testdata", "batch-deprecated.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := registry.DecodeBatchFile(data)
	if err != nil {
		t.Fatal(err)
	}
	// Issue the file's root as its issuer did (dev account 1 of CIVIL).
	c, err := registry.Dial(context.Background(), n.url, registry.NewSigner(genesis.DevAccounts(2)[1].Key))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Send(context.Background(), "Documents.issueBatch", contracts.DocumentsAddress, documents.NewDocuments().PackIssueBatch(batch.Root, uint32(batch.Count))); err != nil {
		t.Fatal(err)
	}
	for _, e := range batch.Documents {
		out := mustRun(t, "doc", "verify", "--rpc", n.url, "--batch", path, "--json", e.Hash.Hex())
		if !strings.Contains(out, "cityctl: warning: "+path+": batch files with version 1") || !strings.Contains(out, `"status": "valid"`) {
			t.Errorf("document %s: want a warning and valid, have\n%s", e.Hash, out)
		}
	}
}

// TestVerifyProofFiles checks proof files offline with `cityctl audit
// verify-proof`: a version 2 file verifies quietly, a version 1 file (the
// format before eth_getProof results, internal/client/audit/testdata) verifies with
// a deprecation warning, and neither verifies against another block hash.
func TestVerifyProofFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	for _, tt := range []struct {
		file, warning string
	}{
		{"proof.golden.json", ""},
		{"proof-v1.golden.json", "proof files of version 1 are deprecated"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "..", "internal", "client", "audit", "testdata", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var f struct {
				Header struct {
					Hash string `json:"hash"`
				} `json:"header"`
			}
			if err := json.Unmarshal(data, &f); err != nil {
				t.Fatal(err)
			}
			out := mustRun(t, "audit", "verify-proof", "--trusted-header", f.Header.Hash, path)
			if !strings.Contains(out, "Proof verified against block 0") || !strings.Contains(out, "slot 0x0000000000000000000000000000000000000000000000000000000000000000 = 0x000000000000000000000000000000000000000000000000000000000000002a") {
				t.Errorf("verify-proof:\n%s", out)
			}
			if hasWarning := strings.Contains(out, "cityctl: warning: "+path+": "); hasWarning != (tt.warning != "") || !strings.Contains(out, tt.warning) {
				t.Errorf("verify-proof: want warning %q, have\n%s", tt.warning, out)
			}
			other := crypto.Keccak256Hash([]byte("another block")).Hex()
			if out, err := cityctl("audit", "verify-proof", "--trusted-header", other, path); err == nil || !strings.Contains(err.Error(), "does NOT verify") {
				t.Errorf("verify-proof against another hash: have %v\n%s", err, out)
			}
		})
	}
}
