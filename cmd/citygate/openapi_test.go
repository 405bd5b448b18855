package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/gateway/api"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// committedSpec is the copy of the OpenAPI document kept in docs/.
const committedSpec = "../../docs/gateway-openapi.json"

// specURL names the OpenAPI document as a JSON Schema resource.
const specURL = "https://citygate.test/openapi.json"

// spec is the OpenAPI document, its operations and a compiler for the
// schemas in it.
type spec struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

func loadSpec(t *testing.T) *spec {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPI))
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(specURL, doc); err != nil {
		t.Fatal(err)
	}
	s := &spec{doc: doc.(map[string]any), compiler: c, schemas: map[string]*jsonschema.Schema{}}
	if v := s.doc["openapi"]; v != "3.1.0" {
		t.Fatalf("openapi version %v, want 3.1.0", v)
	}
	return s
}

// pointer escapes a JSON pointer token.
func pointer(tok string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(tok)
}

// operation returns the operation of a documented path template and method.
func (s *spec) operation(path, method string) map[string]any {
	p, _ := s.doc["paths"].(map[string]any)[path].(map[string]any)
	op, _ := p[strings.ToLower(method)].(map[string]any)
	return op
}

// schema compiles the schema of an answer: path template, method, status,
// media type; nil if the document has no such answer.
func (s *spec) schema(t *testing.T, path, method string, status int, media string) (*jsonschema.Schema, bool) {
	t.Helper()
	op := s.operation(path, method)
	resp, ok := op["responses"].(map[string]any)[strconv.Itoa(status)].(map[string]any)
	if !ok {
		return nil, false
	}
	content, _ := resp["content"].(map[string]any)
	if content == nil {
		return nil, media == ""
	}
	if _, ok := content[media]; !ok {
		return nil, false
	}
	loc := fmt.Sprintf("%s#/paths/%s/%s/responses/%d/content/%s/schema", specURL, pointer(path), strings.ToLower(method), status, pointer(media))
	if sch, ok := s.schemas[loc]; ok {
		return sch, true
	}
	sch, err := s.compiler.Compile(loc)
	if err != nil {
		t.Fatalf("schema %s: %v", loc, err)
	}
	s.schemas[loc] = sch
	return sch, true
}

// apiCase is one request of the conformance test and the status it must get.
type apiCase struct {
	route  string // documented path template; "" for a path no route takes
	method string
	path   string // the request's path and query
	body   []byte
	ctype  string // Content-Type of the body (default application/json)
	header map[string]string
	status int
	check  func(t *testing.T, body []byte) // more checks of a 2xx answer
}

// do runs a case: the answer's status, that the document lists it, its
// media type and its body against the documented schema.
func (s *spec) do(t *testing.T, base string, c apiCase) []byte {
	t.Helper()
	req, err := http.NewRequest(c.method, base+c.path, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body != nil {
		ct := c.ctype
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	name := fmt.Sprintf("%s %s", c.method, c.path)
	if len(name) > 120 {
		name = name[:120] + "..."
	}
	if resp.StatusCode != c.status {
		t.Errorf("%s: have %d, want %d\n%s", name, resp.StatusCode, c.status, body)
		return nil
	}
	media, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if c.route == "" {
		checkProblem(t, name, resp, body)
		return body
	}
	sch, ok := s.schema(t, c.route, c.method, resp.StatusCode, media)
	if !ok {
		t.Errorf("%s: answered %d %s, which the OpenAPI document does not list for %s %s", name, resp.StatusCode, media, c.method, c.route)
		return nil
	}
	if resp.StatusCode >= 400 {
		checkProblem(t, name, resp, body)
	}
	if sch != nil && len(body) > 0 {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err != nil {
			t.Errorf("%s: body is not JSON: %v\n%s", name, err, body)
			return nil
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: body does not match the documented schema: %v\n%s", name, err, body)
			return nil
		}
	}
	if c.check != nil && resp.StatusCode < 300 {
		c.check(t, body)
	}
	return body
}

// checkProblem checks an error answer is RFC 9457 problem JSON whose type
// is described at its URI.
func checkProblem(t *testing.T, name string, resp *http.Response, body []byte) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: Content-Type %q, want application/problem+json", name, ct)
	}
	var p api.Problem
	if err := json.Unmarshal(body, &p); err != nil || p.Status != resp.StatusCode || p.Detail == "" || !strings.HasPrefix(p.Type, "/api/v1/problems/") {
		t.Errorf("%s: not a problem of status %d with a type and detail: %v\n%s", name, resp.StatusCode, err, body)
	}
}

