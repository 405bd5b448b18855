// Package buildinfo names the build of a citychain binary (citynode, cityctl,
// citybench): the release version and the VCS commit it was built from, with
// whether the working tree had uncommitted changes.
//
// The commit comes from the Go build info (runtime/debug.ReadBuildInfo: the
// vcs.revision, vcs.time and vcs.modified settings the go command stamps
// when it builds inside a git checkout). The go command stamps nothing in a
// git worktree (its .git is a file), with -buildvcs=false, or from a copy of
// the sources without .git; for those builds `make build` passes the commit
// at link time (-X), and that is used instead. It is stdlib-only on purpose:
// its test compiles it alone inside a throwaway git repository.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/citychain/citychain/internal/cmdkit/buildinfo.Version=1.2.3".
var Version = "0.1.0-dev"

// gitCommit and gitDirty are the link-time fallback for builds without VCS
// stamping: -X ...buildinfo.gitCommit=<hex> -X ...buildinfo.gitDirty=true.
var (
	gitCommit string
	gitDirty  string
)

// gethModule is go-ethereum's module path, whose version the build info names.
const gethModule = "github.com/ethereum/go-ethereum"

// shortCommit is how many hex digits of the commit a version string carries
// (as geth's).
const shortCommit = 8

// Info describes one build.
type Info struct {
	Version    string // release version, "0.1.0-dev"
	Commit     string // full VCS commit hash; "" if unknown
	CommitTime string // commit time (RFC 3339) as the build info has it; "" if unknown
	Dirty      bool   // the working tree had uncommitted changes
	Source     string // where Commit came from: "buildinfo", "ldflags" or "" (unknown)
	GoVersion  string // "go1.26.8"
	Geth       string // go-ethereum module version, "v1.17.10"; "" if not linked
}

var get = sync.OnceValue(func() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(bi, gitCommit, gitDirty)
})

// Get returns the build of the running binary.
func Get() Info { return get() }

// fromBuild reads an Info from the Go build info (nil if the binary has
// none), falling back to the link-time commit and dirty flag.
func fromBuild(bi *debug.BuildInfo, commit, dirty string) Info {
	info := Info{Version: Version, GoVersion: runtime.Version()}
	if bi != nil {
		info.GoVersion = bi.GoVersion
		for _, dep := range bi.Deps {
			if dep.Path == gethModule {
				info.Geth = dep.Version
				if dep.Replace != nil {
					info.Geth = dep.Replace.Version
				}
			}
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Commit, info.Source = s.Value, "buildinfo"
			case "vcs.time":
				info.CommitTime = s.Value
			case "vcs.modified":
				info.Dirty = s.Value == "true"
			}
		}
	}
	if info.Commit == "" && commit != "" {
		info.Commit, info.Dirty, info.Source = commit, dirty == "true", "ldflags"
	}
	return info
}

// Short returns the version with the short commit and the dirty mark, as
// --version and web3_clientVersion show it: "0.1.0-dev-1ae54ba1-dirty", or
// the bare version if the commit is unknown.
func (i Info) Short() string {
	if i.Commit == "" {
		return i.Version
	}
	s := i.Version + "-" + i.Commit[:min(shortCommit, len(i.Commit))]
	if i.Dirty {
		s += "-dirty"
	}
	return s
}

// DirtyLabel is the dirty flag as a label value: "true", "false", or
// "unknown" without a commit.
func (i Info) DirtyLabel() string {
	if i.Commit == "" {
		return "unknown"
	}
	return fmt.Sprint(i.Dirty)
}

// String returns the multi-line report of `citynode version`.
func (i Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Version: %s\n", i.Version)
	if i.Commit != "" {
		fmt.Fprintf(&b, "Git Commit: %s\n", i.Commit)
		if i.CommitTime != "" {
			fmt.Fprintf(&b, "Git Commit Time: %s\n", i.CommitTime)
		}
		fmt.Fprintf(&b, "Dirty: %t\n", i.Dirty)
	} else {
		b.WriteString("Git Commit: unknown (built without VCS information: build from a git checkout with `make build`)\n")
	}
	if i.Geth != "" {
		fmt.Fprintf(&b, "go-ethereum: %s\n", i.Geth)
	}
	fmt.Fprintf(&b, "Go Version: %s\n", i.GoVersion)
	fmt.Fprintf(&b, "Operating System: %s\n", runtime.GOOS)
	fmt.Fprintf(&b, "Architecture: %s\n", runtime.GOARCH)
	return b.String()
}
