package loadgen

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// TestDeriveAccountsKnownAnswer pins the derivation: a genesis written by one release
// of citybench must fund the accounts another release signs with.
func TestDeriveAccountsKnownAnswer(t *testing.T) {
	accounts, err := DeriveAccounts("citybench", 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ addr, key string }{
		{"0xEb056142fece8ceBEE85a0Dd29403c1092Cc4bbe", "c1d370c241591f7f311550ae742c829acd6d265c9e161c2caa843729a8569902"},
		{"0x8B420b9239c004391de7A4eA96E1fCabFa0D8ebB", "2c0f88031a2059646cd45ac98586a836a0a24270bc14a9dea03e6822055d2d08"},
	}
	for i, w := range want {
		if have := accounts[i].Address; have != common.HexToAddress(w.addr) {
			t.Errorf("account %d: have address %s, want %s", i, have.Hex(), w.addr)
		}
		if have := accounts[i].KeyHex(); have != w.key {
			t.Errorf("account %d: have key %s, want %s", i, have, w.key)
		}
		if accounts[i].Index != i {
			t.Errorf("account %d: have index %d", i, accounts[i].Index)
		}
	}
}

func TestDeriveAccountsDeterministic(t *testing.T) {
	a, err := DeriveAccounts("seed-a", 50)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := DeriveAccounts("seed-a", 60)
	other, _ := DeriveAccounts("seed-b", 50)
	seen := make(map[common.Address]bool)
	for i := range a {
		if a[i].Address != again[i].Address {
			t.Errorf("account %d differs between derivations: have %s, want %s", i, again[i].Address, a[i].Address)
		}
		if a[i].Address == other[i].Address {
			t.Errorf("account %d is the same for two seeds", i)
		}
		if seen[a[i].Address] {
			t.Errorf("account %d repeats an address", i)
		}
		seen[a[i].Address] = true
	}
}

func TestDeriveAccountsInvalid(t *testing.T) {
	if _, err := DeriveAccounts("", 1); !errors.Is(err, errNoSeed) {
		t.Errorf("empty seed: have %v, want %v", err, errNoSeed)
	}
	if _, err := DeriveAccounts("s", -1); err == nil {
		t.Error("negative count: have nil error")
	}
}
