package historygap

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

type fakeSource struct {
	lowest   uint64
	recorded bool
	numbers  map[common.Hash]uint64
}

func (f *fakeSource) Lowest() (uint64, bool) { return f.lowest, f.recorded }
func (f *fakeSource) NumberOf(h common.Hash) (uint64, bool) {
	n, ok := f.numbers[h]
	return n, ok
}

var (
	hashBlock7  = common.HexToHash("0x07")
	hashBlock99 = common.HexToHash("0x99")
	knownTx     = common.HexToHash("0x7701")
)

// fakeNode answers every call: a known transaction by hash, null for any
// other transaction, "ok" for anything else; it counts the calls it saw.
type fakeNode struct{ seen []string }

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body bytes.Buffer
	_, _ = body.ReadFrom(r.Body)
	calls, batch, err := parse(body.Bytes())
	if err != nil {
		http.Error(w, "bad", http.StatusBadRequest)
		return
	}
	var out []json.RawMessage
	for _, c := range calls {
		f.seen = append(f.seen, c.Method)
		result := `"ok"`
		if byTxHash[c.Method] {
			result = "null"
			if strings.Contains(string(c.Params), strings.TrimPrefix(knownTx.Hex(), "0x")) {
				result = `{"hash":"` + knownTx.Hex() + `"}`
			}
		}
		out = append(out, json.RawMessage(`{"jsonrpc":"2.0","id":`+string(c.ID)+`,"result":`+result+`}`))
	}
	writeAnswers(w, out, batch)
}

type answer struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func post(t *testing.T, g http.Handler, body string) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	return rec.Body.Bytes()
}

func one(t *testing.T, g http.Handler, method, params string) answer {
	t.Helper()
	raw := post(t, g, `{"jsonrpc":"2.0","id":1,"method":"`+method+`","params":`+params+`}`)
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s %s: answer %q: %v", method, params, raw, err)
	}
	return a
}

func newGuard(recorded bool, lowest uint64) (*Guard, *fakeNode) {
	src := &fakeSource{lowest: lowest, recorded: recorded, numbers: map[common.Hash]uint64{hashBlock7: 7, hashBlock99: 99 + lowest}}
	node := &fakeNode{}
	return New(src, node, 1<<20), node
}

func TestRefusesCallsBelowTheBackfill(t *testing.T) {
	g, node := newGuard(true, 100)
	refused := []struct{ method, params, want string }{
		{"eth_getBlockByNumber", `["0x5",true]`, "block 5's body and receipts are not yet backfilled"},
		{"eth_getBlockByNumber", `["0x63",false]`, "block 99's"},
		{"eth_getBlockByHash", `["` + hashBlock7.Hex() + `",false]`, "block 7's"},
		{"eth_getBlockReceipts", `[{"blockNumber":"0x5"}]`, "block 5's"},
		{"eth_getBlockReceipts", `[{"blockHash":"` + hashBlock7.Hex() + `"}]`, "block 7's"},
		{"eth_getTransactionByBlockNumberAndIndex", `["0x1","0x0"]`, "block 1's"},
		{"eth_getLogs", `[{"fromBlock":"0x1","toBlock":"0x200"}]`, "blocks 1..512 reach below the backfilled history"},
		{"eth_getLogs", `[{"fromBlock":"earliest"}]`, "reach below"},
		{"eth_getLogs", `[{"blockHash":"` + hashBlock7.Hex() + `"}]`, "block 7's"},
		{"eth_getTransactionByHash", `["0x1234"]`, "not found in the history this node holds, which starts at block 100"},
		{"eth_getTransactionReceipt", `["0x1234"]`, "not yet backfilled"},
	}
	for _, c := range refused {
		a := one(t, g, c.method, c.params)
		if a.Error == nil || a.Error.Code != Code || !strings.Contains(a.Error.Message, c.want) {
			t.Errorf("%s %s: answer %+v, want error %d containing %q", c.method, c.params, a, Code, c.want)
		}
		if string(a.ID) != "1" {
			t.Errorf("%s: id %s, want 1", c.method, a.ID)
		}
	}
	for _, m := range node.seen {
		if !byTxHash[m] {
			t.Errorf("refused call %s reached the node", m)
		}
	}
}

