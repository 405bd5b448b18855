package api

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/lru"
	"golang.org/x/sync/singleflight"

	"github.com/citychain/citychain/internal/gateway/upstream"
)

// etagLen is the length of an ETag kept before a cached body: a quoted
// hex string of 16 bytes of the body's SHA-256.
const etagLen = 2 + 32

// cache keeps answers by request and block hash, each with its ETag, and
// makes concurrent misses of one key share a single read. recent keeps, per
// request, its answer at the newest final block read: the block's number,
// hash and time, then the entry.
type cache struct {
	lru        *lru.SizeConstrainedCache[string, []byte]
	recent     *lru.SizeConstrainedCache[string, []byte]
	flight     singleflight.Group
	refreshing sync.Map // keys being filled in the background
}

// recentHead is the length of a recent entry's block: number, hash, time.
const recentHead = 8 + common.HashLength + 8

func newCache(bytes uint64) *cache {
	return &cache{
		lru:    lru.NewSizeConstrainedCache[string, []byte](max(bytes*3/4, 1)),
		recent: lru.NewSizeConstrainedCache[string, []byte](max(bytes/4, 1)),
	}
}

// keepRecent remembers ent as the request's answer at final block v, unless
// an answer at a newer block is kept.
func (c *cache) keepRecent(req string, v upstream.View, ent []byte) {
	if old, ok := c.recent.Get(req); ok && binary.BigEndian.Uint64(old) >= v.Block.Number {
		return
	}
	rec := make([]byte, 0, recentHead+len(ent))
	rec = binary.BigEndian.AppendUint64(rec, v.Block.Number)
	rec = append(rec, v.Block.Hash[:]...)
	rec = binary.BigEndian.AppendUint64(rec, v.Block.Time)
	c.recent.Add(req, append(rec, ent...))
}

// recentOf returns the request's answer at the newest final block kept, if
// that block is older than v's by at most maxAge.
func (c *cache) recentOf(req string, v upstream.View, maxAge time.Duration) ([]byte, upstream.View, bool) {
	e, b, ok := c.newest(req)
	if !ok || b.Number > v.Block.Number || v.Block.Time > b.Time+uint64(maxAge.Seconds()) {
		return nil, upstream.View{}, false
	}
	return e, upstream.View{Node: v.Node, Block: b, Final: true}, true
}

// newest returns the request's answer at the newest final block kept, and
// that block.
func (c *cache) newest(req string) ([]byte, upstream.Head, bool) {
	rec, ok := c.recent.Get(req)
	if !ok {
		return nil, upstream.Head{}, false
	}
	b := upstream.Head{Number: binary.BigEndian.Uint64(rec), Hash: common.BytesToHash(rec[8 : 8+common.HashLength]), Time: binary.BigEndian.Uint64(rec[8+common.HashLength:])}
	return rec[recentHead:], b, true
}

// requestKey is the request's path and query without "at".
func requestKey(r *http.Request) string { return requestKeyOf(r.URL.Path, r.URL.RawQuery) }

// requestKeyOf is requestKey of a path and a raw query.
func requestKeyOf(path, rawQuery string) string {
	if rawQuery == "" {
		return path + "?"
	}
	q, _ := url.ParseQuery(rawQuery) // as Request.URL.Query
	q.Del("at")
	return path + "?" + q.Encode()
}

// noRoute is the route byte of an entry that only the route's own handler
// may answer with (Server.front passes it to the mux).
const noRoute = 0xff

// entry is a cached answer that no route is named for (see entryFor).
func entry(body []byte) []byte { return entryFor(noRoute, body) }

// entryFor is a cached answer: ETag, body, then the index in Server.routes
// of the route that read it (noRoute: none), which lets Server.front answer
// it without the mux.
func entryFor(route uint8, body []byte) []byte {
	sum := sha256.Sum256(body)
	e := make([]byte, 0, etagLen+len(body)+1)
	e = append(e, '"')
	e = hex.AppendEncode(e, sum[:16])
	e = append(e, '"')
	e = append(e, body...)
	return append(e, route)
}

// entryBody is an entry's body.
func entryBody(e []byte) []byte { return e[etagLen : len(e)-1] }

// entryRoute is the index of the route that read an entry, or noRoute.
func entryRoute(e []byte) uint8 { return e[len(e)-1] }

// cacheKey is the request's path and its query without "at", sorted, with
// the block hash: the same question about the same block.
func cacheKey(r *http.Request, v upstream.View) string {
	return cacheKeyOf(r.URL.Path, r.URL.RawQuery, v)
}

