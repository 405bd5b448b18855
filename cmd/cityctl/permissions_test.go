package main

import (
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/audit"
)

// TestAuditPermissions runs `cityctl audit permissions` against a real
// `citynode dev` (permissions off, so a resident without a role gets a
// transfer in): with the dev genesis (no permissions block: audited as if
// the rule held from block 1) the transfer is a violation and the command
// exits 1; with the same genesis scheduling the rule after that block it is
// listed but not a violation, and the command exits 0. A role holder's
// transaction is never a finding.
func TestAuditPermissions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode")
	}
	n := startDevNode(t)
	dev := genesis.DevAccounts(10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	chainID, err := n.client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	signer := types.LatestSignerForChainID(chainID)
	to := common.HexToAddress("0x00000000000000000000000000000000000c0ffe")
	send := func(i int) *types.Receipt {
		t.Helper()
		tx := types.MustSignNewTx(dev[i].Key, signer, &types.DynamicFeeTx{ChainID: chainID, Nonce: 0,
			GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(100 * params.GWei), Gas: 21000, To: &to})
		if err := n.client.SendTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
		for {
			if r, err := n.client.TransactionReceipt(ctx, tx.Hash()); err == nil {
				return r
			}
			select {
			case <-ctx.Done():
				t.Fatalf("transaction of dev account %d not mined", i)
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	issuer := send(1)   // dev account 1 is the Civil Registry's issuer
	resident := send(7) // dev account 7 has no role
	gen := filepath.Join(n.dataDir, "genesis.json")
	head := resident.BlockNumber.Uint64()

	out, err := cityctl("audit", "permissions", "--rpc", n.url, "--genesis", gen, "--to-block", resident.BlockNumber.String())
	if code := exitCode(err); code != 1 {
		t.Fatalf("audit of a chain with a resident's transfer: have exit status %d (err %v), want 1\n%s", code, err, out)
	}
	if !strings.Contains(out, resident.TxHash.Hex()) || !strings.Contains(out, dev[7].Address.Hex()) || strings.Contains(out, issuer.TxHash.Hex()) ||
		!strings.Contains(out, "audited as if it held from block 1") || !strings.Contains(err.Error(), "VIOLATION") {
		t.Fatalf("audit output: have %q (err %v), want the resident's transfer named as a violation and not the issuer's", out, err)
	}

	// The same chain, the rule scheduled after the transfer's block.
	g, _, err := genesis.LoadExtended(gen)
	if err != nil {
		t.Fatal(err)
	}
	later := head + 100
	data, err := genesis.Encode(g, genesis.Extension{PermissionsBlock: &later})
	if err != nil {
		t.Fatal(err)
	}
	scheduled := filepath.Join(t.TempDir(), "genesis.json")
	if err := os.WriteFile(scheduled, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stdout, err := cityctlOut("audit", "permissions", "--rpc", n.url, "--genesis", scheduled, "--to-block", resident.BlockNumber.String(), "--json")
	if err != nil {
		t.Fatalf("audit with the rule scheduled after the transfer: %v\n%s", err, stdout)
	}
	var a audit.PermissionAudit
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatalf("--json: %v\n%s", err, stdout)
	}
	if !a.Scheduled || a.RuleFrom != later || a.Violations != 0 || len(a.Findings) != 1 || a.Findings[0].Tx != resident.TxHash ||
		a.Findings[0].Violation || a.Findings[0].Block != head || a.Transactions < 2 || a.To != head {
		t.Errorf("--json: have %+v, want one finding (the resident's transfer in block %d), not a violation, rule from %d", a, head, later)
	}
}
