package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// root is the repository root, where scripts/build-static.sh runs.
const root = "../.."

// testdata packages, relative to the repository root.
const (
	recoverPkg = "./scripts/checkbin/testdata/recover" // links go-ethereum's recovery
	plainPkg   = "./scripts/checkbin/testdata/plain"   // cgo without go-ethereum's crypto
	nssPkg     = "./scripts/checkbin/testdata/nss"     // calls glibc's getpwnam
)

// TestImageBuild builds a program that recovers a signature with go-ethereum's
// crypto the way the image and the releases are built (scripts/build-static.sh)
// and checks that it is static, uses libsecp256k1 through cgo and runs; then
// that checkbin refuses the other ways it could be built (CGO_ENABLED=0, the
// image's binaries before ADR 092; cgo linked dynamically; without the netgo
// and osusergo tags; without libsecp256k1) and that the build script refuses
// a link that calls into glibc's NSS.
func TestImageBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four small programs with cgo (about a minute); not in -short")
	}
	proctest.Tool(t, "gcc", "apt-get install gcc libc6-dev")
	dir := t.TempDir()

	t.Run("image build", func(t *testing.T) {
		out := filepath.Join(dir, "image")
		buildStatic(t, out, recoverPkg, true)
		bin := filepath.Join(out, "recover")
		if err := check(bin); err != nil {
			t.Fatalf("check: %v", err)
		}
		if got, err := exec.Command(bin).CombinedOutput(); err != nil || strings.TrimSpace(string(got)) != "recovered: true" {
			t.Fatalf("running the static binary: have %q (%v), want \"recovered: true\"", got, err)
		}
	})
	refused := []struct {
		name string
		env  []string
		args []string
		pkg  string
		want error
	}{
		{"CGO_ENABLED=0", []string{"CGO_ENABLED=0"}, []string{"-tags", "netgo,osusergo"}, recoverPkg, errNoCgo},
		{"dynamic", []string{"CGO_ENABLED=1"}, []string{"-tags", "netgo,osusergo"}, recoverPkg, errDynamic},
		{"no netgo", []string{"CGO_ENABLED=1"}, []string{"-tags", "osusergo", "-ldflags", "-linkmode external -extldflags -static"}, plainPkg, errTags},
		{"no libsecp256k1", []string{"CGO_ENABLED=1"}, []string{"-tags", "netgo,osusergo", "-ldflags", "-linkmode external -extldflags -static"}, plainPkg, errNoSecp256k1},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			bin := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			args := append([]string{"build", "-trimpath", "-o", bin}, tc.args...)
			cmd := exec.Command("go", append(args, tc.pkg)...)
			cmd.Dir, cmd.Env = root, append(os.Environ(), tc.env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go %s: %v\n%s", strings.Join(cmd.Args[1:], " "), err, out)
			}
			if err := check(bin); !errors.Is(err, tc.want) {
				t.Fatalf("check: have %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("script refuses a binary without libsecp256k1", func(t *testing.T) {
		out := buildStatic(t, filepath.Join(dir, "plain"), plainPkg, false)
		if !strings.Contains(out, "lacks go-ethereum's cgo libsecp256k1") {
			t.Fatalf("build-static.sh output lacks checkbin's finding:\n%s", out)
		}
	})
	t.Run("script refuses glibc's NSS", func(t *testing.T) {
		out := buildStatic(t, filepath.Join(dir, "nss"), nssPkg, false)
		if !strings.Contains(out, "calls into glibc's NSS or dlopen") || !strings.Contains(out, "getpwnam") {
			t.Fatalf("build-static.sh output lacks the linker's getpwnam warning and the refusal:\n%s", out)
		}
	})
}

// buildStatic runs scripts/build-static.sh on one package, wanting it to
// succeed or fail, and returns its output.
func buildStatic(t *testing.T, out, pkg string, succeed bool) string {
	t.Helper()
	cmd := exec.Command("scripts/build-static.sh", out, pkg)
	cmd.Dir = root
	got, err := cmd.CombinedOutput()
	if succeed && err != nil {
		t.Fatalf("scripts/build-static.sh %s %s: %v\n%s", out, pkg, err, got)
	}
	if !succeed && err == nil {
		t.Fatalf("scripts/build-static.sh %s %s succeeded, want a refusal:\n%s", out, pkg, got)
	}
	return string(got)
}
