// Package freeport picks TCP ports on 127.0.0.1 for processes that tests
// (and `cityctl testnet`) start, below the kernel's ephemeral port range.
//
// A port taken with "127.0.0.1:0" and closed again comes from the ephemeral
// range, where any outgoing connection of the machine may take it as its
// source port before the process binds it: with many tests connecting at
// once, a node then failed with "address already in use" (ci22,
// TestExportImportCommands). Below that range the kernel hands out no port
// by itself; ports this process handed out are not handed out again.
package freeport

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// lowest is the lowest port picked: above the registered services most
// machines run.
const lowest = 10000

var (
	mu     sync.Mutex
	handed = map[int]bool{}
)

// Get returns a TCP port on 127.0.0.1 that is free now, is below the
// ephemeral range and was not returned before in this process.
func Get() (int, error) {
	high := ephemeralLow() - 1
	if high-lowest < 1000 {
		return ephemeral() // no room below the range: as before
	}
	mu.Lock()
	defer mu.Unlock()
	// From a random start, so that test processes running at once seldom
	// try the same ports.
	n := high - lowest + 1
	start := rand.IntN(n)
	for i := range n {
		port := lowest + (start+i)%n
		if handed[port] || !bindable(port) {
			continue
		}
		handed[port] = true
		return port, nil
	}
	return 0, fmt.Errorf("no free TCP port on 127.0.0.1 between %d and %d", lowest, high)
}

// T is Get for tests: it fails t if no port is free.
func T(t testing.TB) int {
	t.Helper()
	port, err := Get()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// bindable reports whether a listener can be bound to port on 127.0.0.1.
func bindable(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// ephemeralLow is the lowest port of the kernel's ephemeral range (Linux's
// default 32768 where the file cannot be read).
func ephemeralLow() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	fields := strings.Fields(string(data))
	if len(fields) != 2 {
		return 32768
	}
	low, err := strconv.Atoi(fields[0])
	if err != nil {
		return 32768
	}
	return low
}

// ephemeral returns a port the kernel picks.
func ephemeral() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
