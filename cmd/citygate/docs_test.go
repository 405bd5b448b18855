package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// docCommands returns the citygate command lines of the sh blocks of a
// document.
func docCommands(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "```sh":
			in = true
		case line == "```":
			in = false
		case in && strings.HasPrefix(line, "citygate "):
			out = append(out, strings.Fields(line)[1:])
		}
	}
	return out
}

// TestDocCommands runs the citygate commands of docs/gateway.md as printed,
// in a directory holding relayer.key (the dev relayer's key, as the guide
// says), with the dev chain's URL for http://127.0.0.1:8545 and a free port
// added: a gateway answers /health/ready, dumpconfig exits 0.
func TestDocCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode and citygate")
	}
	cmds := docCommands(t, gatewayDoc)
	if len(cmds) < 3 {
		t.Fatalf("docs/gateway.md has %d citygate commands, want at least 3", len(cmds))
	}
	dev := startDev(t)
	dir := t.TempDir()
	if err := crypto.SaveECDSA(filepath.Join(dir, "relayer.key"), genesis.DevAccounts(6)[5].Key); err != nil {
		t.Fatal(err)
	}
	for _, args := range cmds {
		for i, a := range args {
			args[i] = strings.ReplaceAll(a, "http://127.0.0.1:8545", dev.url)
		}
		if args[0] == "dumpconfig" {
			cmd := exec.Command(citygateBin, args...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "[upstream]") {
				t.Errorf("citygate %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			continue
		}
		port := freeport.T(t)
		p := startProcIn(t, dir, "citygate", citygateBin, append(args, "--http.port", fmt.Sprint(port))...)
		waitFor(t, 30*time.Second, "citygate "+strings.Join(args, " "), func() bool {
			if p.exited() {
				t.Fatalf("citygate %s exited:\n%s", strings.Join(args, " "), p.output())
			}
			resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/health/ready", port))
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == 200
		})
		p.stop()
	}
}
