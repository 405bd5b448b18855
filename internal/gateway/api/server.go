package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"math/big"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/log"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/cors"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/intake"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// Prefix is the path of the API.
const Prefix = "/api/v1"

// Server serves the API.
type Server struct {
	cfg     Config
	pool    *upstream.Pool
	intake  *intake.Intake // nil: no ballot intake
	status  statusInfo
	assets  fs.FS // the web page; nil: none built in
	cache   *cache
	limiter *limiter
	metrics *metrics
	recount *recounts
	chains  map[uint64]string // external chains' nodes (--anchor.rpc), by chain id
	mux     *http.ServeMux
	routes  []route
	// routeIdx and fast index the cached routes for Server.front.
	routeIdx map[string]uint8
	fast     []*fastRoute
}

// Options are the parts a Server is built from besides its configuration.
type Options struct {
	Pool     *upstream.Pool
	Intake   *intake.Intake        // nil: ballots are refused with intake-off
	Relayer  string                // the relayer's account, shown in /api/v1/status
	Assets   fs.FS                 // the web page's files, served at /; nil: / answers no-web-page
	Registry prometheus.Registerer // gets the API's metrics; nil: none served
	Version  string                // the gateway's version, shown in /api/v1/status
}

// New returns the API server.
func New(cfg Config, opts Options) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, pool: opts.Pool, intake: opts.Intake, assets: opts.Assets, cache: newCache(cfg.CacheBytes), recount: newRecounts()}
	s.chains, _ = chainNodes(cfg.ChainRPC) // checked by Validate
	if cfg.RateLimit > 0 {
		s.limiter = newLimiter(cfg)
	}
	s.metrics = newMetrics(opts.Registry)
	s.status = statusInfo{Relayer: opts.Relayer, Version: opts.Version}
	s.routes = s.table()
	s.fastRoutes()
	s.mux = http.NewServeMux()
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.pattern, s.wrap(rt))
	}
	s.mux.Handle(Prefix+"/", s.instrument("unmatched", http.HandlerFunc(s.unmatched)))
	s.mux.Handle("/", s.instrument("assets", http.HandlerFunc(s.serveAssets)))
	return s, nil
}

// Handler returns the HTTP handler of the API and the web page, with CORS.
func (s *Server) Handler() http.Handler {
	front := http.HandlerFunc(s.front)
	if len(s.cfg.CORS) == 0 {
		return front
	}
	return cors.New(cors.Options{
		AllowedOrigins: s.cfg.CORS,
		AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "If-None-Match", "Last-Event-ID"},
		ExposedHeaders: []string{"ETag", "Retry-After", "Location"},
		MaxAge:         600,
	}).Handler(front)
}

// route is one route of the API.
type route struct {
	method  string
	pattern string
	handler http.HandlerFunc
	body    int64 // body limit; 0: Config.MaxBody
	stream  bool  // a long-lived answer: no request timeout
	probe   bool  // a health probe: no rate limit (the balancer asks often)
	cached  bool  // read with Server.read at the finalized block by default: cache hits are answered before the request timeout's goroutine
}

// wrap adds the route's metrics, rate limit, body limit and timeout.
func (s *Server) wrap(rt route) http.Handler {
	limit := rt.body
	if limit == 0 {
		limit = s.cfg.MaxBody
	}
	var h http.Handler = rt.handler
	if !rt.stream {
		h = s.timeoutProblem(http.TimeoutHandler(h, s.cfg.Timeout, ""))
	}
	if rt.cached {
		h = s.hits(h)
	}
	inner := checkPath(rt.pattern, h)
	h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		inner.ServeHTTP(w, r)
	})
	if !rt.probe {
		h = s.limit(h)
	}
	return s.instrument(rt.pattern, h)
}

// timeoutProblem turns http.TimeoutHandler's empty 503 into a timeout problem.
func (s *Server) timeoutProblem(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &timeoutWriter{ResponseWriter: w, r: r, timeout: s.cfg.Timeout}
		next.ServeHTTP(tw, r)
	})
}

type timeoutWriter struct {
	http.ResponseWriter
	r        *http.Request
	timeout  time.Duration
	replaced bool
}

