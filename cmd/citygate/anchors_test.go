package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/api"
)

// anchorCases anchors the dev chain's own blocks 1..3 in its Anchors (the
// dev chain is a Clique chain read over JSON-RPC like any external one):
// the admin deploys Anchors and registers the chain at its genesis, the
// anchor relayer posts one span. The route's answer about block 2 must be
// checkpoint 3 as the chain has it, anchored by the posting's transaction,
// sealed by City Hall; a block not anchored yet and an unknown chain are
// 404.
func anchorCases(t *testing.T, g *gate, dev *devChain) ([]apiCase, *anchoredSpan) {
	dev.waitBlock(t, 3)
	sp := anchorSpan(t, dev.url, dev.url, genesis.DefaultEpoch, 3)
	reg, a, tx, cp := sp.reg, sp.anchors, sp.tx, sp.last
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := fmt.Sprintf("/api/v1/anchors/%d/blocks/", reg.ChainID)
	// Read at the finalized block by default: wait until the posting is final.
	waitFor(t, 60*time.Second, "the anchoring final", func() bool {
		var ans api.Anchored
		get(t, g.url+base+"2", &ans)
		return ans.Checkpoint.Number == 3
	})
	eth, err := ethclient.Dial(dev.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eth.Close)
	anchoring, err := eth.HeaderByNumber(ctx, new(big.Int).SetUint64(tx.Block))
	if err != nil {
		t.Fatal(err)
	}
	const route = "/api/v1/anchors/{chainId}/blocks/{number}"
	const proofRoute = "/api/v1/anchors/{chainId}/checkpoints/{number}/proof"
	proofBase := fmt.Sprintf("/api/v1/anchors/%d/checkpoints/", reg.ChainID)
	check := func(t *testing.T, b []byte) {
		var ans api.Anchored
		json.Unmarshal(b, &ans)
		have := ans.Checkpoint
		if ans.Asked != 2 || have.Number != 3 || have.Hash != cp.Hash() || have.StateRoot != cp.Root || have.ReceiptsRoot != cp.ReceiptHash ||
			have.Sealer != reg.Signers[0] || have.AnchoredAt != tx.Block || ans.Conflicted || ans.Conflicts == nil || len(ans.Conflicts) != 0 {
			t.Errorf("checkpoint: have %+v (conflicted %v), want block 3 %s with roots %s %s, sealed by %s, anchored at %d", have, ans.Conflicted, cp.Hash(), cp.Root, cp.ReceiptHash, reg.Signers[0], tx.Block)
		}
		if ans.AnchoredIn.Number != tx.Block || ans.AnchoredIn.Hash != anchoring.Hash() || ans.AnchoredIn.Tx != tx.Hash {
			t.Errorf("anchored in: have %+v, want block %d %s, tx %s", ans.AnchoredIn, tx.Block, anchoring.Hash(), tx.Hash)
		}
		ch := ans.Chain
		if ch.ChainID != reg.ChainID || ch.Genesis != reg.Genesis || ch.Consensus != "clique" || ch.Epoch != genesis.DefaultEpoch || ch.Trusted != 0 ||
			ch.Latest.Number != 3 || ch.Anchors != a || len(ch.Validators) != 1 || ch.Validators[0] != reg.Signers[0] {
			t.Errorf("chain: have %+v, want chain %d registered at genesis %s, latest 3, validator %s", ch, reg.ChainID, reg.Genesis, reg.Signers[0])
		}
		s := ans.Sealed
		span := s.To - s.From + 1
		if s.From != tx.Block || s.To > ans.Block.Number || s.To < s.From || s.Limit != 64 || s.Capped != (ans.Block.Number > s.To) ||
			len(s.Departments) != 1 || s.Departments[0].Name != "City Hall" || uint64(s.Departments[0].Blocks) != span ||
			len(s.Departments[0].Signers) != 1 || s.Departments[0].Signers[0] != reg.Signers[0] {
			t.Errorf("sealed: have %+v at block %d, want blocks %d.. sealed by City Hall's %s", s, ans.Block.Number, tx.Block, reg.Signers[0])
		}
	}
	return []apiCase{
		{route: route, method: "GET", path: base + "2", status: 200, check: check},
		{route: route, method: "GET", path: base + "1?at=latest", status: 200, check: func(t *testing.T, b []byte) {
			var ans api.Anchored
			json.Unmarshal(b, &ans)
			if ans.Checkpoint.Hash != cp.Hash() || ans.Sealed.To != min(ans.Block.Number, tx.Block+63) || len(ans.Sealed.Departments) != 1 {
				t.Errorf("block 1 at the latest block: have %s, want checkpoint 3 %s, sealed up to the head %d", b, cp.Hash(), ans.Block.Number)
			}
		}},
		{route: route, method: "GET", path: base + "4", status: 404},
		{route: route, method: "GET", path: "/api/v1/anchors/999/blocks/1", status: 404},
		{route: route, method: "GET", path: base + "x", status: 400},
		{route: proofRoute, method: "GET", path: proofBase + "3/proof", status: 200, check: func(t *testing.T, b []byte) {
			rec := verifyCheckpointProof(t, dev.url, b)
			if rec.ChainID != reg.ChainID || rec.Checkpoint != 3 || rec.Hash != cp.Hash() || rec.ReceiptsRoot != cp.ReceiptHash || rec.Anchors != a {
				t.Errorf("checkpoint proof: record %+v, want chain %d checkpoint 3 %s (receipts root %s) in Anchors %s", rec, reg.ChainID, cp.Hash(), cp.ReceiptHash, a)
			}
		}},
		{route: proofRoute, method: "GET", path: proofBase + "2/proof", status: 404}, // anchored under 3, not a checkpoint
		{route: proofRoute, method: "GET", path: "/api/v1/anchors/999/checkpoints/3/proof", status: 404},
		{route: proofRoute, method: "GET", path: proofBase + "x/proof", status: 400},
	}, sp
}

