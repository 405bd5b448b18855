package contracts_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/predeploy"
)

// TestGenesisRegistry checks that the chain starts with the registry of the
// configuration: the committed code at the fixed addresses, the departments,
// roles, signers and services.
func TestGenesisRegistry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for name, a := range predeploy.Addresses() {
		code, err := e.client.CodeAt(ctx, a, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := contracts.MustLoad(name).CheckRuntime(code); err != nil {
			t.Errorf("%s at %s: %v", name, a.Hex(), err)
		}
	}
	if have := call(e, e.dirC, e.dir.PackOwner(), e.dir.UnpackOwner); have != addr("admin") {
		t.Errorf("admin: have %s, want %s", have.Hex(), addr("admin").Hex())
	}
	codes := call(e, e.dirC, e.dir.PackDepartments(), e.dir.UnpackDepartments)
	if want := [][32]byte{b32("CIVIL"), b32("HEALTH"), b32("LAND")}; !slices.Equal(codes, want) {
		t.Errorf("departments: have %v, want %v", codes, want)
	}
	info := call(e, e.dirC, e.dir.PackDepartmentInfo(b32("LAND")), e.dir.UnpackDepartmentInfo)
	if info.Name != "Land Registry" || !info.Exists || !info.Active {
		t.Errorf("LAND: have %+v, want Land Registry, existing, active", info)
	}
	tests := []struct {
		account string
		role    contracts.Role
		want    string // department code, "" for none
	}{
		{"civil", contracts.RoleIssuer, "CIVIL"},
		{"civil2", contracts.RoleIssuer, "CIVIL"},
		{"health", contracts.RoleIssuer, "HEALTH"},
		{"registrar", contracts.RoleRegistrar, "LAND"},
		{"registrar", contracts.RoleIssuer, ""},
		{"civil", contracts.RoleRegistrar, ""},
		{"stranger", contracts.RoleIssuer, ""},
		{"admin", contracts.RoleRegistrar, ""},
	}
	for _, tt := range tests {
		have := call(e, e.dirC, e.dir.PackDepartmentWithRole(addr(tt.account), uint8(tt.role)), e.dir.UnpackDepartmentWithRole)
		if contracts.String32(have) != tt.want {
			t.Errorf("departmentWithRole(%s, %s): have %q, want %q", tt.account, tt.role, contracts.String32(have), tt.want)
		}
	}
	if have := call(e, e.dirC, e.dir.PackSignerDepartment(addr("signerLand")), e.dir.UnpackSignerDepartment); contracts.String32(have) != "LAND" {
		t.Errorf("signerDepartment(signerLand): have %q, want LAND", contracts.String32(have))
	}
	if have := call(e, e.dirC, e.dir.PackSigners(), e.dir.UnpackSigners); !slices.Equal(have, []common.Address{addr("signerCivil"), addr("signerLand")}) {
		t.Errorf("signers: have %v", have)
	}
	for name, want := range map[string]common.Address{
		predeploy.ServiceDirectory:      contracts.DirectoryAddress,
		predeploy.ServiceDocuments:      contracts.DocumentsAddress,
		predeploy.ServicePropertyTitles: contracts.PropertyTitlesAddress,
		predeploy.ServiceMarketStalls:   contracts.MarketStallsAddress,
		predeploy.ServicePolls:          contracts.PollsAddress,
		predeploy.ServiceAnchors:        contracts.AnchorsAddress,
	} {
		svc := call(e, e.dirC, e.dir.PackService(b32(name)), e.dir.UnpackService)
		if svc.Implementation != want || svc.Version.Uint64() != 1 {
			t.Errorf("service %s: have %s v%d, want %s v1", name, svc.Implementation.Hex(), svc.Version, want.Hex())
		}
	}
}

