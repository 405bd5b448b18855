package signers

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/genesis/joinrequest"
)

// Department is a city department as the signer reports show it.
type Department = joinrequest.Department

// JoinRequest is a department's request to become a signer (the file
// format lives in genesis/joinrequest, which the genesis ceremony reads too).
type JoinRequest = joinrequest.Request

// DepartmentResolver tells which department a signer belongs to: Directory
// (the on-chain department directory), Static (join requests), NoDirectory,
// or several in turn (Resolvers).
type DepartmentResolver interface {
	// DepartmentOf returns the department of signer; ok is false if the
	// resolver does not know the signer.
	DepartmentOf(ctx context.Context, signer common.Address) (code, name string, ok bool, err error)
}

// NoDirectory is the resolver of a network without a department directory:
// it knows no signer.
type NoDirectory struct{}

// DepartmentOf implements DepartmentResolver.
func (NoDirectory) DepartmentOf(context.Context, common.Address) (string, string, bool, error) {
	return "", "", false, nil
}

// Static resolves signers from a fixed map, such as one built from the join
// requests an operator kept.
type Static map[common.Address]Department

// DepartmentOf implements DepartmentResolver.
func (s Static) DepartmentOf(_ context.Context, signer common.Address) (string, string, bool, error) {
	d, ok := s[signer]
	return d.Code, d.Name, ok, nil
}

// Annotate fills in the department of every signer and proposal of r that
// resolver knows.
func Annotate(ctx context.Context, r *Report, resolver DepartmentResolver) error {
	if resolver == nil {
		return nil
	}
	lookup := func(a common.Address) (*Department, error) {
		code, name, ok, err := resolver.DepartmentOf(ctx, a)
		if err != nil || !ok {
			return nil, err
		}
		return &Department{Code: code, Name: name}, nil
	}
	for i := range r.Signers {
		d, err := lookup(r.Signers[i].Address)
		if err != nil {
			return fmt.Errorf("department of signer %s: %w", r.Signers[i].Address.Hex(), err)
		}
		r.Signers[i].Department = d
	}
	for i := range r.Proposals {
		d, err := lookup(r.Proposals[i].Address)
		if err != nil {
			return fmt.Errorf("department of %s: %w", r.Proposals[i].Address.Hex(), err)
		}
		r.Proposals[i].Department = d
	}
	return nil
}