func TestPassesCallsWithinTheHistory(t *testing.T) {
	g, node := newGuard(true, 100)
	passed := []struct{ method, params, want string }{
		{"eth_getBlockByNumber", `["0x64",true]`, `"ok"`},
		{"eth_getBlockByNumber", `["latest",true]`, `"ok"`},
		{"eth_getBlockByNumber", `["earliest",true]`, `"ok"`},
		{"eth_getBlockByNumber", `["0x0",true]`, `"ok"`},
		{"eth_getBlockByHash", `["` + hashBlock99.Hex() + `",false]`, `"ok"`},
		{"eth_getBlockByHash", `["0x` + strings.Repeat("ab", 32) + `",false]`, `"ok"`},
		{"eth_getLogs", `[{"fromBlock":"0x64"}]`, `"ok"`},
		{"eth_getLogs", `[{}]`, `"ok"`},
		{"eth_getLogs", `[{"fromBlock":"earliest","toBlock":"0x0"}]`, `"ok"`},
		{"eth_getTransactionByHash", `["` + knownTx.Hex() + `"]`, `{"hash":"` + knownTx.Hex() + `"}`},
		{"eth_blockNumber", `[]`, `"ok"`},
	}
	for _, c := range passed {
		a := one(t, g, c.method, c.params)
		if a.Error != nil || string(a.Result) != c.want {
			t.Errorf("%s %s: answer %+v, want result %s", c.method, c.params, a, c.want)
		}
	}
	if len(node.seen) != len(passed) {
		t.Errorf("node saw %d calls, want %d", len(node.seen), len(passed))
	}
}

func TestBatchMixesRefusalsAndAnswers(t *testing.T) {
	g, node := newGuard(true, 100)
	raw := post(t, g, `[{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x5",false]},
		{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber","params":[]},
		{"jsonrpc":"2.0","id":3,"method":"eth_getTransactionByHash","params":["0x1234"]},
		{"jsonrpc":"2.0","id":4,"method":"eth_getTransactionByHash","params":["`+knownTx.Hex()+`"]}]`)
	var answers []answer
	if err := json.Unmarshal(raw, &answers); err != nil {
		t.Fatalf("batch answer %q: %v", raw, err)
	}
	byID := map[string]answer{}
	for _, a := range answers {
		byID[string(a.ID)] = a
	}
	if len(byID) != 4 {
		t.Fatalf("answers %s, want four ids", raw)
	}
	for _, id := range []string{"1", "3"} {
		if byID[id].Error == nil || byID[id].Error.Code != Code {
			t.Errorf("id %s: %+v, want a refusal", id, byID[id])
		}
	}
	if byID["2"].Error != nil || string(byID["2"].Result) != `"ok"` || byID["4"].Error != nil {
		t.Errorf("ids 2 and 4 should be answered: %s", raw)
	}
	if len(node.seen) != 3 {
		t.Errorf("node saw %v, want the three calls not refused", node.seen)
	}
}

func TestWholeHistoryPassesEverything(t *testing.T) {
	for _, c := range []struct {
		name     string
		recorded bool
		lowest   uint64
	}{{"backfilled", true, 1}, {"not joined by the driver", false, 0}} {
		g, node := newGuard(c.recorded, c.lowest)
		if a := one(t, g, "eth_getBlockByNumber", `["0x5",true]`); a.Error != nil {
			t.Errorf("%s: %+v, want an answer", c.name, a)
		}
		if a := one(t, g, "eth_getTransactionByHash", `["0x1234"]`); a.Error != nil || string(a.Result) != "null" {
			t.Errorf("%s: %+v, want geth's null", c.name, a)
		}
		if len(node.seen) != 2 {
			t.Errorf("%s: node saw %v", c.name, node.seen)
		}
	}
}

func FuzzGuard(f *testing.F) {
	f.Add([]byte(`[{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1"}]}]`))
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"method":"eth_getBlockReceipts","params":[{"blockHash":"0x07"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		g, _ := newGuard(true, 100)
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		g.ServeHTTP(httptest.NewRecorder(), req)
		// The same bytes as a WebSocket request, and as an answer to a
		// noted lookup by transaction hash.
		c := g.Conn()
		c.Request(body)
		c.note(json.RawMessage("1"), "eth_getTransactionByHash")
		c.Answer(body)
	})
}
