// Package signers is what operators use to run the set of authority signers
// of a citychain network: a health report computed from a node's headers and
// Clique snapshot (who sealed last, in-turn slots missed, who may seal next,
// votes in flight, warnings before the chain stalls), the votes that change
// the set, and the join request with which a department asks to become a
// signer.
//
// The computation (Compute) is pure and works on headers in memory; Client
// fetches its input from a node over JSON-RPC (clique_* and city_sealer).
// cmd/cityctl only parses flags and prints.
package signers
