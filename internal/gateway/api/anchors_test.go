package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/internal/client/signers"
)

// TestByDepartment groups sealed blocks by their sealer's department, in
// the order each first sealed, each signer listed once; a sealer no
// department holds is under code "".
func TestByDepartment(t *testing.T) {
	a, b, c, x := common.Address{1}, common.Address{2}, common.Address{3}, common.Address{9}
	dir := signers.Static{
		a: {Code: "CITYHALL", Name: "City Hall"},
		b: {Code: "TRANSPORT", Name: "Transport"},
		c: {Code: "CITYHALL", Name: "City Hall"},
	}
	var blocks []signers.Block
	for i, s := range []common.Address{b, a, c, b, x, a} {
		blocks = append(blocks, signers.Block{Number: uint64(10 + i), Signer: s})
	}
	have, err := byDepartment(context.Background(), blocks, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []SealedDepartment{
		{Code: "TRANSPORT", Name: "Transport", Signers: []common.Address{b}, Blocks: 2},
		{Code: "CITYHALL", Name: "City Hall", Signers: []common.Address{a, c}, Blocks: 3},
		{Code: "", Name: "", Signers: []common.Address{x}, Blocks: 1},
	}
	if fmt.Sprint(have) != fmt.Sprint(want) {
		t.Errorf("have %+v\nwant %+v", have, want)
	}
	if none, _ := byDepartment(context.Background(), nil, dir); none == nil || len(none) != 0 {
		t.Errorf("no blocks: have %#v, want an empty list (JSON [])", none)
	}
}

// TestChainNodes reads --anchor.rpc's CHAINID=URL entries and refuses a
// malformed one or a chain named twice, saying what to give.
func TestChainNodes(t *testing.T) {
	nodes, err := chainNodes([]string{"4343=http://10.20.0.5:8545", " 77 = wss://aura.example:8546 "})
	if err != nil || len(nodes) != 2 || nodes[4343] != "http://10.20.0.5:8545" || nodes[77] != "wss://aura.example:8546" {
		t.Fatalf("have %v, %v; want chains 4343 and 77 with their URLs", nodes, err)
	}
	for _, bad := range []string{"4343", "x=http://a:1", "4343=", "4343=ftp://a:1", "4343=10.20.0.5:8545", "-1=http://a:1"} {
		if _, err := chainNodes([]string{bad}); err == nil || !strings.Contains(err.Error(), "want CHAINID=URL") {
			t.Errorf("%q: %v; want refused, saying CHAINID=URL", bad, err)
		}
	}
	if _, err := chainNodes([]string{"4343=http://a:1", "4343=http://b:1"}); err == nil || !strings.Contains(err.Error(), "two nodes") {
		t.Errorf("chain named twice: %v; want refused", err)
	}
	cfg := Defaults
	cfg.ChainRPC = []string{"4343"}
	if err := cfg.Validate(); err == nil {
		t.Error("Validate took a malformed --anchor.rpc")
	}
}
