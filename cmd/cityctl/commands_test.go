package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/client/registry"
)

// headerServer serves eth_chainId, eth_blockNumber and eth_getBlockByNumber
// from headers, as a node holding that chain would.
type headerServer struct {
	chainID *big.Int
	headers []*types.Header
}

func (s *headerServer) ChainId() *hexutil.Big { return (*hexutil.Big)(s.chainID) }

func (s *headerServer) BlockNumber() hexutil.Uint64 { return hexutil.Uint64(len(s.headers) - 1) }

func (s *headerServer) GetBlockByNumber(n rpc.BlockNumber, _ bool) (*types.Header, error) {
	if n < 0 || int(n) >= len(s.headers) {
		return nil, nil
	}
	return s.headers[n], nil
}

// serveHeaders starts a JSON-RPC server over HTTP holding headers.
func serveHeaders(t *testing.T, chainID *big.Int, headers []*types.Header) string {
	t.Helper()
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", &headerServer{chainID, headers}); err != nil {
		t.Fatal(err)
	}
	h := httptest.NewServer(srv)
	t.Cleanup(func() { h.Close(); srv.Stop() })
	return h.URL
}

// TestAuditSignersExitCode: `cityctl audit signers` passes a valid chain
// (exit 0) and stops at the first block that breaks a Clique rule, naming it,
// with exit status 1: here block 2, sealed by an account that is no signer.
func TestAuditSignersExitCode(t *testing.T) {
	signer, _ := crypto.ToECDSA(crypto.Keccak256([]byte("citychain cityctl audit signer")))
	outsider, _ := crypto.ToECDSA(crypto.Keccak256([]byte("citychain cityctl audit outsider")))
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4348, 1
	spec.Signers = []common.Address{crypto.PubkeyToAddress(signer.PublicKey)}
	spec.Timestamp = uint64(time.Now().Add(-time.Hour).Unix())
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(g)
	genesisFile := filepath.Join(t.TempDir(), "genesis.json")
	if err := os.WriteFile(genesisFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	engine := clique.New(g.Config.Clique, rawdb.NewMemoryDatabase())
	seal := func(parent *types.Header, key *ecdsa.PrivateKey) *types.Header {
		h := &types.Header{
			ParentHash: parent.Hash(), Root: parent.Root, TxHash: types.EmptyTxsHash, ReceiptHash: types.EmptyReceiptsHash,
			UncleHash: types.EmptyUncleHash, Number: new(big.Int).Add(parent.Number, common.Big1), GasLimit: parent.GasLimit,
			Time: parent.Time + spec.Period, Difficulty: big.NewInt(2), BaseFee: eip1559.CalcBaseFee(g.Config, parent),
			Extra: make([]byte, clique.ExtraVanity+clique.ExtraSeal),
		}
		sealed, err := engine.Seal(h, crypto.PubkeyToAddress(key.PublicKey), func(_ common.Address, hash []byte) ([]byte, error) { return crypto.Sign(hash, key) })
		if err != nil {
			t.Fatal(err)
		}
		return sealed
	}
	genesisHeader := g.ToBlock().Header()
	b1 := seal(genesisHeader, signer)

	valid := serveHeaders(t, g.Config.ChainID, []*types.Header{genesisHeader, b1, seal(b1, signer)})
	out, err := cityctl("audit", "signers", "--rpc", valid, "--genesis", genesisFile)
	if err != nil || !strings.Contains(out, "Checked blocks 0..2") || strings.Contains(out, "VIOLATION") {
		t.Fatalf("audit signers of a valid chain: have err %v, output\n%s\nwant blocks 0..2 checked, no violation", err, out)
	}

	broken := serveHeaders(t, g.Config.ChainID, []*types.Header{genesisHeader, b1, seal(b1, outsider)})
	out, err = cityctl("audit", "signers", "--rpc", broken, "--genesis", genesisFile)
	if code := exitCode(err); code != 1 {
		t.Fatalf("audit signers of a chain with a violation: have exit status %d (err %v), want 1\n%s", code, err, out)
	}
	if !strings.Contains(out, "VIOLATION at block 2") || !strings.Contains(out, "unauthorized signer") || !strings.Contains(err.Error(), "VIOLATION") {
		t.Fatalf("audit signers output: have %q (err %v), want the violation at block 2 named (unauthorized signer)", out, err)
	}
}

// TestCommandsOnDevNode runs, against a real `citynode dev`, the commands of
// the README that no other test runs: contracts list, dept add and revoke,
// title cancel, audit prove account (verified offline), signer list, watch
// and proposals (with propose and discard). Flags come before positional
// arguments.
func TestCommandsOnDevNode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode")
	}
	n := startDevNode(t)
	dev := genesis.DevAccounts(10)
	keys := keyring(t, 0, 2, 6, 7)
	with := func(who int, args ...string) []string { return append(slices.Clone(keys[who]), args...) }

	// contracts list: every registry contract at its fixed address, with its code.
	out := mustCityctl(t, "contracts", "list", "--rpc", n.url)
	for _, c := range []struct {
		name string
		addr common.Address
	}{
		{contracts.DirectoryName, contracts.DirectoryAddress}, {contracts.DocumentsName, contracts.DocumentsAddress},
		{contracts.PropertyTitlesName, contracts.PropertyTitlesAddress}, {contracts.MarketStallsName, contracts.MarketStallsAddress},
		{contracts.PollsName, contracts.PollsAddress}, {contracts.AnchorsName, contracts.AnchorsAddress},
	} {
		if !strings.Contains(out, c.name) || !strings.Contains(out, c.addr.Hex()) {
			t.Errorf("contracts list: want %s at %s, have\n%s", c.name, c.addr.Hex(), out)
		}
	}
	if strings.Contains(out, " 0 bytes on chain") {
		t.Errorf("contracts list: a contract without code:\n%s", out)
	}

	// dept add, grant, revoke: the admin (dev account 0); another account is refused.
	deptList := func() []registry.Department {
		t.Helper()
		var list struct{ Departments []registry.Department }
		if err := json.Unmarshal([]byte(mustCityctl(t, "dept", "list", "--rpc", n.url, "--json")), &list); err != nil {
			t.Fatal(err)
		}
		return list.Departments
	}
	roleHolders := func(code string) []common.Address {
		var out []common.Address
		for _, d := range deptList() {
			if d.Code == code {
				for _, a := range d.Accounts {
					out = append(out, a.Address)
				}
			}
		}
		return out
	}
	if _, err := cityctl(append([]string{"dept", "add", "--rpc", n.url}, with(6, "PARKS", "Parks and Gardens")...)...); err == nil ||
		!strings.Contains(err.Error(), "OwnableUnauthorizedAccount("+dev[6].Address.Hex()+")") {
		t.Fatalf("dept add by a resident: have %v, want OwnableUnauthorizedAccount", err)
	}
	mustCityctl(t, append([]string{"dept", "add", "--rpc", n.url}, with(0, "PARKS", "Parks and Gardens")...)...)
	if !slices.ContainsFunc(deptList(), func(d registry.Department) bool { return d.Code == "PARKS" && d.Name == "Parks and Gardens" }) {
		t.Fatalf("dept list after add: want PARKS, have %+v", deptList())
	}
	mustCityctl(t, append([]string{"dept", "grant", "--rpc", n.url}, with(0, "PARKS", "issuer", dev[9].Address.Hex())...)...)
	if have := roleHolders("PARKS"); !slices.Contains(have, dev[9].Address) {
		t.Fatalf("PARKS after grant: have %v, want %v", have, dev[9].Address)
	}
	mustCityctl(t, append([]string{"dept", "revoke", "--rpc", n.url}, with(0, "PARKS", "issuer", dev[9].Address.Hex())...)...)
	if have := roleHolders("PARKS"); slices.Contains(have, dev[9].Address) {
		t.Fatalf("PARKS after revoke: have %v, want %v gone", have, dev[9].Address)
	}

	// title cancel: the seller withdraws an offer; a stranger may not.
	const parcel = "77:01:0004012:4321"
	seller, buyer := dev[6].Address, dev[7].Address
	mustCityctl(t, append([]string{"title", "register", "--rpc", n.url, "--owner", seller.Hex() + ":100"}, with(2, parcel)...)...)
	mustCityctl(t, append([]string{"title", "offer", "--rpc", n.url, "--buyer", buyer.Hex(), "--share", "30"}, with(6, parcel)...)...)
	if _, err := cityctl(append([]string{"title", "cancel", "--rpc", n.url}, with(0, parcel)...)...); err == nil {
		t.Fatal("title cancel by an account that is no party: have success, want a revert")
	}
	mustCityctl(t, append([]string{"title", "cancel", "--rpc", n.url}, with(6, parcel)...)...)
	var hist []registry.Entry
	if err := json.Unmarshal([]byte(mustCityctl(t, "title", "history", "--rpc", n.url, "--json", parcel)), &hist); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range hist {
		actions = append(actions, e.Action)
	}
	if want := []string{"registered", "offered", "cancelled"}; !slices.Equal(actions, want) {
		t.Fatalf("history after cancel: have %v, want %v", actions, want)
	}
	if _, err := cityctl(append([]string{"title", "accept", "--rpc", n.url}, with(7, parcel)...)...); err == nil {
		t.Fatal("title accept after cancel: have success, want a revert (nothing pending)")
	}

	// audit prove account with two storage slots, verified offline.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	head, err := n.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	proofFile := filepath.Join(t.TempDir(), "p.json")
	mustCityctl(t, "audit", "prove", "account", "--rpc", n.url, "--block", head.Number.String(), "--out", proofFile, contracts.DirectoryAddress.Hex(), "0", "1")
	out = mustCityctl(t, "audit", "verify-proof", "--trusted-header", head.Hash().Hex(), proofFile)
	data, err := os.ReadFile(proofFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := audit.DecodeProof(data)
	if err != nil {
		t.Fatal(err)
	}
	code, err := n.client.CodeAt(ctx, contracts.DirectoryAddress, head.Number)
	if err != nil {
		t.Fatal(err)
	}
	if p.Account.CodeHash != crypto.Keccak256Hash(code) || len(p.Account.StorageProof) != 2 {
		t.Errorf("proof of the Directory: have code hash %v, %d slots; want %v, 2 slots\n%s", p.Account.CodeHash, len(p.Account.StorageProof), crypto.Keccak256Hash(code), out)
	}
	if _, err := cityctl("audit", "verify-proof", "--trusted-header", head.ParentHash.Hex(), proofFile); err == nil {
		t.Error("verify-proof against another block's hash: have success, want a failure")
	}

	// signer list, watch and proposals, with propose and discard (last: adding
	// a second signer with no node stops the dev chain).
	if out := mustCityctl(t, "signer", "list", "--rpc", n.url); !strings.Contains(out, dev[0].Address.Hex()) || !strings.Contains(out, "1 signers") {
		t.Errorf("signer list: want the dev signer %s of 1 signers, have\n%s", dev[0].Address.Hex(), out)
	}
	if out := mustCityctl(t, "signer", "watch", "--rpc", n.url, "--count", "2", "--interval", "100ms"); strings.Count(out, "Head ") != 2 {
		t.Errorf("signer watch --count 2: want two reports, have\n%s", out)
	}
	if out := mustCityctl(t, "signer", "proposals", "--rpc", n.url); !strings.Contains(out, "No votes in flight") {
		t.Errorf("signer proposals before any vote: have\n%s", out)
	}
	newcomer := common.HexToAddress("0x00000000000000000000000000000000000c17e5")
	control := n.control(t)
	vote := func(args ...string) []string { return append(args, control...) }
	mustCityctl(t, vote("signer", "propose", newcomer.Hex())...)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(mustCityctl(t, "signer", "proposals", "--rpc", n.url), "done (discard it)") {
		if time.Now().After(deadline) {
			t.Fatalf("the vote for %s did not pass within 30s:\n%s", newcomer.Hex(), mustCityctl(t, "signer", "proposals", "--rpc", n.url))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if out := mustCityctl(t, "signer", "list", "--rpc", n.url); !strings.Contains(out, newcomer.Hex()) || !strings.Contains(out, "2 signers") {
		t.Errorf("signer list after the vote: want %s among 2 signers, have\n%s", newcomer.Hex(), out)
	}
	mustCityctl(t, vote("signer", "discard", newcomer.Hex())...)
	if out := mustCityctl(t, "signer", "proposals", "--rpc", n.url); !strings.Contains(out, "No votes in flight") {
		t.Errorf("signer proposals after discard: have\n%s", out)
	}
	if _, err := cityctl(vote("signer", "discard", newcomer.Hex())...); err == nil {
		t.Error("discard without a proposal: have success, want an error")
	}
}
