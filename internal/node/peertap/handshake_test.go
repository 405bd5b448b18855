package peertap

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
)

// handshakingHandler plays geth's eth handler: it reads the peer's status,
// sends its own once send is closed (a handler slow to start: geth's waits
// for the peer's snap connection first), then reads every message. started
// and statusRead close as it gets there.
func handshakingHandler(started, statusRead, send chan struct{}) func(*p2p.Peer, p2p.MsgReadWriter) error {
	return func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
		close(started)
		msg, err := rw.ReadMsg()
		if err != nil {
			return err
		}
		_ = msg.Discard()
		close(statusRead)
		<-send
		if err := p2p.Send(rw, eth.StatusMsg, []uint{69}); err != nil {
			return err
		}
		for {
			msg, err := rw.ReadMsg()
			if err != nil {
				return err
			}
			_ = msg.Discard()
		}
	}
}

// TestEthConnListedAfterHandshake: an eth connection is not offered to the
// tap's requests until its handler has read the peer's status and sent its
// own, so that the peer's first message from us is our status. Before, the
// join driver could send GetBlockHeaders first, and the source dropped the
// connection ("no status message: first msg has code 3"; ADR 084,
// amendment 8).
func TestEthConnListedAfterHandshake(t *testing.T) {
	tap := NewEth()
	id := enode.ID{11}
	local, remote := p2p.MsgPipe()
	started, statusRead, send := make(chan struct{}), make(chan struct{}), make(chan struct{})
	proto := tap.Wrap(p2p.Protocol{Name: "eth", Version: 69, Length: 22, Run: handshakingHandler(started, statusRead, send)})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = proto.Run(p2p.NewPeer(id, "peer", nil), local)
	}()
	t.Cleanup(func() {
		local.Close()
		<-done
	})

	<-started
	if tap.Peer(id) != nil || len(tap.Peers()) != 0 {
		t.Fatal("the connection is listed before its handler exchanged statuses")
	}
	if err := p2p.Send(remote, eth.StatusMsg, []uint{69}); err != nil {
		t.Fatal(err)
	}
	<-statusRead
	if tap.Peer(id) != nil {
		t.Fatal("the connection is listed before its handler sent our status")
	}
	close(send)
	msg, err := remote.ReadMsg()
	if err != nil {
		t.Fatal(err)
	}
	_ = msg.Discard()
	if msg.Code != eth.StatusMsg {
		t.Fatalf("the peer's first message from us has code %#x, want the status %#x", msg.Code, eth.StatusMsg)
	}
	var conn *Conn
	for deadline := time.Now().Add(5 * time.Second); conn == nil; conn = tap.Peer(id) {
		if time.Now().After(deadline) {
			t.Fatal("the connection is not listed after the handshake")
		}
		time.Sleep(time.Millisecond)
	}
	got := make(chan error, 1)
	go func() {
		_, err := conn.Headers(context.Background(), 1, 3)
		got <- err
	}()
	answerHeaders(t, remote, chain(3), 0)
	if err := <-got; err != nil {
		t.Fatalf("a request after the handshake: %v", err)
	}
}