// TestDirectoryRules runs every admin-only function as a non-admin and every
// invalid change as the admin.
func TestDirectoryRules(t *testing.T) {
	e := newEnv(t)
	d := e.dir
	notAdmin := fmt.Sprintf("OwnableUnauthorizedAccount(%s)", addr("civil").Hex())
	tests := []struct {
		name string
		from string
		data []byte
		want string
	}{
		{"add department, not admin", "civil", d.PackAddDepartment(b32("TAX"), "Tax Office"), notAdmin},
		{"rename, not admin", "civil", d.PackRenameDepartment(b32("CIVIL"), "x"), notAdmin},
		{"deactivate, not admin", "civil", d.PackSetDepartmentActive(b32("CIVIL"), false), notAdmin},
		{"grant, not admin", "civil", d.PackGrantRole(b32("CIVIL"), 0, addr("stranger")), notAdmin},
		{"revoke, not admin", "civil", d.PackRevokeRole(b32("CIVIL"), 0, addr("civil2")), notAdmin},
		{"assign signer, not admin", "civil", d.PackAssignSigner(addr("stranger"), b32("CIVIL")), notAdmin},
		{"unassign signer, not admin", "civil", d.PackUnassignSigner(addr("signerLand")), notAdmin},
		{"set service, not admin", "civil", d.PackSetService(b32("x"), addr("stranger")), notAdmin},
		{"hand over, not admin", "civil", d.PackTransferOwnership(addr("civil")), notAdmin},
		{"renounce, not admin", "civil", d.PackRenounceOwnership(), notAdmin},
		{"renounce", "admin", d.PackRenounceOwnership(), "AdminRenounceRefused()"},
		{"zero code", "admin", d.PackAddDepartment([32]byte{}, "Nothing"), "InvalidDepartmentCode()"},
		{"empty name", "admin", d.PackAddDepartment(b32("TAX"), ""), `EmptyDepartmentName("TAX")`},
		{"department twice", "admin", d.PackAddDepartment(b32("CIVIL"), "Again"), `DepartmentExists("CIVIL")`},
		{"rename unknown", "admin", d.PackRenameDepartment(b32("TAX"), "Tax"), `UnknownDepartment("TAX")`},
		{"state unchanged", "admin", d.PackSetDepartmentActive(b32("CIVIL"), true), `DepartmentStateUnchanged("CIVIL", true)`},
		{"grant unknown department", "admin", d.PackGrantRole(b32("TAX"), 0, addr("stranger")), `UnknownDepartment("TAX")`},
		{"grant zero account", "admin", d.PackGrantRole(b32("CIVIL"), 0, common.Address{}), "ZeroAddress()"},
		{"grant invalid role", "admin", d.PackGrantRole(b32("CIVIL"), 32, addr("stranger")), "InvalidRole(32)"},
		{"grant twice", "admin", d.PackGrantRole(b32("CIVIL"), 0, addr("civil")), fmt.Sprintf(`RoleAlreadyGranted("CIVIL", 0, %s)`, addr("civil").Hex())},
		{"account in two departments", "admin", d.PackGrantRole(b32("LAND"), 1, addr("civil")), fmt.Sprintf(`AccountInOtherDepartment(%s, "CIVIL")`, addr("civil").Hex())},
		{"revoke not granted", "admin", d.PackRevokeRole(b32("CIVIL"), 1, addr("civil")), fmt.Sprintf(`RoleNotGranted("CIVIL", 1, %s)`, addr("civil").Hex())},
		{"revoke other department", "admin", d.PackRevokeRole(b32("LAND"), 0, addr("civil")), `RoleNotGranted("LAND", 0, `},
		{"signer twice", "admin", d.PackAssignSigner(addr("signerLand"), b32("CIVIL")), fmt.Sprintf(`SignerAlreadyAssigned(%s, "LAND")`, addr("signerLand").Hex())},
		{"signer zero", "admin", d.PackAssignSigner(common.Address{}, b32("CIVIL")), "ZeroAddress()"},
		{"unassign unknown signer", "admin", d.PackUnassignSigner(addr("stranger")), fmt.Sprintf("UnknownSigner(%s)", addr("stranger").Hex())},
		{"service zero name", "admin", d.PackSetService([32]byte{}, addr("stranger")), "InvalidServiceName()"},
		{"service zero address", "admin", d.PackSetService(b32("x"), common.Address{}), "ZeroAddress()"},
		{"service unchanged", "admin", d.PackSetService(b32(predeploy.ServiceDocuments), contracts.DocumentsAddress), `ServiceUnchanged("documents", `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			e.reverts(tt.from, e.dirC, tt.data, tt.want)
		})
	}
}

