package api

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// Timings of the event stream.
const (
	keepAlive   = 15 * time.Second // a comment line keeps idle connections open
	eventsPage  = 1000             // events read from the store at once
	streamRetry = 2000             // ms: the client's reconnection delay
)

// TallyEvent is a poll's tallies at a new finalized block.
type TallyEvent struct {
	Poll    uint64   `json:"poll"`
	Block   BlockRef `json:"block"`
	Tallies []uint64 `json:"tallies"`
}

// events streams server-sent events: "ballot" for every change of state of
// the gateway's ballots after ?after= or Last-Event-ID (of ?poll= only, if
// given), and with ?poll= "tally" whenever the poll's tallies at the
// finalized block change.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	after, _, err := uintQuery(r, "after")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		if after, err = strconv.ParseUint(id, 10, 64); err != nil {
			writeProblem(w, r, badInput("Last-Event-ID %q: want the id of an event of this stream", id))
			return
		}
	}
	poll, byPoll, err := uintQuery(r, "poll")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	if byPoll {
		err := s.pool.Do(r.Context(), func(ctx context.Context, n *upstream.Node) error {
			_, err := registry.New(n.RPC(), nil).Poll(ctx, poll)
			return err
		})
		if err != nil {
			writeProblem(w, r, err)
			return
		}
	}
	if s.intake == nil && !byPoll {
		writeProblem(w, r, problemf(kindNoIntake, "this gateway takes no ballots, so it has no ballot events: follow a poll's tallies with ?poll=N"))
		return
	}
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: %d\n\n", streamRetry)
	rc.Flush()
	st := &stream{s: s, w: w, rc: rc, after: after, poll: poll, byPoll: byPoll}
	st.run(r.Context())
}

// stream is one client's event stream.
type stream struct {
	s      *Server
	w      http.ResponseWriter
	rc     *http.ResponseController
	after  uint64 // last ballot event sent
	poll   uint64
	byPoll bool
	tally  []uint64 // last tallies sent
	seen   string   // block hash of the last tally check
}

func (st *stream) run(ctx context.Context) {
	ka := time.NewTicker(keepAlive)
	defer ka.Stop()
	for {
		var ballotsChanged <-chan struct{}
		if st.s.intake != nil {
			ballotsChanged = st.s.intake.Store().Changed()
			if err := st.sendBallots(); err != nil {
				return
			}
		}
		if st.byPoll {
			if err := st.sendTally(ctx); err != nil {
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ballotsChanged:
		case <-st.s.pool.Changed():
		case <-ka.C:
			if _, err := fmt.Fprint(st.w, ": keep-alive\n\n"); err != nil {
				return
			}
			st.rc.Flush()
		}
	}
}

// sendBallots sends the ballot events after st.after.
func (st *stream) sendBallots() error {
	for {
		evs, seqs, err := st.s.intake.Store().Events(st.after, eventsPage)
		if err != nil {
			return err
		}
		for i, ev := range evs {
			st.after = seqs[i]
			if st.byPoll {
				var head struct {
					Poll uint64 `json:"poll"`
				}
				if json.Unmarshal(ev, &head) != nil || head.Poll != st.poll {
					continue
				}
			}
			if _, err := fmt.Fprintf(st.w, "id: %d\nevent: ballot\ndata: %s\n\n", seqs[i], ev); err != nil {
				return err
			}
		}
		if err := st.rc.Flush(); err != nil {
			return err
		}
		if len(evs) < eventsPage {
			return nil
		}
	}
}

// sendTally sends the poll's tallies if the finalized block moved and they
// changed; a failure to read them is skipped until the next block.
func (st *stream) sendTally(ctx context.Context) error {
	var ev *TallyEvent
	err := st.s.pool.Do(ctx, func(ctx context.Context, n *upstream.Node) error {
		v, err := st.s.pool.View(ctx, n, upstream.At{Tag: upstream.TagFinalized})
		if err != nil || v.Block.Hash.Hex() == st.seen {
			return err
		}
		c := registry.New(n.RPC(), nil)
		c.Block = new(big.Int).SetUint64(v.Block.Number)
		t, err := c.Tallies(ctx, st.poll)
		if err != nil {
			return err
		}
		st.seen = v.Block.Hash.Hex()
		ev = &TallyEvent{Poll: st.poll, Block: refOf(v), Tallies: t}
		return nil
	})
	if err != nil || ev == nil || slices.Equal(ev.Tallies, st.tally) {
		return nil
	}
	st.tally = ev.Tallies
	data, _ := json.Marshal(ev)
	if _, err := fmt.Fprintf(st.w, "event: tally\ndata: %s\n\n", data); err != nil {
		return err
	}
	return st.rc.Flush()
}
