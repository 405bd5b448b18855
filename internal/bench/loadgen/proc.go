package loadgen

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTicks is the kernel's USER_HZ on Linux, ticks per second of /proc/PID/stat times.
const clockTicks = 100

// ProcStats is what a run learned about the node process.
type ProcStats struct {
	PID          int     `json:"pid,omitempty"`
	PeakRSSBytes uint64  `json:"peak_rss_bytes"` // max(VmHWM, highest sampled VmRSS)
	HWMBytes     uint64  `json:"hwm_bytes"`      // VmHWM at the end of the run
	MaxRSSBytes  uint64  `json:"max_rss_bytes"`  // highest VmRSS sampled
	CPUSeconds   float64 `json:"cpu_s"`          // user+system CPU used during the measured window
	Cores        float64 `json:"cores"`          // CPUSeconds over the window's wall time
	Samples      int     `json:"samples"`
}

// ProcSampler samples the memory and CPU time of one process.
type ProcSampler struct {
	pid  int
	stop chan struct{}
	done chan struct{}

	mu       sync.Mutex
	maxRSS   uint64
	hwm      uint64
	samples  int
	cpuStart float64
	start    time.Time
}

// StartProcSampler samples pid every interval until Stop. It fails if the process
// cannot be read.
func StartProcSampler(pid int, interval time.Duration) (*ProcSampler, error) {
	rss, hwm, err := readStatus(pid)
	if err != nil {
		return nil, err
	}
	cpu, err := readCPU(pid)
	if err != nil {
		return nil, err
	}
	s := &ProcSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{}),
		maxRSS: rss, hwm: hwm, samples: 1, cpuStart: cpu, start: time.Now()}
	go s.loop(interval)
	return s, nil
}

// Restart resets the CPU window to begin now.
func (s *ProcSampler) Restart() {
	cpu, err := readCPU(s.pid)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.cpuStart = cpu
	}
	s.start = time.Now()
}

// RSS returns the last sampled peak resident size, bytes.
func (s *ProcSampler) RSS() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(s.maxRSS, s.hwm)
}

func (s *ProcSampler) loop(interval time.Duration) {
	defer close(s.done)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			s.sample()
		}
	}
}

func (s *ProcSampler) sample() {
	rss, hwm, err := readStatus(s.pid)
	if err != nil {
		return // the process is gone; keep what was seen
	}
	s.mu.Lock()
	s.maxRSS = max(s.maxRSS, rss)
	s.hwm = max(s.hwm, hwm)
	s.samples++
	s.mu.Unlock()
}

// Stop ends sampling and returns the stats.
func (s *ProcSampler) Stop() ProcStats {
	s.sample()
	cpu, cpuErr := readCPU(s.pid)
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	st := ProcStats{PID: s.pid, HWMBytes: s.hwm, MaxRSSBytes: s.maxRSS,
		PeakRSSBytes: max(s.hwm, s.maxRSS), Samples: s.samples}
	if cpuErr == nil {
		st.CPUSeconds = cpu - s.cpuStart
		if wall := time.Since(s.start).Seconds(); wall > 0 {
			st.Cores = st.CPUSeconds / wall
		}
	}
	return st
}

// readStatus returns VmRSS and VmHWM of pid in bytes.
func readStatus(pid int) (rss, hwm uint64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "VmRSS:"):
			rss, err = parseKB(line)
		case strings.HasPrefix(line, "VmHWM:"):
			hwm, err = parseKB(line)
		}
		if err != nil {
			return 0, 0, err
		}
	}
	return rss, hwm, sc.Err()
}

func parseKB(line string) (uint64, error) {
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return 0, fmt.Errorf("malformed status line %q", line)
	}
	kb, err := strconv.ParseUint(fields[1], 10, 64)
	return kb * 1024, err
}

// readCPU returns the user+system CPU seconds pid has used.
func readCPU(pid int) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; fields after its closing paren are fixed.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	fields := strings.Fields(string(raw[i+1:]))
	// After the paren: state(3) ppid(4) ... utime(14) stime(15), so utime is index 11.
	if len(fields) < 13 {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseUint(fields[11], 10, 64)
	stime, err2 := strconv.ParseUint(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	return float64(utime+stime) / clockTicks, nil
}

// selfCPU returns the CPU seconds this process has used.
func selfCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// SelfCPU returns the CPU seconds this process has used (user and system).
func SelfCPU() float64 { return selfCPU() }
