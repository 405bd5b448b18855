package netlab

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// need makes a lab or, without root, fails under CI and skips elsewhere.
func need(t *testing.T) *Lab {
	t.Helper()
	if testing.Short() {
		t.Skip("makes network namespaces")
	}
	if err := Check(); err != nil {
		if proctest.UnderCI() {
			t.Fatalf("%v (CI is set: the fault suite must run)", err)
		}
		t.Skip(err)
	}
	lab, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := lab.Close(); err != nil {
			t.Errorf("close the lab: %v", err)
		}
	})
	return lab
}

// reaches reports whether a connection from -> to gets through and carries a
// byte to's side reads.
func reaches(t *testing.T, from, to *Host) bool {
	t.Helper()
	l, err := to.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan bool, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			got <- false
			return
		}
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		b := make([]byte, 1)
		_, err = c.Read(b)
		got <- err == nil
	}()
	dialed := make(chan bool, 1)
	go func() {
		c, err := from.Dial(l.Addr().String())
		if err != nil {
			dialed <- false
			return
		}
		defer c.Close()
		_, err = c.Write([]byte{1})
		dialed <- err == nil
	}()
	select {
	case ok := <-got:
		return ok && <-dialed
	case <-time.After(3 * time.Second):
		return false // SYNs dropped: the dial retries until its own timeout
	}
}

func TestPartitions(t *testing.T) {
	lab := need(t)
	a, err := lab.AddHost("a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := lab.AddHost("b")
	if err != nil {
		t.Fatal(err)
	}
	if !reaches(t, a, b) || !reaches(t, b, a) {
		t.Fatal("a and b do not reach each other on the bridge")
	}
	// Asymmetric: a does not hear b; b's packets to a are dropped, so
	// neither can open a TCP connection (the handshake needs both ways).
	if err := lab.Deafen("a", "b"); err != nil {
		t.Fatal(err)
	}
	if reaches(t, b, a) {
		t.Error("b reaches a although a is deaf to b")
	}
	if err := lab.Heal(); err != nil {
		t.Fatal(err)
	}
	if !reaches(t, b, a) {
		t.Error("b does not reach a after the heal")
	}
	if err := lab.Partition([]string{"a"}, []string{"b"}); err != nil {
		t.Fatal(err)
	}
	if reaches(t, a, b) || reaches(t, b, a) {
		t.Error("the partition lets traffic through")
	}
}

// A run that died leaves its namespaces, links, rule and mounts; the next
// lab's sweep removes them, and Close removes its own.
func TestSweepAfterCrash(t *testing.T) {
	lab := need(t)
	if _, err := lab.AddHost("x"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "disk")
	if err := lab.Tmpfs(dir, 1<<20); err != nil {
		t.Fatal(err)
	}
	// A crashed run: its owner pid is one that does not exist.
	if err := os.WriteFile(filepath.Join(stateRoot, lab.ID, "owner"), []byte("999999999"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Sweep(); err != nil {
		t.Fatal(err)
	}
	if left := leftovers(lab.ID); left != "" {
		t.Fatalf("after the sweep, run %s left: %s", lab.ID, left)
	}
}

func leftovers(id string) string {
	var left []string
	for _, ns := range netnsList() {
		if strings.HasPrefix(ns, id) {
			left = append(left, "namespace "+ns)
		}
	}
	for _, l := range linkList() {
		if strings.HasPrefix(l, id) {
			left = append(left, "link "+l)
		}
	}
	for _, r := range forwardRules(id) {
		left = append(left, "rule "+r)
	}
	for _, m := range mountsBy(id) {
		left = append(left, "mount "+m.target)
	}
	if out, _ := exec.Command("ls", filepath.Join(stateRoot, id)).CombinedOutput(); !strings.Contains(string(out), "No such file") {
		left = append(left, "state dir")
	}
	return strings.Join(left, ", ")
}
