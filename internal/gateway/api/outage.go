package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/citychain/citychain/internal/gateway/upstream"
)

// hdrUnavailable is the Citygate-Upstream header of an answer given from the
// cache because no rpc node answered.
var hdrUnavailable = []string{"unavailable"}

// upstreamFailed reports whether a read failed for want of a node's answer
// (no node ready, or the node failed or timed out) while its client waits.
func upstreamFailed(r *http.Request, err error) bool {
	if r.Context().Err() != nil {
		return false
	}
	return errors.Is(err, upstream.ErrNoReady) || upstream.Failover(err)
}

// fromCacheInOutage answers a read that no rpc node can answer from what the
// cache holds (ADR 090), and reports whether it did:
//   - at the finalized block (the default), the request's answer at the
//     newest final block kept, if that block was sealed at most
//     Config.Outage ago: its body names the block, Age says how many seconds
//     ago the block was sealed, Cache-Control is no-cache;
//   - at a final block number, the answer kept for that block (it never
//     changes), as at any time.
//
// Both carry Citygate-Upstream: unavailable. A read at ?at=latest, or one
// the cache has nothing for, is not answered here (the caller's 503 or 504).
func (s *Server) fromCacheInOutage(w http.ResponseWriter, r *http.Request, at upstream.At) bool {
	switch at.Tag {
	case upstream.TagFinalized:
		if s.cfg.Outage <= 0 {
			return false
		}
		e, b, ok := s.cache.newest(requestKey(r))
		if !ok {
			return false
		}
		age := max(time.Since(time.Unix(int64(b.Time), 0)), 0)
		if age > s.cfg.Outage {
			return false
		}
		h := w.Header()
		h["Citygate-Upstream"] = hdrUnavailable
		h["Age"] = []string{strconv.FormatInt(int64(age/time.Second), 10)}
		s.metrics.cache.WithLabelValues("outage").Inc()
		s.writeCached(w, r, e, hdrNoCache)
		return true
	case "":
		b, ok := s.pool.FinalHeader(at.Number)
		if !ok {
			return false
		}
		v := upstream.View{Block: b, Final: true}
		e, ok := s.cache.lru.Get(cacheKey(r, v))
		if !ok {
			return false
		}
		w.Header()["Citygate-Upstream"] = hdrUnavailable
		s.metrics.cache.WithLabelValues("outage").Inc()
		s.writeEntry(w, r, e, at, v)
		return true
	}
	return false
}
