// Package registry is the client side of the municipal registry: a Client
// over JSON-RPC that reads the Directory, Documents and PropertyTitles
// contracts at their fixed addresses, sends EIP-1559 transactions signed with
// a keystore key, waits for their receipts with a bounded wait and turns every
// revert into the contract's custom error ("NotIssuer(0x...)"). It also
// checks the code at the fixed addresses against the committed artifacts
// (code.go), reads and writes batch files of documents with their Merkle
// proofs (batch.go), and registers the "document" and "title" record kinds of
// internal/client/audit, computed from the artifacts' storage layouts (records.go).
//
// cmd/cityctl's dept, doc, title and contracts commands are thin wrappers
// around it; the load generator uses its encoders.
package registry
