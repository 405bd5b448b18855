package contracts_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
)

func TestArtifacts(t *testing.T) {
	want := []string{contracts.AnchorsName, contracts.DirectoryName, contracts.DocumentsName, contracts.MarketStallsName, contracts.PollsName, contracts.PropertyTitlesName}
	if have := contracts.Names(); !slices.Equal(have, want) {
		t.Fatalf("artifacts: have %v, want %v", have, want)
	}
	for _, name := range want {
		a := contracts.MustLoad(name)
		if _, err := a.ParseABI(); err != nil {
			t.Errorf("%s: ABI: %v", name, err)
		}
		var settings struct {
			EVMVersion string `json:"evmVersion"`
			Optimizer  struct {
				Enabled bool `json:"enabled"`
				Runs    int  `json:"runs"`
			} `json:"optimizer"`
		}
		if err := json.Unmarshal(a.Compiler.Settings, &settings); err != nil {
			t.Fatalf("%s: compiler settings: %v", name, err)
		}
		if !strings.HasPrefix(a.Compiler.Version, "0.8.30+") || settings.EVMVersion != "london" || !settings.Optimizer.Enabled || settings.Optimizer.Runs != 200 {
			t.Errorf("%s: compiler %s %+v, want solc 0.8.30, london, optimizer 200 runs", name, a.Compiler.Version, settings)
		}
		// London has no PUSH0 (0x5f); find it as an opcode, skipping push data.
		for pc := 0; pc < len(a.DeployedBytecode); pc++ {
			op := a.DeployedBytecode[pc]
			if op == 0xfe { // INVALID: the metadata follows
				break
			}
			if op == 0x5f || op == 0x5e || op == 0x5c || op == 0x5d {
				t.Errorf("%s: opcode %#x at %d is not available under London rules", name, op, pc)
			}
			if op >= 0x60 && op <= 0x7f {
				pc += int(op - 0x5f)
			}
		}
	}
	if _, err := contracts.Load("Nothing"); !errors.Is(err, contracts.ErrUnknownContract) {
		t.Errorf("Load(Nothing): have %v, want %v", err, contracts.ErrUnknownContract)
	}
}

func TestCheckRuntime(t *testing.T) {
	a := contracts.MustLoad(contracts.DocumentsName)
	if err := a.CheckRuntime(a.DeployedBytecode); err != nil {
		t.Fatal(err)
	}
	changed := slices.Clone(a.DeployedBytecode)
	changed[100] ^= 1
	for name, code := range map[string][]byte{"changed": changed, "short": a.DeployedBytecode[:10], "creation code": a.Bytecode} {
		if err := a.CheckRuntime(code); !errors.Is(err, contracts.ErrCodeMismatch) {
			t.Errorf("%s: have %v, want %v", name, err, contracts.ErrCodeMismatch)
		}
	}
}

func TestBytes32(t *testing.T) {
	b, err := contracts.Bytes32("LAND")
	if err != nil || contracts.String32(b) != "LAND" || b[4] != 0 {
		t.Errorf("Bytes32(LAND): have %x, %v", b, err)
	}
	for _, bad := range []string{"", strings.Repeat("x", 33)} {
		if _, err := contracts.Bytes32(bad); err == nil {
			t.Errorf("Bytes32(%q): no error", bad)
		}
	}
}

func TestRoles(t *testing.T) {
	for _, r := range contracts.Roles() {
		have, err := contracts.ParseRole(r.String())
		if err != nil || have != r {
			t.Errorf("ParseRole(%s): have %v, %v", r, have, err)
		}
	}
	if _, err := contracts.ParseRole("mayor"); !errors.Is(err, contracts.ErrUnknownRole) {
		t.Errorf("ParseRole(mayor): have %v, want %v", err, contracts.ErrUnknownRole)
	}
}

// encodeError returns the revert data of a custom error.
func encodeError(t *testing.T, contract, name string, args ...any) []byte {
	t.Helper()
	parsed, err := contracts.MustLoad(contract).ParseABI()
	if err != nil {
		t.Fatal(err)
	}
	e, ok := parsed.Errors[name]
	if !ok {
		t.Fatalf("%s has no error %s", contract, name)
	}
	data, err := e.Inputs.Pack(args...)
	if err != nil {
		t.Fatal(err)
	}
	return append(e.ID[:4:4], data...)
}

func TestDecodeRevert(t *testing.T) {
	account := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	hash := crypto.Keccak256Hash([]byte("x"))
	stringType, _ := abi.NewType("string", "", nil)
	uintType, _ := abi.NewType("uint256", "", nil)
	reason, _ := abi.Arguments{{Type: stringType}}.Pack("no")
	panicCode, _ := abi.Arguments{{Type: uintType}}.Pack(big.NewInt(0x11))
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"no arguments", encodeError(t, "Documents", "ZeroHash"), "ZeroHash()"},
		{"address", encodeError(t, "Documents", "NotIssuer", account), fmt.Sprintf("NotIssuer(%s)", account.Hex())},
		{"department codes", encodeError(t, "Documents", "NotIssuingDepartment", b32("CIVIL"), b32("HEALTH")), `NotIssuingDepartment("CIVIL", "HEALTH")`},
		{"hash", encodeError(t, "Documents", "UnknownDocument", hash), fmt.Sprintf("UnknownDocument(%#x)", hash)},
		{"integers", encodeError(t, "PropertyTitles", "InvalidShare", uint64(3), uint64(2)), "InvalidShare(3, 2)"},
		{"enum", encodeError(t, "PropertyTitles", "WrongStage", b32("P-1"), uint8(1), uint8(2)), `WrongStage("P-1", 1, 2)`},
		{"OpenZeppelin error", encodeError(t, "Directory", "OwnableUnauthorizedAccount", account), fmt.Sprintf("OwnableUnauthorizedAccount(%s)", account.Hex())},
		{"Error(string)", append([]byte{0x08, 0xc3, 0x79, 0xa0}, reason...), `Error("no")`},
		{"Panic(uint256)", append([]byte{0x4e, 0x48, 0x7b, 0x71}, panicCode...), `Panic("arithmetic underflow or overflow")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have, err := contracts.DecodeRevert(tt.data)
			if err != nil || have != tt.want {
				t.Fatalf("have %q, %v; want %q", have, err, tt.want)
			}
		})
	}
	for name, data := range map[string][]byte{
		"empty":              nil,
		"short":              {1, 2},
		"unknown selector":   {1, 2, 3, 4},
		"truncated argument": encodeError(t, "Documents", "NotIssuer", account)[:20],
	} {
		if _, err := contracts.DecodeRevert(data); !errors.Is(err, contracts.ErrUnknownRevert) {
			t.Errorf("%s: have %v, want %v", name, err, contracts.ErrUnknownRevert)
		}
	}
}

// FuzzDecodeRevert checks that any revert data decodes or fails cleanly.
func FuzzDecodeRevert(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x08, 0xc3, 0x79, 0xa0, 0, 0})
	for _, name := range contracts.Names() {
		parsed, _ := contracts.MustLoad(name).ParseABI()
		for _, e := range parsed.Errors {
			f.Add(append(e.ID[:4:4], make([]byte, 96)...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := contracts.DecodeRevert(data)
		if err == nil && s == "" {
			t.Fatal("decoded to an empty string")
		}
		if err != nil && !errors.Is(err, contracts.ErrUnknownRevert) {
			t.Fatalf("error without ErrUnknownRevert: %v", err)
		}
	})
}
