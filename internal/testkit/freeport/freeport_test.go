package freeport

import (
	"net"
	"strconv"
	"testing"
)

// TestGet checks that ports are below the ephemeral range, bindable, and
// never handed out twice.
func TestGet(t *testing.T) {
	high := ephemeralLow()
	seen := map[int]bool{}
	for range 200 {
		port := T(t)
		if port < lowest || port >= high {
			t.Fatalf("port %d outside [%d, %d)", port, lowest, high)
		}
		if seen[port] {
			t.Fatalf("port %d handed out twice", port)
		}
		seen[port] = true
	}
	port := T(t)
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("port %d not bindable: %v", port, err)
	}
	l.Close()
}

// TestSkipsTakenPorts checks that a port held by a listener is not returned:
// with every other port of the range handed out, Get finds none.
func TestSkipsTakenPorts(t *testing.T) {
	var l net.Listener
	free := lowest
	for ; free < ephemeralLow(); free++ {
		var err error
		if l, err = net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(free))); err == nil {
			break
		}
	}
	if l == nil {
		t.Fatal("no bindable port below the ephemeral range")
	}
	defer l.Close()
	mu.Lock()
	saved := handed
	handed = map[int]bool{}
	for p := lowest; p < ephemeralLow(); p++ {
		handed[p] = p != free
	}
	mu.Unlock()
	defer func() { mu.Lock(); handed = saved; mu.Unlock() }()
	if port, err := Get(); err == nil {
		t.Fatalf("Get returned port %d while the only candidate %d was held", port, free)
	}
	l.Close()
	if port, err := Get(); err != nil || port != free {
		t.Fatalf("after the listener closed: have %d, %v; want %d", port, err, free)
	}
}
