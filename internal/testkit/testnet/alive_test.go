package testnet

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// lingerEnv makes the test binary a process whose main thread exits while
// its other threads, and its listening socket, stay: what a killed node
// looks like for a moment while its threads are torn down.
const lingerEnv = "TESTNET_LINGER"

func init() {
	if os.Getenv(lingerEnv) != "" {
		runtime.LockOSThread() // keep main on the process's main thread
	}
}

// lingerWithoutMainThread listens on a free port, prints it, and ends the
// main thread alone; the process lives on until it is killed.
func lingerWithoutMainThread() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.Exit(2)
	}
	os.Stdout.WriteString(l.Addr().String() + "\n")
	syscall.RawSyscall(syscall.SYS_EXIT, 0, 0, 0)
}

// TestAliveUntilLastThread: a process whose main thread is a zombie still
// runs while another thread holds its files. Stop used to return then, and
// a node started again at once found its port taken (cityctl's
// TestTestnetFlagsAfterArguments failed so in CI).
func TestAliveUntilLastThread(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.short")
	cmd.Env = append(os.Environ(), lingerEnv+"=1")
	stdout, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	cmd.Stdout = w
	err = cmd.Start()
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := readLine(t, stdout)
	n := &Node{PID: cmd.Process.Pid, DataDir: "not in the command line"}
	proctest.WaitFor(t, 10*time.Second, "the main thread to exit", func() bool { return zombieLeader(n.PID) })
	if l, err := net.Listen("tcp", addr); err == nil {
		l.Close()
		t.Fatalf("%s is free while the process lingers: the test no longer shows the case", addr)
	}
	if !n.alive() {
		t.Fatal("alive: false while the process's other threads hold its listening socket")
	}
	cmd.Process.Kill()
	proctest.WaitFor(t, 10*time.Second, "the killed process to end", func() bool { return !n.alive() })
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the process has ended but %s is still held: %v", addr, err)
	}
	l.Close()
}

// readLine reads the first line the helper process prints, waiting at most
// ten seconds.
func readLine(t *testing.T, f *os.File) string {
	t.Helper()
	f.SetReadDeadline(time.Now().Add(10 * time.Second))
	s := bufio.NewScanner(f)
	if !s.Scan() {
		t.Fatalf("the helper process printed no address: %v", s.Err())
	}
	return s.Text()
}
