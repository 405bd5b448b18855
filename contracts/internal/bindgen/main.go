// Command bindgen writes the abigen v2 Go bindings of every contract artifact:
// contracts/artifacts/<Contract>.json becomes the package
// contracts/bindings/<contract> (name in lower case). It calls go-ethereum's
// own generator (accounts/abi/abigen.BindV2, the code behind `abigen --v2`) at
// the version pinned in go.mod, so `make contracts` needs no abigen binary and
// regenerates byte-identical files.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
)

// artifact is the part of a contract artifact the bindings need.
type artifact struct {
	ContractName string          `json:"contractName"`
	ABI          json.RawMessage `json:"abi"`
	Bytecode     string          `json:"bytecode"`
}

func main() {
	artifacts := flag.String("artifacts", "contracts/artifacts", "directory of <Contract>.json artifacts")
	out := flag.String("out", "contracts/bindings", "directory to write one binding package per contract into")
	flag.Parse()
	if err := run(*artifacts, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bindgen:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no artifacts in %s: run `make contracts` (it compiles contracts/src first)", dir)
	}
	slices.Sort(files)
	var pkgs []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		var a artifact
		if err := json.Unmarshal(data, &a); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if a.ContractName == "" || len(a.ABI) == 0 {
			return fmt.Errorf("%s: not a contract artifact (no contractName or abi)", file)
		}
		pkg := strings.ToLower(a.ContractName)
		code, err := abigen.BindV2([]string{a.ContractName}, []string{string(a.ABI)}, []string{strings.TrimPrefix(a.Bytecode, "0x")}, pkg, map[string]string{}, map[string]string{})
		if err != nil {
			return fmt.Errorf("%s: abigen: %w", file, err)
		}
		if err := os.MkdirAll(filepath.Join(out, pkg), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, pkg, pkg+".go"), []byte(code), 0o644); err != nil {
			return err
		}
		pkgs = append(pkgs, pkg)
	}
	// Binding packages of contracts that no longer exist would otherwise linger.
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && !slices.Contains(pkgs, e.Name()) {
			if err := os.RemoveAll(filepath.Join(out, e.Name())); err != nil {
				return err
			}
		}
	}
	fmt.Printf("bindings: %s\n", strings.Join(pkgs, ", "))
	return nil
}
