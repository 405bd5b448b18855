// Package front is citygate's HTTP/1.1 keep-alive front for cache hits
// (ADR 096). It owns the plain-HTTP listener: on each connection it reads
// request heads itself, answers the GETs and HEADs that its Hits answers
// (the API's cached answers) with one write of a response it encodes, and
// hands every other request to net/http's server unchanged:
//
//   - a plain GET or HEAD (no body, no Upgrade or Expect, no Connection
//     other than keep-alive) that is not a hit is handed over for that one
//     request: net/http serves it on the connection and gives it back,
//     and the front goes on reading;
//   - anything else (a body, a head it does not parse, HTTP/1.0, a head
//     larger than its buffer, an event stream's GET) is handed over for
//     the connection's life.
//
// net/http's per-request machinery (the Request and its header map, the
// response's header map, the background read and its deadlines, the
// goroutine handoffs) was most of a cached read's CPU (docs/benchmarks.md).
// A hit costs the front a parse of the head, the cache lookup and one write.
package front
