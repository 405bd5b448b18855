package keyfiles

import (
	"runtime/debug"
	"runtime/metrics"
	"testing"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
)

// retained is the memory the runtime has mapped and not returned to the
// operating system: what it holds of the process's resident set.
func retained() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// keepsAfter runs f with the runtime's memory returned before it and reports
// how much more it retains after f.
func keepsAfter(t *testing.T, f func() error) uint64 {
	t.Helper()
	debug.FreeOSMemory()
	before := retained()
	if err := f(); err != nil {
		t.Fatal(err)
	}
	after := retained()
	if after < before {
		return 0
	}
	return after - before
}

// The standard scrypt derivation allocates 256 MiB; returned, what stays is
// the key and the runtime's own growth, a few MiB.
const maxKept = 64 << 20

// TestUnlockReturnsScryptMemory: unlocking a standard keystore key leaves
// the runtime holding no more than a few MiB more than before; without the
// release it kept the derivation's 256 MiB (it is what a signer's resident
// set carried from the unlock on).
func TestUnlockReturnsScryptMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("two standard scrypt derivations, 256 MiB each")
	}
	ks := Open(t.TempDir())
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	acct, err := ks.ImportECDSA(key, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if kept := keepsAfter(t, func() error { return Unlock(ks, accounts.Account{Address: acct.Address}, "pw") }); kept > maxKept {
		t.Fatalf("the runtime kept %d MiB after the unlock, want at most %d", kept>>20, maxKept>>20)
	}
	if err := Unlock(ks, acct, "wrong"); err == nil {
		t.Fatal("unlocked with a wrong password")
	}
}

// TestDecryptReturnsScryptMemory: the same for a key file decrypted by the
// gateway's relayer.
func TestDecryptReturnsScryptMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("two standard scrypt derivations, 256 MiB each")
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	data, err := keystore.EncryptKey(&keystore.Key{Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}, "pw", keystore.StandardScryptN, keystore.StandardScryptP)
	if err != nil {
		t.Fatal(err)
	}
	var got *keystore.Key
	kept := keepsAfter(t, func() (err error) { got, err = Decrypt(data, "pw"); return err })
	if kept > maxKept {
		t.Fatalf("the runtime kept %d MiB after decrypting, want at most %d", kept>>20, maxKept>>20)
	}
	if got.Address != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("decrypted key of %s, want %s", got.Address.Hex(), crypto.PubkeyToAddress(key.PublicKey).Hex())
	}
}
