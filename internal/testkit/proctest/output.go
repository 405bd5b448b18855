package proctest

import (
	"bufio"
	"io"
	"os/exec"
	"strings"
	"sync"
)

// maxLine is the longest line of a process's output Start collects, in bytes.
const maxLine = 1 << 20

// Output is what a process started by Start wrote on its standard output
// and error, line by line, in the order the lines were read.
type Output struct {
	mu    sync.Mutex
	lines strings.Builder
}

// String returns the lines read so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.lines.String()
}

func (o *Output) add(line string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lines.WriteString(line + "\n")
}

// Start starts cmd with its standard output and error collected in out. The
// channel it returns is closed once the process has exited and all it wrote
// has been read.
func Start(cmd *exec.Cmd, out *Output) (<-chan struct{}, error) {
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	for _, r := range []io.Reader{stdout, stderr} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(r)
			sc.Buffer(make([]byte, 64*1024), maxLine)
			for sc.Scan() {
				out.add(sc.Text())
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		cmd.Wait()
		close(done)
	}()
	return done, nil
}
