package audit

import "errors"

// Errors returned by proof verification and the signer audit. Callers and
// tests check them with errors.Is.
var (
	// ErrNotCanonical is returned if a proof file is not byte for byte the
	// encoding cityctl writes (edited whitespace, letter case, field order or
	// unknown fields): every byte of a proof file is covered.
	ErrNotCanonical = errors.New("proof file is not in canonical form")

	// ErrUnsupportedVersion is returned if a proof file has a version this
	// build does not know.
	ErrUnsupportedVersion = errors.New("unsupported proof file version")

	// ErrUntrustedHeader is returned if the header in a proof file does not
	// hash to the trusted block hash.
	ErrUntrustedHeader = errors.New("header does not match the trusted block hash")

	// ErrHeaderFields is returned if the decoded header fields of a proof file
	// differ from its header RLP.
	ErrHeaderFields = errors.New("decoded header fields differ from the header RLP")

	// ErrBadProof is returned if a Merkle proof does not lead from its root to
	// the claimed value, or carries nodes off the proven path.
	ErrBadProof = errors.New("invalid merkle proof")

	// ErrClaimMismatch is returned if a claimed value (account field, storage
	// value or decoded record) differs from what the proof proves.
	ErrClaimMismatch = errors.New("claimed value differs from the proven value")

	// ErrUnknownRecord is returned if a proof file carries a record kind no
	// decoder is registered for.
	ErrUnknownRecord = errors.New("unknown record kind")

	// ErrRuleViolation is returned by the signer audit for the first block
	// that breaks a Clique rule.
	ErrRuleViolation = errors.New("clique rule violation")

	// ErrPermissionViolation is returned by the permissions audit if a block
	// from the permissions block on holds a transaction from an account the
	// Directory did not permit (ADR 048).
	ErrPermissionViolation = errors.New("permissions rule violation")

	// ErrFutureBlock is returned if state is asked for at a block above the
	// node's head: it has not been sealed yet.
	ErrFutureBlock = errors.New("block above the node's head")
)
