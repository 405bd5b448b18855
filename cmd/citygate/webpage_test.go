package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/gateway/api"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// chromiumPath returns Debian's chromium; missing, the test fails under
// CI=true (.ci/run installs it) and is skipped elsewhere, saying so.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium: install Debian's chromium (apt-get install chromium), as .ci/run does, or set CHROMIUM")
	}
	t.Skip("SKIPPED: no chromium found (apt-get install chromium); under CI=true this fails")
	return ""
}

// axeSource is axe-core's script (internal/gateway/web: npm ci).
func axeSource(t *testing.T) string {
	b, err := os.ReadFile("../../internal/gateway/web/node_modules/axe-core/axe.min.js")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core missing: run `npm ci --prefix internal/gateway/web` (.ci/run does): %v", err)
		}
		t.Skipf("SKIPPED: axe-core missing (npm ci --prefix internal/gateway/web): %v", err)
	}
	return string(b)
}

// artifactDir is where the screenshots go: $TEST_ARTIFACTS/webpage, or a
// directory kept after the test (printed).
func artifactDir(t *testing.T) string {
	dir := os.Getenv("TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "citychain-test-artifacts")
	}
	dir = filepath.Join(dir, "webpage")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// cityctl runs the cityctl binary and fails the test unless it succeeds.
func cityctl(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("cityctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// pageDocs are the files the browser test drops: issued, revoked, unknown.
type pageDocs struct {
	valid, revoked, unknown string
	validHash               common.Hash
}

// issueFiles writes three files and issues two of them with cityctl as the
// Civil Registry's issuer, revoking the second.
func issueFiles(t *testing.T, rpc string) *pageDocs {
	bin, cleanup, err := proctest.Build("../cityctl", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	dir := t.TempDir()
	key := filepath.Join(dir, "issuer.key")
	if err := crypto.SaveECDSA(key, genesis.DevAccounts(10)[devIssuer].Key); err != nil {
		t.Fatal(err)
	}
	write := func(name string, size int) string {
		b := make([]byte, size) // more than one 4 MiB chunk and many keccak blocks
		for i := range b {
			b[i] = byte(i*7 + len(name))
		}
		copy(b, "%PDF-1.7 "+name)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	d := &pageDocs{valid: write("birth-certificate.pdf", 5<<20+123), revoked: write("revoked-certificate.pdf", 2000), unknown: write("unknown.pdf", 100)}
	data, _ := os.ReadFile(d.valid)
	d.validHash = crypto.Keccak256Hash(data)
	ref := crypto.Keccak256Hash([]byte("salt"), []byte("holder")).Hex()
	for _, f := range []string{d.valid, d.revoked} {
		cityctl(t, bin, "doc", "issue", "--file", f, "--type", "BIRTH-CERT", "--holder-ref", ref, "--key", key, "--rpc", rpc)
	}
	data, _ = os.ReadFile(d.revoked)
	cityctl(t, bin, "doc", "revoke", crypto.Keccak256Hash(data).Hex(), "--key", key, "--rpc", rpc)
	return d
}

// browser starts a headless chromium and returns its context.
func browser(t *testing.T, origin string) (context.Context, *[]string) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	problems := new([]string)
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(e.Request.URL, origin+"/") && !strings.HasPrefix(e.Request.URL, "data:") {
				*problems = append(*problems, "a request to another origin: "+e.Request.URL)
			}
			// A checked document never leaves the machine: the page sends a body
			// only with a Merkle batch's proof file, small JSON, never a document.
			if e.Request.HasPostData && (!strings.HasPrefix(e.Request.URL, origin+"/api/v1/documents/batch-verifications") || postedBytes(e.Request) < 0 || postedBytes(e.Request) > 64<<10) {
				*problems = append(*problems, fmt.Sprintf("a request with a body (%d bytes): %s %s", postedBytes(e.Request), e.Request.Method, e.Request.URL))
			}
		case *runtime.EventExceptionThrown:
			*problems = append(*problems, "exception: "+e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				*problems = append(*problems, "console: "+strings.Join(parts, " "))
			}
		}
	})
	if err := chromedp.Run(ctx, network.Enable()); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx, problems
}

// postedBytes is the size of a request's body as the browser reports it
// (-1 when the body was too large for the browser to include it).
func postedBytes(r *network.Request) int {
	if r.HasPostData && len(r.PostDataEntries) == 0 {
		return -1
	}
	n := 0
	for _, e := range r.PostDataEntries {
		b, err := base64.StdEncoding.DecodeString(e.Bytes)
		if err != nil {
			return -1
		}
		n += len(b)
	}
	return n
}

// act runs browser actions within a bounded time.
func act(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(c, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	var png []byte
	act(t, ctx, "screenshot "+name, chromedp.FullScreenshot(&png, 100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkAxe runs axe-core's WCAG 2 A and AA rules on the page as it is.
func checkAxe(t *testing.T, ctx context.Context, axe, where string) {
	t.Helper()
	var out []struct {
		ID    string `json:"id"`
		Help  string `json:"help"`
		Nodes []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	}
	act(t, ctx, "axe on "+where,
		chromedp.Evaluate(axe, nil),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`, &out,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	for _, v := range out {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		t.Errorf("accessibility (%s): %s: %s at %s", where, v.ID, v.Help, strings.Join(targets, ", "))
	}
}

// dropFile chooses path in the document file input and waits for the verdict.
func dropFile(t *testing.T, ctx context.Context, path string) (status, text, hash string) {
	t.Helper()
	act(t, ctx, "check "+filepath.Base(path),
		chromedp.Evaluate(`document.getElementById("doc-result").replaceChildren()`, nil),
		chromedp.SetUploadFiles("#doc-file", []string{path}, chromedp.ByID),
		chromedp.WaitVisible("#doc-result [data-status]", chromedp.ByQuery),
		chromedp.AttributeValue("#doc-result [data-status]", "data-status", &status, nil, chromedp.ByQuery),
		chromedp.Text("#doc-result", &text, chromedp.ByID),
		chromedp.Value("#doc-hash", &hash, chromedp.ByID))
	return status, text, hash
}

// TestWebPage drives the web page in a real chromium against citygate in
// front of citynode dev, with documents issued by cityctl.
func TestWebPage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode, citygate and chromium")
	}
	chromiumPath(t)
	axe := axeSource(t)
	shots := artifactDir(t)
	dev := startDev(t)
	f := seed(t, dev.url)
	docs := issueFiles(t, dev.url)
	g := startGate(t, "--rpc", dev.url, "--datadir", t.TempDir(), "--relayer.keyfile", relayerKey(t), "--upstream.health", "minPeers=0", "--api.ratelimit", "0")
	p := f.poll
	pollPath := fmt.Sprintf("/api/v1/polls/%d", p.id)
	for i, opt := range []uint32{2, 0, 2} {
		resp, err := http.Post(g.url+pollPath+"/ballots", "application/json", strings.NewReader(string(p.ballot(t, i, opt))))
		if err != nil || resp.StatusCode != http.StatusAccepted {
			t.Fatalf("ballot %d: %v %v", i, resp.Status, err)
		}
		resp.Body.Close()
	}
	waitFor(t, 90*time.Second, "three ballots counted and final, the documents final", func() bool {
		var poll api.Poll
		get(t, g.url+pollPath, &poll)
		var d api.Document
		get(t, g.url+"/api/v1/documents/"+docs.validHash.Hex(), &d)
		return poll.PollInfo != nil && poll.Total == 3 && d.Verification != nil && d.Status == "valid"
	})
	checkPageHeaders(t, g.url)

	ctx, problems := browser(t, g.url)
	act(t, ctx, "open the page", chromedp.Navigate(g.url+"/?lang=en#documents"), chromedp.WaitVisible("#doc-file", chromedp.ByID))

	status, text, hash := dropFile(t, ctx, docs.valid)
	if status != "valid" || !strings.Contains(text, "Civil Registry") || hash != strings.ToLower(docs.validHash.Hex()) {
		t.Errorf("issued file: status %q, hash %s (keccak256 of the file: %s), text %q; want valid, issued by Civil Registry", status, hash, docs.validHash.Hex(), text)
	}
	screenshot(t, ctx, shots, "document-valid-en")
	checkAxe(t, ctx, axe, "a valid document")
	if status, text, _ = dropFile(t, ctx, docs.revoked); status != "revoked" || !strings.Contains(text, "Revoked") {
		t.Errorf("revoked file: status %q, text %q; want revoked", status, text)
	}
	screenshot(t, ctx, shots, "document-revoked-en")
	checkKeyboardAndLanguage(t, ctx, g.url, docs.validHash)
	checkBatchFile(t, ctx, f)
	if status, text, _ = dropFile(t, ctx, docs.unknown); status != "unknown" || !strings.Contains(text, "Not found") {
		t.Errorf("unknown file: status %q, text %q; want not found", status, text)
	}

	checkPollPage(t, ctx, g.url, p, shots)
	checkAxe(t, ctx, axe, "a poll")
	checkStallPage(t, ctx, shots)
	checkAxe(t, ctx, axe, "a stall draw")
	checkTitleAndNetwork(t, ctx, f.parcel, shots)
	checkAxe(t, ctx, axe, "the network")

	var lang, verdict string
	act(t, ctx, "the Russian page",
		chromedp.Navigate(g.url+"/?lang=ru&doc="+docs.validHash.Hex()+"#documents"),
		chromedp.WaitVisible("#doc-result [data-status]", chromedp.ByQuery),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
		chromedp.Text("#doc-result", &verdict, chromedp.ByID))
	if lang != "ru" || !strings.Contains(verdict, "Действителен") || !strings.Contains(verdict, "Civil Registry") {
		t.Errorf("Russian page: lang %q, verdict %q; want ru, «Действителен», Civil Registry", lang, verdict)
	}
	screenshot(t, ctx, shots, "document-valid-ru")
	checkAxe(t, ctx, axe, "the Russian page")
	for _, pr := range *problems {
		t.Errorf("browser reported: %s", pr)
	}
}

// checkPageHeaders checks the page's security headers.
func checkPageHeaders(t *testing.T, url string) {
	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") != api.PageCSP || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /: %s, headers %v; want 200 with the page's CSP and nosniff", resp.Status, resp.Header)
	}
}

// checkPollPage shows the poll: the chart's table holds the tallies the
// recount gives, and voter 0's ballot is found counted.
func checkPollPage(t *testing.T, ctx context.Context, base string, p *testPoll, shots string) {
	var recount api.Recount
	get(t, fmt.Sprintf("%s/api/v1/polls/%d/recount", base, p.id), &recount)
	var shown []string
	var match string
	act(t, ctx, "the poll",
		chromedp.Navigate(base+"/?lang=en#polls"),
		chromedp.WaitReady(fmt.Sprintf(`#poll-select option[value="%d"]`, p.id), chromedp.ByQuery),
		chromedp.SetValue("#poll-select", fmt.Sprint(p.id), chromedp.ByID),
		chromedp.Click(`#poll-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#poll-result table", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("#poll-result > div > table tbody tr td:nth-child(2)")].map(e => e.textContent)`, &shown),
		chromedp.Click("#recount", chromedp.ByID),
		chromedp.WaitVisible("#recount-result [data-match]", chromedp.ByQuery),
		chromedp.AttributeValue("#recount-result [data-match]", "data-match", &match, nil, chromedp.ByQuery))
	want := make([]string, len(recount.FromEvents))
	for i, n := range recount.FromEvents {
		want[i] = fmt.Sprint(n)
	}
	if strings.Join(shown, ",") != strings.Join(want, ",") || want[0] != "1" || want[2] != "2" || match != "true" {
		t.Errorf("poll page: tallies shown %v, recount %v (match %q); want the recount's [1 0 2], matching", shown, want, match)
	}
	var state, text string
	act(t, ctx, "check my ballot",
		chromedp.SendKeys("#ballot-id", p.voters[0].addr.Hex(), chromedp.ByID),
		chromedp.Click(`#ballot-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#ballot-result [data-state]", chromedp.ByQuery),
		chromedp.AttributeValue("#ballot-result [data-state]", "data-state", &state, nil, chromedp.ByQuery),
		chromedp.Text("#ballot-result", &text, chromedp.ByID))
	if state != "counted" || !strings.Contains(text, "Ballot counted") {
		t.Errorf("check my ballot: state %q, text %q; want counted", state, text)
	}
	screenshot(t, ctx, shots, "poll-en")
}

// checkStallPage replays the drawn round step by step.
func checkStallPage(t *testing.T, ctx context.Context, shots string) {
	var match, lead string
	act(t, ctx, "the stall draw",
		chromedp.Evaluate(`location.hash = "#stalls"`, nil),
		chromedp.WaitReady(`#round-select option[value="1"]`, chromedp.ByQuery),
		chromedp.Click(`#round-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#round-result [data-match]", chromedp.ByQuery),
		chromedp.AttributeValue("#round-result [data-match]", "data-match", &match, nil, chromedp.ByQuery),
		chromedp.Click("#replay-next", chromedp.ByID),
		chromedp.Text(".replay p", &lead, chromedp.ByQuery))
	if match != "true" || !strings.Contains(lead, "step 1 of 3") {
		t.Errorf("stall draw: match %q, replay %q; want a match and step 1 of 3 (four applicants)", match, lead)
	}
	screenshot(t, ctx, shots, "stall-draw-en")
}

// checkTitleAndNetwork shows the parcel and the network's health.
func checkTitleAndNetwork(t *testing.T, ctx context.Context, parcel, shots string) {
	var title, net string
	act(t, ctx, "the parcel",
		chromedp.Evaluate(`location.hash = "#titles"`, nil),
		chromedp.WaitVisible("#title-parcel", chromedp.ByID),
		chromedp.SendKeys("#title-parcel", parcel, chromedp.ByID),
		chromedp.Click(`#title-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#title-result table", chromedp.ByQuery),
		chromedp.Text("#title-result", &title, chromedp.ByID))
	if !strings.Contains(title, parcel) || !strings.Contains(title, "Lien added") || !strings.Contains(title, "100") {
		t.Errorf("parcel page: %q; want the parcel, one owner of 100 and its lien in the history", title)
	}
	screenshot(t, ctx, shots, "title-en")
	act(t, ctx, "the network",
		chromedp.Evaluate(`location.hash = "#network"`, nil),
		chromedp.WaitVisible("#net-result table", chromedp.ByQuery),
		chromedp.Text("#net-result", &net, chromedp.ByID))
	if !strings.Contains(net, "City Hall") || !strings.Contains(net, "Signers sealing: 1 of 1") {
		t.Errorf("network page: %q; want City Hall's signer sealing", net)
	}
	screenshot(t, ctx, shots, "network-en")
}

// checkKeyboardAndLanguage checks a document by keyboard alone (the skip
// link first, the hash typed, Enter), then switches the result to Russian.
func checkKeyboardAndLanguage(t *testing.T, ctx context.Context, base string, hash common.Hash) {
	var first, status, verdict, lang string
	var missing []string
	act(t, ctx, "keyboard and language",
		chromedp.Navigate(base+"/?lang=en&keyboard=1"), // a new document; no fragment, which would move the Tab start
		chromedp.WaitVisible("#doc-hash", chromedp.ByID),
		emulation.SetFocusEmulationEnabled(true), // headless: the page has the keyboard focus
		chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(`document.activeElement.className || document.activeElement.tagName`, &first),
		chromedp.Focus("#doc-hash", chromedp.ByID),
		chromedp.KeyEvent(hash.Hex()+kb.Enter),
		chromedp.WaitVisible("#doc-result [data-status]", chromedp.ByQuery),
		chromedp.AttributeValue("#doc-result [data-status]", "data-status", &status, nil, chromedp.ByQuery),
		chromedp.Click(`[data-lang="ru"]`, chromedp.ByQuery),
		chromedp.Text("#doc-result", &verdict, chromedp.ByID),
		chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery),
		chromedp.Evaluate(`[...Object.keys(MESSAGES.ru).filter(k => !(k in MESSAGES.en)), ...Object.keys(MESSAGES.en).filter(k => !(k in MESSAGES.ru))]`, &missing),
		chromedp.Click(`[data-lang="en"]`, chromedp.ByQuery))
	if first != "skip" || status != "valid" {
		t.Errorf("keyboard: first Tab stop %q, hash typed and Enter gave %q; want the skip link, then valid", first, status)
	}
	if lang != "ru" || !strings.Contains(verdict, "Действителен") {
		t.Errorf("switching to Russian: lang %q, result %q; want ru and «Действителен»", lang, verdict)
	}
	if len(missing) > 0 {
		t.Errorf("messages in one language only: %v", missing)
	}
}

// checkBatchFile checks a document of a Merkle batch with its batch file.
func checkBatchFile(t *testing.T, ctx context.Context, f *fixtures) {
	data, err := f.batch.Encode()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "batch.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var status string
	act(t, ctx, "a batch document",
		chromedp.Evaluate(`document.querySelector("details").open = true; document.getElementById("doc-hash").value = "`+f.batch.Documents[2].Hash.Hex()+`"`, nil),
		chromedp.SetUploadFiles("#batch-file", []string{path}, chromedp.ByID),
		chromedp.Click(`#batch-form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#batch-result [data-status]", chromedp.ByQuery),
		chromedp.AttributeValue("#batch-result [data-status]", "data-status", &status, nil, chromedp.ByQuery))
	if status != "valid" {
		t.Errorf("batch document checked with its batch file: %q, want valid", status)
	}
}
