package docsrun

import (
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// banner reads the dev accounts of a citynode dev banner.
func banner(t *testing.T, out string) (keys [10]string, addrs [10]common.Address) {
	t.Helper()
	m := bannerLine.FindAllStringSubmatch(out, -1)
	if len(m) != 10 {
		t.Fatalf("the dev banner lists %d accounts, want 10:\n%s", len(m), out)
	}
	for _, l := range m {
		i := int(l[1][0] - '0')
		addrs[i], keys[i] = common.HexToAddress(l[2]), l[3]
	}
	return keys, addrs
}

// TestReadmeDevChain runs README.md's commands against the dev chains it
// starts, in its order: make run; the dev chain and its curl; the dev chain
// with a data dir, its genesis for the signer audit and dumpgenesis; citynode
// version; the market stalls and the poll; the auditing block. The local
// network block is TestReadmeLocalNetwork's; the ceremony and compose blocks
// are run by ./docker (docsrun.Elsewhere).
func TestReadmeDevChain(t *testing.T) {
	t.Parallel() // the documents' chains mostly wait for blocks
	s := newSession(t, "README.md")

	// make run: the dev chain on 8545, here on a free port given by the
	// CITYNODE_HTTP_PORT variable the README documents.
	port := freeport.T(t)
	s.Setenv("CITYNODE_HTTP_PORT", fmt.Sprint(port))
	run := s.StartInRepo("make run")
	run.WaitFor(3*time.Minute, fmt.Sprintf("JSON-RPC: http://127.0.0.1:%d", port))
	run.WaitFor(30*time.Second, "Development accounts")
	run.Stop(30 * time.Second)

	// The dev chain the rest of the page uses.
	p1 := freeport.T(t)
	s.Set("8545", fmt.Sprint(p1))
	dev := s.Start("build/bin/citynode dev --period 1 --http.port 8545")
	dev.WaitFor(time.Minute, "relayer of PARTICIPATION: account 5")
	keys, addrs := banner(t, dev.Output())
	url := fmt.Sprintf("http://127.0.0.1:%d", p1)
	client, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	s.Run(`curl -s -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"clique_getSigners","params":["latest"]}' http://127.0.0.1:8545`,
		strings.ToLower(addrs[0].Hex()))

	// The dev chain with a data dir: its genesis file audits it; dumpgenesis
	// prints the same genesis once it is stopped.
	p2 := freeport.T(t)
	s.Set("8545", fmt.Sprint(p2))
	s.Setenv("CITYNODE_HTTP_PORT", fmt.Sprint(p2))
	devchain := filepath.Join(t.TempDir(), "devchain")
	s.Set("/tmp/devchain", devchain)
	kept := s.Start("build/bin/citynode dev --datadir /tmp/devchain --verbosity 2 --http.corsdomain '*'")
	kept.WaitFor(time.Minute, "Genesis file: "+devchain+"/genesis.json")
	proctest.WaitFor(t, 30*time.Second, "block 2 of the kept dev chain", func() bool {
		c, err := ethclient.Dial(fmt.Sprintf("http://127.0.0.1:%d", p2))
		if err != nil {
			return false
		}
		defer c.Close()
		n, err := c.BlockNumber(t.Context())
		return err == nil && n >= 2
	})
	s.Run("build/bin/cityctl audit signers --rpc http://127.0.0.1:8545 --genesis /tmp/devchain/genesis.json")
	kept.Stop(30 * time.Second)
	if strings.Contains(kept.Output(), "INFO ") {
		t.Errorf("citynode dev --verbosity 2 printed INFO lines:\n%s", kept.Output())
	}
	dumped := s.Run("build/bin/citynode dumpgenesis --datadir /tmp/devchain")
	written, err := os.ReadFile(filepath.Join(devchain, "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	if dumped.Stdout != string(written) {
		t.Errorf("dumpgenesis differs from /tmp/devchain/genesis.json:\n%s\nwant\n%s", dumped.Stdout, written)
	}
	s.Run("build/bin/citynode version", "citynode")

	// Market stalls and a poll, on the first dev chain (CITYCTL_RPC: the
	// default --rpc, http://127.0.0.1:8545, is that chain).
	s.Set("8545", fmt.Sprint(p1))
	s.Setenv("CITYCTL_RPC", url)
	s.File("op.key", keys[3]+"\n")     // market operator of MARKETS
	s.File("trader.key", keys[6]+"\n") // a trader
	s.File("admin.key", keys[4]+"\n")  // poll admin of PARTICIPATION
	s.File("resident.key", keys[7]+"\n")
	s.File("relayer.key", keys[5]+"\n")
	s.File("voters.txt", addrs[7].Hex()+"\n"+addrs[8].Hex()+"\n")
	s.Run(`cityctl stall market --code SAT-FAIR --name "Saturday fair" --key op.key`, "Market 1 SAT-FAIR")
	s.Run("cityctl stall stall --market 1 --code A-1 --key op.key", "Stall 1 A-1")
	s.Run("cityctl stall round --market 1 --stalls 1 --closes +30s --lease-end +720h --seed-file round1.seed --key op.key", "Round 1 opened")
	s.Run("cityctl stall apply --round 1 --key trader.key", "applicant 1")
	s.Run("cityctl stall draw --round 1 --seed-file round1.seed --key op.key", addrs[6].Hex())
	s.Run("cityctl stall waitlist --round 1; cityctl stall release --lease 1 --key op.key")
	s.Run("cityctl poll eligible --voters voters.txt --out eligibility.json", "Eligibility of 2 voters")
	s.Run(`cityctl poll create --question "New playground?" --option North --option River --closes +24h --eligibility eligibility.json --key admin.key`, "Poll 1 created")
	s.Run("cityctl poll typed-data --poll 1 --option 0 --out typed.json")
	if b, err := os.ReadFile(s.Path("typed.json")); err != nil || !strings.Contains(string(b), `"CityPolls"`) {
		t.Errorf("typed.json: %v\n%s", err, b)
	}
	s.Run("cityctl poll sign-ballot --poll 1 --option 0 --eligibility eligibility.json --key resident.key --out ballots.jsonl")
	s.Run("cityctl poll relay --poll 1 --batch 100 ballots.jsonl --key relayer.key", "1 counted, 0 rejected")
	s.Run("cityctl poll results --poll 1; cityctl poll recount --poll 1", "Recount matches")

	// Auditing: an auditor from the published genesis (the dev chain's), the
	// signer audit, proofs and their offline check. The dev chain has no
	// devp2p listener, so the auditor starts and serves but cannot sync: the
	// audit commands ask the dev chain.
	genesis, err := os.ReadFile(match(t, `Genesis file: (\S+)`, dev.Output()))
	if err != nil {
		t.Fatal(err)
	}
	s.File("genesis.json", string(genesis))
	s.Set("/var/lib/auditor", filepath.Join(t.TempDir(), "auditor"))
	s.Run("citynode init genesis.json --mode auditor --datadir /var/lib/auditor")
	s.Set("enode://...", match(t, `self=(enode://\S+)`, dev.Output()))
	p3 := freeport.T(t)
	s.Setenv("CITYNODE_HTTP_PORT", fmt.Sprint(p3))
	s.Setenv("CITYNODE_PORT", fmt.Sprint(freeport.T(t)))
	auditor := s.Start("citynode --mode auditor --datadir /var/lib/auditor --staticnodes enode://... --http")
	auditor.WaitFor(time.Minute, fmt.Sprintf("127.0.0.1:%d", p3))
	if out, err := exec.Command("curl", "-s", "-H", "content-type: application/json", "-d",
		`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x00"]}`, fmt.Sprintf("http://127.0.0.1:%d", p3)).CombinedOutput(); err != nil || !strings.Contains(string(out), "read-only") {
		t.Errorf("the auditor took a transaction: %v %s", err, out)
	}
	auditor.Stop(30 * time.Second)

	s.Run("cityctl audit signers --rpc http://127.0.0.1:8545 --genesis genesis.json", "No violation")
	// A document to prove, issued by CIVIL's issuer (dev account 1).
	s.File("dev1.key", keys[1]+"\n")
	s.File("certificate.pdf", "a certificate\n")
	cityctl := exec.Command(filepath.Join(binaries(t), "cityctl"), "doc", "issue", "--file", "certificate.pdf", "--type", "CERT", "--holder-ref", crypto.Keccak256Hash([]byte("ref")).Hex(), "--key", "dev1.key")
	cityctl.Dir, cityctl.Env = s.Dir, s.Env
	if out, err := cityctl.CombinedOutput(); err != nil {
		t.Fatalf("issuing a document to prove: %v\n%s", err, out)
	}
	head, err := client.BlockNumber(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	s.Set("0xADDRESS", contracts.DirectoryAddress.Hex())
	s.Set("1200", fmt.Sprint(head))
	s.Run("cityctl audit prove account 0xADDRESS 0 1 --rpc http://127.0.0.1:8545 --block 1200 --out p.json")
	s.Set("0xDOCHASH", crypto.Keccak256Hash([]byte("a certificate\n")).Hex())
	s.Run("cityctl audit prove document 0xDOCHASH --block 1200 --out d.json")
	s.Run("cityctl contracts verify --rpc http://127.0.0.1:8545")
	hdr, err := client.HeaderByNumber(t.Context(), new(big.Int).SetUint64(head))
	if err != nil {
		t.Fatal(err)
	}
	s.Set("0xBLOCKHASH", hdr.Hash().Hex())
	s.Run("cityctl audit verify-proof p.json --trusted-header 0xBLOCKHASH")
	dev.Stop(30 * time.Second)
}
