package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/intake"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// problemBase is the path under which problem types are described; a
// problem's type is this path and its kind ("/api/v1/problems/not-found"),
// a URI reference relative to the API's origin (RFC 9457 section 3.1.1).
const problemBase = "/api/v1/problems/"

// Kind is a kind of problem: its type slug, title and HTTP status.
type Kind struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Status      int    `json:"status"`
	Description string `json:"description"`
}

// The kinds of problems the API answers with.
var (
	kindInvalidInput  = Kind{"invalid-input", "Invalid input", 400, "A path or query parameter, or the request body, is not of the form the route takes; detail says which and what is expected."}
	kindMalformedJSON = Kind{"malformed-json", "Malformed JSON body", 400, "The request body is not JSON of the documented shape."}
	kindNotFound      = Kind{"not-found", "Not found", 404, "No such route, or the chain has no such record (poll, parcel, market, round, ballot)."}
	kindBlockNotFound = Kind{"block-not-found", "Block not found", 404, "The block named with ?at= is above the node's head or unknown to it."}
	kindMethod        = Kind{"method-not-allowed", "Method not allowed", 405, "The route exists but not with this method; the Allow header lists the methods it takes."}
	kindConflict      = Kind{"already-voted", "Already voted", 409, "The voter's ballot in this poll is counted on chain already, or another ballot of the voter is queued here (ballotId names it)."}
	kindPollNotOpen   = Kind{"poll-not-open", "Poll not open", 409, "The poll is not yet open, closed, or cancelled at the chain's latest block."}
	kindTooLarge      = Kind{"body-too-large", "Request body too large", 413, "The body is larger than the route takes."}
	kindMediaType     = Kind{"unsupported-media-type", "Unsupported media type", 415, "The body must be application/json."}
	kindBallot        = Kind{"invalid-ballot", "Invalid ballot", 422, "The ballot is well formed but cannot count: an option the poll lacks, a signature not made by the voter for this poll, option and chain, or an eligibility proof that does not lead to the poll's root."}
	kindRateLimited   = Kind{"rate-limited", "Too many requests", 429, "This client sent more requests than the gateway's per-client rate allows; Retry-After says when to try again."}
	kindQueueFull     = Kind{"queue-full", "Ballot queue full", 429, "The gateway holds as many ballots waiting for the chain as it takes; Retry-After says when to send again."}
	kindInternal      = Kind{"internal", "Internal error", 500, "The gateway failed; the detail and its log say why."}
	kindUpstream      = Kind{"upstream-error", "The chain's node failed", 502, "The rpc node's answer could not be used; the detail says why."}
	kindNoUpstream    = Kind{"no-upstream", "No node ready", 503, "No rpc node behind the gateway is ready, or the checks could not read the chain; Retry-After says when to try again."}
	kindNoFinalized   = Kind{"no-finalized-block", "No finalized block yet", 503, "The chain has no finalized block yet: ask with ?at=latest."}
	kindNoIntake      = Kind{"intake-off", "Ballot intake off", 503, "This gateway takes no ballots (it runs without a relayer key); send them to one that does."}
	kindNoPage        = Kind{"no-web-page", "No web page", 404, "This citygate has no web page built in; the API is under /api/v1 (see /api/v1/openapi.json)."}
	kindTimeout       = Kind{"timeout", "Request timed out", 504, "The answer took longer than the gateway's request timeout."}
	kindCounting      = Kind{"recount-in-progress", "Recount in progress", 503, "The gateway is counting the poll's events in the background (a large poll takes longer than one request); the detail says how far it got, Retry-After when to ask again."}
)

