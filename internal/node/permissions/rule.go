package permissions

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
)

// Storage slots of the Directory (contracts/src/Directory.sol documents its
// layout; TestRuleMatchesContract checks these against the contract's views).
const (
	slotOwner            = 0  // address
	slotPendingOwner     = 1  // address
	slotDepartments      = 2  // mapping(bytes32 => Department{string name; bool exists; bool active})
	slotMembers          = 4  // mapping(address => Member{bytes32 department; uint32 roles})
	slotSignerDepartment = 7  // mapping(address => bytes32)
	maxRoles             = 32 // roles are bits of a uint32 mask

	deployerRole = uint8(contracts.RoleDeployer) // the role that may create contracts
)

var (
	// ErrNotPermitted is wrapped by the error returned for a sender the rules
	// do not let send transactions.
	ErrNotPermitted = errors.New("not permitted on this network")
	// ErrCreateNotPermitted is wrapped by the error returned for a contract
	// creation by an account without the deployer role.
	ErrCreateNotPermitted = errors.New("not permitted to create contracts on this network")
)

// DeniedError says which account was refused and what an operator does about it.
type DeniedError struct {
	Account common.Address
	Create  bool // the account may send transactions but not create contracts
}

// Error implements error.
func (e *DeniedError) Error() string {
	if e.Create {
		return fmt.Sprintf("account %s is %v: grant it the %s role with cityctl dept grant", e.Account.Hex(), ErrCreateNotPermitted, contracts.RoleDeployer)
	}
	return fmt.Sprintf("account %s is %v: grant it a role with cityctl dept grant", e.Account.Hex(), ErrNotPermitted)
}

// Unwrap returns ErrNotPermitted or ErrCreateNotPermitted.
func (e *DeniedError) Unwrap() error {
	if e.Create {
		return ErrCreateNotPermitted
	}
	return ErrNotPermitted
}

// State reads contract storage. *state.StateDB satisfies it.
type State interface {
	GetState(addr common.Address, slot common.Hash) common.Hash
}

// Rule is the on-chain part of the permissions: the Directory at a block's
// state. The zero Rule reads the Directory at its fixed address.
type Rule struct {
	Directory common.Address // zero: contracts.DirectoryAddress
}

// Check returns nil if from may send a transaction (a contract creation if
// create is set) at state st, or a *DeniedError.
func (r Rule) Check(st State, from common.Address, create bool) error {
	d := r.dir()
	if create {
		// Why: deploying code is a role of its own, even for the admin.
		if !r.hasRole(st, d, from, deployerRole) {
			return &DeniedError{Account: from, Create: r.Member(st, from)}
		}
		return nil
	}
	if !r.Member(st, from) {
		return &DeniedError{Account: from}
	}
	return nil
}

// Member reports whether from may send transactions (other than contract
// creations) at state st.
func (r Rule) Member(st State, from common.Address) bool {
	d := r.dir()
	owner := common.BytesToAddress(st.GetState(d, slotHash(slotOwner)).Bytes())
	pending := common.BytesToAddress(st.GetState(d, slotHash(slotPendingOwner)).Bytes())
	switch {
	case from == owner || from == pending:
		return true
	case st.GetState(d, mapSlot(common.BytesToHash(from.Bytes()), slotSignerDepartment)) != (common.Hash{}):
		return true
	}
	dept, roles := r.member(st, d, from)
	return roles != 0 && r.active(st, d, dept)
}

func (r Rule) dir() common.Address {
	if r.Directory == (common.Address{}) {
		return contracts.DirectoryAddress
	}
	return r.Directory
}

// hasRole reports whether from holds role in an active department.
func (r Rule) hasRole(st State, d, from common.Address, role uint8) bool {
	dept, roles := r.member(st, d, from)
	return roles&(1<<role) != 0 && r.active(st, d, dept)
}

// member reads _members[from]: its department and role mask.
func (r Rule) member(st State, d, from common.Address) (common.Hash, uint32) {
	base := mapSlot(common.BytesToHash(from.Bytes()), slotMembers)
	dept := st.GetState(d, base)
	word := st.GetState(d, offset(base, 1))
	roles := uint32(word[28])<<24 | uint32(word[29])<<16 | uint32(word[30])<<8 | uint32(word[31])
	return dept, roles
}

// active reads _departments[dept].active (byte 1 of the struct's second slot,
// after exists in byte 0).
func (r Rule) active(st State, d common.Address, dept common.Hash) bool {
	word := st.GetState(d, offset(mapSlot(dept, slotDepartments), 1))
	return word[30] != 0
}

// slotHash returns the storage key of a fixed slot.
func slotHash(n uint64) common.Hash {
	return common.BigToHash(new(big.Int).SetUint64(n))
}

// mapSlot returns the storage key of mapping[key] at slot n:
// keccak256(key . uint256(n)).
func mapSlot(key common.Hash, n uint64) common.Hash {
	return crypto.Keccak256Hash(key.Bytes(), slotHash(n).Bytes())
}

// offset returns the key k+i, the i-th slot of a struct stored at k.
func offset(k common.Hash, i uint64) common.Hash {
	return common.BigToHash(new(big.Int).Add(k.Big(), new(big.Int).SetUint64(i)))
}

// ErrorCode returns the JSON-RPC error code of a refusal: -32003,
// "transaction rejected" (EIP-1474).
func (e *DeniedError) ErrorCode() int { return -32003 }
