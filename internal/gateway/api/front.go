package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

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
	at := upstream.At{Tag: upstream.TagFinalized}
	if r.URL.RawQuery != "" {
		var err error
		if at, err = upstream.ParseAt(r.URL.Query().Get("at")); err != nil {
			return false
		}
	}
	v, ok := s.pool.Known(at)
	if !ok {
		return false
	}
	key := cacheKey(r, v)
	e, hit := s.cache.lru.Get(key)
	if !hit {
		if e, v, ok = s.staleRefreshing(r, key, at, v); !ok {
			return false
		}
	}
	i := int(entryRoute(e))
	if i >= len(s.fast) || s.fast[i] == nil {
		return false
	}
	rt := s.fast[i]
	if s.limiter != nil {
		if ok, _ := s.limiter.allow(r); !ok {
			return false
		}
	}
	if hit {
		s.metrics.hit.Inc()
	} else {
		s.metrics.cache.WithLabelValues("stale").Inc()
	}
	if code := s.writeEntry(w, r, e, at, v); code == http.StatusOK {
		rt.ok.Inc()
	} else {
		s.metrics.requests.WithLabelValues(rt.pattern, strconv.Itoa(code)).Inc()
	}
	rt.latency.Observe(time.Since(start).Seconds())
	return true
}
