// Package upstream is citygate's pool of citynode rpc nodes: it probes each
// node (its head, its finalized block, its /health/ready when the node has
// one), takes out a node that fails, is not ready, or lags more than MaxLag
// blocks behind the best of the others, and runs each call on a ready node,
// once more on another ready node if the first fails for a reason of the
// node (connection refused or reset, timeout, HTTP 5xx), never for an answer
// (a JSON-RPC error, a revert).
//
// A request reads at a View of the node that serves it: the node's
// finalized block by default, its latest block, or a block number. A view
// names the block's number and hash, so that answers can be cached per
// block hash.
package upstream
