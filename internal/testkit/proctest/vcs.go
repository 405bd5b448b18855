package proctest

import (
	"debug/buildinfo"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
)

// buildinfoPkg is the package whose link-time variables carry the commit.
const buildinfoPkg = "github.com/citychain/citychain/internal/cmdkit/buildinfo"

// VersionLDFlags returns the -ldflags value that `make build` passes: the
// git commit of the working directory and whether the tree has uncommitted
// changes, for internal/cmdkit/buildinfo to report when the go command stamped no
// VCS information (it stamps none in a git worktree or with
// -buildvcs=false). It returns "" outside a git checkout.
func VersionLDFlags() string {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	status, err := exec.Command("git", "status", "--porcelain").Output()
	if err != nil {
		return ""
	}
	dirty := len(strings.TrimSpace(string(status))) > 0
	return fmt.Sprintf("-X %s.gitCommit=%s -X %s.gitDirty=%t", buildinfoPkg, strings.TrimSpace(string(head)), buildinfoPkg, dirty)
}

// ldflagRE finds one of buildinfo's link-time variables in a -ldflags value.
var ldflagRE = regexp.MustCompile(`-X ` + regexp.QuoteMeta(buildinfoPkg) + `\.(gitCommit|gitDirty)=(\S*)`)

// Stamping returns the commit and dirty flag a binary was stamped with when it
// was built, read from its Go build information as internal/cmdkit/buildinfo
// reads it: the go command's vcs.revision and vcs.modified, else the -X flags
// of its -ldflags setting (VersionLDFlags). This, not the tree's state when a
// test looks, is what the binary reports: the tree may change in between.
func Stamping(bin string) (commit string, dirty bool, err error) {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		return "", false, err
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		return rev, settings["vcs.modified"] == "true", nil
	}
	for _, m := range ldflagRE.FindAllStringSubmatch(settings["-ldflags"], -1) {
		switch m[1] {
		case "gitCommit":
			commit = m[2]
		case "gitDirty":
			dirty = m[2] == "true"
		}
	}
	if commit == "" {
		return "", false, fmt.Errorf("%s carries no commit: neither vcs.revision nor %s.gitCommit in its build information", bin, buildinfoPkg)
	}
	return commit, dirty, nil
}
