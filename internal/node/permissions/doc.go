// Package permissions decides which accounts may send transactions on a
// citychain network (ADR 051).
//
// The rule reads the on-chain Directory's storage at a block's state, so it
// is deterministic and the same on every node: an account may send a
// transaction if it is the Directory's owner (the city admin) or its pending
// owner, a Clique signer the Directory assigns to a department, or an account
// holding any role in an active department; it may create a contract only if
// it holds the deployer role. A Policy adds an optional local list of
// accounts (a node's own extension, never part of the consensus rule) and is
// what the transaction intake asks, at the head's state, so a role granted or
// revoked takes effect from the next block.
package permissions