// TestOpenAPIDocument checks the committed copy in docs/ is the served
// document, and that the document and the route table name the same
// operations (UPDATE_OPENAPI=1 rewrites the copy).
func TestOpenAPIDocument(t *testing.T) {
	if os.Getenv("UPDATE_OPENAPI") == "1" {
		if err := os.WriteFile(committedSpec, api.OpenAPI, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(committedSpec)
	if err != nil {
		t.Fatalf("%v (write it with UPDATE_OPENAPI=1 go test ./cmd/citygate -run TestOpenAPIDocument)", err)
	}
	if !bytes.Equal(committed, api.OpenAPI) {
		t.Errorf("%s differs from internal/gateway/api/openapi.json: copy it (UPDATE_OPENAPI=1 go test ./cmd/citygate -run TestOpenAPIDocument)", filepath.Base(committedSpec))
	}
	s := loadSpec(t)
	documented := s.operations()
	srv, err := api.New(api.Defaults, api.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, r := range srv.Routes() {
		routes = append(routes, r[0]+" "+r[1])
	}
	sort.Strings(routes)
	if !slices.Equal(routes, documented) {
		t.Errorf("routes and documented operations differ:\nroutes     %v\ndocumented %v", routes, documented)
	}
	// Every schema in the document compiles, $refs included.
	for path, item := range s.doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			for code, r := range op.(map[string]any)["responses"].(map[string]any) {
				content, _ := r.(map[string]any)["content"].(map[string]any)
				for media := range content {
					n, _ := strconv.Atoi(code)
					s.schema(t, path, strings.ToUpper(method), n, media)
				}
			}
		}
	}
}

// operations lists "METHOD path" of every documented operation, sorted.
func (s *spec) operations() []string {
	var out []string
	for path, item := range s.doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// TestAPIConformance runs every documented operation against citygate in
// front of a real `citynode dev` holding documents, a batch, a parcel, a
// poll and a drawn stall round: each answer's status is one the document
// lists, its body matches the documented schema, and bad input gets a
// problem and changes nothing.
func TestAPIConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode and citygate")
	}
	dev := startDev(t)
	f := seed(t, dev.url)
	mport := freeport.T(t)
	g := startGate(t, "--rpc", dev.url, "--datadir", t.TempDir(), "--relayer.keyfile", relayerKey(t), "--upstream.health", "minPeers=0", "--api.ratelimit", "0",
		"--metrics", "--metrics.port", fmt.Sprint(mport),
		"--anchor.rpc", "1337="+dev.url) // the dev chain anchors itself (anchorCases)
	s := loadSpec(t)
	covered := map[string]bool{}
	run := func(cases ...apiCase) {
		t.Helper()
		for _, c := range cases {
			s.do(t, g.url, c)
			if c.route != "" && c.status < 300 {
				covered[c.method+" "+c.route] = true
			}
		}
	}
	p := f.poll
	cast := func(i int, option uint32) []byte { return p.ballot(t, i, option) }
	pollPath := fmt.Sprintf("/api/v1/polls/%d", p.id)
	const ballotsRoute = "/api/v1/polls/{id}/ballots"

	// Ballots first, so that they are counted by the time the reads run.
	var first api.BallotState
	run(apiCase{route: ballotsRoute, method: "POST", path: pollPath + "/ballots", body: cast(0, 1), status: 202, check: func(t *testing.T, b []byte) {
		json.Unmarshal(b, &first)
		if first.State != "queued" || first.Duplicate {
			t.Errorf("first ballot: have %+v, want queued, not a duplicate", first)
		}
	}})
	for i, opt := range []uint32{0, 1, 2} {
		run(apiCase{route: ballotsRoute, method: "POST", path: pollPath + "/ballots", body: cast(i+1, opt), status: 202})
	}
	bad := badBallots(t, p, f, pollPath)
	run(bad...)
	waitFor(t, 60*time.Second, "the four ballots counted", func() bool {
		var st api.Status
		get(t, g.url+"/api/v1/status", &st)
		var poll api.Poll
		get(t, g.url+pollPath+"?at=latest", &poll)
		return st.Intake != nil && st.Intake.Queued == 0 && st.Intake.Inflight == 0 && poll.PollInfo != nil && poll.Total == 4
	})
	waitFor(t, 30*time.Second, "the ballots final", func() bool {
		var poll api.Poll
		get(t, g.url+pollPath, &poll)
		return poll.PollInfo != nil && poll.Total == 4
	})
	run(apiCase{route: ballotsRoute, method: "POST", path: pollPath + "/ballots", body: cast(0, 1), status: 202, check: func(t *testing.T, b []byte) {
		var st api.BallotState
		json.Unmarshal(b, &st)
		if st.ID != first.ID || !st.Duplicate || st.State != "counted" || st.Tx == nil {
			t.Errorf("ballot posted again: have %+v, want the same id %s, duplicate, counted with its transaction", st, first.ID)
		}
	}})
	// Nothing the bad ballots asked for changed the poll: four counted, as posted.
	run(apiCase{route: "/api/v1/polls/{id}", method: "GET", path: pollPath, status: 200, check: func(t *testing.T, b []byte) {
		var poll api.Poll
		json.Unmarshal(b, &poll)
		if fmt.Sprint(poll.Tallies) != "[1 2 1]" || poll.State != "open" {
			t.Errorf("poll after good and bad ballots: have tallies %v, state %s; want [1 2 1], open", poll.Tallies, poll.State)
		}
	}})
	for _, i := range []int{5, 6, 7} {
		id := ballotIDOf(p, i)
		run(apiCase{route: "/api/v1/ballots/{id}", method: "GET", path: "/api/v1/ballots/" + id.Hex(), status: 404})
	}

	run(documentCases(t, g, dev, f)...)
	run(titleCases(t, dev, f)...)
	run(pollCases(t, p, pollPath, first)...)
	run(stallCases(f)...)
	anchored, sp := anchorCases(t, g, dev)
	run(anchored...)
	run(anchorReceiptCases(t, g, dev, sp)...)
	run(
		apiCase{route: "/api/v1/openapi.json", method: "GET", path: "/api/v1/openapi.json", status: 200},
		apiCase{route: "/api/v1/problems", method: "GET", path: "/api/v1/problems", status: 200},
		apiCase{route: "/api/v1/problems/{kind}", method: "GET", path: "/api/v1/problems/not-found", status: 200},
		apiCase{route: "/api/v1/problems/{kind}", method: "GET", path: "/api/v1/problems/nope", status: 404},
		apiCase{route: "/api/v1/status", method: "GET", path: "/api/v1/status", status: 200},
		apiCase{route: "/api/v1/network", method: "GET", path: "/api/v1/network", status: 200, check: func(t *testing.T, b []byte) {
			var n api.Network
			json.Unmarshal(b, &n)
			if len(n.Signers) != 1 || n.Signers[0].Department == nil || n.Signers[0].Department.Name != "City Hall" || n.Finalized == nil || len(n.Blocks) == 0 {
				t.Errorf("network: have %s, want one signer of City Hall, a finalized block and recent blocks", b)
			}
		}},
		apiCase{route: "/api/v1/network", method: "GET", path: "/api/v1/network?window=5000", status: 400},
		apiCase{route: "/health/live", method: "GET", path: "/health/live", status: 200},
		apiCase{route: "/health/ready", method: "GET", path: "/health/ready", status: 200},
		apiCase{method: "GET", path: "/api/v1/nothing-here", status: 404},
		apiCase{method: "DELETE", path: "/api/v1/polls/1", status: 405},
		apiCase{method: "GET", path: "/no-such-page.html", status: 404}, // the web page is at / (TestWebPage)
	)
	checkEvents(t, s, g, p.id)
	covered["GET /api/v1/events"] = true
	for _, op := range s.operations() {
		if !covered[op] {
			t.Errorf("%s: no test request got a success answer from it", op)
		}
	}
	checkMetrics(t, fmt.Sprintf("http://127.0.0.1:%d/metrics", mport))
}

