package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/internal/gateway"
)

// TestHealthCommand: `citygate health` exits 0 on a 200 and prints the
// body, 1 on a 503 or no answer, 2 on bad usage.
func TestHealthCommand(t *testing.T) {
	ready := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health/ready" {
			http.NotFound(w, r)
			return
		}
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		w.Write([]byte(`{"status":"` + map[bool]string{true: "UP", false: "DOWN"}[ready] + `"}`))
	}))
	defer srv.Close()
	url := srv.URL + "/health/ready"
	if out, code := runGate(t, nil, "health", "--url", url); code != 0 || !strings.Contains(out, `"status":"UP"`) {
		t.Errorf("health of a ready gateway: exit %d, want 0 and the body:\n%s", code, out)
	}
	ready = false
	if out, code := runGate(t, []string{"CITYGATE_HEALTH_URL=" + url}, "health"); code != 1 || !strings.Contains(out, "503") {
		t.Errorf("health of a gateway that is not ready: exit %d, want 1 naming the 503:\n%s", code, out)
	}
	srv.Close()
	if out, code := runGate(t, nil, "health", "--url", url); code != 1 || !strings.Contains(out, "no answer") {
		t.Errorf("health with nothing listening: exit %d, want 1 and no answer:\n%s", code, out)
	}
	if out, code := runGate(t, nil, "health", "extra"); code != 2 {
		t.Errorf("health with an argument: exit %d, want 2:\n%s", code, out)
	}
}

// TestRelayerKeystoreDirectory: --relayer.keystore takes a key file or a
// keystore directory holding exactly one (the rehearsal's ceremony makes the
// relayer's key in the gateway's keystore directory).
func TestRelayerKeystoreDirectory(t *testing.T) {
	dir := t.TempDir()
	key, _ := crypto.GenerateKey()
	ks := keystore.NewKeyStore(filepath.Join(dir, "keystore"), keystore.LightScryptN, keystore.LightScryptP)
	acct, err := ks.ImportECDSA(key, "pw")
	if err != nil {
		t.Fatal(err)
	}
	pw := filepath.Join(dir, "password")
	os.WriteFile(pw, []byte("pw\n"), 0o600)
	for _, path := range []string{acct.URL.Path, filepath.Join(dir, "keystore")} {
		s, err := loadRelayerKey(gateway.RelayerConfig{Keystore: path, Password: pw})
		if err != nil || s.Address != acct.Address {
			t.Errorf("--relayer.keystore %s: have %v, %v; want %s", path, s, err, acct.Address.Hex())
		}
	}
	if _, err := ks.NewAccount("pw"); err != nil {
		t.Fatal(err)
	}
	_, err = loadRelayerKey(gateway.RelayerConfig{Keystore: filepath.Join(dir, "keystore"), Password: pw})
	if err == nil || !strings.Contains(err.Error(), "holds 2 key files") {
		t.Errorf("keystore directory with two keys: have %v, want a refusal naming 2 key files", err)
	}
}
