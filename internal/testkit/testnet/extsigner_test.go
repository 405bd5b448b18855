package testnet

import (
	"context"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
	"github.com/citychain/citychain/internal/testkit/cleftest"
)

// sealedBy reports whether a block above from on n's chain was sealed by
// signer.
func sealedBy(n *Node, signer common.Address, from uint64) bool {
	c, err := ethclient.Dial(n.RPC)
	if err != nil {
		return false
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	top, err := c.BlockNumber(ctx)
	if err != nil {
		return false
	}
	engine := clique.New(&params.CliqueConfig{Period: 1, Epoch: 30000}, rawdb.NewMemoryDatabase())
	for number := top; number > from; number-- {
		h, err := c.HeaderByNumber(ctx, new(big.Int).SetUint64(number))
		if err != nil {
			return false
		}
		if a, err := engine.Author(h); err == nil && a == signer {
			return true
		}
	}
	return false
}

// TestExternalSignerNetwork runs a 3-signer network of real processes in
// which signer1's key lives only in a real clef (geth 1.13.15, a rule file
// approving Clique headers): signer1 seals through it; with clef stopped
// signer1 keeps running, says why it does not seal (log, metrics) and the
// network goes on; with clef back it seals again. signer1 never signs two
// blocks at one height, and every node agrees on the chain.
func TestExternalSignerNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds clef, starts real processes")
	}
	bin := cleftest.Binary(t)
	nw, err := Up(Config{Dir: t.TempDir(), Binary: binPath, Signers: 3, Period: 1, ChainID: 4355})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			dumpNetwork(t, nw)
		}
		nw.Down()
	})
	signer1 := nw.Nodes[0]
	waitFor(t, 60*time.Second, "every node at the same block 2", func() bool { return sameHashAt(nw, 2) })

	// Move signer1's key from its keystore into clef.
	if err := nw.Stop(signer1.Name, false); err != nil {
		t.Fatal(err)
	}
	ksDir := keyfiles.Dir(signer1.DataDir)
	files, err := os.ReadDir(ksDir)
	if err != nil || len(files) != 1 {
		t.Fatalf("signer1's keystore: %v, %d files, want one key", err, len(files))
	}
	keyJSON, err := os.ReadFile(filepath.Join(ksDir, files[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(ksDir); err != nil {
		t.Fatal(err)
	}
	clef := cleftest.Start(t, bin, signer1.Address, keyJSON, passwordText, nw.ChainID)
	i := slices.Index(signer1.Args, "--password")
	signer1.Args = append(slices.Delete(slices.Clone(signer1.Args), i, i+2), "--signer.external", clef.URL)
	if err := nw.Save(); err != nil {
		t.Fatal(err)
	}
	if err := nw.Start(signer1.Name); err != nil {
		t.Fatal(err)
	}
	mark := head(nw.Nodes[1])
	waitFor(t, 60*time.Second, "signer1 to seal a block through clef", func() bool { return sealedBy(nw.Nodes[1], signer1.Address, mark) })
	waitMetric(t, signer1, 10*time.Second, func(v float64) bool { return v == 1 }, "citychain_sealer_signer_available")

	// clef gone: signer1 runs on, says why, the others go on sealing.
	clef.Stop()
	waitMetric(t, signer1, 30*time.Second, func(v float64) bool { return v == 0 }, "citychain_sealer_signer_available")
	waitMetric(t, signer1, 10*time.Second, func(v float64) bool { return v > 0 }, "citychain_sealer_sign_failures_total")
	logData, _ := os.ReadFile(signer1.Log)
	if !strings.Contains(string(logData), "Not sealing: the signer is unavailable") || !strings.Contains(string(logData), "did not answer") {
		t.Errorf("signer1's log does not say why it does not seal")
	}
	down := head(nw.Nodes[1])
	waitFor(t, 30*time.Second, "the network to go on without signer1", func() bool { return head(nw.Nodes[1]) >= down+3 })
	if !signer1.Running() {
		t.Fatal("signer1 exited with its external signer gone")
	}

	// clef back: signer1 seals again.
	clef.Start(t)
	mark = head(nw.Nodes[1])
	waitFor(t, 60*time.Second, "signer1 to seal again once clef is back", func() bool { return sealedBy(nw.Nodes[1], signer1.Address, mark) })
	waitMetric(t, signer1, 10*time.Second, func(v float64) bool { return v == 1 }, "citychain_sealer_signer_available")
	logData, _ = os.ReadFile(signer1.Log)
	if !strings.Contains(string(logData), "Signer available again: sealing resumed") {
		t.Errorf("signer1's log does not say sealing resumed")
	}

	// No height signed twice by signer1; every node on one chain.
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`Sealed new block\s+number=(\d+) hash=(\S+)`).FindAllStringSubmatch(string(logData), -1) {
		if seen[m[1]] {
			t.Errorf("signer1 sealed block %s twice", m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) == 0 {
		t.Error("no \"Sealed new block\" line in signer1's log")
	}
	final := head(nw.Nodes[1])
	waitFor(t, 30*time.Second, "every node at the same block", func() bool { return sameHashAt(nw, final) })
}
