package api

import (
	"context"
	"fmt"
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