func (w *timeoutWriter) WriteHeader(code int) {
	if code == http.StatusServiceUnavailable && w.Header().Get("Content-Type") == "" {
		w.replaced = true
		writeProblem(w.ResponseWriter, w.r, problemf(kindTimeout, "no answer within the gateway's request timeout (%v)", w.timeout))
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *timeoutWriter) Write(b []byte) (int, error) {
	if w.replaced {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *timeoutWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// unmatched answers a path under /api/v1 that no route takes: 405 if the
// path is a route's with another method, 404 otherwise.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, rt := range s.routes {
		probe := r.Clone(r.Context())
		probe.Method = rt.method
		if _, pattern := s.mux.Handler(probe); pattern == rt.method+" "+rt.pattern && !slices.Contains(allow, rt.method) {
			allow = append(allow, rt.method)
		}
	}
	if len(allow) > 0 {
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		pe := problemf(kindMethod, "%s %s: the route takes %s", r.Method, r.URL.Path, strings.Join(allow, ", "))
		pe.allow = strings.Join(allow, ", ")
		writeProblem(w, r, pe)
		return
	}
	writeProblem(w, r, problemf(kindNotFound, "no route %s %s: see %s/openapi.json", r.Method, r.URL.Path, Prefix))
}

// serveAssets serves the web page's files, or says there is none.
func (s *Server) serveAssets(w http.ResponseWriter, r *http.Request) {
	if s.assets == nil {
		writeProblem(w, r, problemf(kindNoPage, "this citygate has no web page built in: the API is under %s (see %s/openapi.json)", Prefix, Prefix))
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if name == "" {
		name = "."
	}
	if _, err := fs.Stat(s.assets, name); err != nil {
		writeProblem(w, r, problemf(kindNotFound, "no page %s: the web page is at /, the API under %s", r.URL.Path, Prefix))
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", PageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	h.Set("Cache-Control", "no-cache")
	http.FileServerFS(s.assets).ServeHTTP(w, r)
}

// PageCSP is the web page's Content-Security-Policy: its own scripts,
// styles and API only; no inline script, no other origin, no framing.
const PageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// readFunc reads an answer at a view with a client reading at its block.
type readFunc func(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error)

// read answers with fn's result at the block ?at= names (finalized by
// default) on a ready node, from the cache when the same request was
// answered at the same block hash. At the finalized block, when the block
// has just moved on, the answer of the previous final block (at most
// Config.Stale older, and saying which block it is) is given while one
// refresh runs: residents do not all wait for the node at every block.
func (s *Server) read(fn readFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		at, err := upstream.ParseAt(r.URL.Query().Get("at"))
		if err != nil {
			writeProblem(w, r, badInput("?at=: %v", err))
			return
		}
		var (
			e    []byte
			view upstream.View
		)
		err = s.pool.Do(r.Context(), func(ctx context.Context, n *upstream.Node) error {
			v, err := s.pool.View(ctx, n, at)
			if err != nil {
				return err
			}
			key := cacheKey(r, v)
			if hit, ok := s.cache.lru.Get(key); ok {
				s.metrics.hit.Inc()
				e, view = hit, v
				return nil
			}
			if at.Tag == upstream.TagFinalized && s.cfg.Stale > 0 {
				if old, ov, ok := s.cache.recentOf(requestKey(r), v, s.cfg.Stale); ok {
					s.metrics.cache.WithLabelValues("stale").Inc()
					s.refresh(key, n, v, fn, r)
					e, view = old, ov
					return nil
				}
			}
			s.metrics.cache.WithLabelValues("miss").Inc()
			e, err = s.fill(ctx, key, n, v, fn, r)
			view = v
			return err
		})
		if err != nil {
			if upstreamFailed(r, err) && s.fromCacheInOutage(w, r, at) {
				return
			}
			writeProblem(w, r, err)
			return
		}
		s.writeEntry(w, r, e, at, view)
	}
}

// fill reads an answer at v into the cache (one read per key at a time).
func (s *Server) fill(ctx context.Context, key string, n *upstream.Node, v upstream.View, fn readFunc, r *http.Request) ([]byte, error) {
	res, err, _ := s.cache.flight.Do(key, func() (any, error) {
		c := registry.New(n.RPC(), nil)
		c.Block = new(big.Int).SetUint64(v.Block.Number)
		data, err := fn(ctx, c, v, r)
		if err != nil {
			return nil, err
		}
		body, err := encode(data)
		if err != nil {
			return nil, err
		}
		ent := entryFor(s.routeOf(r), body)
		s.cache.lru.Add(key, ent)
		if v.Final {
			s.cache.keepRecent(requestKey(r), v, ent)
		}
		return ent, nil
	})
	if err != nil {
		return nil, err
	}
	return res.([]byte), nil
}

// refresh fills key in the background, once at a time.
func (s *Server) refresh(key string, n *upstream.Node, v upstream.View, fn readFunc, r *http.Request) {
	if _, busy := s.cache.refreshing.LoadOrStore(key, true); busy {
		return
	}
	rr := r.Clone(context.Background())
	go func() {
		defer s.cache.refreshing.Delete(key)
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
		defer cancel()
		if _, err := s.fill(ctx, key, n, v, fn, rr); err != nil {
			log.Debug("Failed to refresh a cached answer", "key", key, "err", err)
		}
	}()
}

// readPost answers a POST with fn's result at the block ?at= names, not
// cached. The body is read once, so that a retry on another node sees it.
func (s *Server) readPost(fn readFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		at, err := upstream.ParseAt(r.URL.Query().Get("at"))
		if err != nil {
			writeProblem(w, r, badInput("?at=: %v", err))
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeProblem(w, r, err)
			return
		}
		var (
			out  any
			view upstream.View
		)
		err = s.pool.Do(r.Context(), func(ctx context.Context, n *upstream.Node) error {
			v, err := s.pool.View(ctx, n, at)
			if err != nil {
				return err
			}
			c := registry.New(n.RPC(), nil)
			c.Block = new(big.Int).SetUint64(v.Block.Number)
			rr := r.Clone(ctx)
			rr.Body = io.NopCloser(bytes.NewReader(body))
			out, view = nil, v
			out, err = fn(ctx, c, v, rr)
			return err
		})
		if err != nil {
			writeProblem(w, r, err)
			return
		}
		data, err := json.Marshal(out)
		if err != nil {
			writeProblem(w, r, problemf(kindInternal, "encoding the answer: %v", err))
			return
		}
		s.writeEntry(w, r, entry(data), upstream.At{Tag: upstream.TagLatest}, view)
	}
}

// writeJSON answers with v, not cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// encode returns an answer's JSON; a rawBody is its own.
func encode(data any) ([]byte, error) {
	if raw, ok := data.(rawBody); ok {
		return raw, nil
	}
	return json.Marshal(data)
}

// checkJSONType refuses a body declared as anything but JSON.
func checkJSONType(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return problemf(kindMediaType, "Content-Type %q: send the body as application/json", ct)
	}
	return nil
}

// decodeJSON reads a JSON body into v, refusing unknown fields.
func decodeJSON(r *http.Request, v any) error {
	if err := checkJSONType(r); err != nil {
		return err
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return problemf(kindMalformedJSON, "%v", err)
	}
	if dec.More() {
		return problemf(kindMalformedJSON, "the body holds more than one JSON value")
	}
	return nil
}
