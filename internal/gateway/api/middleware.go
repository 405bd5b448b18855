package api

import (
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/log"
	"golang.org/x/time/rate"
)

// statusWriter records the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (Flush, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument counts and times requests by route (the route's pattern, a
// bounded set) and status, and turns a panic into a 500 problem.
func (s *Server) instrument(route string, next http.Handler) http.Handler {
	ok, latency := s.metrics.requests.WithLabelValues(route, "200"), s.metrics.latency.WithLabelValues(route) // looked up once, not per request
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("Panic serving a request", "route", route, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeProblem(sw, r, problemf(kindInternal, "the gateway failed serving this request"))
				}
			}
			if code := max(sw.status, 200); code == http.StatusOK {
				ok.Inc()
			} else {
				s.metrics.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
			}
			latency.Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

// limiter is a token bucket per client address.
type limiter struct {
	rate    rate.Limit
	burst   int
	trusted []netip.Prefix

	mu      sync.Mutex
	clients map[netip.Addr]*client
	swept   time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// sweepEvery is how often idle clients are forgotten.
const sweepEvery = time.Minute

func newLimiter(cfg Config) *limiter {
	trusted, _ := parsePrefixes(cfg.TrustedProxies) // validated
	return &limiter{rate: rate.Limit(cfg.RateLimit), burst: cfg.RateBurst, trusted: trusted, clients: map[netip.Addr]*client{}, swept: time.Now()}
}

// clientAddr returns the client's address: the connection's peer, or, from
// a trusted balancer, the last address in X-Forwarded-For that is not one.
func (l *limiter) clientAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return l.clientOf(ap.Addr(), r.Header.Get("X-Forwarded-For"))
}

// clientOf is clientAddr of a peer's address and X-Forwarded-For value.
func (l *limiter) clientOf(peer netip.Addr, forwardedFor string) netip.Addr {
	addr := peer.Unmap()
	if !l.isTrusted(addr) {
		return addr
	}
	hops := strings.Split(forwardedFor, ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if a = a.Unmap(); !l.isTrusted(a) {
			return a
		}
	}
	return addr
}

func (l *limiter) isTrusted(a netip.Addr) bool {
	for _, p := range l.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// allow takes a token of the client's bucket; if none is left it returns
// how long until one is.
func (l *limiter) allow(r *http.Request) (bool, time.Duration) {
	return l.allowClient(l.clientAddr(r))
}

// allowClient is allow of a client's address.
func (l *limiter) allowClient(addr netip.Addr) (bool, time.Duration) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > sweepEvery {
		for a, c := range l.clients {
			if now.Sub(c.seen) > sweepEvery {
				delete(l.clients, a)
			}
		}
		l.swept = now
	}
	c := l.clients[addr]
	if c == nil {
		c = &client{lim: rate.NewLimiter(l.rate, l.burst)}
		l.clients[addr] = c
	}
	c.seen = now
	res := c.lim.ReserveN(now, 1)
	if delay := res.DelayFrom(now); delay > 0 {
		res.CancelAt(now)
		return false, delay
	}
	return true, 0
}

// limit answers 429 to a client over its rate.
func (s *Server) limit(next http.Handler) http.Handler {
	if s.limiter == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.limiter.allow(r); !ok {
			secs := int(wait.Seconds()) + 1
			writeProblem(w, r, &problemError{kind: kindRateLimited, detail: "more requests than this gateway allows one client (" + strconv.FormatFloat(float64(s.limiter.rate), 'f', -1, 64) + "/s)", retryAfter: secs})
			return
		}
		next.ServeHTTP(w, r)
	})
}
