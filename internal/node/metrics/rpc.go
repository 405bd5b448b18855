package metrics

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
	"go.opentelemetry.io/otel/trace/noop"
)

// otherMethod is the label of calls to methods the server does not have.
const otherMethod = "other"

// JSON-RPC error codes of calls that reached no method (JSON-RPC 2.0).
const (
	codeInvalidRequest = -32600
	codeMethodNotFound = -32601
)

// RPC counts JSON-RPC calls by method and times them. go-ethereum's rpc
// package opens an OpenTelemetry span for every call it serves (on any
// transport, one per call of a batch) and ends it once the answer is written;
// RPC is the process's OpenTelemetry tracer provider and turns those spans
// into metrics. It records nothing else and exports no traces. See
// docs/adr/011-rpc-metrics-from-spans.md.
//
// The method label takes only names the server answered: a call that failed
// with "method not found" or "invalid request" is counted as "other", so a
// client cannot create series at will.
type RPC struct {
	embedded.TracerProvider

	requests *prometheus.CounterVec   // method
	errors   *prometheus.CounterVec   // method
	duration *prometheus.HistogramVec // method
}

var (
	rpcOnce    sync.Once
	rpcMetrics *RPC
)

// RPCMetrics returns the process's JSON-RPC metrics, installing them as the
// global OpenTelemetry tracer provider on first use. They count the calls of
// every JSON-RPC server in the process (a citynode process runs one node).
func RPCMetrics() *RPC {
	rpcOnce.Do(func() {
		rpcMetrics = newRPC()
		otel.SetTracerProvider(rpcMetrics)
	})
	return rpcMetrics
}

func newRPC() *RPC {
	return &RPC{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "citychain_rpc_requests_total",
			Help: "JSON-RPC calls served, by method (calls of a batch count one by one; unknown methods count as \"other\").",
		}, []string{"method"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "citychain_rpc_errors_total",
			Help: "JSON-RPC calls answered with an error, by method.",
		}, []string{"method"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "citychain_rpc_request_duration_seconds",
			Help:    "Time to serve a JSON-RPC call, from its decoding to its answer written, by method.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method"}),
	}
}

// Register adds the JSON-RPC metrics to reg.
func (r *RPC) Register(reg prometheus.Registerer) {
	reg.MustRegister(r.requests, r.errors, r.duration)
}

// Tracer implements trace.TracerProvider.
func (r *RPC) Tracer(string, ...trace.TracerOption) trace.Tracer { return rpcTracer{r: r} }

// rpcTracer starts a timing span for each JSON-RPC call and a no-op span for
// anything else.
type rpcTracer struct {
	embedded.Tracer
	r *RPC
}

// Start implements trace.Tracer. geth names call spans "jsonrpc.<service>/<method>"
// (batches "jsonrpc.batch"; internal spans other names, and only under a
// valid parent span, which ours are not).
func (t rpcTracer) Start(ctx context.Context, name string, _ ...trace.SpanStartOption) (context.Context, trace.Span) {
	call, ok := strings.CutPrefix(name, "jsonrpc.")
	if !ok || call == "batch" {
		return ctx, noop.Span{}
	}
	span := &rpcSpan{r: t.r, method: strings.Replace(call, "/", "_", 1), start: time.Now()}
	return trace.ContextWithSpan(ctx, span), span
}

// rpcSpan times one call. Its SpanContext is invalid, so geth opens no child
// spans below it.
type rpcSpan struct {
	noop.Span
	r       *RPC
	method  string
	start   time.Time
	failed  bool
	unknown bool // no such method: counted as otherMethod
}

// RecordError implements trace.Span: geth passes the error answer of the call.
func (s *rpcSpan) RecordError(err error, _ ...trace.EventOption) {
	s.failed = true
	var rerr rpc.Error
	if errors.As(err, &rerr) {
		switch rerr.ErrorCode() {
		case codeMethodNotFound, codeInvalidRequest:
			s.unknown = true
		}
	}
}

// SetStatus implements trace.Span.
func (s *rpcSpan) SetStatus(code codes.Code, _ string) {
	if code == codes.Error {
		s.failed = true
	}
}

// SetAttributes implements trace.Span; the attributes repeat the name.
func (s *rpcSpan) SetAttributes(...attribute.KeyValue) {}

// End implements trace.Span: the call is answered.
func (s *rpcSpan) End(...trace.SpanEndOption) {
	method := s.method
	if s.unknown || method == "" || strings.HasPrefix(method, "_") {
		method = otherMethod
	}
	s.r.requests.WithLabelValues(method).Inc()
	if s.failed {
		s.r.errors.WithLabelValues(method).Inc()
	}
	s.r.duration.WithLabelValues(method).Observe(time.Since(s.start).Seconds())
}