// anchorReceiptCases posts a second span of the dev chain, up to the block
// of the first posting's transaction, and proves that transaction's receipt
// through the gateway, which reads the dev chain as the external chain's
// node (--anchor.rpc): the proof verifies offline and names the
// transaction, its block and the checkpoint; an unknown transaction, a
// chain the gateway has no node of and a malformed hash are refused.
func anchorReceiptCases(t *testing.T, g *gate, dev *devChain, sp *anchoredSpan) []apiCase {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ra, err := anchor.Find(ctx, client(t, dev.url, 8))
	if err != nil {
		t.Fatal(err)
	}
	ext, err := anchor.DialExternal(ctx, dev.url)
	if err != nil {
		t.Fatal(err)
	}
	defer ext.Close()
	block := sp.tx.Block
	relay := anchor.Relay{Anchors: ra, External: ext, ChainID: sp.reg.ChainID, MaxHeaders: block - 3}
	span, err := relay.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last, _ := span.Last(); last != block {
		t.Fatalf("second span ends at %d, want the first posting's block %d", last, block)
	}
	if _, err := relay.Post(ctx, span); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, "the second span final", func() bool {
		var ans api.Anchored
		get(t, fmt.Sprintf("%s/api/v1/anchors/%d/blocks/%d", g.url, sp.reg.ChainID, block), &ans)
		return ans.Checkpoint.Number == block
	})
	const route = "/api/v1/anchors/{chainId}/receipts/{tx}/proof"
	base := fmt.Sprintf("/api/v1/anchors/%d/receipts/", sp.reg.ChainID)
	return []apiCase{
		{route: route, method: "GET", path: base + sp.tx.Hash.Hex() + "/proof", status: 200, check: func(t *testing.T, b []byte) {
			var rec anchor.AnchoredReceipt
			json.Unmarshal(verifyAnchorProof(t, dev.url, b, anchor.RecordReceipt), &rec)
			if rec.TxHash != sp.tx.Hash || rec.Block != block || rec.Checkpoint != block || rec.Status != 1 || rec.ChainID != sp.reg.ChainID || len(rec.Logs) == 0 {
				t.Errorf("receipt proof: record %+v, want transaction %s in block %d, anchored by checkpoint %d, status 1 with its CheckpointAnchored log", rec, sp.tx.Hash, block, block)
			}
		}},
		{route: route, method: "GET", path: base + common.Hash{1}.Hex() + "/proof", status: 404},
		{route: route, method: "GET", path: "/api/v1/anchors/999/receipts/" + sp.tx.Hash.Hex() + "/proof", status: 404},
		{route: route, method: "GET", path: base + "0x12/proof", status: 400},
	}
}

