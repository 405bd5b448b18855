package peertap

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/rlp"
)

// tapped runs a tapped protocol whose handler (geth's, in the node) hands
// every message it reads to seen, over one end of a pipe; the test plays
// the peer on the other end.
func tapped(t *testing.T, tap *Tap, id enode.ID) (remote p2p.MsgReadWriter, seen chan p2p.Msg, conn *Conn) {
	t.Helper()
	return tappedVersion(t, tap, id, 69)
}

// tappedVersion is tapped with the protocol at version.
func tappedVersion(t *testing.T, tap *Tap, id enode.ID, version uint) (remote p2p.MsgReadWriter, seen chan p2p.Msg, conn *Conn) {
	t.Helper()
	local, remote := p2p.MsgPipe()
	seen = make(chan p2p.Msg, 16)
	proto := tap.Wrap(p2p.Protocol{Name: "eth", Version: version, Length: 22, Run: func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
		for {
			msg, err := rw.ReadMsg()
			if err != nil {
				return err
			}
			payload := make([]byte, msg.Size)
			if _, err := msg.Payload.Read(payload); err != nil && msg.Size > 0 {
				return err
			}
			msg.Payload = strings.NewReader(string(payload))
			seen <- msg
		}
	}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = proto.Run(p2p.NewPeer(id, "peer", nil), local)
	}()
	t.Cleanup(func() {
		local.Close()
		<-done
	})
	deadline := time.Now().Add(5 * time.Second)
	for conn = tap.Peer(id); conn == nil; conn = tap.Peer(id) {
		if time.Now().After(deadline) {
			t.Fatal("tapped connection not registered")
		}
		time.Sleep(time.Millisecond)
	}
	return remote, seen, conn
}

// chain returns n linked headers numbered from 1.
func chain(n int) []*types.Header {
	out := make([]*types.Header, n)
	parent := (&types.Header{Number: big.NewInt(0)}).Hash()
	for i := range out {
		out[i] = &types.Header{Number: big.NewInt(int64(i + 1)), ParentHash: parent, Difficulty: big.NewInt(1), Extra: []byte{byte(i)}}
		parent = out[i].Hash()
	}
	return out
}

// answerHeaders reads one GetBlockHeaders request on the peer's end and
// answers it with headers (the request's ID, or id if non-zero).
func answerHeaders(t *testing.T, remote p2p.MsgReadWriter, headers []*types.Header, id uint64) *eth.GetBlockHeadersPacket {
	t.Helper()
	msg, err := remote.ReadMsg()
	if err != nil {
		t.Error(err)
		return nil
	}
	if msg.Code != eth.GetBlockHeadersMsg {
		t.Errorf("request code %#x, want GetBlockHeaders %#x", msg.Code, eth.GetBlockHeadersMsg)
	}
	var req eth.GetBlockHeadersPacket
	if err := msg.Decode(&req); err != nil {
		t.Error(err)
		return nil
	}
	if id == 0 {
		id = req.RequestId
	}
	if err := p2p.Send(remote, eth.BlockHeadersMsg, []any{id, headers}); err != nil {
		t.Error(err)
	}
	return &req
}

