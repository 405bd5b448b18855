package permissions

import (
	"crypto/ecdsa"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm/runtime"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/holiman/uint256"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/predeploy"
)

func testKey(label string) *ecdsa.PrivateKey {
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte("permissions test " + label)))
	return k
}

func addr(label string) common.Address { return crypto.PubkeyToAddress(testKey(label).PublicKey) }

func b32(s string) [32]byte {
	b, err := contracts.Bytes32(s)
	if err != nil {
		panic(err)
	}
	return b
}

// labels are the accounts every step of TestRuleMatchesContract checks.
var labels = []string{"admin", "new-admin", "issuer", "registrar", "deployer", "signer1", "signer2", "stranger"}

// directoryState is a state holding the registry a genesis would pre-deploy.
type directoryState struct {
	t   testing.TB
	st  *state.StateDB
	dir *directory.Directory
}

func newDirectoryState(t testing.TB) *directoryState {
	t.Helper()
	alloc, err := predeploy.Alloc(predeploy.Config{
		ChainID: 4242,
		Admin:   addr("admin"),
		Departments: []predeploy.Department{
			{Code: "CIVIL", Name: "Civil Registry", Accounts: []predeploy.Account{
				{Address: addr("issuer"), Roles: []contracts.Role{contracts.RoleIssuer}},
				{Address: addr("deployer"), Roles: []contracts.Role{contracts.RoleDeployer}},
			}, Signers: []common.Address{addr("signer1")}},
			{Code: "LAND", Name: "Land Registry", Accounts: []predeploy.Account{
				{Address: addr("registrar"), Roles: []contracts.Role{contracts.RoleRegistrar, contracts.RoleRelayer}},
			}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := state.New(types.EmptyRootHash, state.NewDatabaseForTesting())
	for a, acc := range alloc {
		st.SetCode(a, acc.Code, tracing.CodeChangeUnspecified)
		st.SetNonce(a, acc.Nonce, tracing.NonceChangeUnspecified)
		if acc.Balance != nil {
			st.SetBalance(a, uint256.MustFromBig(acc.Balance), tracing.BalanceChangeUnspecified)
		}
		for k, v := range acc.Storage {
			st.SetState(a, k, v)
		}
	}
	return &directoryState{t: t, st: st, dir: directory.NewDirectory()}
}

// exec runs a Directory call from an account and fails the test if it reverts.
func (d *directoryState) exec(from string, input []byte) {
	d.t.Helper()
	if _, _, err := runtime.Call(contracts.DirectoryAddress, input, &runtime.Config{State: d.st, Origin: addr(from), GasLimit: 10_000_000}); err != nil {
		d.t.Fatalf("Directory call from %s: %v", from, err)
	}
}

func (d *directoryState) view(input []byte) []byte {
	d.t.Helper()
	out, _, err := runtime.Call(contracts.DirectoryAddress, input, &runtime.Config{State: d.st, GasLimit: 10_000_000})
	if err != nil {
		d.t.Fatalf("Directory view: %v", err)
	}
	return out
}

// expected computes, through the contract's own views, whether a may send
// transactions and whether it may create contracts.
func (d *directoryState) expected(a common.Address) (member, create bool) {
	d.t.Helper()
	withRole := func(r uint8) bool {
		dept, err := d.dir.UnpackDepartmentWithRole(d.view(d.dir.PackDepartmentWithRole(a, r)))
		if err != nil {
			d.t.Fatal(err)
		}
		return dept != [32]byte{}
	}
	owner, _ := d.dir.UnpackOwner(d.view(d.dir.PackOwner()))
	pending, _ := d.dir.UnpackPendingOwner(d.view(d.dir.PackPendingOwner()))
	sdept, _ := d.dir.UnpackSignerDepartment(d.view(d.dir.PackSignerDepartment(a)))
	member = a == owner || a == pending || sdept != [32]byte{}
	for r := uint8(0); r < maxRoles; r++ {
		member = member || withRole(r)
	}
	return member, withRole(uint8(contracts.RoleDeployer))
}

// TestRuleMatchesContract checks the storage reads of Rule against the
// Directory's own views, through grants, revocations, a deactivated
// department, a handover of the admin and signer assignments.
func TestRuleMatchesContract(t *testing.T) {
	d := newDirectoryState(t)
	steps := []struct {
		name string
		do   func()
	}{
		{"genesis", func() {}},
		{"grant deployer to issuer", func() {
			d.exec("admin", d.dir.PackGrantRole(b32("CIVIL"), uint8(contracts.RoleDeployer), addr("issuer")))
		}},
		{"revoke registrar's roles", func() {
			d.exec("admin", d.dir.PackRevokeRole(b32("LAND"), uint8(contracts.RoleRegistrar), addr("registrar")))
			d.exec("admin", d.dir.PackRevokeRole(b32("LAND"), uint8(contracts.RoleRelayer), addr("registrar")))
		}},
		{"stranger gets a high role", func() { d.exec("admin", d.dir.PackGrantRole(b32("LAND"), 31, addr("stranger"))) }},
		{"deactivate CIVIL", func() { d.exec("admin", d.dir.PackSetDepartmentActive(b32("CIVIL"), false)) }},
		{"assign signer2", func() { d.exec("admin", d.dir.PackAssignSigner(addr("signer2"), b32("LAND"))) }},
		{"unassign signer1", func() { d.exec("admin", d.dir.PackUnassignSigner(addr("signer1"))) }},
		{"hand over (pending)", func() { d.exec("admin", d.dir.PackTransferOwnership(addr("new-admin"))) }},
		{"hand over (accepted)", func() { d.exec("new-admin", d.dir.PackAcceptOwnership()) }},
		{"reactivate CIVIL", func() { d.exec("new-admin", d.dir.PackSetDepartmentActive(b32("CIVIL"), true)) }},
	}
	seen := map[bool]int{}
	for _, s := range steps {
		s.do()
		for _, l := range labels {
			a := addr(l)
			member, create := d.expected(a)
			seen[member]++
			if have := (Rule{}).Member(d.st, a); have != member {
				t.Errorf("%s: Member(%s): have %v, want %v", s.name, l, have, member)
			}
			err := (Rule{}).Check(d.st, a, true)
			if (err == nil) != create {
				t.Errorf("%s: Check(%s, create): have %v, want permitted=%v", s.name, l, err, create)
			}
		}
	}
	// Why: a differential test is only as good as the cases it covers.
	if seen[true] == 0 || seen[false] == 0 {
		t.Fatalf("steps never exercised both outcomes: %v", seen)
	}
}

func TestDeniedErrors(t *testing.T) {
	d := newDirectoryState(t)
	err := (Rule{}).Check(d.st, addr("stranger"), false)
	if !errors.Is(err, ErrNotPermitted) || !strings.Contains(err.Error(), addr("stranger").Hex()) || !strings.Contains(err.Error(), "cityctl dept grant") {
		t.Errorf("stranger: have %v, want %v naming the account and cityctl dept grant", err, ErrNotPermitted)
	}
	err = (Rule{}).Check(d.st, addr("issuer"), true)
	if !errors.Is(err, ErrCreateNotPermitted) || !strings.Contains(err.Error(), "deployer role") {
		t.Errorf("issuer creating: have %v, want %v naming the deployer role", err, ErrCreateNotPermitted)
	}
	var de *DeniedError
	if !errors.As(err, &de) || de.ErrorCode() != -32003 {
		t.Errorf("issuer creating: have %#v, want a DeniedError with JSON-RPC code -32003", err)
	}
	if err := (Rule{}).Check(d.st, addr("issuer"), false); err != nil {
		t.Errorf("issuer calling: have %v, want nil", err)
	}
	if err := (Rule{}).Check(d.st, addr("deployer"), true); err != nil {
		t.Errorf("deployer creating: have %v, want nil", err)
	}
}

func TestPolicyList(t *testing.T) {
	d := newDirectoryState(t)
	list, err := ParseList([]byte("# banks\n" + strings.ToLower(addr("stranger").Hex()) + "  # First Bank\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := &Policy{List: list}
	if err := p.Check(d.st, addr("stranger"), false); err != nil {
		t.Errorf("listed stranger calling: have %v, want nil", err)
	}
	if err := p.Check(d.st, addr("stranger"), true); !errors.Is(err, ErrCreateNotPermitted) && !errors.Is(err, ErrNotPermitted) {
		t.Errorf("listed stranger creating: have %v, want refused (the list never grants creation)", err)
	}
	if err := p.Check(d.st, addr("new-admin"), false); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("unlisted account: have %v, want %v", err, ErrNotPermitted)
	}
	var off *Policy
	if err := off.Check(d.st, addr("stranger"), true); err != nil {
		t.Errorf("nil policy: have %v, want nil", err)
	}
}

func TestParseListErrors(t *testing.T) {
	for _, bad := range []string{"0x1234", "f39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0xzz9fd6e51aad88f6f4ce6ab8827279cfffb92266", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 0x00"} {
		if _, err := ParseList([]byte("\n" + bad)); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("ParseList(%q): have %v, want an error on line 2", bad, err)
		}
	}
}

func TestLoad(t *testing.T) {
	if p, err := Load("off"); p != nil || err != nil {
		t.Errorf("Load(off): have %v, %v, want nil, nil", p, err)
	}
	if p, err := Load("directory"); p == nil || err != nil || p.List != nil {
		t.Errorf("Load(directory): have %v, %v", p, err)
	}
	if _, err := Load("everyone"); !errors.Is(err, errBadSpec) {
		t.Errorf("Load(everyone): have %v, want %v", err, errBadSpec)
	}
	if _, err := Load("file:" + t.TempDir() + "/missing"); err == nil || !strings.Contains(err.Error(), "one 0x address a line") {
		t.Errorf("Load(missing file): have %v, want an error saying what the file holds", err)
	}
}

// FuzzParseList checks that any list either parses into addresses each of
// which appears in the input, or is refused, without panicking.
func FuzzParseList(f *testing.F) {
	f.Add([]byte("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 # x\n\n# y\n"))
	f.Add([]byte("0x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := ParseList(data)
		if err != nil {
			return
		}
		lower := strings.ToLower(string(data))
		for a := range list {
			if !strings.Contains(lower, strings.ToLower(a.Hex())) {
				t.Fatalf("account %s not in the input", a.Hex())
			}
		}
	})
}
