// Package benchgeth tests when the benchmark scripts build geth 1.13.15: each
// script runs in a scratch copy of scripts/ with stand-ins for
// build-geth113.sh and the binaries, and stops at citybench's first call.
package benchgeth

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGethBuiltOnlyWhenBenched: scripts/bench.sh and scripts/bench-registry.sh
// build geth 1.13.15 when BENCH_NODES has geth and only then; bench.sh built
// it (minutes on a fresh machine) for BENCH_NODES=citynode too, and
// bench-registry.sh refused to run without it.
func TestGethBuiltOnlyWhenBenched(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the bench scripts")
	}
	for _, script := range []string{"bench.sh", "bench-registry.sh"} {
		for nodes, want := range map[string]bool{"citynode": false, "geth citynode": true, "geth": true} {
			t.Run(script+"/"+nodes, func(t *testing.T) {
				root := scratch(t, script)
				cmd := exec.Command("bash", filepath.Join(root, "scripts", script))
				cmd.Env = append(os.Environ(), "BIN="+filepath.Join(root, "bin"), "BENCH_NODES="+nodes)
				out, _ := cmd.CombinedOutput()
				if !strings.Contains(string(out), "citybench stand-in called") {
					t.Fatalf("the script stopped before citybench's first call:\n%s", out)
				}
				_, err := os.Stat(filepath.Join(root, "geth-built"))
				if built := err == nil; built != want {
					t.Errorf("BENCH_NODES=%q: geth built %v, want %v\n%s", nodes, built, want, out)
				}
			})
		}
	}
}

// scratch is a copy of the repository's script and lib.sh in a temporary
// root, with a build-geth113.sh that leaves a geth-built file and prints a
// geth path, and a bin/ of citynode (does nothing) and citybench (says it
// was called and fails, which stops the script).
func scratch(t *testing.T, script string) string {
	t.Helper()
	root := t.TempDir()
	for _, dir := range []string{"scripts", "bin"} {
		if err := os.Mkdir(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{script, "lib.sh"} {
		data, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "scripts", name), string(data))
	}
	write(t, filepath.Join(root, "scripts", "build-geth113.sh"), "#!/bin/sh\ntouch \"$(dirname \"$0\")/../geth-built\"\necho /nonexistent/geth\n")
	write(t, filepath.Join(root, "bin", "citynode"), "#!/bin/sh\nexit 0\n")
	write(t, filepath.Join(root, "bin", "citybench"), "#!/bin/sh\necho citybench stand-in called >&2\nexit 1\n")
	return root
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}
