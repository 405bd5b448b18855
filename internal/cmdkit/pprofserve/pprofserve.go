// Package pprofserve serves Go's profiling endpoints (net/http/pprof) for
// citynode's and citygate's --pprof: on a listener and mux of their own, so
// that nothing else of the binary is reachable there, with the block and
// mutex profiles turned on at the rates asked for (Go records neither by
// default, so /debug/pprof/block and /debug/pprof/mutex were empty).
package pprofserve

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"

	"github.com/ethereum/go-ethereum/log"
)

// Config is the [pprof] section of citynode's and citygate's TOML files.
type Config struct {
	Enabled bool   `toml:"enabled"`
	Addr    string `toml:"addr"` // host:port; each binary checks it against its own default
	// BlockProfileRate is runtime.SetBlockProfileRate's: one blocking event
	// sampled per this many nanoseconds blocked, 0 none (geth's
	// --pprof.blockprofilerate).
	BlockProfileRate int `toml:"blockprofilerate"`
	// MutexProfileFraction is runtime.SetMutexProfileFraction's: one
	// contended lock sampled in this many, 0 none.
	MutexProfileFraction int `toml:"mutexprofilefraction"`
}

// CheckRates refuses a negative rate, naming its flag and TOML key.
func (c Config) CheckRates() error {
	if c.BlockProfileRate < 0 {
		return fmt.Errorf("invalid --pprof.blockprofilerate ([pprof] blockprofilerate): have %d, want 0 (off) or more: nanoseconds blocked per sampled event, 1 samples every one", c.BlockProfileRate)
	}
	if c.MutexProfileFraction < 0 {
		return fmt.Errorf("invalid --pprof.mutexprofilefraction ([pprof] mutexprofilefraction): have %d, want 0 (off) or more: 1 in how many contended locks is sampled, 1 samples every one", c.MutexProfileFraction)
	}
	return nil
}

// Start turns on the block and mutex profiles at c's rates and serves the
// profiles on c.Addr; stop closes that listener. Not enabled, it serves
// nothing and warns if rates were given (nothing would serve them).
func (c Config) Start() (stop func(), err error) {
	if !c.Enabled {
		if c.BlockProfileRate != 0 || c.MutexProfileFraction != 0 {
			log.Warn("Block and mutex profile rates ignored: nothing serves the profiles without --pprof", "blockprofilerate", c.BlockProfileRate, "mutexprofilefraction", c.MutexProfileFraction)
		}
		return func() {}, nil
	}
	if err := c.CheckRates(); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("cannot serve profiling on %s (%v): choose another --pprof.addr", c.Addr, err)
	}
	return c.serve(l), nil
}

// serve sets c's rates and serves the profiles on l until stop.
func (c Config) serve(l net.Listener) (stop func()) {
	runtime.SetBlockProfileRate(c.BlockProfileRate)
	runtime.SetMutexProfileFraction(c.MutexProfileFraction)
	srv := &http.Server{Handler: mux()}
	log.Info("Serving Go profiling", "url", "http://"+l.Addr().String()+"/debug/pprof/")
	go srv.Serve(l)
	return func() { srv.Close() }
}

// mux routes net/http/pprof's handlers; the index serves the named
// profiles (heap, goroutine, block, mutex, ...).
func mux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/debug/pprof/", pprof.Index)
	m.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	m.HandleFunc("/debug/pprof/profile", pprof.Profile)
	m.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	m.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return m
}
