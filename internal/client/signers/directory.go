package signers

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
)

// Directory resolves signers through the municipal registry's Directory
// contract at its fixed address (docs/contracts.md): signerDepartment, then
// departmentInfo for the name. On a chain without the registry it knows no
// signer. It reads the latest block's Directory unless At names a block.
type Directory struct {
	c   *Client
	abi *directory.Directory
	at  string // the block tag of every read: "latest" or a number
	ok  *bool  // whether the chain has the contract; nil until asked
}

// NewDirectory returns the resolver over the node c talks to, reading the
// Directory as it is at the latest block.
func NewDirectory(c *Client) *Directory {
	return &Directory{c: c, abi: directory.NewDirectory(), at: "latest"}
}

// At returns the resolver reading the Directory as it was at block number:
// a past event (a block sealed, a checkpoint anchored) is told with the
// departments and names of its own time, not changed by a department
// renamed or a signer unassigned later.
func (d *Directory) At(number uint64) *Directory {
	return &Directory{c: d.c, abi: d.abi, at: hexutil.EncodeUint64(number)}
}

// DepartmentOf implements DepartmentResolver.
func (d *Directory) DepartmentOf(ctx context.Context, signer common.Address) (string, string, bool, error) {
	if d.ok == nil {
		var code hexutil.Bytes
		if err := d.c.call(ctx, &code, "eth_getCode", contracts.DirectoryAddress, d.at); err != nil {
			return "", "", false, err
		}
		present := len(code) > 0
		d.ok = &present
	}
	if !*d.ok {
		return "", "", false, nil
	}
	out, err := d.ethCall(ctx, d.abi.PackSignerDepartment(signer))
	if err != nil {
		return "", "", false, err
	}
	dept, err := d.abi.UnpackSignerDepartment(out)
	if err != nil {
		return "", "", false, fmt.Errorf("decode signerDepartment(%s): %w", signer, err)
	}
	if dept == ([32]byte{}) {
		return "", "", false, nil
	}
	out, err = d.ethCall(ctx, d.abi.PackDepartmentInfo(dept))
	if err != nil {
		return "", "", false, err
	}
	info, err := d.abi.UnpackDepartmentInfo(out)
	if err != nil {
		return "", "", false, fmt.Errorf("decode departmentInfo: %w", err)
	}
	return contracts.String32(dept), info.Name, true, nil
}

func (d *Directory) ethCall(ctx context.Context, data []byte) ([]byte, error) {
	var out hexutil.Bytes
	msg := map[string]any{"to": contracts.DirectoryAddress, "data": hexutil.Bytes(data)}
	if err := d.c.call(ctx, &out, "eth_call", msg, d.at); err != nil {
		return nil, err
	}
	return out, nil
}

// Resolvers tries each resolver in turn and returns the first answer.
type Resolvers []DepartmentResolver

// DepartmentOf implements DepartmentResolver.
func (rs Resolvers) DepartmentOf(ctx context.Context, signer common.Address) (string, string, bool, error) {
	for _, r := range rs {
		code, name, ok, err := r.DepartmentOf(ctx, signer)
		if err != nil || ok {
			return code, name, ok, err
		}
	}
	return "", "", false, nil
}
