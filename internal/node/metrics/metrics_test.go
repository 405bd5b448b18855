package metrics

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// echoService is a JSON-RPC service for the tests: test_echo, test_fail.
type echoService struct{}

func (echoService) Echo(s string) string { return s }
func (echoService) Fail() error          { return errors.New("failed on purpose") }

// TestRPCMetrics serves a test API and checks the counts by method: single
// calls, calls of a batch, errors, and unknown methods folded into "other".
func TestRPCMetrics(t *testing.T) {
	r := RPCMetrics()
	srv := rpc.NewServer()
	defer srv.Stop()
	if err := srv.RegisterName("test", echoService{}); err != nil {
		t.Fatal(err)
	}
	client := rpc.DialInProc(srv)
	defer client.Close()

	count := func(name, method string) float64 {
		switch name {
		case "requests":
			return testutil.ToFloat64(r.requests.WithLabelValues(method))
		default:
			return testutil.ToFloat64(r.errors.WithLabelValues(method))
		}
	}
	before := map[string]float64{}
	for _, m := range []string{"test_echo", "test_fail", "other"} {
		before["requests "+m], before["errors "+m] = count("requests", m), count("errors", m)
	}
	var out string
	for range 3 {
		if err := client.Call(&out, "test_echo", "hi"); err != nil || out != "hi" {
			t.Fatalf("test_echo: have %q, %v", out, err)
		}
	}
	if err := client.Call(nil, "test_fail"); err == nil {
		t.Fatal("test_fail: no error")
	}
	for _, m := range []string{"test_nope", "nonamespace", "x_" + strings.Repeat("y", 100)} {
		if err := client.Call(nil, m); err == nil {
			t.Fatalf("%s answered, want method not found", m)
		}
	}
	batch := []rpc.BatchElem{
		{Method: "test_echo", Args: []any{"a"}, Result: new(string)},
		{Method: "test_echo", Args: []any{"b"}, Result: new(string)},
		{Method: "test_missing", Result: new(string)},
	}
	if err := client.BatchCall(batch); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		series string
		want   float64
	}{
		{"requests test_echo", 5},
		{"errors test_echo", 0},
		{"requests test_fail", 1},
		{"errors test_fail", 1},
		{"requests other", 4},
		{"errors other", 4},
	}
	// geth ends a call's span after the answer is written, so the client may
	// hold the answer a moment before the call is counted.
	for _, tt := range tests {
		name, method, _ := strings.Cut(tt.series, " ")
		have := count(name, method) - before[tt.series]
		for deadline := time.Now().Add(5 * time.Second); have < tt.want && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
			have = count(name, method) - before[tt.series]
		}
		if have != tt.want {
			t.Errorf("%s: have %v, want %v", tt.series, have, tt.want)
		}
	}
	// No series for the unknown names, and names that pass the linter.
	reg := prometheus.NewRegistry()
	r.Register(reg)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "method" && (strings.HasPrefix(l.GetValue(), "x_") || l.GetValue() == "test_nope" || l.GetValue() == "nonamespace" || l.GetValue() == "test_missing") {
					t.Errorf("%s has a series for unknown method %q", f.GetName(), l.GetValue())
				}
			}
		}
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: have %v %v, want no problems", problems, err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error; "" for none
	}{
		{"defaults, off", Defaults(), ""},
		{"on", Config{Enabled: true, Addr: "127.0.0.1", Port: DefaultPort}, ""},
		{"bad address", Config{Enabled: true, Addr: "my-host", Port: 1}, "invalid --metrics.addr"},
		{"bad port", Config{Enabled: true, Addr: "127.0.0.1", Port: 70000}, "invalid --metrics.port"},
		{"geth without metrics", Config{Geth: true, Addr: "127.0.0.1"}, "--metrics.geth needs --metrics"},
		{"off ignores the rest", Config{Addr: "nonsense", Port: -1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("have %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("have %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestServerPortTaken checks that a taken port fails Start with the flag to
// change.
func TestServerPortTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cfg := Config{Enabled: true, Addr: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port}
	err = NewServer(cfg, prometheus.NewRegistry()).Start()
	if err == nil || !strings.Contains(err.Error(), "--metrics.port") {
		t.Fatalf("have %v, want an error naming --metrics.port", err)
	}
}
