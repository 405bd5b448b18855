package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/citychain/citychain/consensus/forkchoice"
	"github.com/citychain/citychain/consensus/sealer"
	"github.com/citychain/citychain/internal/node/gossip"
	"github.com/citychain/citychain/internal/node/gossiptx"
	"github.com/citychain/citychain/internal/node/txintake"
)

// Peers counts connected devp2p peers. *p2p.Server satisfies it.
type Peers interface{ PeerCount() int }

// Gossip reports block gossip's counters. *gossip.Service satisfies it.
type Gossip interface{ Metrics() gossip.Metrics }

// RegisterP2P registers the citychain_p2p_* metrics: devp2p peers and, when
// g is not nil, block gossip.
func RegisterP2P(reg prometheus.Registerer, peers Peers, g Gossip) {
	s := &scrape{metrics: []metric{
		gauge("citychain_p2p_peers", "Connected devp2p peers (all protocols).", func() float64 { return float64(peers.PeerCount()) }),
	}}
	if g != nil {
		var m gossip.Metrics
		s.before = func() { m = g.Metrics() }
		s.metrics = append(s.metrics,
			gauge("citychain_p2p_block_peers", "Peers past the block gossip (poa/1) handshake.", func() float64 { return float64(m.Peers) }),
			counter("citychain_p2p_blocks_received_total", "Blocks peers sent unasked (NewBlock).", func() float64 { return float64(m.BlocksReceived) }),
			counter("citychain_p2p_blocks_fetched_total", "Blocks received in answer to our requests (missing ancestors, announced hashes).", func() float64 { return float64(m.BlocksFetched) }),
			counter("citychain_p2p_blocks_imported_total", "Received blocks that fork choice accepted.", func() float64 { return float64(m.BlocksImported) }),
			counter("citychain_p2p_blocks_gossiped_total", "Full blocks queued to peers (NewBlock).", func() float64 { return float64(m.BlocksSent) }),
			counter("citychain_p2p_block_announcements_sent_total", "Block hashes announced to peers (NewBlockHashes).", func() float64 { return float64(m.HashesSent) }),
			counter("citychain_p2p_block_announcements_received_total", "Block hashes peers announced.", func() float64 { return float64(m.HashesReceived) }),
			counter("citychain_p2p_blocks_served_total", "Blocks sent in answer to peers' requests.", func() float64 { return float64(m.BlocksServed) }),
			counter("citychain_p2p_sync_requests_total", "Catch-up syncs started toward a peer's head.", func() float64 { return float64(m.SyncRequests) }),
			counterVec("citychain_p2p_blocks_rejected_total", "Received blocks that did not make it into the chain, by reason (invalid, ancestry, error).", []string{"reason"},
				func(emit func(float64, ...string)) {
					for r := range m.Rejected {
						emit(float64(m.Rejected[r]), gossip.RejectReason(r).String())
					}
				}),
			counterVec("citychain_p2p_peers_dropped_total", "Peers disconnected by block gossip, by reason.", []string{"reason"},
				func(emit func(float64, ...string)) {
					for r := range m.Dropped {
						emit(float64(m.Dropped[r]), gossip.DropReason(r).String())
					}
				}),
			counter("citychain_p2p_messages_overflowed_total", "Messages dropped because a peer's send queue was full.", func() float64 { return float64(m.Overflow) }),
		)
	}
	reg.MustRegister(s)
}

// StaleTransactions counts gossiped transactions dropped as already mined.
// *staletx.Set satisfies it.
type StaleTransactions interface{ Dropped() uint64 }

// RegisterStaleTransactions registers
// citychain_p2p_stale_transactions_dropped_total.
func RegisterStaleTransactions(reg prometheus.Registerer, st StaleTransactions) {
	reg.MustRegister(&scrape{metrics: []metric{
		counter("citychain_p2p_stale_transactions_dropped_total", "Transactions peers sent that were already in a recent block or one being imported, dropped before geth's fetcher (which would have throttled the peer's connection for them).",
			func() float64 { return float64(st.Dropped()) }),
	}})
}

// GossipTransactions counts gossiped transactions admitted to the pool
// ahead of geth's eth handler. *gossiptx.Admitter satisfies it.
type GossipTransactions interface{ Stats() gossiptx.Stats }

