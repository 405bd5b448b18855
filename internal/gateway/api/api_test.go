package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/intake"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// TestLimiter gives each client its own bucket; behind a trusted balancer
// the client is the last untrusted X-Forwarded-For address.
func TestLimiter(t *testing.T) {
	cfg := Defaults
	cfg.RateLimit, cfg.RateBurst, cfg.TrustedProxies = 1, 2, []string{"10.0.0.0/8"}
	l := newLimiter(cfg)
	req := func(remote, xff string) *http.Request {
		r := httptest.NewRequest("GET", "/api/v1/status", nil)
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		return r
	}
	for i, tc := range []struct {
		r    *http.Request
		want bool
	}{
		{req("192.0.2.1:1000", ""), true},
		{req("192.0.2.1:1001", ""), true},
		{req("192.0.2.1:1002", ""), false}, // burst of 2 used
		{req("192.0.2.2:1000", ""), true},  // another client
		{req("10.0.0.5:9", "198.51.100.7, 10.0.0.6"), true},
		{req("10.0.0.5:9", "198.51.100.7"), true},
		{req("10.0.0.5:9", "203.0.113.1, 198.51.100.7"), false}, // the same client behind the balancer
		{req("192.0.2.3:5", "198.51.100.9"), true},              // an untrusted peer's header is ignored
	} {
		if ok, _ := l.allow(tc.r); ok != tc.want {
			t.Errorf("request %d from %s (X-Forwarded-For %q): allowed %v, want %v", i, tc.r.RemoteAddr, tc.r.Header.Get("X-Forwarded-For"), ok, tc.want)
		}
	}
	if a := l.clientAddr(req("10.1.2.3:4", "198.51.100.7, 10.0.0.6")); a.String() != "198.51.100.7" {
		t.Errorf("client behind the balancer: have %s, want 198.51.100.7", a)
	}
}

// TestRecentAnswers keeps the newest final answer per request and gives it
// only within the stale window.
func TestRecentAnswers(t *testing.T) {
	c := newCache(1 << 20)
	view := func(n, tm uint64) upstream.View {
		return upstream.View{Block: upstream.Head{Number: n, Hash: common.BigToHash(common.Big1), Time: tm}, Final: true}
	}
	c.keepRecent("/a?", view(10, 1000), entry([]byte(`{"n":10}`)))
	c.keepRecent("/a?", view(9, 999), entry([]byte(`{"n":9}`))) // older: ignored
	e, v, ok := c.recentOf("/a?", view(11, 1001), 3*time.Second)
	if !ok || v.Block.Number != 10 || string(entryBody(e)) != `{"n":10}` {
		t.Fatalf("recent of /a at block 11: have %s at %d, %v; want block 10's", e, v.Block.Number, ok)
	}
	if _, _, ok := c.recentOf("/a?", view(15, 1004), 3*time.Second); ok {
		t.Error("an answer 4 s older than the block was given with a 3 s window")
	}
	if _, _, ok := c.recentOf("/b?", view(11, 1001), 3*time.Second); ok {
		t.Error("an answer of another request was given")
	}
}

func TestETag(t *testing.T) {
	e := entry([]byte(`{"x":1}`))
	etag := string(e[:etagLen])
	if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || entry([]byte(`{"x":1}`))[5] != e[5] {
		t.Fatalf("etag %s is not a stable quoted string", etag)
	}
	for header, want := range map[string]bool{etag: true, "W/" + etag: true, `"nope", ` + etag: true, "*": true, `"nope"`: false} {
		if etagMatch(header, etag) != want {
			t.Errorf("If-None-Match %q: have %v, want %v", header, !want, want)
		}
	}
}

