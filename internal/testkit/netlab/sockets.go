package netlab

import (
	"fmt"
	"net"
	"runtime"

	"golang.org/x/sys/unix"
)

// Listen opens a TCP listener on the host's address, from inside its
// namespace, so that a test can check who reaches whom without a process.
func (h *Host) Listen() (net.Listener, error) {
	var l net.Listener
	err := h.inNetns(func() (err error) {
		l, err = net.Listen("tcp", h.Addr+":0")
		return err
	})
	return l, err
}

// Dial connects from inside the host's namespace to addr.
func (h *Host) Dial(addr string) (net.Conn, error) {
	var c net.Conn
	err := h.inNetns(func() (err error) {
		c, err = net.Dial("tcp", addr)
		return err
	})
	return c, err
}

// inNetns runs f on an OS thread moved into the host's namespace and back;
// sockets keep the namespace they were made in. If the way back fails the
// thread stays locked, and ends with its goroutine.
func (h *Host) inNetns(f func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		home, err := unix.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			done <- err
			return
		}
		defer unix.Close(home)
		fd, err := unix.Open("/run/netns/"+h.Netns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			done <- fmt.Errorf("namespace %s: %w", h.Netns, err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			done <- fmt.Errorf("enter namespace %s: %w", h.Netns, err)
			return
		}
		err = f()
		if unix.Setns(home, unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		done <- err
	}()
	return <-done
}