// kinds lists every kind, for /api/v1/problems and the OpenAPI test.
var kinds = []Kind{
	kindInvalidInput, kindMalformedJSON, kindNotFound, kindBlockNotFound, kindMethod, kindConflict, kindPollNotOpen,
	kindTooLarge, kindMediaType, kindBallot, kindRateLimited, kindQueueFull, kindInternal, kindUpstream, kindNoUpstream,
	kindNoFinalized, kindNoIntake, kindNoPage, kindTimeout, kindCounting,
}

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance,omitempty"`
	// Extensions.
	BallotID   string `json:"ballotId,omitempty"`   // already-voted: the voter's ballot here
	RetryAfter int    `json:"retryAfter,omitempty"` // seconds, as the Retry-After header
}

// problemError is an error that is answered as a problem of its kind.
type problemError struct {
	kind       Kind
	detail     string
	ballotID   string
	retryAfter int
	allow      string // method-not-allowed: the Allow header
}

func (e *problemError) Error() string { return e.detail }

// problemf returns an error answered as a problem of kind.
func problemf(kind Kind, format string, args ...any) *problemError {
	return &problemError{kind: kind, detail: fmt.Sprintf(format, args...)}
}

// badInput is an invalid-input problem.
func badInput(format string, args ...any) *problemError {
	return problemf(kindInvalidInput, format, args...)
}

// toProblem maps an error to its problem.
func toProblem(err error) *problemError {
	var pe *problemError
	if errors.As(err, &pe) {
		return pe
	}
	var ref *intake.Refusal
	if errors.As(err, &ref) {
		return refusalProblem(ref)
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return problemf(kindTooLarge, "the body is larger than %d bytes", mbe.Limit)
	case errors.Is(err, upstream.ErrNoFinalized):
		return &problemError{kind: kindNoFinalized, detail: err.Error() + ": ask with ?at=latest", retryAfter: 1}
	case errors.Is(err, upstream.ErrNoReady):
		return &problemError{kind: kindNoUpstream, detail: err.Error(), retryAfter: 1}
	case errors.Is(err, context.DeadlineExceeded):
		return &problemError{kind: kindTimeout, detail: "the rpc node did not answer in time (it is overloaded, or the request is too large): " + err.Error(), retryAfter: 1}
	case errors.Is(err, upstream.ErrBlockNotFound):
		return problemf(kindBlockNotFound, "%v", err)
	case registry.IsUnknown(err):
		return problemf(kindNotFound, "%v", err)
	}
	return problemf(kindUpstream, "%v", err)
}

// refusalProblem maps an intake refusal to its problem.
func refusalProblem(r *intake.Refusal) *problemError {
	pe := &problemError{detail: r.Detail}
	switch {
	case errors.Is(r, intake.ErrMalformed):
		pe.kind = kindInvalidInput
	case errors.Is(r, intake.ErrUnknownPoll):
		pe.kind = kindNotFound
	case errors.Is(r, intake.ErrPollNotOpen):
		pe.kind = kindPollNotOpen
	case errors.Is(r, intake.ErrInvalidOption), errors.Is(r, intake.ErrBadSignature), errors.Is(r, intake.ErrNotEligible):
		pe.kind = kindBallot
	case errors.Is(r, intake.ErrAlreadyVoted), errors.Is(r, intake.ErrAlreadyQueued):
		pe.kind = kindConflict
	case errors.Is(r, intake.ErrQueueFull):
		pe.kind, pe.retryAfter = kindQueueFull, 5
	default:
		pe.kind, pe.retryAfter = kindNoUpstream, 1
	}
	if r.ID != nil {
		pe.ballotID = r.ID.Hex()
	}
	return pe
}

// writeProblem answers with the problem of err.
func writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	pe := toProblem(err)
	p := Problem{
		Type: problemBase + pe.kind.Slug, Title: pe.kind.Title, Status: pe.kind.Status, Detail: pe.detail,
		Instance: r.URL.Path, BallotID: pe.ballotID, RetryAfter: pe.retryAfter,
	}
	body, _ := json.Marshal(p)
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	if pe.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(pe.retryAfter))
	}
	if pe.allow != "" {
		h.Set("Allow", pe.allow)
	}
	w.WriteHeader(p.Status)
	w.Write(body)
}
