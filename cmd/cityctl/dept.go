package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

var deptCommand = &cli.Command{
	Name:  "dept",
	Usage: "city departments in the Directory: list them; the city admin adds them and grants roles",
	Subcommands: []*cli.Command{
		{
			Name:   "list",
			Usage:  "list departments, their accounts with roles, and their signers",
			Flags:  nodeFlags(),
			Action: deptList,
		},
		{
			Name:      "add",
			Usage:     "add a department (city admin)",
			ArgsUsage: "CODE NAME",
			Flags:     signFlags(),
			Action:    deptAdd,
		},
		{
			Name:      "grant",
			Usage:     "let an account act for a department in a role (city admin); roles: " + roleList(),
			ArgsUsage: "CODE ROLE ACCOUNT",
			Flags:     signFlags(),
			Action:    func(ctx *cli.Context) error { return deptRole(ctx, true) },
		},
		{
			Name:      "revoke",
			Usage:     "take a role away from an account (city admin)",
			ArgsUsage: "CODE ROLE ACCOUNT",
			Flags:     signFlags(),
			Action:    func(ctx *cli.Context) error { return deptRole(ctx, false) },
		},
	},
}

func roleList() string {
	var names []string
	for _, r := range contracts.Roles() {
		names = append(names, r.String())
	}
	return strings.Join(names, ", ")
}

func deptList(ctx *cli.Context) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	admin, err := c.Admin(c.ctx)
	if err != nil {
		return err
	}
	depts, err := c.Departments(c.ctx)
	if err != nil {
		return err
	}
	return emit(ctx, map[string]any{"admin": admin, "departments": depts}, func(w io.Writer) error {
		fmt.Fprintf(w, "City admin: %s\n", admin.Hex())
		for _, d := range depts {
			printDepartment(w, d)
		}
		return nil
	})
}

func printDepartment(w io.Writer, d registry.Department) {
	state := "active"
	if !d.Active {
		state = "inactive"
	}
	fmt.Fprintf(w, "%-14s %s (%s)\n", d.Code, d.Name, state)
	for _, a := range d.Accounts {
		fmt.Fprintf(w, "  account %s  %s\n", a.Address.Hex(), strings.Join(a.Roles, ", "))
	}
	for _, s := range d.Signers {
		fmt.Fprintf(w, "  signer  %s\n", s)
	}
}

func deptAdd(ctx *cli.Context) error {
	if ctx.NArg() != 2 {
		return cliutil.Usagef("want two arguments, CODE NAME; have %d", ctx.NArg())
	}
	code, name := ctx.Args().Get(0), ctx.Args().Get(1)
	return transact(ctx, map[string]any{"code": code, "name": name}, func(c *conn) (*registry.Tx, string, error) {
		tx, err := c.AddDepartment(c.ctx, code, name)
		return tx, fmt.Sprintf("Added department %s %q", code, name), err
	})
}

func deptRole(ctx *cli.Context, grant bool) error {
	if ctx.NArg() != 3 {
		return cliutil.Usagef("want three arguments, CODE ROLE ACCOUNT (roles: %s); have %d", roleList(), ctx.NArg())
	}
	code := ctx.Args().Get(0)
	role, err := contracts.ParseRole(ctx.Args().Get(1))
	if err != nil {
		return cliutil.Usagef("%v", err)
	}
	account, err := parseAddress("account", ctx.Args().Get(2))
	if err != nil {
		return err
	}
	extra := map[string]any{"code": code, "role": role.String(), "account": account}
	return transact(ctx, extra, func(c *conn) (*registry.Tx, string, error) {
		if grant {
			tx, err := c.GrantRole(c.ctx, code, role, account)
			return tx, fmt.Sprintf("Granted %s of %s to %s", role, code, account.Hex()), err
		}
		tx, err := c.RevokeRole(c.ctx, code, role, account)
		return tx, fmt.Sprintf("Revoked %s of %s from %s", role, code, account.Hex()), err
	})
}