// cacheKeyOf is cacheKey of a path and a raw query.
func cacheKeyOf(path, rawQuery string, v upstream.View) string {
	if rawQuery != "" {
		return requestKeyOf(path, rawQuery) + "@" + v.Block.Hash.Hex()
	}
	// The common read, without a query: one allocation, not three.
	var hexHash [2 * common.HashLength]byte
	var b strings.Builder
	b.Grow(len(path) + len("?@0x") + len(hexHash))
	b.WriteString(path)
	b.WriteString("?@0x")
	b.Write(hex.AppendEncode(hexHash[:0], v.Block.Hash[:]))
	return b.String()
}

// Header values of every cached answer, shared by all of them (net/http
// only reads a handler's header values; Set and Add replace or copy them).
var (
	hdrVary         = []string{"Origin"}
	hdrJSON         = []string{"application/json"}
	hdrImmutable    = []string{"public, max-age=31536000, immutable"}
	hdrNoCache      = []string{"no-cache"}
	hdrMaxAgeSecond = []string{"public, max-age=1"} // the default MaxAge
)

// maxAgeHeader is Cache-Control for an answer at the finalized tag.
func (s *Server) maxAgeHeader() []string {
	secs := int(s.cfg.MaxAge.Seconds())
	if secs == 1 {
		return hdrMaxAgeSecond
	}
	return []string{"public, max-age=" + strconv.Itoa(secs)}
}

// writeEntry answers with a cached entry: 304 if the client has it, its
// Cache-Control from how final the block is and how it was named.
func (s *Server) writeEntry(w http.ResponseWriter, r *http.Request, e []byte, at upstream.At, v upstream.View) int {
	return s.writeCached(w, r, e, s.cacheControl(at, v))
}

// cacheControl is the Cache-Control of an answer read at v, named by at.
func (s *Server) cacheControl(at upstream.At, v upstream.View) []string {
	switch {
	case at.Tag == "" && v.Final:
		return hdrImmutable
	case at.Tag == upstream.TagFinalized:
		return s.maxAgeHeader()
	default:
		return hdrNoCache
	}
}

// writeCached answers with a cached entry and the given Cache-Control: 304
// if the client has it. It returns the status.
func (s *Server) writeCached(w http.ResponseWriter, r *http.Request, e []byte, cacheControl []string) int {
	etag := string(e[:etagLen])
	h := w.Header() // canonical keys set directly, shared values: a hit's header costs two allocations
	h["Etag"] = []string{etag}
	h["Vary"] = hdrVary
	h["Cache-Control"] = cacheControl
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatch(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	body := entryBody(e)
	h["Content-Type"] = hdrJSON
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return http.StatusOK
}

// etagMatch reports whether an If-None-Match value names etag (or is "*").
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// hits answers a read that the cache holds at the block its ?at= tag names
// now, without a call and before next (the route's request timeout, which
// runs the handler in a goroutine of its own and copies its answer through
// a buffer): most reads are such hits, and that machinery was a tenth of a
// hit's CPU. Anything else (a miss, a stale answer, a block number, a bad
// ?at=) goes to next, which counts its own cache lookup.
func (s *Server) hits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := upstream.At{Tag: upstream.TagFinalized}
		if r.URL.RawQuery != "" {
			var err error
			if at, err = upstream.ParseAt(r.URL.Query().Get("at")); err != nil {
				next.ServeHTTP(w, r)
				return
			}
		}
		if v, ok := s.pool.Known(at); ok {
			key := cacheKey(r, v)
			if e, ok := s.cache.lru.Get(key); ok {
				s.metrics.hit.Inc()
				s.writeEntry(w, r, e, at, v)
				return
			}
			if e, ov, ok := s.staleRefreshing(r.URL.Path, r.URL.RawQuery, key, at, v); ok {
				s.metrics.cache.WithLabelValues("stale").Inc()
				s.writeEntry(w, r, e, at, ov)
				return
			}
		} else if s.pool.Ready() == 0 && s.fromCacheInOutage(w, r, at) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// staleRefreshing returns the previous final block's answer to a request
// (its path and raw query) while a
// refresh of key (started by Server.read on the first such request) is
// running: Server.read would answer the same. Each block moves every popular
// answer to a new key; until its refresh is done (longer under load), the
// requests for it took the slow path.
func (s *Server) staleRefreshing(path, rawQuery, key string, at upstream.At, v upstream.View) ([]byte, upstream.View, bool) {
	if at.Tag != upstream.TagFinalized || s.cfg.Stale <= 0 {
		return nil, upstream.View{}, false
	}
	if _, busy := s.cache.refreshing.Load(key); !busy {
		return nil, upstream.View{}, false
	}
	return s.cache.recentOf(requestKeyOf(path, rawQuery), v, s.cfg.Stale)
}
