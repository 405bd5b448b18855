package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/gateway/api"
	"github.com/citychain/citychain/internal/testkit/gethclique"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// TestWebPageAnchors drives the page's "Other chains" section in a real
// chromium: a geth 1.13.15 Clique chain (chain id 4343, standing in for
// Active Citizen) is anchored in citynode dev's Anchors, then City Hall,
// whose signer sealed the anchoring block, is renamed. Asked about block 3,
// the page says it is anchored in the posting's citychain block, with the
// checkpoint's hash as geth has it, signed by City Hall: the department's
// name at the anchoring block, not the later one; the checkpoint's proof
// file the page links passes `cityctl audit verify-proof` and fails
// altered. A block not anchored yet
// says so, bad input is refused at the field, the Russian page renders, a
// conflicted answer is drawn as a warning with its conflicts, and axe-core
// finds no WCAG A/AA violation.
func TestWebPageAnchors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts geth, citynode, citygate and chromium")
	}
	chromiumPath(t)
	axe := axeSource(t)
	shots := artifactDir(t)
	ext := gethclique.Start(t, gethclique.Config{ChainID: 4343, Period: 1, Epoch: 30000, Signers: 1})
	payment := transfer(t, ext)
	if payment.BlockNumber.Uint64() > 5 {
		t.Fatalf("the payment is in block %d of the geth chain; the test anchors blocks 1..5", payment.BlockNumber)
	}
	ext.WaitHead(t, 5, 30*time.Second)
	dev := startDev(t)
	sp := anchorSpan(t, dev.url, ext.Nodes[0].URL, 30000, 5)
	g := startGate(t, "--rpc", dev.url, "--upstream.health", "minPeers=0", "--api.ratelimit", "0", "--anchor.rpc", "4343="+ext.Nodes[0].URL)
	path := g.url + "/api/v1/anchors/4343/blocks/3"
	waitFor(t, 60*time.Second, "the anchoring final", func() bool {
		var ans api.Anchored
		get(t, path, &ans)
		return ans.Checkpoint.Number == 5
	})
	renameCityHall(t, dev.url, g.url)

	ctx, problems := browser(t, g.url)
	want, cityHall := sp.tx.Block, genesis.DevAccounts(1)[0].Address
	state, block, text := askAnchored(t, ctx, g.url+"/?lang=en#anchors", "4343", "3")
	if state != "yes" || block != fmt.Sprint(want) || !strings.Contains(text, fmt.Sprintf("Anchored in registry block %d", want)) ||
		!strings.Contains(text, "signed by departments: City Hall") || strings.Contains(text, "Mayor") || !strings.Contains(text, strings.ToLower(cityHall.Hex())) ||
		!strings.Contains(text, strings.ToLower(sp.last.Hash().Hex())) || !strings.Contains(text, sp.tx.Hash.Hex()) {
		t.Errorf("block 3 of chain 4343: state %q, citychain block %q, text %q; want anchored in block %d by %s, checkpoint 5 %s, signed by City Hall (its name then, not Mayor's Office) with its signer %s",
			state, block, text, want, sp.tx.Hash.Hex(), sp.last.Hash().Hex(), cityHall)
	}
	screenshot(t, ctx, shots, "anchored-en")
	checkAxe(t, ctx, axe, "an anchored block")
	checkProofDownload(t, ctx, g.url, dev.url, sp)
	checkReceiptAsked(t, ctx, g.url, dev.url, sp, payment)
	screenshot(t, ctx, shots, "anchored-receipt-en")
	checkAxe(t, ctx, axe, "a receipt proven")
	checkConflictDrawn(t, ctx)
	screenshot(t, ctx, shots, "anchored-conflicted-en")
	checkAxe(t, ctx, axe, "a conflicted anchoring")

	if state, _, text = askAnchored(t, ctx, g.url+"/?lang=en#anchors", "4343", "999999"); state != "no" || !strings.Contains(text, "not anchored yet") || !strings.Contains(text, "latest anchored checkpoint is block 5") {
		t.Errorf("block 999999: state %q, text %q; want not anchored, naming checkpoint 5", state, text)
	}
	checkAnchorInput(t, ctx)

	var lang string
	act(t, ctx, "the Russian page",
		chromedp.Navigate(g.url+"/?lang=ru&chain=4343&block=3#anchors"),
		chromedp.WaitVisible("#anchor-result [data-anchored]", chromedp.ByQuery),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
		chromedp.Text("#anchor-result", &text, chromedp.ByID))
	if lang != "ru" || !strings.Contains(text, fmt.Sprintf("Закреплено в блоке реестра %d", want)) || !strings.Contains(text, "City Hall") {
		t.Errorf("Russian page: lang %q, text %q; want ru, «Закреплено в блоке реестра %d», City Hall", lang, text, want)
	}
	screenshot(t, ctx, shots, "anchored-ru")
	checkAxe(t, ctx, axe, "the Russian anchoring")
	for _, pr := range *problems {
		t.Errorf("browser reported: %s", pr)
	}
}