// get fetches a JSON answer into v (ignoring failures: callers poll).
func get(t *testing.T, url string, v any) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(v)
}

// ballotIDOf is the id the gateway gives voter i's ballot in p.
func ballotIDOf(p *testPoll, i int) common.Hash {
	return intakeBallotID(p.domain, p.id, p.voters[i].addr)
}

// badBallots are ballots the intake refuses, each with its problem.
func badBallots(t *testing.T, p *testPoll, f *fixtures, pollPath string) []apiCase {
	const route = "/api/v1/polls/{id}/ballots"
	tamper := func(data []byte, edit func(m map[string]any)) []byte {
		var m map[string]any
		json.Unmarshal(data, &m)
		edit(m)
		out, _ := json.Marshal(m)
		return out
	}
	otherChain := p.ballotIn(t, ballots.Domain{ChainID: 1, Contract: p.domain.Contract}, 5, 0)
	return []apiCase{
		// The signature covers option 0; the ballot claims 2.
		{route: route, method: "POST", path: pollPath + "/ballots", body: tamper(p.ballot(t, 5, 0), func(m map[string]any) { m["option"] = 2 }), status: 422},
		{route: route, method: "POST", path: pollPath + "/ballots", body: otherChain, status: 422},
		{route: route, method: "POST", path: pollPath + "/ballots", body: p.ballot(t, 6, 7), status: 422}, // option 7 of 3
		{route: route, method: "POST", path: pollPath + "/ballots", body: tamper(p.ballot(t, 7, 0), func(m map[string]any) { m["voterIndex"] = 1 }), status: 422},
		{route: route, method: "POST", path: "/api/v1/polls/999/ballots", body: tamper(p.ballot(t, 5, 0), func(m map[string]any) { m["poll"] = 999 }), status: 404},
		{route: route, method: "POST", path: pollPath + "/ballots", body: tamper(p.ballot(t, 5, 0), func(m map[string]any) { m["signature"] = "0x1234" }), status: 400},
		{route: route, method: "POST", path: pollPath + "/ballots", body: tamper(p.ballot(t, 5, 0), func(m map[string]any) { m["extra"] = 1 }), status: 400},
		{route: route, method: "POST", path: pollPath + "/ballots", body: []byte(`{"option": 1,`), status: 400},
		{route: route, method: "POST", path: pollPath + "/ballots", body: p.ballot(t, 5, 0), ctype: "text/plain", status: 415},
		{route: route, method: "POST", path: pollPath + "/ballots", body: tamper(p.ballot(t, 5, 0), func(m map[string]any) { m["pad"] = strings.Repeat("x", 70<<10) }), status: 413},
		{route: route, method: "POST", path: pollPath + "/ballots", body: tamper(p.ballot(t, 5, 0), func(m map[string]any) { m["poll"] = p.id + 1 }), status: 400},
		{route: route, method: "POST", path: "/api/v1/polls/abc/ballots", body: p.ballot(t, 5, 0), status: 400},
		// Voter 0 changes their mind after their ballot was taken.
		{route: route, method: "POST", path: pollPath + "/ballots", body: p.ballot(t, 0, 2), status: 409},
	}
}
