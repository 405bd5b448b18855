// Command checkbin checks that binaries are built as the image and the
// releases ship them (scripts/build-static.sh, ADR 092): linked statically,
// for an image FROM scratch, with cgo, so that go-ethereum's crypto recovers
// transaction senders with its vendored libsecp256k1 and not with the pure-Go
// fallback a CGO_ENABLED=0 build gets (3.4x slower per recovery), and with
// Go's own resolver and user lookup (tags netgo, osusergo) instead of glibc's
// NSS, which a static binary could only load from shared libraries.
//
// Usage: go run ./scripts/checkbin BINARY...
//
// It prints one line per good binary and exits 1 after naming what is wrong
// with each bad one.
package main

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// cgoRecover is the Go function cgo generates to call libsecp256k1's
// recovery in go-ethereum's crypto/secp256k1 (compiled only with cgo). Its name
// stays in the Go function table of a stripped binary.
const cgoRecover = "github.com/ethereum/go-ethereum/crypto/secp256k1._Cfunc_secp256k1_ext_ecdsa_recover"

// wantTags are the build tags that keep glibc's NSS out of a static link.
var wantTags = []string{"netgo", "osusergo"}

// fix is what to do about any finding.
const fix = "build it with scripts/build-static.sh (make image, make release)"

var (
	// errNoCgo is returned if the binary was built with CGO_ENABLED=0.
	errNoCgo = errors.New("built without cgo: go-ethereum's crypto recovers senders with the pure-Go secp256k1, 3.4x slower than libsecp256k1")
	// errDynamic is returned if the binary needs a dynamic loader or shared libraries.
	errDynamic = errors.New("dynamically linked: the scratch image has no loader and no shared libraries")
	// errNoSecp256k1 is returned if cgo is on but libsecp256k1's recovery is not linked.
	errNoSecp256k1 = errors.New("lacks go-ethereum's cgo libsecp256k1 recovery (" + cgoRecover + ")")
	// errTags is returned if a tag that keeps glibc's NSS out is missing.
	errTags = errors.New("missing build tags")
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/checkbin BINARY...")
		os.Exit(2)
	}
	failed := false
	for _, path := range os.Args[1:] {
		if err := check(path); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v; %s\n", path, err, fix)
			failed = true
			continue
		}
		fmt.Printf("%s: static, cgo, libsecp256k1 recovery\n", path)
	}
	if failed {
		os.Exit(1)
	}
}

// check returns why the binary at path is not built as the image ships it, or nil.
func check(path string) error {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading its Go build information: %w", err)
	}
	if err := checkSettings(info); err != nil {
		return err
	}
	if err := checkStatic(path); err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Contains(data, []byte(cgoRecover)) {
		return errNoSecp256k1
	}
	return nil
}

// checkSettings checks the go command's record of cgo and the build tags.
func checkSettings(info *buildinfo.BuildInfo) error {
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["CGO_ENABLED"] != "1" {
		return fmt.Errorf("%w (CGO_ENABLED=%q)", errNoCgo, settings["CGO_ENABLED"])
	}
	tags := strings.Split(settings["-tags"], ",")
	var missing []string
	for _, want := range wantTags {
		if !slices.Contains(tags, want) {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: have %q, want %s (Go's resolver and user lookup, not glibc's NSS)", errTags, settings["-tags"], strings.Join(wantTags, ","))
	}
	return nil
}

// checkStatic checks that the ELF file names no interpreter and no shared library.
func checkStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("reading it as ELF: %w", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			return fmt.Errorf("%w (program header %v)", errDynamic, p.Type)
		}
	}
	return nil
}
