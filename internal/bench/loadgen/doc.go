// Package loadgen is citybench's load generator: deterministic test accounts, workloads
// that turn those accounts into pre-signed transactions, a runner that pushes them to a
// node over batched JSON-RPC and watches them get mined, and the report it produces.
//
// Everything the runner does is bounded: every wait has a timeout, the run stops by itself,
// and targets are loopback addresses unless the caller allows otherwise.
package loadgen