// renameCityHall renames CITYHALL "Mayor's Office" (the city admin) and
// checks that the network section, read at the head, has the new name.
func renameCityHall(t *testing.T, devURL, gateURL string) {
	code, _ := contracts.Bytes32("CITYHALL")
	send(t, client(t, devURL, 0), "Directory.renameDepartment", contracts.DirectoryAddress, directory.NewDirectory().PackRenameDepartment(code, "Mayor's Office"))
	var n api.Network
	get(t, gateURL+"/api/v1/network", &n)
	if len(n.Signers) != 1 || n.Signers[0].Department == nil || n.Signers[0].Department.Name != "Mayor's Office" {
		t.Fatalf("the network at the head after the rename: %+v; want the signer's department named Mayor's Office", n.Signers)
	}
}

// askAnchored opens page, types chain and block into the form with the
// keyboard, presses Enter and returns the answer's state (yes, conflicted,
// no), its citychain block and its text.
func askAnchored(t *testing.T, ctx context.Context, page, chain, block string) (state, citychainBlock, text string) {
	t.Helper()
	state, text = askAnchoredForm(t, ctx, "ask about block "+block+" of chain "+chain, page, chain, "#anchor-block", block)
	var ok bool
	act(t, ctx, "the citychain block", chromedp.AttributeValue("#anchor-result [data-anchored]", "data-citychain-block", &citychainBlock, &ok, chromedp.ByQuery))
	return state, citychainBlock, text
}