// verifyCheckpointProof checks a proof file of an anchored checkpoint
// offline against the hash the node gives for its citychain block, as
// `cityctl audit verify-proof` does, and returns its record.
func verifyCheckpointProof(t *testing.T, url string, file []byte) anchor.AnchoredCheckpoint {
	t.Helper()
	var rec anchor.AnchoredCheckpoint
	if err := json.Unmarshal(verifyAnchorProof(t, url, file, anchor.RecordCheckpoint), &rec); err != nil {
		t.Fatalf("checkpoint record: %v", err)
	}
	return rec
}

// verifyAnchorProof checks a proof file offline against the hash the node
// gives for its citychain block, with the decoders `cityctl audit
// verify-proof` has, and returns its record of the kind asked.
func verifyAnchorProof(t *testing.T, url string, file []byte, kind string) json.RawMessage {
	t.Helper()
	p, err := audit.DecodeProof(file)
	if err != nil {
		t.Fatalf("proof file: %v", err)
	}
	eth, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer eth.Close()
	h, err := eth.HeaderByNumber(context.Background(), new(big.Int).SetUint64(uint64(p.Header.Number)))
	if err != nil {
		t.Fatal(err)
	}
	records := registry.RecordDecoders()
	anchor.Records(records)
	if p, err = audit.VerifyFile(file, h.Hash(), records); err != nil {
		t.Fatalf("the %s proof does not verify against block %d's hash: %v", kind, h.Number, err)
	}
	if p.Record == nil || p.Record.Kind != kind {
		t.Fatalf("proof: record %+v, want kind %s", p.Record, kind)
	}
	return p.Record.Value
}

// anchoredSpan is an external chain registered at its genesis in the dev
// chain's Anchors, with one span of headers posted by the anchor relayer.
type anchoredSpan struct {
	reg     *anchor.Registration
	anchors common.Address
	tx      *registry.Tx  // the posting
	last    *types.Header // the checkpoint posted
}

// anchorSpan anchors blocks 1..headers of the chain at extURL (a Clique
// chain of the given epoch, whose head is at least headers) in the Anchors
// of the dev chain at devURL: the admin (dev account 0) deploys Anchors (or
// finds it), grants the anchor-relayer role to dev account 8 and registers
// the chain at its genesis; the relayer posts the span.
func anchorSpan(t *testing.T, devURL, extURL string, epoch uint64, headers int) *anchoredSpan {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := client(t, devURL, 0)
	a, _, err := anchor.Deploy(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	relayer := genesis.DevAccounts(10)[8]
	if _, err := admin.GrantRole(ctx, "CIVIL", contracts.RoleAnchorRelayer, relayer.Address); err != nil {
		t.Fatal(err)
	}
	ext, err := anchor.DialExternal(ctx, extURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ext.Close)
	zero := uint64(0)
	reg, err := ext.Registration(ctx, epoch, &zero)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Register(ctx, *reg); err != nil {
		t.Fatal(err)
	}
	ra, err := anchor.Find(ctx, client(t, devURL, 8))
	if err != nil {
		t.Fatal(err)
	}
	relay := anchor.Relay{Anchors: ra, External: ext, ChainID: reg.ChainID, MaxHeaders: uint64(headers)}
	span, err := relay.Next(ctx)
	if err != nil || len(span.Headers) != headers {
		t.Fatalf("span of %d headers from genesis: %v, %+v", headers, err, span)
	}
	tx, err := relay.Post(ctx, span)
	if err != nil {
		t.Fatal(err)
	}
	return &anchoredSpan{reg: reg, anchors: a.Address, tx: tx, last: span.Headers[headers-1]}
}
