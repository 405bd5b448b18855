package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/testkit/gethclique"
)

// anchorStatusJSON runs `anchor status --json` and decodes it.
func anchorStatusJSON(t *testing.T, url string, chain uint64) anchor.Status {
	t.Helper()
	out, stdout, err := cityctlOut("anchor", "status", "--rpc", url, "--chain", fmt.Sprint(chain), "--json")
	if err != nil {
		t.Fatalf("anchor status: %v\n%s", err, out)
	}
	var s anchor.Status
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("anchor status --json: %v\n%s", err, stdout)
	}
	return s
}

// anchorKeys writes into dir the key files of the admin (dev account 0) and
// of the anchor relayer (dev account 8).
func anchorKeys(t *testing.T, dir string) (admin, relayer string) {
	t.Helper()
	dev := genesis.DevAccounts(9)
	admin, relayer = filepath.Join(dir, "admin.key"), filepath.Join(dir, "relayer.key")
	for path, i := range map[string]int{admin: 0, relayer: 8} {
		if err := crypto.SaveECDSA(path, dev[i].Key); err != nil {
			t.Fatal(err)
		}
	}
	return admin, relayer
}

// TestAnchorCommands runs the anchor commands against a real geth 1.13.15
// Clique chain (one signer, epoch 4) and a real `citynode dev`: the admin
// deploys Anchors (twice: the second finds it), grants anchor-relayer,
// registers the chain at its latest epoch header, the relayer posts spans,
// and status shows each checkpoint with geth's hash; the refusals name what
// was wrong.
func TestAnchorCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts geth and citynode")
	}
	ext := gethclique.Start(t, gethclique.Config{ChainID: 4242, Period: 1, Epoch: 4, Signers: 1})
	url := startDev(t)
	dir := t.TempDir()
	dev := genesis.DevAccounts(10)
	admin, relayer := anchorKeys(t, dir)

	refusedCityctl(t, "cityctl anchor deploy", "anchor", "status", "--rpc", url, "--chain", "4242")
	out := mustCityctl(t, "anchor", "deploy", "--rpc", url, "--key", admin)
	if !strings.Contains(out, "Deployed Anchors at") {
		t.Fatalf("anchor deploy: %s", out)
	}
	if out = mustCityctl(t, "anchor", "deploy", "--rpc", url, "--key", admin); !strings.Contains(out, "already registered") {
		t.Fatalf("second anchor deploy: %s", out)
	}
	mustCityctl(t, "dept", "grant", "CIVIL", "anchor-relayer", dev[8].Address.Hex(), "--rpc", url, "--key", admin)

	ext.WaitHead(t, 5, 30*time.Second)
	refusedCityctl(t, "NotAdmin", "anchor", "register", "--rpc", url, "--key", relayer, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4")
	refusedCityctl(t, "is not an epoch header", "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4", "--checkpoint", "3")
	refusedCityctl(t, "is --epoch", "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "3", "--checkpoint", "3")
	out = mustCityctl(t, "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4")
	s := anchorStatusJSON(t, url, 4242)
	if s.Latest.Number == 0 || s.Latest.Number%4 != 0 || s.Epoch != 4 || len(s.Validators) != 1 || s.Validators[0] != ext.Nodes[0].Address {
		t.Fatalf("after register: %+v (%s)", s, out)
	}
	refusedCityctl(t, "ChainExists", "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4")
	refusedCityctl(t, "NotAnchorRelayer", "anchor", "post", "--rpc", url, "--key", admin, "--chain", "4242", "--chain-rpc", ext.Nodes[0].URL)

	for range 2 {
		from := anchorStatusJSON(t, url, 4242).Latest.Number
		ext.WaitHead(t, from+3, 30*time.Second)
		out = mustCityctl(t, "anchor", "post", "--rpc", url, "--key", relayer, "--chain", "4242", "--chain-rpc", ext.Nodes[0].URL, "--blocks", "3")
		s = anchorStatusJSON(t, url, 4242)
		if s.Latest.Number != from+3 {
			t.Fatalf("post from %d with --blocks 3: latest %d (%s)", from, s.Latest.Number, out)
		}
		h, err := ext.Nodes[0].Eth.HeaderByNumber(t.Context(), u(s.Latest.Number))
		if err != nil {
			t.Fatal(err)
		}
		if h.Hash() != s.Latest.Hash || h.ReceiptHash != s.Latest.ReceiptsRoot || h.Root != s.Latest.StateRoot || s.Latest.Sealer != ext.Nodes[0].Address {
			t.Fatalf("checkpoint %d: %+v, geth has %s", s.Latest.Number, s.Latest, h.Hash())
		}
	}
	if out = mustCityctl(t, "anchor", "status", "--rpc", url, "--chain", "4242"); !strings.Contains(out, s.Latest.Hash.Hex()) || strings.Contains(out, "CONFLICT") {
		t.Fatalf("anchor status: %s", out)
	}
	refusedCityctl(t, "not registered", "anchor", "status", "--rpc", url, "--chain", "7")
}
