package buildinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

const testCommit = "1ae54ba1c0ffee00112233445566778899aabbcc"

// TestFromBuild reads the commit from the build info first, from the link
// time values second.
func TestFromBuild(t *testing.T) {
	stamped := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Deps:      []*debug.Module{{Path: gethModule, Version: "v1.17.10"}},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: testCommit},
			{Key: "vcs.time", Value: "2026-12-04T22:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	unstamped := &debug.BuildInfo{GoVersion: "go1.26.8"}
	for _, tc := range []struct {
		name          string
		bi            *debug.BuildInfo
		commit, dirty string
		want          Info
		short         string
	}{
		{"stamped", stamped, "", "", Info{Commit: testCommit, CommitTime: "2026-12-04T22:00:00Z", Dirty: true, Source: "buildinfo", Geth: "v1.17.10"}, Version + "-1ae54ba1-dirty"},
		{"stamp wins over ldflags", stamped, "ffff", "false", Info{Commit: testCommit, CommitTime: "2026-12-04T22:00:00Z", Dirty: true, Source: "buildinfo", Geth: "v1.17.10"}, Version + "-1ae54ba1-dirty"},
		{"ldflags", unstamped, testCommit, "false", Info{Commit: testCommit, Source: "ldflags"}, Version + "-1ae54ba1"},
		{"ldflags dirty", unstamped, testCommit, "true", Info{Commit: testCommit, Dirty: true, Source: "ldflags"}, Version + "-1ae54ba1-dirty"},
		{"unknown", unstamped, "", "", Info{}, Version},
		{"no build info", nil, "", "", Info{}, Version},
	} {
		t.Run(tc.name, func(t *testing.T) {
			have := fromBuild(tc.bi, tc.commit, tc.dirty)
			want := tc.want
			want.Version = Version
			want.GoVersion = have.GoVersion // the running Go's without build info
			if tc.bi != nil {
				want.GoVersion = "go1.26.8"
			}
			if have != want {
				t.Errorf("have %+v, want %+v", have, want)
			}
			if s := have.Short(); s != tc.short {
				t.Errorf("Short: have %q, want %q", s, tc.short)
			}
		})
	}
}

// TestString: the report names the commit, or says why it has none.
func TestString(t *testing.T) {
	s := Info{Version: "1.0.0", Commit: testCommit, Dirty: true, GoVersion: "go1.26.8", Geth: "v1.17.10"}.String()
	for _, want := range []string{"Version: 1.0.0\n", "Git Commit: " + testCommit + "\n", "Dirty: true\n", "go-ethereum: v1.17.10\n", "Go Version: go1.26.8\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("have %q, want it to contain %q", s, want)
		}
	}
	if s := (Info{Version: "1.0.0"}).String(); !strings.Contains(s, "Git Commit: unknown (built without VCS information") {
		t.Errorf("without a commit: have %q, want the reason", s)
	}
}

// TestVCSStamp compiles this package's source, alone, into a program inside
// a throwaway git repository, with the go command's VCS stamping on: the
// program reports the repository's commit, clean, then dirty after an
// uncommitted edit. This is the real build info path, not a fake.
func TestVCSStamp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs git and the go command")
	}
	requireTool(t, "git")
	src, err := os.ReadFile("buildinfo.go")
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/stamp\n\ngo 1.22\n")
	write("buildinfo/buildinfo.go", string(src))
	mainSrc := `package main

import (
	"fmt"

	"example.com/stamp/buildinfo"
)

func main() {
	i := buildinfo.Get()
	fmt.Println(i.Commit, i.Dirty, i.Source, i.Short())
}
`
	write("main.go", mainSrc)
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = repo
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "stamp test")
	head := git("rev-parse", "HEAD")

	run := func() string {
		t.Helper()
		bin := filepath.Join(t.TempDir(), "stamp")
		build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
		build.Dir = repo
		build.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		out, err := exec.Command(bin).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	if have, want := run(), head+" false buildinfo "+Version+"-"+head[:8]; have != want {
		t.Errorf("clean checkout: have %q, want %q", have, want)
	}
	write("main.go", "// an uncommitted edit\n"+mainSrc)
	if have, want := run(), head+" true buildinfo "+Version+"-"+head[:8]+"-dirty"; have != want {
		t.Errorf("after an uncommitted edit: have %q, want %q", have, want)
	}
}

// requireTool fails the test under CI (CI set to any value) if a tool is
// missing, and skips it elsewhere saying what to install.
func requireTool(t *testing.T, name string) {
	t.Helper()
	proctest.Tool(t, name, "apt-get install -y "+name)
}