// TestProblems maps errors to their problem kinds and statuses.
func TestProblems(t *testing.T) {
	id := common.Hash{1}
	for _, tc := range []struct {
		err    error
		status int
		slug   string
	}{
		{badInput("x"), 400, "invalid-input"},
		{&http.MaxBytesError{Limit: 10}, 413, "body-too-large"},
		{upstream.ErrNoReady, 503, "no-upstream"},
		{upstream.ErrNoFinalized, 503, "no-finalized-block"},
		{upstream.ErrBlockNotFound, 404, "block-not-found"},
		{&registry.RevertError{Action: "Polls.getPoll", Reason: "UnknownPoll(9)"}, 404, "not-found"},
		{&intake.Refusal{Kind: intake.ErrBadSignature, Detail: "x"}, 422, "invalid-ballot"},
		{&intake.Refusal{Kind: intake.ErrAlreadyQueued, Detail: "x", ID: &id}, 409, "already-voted"},
		{&intake.Refusal{Kind: intake.ErrQueueFull, Detail: "x"}, 429, "queue-full"},
		{&intake.Refusal{Kind: intake.ErrUnavailable, Detail: "x"}, 503, "no-upstream"},
		{context.DeadlineExceeded, 504, "timeout"},
		{errors.New("connection reset"), 502, "upstream-error"},
	} {
		rec := httptest.NewRecorder()
		writeProblem(rec, httptest.NewRequest("GET", "/api/v1/x", nil), tc.err)
		var p Problem
		json.Unmarshal(rec.Body.Bytes(), &p)
		if rec.Code != tc.status || p.Type != problemBase+tc.slug || p.Status != tc.status || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%v: have %d %+v, want %d %s", tc.err, rec.Code, p, tc.status, tc.slug)
		}
		// A 429 or 503 says when to come back (issue 15: "429 with Retry-After, never a silent drop").
		if ra := rec.Header().Get("Retry-After"); (tc.status == 429 || tc.status == 503) && (ra == "" || ra == "0" || strconv.Itoa(p.RetryAfter) != ra) {
			t.Errorf("%v: %d with Retry-After %q (body retryAfter %d), want a positive Retry-After in both", tc.err, rec.Code, ra, p.RetryAfter)
		}
	}
}

// FuzzDecodeBallot reads posted ballots: no input panics, and a ballot that
// decodes names the path's poll.
func FuzzDecodeBallot(f *testing.F) {
	f.Add([]byte(`{"poll":1,"option":0,"voter":"0x0000000000000000000000000000000000000001","voterIndex":0,"signature":"0x00","proof":[]}`))
	f.Add([]byte(`{"option":1,"voter":"0x0000000000000000000000000000000000000001","signature":"AAAA","proof":["0x00"]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/polls/3/ballots", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		b, err := decodeBallot(r, 3)
		if err == nil && b.Poll != 3 {
			t.Fatalf("decoded ballot of poll %d posted to poll 3", b.Poll)
		}
		checkFastBallot(t, body)
	})
}

// checkFastBallot fails if fastBallot takes body and encoding/json's path
// refuses it or reads another ballot from it.
func checkFastBallot(t *testing.T, body []byte) bool {
	t.Helper()
	fast, ok := fastBallot(body, 3)
	if !ok {
		return false
	}
	r := httptest.NewRequest("POST", "/api/v1/polls/3/ballots", bytes.NewReader(body))
	slow, err := decodeBallotJSON(r, 3)
	if err != nil {
		t.Fatalf("fastBallot took %q, which encoding/json's path refuses: %v", body, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fastBallot read %q as %+v, encoding/json's path as %+v", body, fast, slow)
	}
	return true
}

// TestFastBallot: the ballots clients send (cityctl's JSON line, with or
// without the poll, spaced out) are read by fastBallot as encoding/json
// reads them; each body with one byte deleted, doubled or replaced is
// either refused by fastBallot (left to encoding/json) or read the same by
// both.
func TestFastBallot(t *testing.T) {
	key, _ := crypto.ToECDSA(crypto.Keccak256([]byte("fast ballot")))
	b, err := ballots.Sign(key, ballots.DevDomain(1337), 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	b.VoterIndex = 1234567
	for i := range 20 {
		b.Proof = append(b.Proof, crypto.Keccak256Hash([]byte{byte(i)}))
	}
	line, _ := json.Marshal(b)
	spaced, _ := json.MarshalIndent(b, "", "  ")
	noPoll := strings.Replace(string(line), `"poll":3,`, "", 1)
	for _, body := range []string{string(line), string(spaced) + "\n", noPoll} {
		if !checkFastBallot(t, []byte(body)) {
			t.Errorf("fastBallot refused %s", body)
		}
	}
	mutations := 0
	for i := range len(line) {
		for _, c := range []byte{' ', '"', ',', '0', '9', 'a', 'X', '[', ']', '{', '}', '-', '.', 'e', '\\', 0x80} {
			for _, m := range [][]byte{
				append(append(bytes.Clone(line[:i]), c), line[i+1:]...), // replaced
				append(append(bytes.Clone(line[:i]), c), line[i:]...),   // inserted
			} {
				if checkFastBallot(t, m) {
					mutations++
				}
			}
		}
		checkFastBallot(t, append(bytes.Clone(line[:i]), line[i+1:]...)) // deleted
		checkFastBallot(t, line[:i])                                     // cut short
	}
	if mutations == 0 {
		t.Error("no mutated body was taken: the comparison checked nothing")
	}
}