// RegisterGossipTransactions registers
// citychain_p2p_gossip_transactions_total{result}.
func RegisterGossipTransactions(reg prometheus.Registerer, g GossipTransactions) {
	reg.MustRegister(&scrape{metrics: []metric{
		counterVec("citychain_p2p_gossip_transactions_total", "Transactions peers sent, put into the pool with their senders recovered on every core before geth's eth handler: added, known (already pooled), refused by the pool, dropped (refused ones taken out of the message so that geth does not check them again), announced (all pooled: handed to geth as an announcement of their hashes).", []string{"result"},
			func(emit func(float64, ...string)) {
				st := g.Stats()
				emit(float64(st.Added), "added")
				emit(float64(st.Known), "known")
				emit(float64(st.Refused), "refused")
				emit(float64(st.Dropped), "dropped")
				emit(float64(st.Announced), "announced")
			}),
	}})
}

// Pool reports the transaction pool's size. *txpool.TxPool satisfies it.
type Pool interface{ Stats() (pending, queued int) }

// Intake reports the transaction intake's counters. *txintake.Intake
// satisfies it.
type Intake interface{ Metrics() txintake.Metrics }

// RegisterTxPool registers the citychain_txpool_* metrics: the pool's size
// and, when in is not nil, the intake's counters.
func RegisterTxPool(reg prometheus.Registerer, pool Pool, in Intake) {
	var pending, queued int
	var m txintake.Metrics
	s := &scrape{
		before: func() {
			pending, queued = pool.Stats()
			if in != nil {
				m = in.Metrics()
			}
		},
		metrics: []metric{
			gauge("citychain_txpool_pending", "Executable transactions in the pool.", func() float64 { return float64(pending) }),
			gauge("citychain_txpool_queued", "Transactions in the pool waiting for a lower nonce.", func() float64 { return float64(queued) }),
		},
	}
	if in != nil {
		s.metrics = append(s.metrics,
			counter("citychain_txpool_accepted_total", "Transactions submitted over JSON-RPC that the pool accepted.", func() float64 { return float64(m.Accepted) }),
			counter("citychain_txpool_deferred_total", "Submitted transactions the pool refused for now (full, underpriced), held for resubmission.", func() float64 { return float64(m.Deferred) }),
			counterVec("citychain_txpool_rejected_total", "Submitted transactions refused, by reason.", []string{"reason"},
				func(emit func(float64, ...string)) {
					for r := range m.Rejected {
						emit(float64(m.Rejected[r]), txintake.RejectClass(r).String())
					}
				}),
			counter("citychain_txpool_resubmitted_total", "Held or evicted transactions the pool accepted again.", func() float64 { return float64(m.Resubmitted) }),
			counter("citychain_txpool_mined_total", "Submitted transactions found in a canonical block.", func() float64 { return float64(m.Mined) }),
			counter("citychain_txpool_replaced_total", "Submitted transactions whose nonce another transaction used.", func() float64 { return float64(m.Replaced) }),
			counter("citychain_txpool_dropped_total", "Submitted transactions given up on (each logged with its reason).", func() float64 { return float64(m.Dropped) }),
			gauge("citychain_txpool_tracked", "Submitted transactions followed until mined, replaced or dropped.", func() float64 { return float64(m.Tracked) }),
			gauge("citychain_txpool_journal_size_bytes", "Size of the transaction journal file.", func() float64 { return float64(m.Journal.Size) }),
			gauge("citychain_txpool_journal_records", "Records in the transaction journal.", func() float64 { return float64(m.Journal.Records) }),
			counter("citychain_txpool_journal_written_bytes_total", "Bytes appended to the transaction journal.", func() float64 { return float64(m.Journal.Written) }),
			counter("citychain_txpool_journal_errors_total", "Failed journal appends, syncs and rewrites.", func() float64 { return float64(m.Journal.Errors) }),
			counter("citychain_txpool_journal_compactions_total", "Journal rewrites that dropped settled transactions.", func() float64 { return float64(m.Journal.Compacted) }),
		)
	}
	reg.MustRegister(s)
}

// Sealer reports the local sealer's counters. *sealer.Sealer satisfies it.
type Sealer interface{ Stats() sealer.Stats }

