package proctest

import (
	"fmt"
	"os/exec"
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
