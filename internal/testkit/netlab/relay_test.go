package netlab

import (
	"io"
	"net"
	"strconv"
	"testing"
	"time"
)

// TestRelayDelays: connections from another host to the relayed port go
// through the relay, which holds the bytes for the delay set, both ways; the
// bytes arrive intact and in order.
func TestRelayDelays(t *testing.T) {
	lab := need(t)
	a, err := lab.AddHost("a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := lab.AddHost("b")
	if err != nil {
		t.Fatal(err)
	}
	echo, err := b.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer echo.Close()
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
		}
	}()
	port := echo.Addr().(*net.TCPAddr).Port
	relay, err := lab.Relay("b", port)
	if err != nil {
		t.Fatal(err)
	}
	target := net.JoinHostPort(b.Addr, strconv.Itoa(port))
	fast := roundTrip(t, a, target)
	const delay = 300 * time.Millisecond
	relay.SetDelay(delay)
	slow := roundTrip(t, a, target)
	// Each way holds the bytes for the delay: a round trip takes twice.
	if slow < 2*delay || slow > 2*delay+2*time.Second {
		t.Errorf("round trip with a %v delay took %v (without: %v), want about %v", delay, slow, fast, 2*delay)
	}
	if relay.Conns() != 2 {
		t.Errorf("the relay passed on %d connections, want the 2 dialled", relay.Conns())
	}
	if fast > delay {
		t.Errorf("round trip without delay took %v", fast)
	}
}

// roundTrip sends 100 KiB through target's echo and times the answer.
func roundTrip(t *testing.T, from *Host, target string) time.Duration {
	t.Helper()
	c, err := from.Dial(target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	msg := make([]byte, 100<<10)
	for i := range msg {
		msg[i] = byte(i * 7)
	}
	start := time.Now()
	go func() { _, _ = c.Write(msg) }()
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("echo through the relay: %v", err)
	}
	took := time.Since(start)
	for i := range got {
		if got[i] != msg[i] {
			t.Fatalf("byte %d changed on the way: %d, want %d", i, got[i], msg[i])
		}
	}
	return took
}

// TestLossDrops: Loss drops about the share asked of what arrives (the
// iptables statistic match works on this kernel), and Heal ends it.
func TestLossDrops(t *testing.T) {
	lab := need(t)
	a, err := lab.AddHost("a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := lab.AddHost("b")
	if err != nil {
		t.Fatal(err)
	}
	const sent = 2000
	if got := datagrams(t, a, b, sent); got != sent {
		t.Fatalf("%d of %d datagrams arrived without loss", got, sent)
	}
	if err := lab.Loss(0.2); err != nil {
		t.Fatal(err)
	}
	// 20 % of 2000: 400 lost, standard deviation about 18.
	if got := datagrams(t, a, b, sent); got < sent*70/100 || got > sent*90/100 {
		t.Errorf("%d of %d datagrams arrived with 20 %% loss, want about %d", got, sent, sent*80/100)
	}
	if err := lab.Heal(); err != nil {
		t.Fatal(err)
	}
	if got := datagrams(t, a, b, sent); got != sent {
		t.Errorf("%d of %d datagrams arrived after the heal", got, sent)
	}
}

// datagrams sends n UDP datagrams from one host to the other and counts
// those that arrive.
func datagrams(t *testing.T, from, to *Host, n int) int {
	t.Helper()
	var in net.PacketConn
	if err := to.inNetns(func() (err error) { in, err = net.ListenPacket("udp", to.Addr+":0"); return err }); err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out net.Conn
	if err := from.inNetns(func() (err error) { out, err = net.Dial("udp", in.LocalAddr().String()); return err }); err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	got := make(chan int)
	go func() {
		count, buf := 0, make([]byte, 16)
		for {
			_ = in.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			if _, _, err := in.ReadFrom(buf); err != nil {
				got <- count // quiet for 500 ms: everything that was coming came
				return
			}
			count++
		}
	}()
	for i := range n {
		if _, err := out.Write([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
		if i%100 == 99 {
			time.Sleep(time.Millisecond) // pace: the receiver's socket buffer must not overflow
		}
	}
	return <-got
}
