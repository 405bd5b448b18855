package api

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/citychain/citychain/internal/gateway/front"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// fastRoute is what Server.front needs of a cached route to answer a hit
// without the mux: its pattern and its request metrics' series.
type fastRoute struct {
	pattern string
	ok      prometheus.Counter  // requests answered 200
	latency prometheus.Observer // request duration
}

// fastRoutes indexes the cached routes by their mux pattern ("GET /path"),
// which the mux leaves in Request.Pattern, and by their index in routes.
func (s *Server) fastRoutes() {
	s.routeIdx = map[string]uint8{}
	s.fast = make([]*fastRoute, len(s.routes))
	for i, rt := range s.routes {
		if !rt.cached || i >= noRoute {
			continue
		}
		s.routeIdx[rt.method+" "+rt.pattern] = uint8(i)
		s.fast[i] = &fastRoute{pattern: rt.pattern, ok: s.metrics.requests.WithLabelValues(rt.pattern, "200"), latency: s.metrics.latency.WithLabelValues(rt.pattern)}
	}
}

// routeOf is the index of the cached route that r was routed to, noRoute if
// none: an entry is answered by Server.front only if a cached route read it.
func (s *Server) routeOf(r *http.Request) uint8 {
	if i, ok := s.routeIdx[r.Pattern]; ok {
		return i
	}
	return noRoute
}

// front answers a GET or HEAD whose answer the cache holds at the block its
// ?at= tag names now (or, while it is refreshed, the previous final block's)
// before the mux: the entry names the cached route that read it for the same
// path and query, so the mux would route the request there, and that route
// would answer it from the cache (Server.hits). The mux's matching, the
// route's wrappers (metrics with a status recorder, body limit) and their
// allocations were a tenth of a hit's CPU. Anything else goes to the mux:
// a miss, an entry of a route that is not cached, a client over its rate
// (the mux's path answers its 429).
func (s *Server) front(w http.ResponseWriter, r *http.Request) {
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && strings.HasPrefix(r.URL.Path, Prefix+"/") && s.frontHit(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// frontHit answers r from the cache if it can, and reports whether it did.
func (s *Server) frontHit(w http.ResponseWriter, r *http.Request) bool {
	start := time.Now()
	h, ok := s.lookupHit(r.URL.Path, r.URL.RawQuery)
	if !ok {
		return false
	}
	if s.limiter != nil {
		if ok, _ := s.limiter.allow(r); !ok {
			return false
		}
	}
	s.countHit(h, s.writeEntry(w, r, h.e, h.at, h.v), start)
	return true
}

// cachedHit is an answer the cache holds for a request that Server.front
// answers.
type cachedHit struct {
	e     []byte
	at    upstream.At
	v     upstream.View
	rt    *fastRoute
	stale bool // the previous final block's, while the new one's is read
}

// lookupHit finds the answer to a GET or HEAD of path and rawQuery that
// Server.front gives: held at the block its ?at= tag names now, or the
// previous final block's while that is refreshed, read by a cached route.
func (s *Server) lookupHit(path, rawQuery string) (cachedHit, bool) {
	at := upstream.At{Tag: upstream.TagFinalized}
	if rawQuery != "" {
		q, _ := url.ParseQuery(rawQuery) // as Request.URL.Query
		var err error
		if at, err = upstream.ParseAt(q.Get("at")); err != nil {
			return cachedHit{}, false
		}
	}
	v, ok := s.pool.Known(at)
	if !ok {
		return cachedHit{}, false
	}
	key := cacheKeyOf(path, rawQuery, v)
	h := cachedHit{at: at, v: v}
	h.e, ok = s.cache.lru.Get(key)
	if !ok {
		if h.e, h.v, ok = s.staleRefreshing(path, rawQuery, key, at, v); !ok {
			return cachedHit{}, false
		}
		h.stale = true
	}
	i := int(entryRoute(h.e))
	if i >= len(s.fast) || s.fast[i] == nil {
		return cachedHit{}, false
	}
	h.rt = s.fast[i]
	return h, true
}

// countHit counts an answer given by Server.front: the cache's lookup and
// the route's request metrics.
func (s *Server) countHit(h cachedHit, code int, start time.Time) {
	if h.stale {
		s.metrics.cache.WithLabelValues("stale").Inc()
	} else {
		s.metrics.hit.Inc()
	}
	if code == http.StatusOK {
		h.rt.ok.Inc()
	} else {
		s.metrics.requests.WithLabelValues(h.rt.pattern, strconv.Itoa(code)).Inc()
	}
	h.rt.latency.Observe(time.Since(start).Seconds())
}

// Hit implements front.Hits: the answer Server.front gives a GET or HEAD
// from the cache, for the HTTP/1.1 front to write without net/http (ADR
// 096). A request with an Origin when CORS is configured goes to net/http
// (rs/cors adds its headers there); without an Origin, rs/cors adds only
// "Vary: Origin", which every cached answer has.
func (s *Server) Hit(q *front.Request, a *front.Answer) bool {
	if q.Origin && len(s.cfg.CORS) > 0 || !bytes.HasPrefix(q.Path, prefixSlash) {
		return false
	}
	start := time.Now()
	h, ok := s.lookupHit(string(q.Path), string(q.Query))
	if !ok {
		return false
	}
	if s.limiter != nil {
		if ok, _ := s.limiter.allowClient(s.limiter.clientOf(q.Remote.Addr(), string(q.ForwardedFor))); !ok {
			return false
		}
	}
	s.countHit(h, answerCached(a, q, h.e, s.cacheControl(h.at, h.v)), start)
	return true
}

var prefixSlash = []byte(Prefix + "/")

// Stream implements front.Hits: whether path is a stream route's (a
// pattern without wildcards), whose connection net/http keeps.
func (s *Server) Stream(path []byte) bool {
	for _, rt := range s.routes {
		if rt.stream && rt.pattern == string(path) {
			return true
		}
	}
	return false
}

// answerCached is writeCached for the front: the same status and fields,
// in the order net/http writes a handler's header (sorted by name).
func answerCached(a *front.Answer, q *front.Request, e []byte, cacheControl []string) int {
	etag := string(e[:etagLen])
	if q.IfNoneMatch != nil && etagMatch(string(q.IfNoneMatch), etag) {
		a.Status = http.StatusNotModified
		a.Header = append(a.Header, front.Field{Name: "Cache-Control", Value: cacheControl[0]}, front.Field{Name: "Etag", Value: etag}, front.Field{Name: "Vary", Value: hdrVary[0]})
		return a.Status
	}
	body := entryBody(e)
	a.Status, a.Body = http.StatusOK, body
	a.Header = append(a.Header, front.Field{Name: "Cache-Control", Value: cacheControl[0]}, front.Field{Name: "Content-Length", Value: strconv.Itoa(len(body))},
		front.Field{Name: "Content-Type", Value: hdrJSON[0]}, front.Field{Name: "Etag", Value: etag}, front.Field{Name: "Vary", Value: hdrVary[0]})
	return a.Status
}
