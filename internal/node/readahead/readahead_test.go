package readahead

import (
	"bytes"
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
)

// wait is the bound of every wait in these tests.
const wait = 10 * time.Second

// protocols returns an eth protocol (by name: what Wrap looks for) and a poa
// one, running ethRun and poaRun.
func protocols(ethRun, poaRun func(*p2p.Peer, p2p.MsgReadWriter) error) []p2p.Protocol {
	return []p2p.Protocol{
		{Name: eth.ProtocolName, Version: 68, Length: 17, Run: ethRun},
		{Name: "poa", Version: 1, Length: 8, Run: poaRun},
	}
}

// server starts a p2p server on 127.0.0.1 with protos, stopped at the end.
func server(t *testing.T, name string, protos []p2p.Protocol) *p2p.Server {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	srv := &p2p.Server{Config: p2p.Config{
		PrivateKey: key, MaxPeers: 2, Name: name, ListenAddr: "127.0.0.1:0",
		NoDiscovery: true, Protocols: protos,
	}}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// TestBlockPassesBusyEthHandler: while the receiver's eth handler is busy
// with one message (geth putting gossiped transactions into its pool), a
// poa message sent after more eth messages still reaches the poa protocol.
// Without Wrap, go-ethereum's p2p waits for the eth handler to take its next
// message before it reads the poa one, and the poa message never comes while
// the handler is busy.
func TestBlockPassesBusyEthHandler(t *testing.T) {
	const ethMsgs = 20
	release := make(chan struct{}) // lets the receiver's eth handler go on
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	busy := make(chan struct{})    // the receiver's eth handler took its first message
	gotPoa := make(chan uint64, 1) // the receiver's poa protocol got its message
	ethSent := make(chan struct{}) // the sender wrote every eth message
	var ethRead atomic.Int32       // messages the receiver's eth handler read
	receiver := server(t, "receiver", Wrap(protocols(
		func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
			for {
				msg, err := rw.ReadMsg()
				if err != nil {
					return err
				}
				msg.Discard()
				if ethRead.Add(1) == 1 {
					close(busy)
					<-release
				}
			}
		},
		func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
			msg, err := rw.ReadMsg()
			if err != nil {
				return err
			}
			gotPoa <- msg.Code
			_, err = rw.ReadMsg() // until the peer goes
			return err
		}), DefaultLimits))
	sender := server(t, "sender", protocols(
		func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
			payload := make([]byte, 100<<10) // a Transactions message's size
			for i := 0; i < ethMsgs; i++ {
				if err := p2p.Send(rw, eth.TransactionsMsg, payload); err != nil {
					return err
				}
			}
			close(ethSent)
			_, err := rw.ReadMsg()
			return err
		},
		func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
			select {
			case <-ethSent:
			case <-time.After(wait):
				return errors.New("eth messages not sent")
			}
			if err := p2p.Send(rw, 0x07, []byte("block")); err != nil {
				return err
			}
			_, err := rw.ReadMsg()
			return err
		}))
	sender.AddPeer(enode.NewV4(&receiver.PrivateKey.PublicKey, receiver.Self().IP(), receiver.Self().TCP(), 0))

	select {
	case <-busy:
	case <-time.After(wait):
		t.Fatal("the receiver's eth handler got no message")
	}
	select {
	case code := <-gotPoa:
		if code != 0x07 {
			t.Fatalf("poa message code %#x, want 0x07", code)
		}
	case <-time.After(wait):
		t.Fatalf("the poa message did not arrive while the eth handler was busy with its first message (%d eth messages sent behind it)", ethMsgs-1)
	}
	if n := ethRead.Load(); n != 1 {
		t.Fatalf("eth handler read %d messages while busy, want 1", n)
	}
	close(release)
	deadline := time.Now().Add(wait)
	for ethRead.Load() < ethMsgs {
		if time.Now().After(deadline) {
			t.Fatalf("eth handler read %d of %d messages after it was released", ethRead.Load(), ethMsgs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestQueueBounded: the queue holds at most Limits.Messages messages (and
// one more in hand); the connection is read again as the handler takes
// them, in order.
func TestQueueBounded(t *testing.T) {
	in, out := p2p.MsgPipe()
	defer in.Close()
	q := newQueue(out, Limits{Messages: 2, Bytes: 1 << 20})
	defer q.close()
	go q.fill()

	var written atomic.Int32
	go func() {
		for i := 0; i < 10; i++ {
			if err := p2p.Send(in, uint64(i), []byte{byte(i)}); err != nil {
				return
			}
			written.Add(1)
		}
	}()
	for read := 0; read < 10; read++ {
		// The writer gets through what the queue holds plus the message in
		// fill's hand, and no further, until the next read.
		want := int32(min(read+3, 10))
		awaitCount(t, &written, want)
		if n := queued(q); n > 2 {
			t.Fatalf("queue holds %d messages, limit 2", n)
		}
		if got := written.Load(); got > want {
			t.Fatalf("%d messages written with %d read, want at most %d", got, read, want)
		}
		msg, err := q.ReadMsg()
		if err != nil {
			t.Fatal(err)
		}
		if msg.Code != uint64(read) {
			t.Fatalf("message %d has code %d: out of order", read, msg.Code)
		}
	}
}

// TestBytesBound: messages are held up to Limits.Bytes, and a message larger
// than the bound still passes, alone.
func TestBytesBound(t *testing.T) {
	in, out := p2p.MsgPipe()
	defer in.Close()
	q := newQueue(out, Limits{Messages: 100, Bytes: 10})
	defer q.close()
	go q.fill()

	var written atomic.Int32
	go func() {
		for _, size := range []int{6, 6, 50, 1} {
			msg := p2p.Msg{Code: uint64(size), Size: uint32(size), Payload: bytes.NewReader(make([]byte, size))}
			if err := in.WriteMsg(msg); err != nil {
				return
			}
			written.Add(1)
		}
	}()
	// 6 queued, the second 6 in fill's hand (12 > 10): two written.
	awaitCount(t, &written, 2)
	if n := queued(q); n != 1 {
		t.Fatalf("queue holds %d messages, want 1 (the bytes bound)", n)
	}
	for _, want := range []uint64{6, 6, 50, 1} {
		msg, err := q.ReadMsg()
		if err != nil {
			t.Fatal(err)
		}
		if msg.Code != want || msg.Size == 0 {
			t.Fatalf("got message %d of %d bytes, want %d", msg.Code, msg.Size, want)
		}
		if b, _ := io.ReadAll(msg.Payload); len(b) != int(want) {
			t.Fatalf("payload of %d bytes, want %d", len(b), want)
		}
	}
}

// TestErrorAfterQueued: the connection's error reaches the handler after the
// messages read before it, and a closed queue reads nothing more.
func TestErrorAfterQueued(t *testing.T) {
	in, out := p2p.MsgPipe()
	q := newQueue(out, DefaultLimits)
	go q.fill()
	if err := p2p.Send(in, 1, []byte{1}); err != nil {
		t.Fatal(err)
	}
	in.Close()
	if msg, err := q.ReadMsg(); err != nil || msg.Code != 1 {
		t.Fatalf("first read: code %d, err %v; want the queued message", msg.Code, err)
	}
	if _, err := q.ReadMsg(); !errors.Is(err, p2p.ErrPipeClosed) {
		t.Fatalf("second read: err %v, want the pipe's error", err)
	}
	q.close()
	if _, err := q.ReadMsg(); err == nil {
		t.Fatal("read from a closed queue succeeded")
	}
}

// TestCloseStopsFill: a fill waiting for room returns once the protocol is
// done, so the connection is no longer read for a handler that left.
func TestCloseStopsFill(t *testing.T) {
	in, out := p2p.MsgPipe()
	defer in.Close()
	q := newQueue(out, Limits{Messages: 1, Bytes: 1 << 20})
	done := make(chan struct{})
	go func() { q.fill(); close(done) }()
	for i := 0; i < 2; i++ { // one queued, one in fill's hand
		if err := p2p.Send(in, uint64(i), []byte{1}); err != nil {
			t.Fatal(err)
		}
	}
	q.close()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("fill still runs after close")
	}
}

func awaitCount(t *testing.T, n *atomic.Int32, want int32) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for n.Load() < want {
		if time.Now().After(deadline) {
			t.Fatalf("count %d after %s, want %d", n.Load(), wait, want)
		}
		time.Sleep(time.Millisecond)
	}
}

func queued(q *queue) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.msgs)
}
