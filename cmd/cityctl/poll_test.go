package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// startDev starts `citynode dev` on a free port and returns its RPC URL once
// it has sealed a block; the process is stopped when the test ends.
func startDev(t *testing.T) string {
	t.Helper()
	port := freeport.T(t)
	logFile, err := os.Create(filepath.Join(t.TempDir(), "citynode.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(citynodeBin, "dev", "--datadir", t.TempDir(), "--http.port", fmt.Sprint(port), "--period", "1")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		logFile.Close()
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	proctest.WaitFor(t, 30*time.Second, "citynode dev sealing block 1", func() bool {
		c, err := ethclient.Dial(url)
		if err != nil {
			return false
		}
		defer c.Close()
		n, err := c.BlockNumber(context.Background())
		return err == nil && n >= 1
	})
	return url
}

// TestPollProcess runs one full poll with cityctl against a real citynode dev
// process: eligibility from a voter list, creation by the poll admin (and a
// refusal for another account), residents' signed ballots (an ineligible
// resident cannot sign; a tampered and a second ballot are rejected by the
// contract without failing their batch), relay, results and recount.
func TestPollProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	url := startDev(t)
	dir := t.TempDir()
	acc := genesis.DevAccounts(10)
	keyFile := func(i int) string {
		path := filepath.Join(dir, fmt.Sprintf("key%d", i))
		if err := crypto.SaveECDSA(path, acc[i].Key); err != nil {
			t.Fatal(err)
		}
		return path
	}
	voters := filepath.Join(dir, "voters.txt")
	list := fmt.Sprintf("# residents of ward 3\n%s\n%s\n%s\n0x00000000000000000000000000000000000000aa\n", acc[6].Address.Hex(), acc[7].Address.Hex(), acc[8].Address.Hex())
	if err := os.WriteFile(voters, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	elig := filepath.Join(dir, "eligibility.json")
	mustRun(t, "poll", "eligible", "--voters", voters, "--out", elig)
	if _, err := cityctl("poll", "results", "--rpc", url, "--poll", "1"); err == nil || !strings.Contains(err.Error(), "UnknownPoll(1)") ||
		!strings.Contains(err.Error(), "no polls yet (`cityctl poll create` makes one)") {
		t.Errorf("results before any poll: have %v, want UnknownPoll(1) and that the chain has no polls yet", err)
	}

	create := []string{"poll", "create", "--rpc", url, "--question", "Which park gets the new playground?",
		"--option", "North Park", "--option", "Riverside", "--option", "Old Town", "--closes", "+1h", "--eligibility", elig}
	// A resident is no poll admin.
	out, err := cityctl(append(create, "--key", keyFile(6))...)
	if err == nil || !strings.Contains(err.Error(), "NotPollAdmin(") {
		t.Fatalf("create by a resident: have %v\n%s, want NotPollAdmin", err, out)
	}
	out = mustRun(t, append(create, "--key", keyFile(4))...)
	if !strings.Contains(out, "Poll 1 created by PARTICIPATION") {
		t.Fatalf("create: %s", out)
	}

	ballotsFile := filepath.Join(dir, "ballots.jsonl")
	sign := func(resident, option int) error {
		_, err := cityctl("poll", "sign-ballot", "--rpc", url, "--key", keyFile(resident), "--poll", "1",
			"--option", fmt.Sprint(option), "--eligibility", elig, "--out", ballotsFile)
		return err
	}
	for _, v := range []struct{ resident, option int }{{6, 0}, {7, 1}, {8, 1}, {8, 2}} {
		if err := sign(v.resident, v.option); err != nil {
			t.Fatalf("sign-ballot of dev account %d: %v", v.resident, err)
		}
	}
	if err := sign(9, 0); err == nil || !strings.Contains(err.Error(), "not in the eligibility list") {
		t.Fatalf("sign-ballot of an unlisted resident: have %v, want refusal", err)
	}
	// A ballot changed after signing: resident 7's choice flipped by the relayer.
	data, err := os.ReadFile(ballotsFile)
	if err != nil {
		t.Fatal(err)
	}
	var tampered ballots.Ballot
	if err := json.Unmarshal([]byte(strings.Split(string(data), "\n")[1]), &tampered); err != nil {
		t.Fatal(err)
	}
	tampered.Option = 2
	line, _ := json.Marshal(tampered)
	extra := filepath.Join(dir, "tampered.jsonl")
	if err := os.WriteFile(extra, append(line, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}

	out = mustRun(t, "poll", "relay", "--rpc", url, "--key", keyFile(5), "--poll", "1", "--batch", "2", extra, ballotsFile)
	for _, want := range []string{
		"Relayed 5 ballots to poll 1: 3 counted, 2 rejected",
		fmt.Sprintf("rejected ballot 1 (voter %s, index 1): BadSignature", acc[7].Address.Hex()),
		fmt.Sprintf("rejected ballot 5 (voter %s, index 2): AlreadyVoted", acc[8].Address.Hex()),
		"] 5/5 ballots, 3 counted, 2 rejected",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("relay output lacks %q:\n%s", want, out)
		}
	}
	// A resident's key is no relayer.
	if _, err := cityctl("poll", "relay", "--rpc", url, "--key", keyFile(6), "--poll", "1", ballotsFile); err == nil || !strings.Contains(err.Error(), "NotRelayer(") {
		t.Errorf("relay by a resident: have %v, want NotRelayer", err)
	}

	_, out, err = cityctlOut("poll", "results", "--rpc", url, "--poll", "1", "--json")
	if err != nil {
		t.Fatalf("results --json: %v\n%s", err, out)
	}
	var res pollResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("results --json: %v\n%s", err, out)
	}
	if fmt.Sprint(res.Tallies) != "[1 2 0]" || res.State != "open" || res.Voters != 4 || res.Department != "PARTICIPATION" {
		t.Errorf("results: have %+v, want tallies [1 2 0], open, 4 voters, PARTICIPATION", res)
	}
	out = mustRun(t, "poll", "results", "--rpc", url, "--poll", "1")
	if !strings.Contains(out, "Riverside") || !strings.Contains(out, "66.7%") {
		t.Errorf("results text:\n%s", out)
	}
	out = mustRun(t, "poll", "recount", "--rpc", url, "--poll", "1")
	if !strings.Contains(out, "from 3 BallotCast events") || !strings.Contains(out, "Recount matches the contract's tallies.") {
		t.Errorf("recount:\n%s", out)
	}
	if _, err := cityctl("poll", "results", "--rpc", url, "--poll", "7"); err == nil || !strings.Contains(err.Error(), "UnknownPoll(7)") ||
		!strings.Contains(err.Error(), "numbered 1 to 1; give one of them with --poll") {
		t.Errorf("results of an unknown poll: have %v, want UnknownPoll(7) and the numbers this chain's polls have", err)
	}
}
