package contracts

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Deployer is the keyless account whose CREATE addresses are the registry's
// fixed addresses: keccak256("citychain registry deployer")[12:]. Nobody holds
// a key for it (finding one means inverting keccak256 and secp256k1), so no
// transaction can ever come from it; genesis does not even allocate it. The
// registry's contracts are built by running their constructors "from" it at
// nonces 0, 1, 2, ... in an in-memory EVM (package predeploy), so they sit at
// the addresses a real deployment from it would give them, and
// address(this) is right in every constructor.
var Deployer = common.BytesToAddress(crypto.Keccak256([]byte("citychain registry deployer"))[12:])

// Deployment nonces of the Deployer: the address of each pre-deployed
// contract is crypto.CreateAddress(Deployer, nonce). Later services take the
// next nonces; a nonce is never reused for another contract.
const (
	DirectoryNonce      = 0
	DocumentsNonce      = 1
	PropertyTitlesNonce = 2
	MarketStallsNonce   = 3
	PollsNonce          = 4
	// AnchorsNonce: Anchors is pre-deployed in genesis files made from this
	// release on; a network made before deploys it by hand (cityctl anchor
	// deploy), at another address, and names it in the Directory (ADR 061).
	AnchorsNonce = 5
)

// AddressAt returns the fixed address of the contract deployed at nonce.
func AddressAt(nonce uint64) common.Address {
	return crypto.CreateAddress(Deployer, nonce)
}

// Fixed addresses of the pre-deployed registry contracts, the same on every
// citychain network.
var (
	DirectoryAddress      = AddressAt(DirectoryNonce)
	DocumentsAddress      = AddressAt(DocumentsNonce)
	PropertyTitlesAddress = AddressAt(PropertyTitlesNonce)
	MarketStallsAddress   = AddressAt(MarketStallsNonce)
	PollsAddress          = AddressAt(PollsNonce)
	// AnchorsAddress is where new genesis files put Anchors; on a network
	// whose genesis predates it, the Directory's service "anchors" says
	// where the admin deployed it.
	AnchorsAddress = AddressAt(AnchorsNonce)
)

// Role is a Directory role number (IDirectory.sol, library Roles).
type Role uint8

// Directory roles. The numbers are part of the on-chain interface.
const (
	RoleIssuer         Role = 0 // issues, revokes, supersedes documents (Documents)
	RoleRegistrar      Role = 1 // registers parcels and liens, approves transfers (PropertyTitles)
	RoleMarketOperator Role = 2 // runs markets and stalls
	RolePollAdmin      Role = 3 // opens, closes and tallies polls
	RoleRelayer        Role = 4 // relays signed ballots
	// RoleDeployer may create contracts where permissions are on (ADR 051).
	// The Directory accepts any role below 32, so the contract needs no change.
	RoleDeployer Role = 5
	// RoleAnchorRelayer posts checkpoints of external chains (Anchors,
	// ANCHOR_RELAYER; ADR 061).
	RoleAnchorRelayer Role = 6
)

// roleNames are the names Role.String and ParseRole use.
var roleNames = []string{"issuer", "registrar", "market-operator", "poll-admin", "relayer", "deployer", "anchor-relayer"}

// Roles returns every defined role.
func Roles() []Role {
	return []Role{RoleIssuer, RoleRegistrar, RoleMarketOperator, RolePollAdmin, RoleRelayer, RoleDeployer, RoleAnchorRelayer}
}

// String returns the role's name ("issuer", "registrar", ...).
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("role%d", uint8(r))
}

// ParseRole returns the role with the given name.
func ParseRole(name string) (Role, error) {
	for i, n := range roleNames {
		if n == name {
			return Role(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q: want one of %s", ErrUnknownRole, name, strings.Join(roleNames, ", "))
}
