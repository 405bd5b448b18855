package docker

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/citychain/citychain/genesis/ceremony"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// TestCeremonyRunsOutsideCompose runs the ceremony service of compose.yaml,
// its command as compose gives it, with every path of its container under a
// temporary root (its named volumes empty directories, its bind mounts
// copies): docker/ceremony/network.toml names its keystores relative to
// itself, so it runs wherever it is put beside the nodes' data dirs, and its
// keystores are the data dirs the command's --node flags name (each signer's
// configuration gets its signer).
func TestCeremonyRunsOutsideCompose(t *testing.T) {
	cfg, err := ceremony.Load("ceremony/network.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, ks := range networkKeystores(cfg) {
		if filepath.IsAbs(ks) {
			t.Errorf("ceremony/network.toml: keystore %q is absolute: give it relative to network.toml, as compose mounts it beside the nodes' volumes", ks)
		}
	}
	var compose struct {
		Services map[string]struct {
			Command []string `yaml:"command"`
			Volumes []string `yaml:"volumes"`
			Secrets []string `yaml:"secrets"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "compose.yaml")), &compose); err != nil {
		t.Fatal(err)
	}
	svc := compose.Services["ceremony"]
	root := t.TempDir()
	for _, v := range svc.Volumes {
		src, dst, _ := strings.Cut(v, ":")
		dst, _, _ = strings.Cut(dst, ":")
		if strings.HasPrefix(src, "./") {
			proctest.CopyFile(t, src, filepath.Join(root, dst), 0o644)
		} else if err := os.MkdirAll(filepath.Join(root, dst), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range svc.Secrets {
		copyPassword(t, filepath.Join(root, "run/secrets", s))
	}
	var args []string
	for _, a := range svc.Command {
		if strings.HasPrefix(a, "--owner=") {
			continue // the test's user owns what it makes
		}
		args = append(args, strings.ReplaceAll(a, "=/", "="+root+"/"))
	}
	bin, cleanup, err := proctest.Build("../cmd/citynode", "citynode")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Ceremony: made a new network") {
		t.Fatalf("citynode %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if strings.Contains(string(out), "Head block is not reachable") {
		t.Errorf("ceremony of a new network printed go-ethereum's untrue warning:\n%s", out)
	}
	for _, name := range []string{"signer-land", "signer-tax", "signer-transport", "signer-parks"} {
		if conf := readFile(t, filepath.Join(root, "shared", name+".toml")); !strings.Contains(conf, "signer = ") {
			t.Errorf("%s.toml: no signer; its keystore is not in its data dir:\n%s", name, conf)
		}
	}
}

// networkKeystores are the keystore paths a network.toml gives.
func networkKeystores(cfg *ceremony.Config) []string {
	var out []string
	for _, d := range cfg.Departments {
		out = append(out, d.Keystore)
	}
	for _, r := range cfg.Roles {
		out = append(out, r.Keystore)
	}
	for _, a := range cfg.Alloc {
		out = append(out, a.Keystore)
	}
	return out
}
