package ballotload

import (
	"crypto/ecdsa"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

func TestElectorate(t *testing.T) {
	voters := []common.Address{{1}, {2}, {3}}
	list := Electorate(voters, 10)
	if len(list) != 10 {
		t.Fatalf("have %d residents, want 10", len(list))
	}
	for i, v := range voters {
		if list[i*3] != v {
			t.Errorf("voter %d: at %d have %s, want %s", i, i*3, list[i*3].Hex(), v.Hex())
		}
	}
	seen := map[common.Address]bool{}
	for _, a := range list {
		if seen[a] {
			t.Fatalf("resident %s listed twice", a.Hex())
		}
		seen[a] = true
	}
}

func TestConfigValidate(t *testing.T) {
	k, _ := crypto.GenerateKey()
	good := Config{Client: &ethclient.Client{}, Admin: k, Relayers: []*ecdsa.PrivateKey{k}, Voters: []*ecdsa.PrivateKey{k, k},
		Electorate: 2, Batch: 1, Options: 2}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for name, mod := range map[string]func(*Config){
		"no relayers":          func(c *Config) { c.Relayers = nil },
		"no voters":            func(c *Config) { c.Voters = nil },
		"electorate too small": func(c *Config) { c.Electorate = 1 },
		"batch 0":              func(c *Config) { c.Batch = 0 },
		"one option":           func(c *Config) { c.Options = 1 },
		"65 options":           func(c *Config) { c.Options = 65 },
	} {
		c := good
		mod(&c)
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: have %v, want %v", name, err, ErrConfig)
		}
	}
}
