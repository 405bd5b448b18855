package api

import (
	_ "embed"
	"net/http"

	"github.com/citychain/citychain/internal/gateway/upstream"
)

// OpenAPI is the API's OpenAPI 3.1 document.
//
//go:embed openapi.json
var OpenAPI []byte

// table is every route of the API: the OpenAPI document describes each one,
// and its test checks that they agree.
func (s *Server) table() []route {
	p := Prefix
	return []route{
		{method: "GET", pattern: p + "/openapi.json", handler: serveOpenAPI},
		{method: "GET", pattern: p + "/problems", handler: listProblems},
		{method: "GET", pattern: p + "/problems/{kind}", handler: getProblem},
		{method: "GET", pattern: p + "/status", handler: s.getStatus},

		{method: "GET", pattern: p + "/documents/{hash}", handler: s.read(s.getDocument), cached: true},
		{method: "GET", pattern: p + "/documents/{hash}/proof", handler: s.read(s.getDocumentProof), cached: true},
		{method: "POST", pattern: p + "/documents/batch-verifications", handler: s.readPost(s.verifyBatch), body: s.cfg.MaxBatchBody},

		{method: "GET", pattern: p + "/titles/{parcel}", handler: s.read(s.getTitle), cached: true},
		{method: "GET", pattern: p + "/titles/{parcel}/history", handler: s.read(s.getHistory), cached: true},
		{method: "GET", pattern: p + "/titles/{parcel}/proof", handler: s.read(s.getTitleProof), cached: true},

		{method: "GET", pattern: p + "/polls", handler: s.read(s.listPolls), cached: true},
		{method: "GET", pattern: p + "/polls/{id}", handler: s.read(s.getPoll), cached: true},
		{method: "GET", pattern: p + "/polls/{id}/recount", handler: s.read(s.recountPoll), cached: true},
		{method: "GET", pattern: p + "/polls/{id}/voters/{address}", handler: s.read(s.voterBallots), cached: true},
		{method: "GET", pattern: p + "/polls/{id}/typed-data", handler: s.read(s.typedData), cached: true},
		{method: "POST", pattern: p + "/polls/{id}/ballots", handler: s.postBallot},
		{method: "GET", pattern: p + "/ballots/{id}", handler: s.getBallot},
		{method: "GET", pattern: p + "/events", handler: s.events, stream: true},

		{method: "GET", pattern: p + "/markets", handler: s.read(s.listMarkets), cached: true},
		{method: "GET", pattern: p + "/markets/{id}", handler: s.read(s.getMarket), cached: true},
		{method: "GET", pattern: p + "/rounds", handler: s.read(s.listRounds), cached: true},
		{method: "GET", pattern: p + "/rounds/{id}", handler: s.read(s.getRound), cached: true},

		{method: "GET", pattern: p + "/anchors/{chainId}/blocks/{number}", handler: s.read(s.getAnchored)},
		{method: "GET", pattern: p + "/anchors/{chainId}/checkpoints/{number}/proof", handler: s.read(s.getCheckpointProof)},
		{method: "GET", pattern: p + "/anchors/{chainId}/receipts/{tx}/proof", handler: s.read(s.getReceiptProof)},

		{method: "GET", pattern: p + "/network", handler: s.readAt(upstream.TagLatest, s.getNetwork)},

		{method: "GET", pattern: "/health/live", handler: s.live, probe: true},
		{method: "GET", pattern: "/health/ready", handler: s.ready, probe: true},
	}
}

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(OpenAPI)
}

// ProblemType describes a problem type.
type ProblemType struct {
	Type        string `json:"type"`
	Title       string `json:"title"`
	Status      int    `json:"status"`
	Description string `json:"description"`
}

func typeOf(k Kind) ProblemType {
	return ProblemType{Type: problemBase + k.Slug, Title: k.Title, Status: k.Status, Description: k.Description}
}

func listProblems(w http.ResponseWriter, r *http.Request) {
	out := make([]ProblemType, len(kinds))
	for i, k := range kinds {
		out[i] = typeOf(k)
	}
	writeJSON(w, http.StatusOK, out)
}

func getProblem(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("kind")
	for _, k := range kinds {
		if k.Slug == slug {
			writeJSON(w, http.StatusOK, typeOf(k))
			return
		}
	}
	writeProblem(w, r, problemf(kindNotFound, "no problem type %q: see %s/problems", slug, Prefix))
}

// statusInfo is what /status shows besides the nodes and the queue.
type statusInfo struct {
	Relayer string
	Version string
}

// Status is the gateway's own state.
type Status struct {
	Version   string            `json:"version"`
	ChainID   uint64            `json:"chainId"`
	Ready     bool              `json:"ready"` // at least one rpc node is ready
	Upstreams []upstream.Status `json:"upstreams"`
	Intake    *IntakeStatus     `json:"intake"` // null: this gateway takes no ballots
}

// IntakeStatus is the ballot queue's state.
type IntakeStatus struct {
	Relayer  string  `json:"relayer"`
	Queued   int     `json:"queued"`
	Inflight int     `json:"inflight"`
	Oldest   float64 `json:"oldestAgeSeconds"`
}

func (s *Server) statusNow() Status {
	st := Status{Version: s.status.Version, ChainID: s.pool.ChainID(), Ready: s.pool.Ready() > 0, Upstreams: s.pool.Nodes()}
	if s.intake != nil {
		q, f := s.intake.Store().Counts()
		st.Intake = &IntakeStatus{Relayer: s.status.Relayer, Queued: q, Inflight: f}
		if t := s.intake.Store().Oldest(); !t.IsZero() {
			st.Intake.Oldest = timeSince(t)
		}
	}
	return st
}

func (s *Server) getStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.statusNow())
}

// live answers the liveness probe: the process serves HTTP.
func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "UP"})
}

// ready answers the readiness probe of the balancer: UP while at least one
// rpc node is ready.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	st := s.statusNow()
	code, status := http.StatusOK, "UP"
	if !st.Ready {
		code, status = http.StatusServiceUnavailable, "DOWN"
	}
	writeJSON(w, code, map[string]any{"status": status, "readyNodes": s.pool.Ready(), "nodes": len(st.Upstreams)})
}

// readAt is read with another default block than finalized.
func (s *Server) readAt(tag string, fn readFunc) http.HandlerFunc {
	h := s.read(fn)
	return func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.Query().Has("at") {
			q := r.URL.Query()
			q.Set("at", tag)
			r.URL.RawQuery = q.Encode()
		}
		h(w, r)
	}
}

// Routes returns the method and path pattern of every route.
func (s *Server) Routes() [][2]string {
	out := make([][2]string, len(s.routes))
	for i, r := range s.routes {
		out[i] = [2]string{r.method, r.pattern}
	}
	return out
}
