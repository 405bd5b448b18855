// Package metrics exposes a citynode's state to Prometheus: its own registry
// (never the global one), collectors that read the chain, the sealer, block
// gossip, the transaction pool and the intake at scrape time, a chain watcher
// that counts blocks by signer and turn as they are imported, JSON-RPC
// requests by method, and the HTTP server that serves them on /metrics.
//
// Every metric is named citychain_<subsystem>_<name>_<unit>, counters end in
// _total, and every label has a bounded set of values: signer addresses are
// bounded by the signer set, JSON-RPC methods by the methods the server
// registers (any other name is counted as "other"). docs/operations.md lists
// them all, with the alert rules in docker/prometheus.
package metrics