// RegisterSealer registers the citychain_sealer_* metrics of this node's own
// sealer.
func RegisterSealer(reg prometheus.Registerer, sl Sealer) {
	var st sealer.Stats
	reg.MustRegister(&scrape{
		before: func() { st = sl.Stats() },
		metrics: []metric{
			counterVec("citychain_sealer_blocks_sealed_total", "Blocks this node signed, by turn (in, out).", []string{"turn"},
				func(emit func(float64, ...string)) {
					emit(float64(st.InTurn), "in")
					emit(float64(st.Sealed-st.InTurn), "out")
				}),
			counter("citychain_sealer_transactions_sealed_total", "Transactions in blocks this node signed.", func() float64 { return float64(st.Txs) }),
			counter("citychain_sealer_blocks_abandoned_total", "Blocks this node dropped unsigned because the head moved first.", func() float64 { return float64(st.Abandons) }),
			counter("citychain_sealer_gave_way_total", "Out-of-turn blocks this node dropped unsigned for another signer's block of the same height.", func() float64 { return float64(st.GaveWay) }),
			counter("citychain_sealer_transactions_discarded_total", "Transactions executed into blocks this node then dropped unsigned (abandoned or gave way).", func() float64 { return float64(st.Discarded) }),
			counter("citychain_sealer_sign_failures_total", "Blocks not sealed because the signer (an external signer) did not answer or refused.", func() float64 { return float64(st.SignFailures) }),
			gauge("citychain_sealer_signer_available", "1 if the last attempt to sign succeeded (or none was made yet), 0 if the signer did not answer or refused.", func() float64 {
				if st.SignerDown {
					return 0
				}
				return 1
			}),
		},
	})
}

// ForkChoice reports fork choice's counters. *forkchoice.ForkChoice
// satisfies it.
type ForkChoice interface{ Stats() forkchoice.Stats }

// RegisterForkChoice registers the citychain_forkchoice_* metrics.
func RegisterForkChoice(reg prometheus.Registerer, fc ForkChoice) {
	var st forkchoice.Stats
	reg.MustRegister(&scrape{
		before: func() { st = fc.Stats() },
		metrics: []metric{
			counter("citychain_forkchoice_head_extensions_total", "Blocks that extended the head.", func() float64 { return float64(st.Extended) }),
			counter("citychain_forkchoice_blocks_stored_with_state_total", "Blocks sealed here and stored with the sealer's state, not executed again.", func() float64 { return float64(st.StoredWithState) }),
			counter("citychain_forkchoice_blocks_stored_stateless_total", "Side blocks stored without executing them (their parent's state was gone).", func() float64 { return float64(st.StoredStateless) }),
			counter("citychain_forkchoice_side_blocks_total", "Blocks stored on a side branch.", func() float64 { return float64(st.SideBlocks) }),
			counter("citychain_forkchoice_reorgs_total", "Reorganisations to another branch.", func() float64 { return float64(st.Reorgs) }),
			gauge("citychain_forkchoice_reorg_depth_max_blocks", "Most canonical blocks one reorganisation replaced since start.", func() float64 { return float64(st.MaxReorgDepth) }),
			counter("citychain_forkchoice_invalid_blocks_total", "Blocks refused as invalid.", func() float64 { return float64(st.Invalid) }),
			counter("citychain_forkchoice_finalized_conflicts_total", "Blocks refused because they are off the finalized branch.", func() float64 { return float64(st.FinalizedConflicts) }),
		},
	})
}

// BlockPermissions counts blocks refused by the permissions rule.
// *permissions.Processor satisfies it.
type BlockPermissions interface{ Refused() uint64 }

// RegisterBlockPermissions registers
// citychain_chain_blocks_not_permitted_total, on a chain with a permissions
// block (ADR 048).
func RegisterBlockPermissions(reg prometheus.Registerer, p BlockPermissions) {
	reg.MustRegister(&scrape{metrics: []metric{
		counter("citychain_chain_blocks_not_permitted_total", "Blocks refused because a transaction's sender was not permitted by the Directory at the parent block (from the permissions block on).",
			func() float64 { return float64(p.Refused()) }),
	}})
}

// StatePersist reports how far the state on disk is behind the head.
// internal/node's diskState satisfies it.
type StatePersist interface{ BlocksSinceStatePersist() uint64 }

// RegisterStatePersist registers
// citychain_chain_blocks_since_state_persist (ADR 088).
func RegisterStatePersist(reg prometheus.Registerer, sp StatePersist) {
	reg.MustRegister(&scrape{metrics: []metric{
		gauge("citychain_chain_blocks_since_state_persist", "Blocks between the head and the newest block whose state is on disk: a restart after a crash (SIGKILL, power loss) executes them again before it answers (bounded by --history.state; ADR 088). After a clean shutdown the state journal may cover some of them.",
			func() float64 { return float64(sp.BlocksSinceStatePersist()) }),
	}})
}