// checkConflictDrawn draws the answer on the page as if a conflicting
// checkpoint were kept at its number (a real conflict needs the external
// validators to seal two chains): the banner warns, names the conflict and
// lists it.
func checkConflictDrawn(t *testing.T, ctx context.Context) {
	var state, text string
	act(t, ctx, "a conflicted answer",
		chromedp.Evaluate(`api("/anchors/4343/blocks/3").then((d) => {
			d.conflicted = true;
			d.conflicts = [{ ...d.checkpoint, hash: "0x" + "ab".repeat(32), anchoredAt: d.anchoredIn.number + 1 }];
			document.getElementById("anchor-result").replaceChildren(drawAnchored(d));
		})`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.AttributeValue("#anchor-result [data-anchored]", "data-anchored", &state, nil, chromedp.ByQuery),
		chromedp.Text("#anchor-result", &text, chromedp.ByID))
	if state != "conflicted" || !strings.Contains(text, "conflicting record exists: do not trust it") || !strings.Contains(text, "0x"+strings.Repeat("ab", 32)) {
		t.Errorf("conflicted answer: state %q, text %q; want the warning and the conflicting hash listed", state, text)
	}
}

// checkAnchorInput refuses a block number that is not a whole number at
// the field, without asking the gateway.
func checkAnchorInput(t *testing.T, ctx context.Context) {
	var msg, invalid, result string
	var ok bool
	act(t, ctx, "a bad block number",
		chromedp.Evaluate(`document.getElementById("anchor-result").replaceChildren()`, nil),
		chromedp.SetValue("#anchor-block", "12a", chromedp.ByID),
		chromedp.Click(`#anchor-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.Text("#anchor-err", &msg, chromedp.ByID),
		chromedp.AttributeValue("#anchor-block", "aria-invalid", &invalid, &ok, chromedp.ByID),
		chromedp.Text("#anchor-result", &result, chromedp.ByID))
	if !strings.Contains(msg, "whole number") || invalid != "true" || result != "" {
		t.Errorf("block 12a: message %q, aria-invalid %q, result %q; want refused at the field, nothing asked", msg, invalid, result)
	}
}

// checkProofDownload fetches the proof file the page links, as the browser
// would download it, and checks it offline with `cityctl audit verify-proof`
// against the hash of its citychain block read from the node (the command
// the page prints names that hash): it proves checkpoint 5 with geth's
// hash; the file altered is refused.
func checkProofDownload(t *testing.T, ctx context.Context, gateURL, devURL string, sp *anchoredSpan) {
	var href, name, hint string
	var ok bool
	act(t, ctx, "the proof link",
		chromedp.AttributeValue("#anchor-proof", "href", &href, &ok, chromedp.ByID),
		chromedp.AttributeValue("#anchor-proof", "download", &name, &ok, chromedp.ByID),
		chromedp.Text("#anchor-result", &hint, chromedp.ByID))
	if !strings.HasPrefix(href, "/api/v1/anchors/4343/checkpoints/5/proof?at=") || name != "anchored-checkpoint-4343-5.json" {
		t.Fatalf("proof link: href %q, download %q; want checkpoint 5's proof at the block read, as anchored-checkpoint-4343-5.json", href, name)
	}
	resp, err := http.Get(gateURL + href)
	if err != nil {
		t.Fatal(err)
	}
	file, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", href, resp.Status, file)
	}
	rec := verifyCheckpointProof(t, devURL, file) // also checks the file's block against the node
	p, _ := audit.DecodeProof(file)
	if rec.Checkpoint != 5 || rec.Hash != sp.last.Hash() || !strings.Contains(hint, "--trusted-header "+p.Header.Hash.Hex()) {
		t.Errorf("proof file: record %+v at block %d %s, page text %q; want checkpoint 5 %s and the command naming that block's hash", rec, p.Header.Number, p.Header.Hash, hint, sp.last.Hash())
	}
	bin, cleanup, err := proctest.Build("../cityctl", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	out := cityctl(t, bin, "audit", "verify-proof", "--trusted-header", p.Header.Hash.Hex(), path)
	if !strings.Contains(out, "anchored-checkpoint record:") || !strings.Contains(out, strings.ToLower(sp.last.Hash().Hex())) {
		t.Errorf("cityctl audit verify-proof: %s; want the anchored-checkpoint record with checkpoint 5's hash %s", out, sp.last.Hash())
	}
	other := strings.TrimPrefix(strings.ToLower(sp.last.Hash().Hex()), "0x")
	altered := strings.Replace(string(file), other, strings.Repeat("ab", 32), 1)
	if altered == string(file) {
		t.Fatalf("the proof file does not hold checkpoint 5's hash %s: %s", other, file)
	}
	if err := os.WriteFile(path, []byte(altered), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "audit", "verify-proof", "--trusted-header", p.Header.Hash.Hex(), path).CombinedOutput(); err == nil {
		t.Errorf("cityctl audit verify-proof of an altered file succeeded: %s", out)
	}
}

// transfer sends 1 wei from the geth chain's funded account and returns its
// receipt: the resident's record on the old platform.
func transfer(t *testing.T, ext *gethclique.Network) *types.Receipt {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	to := common.Address{0xc1}
	tx, err := types.SignNewTx(ext.Funded, types.LatestSignerForChainID(big.NewInt(4343)), &types.DynamicFeeTx{
		ChainID: big.NewInt(4343), Nonce: 0, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9), Gas: 21000, To: &to, Value: big.NewInt(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	eth := ext.Nodes[0].Eth
	if err := eth.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	var r *types.Receipt
	waitFor(t, 30*time.Second, "the payment mined on geth", func() bool {
		r, err = eth.TransactionReceipt(ctx, tx.Hash())
		return err == nil
	})
	return r
}

// checkReceiptAsked asks the page about the payment by its transaction
// hash alone (the block left empty): the gateway proves its receipt from
// geth's node through checkpoint 5, the page names its block and status,
// and the receipt's proof file it links verifies offline.
func checkReceiptAsked(t *testing.T, ctx context.Context, gateURL, devURL string, sp *anchoredSpan, payment *types.Receipt) {
	state, text := askAnchoredTx(t, ctx, gateURL+"/?lang=en#anchors", "4343", payment.TxHash.Hex())
	var receipt, href string
	var ok bool
	act(t, ctx, "the receipt",
		chromedp.AttributeValue("#anchor-receipt", "data-receipt", &receipt, &ok, chromedp.ByID),
		chromedp.AttributeValue("#anchor-receipt-proof", "href", &href, &ok, chromedp.ByID))
	want := fmt.Sprintf("The transaction is in block %d of that chain and succeeded", payment.BlockNumber)
	if state != "yes" || receipt != "success" || !strings.Contains(text, want) || !strings.Contains(text, fmt.Sprintf("Block %d of chain 4343 is covered by checkpoint 5", payment.BlockNumber)) {
		t.Errorf("asked by transaction %s: state %q, receipt %q, text %q; want anchored, %q", payment.TxHash.Hex(), state, receipt, text, want)
	}
	resp, err := http.Get(gateURL + href)
	if err != nil {
		t.Fatal(err)
	}
	file, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", href, resp.Status, file)
	}
	var rec anchor.AnchoredReceipt
	json.Unmarshal(verifyAnchorProof(t, devURL, file, anchor.RecordReceipt), &rec)
	if rec.TxHash != payment.TxHash || rec.Block != payment.BlockNumber.Uint64() || rec.Checkpoint != 5 || rec.CheckpointHash != sp.last.Hash() || rec.Status != 1 {
		t.Errorf("receipt proof file: %+v; want transaction %s in block %d under checkpoint 5 %s, status 1", rec, payment.TxHash.Hex(), payment.BlockNumber, sp.last.Hash())
	}
}

// askAnchoredTx opens page and asks with the chain and a transaction hash,
// the block left empty.
func askAnchoredTx(t *testing.T, ctx context.Context, page, chain, tx string) (state, text string) {
	t.Helper()
	return askAnchoredForm(t, ctx, "ask about transaction "+tx, page, chain, "#anchor-tx", tx)
}

// askAnchoredForm opens page, empties the anchors form, types chain and then
// value into the field with the selector, presses Enter and returns the
// answer's state (yes, conflicted, no) and its text.
func askAnchoredForm(t *testing.T, ctx context.Context, what, page, chain, field, value string) (state, text string) {
	t.Helper()
	act(t, ctx, what,
		chromedp.Navigate(page),
		chromedp.WaitVisible("#anchor-chain", chromedp.ByID),
		// The same address with a fragment does not reload: empty the fields.
		chromedp.Evaluate(`for (const id of ["anchor-chain", "anchor-block", "anchor-tx"]) document.getElementById(id).value = "";
			document.getElementById("anchor-result").replaceChildren()`, nil),
		chromedp.SendKeys("#anchor-chain", chain, chromedp.ByID),
		chromedp.SendKeys(field, value+kb.Enter, chromedp.ByID),
		chromedp.WaitVisible("#anchor-result [data-anchored]", chromedp.ByQuery),
		chromedp.AttributeValue("#anchor-result [data-anchored]", "data-anchored", &state, nil, chromedp.ByQuery),
		chromedp.Text("#anchor-result", &text, chromedp.ByID))
	return state, text
}
