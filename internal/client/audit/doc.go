// Package audit holds what an auditor checks without trusting any department:
// self-contained Merkle proofs of accounts and storage slots at a block,
// verified offline against a trusted block hash (proof.go, prove.go,
// verify.go), and the signer-set history replayed from headers with the
// Clique engine's own rules (signers.go).
package audit
