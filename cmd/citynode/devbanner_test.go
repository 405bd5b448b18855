package main

import (
	"strings"
	"testing"

	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/params"
)

// TestDevBannerListsTheRegistry: the dev banner lists every registry
// contract the dev genesis holds code for, by name and address; it left out
// Anchors, which the README lists and the chain has.
func TestDevBannerListsTheRegistry(t *testing.T) {
	var b strings.Builder
	writeDevRegistry(&b, genesis.DevAccounts(devAccountCount))
	alloc := params.Dev().Alloc
	for name, addr := range predeploy.Addresses() {
		if len(alloc[addr].Code) == 0 {
			continue
		}
		if !strings.Contains(b.String(), name) || !strings.Contains(b.String(), addr.Hex()) {
			t.Errorf("dev banner: want %s at %s, have\n%s", name, addr.Hex(), b.String())
		}
	}
}
