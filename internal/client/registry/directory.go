package registry

import (
	"context"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
)

// Department is a Directory department as cityctl prints it.
type Department struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Active   bool     `json:"active"`
	Accounts []Member `json:"accounts"`
	Signers  []string `json:"signers,omitempty"`
}

// Member is an account of a department and its roles.
type Member struct {
	Address common.Address `json:"address"`
	Roles   []string       `json:"roles"`
}

// Admin returns the city admin (the Directory's owner).
func (c *Client) Admin(ctx context.Context) (common.Address, error) {
	out, err := c.Call(ctx, "Directory.owner", contracts.DirectoryAddress, dirABI.PackOwner())
	if err != nil {
		return common.Address{}, err
	}
	return dirABI.UnpackOwner(out)
}

// Departments lists every department with its accounts, roles and signers.
func (c *Client) Departments(ctx context.Context) ([]Department, error) {
	out, err := c.Call(ctx, "Directory.departments", contracts.DirectoryAddress, dirABI.PackDepartments())
	if err != nil {
		return nil, err
	}
	codes, err := dirABI.UnpackDepartments(out)
	if err != nil {
		return nil, fmt.Errorf("Directory.departments: %w", err)
	}
	signers, signerDept, err := c.signerDepartments(ctx)
	if err != nil {
		return nil, err
	}
	var depts []Department
	for _, code := range codes {
		d, err := c.department(ctx, code)
		if err != nil {
			return nil, err
		}
		for _, s := range signers {
			if signerDept[s] == code {
				d.Signers = append(d.Signers, s.Hex())
			}
		}
		depts = append(depts, *d)
	}
	slices.SortFunc(depts, func(a, b Department) int { return compareStrings(a.Code, b.Code) })
	return depts, nil
}

// signerDepartments returns the Directory's signers, in its order, and the
// department of each.
func (c *Client) signerDepartments(ctx context.Context) ([]common.Address, map[common.Address][32]byte, error) {
	out, err := c.Call(ctx, "Directory.signers", contracts.DirectoryAddress, dirABI.PackSigners())
	if err != nil {
		return nil, nil, err
	}
	signers, err := dirABI.UnpackSigners(out)
	if err != nil {
		return nil, nil, fmt.Errorf("Directory.signers: %w", err)
	}
	signerDept := make(map[common.Address][32]byte, len(signers))
	for _, s := range signers {
		out, err := c.Call(ctx, "Directory.signerDepartment", contracts.DirectoryAddress, dirABI.PackSignerDepartment(s))
		if err != nil {
			return nil, nil, err
		}
		if signerDept[s], err = dirABI.UnpackSignerDepartment(out); err != nil {
			return nil, nil, fmt.Errorf("Directory.signerDepartment: %w", err)
		}
	}
	return signers, signerDept, nil
}

// department returns the department code with its accounts and their
// roles; its signers are left to the caller.
func (c *Client) department(ctx context.Context, code [32]byte) (*Department, error) {
	out, err := c.Call(ctx, "Directory.departmentInfo", contracts.DirectoryAddress, dirABI.PackDepartmentInfo(code))
	if err != nil {
		return nil, err
	}
	info, err := dirABI.UnpackDepartmentInfo(out)
	if err != nil {
		return nil, fmt.Errorf("Directory.departmentInfo: %w", err)
	}
	d := &Department{Code: contracts.String32(code), Name: info.Name, Active: info.Active, Accounts: []Member{}}
	out, err = c.Call(ctx, "Directory.accountsOf", contracts.DirectoryAddress, dirABI.PackAccountsOf(code))
	if err != nil {
		return nil, err
	}
	accounts, err := dirABI.UnpackAccountsOf(out)
	if err != nil {
		return nil, fmt.Errorf("Directory.accountsOf: %w", err)
	}
	for _, a := range accounts {
		out, err := c.Call(ctx, "Directory.memberOf", contracts.DirectoryAddress, dirABI.PackMemberOf(a))
		if err != nil {
			return nil, err
		}
		m, err := dirABI.UnpackMemberOf(out)
		if err != nil {
			return nil, fmt.Errorf("Directory.memberOf: %w", err)
		}
		d.Accounts = append(d.Accounts, Member{Address: a, Roles: roleNames(m.Roles)})
	}
	return d, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// roleNames returns the names of the roles in a Directory role mask.
func roleNames(mask uint32) []string {
	names := []string{}
	for r := range 32 {
		if mask&(1<<r) != 0 {
			names = append(names, contracts.Role(r).String())
		}
	}
	return names
}

// AddDepartment adds a department (city admin only).
func (c *Client) AddDepartment(ctx context.Context, code, name string) (*Tx, error) {
	b, err := code32(code, "department code")
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, fmt.Errorf("%w: empty department name; give the department a display name", ErrInput)
	}
	return c.Send(ctx, "Directory.addDepartment", contracts.DirectoryAddress, dirABI.PackAddDepartment(b, name))
}

// GrantRole lets account act for department in role (city admin only).
func (c *Client) GrantRole(ctx context.Context, code string, role contracts.Role, account common.Address) (*Tx, error) {
	b, err := code32(code, "department code")
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "Directory.grantRole", contracts.DirectoryAddress, dirABI.PackGrantRole(b, uint8(role), account))
}

// RevokeRole takes role away from account in department (city admin only).
func (c *Client) RevokeRole(ctx context.Context, code string, role contracts.Role, account common.Address) (*Tx, error) {
	b, err := code32(code, "department code")
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "Directory.revokeRole", contracts.DirectoryAddress, dirABI.PackRevokeRole(b, uint8(role), account))
}

// code32 encodes a short code as bytes32.
func code32(s, what string) ([32]byte, error) {
	b, err := contracts.Bytes32(s)
	if err != nil {
		return b, fmt.Errorf("%w: %s: %v", ErrInput, what, err)
	}
	return b, nil
}

// DepartmentName returns the display name of the department with code, ""
// for a code the Directory does not know.
func (c *Client) DepartmentName(ctx context.Context, code string) (string, error) {
	b, err := code32(code, "department code")
	if err != nil {
		return "", err
	}
	out, err := c.Call(ctx, "Directory.departmentInfo", contracts.DirectoryAddress, dirABI.PackDepartmentInfo(b))
	if err != nil {
		return "", err
	}
	info, err := dirABI.UnpackDepartmentInfo(out)
	if err != nil {
		return "", fmt.Errorf("Directory.departmentInfo: %w", err)
	}
	return info.Name, nil
}
