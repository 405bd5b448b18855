package node_test

import (
	"testing"
)

// TestGossipBatchOffByDefault: ADR 099's batch admission of gossiped
// transactions runs only with --txpool.gossipbatch (ADR 099, amendment 1);
// its metric is registered exactly when it runs.
func TestGossipBatchOffByDefault(t *testing.T) {
	for _, on := range []bool{false, true} {
		cfg, _ := devConfig(t, 1337, nil)
		cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover = "127.0.0.1", 0, true
		cfg.TxPool.GossipBatch = on
		cfg.Metrics.Enabled, cfg.Metrics.Port = true, 0
		n := startNode(t, cfg)
		families, err := n.Metrics().Gather()
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, f := range families {
			names[f.GetName()] = true
		}
		if !names["citychain_p2p_stale_transactions_dropped_total"] {
			t.Fatalf("gossipbatch %v: citychain_p2p_stale_transactions_dropped_total missing: is p2p on in this test?", on)
		}
		have := names["citychain_p2p_gossip_transactions_total"]
		if have != on {
			t.Errorf("gossipbatch %v: citychain_p2p_gossip_transactions_total registered %v, want %v", on, have, on)
		}
	}
}
