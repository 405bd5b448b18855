package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
)

var deptCommand = &cli.Command{
	Name:  "dept",
	Usage: "city departments in the Directory: list them; the city admin adds them and grants roles",
	Subcommands: []*cli.Command{
		{
			Name:   "list",
			Usage:  "list departments, their accounts with roles, and their signers",
			Flags:  readFlags(),
			Action: deptList,
		},
		{
			Name:      "add",
			Usage:     "add a department (city admin)",
			ArgsUsage: "CODE NAME",
			Flags:     writeFlags(),
			Action:    deptAdd,
		},
		{
			Name:      "grant",
			Usage:     "let an account act for a department in a role (city admin); roles: " + roleList(),
			ArgsUsage: "CODE ROLE ACCOUNT",
			Flags:     writeFlags(),
			Action:    func(ctx *cli.Context) error { return deptRole(ctx, true) },
		},
		{
			Name:      "revoke",
			Usage:     "take a role away from an account (city admin)",
			ArgsUsage: "CODE ROLE ACCOUNT",
			Flags:     writeFlags(),
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
	c, cctx, done, err := openClient(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	admin, err := c.Admin(cctx)
	if err != nil {
		return fail(err)
	}
	depts, err := c.Departments(cctx)
	if err != nil {
		return fail(err)
	}
	if ctx.Bool(jsonOutFlag.Name) {
		return outJSON(ctx, map[string]any{"admin": admin, "departments": depts})
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "City admin: %s\n", admin.Hex())
	for _, d := range depts {
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
	return nil
}

func deptAdd(ctx *cli.Context) error {
	if ctx.NArg() != 2 {
		return cli.Exit("usage: cityctl dept add --keystore FILE --password FILE CODE NAME", 2)
	}
	code, name := ctx.Args().Get(0), ctx.Args().Get(1)
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	tx, err := c.AddDepartment(cctx, code, name)
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, fmt.Sprintf("Added department %s %q", code, name), map[string]any{"code": code, "name": name})
}

func deptRole(ctx *cli.Context, grant bool) error {
	verb := map[bool]string{true: "grant", false: "revoke"}[grant]
	if ctx.NArg() != 3 {
		return cli.Exit(fmt.Sprintf("usage: cityctl dept %s --keystore FILE --password FILE CODE ROLE ACCOUNT (roles: %s)", verb, roleList()), 2)
	}
	code := ctx.Args().Get(0)
	role, err := contracts.ParseRole(ctx.Args().Get(1))
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	account, err := parseAddress("account", ctx.Args().Get(2))
	if err != nil {
		return err
	}
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	extra := map[string]any{"code": code, "role": role.String(), "account": account}
	if grant {
		tx, err := c.GrantRole(cctx, code, role, account)
		if err != nil {
			return fail(err)
		}
		return printTx(ctx, tx, fmt.Sprintf("Granted %s of %s to %s", role, code, account.Hex()), extra)
	}
	tx, err := c.RevokeRole(cctx, code, role, account)
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, fmt.Sprintf("Revoked %s of %s from %s", role, code, account.Hex()), extra)
}
