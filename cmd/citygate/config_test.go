package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/citychain/citychain/internal/testkit/freeport"
)

// runGate runs citygate to completion and returns its output and exit status.
func runGate(t *testing.T, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(citygateBin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return string(out), 0
}

// TestConfiguration checks the precedence of defaults, TOML, environment
// and flags in dumpconfig, and the refusals of bad configuration (exit 2
// with a message that says what to fix).
func TestConfiguration(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citygate")
	}
	dir := t.TempDir()
	toml := filepath.Join(dir, "gate.toml")
	os.WriteFile(toml, []byte("[upstream]\n  rpc = [\"http://from-file:8545\"]\n  maxlag = 9\n[api]\n  ratelimit = 5.0\n"), 0o600)
	out, code := runGate(t, []string{"CITYGATE_API_RATELIMIT=7", "CITYGATE_HTTP_PORT=9000"}, "dumpconfig", "--config", toml, "--http.port", "9100")
	for _, want := range []string{`rpc = ["http://from-file:8545"]`, "maxlag = 9", "ratelimit = 7.0", "port = 9100", `addr = "127.0.0.1"`, "[pprof]\n  enabled = false\n  addr = \"127.0.0.1:6063\""} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("dumpconfig: exit %d, want %q in\n%s", code, want, out)
		}
	}
	// The dump is a configuration citygate reads back.
	dump := filepath.Join(dir, "dump.toml")
	os.WriteFile(dump, []byte(out), 0o600)
	if again, code := runGate(t, nil, "dumpconfig", "--config", dump); code != 0 || again != out {
		t.Errorf("dumpconfig of its own dump: exit %d\n%s\nwant\n%s", code, again, out)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[upstream]\n  rpcs = [\"http://x:1\"]\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"dumpconfig", "--config", bad}, "unknown keys upstream.rpcs"},
		{[]string{"--rpc", "ftp://x"}, `rpc node "ftp://x": want an http:// or https:// URL`},
		{[]string{"--tls.cert", "c.pem"}, "TLS needs both --tls.cert and --tls.key"},
		{[]string{"--rpc", "http://127.0.0.1:1", "--tls.cert", bad, "--tls.key", bad}, "TLS certificate " + bad + " with key " + bad},
		{[]string{"--relayer.keyfile", "k"}, "the ballot intake needs --datadir"},
		{[]string{"--nope"}, "unknown flag --nope"},
		{[]string{"--pprof", "--pprof.addr", "6063"}, `invalid --pprof.addr "6063"`},
		{[]string{"--pprof", "--pprof.blockprofilerate", "-1"}, "invalid --pprof.blockprofilerate ([pprof] blockprofilerate): have -1"},
		{[]string{"--pprof", "--pprof.mutexprofilefraction", "-1"}, "invalid --pprof.mutexprofilefraction ([pprof] mutexprofilefraction): have -1"},
		{[]string{"--rpc", "http://x:1", "--datadir", dir, "--relayer.keyfile", filepath.Join(dir, "missing.key")}, "--relayer.keyfile"},
	} {
		out, code := runGate(t, nil, tc.args...)
		if code != 2 || !strings.Contains(out, tc.want) || !strings.Contains(out, "citygate: error:") {
			t.Errorf("citygate %v: exit %d, want 2 and %q\n%s", tc.args, code, tc.want, out)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	return selfSignedSerial(t, dir, 1)
}

// selfSignedSerial writes a certificate with this serial number for
// 127.0.0.1 and its key, over the files an earlier one was written to.
func selfSignedSerial(t *testing.T, dir string, serial int64) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "citygate test"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServing runs citygate with TLS, CORS and a tight rate limit in front
// of a dev chain: HTTPS answers, a browser origin is allowed, the third
// request of a burst of two is 429 with Retry-After, and SIGTERM stops it
// cleanly (exit status 0) while a request is answered.
func TestServing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode and citygate")
	}
	dev := startDev(t)
	certDir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, certDir)
	port := freeport.T(t)
	p := startProc(t, "citygate", citygateBin, "--rpc", dev.url, "--http.port", fmt.Sprint(port), "--tls.cert", certFile, "--tls.key", keyFile,
		"--http.corsdomain", "https://verify.city.example", "--api.ratelimit", "0.5", "--api.rateburst", "2", "--upstream.health", "minPeers=0")
	url := fmt.Sprintf("https://127.0.0.1:%d", port)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	waitFor(t, 30*time.Second, "citygate over HTTPS", func() bool {
		resp, err := client.Get(url + "/health/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	req, _ := http.NewRequest("GET", url+"/api/v1/status", nil)
	req.Header.Set("Origin", "https://verify.city.example")
	var codes []int
	var last *http.Response
	for range 3 {
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
		last = resp
		if len(codes) == 1 && resp.Header.Get("Access-Control-Allow-Origin") != "https://verify.city.example" {
			t.Errorf("CORS: Access-Control-Allow-Origin %q, want the allowed origin", resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
	if fmt.Sprint(codes) != "[200 200 429]" || last.Header.Get("Retry-After") == "" {
		t.Errorf("burst of 3 with burst 2: have %v (Retry-After %q), want [200 200 429] with Retry-After", codes, last.Header.Get("Retry-After"))
	}
	// Plain HTTP on the TLS port is refused.
	if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/health/live", port)); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP answered 200 on the TLS port")
		}
	}
	checkCertificateReload(t, p, url, certDir)
	if !p.signal(syscall.SIGTERM, 20*time.Second) {
		t.Fatalf("citygate did not stop within 20 s of SIGTERM:\n%s", p.output())
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 || !strings.Contains(p.output(), "Stopped") {
		t.Errorf("citygate after SIGTERM: exit %d, want 0 and a Stopped line\n%s", code, p.output())
	}
}

// checkCertificateReload: SIGHUP makes citygate serve a renewed certificate
// from the next connection on; a broken one is refused with a log line and
// the one served stays; citygate keeps running through both.
func checkCertificateReload(t *testing.T, p *proc, url, certDir string) {
	t.Helper()
	selfSignedSerial(t, certDir, 2)
	p.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 10*time.Second, "citygate to serve the renewed certificate after SIGHUP", func() bool { return servedSerial(url) == 2 })
	os.WriteFile(filepath.Join(certDir, "cert.pem"), []byte("not a certificate"), 0o600)
	p.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 10*time.Second, "the refused reload's log line", func() bool {
		return strings.Contains(p.output(), "TLS certificate not reloaded, the one served stays")
	})
	if serial := servedSerial(url); serial != 2 || p.exited() {
		t.Errorf("after a broken certificate's SIGHUP: serial %d served (want 2), exited %v\n%s", serial, p.exited(), p.output())
	}
}

// servedSerial is the serial number of the certificate a new TLS connection
// to url is shown, 0 if none.
func servedSerial(url string) int64 {
	conn, err := tls.Dial("tcp", strings.TrimPrefix(url, "https://"), &tls.Config{InsecureSkipVerify: true}) // only read what is served
	if err != nil {
		return 0
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0].SerialNumber.Int64()
}