// TestDirectoryChanges walks the admin's changes: roles granted and revoked,
// departments deactivated, services versioned, signers moved.
func TestDirectoryChanges(t *testing.T) {
	e := newEnv(t)
	d := e.dir
	withRole := func(account string, role contracts.Role) string {
		return contracts.String32(call(e, e.dirC, d.PackDepartmentWithRole(addr(account), uint8(role)), d.UnpackDepartmentWithRole))
	}
	e.ok("admin", e.dirC, d.PackAddDepartment(b32("TAX"), "Tax Office"))
	e.ok("admin", e.dirC, d.PackGrantRole(b32("TAX"), uint8(contracts.RoleIssuer), addr("stranger")))
	e.ok("admin", e.dirC, d.PackGrantRole(b32("TAX"), uint8(contracts.RoleRelayer), addr("stranger")))
	m := call(e, e.dirC, d.PackMemberOf(addr("stranger")), d.UnpackMemberOf)
	if contracts.String32(m.Department) != "TAX" || m.Roles != 1<<contracts.RoleIssuer|1<<contracts.RoleRelayer {
		t.Errorf("memberOf: have %q %b, want TAX issuer+relayer", contracts.String32(m.Department), m.Roles)
	}
	if have := call(e, e.dirC, d.PackAccountsOf(b32("TAX")), d.UnpackAccountsOf); !slices.Equal(have, []common.Address{addr("stranger")}) {
		t.Errorf("accountsOf(TAX): have %v", have)
	}
	// A deactivated department's accounts act for nobody, and it takes no new roles.
	e.ok("admin", e.dirC, d.PackSetDepartmentActive(b32("TAX"), false))
	if have := withRole("stranger", contracts.RoleIssuer); have != "" {
		t.Errorf("issuer of a deactivated department: have %q, want none", have)
	}
	e.reverts("admin", e.dirC, d.PackGrantRole(b32("TAX"), 0, addr("bob")), `DepartmentInactive("TAX")`)
	e.reverts("admin", e.dirC, d.PackAssignSigner(addr("bob"), b32("TAX")), `DepartmentInactive("TAX")`)
	e.ok("admin", e.dirC, d.PackSetDepartmentActive(b32("TAX"), true))
	if have := withRole("stranger", contracts.RoleIssuer); have != "TAX" {
		t.Errorf("issuer after reactivation: have %q, want TAX", have)
	}
	// Revoking the last role frees the account for another department.
	e.ok("admin", e.dirC, d.PackRevokeRole(b32("TAX"), uint8(contracts.RoleIssuer), addr("stranger")))
	e.reverts("admin", e.dirC, d.PackGrantRole(b32("LAND"), 1, addr("stranger")), "AccountInOtherDepartment(")
	e.ok("admin", e.dirC, d.PackRevokeRole(b32("TAX"), uint8(contracts.RoleRelayer), addr("stranger")))
	if have := call(e, e.dirC, d.PackAccountsOf(b32("TAX")), d.UnpackAccountsOf); len(have) != 0 {
		t.Errorf("accountsOf(TAX) after revoking: have %v, want none", have)
	}
	e.ok("admin", e.dirC, d.PackGrantRole(b32("LAND"), uint8(contracts.RoleRegistrar), addr("stranger")))
	if have := withRole("stranger", contracts.RoleRegistrar); have != "LAND" {
		t.Errorf("registrar: have %q, want LAND", have)
	}
	// Services keep every version.
	e.ok("admin", e.dirC, d.PackSetService(b32(predeploy.ServiceDocuments), addr("bob")))
	svc := call(e, e.dirC, d.PackService(b32(predeploy.ServiceDocuments)), d.UnpackService)
	if svc.Implementation != addr("bob") || svc.Version.Uint64() != 2 {
		t.Errorf("service after update: have %s v%d, want bob v2", svc.Implementation.Hex(), svc.Version)
	}
	versions := call(e, e.dirC, d.PackServiceVersions(b32(predeploy.ServiceDocuments)), d.UnpackServiceVersions)
	if !slices.Equal(versions, []common.Address{contracts.DocumentsAddress, addr("bob")}) {
		t.Errorf("versions: have %v", versions)
	}
	// Signers move between departments only through unassign.
	e.ok("admin", e.dirC, d.PackUnassignSigner(addr("signerCivil")))
	e.ok("admin", e.dirC, d.PackAssignSigner(addr("signerCivil"), b32("TAX")))
	if have := call(e, e.dirC, d.PackSigners(), d.UnpackSigners); !slices.Equal(have, []common.Address{addr("signerLand"), addr("signerCivil")}) {
		t.Errorf("signers: have %v", have)
	}
	e.ok("admin", e.dirC, d.PackRenameDepartment(b32("TAX"), "Revenue Office"))
	if info := call(e, e.dirC, d.PackDepartmentInfo(b32("TAX")), d.UnpackDepartmentInfo); info.Name != "Revenue Office" {
		t.Errorf("renamed: have %q", info.Name)
	}
}

// TestAdminHandover checks the two-step hand-over of the city admin role.
func TestAdminHandover(t *testing.T) {
	e := newEnv(t)
	d := e.dir
	owner := func() common.Address { return call(e, e.dirC, d.PackOwner(), d.UnpackOwner) }
	e.ok("admin", e.dirC, d.PackTransferOwnership(addr("newAdmin")))
	if have := call(e, e.dirC, d.PackPendingOwner(), d.UnpackPendingOwner); have != addr("newAdmin") {
		t.Fatalf("pending admin: have %s", have.Hex())
	}
	// Until accepted, the old admin rules and the new one cannot act.
	if owner() != addr("admin") {
		t.Fatal("admin changed before acceptance")
	}
	e.reverts("newAdmin", e.dirC, d.PackAddDepartment(b32("TAX"), "Tax"), "OwnableUnauthorizedAccount(")
	e.reverts("stranger", e.dirC, d.PackAcceptOwnership(), fmt.Sprintf("OwnableUnauthorizedAccount(%s)", addr("stranger").Hex()))
	e.ok("newAdmin", e.dirC, d.PackAcceptOwnership())
	if owner() != addr("newAdmin") {
		t.Fatalf("admin after acceptance: have %s, want newAdmin", owner().Hex())
	}
	e.reverts("admin", e.dirC, d.PackAddDepartment(b32("TAX"), "Tax"), fmt.Sprintf("OwnableUnauthorizedAccount(%s)", addr("admin").Hex()))
	e.ok("newAdmin", e.dirC, d.PackAddDepartment(b32("TAX"), "Tax"))
}
