// Package txintake accepts transactions from RPC clients and sees each one
// through to an outcome: mined, replaced by another transaction with the same
// nonce, or dropped with a reason. Nothing a client was told is accepted is
// lost silently.
//
// It replaces go-ethereum's core/txpool/locals.TxTracker, which journals only
// every Rejournal interval (so a SIGKILL loses what arrived since) and rechecks
// the pool once a minute. The node runs the pool with TxPool.NoLocals and wires
// this package in front of it instead.
//
// The parts:
//
//   - Journal: an append-only file of accepted raw transactions, one CRC-checked
//     record each. Append writes a batch with a single write(2) before the RPC
//     call returns, so the data is in the kernel's page cache and survives the
//     process being killed; a background fsync (Config.SyncInterval, 1 s by
//     default) bounds what a power failure or kernel crash can lose to that
//     interval. A torn last record is truncated on open. Rewrite compacts the
//     file atomically (temporary file, fsync, rename, fsync of the directory).
//   - Intake: a node.Lifecycle. Submit checks, pools, journals and tracks
//     transactions; Start re-adds journaled transactions whose nonce is still
//     unused; a tracker detects mined and replaced transactions on every new
//     head, revisiting only the senders the head's blocks name (a reorg or a
//     gap gets a check of everything), resubmits tracked transactions the pool
//     evicted (asking the pool every Config.Recheck), and reports a
//     transaction dropped (with a warning log line) when the pool refuses it for
//     good or after Config.MaxResubmits resubmissions. ADR 103 has the design.
//   - APIs: eth_sendRawTransaction (registered after geth's, it replaces geth's
//     method with the same client-visible semantics and errors, minus the
//     per-transaction Info log), city_sendRawTransactions for bulk submission and
//     city_transactionStatus.
package txintake
