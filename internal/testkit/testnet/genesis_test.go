package testnet

import (
	"crypto/ecdsa"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/genesis"
)

// TestGivenGenesisKeys: a given genesis runs only with one key per signer,
// in the genesis's order; the refusal comes before any node is made.
func TestGivenGenesisKeys(t *testing.T) {
	dir := t.TempDir()
	var keys []*ecdsa.PrivateKey
	var files []string
	spec := genesis.DefaultSpec()
	spec.ChainID = 4343
	for i := range 2 {
		k, _ := crypto.GenerateKey()
		keys = append(keys, k)
		spec.Signers = append(spec.Signers, crypto.PubkeyToAddress(k.PublicKey))
		f := filepath.Join(dir, "signer"+string(rune('1'+i))+".key")
		if err := crypto.SaveECDSA(f, k); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	gpath := filepath.Join(dir, "genesis.json")
	if err := writeJSON(gpath, g); err != nil {
		t.Fatal(err)
	}
	// The binary must exist; it is never run: every case is refused first.
	bin := "/bin/false"
	// The genesis lists its signers in its own (ascending) order: the keys
	// in that order, then reversed.
	order, err := genesis.Signers(g)
	if err != nil {
		t.Fatal(err)
	}
	if order[0] != crypto.PubkeyToAddress(keys[0].PublicKey) {
		files[0], files[1] = files[1], files[0]
	}
	base := Config{Binary: bin, Signers: 2, Genesis: gpath}

	cfg := base
	cfg.Dir, cfg.SignerKeys = filepath.Join(dir, "one"), files[:1]
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "one signer key per signer") {
		t.Errorf("one key for two signers: have %v, want a refusal", err)
	}
	cfg = base
	cfg.Dir, cfg.SignerKeys = filepath.Join(dir, "reversed"), []string{files[1], files[0]}
	_, err = Up(cfg)
	if err == nil || !strings.Contains(err.Error(), "genesis's order") {
		t.Fatalf("keys in the wrong order: have %v, want a refusal naming the order", err)
	}
	if entries, _ := os.ReadDir(cfg.Dir); len(entries) > 0 {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "signer") {
				t.Errorf("refused network left node %s behind", e.Name())
			}
		}
	}
	cfg = Config{Binary: bin, Signers: 1, ChainID: 1, Dir: dir, SignerKeys: files[:1]}
	if err := cfg.Validate(); err == nil {
		t.Error("signer keys without a genesis: have no error, want one")
	}
}