// TestHeadersTaken: the answer to the tap's request reaches the caller,
// checked, and not geth's handler; an answer with an ID the tap did not
// issue still reaches the handler, byte for byte.
func TestHeadersTaken(t *testing.T) {
	tap := New(EthAnswers...)
	remote, seen, conn := tapped(t, tap, enode.ID{1})
	want := chain(5)

	got := make(chan []*types.Header, 1)
	go func() {
		h, err := conn.Headers(context.Background(), 1, 5)
		if err != nil {
			t.Error(err)
		}
		got <- h
	}()
	req := answerHeaders(t, remote, want, 0)
	if req == nil || req.Origin.Number != 1 || req.Amount != 5 {
		t.Fatalf("request %+v, want origin 1 amount 5", req)
	}
	h := <-got
	if len(h) != 5 || h[4].Hash() != want[4].Hash() {
		t.Fatalf("headers: have %d, want the 5 sent", len(h))
	}

	// geth's own request (an ID the tap never issued) is answered to geth.
	if err := p2p.Send(remote, eth.BlockHeadersMsg, []any{uint64(42), want[:2]}); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-seen:
		var res struct {
			RequestId uint64
			Headers   []*types.Header
		}
		if err := msg.Decode(&res); err != nil || res.RequestId != 42 || len(res.Headers) != 2 {
			t.Fatalf("handler's answer: id %d, %d headers, err %v; want id 42, 2 headers", res.RequestId, len(res.Headers), err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("an answer to geth's own request did not reach geth's handler")
	}
	select {
	case msg := <-seen:
		t.Fatalf("the handler also saw message %#x", msg.Code)
	default:
	}
}

// TestHeadersRefused: answers that do not start at the asked number, skip
// a number, break the parent links, exceed the count or are empty are errors.
func TestHeadersRefused(t *testing.T) {
	good := chain(4)
	broken := chain(4)
	broken[2] = &types.Header{Number: big.NewInt(3), ParentHash: broken[0].Hash(), Difficulty: big.NewInt(1)}
	for _, tc := range []struct {
		name    string
		headers []*types.Header
		count   uint64
		want    string
	}{
		{"wrong start", good[1:], 3, "numbered 2, want 1"},
		{"gap", []*types.Header{good[0], good[2]}, 3, "numbered 3, want 2"},
		{"unlinked", broken, 4, "does not link"},
		{"too many", good, 3, "4 headers, asked for 3"},
		{"empty", nil, 3, "holds no block 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tap := New(EthAnswers...)
			remote, _, conn := tapped(t, tap, enode.ID{2})
			errc := make(chan error, 1)
			go func() {
				_, err := conn.Headers(context.Background(), 1, tc.count)
				errc <- err
			}()
			answerHeaders(t, remote, tc.headers, 0)
			err := <-errc
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// TestAnswerOnlyFromAskedPeer: a second peer sending an answer with the ID
// of a request made to the first does not answer it; the answer goes to
// geth's handler of that peer.
func TestAnswerOnlyFromAskedPeer(t *testing.T) {
	tap := New(EthAnswers...)
	remoteA, _, connA := tapped(t, tap, enode.ID{3})
	remoteB, seenB, _ := tapped(t, tap, enode.ID{4})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan error, 1)
	go func() {
		_, err := connA.Headers(ctx, 1, 2)
		got <- err
	}()
	msg, err := remoteA.ReadMsg()
	if err != nil {
		t.Fatal(err)
	}
	var req eth.GetBlockHeadersPacket
	if err := msg.Decode(&req); err != nil {
		t.Fatal(err)
	}
	if err := p2p.Send(remoteB, eth.BlockHeadersMsg, []any{req.RequestId, chain(2)}); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-seenB:
		if m.Code != eth.BlockHeadersMsg {
			t.Fatalf("peer B's handler saw %#x, want its BlockHeaders", m.Code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("peer B's answer to A's request reached neither the request nor B's handler")
	}
	if err := p2p.Send(remoteA, eth.BlockHeadersMsg, []any{req.RequestId, chain(2)}); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("peer A's answer: %v", err)
	}
}

// TestPeerGone: a request whose peer disconnects fails with ErrPeerGone, and
// one the context ends fails with the context's error.
func TestPeerGone(t *testing.T) {
	tap := New(EthAnswers...)
	local, remote := p2p.MsgPipe()
	proto := tap.Wrap(p2p.Protocol{Name: "eth", Version: 69, Length: 22, Run: func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
		for {
			msg, err := rw.ReadMsg()
			if err != nil {
				return err
			}
			_ = msg.Discard()
		}
	}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = proto.Run(p2p.NewPeer(enode.ID{5}, "peer", nil), local)
	}()
	var conn *Conn
	for deadline := time.Now().Add(5 * time.Second); conn == nil; conn = tap.Peer(enode.ID{5}) {
		if time.Now().After(deadline) {
			t.Fatal("tapped connection not registered")
		}
		time.Sleep(time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := conn.Headers(ctx, 1, 1)
		errc <- err
	}()
	if msg, err := remote.ReadMsg(); err != nil {
		t.Fatal(err)
	} else {
		_ = msg.Discard() // a pipe's write waits until the payload is read
	}
	if err := <-errc; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("unanswered request: err %v, want the context's deadline", err)
	}

	go func() {
		_, err := conn.Headers(context.Background(), 1, 1)
		errc <- err
	}()
	if msg, err := remote.ReadMsg(); err != nil {
		t.Fatal(err)
	} else {
		_ = msg.Discard() // a pipe's write waits until the payload is read
	}
	local.Close()
	<-done
	select {
	case err := <-errc:
		if !errors.Is(err, ErrPeerGone) {
			t.Fatalf("err %v, want ErrPeerGone", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a request to a disconnected peer did not fail")
	}
	if tap.Peer(enode.ID{5}) != nil {
		t.Error("a disconnected peer is still listed")
	}
}

// TestRequestID reads the first field of answers, and refuses what is not
// a list starting with an integer.
func TestRequestID(t *testing.T) {
	b, _ := rlp.EncodeToBytes([]any{uint64(7), []uint{1, 2}})
	if id, ok := requestID(b); !ok || id != 7 {
		t.Fatalf("requestID: %d %v, want 7 true", id, ok)
	}
	for _, bad := range [][]byte{nil, {0x80}, {0xc1, 0xc0}} {
		if _, ok := requestID(bad); ok {
			t.Errorf("requestID(%x) accepted", bad)
		}
	}
}
