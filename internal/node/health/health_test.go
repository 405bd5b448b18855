package health

import (
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
)

type fakeChain struct{ head *types.Header }

func (c fakeChain) CurrentHeader() *types.Header { return c.head }

type fakePeers []uint64

func (p fakePeers) PeerHeads() []uint64 { return p }

var now = time.Unix(1_000_000, 0)

func header(number uint64, age time.Duration) *types.Header {
	return &types.Header{Number: new(big.Int).SetUint64(number), Time: uint64(now.Add(-age).Unix())}
}

func TestReady(t *testing.T) {
	tests := []struct {
		name   string
		head   *types.Header
		peers  Peers
		period time.Duration
		query  string
		code   int
		reason string // substring of a reason when DOWN
	}{
		{"current, peered", header(100, 2*time.Second), fakePeers{100, 101}, 5 * time.Second, "", 200, ""},
		{"no peers", header(100, 2*time.Second), fakePeers{}, 5 * time.Second, "", 503, "peers: have 0, want at least 1"},
		{"no p2p at all", header(100, 2*time.Second), nil, 5 * time.Second, "", 503, "peers: have 0"},
		{"no peers wanted", header(100, 2*time.Second), nil, 5 * time.Second, "?minPeers=0", 200, ""},
		{"too few peers", header(100, 0), fakePeers{100}, 5 * time.Second, "?minPeers=2", 503, "want at least 2"},
		{"behind", header(100, 0), fakePeers{103}, 5 * time.Second, "", 503, "3 blocks behind the best peer's 103, want at most 2"},
		{"behind but allowed", header(100, 0), fakePeers{103}, 5 * time.Second, "?maxBlocksBehind=3", 200, ""},
		{"stale head", header(100, 16*time.Second), fakePeers{100}, 5 * time.Second, "", 503, "16s old, want at most 15s"},
		{"stale head allowed", header(100, 16*time.Second), fakePeers{100}, 5 * time.Second, "?maxHeadAge=20", 200, ""},
		{"on-demand chain: age unchecked", header(100, time.Hour), fakePeers{100}, 0, "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(fakeChain{tt.head}, tt.peers, tt.period)
			c.now = func() time.Time { return now }
			rec := httptest.NewRecorder()
			c.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ReadyPath+tt.query, nil))
			if rec.Code != tt.code {
				t.Fatalf("code: have %d, want %d (%s)", rec.Code, tt.code, rec.Body)
			}
			var s Status
			if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil {
				t.Fatal(err)
			}
			if (s.Status == "UP") != (tt.code == 200) {
				t.Errorf("status %q with code %d", s.Status, rec.Code)
			}
			if tt.reason != "" && !strings.Contains(strings.Join(s.Reasons, "; "), tt.reason) {
				t.Errorf("reasons %q lack %q", s.Reasons, tt.reason)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type: have %q, want application/json", ct)
			}
		})
	}
}

func TestLiveAndBadQuery(t *testing.T) {
	c := New(fakeChain{header(1, 0)}, nil, time.Second)
	rec := httptest.NewRecorder()
	c.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, LivePath, nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"UP"`) {
		t.Errorf("live: have %d %s, want 200 UP", rec.Code, rec.Body)
	}
	for _, q := range []string{"minPeers=-1", "minPeers=x", "maxBlocksBehind=-2", "maxHeadAge=0"} {
		rec := httptest.NewRecorder()
		c.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, ReadyPath+"?"+q, nil))
		name := strings.Split(q, "=")[0]
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), name) {
			t.Errorf("%s: have %d %s, want 400 naming %s", q, rec.Code, rec.Body, name)
		}
	}
}
