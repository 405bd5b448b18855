package keyfiles

import (
	"runtime/debug"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/keystore"
)

// Unlock unlocks acct in ks for a process that runs on (a signer), then
// returns the key derivation's memory to the operating system.
//
// A key of the standard keystore is derived with scrypt (N = 2^18, r = 8),
// which allocates 256 MiB. The Go runtime keeps freed pages for reuse and
// gives them back slowly, so a signer carried them in its resident set from
// the unlock on: 305 MiB before any load, and a W1 peak 35-73 MiB higher
// than with them returned (docs/benchmarks.md, 2026-12-06 19:31 and 20:00).
func Unlock(ks *keystore.KeyStore, acct accounts.Account, password string) error {
	defer debug.FreeOSMemory()
	return ks.Unlock(acct, password)
}

// Decrypt decrypts a key file's JSON, as keystore.DecryptKey, for a process
// that runs on (the gateway's relayer), then returns the key derivation's
// memory to the operating system (see Unlock).
func Decrypt(keyJSON []byte, password string) (*keystore.Key, error) {
	defer debug.FreeOSMemory()
	return keystore.DecryptKey(keyJSON, password)
}
