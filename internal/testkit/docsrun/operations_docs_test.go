package docsrun

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
	"github.com/citychain/citychain/internal/testkit/testnet"
)

// TestOperationsDoc runs the signer-set commands of docs/operations.md as
// printed against a one-signer network (cityctl testnet's; votes and the
// allowlist reload through the signers' control listeners): watching
// the signers; the PARKS department onboarded, its node started as printed,
// approved and voted in, sealing; then voted out by both signers (the
// leaving one votes for its own removal) and released from the allowlist.
func TestOperationsDoc(t *testing.T) {
	t.Parallel() // the documents' chains mostly wait for blocks
	s := newSession(t, "docs/operations.md")
	bin := binaries(t)
	nw, err := testnet.Up(testnet.Config{Dir: filepath.Join(t.TempDir(), "net"), Binary: filepath.Join(bin, "citynode"),
		Signers: 1, Period: 1, ChainID: 4321})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Down() })
	signer1 := nw.Nodes[0]
	port1 := strings.TrimPrefix(signer1.RPC, "http://127.0.0.1:")
	s.Set("8545", port1)
	cityctl := func(args ...string) string {
		out, err := exec.Command(filepath.Join(bin, "cityctl"), args...).CombinedOutput()
		if err != nil {
			t.Fatalf("cityctl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	client, err := ethclient.Dial(signer1.RPC)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	proctest.WaitFor(t, 60*time.Second, "block 2", func() bool {
		n, err := client.BlockNumber(t.Context())
		return err == nil && n >= 2
	})

	// Watching the signers.
	s.Run("cityctl signer list   --rpc http://127.0.0.1:8545", signer1.Address.Hex())
	s.Run("cityctl signer status --rpc http://127.0.0.1:8545", signer1.Address.Hex())
	watch := s.Start("cityctl signer watch  --rpc http://127.0.0.1:8545 --interval 5s")
	watch.WaitFor(30*time.Second, signer1.Address.Hex())
	watch.Stop(10 * time.Second)
	s.Run("cityctl signer proposals --rpc http://127.0.0.1:8545")

	// Bringing a department in: on its machine (here: this host, its own
	// data dir and ports; the network's password file).
	parksP2P, parksRPC := freeport.T(t), freeport.T(t)
	dataDir := filepath.Join(t.TempDir(), "parks")
	s.Set("/var/lib/citynode", dataDir)
	s.Set("/etc/citynode/password", filepath.Join(nw.Dir, "password"))
	s.Set("10.0.0.9", "127.0.0.1")
	s.Set("30303", fmt.Sprint(parksP2P))
	genesis, err := os.ReadFile(nw.Genesis)
	if err != nil {
		t.Fatal(err)
	}
	s.File("genesis.json", string(genesis))
	s.Run(`cityctl signer onboard --datadir /var/lib/citynode --password /etc/citynode/password --genesis genesis.json --department.code PARKS --department.name "Parks & Gardens" --p2p.addr 10.0.0.9 --port 30303 --out parks-join.json`, "Next steps")
	request, err := os.ReadFile(s.Path("parks-join.json"))
	if err != nil {
		t.Fatal(err)
	}
	newSigner := common.HexToAddress(match(t, `"signer": "(0x[0-9a-fA-F]{40})"`, string(request))).Hex()
	s.Run("citynode init genesis.json --datadir /var/lib/citynode")
	// Its allowlist: the members' enodes; its peers: the members.
	members := s.File("members.txt", signer1.Enode+"\n")
	s.Set("/etc/citynode/members.txt", members)
	s.Set("0xNEW", newSigner)
	s.Set("enode://...,enode://...", signer1.Enode)
	s.Setenv("CITYNODE_PORT", fmt.Sprint(parksP2P))
	s.Setenv("CITYNODE_HTTP_PORT", fmt.Sprint(parksRPC))
	parksControl := freeport.T(t)
	s.Setenv("CITYNODE_AUTHRPC_PORT", fmt.Sprint(parksControl))
	parks := s.Start("citynode --datadir /var/lib/citynode --signer 0xNEW --password /etc/citynode/password --p2p.addr 10.0.0.9 --p2p.allowlist /etc/citynode/members.txt --staticnodes enode://...,enode://... --http")
	parks.WaitFor(time.Minute, fmt.Sprintf("127.0.0.1:%d", parksRPC))

	// On each existing signer's machine: its own allowlist file, control
	// listener and JWT secret.
	s.Set("/etc/citynode/members.txt", nw.AllowlistPath())
	s.Set("/var/lib/citynode", signer1.DataDir)
	s.Set("8551", strings.TrimPrefix(signer1.Control, "http://127.0.0.1:"))
	s.Run("cityctl signer approve parks-join.json --rpc http://127.0.0.1:8551 --jwtsecret /var/lib/citynode/citynode/jwtsecret --p2p.allowlist /etc/citynode/members.txt")
	if data, _ := os.ReadFile(nw.AllowlistPath()); !strings.Contains(string(data), enodeID(t, string(request))) {
		t.Errorf("the signer's allowlist lacks the new node:\n%s", data)
	}
	s.Run("cityctl signer status parks-join.json --rpc http://127.0.0.1:8545", newSigner)
	proctest.WaitFor(t, 90*time.Second, "the new signer sealing", func() bool {
		return strings.Contains(cityctl("signer", "status", "--rpc", signer1.RPC, s.Path("parks-join.json")), "a signer, sealing")
	})

	// Taking it out: both signers vote (the leaving one for its own removal).
	s.Set("0xLEAVING", newSigner)
	s.Run("cityctl signer remove 0xLEAVING --rpc http://127.0.0.1:8551 --jwtsecret /var/lib/citynode/citynode/jwtsecret")
	s.Set("8551", fmt.Sprint(parksControl))
	s.Set("/var/lib/citynode", dataDir)
	s.Run("cityctl signer remove 0xLEAVING --rpc http://127.0.0.1:8551 --jwtsecret /var/lib/citynode/citynode/jwtsecret")
	s.Set("8551", strings.TrimPrefix(signer1.Control, "http://127.0.0.1:"))
	s.Set("/var/lib/citynode", signer1.DataDir)
	s.Run("cityctl signer status 0xLEAVING --rpc http://127.0.0.1:8545", newSigner)
	proctest.WaitFor(t, 60*time.Second, "the signer voted out", func() bool {
		return strings.Contains(cityctl("signer", "status", "--rpc", signer1.RPC, newSigner), "not a signer")
	})
	s.Run("cityctl signer remove parks-join.json --rpc http://127.0.0.1:8551 --jwtsecret /var/lib/citynode/citynode/jwtsecret --p2p.allowlist /etc/citynode/members.txt")
	if data, _ := os.ReadFile(nw.AllowlistPath()); strings.Contains(string(data), enodeID(t, string(request))) {
		t.Errorf("the signer's allowlist still holds the removed node:\n%s", data)
	}
	parks.Stop(30 * time.Second)
}

// enodeID is the node ID of the enode of a join request.
func enodeID(t *testing.T, request string) string {
	t.Helper()
	return match(t, `"enode": "enode://([0-9a-f]{128})@`, request)
}
