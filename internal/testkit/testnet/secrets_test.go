package testnet

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
)

const passwordName = "the keystore password"

// assertNoKeyMaterial fails if any node's log (its stdout and stderr) holds
// key material of the network: a signer's private key (decrypted from its
// keystore), a node key, a control listener's JWT secret, the keystore
// password or the faucet's key.
func assertNoKeyMaterial(t *testing.T, nw *Network) {
	t.Helper()
	secrets := map[string]string{passwordName: passwordText, "the faucet's private key": nw.Faucet}
	for _, n := range nw.Nodes {
		for name, value := range nodeSecrets(t, n) {
			secrets[n.Name+"'s "+name] = value
		}
	}
	for _, n := range nw.Nodes {
		log, err := os.ReadFile(n.Log)
		if err != nil {
			t.Fatal(err)
		}
		text := string(log)
		for name, value := range secrets {
			// Keys are hex, written in either case; the password as it is.
			if strings.Contains(text, value) || (name != passwordName && strings.Contains(strings.ToLower(text), strings.ToLower(value))) {
				t.Errorf("%s's log %s holds %s", n.Name, n.Log, name)
			}
		}
	}
}

// nodeSecrets reads a node's node key, JWT secret and decrypted signer keys
// from its data dir, as hex without 0x.
func nodeSecrets(t *testing.T, n *Node) map[string]string {
	t.Helper()
	out := make(map[string]string)
	key, err := crypto.LoadECDSA(filepath.Join(n.DataDir, "citynode", "nodekey"))
	if err != nil {
		t.Fatal(err)
	}
	out["node key"] = hex.EncodeToString(crypto.FromECDSA(key))
	if n.JWTSecret != "" {
		secret, err := os.ReadFile(n.JWTSecret)
		if err != nil {
			t.Fatal(err)
		}
		out["JWT secret"] = strings.TrimPrefix(strings.TrimSpace(string(secret)), "0x")
	}
	files, _ := filepath.Glob(filepath.Join(n.DataDir, "keystore", "*"))
	for _, f := range files {
		blob, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		k, err := keystore.DecryptKey(blob, passwordText)
		if err != nil {
			t.Fatalf("keystore file %s: %v", f, err)
		}
		out["signer key "+k.Address.Hex()] = hex.EncodeToString(crypto.FromECDSA(k.PrivateKey))
	}
	if n.Role == RoleSigner && len(files) == 0 {
		t.Fatalf("signer %s: no key in %s", n.Name, filepath.Join(n.DataDir, "keystore"))
	}
	return out
}
