package join

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/internal/node/peertap"
)

// snapPeerOverPipe connects a snap/1 peer to tap over a pipe; answer plays
// the peer: it gets each request the tap's users send and answers it, or
// not. The connection's handler (geth's, in the node) discards what it reads.
func snapPeerOverPipe(t *testing.T, tap *peertap.Tap, id enode.ID, answer func(remote p2p.MsgReadWriter, msg p2p.Msg)) {
	t.Helper()
	local, remote := p2p.MsgPipe()
	proto := tap.Wrap(p2p.Protocol{Name: snap.ProtocolName, Version: snap.SNAP1, Length: 8, Run: func(_ *p2p.Peer, rw p2p.MsgReadWriter) error {
		for {
			msg, err := rw.ReadMsg()
			if err != nil {
				return err
			}
			_ = msg.Discard()
		}
	}})
	done := make(chan struct{}, 2)
	go func() {
		defer func() { done <- struct{}{} }()
		_ = proto.Run(p2p.NewPeer(id, "peer", nil), local)
	}()
	go func() {
		defer func() { done <- struct{}{} }()
		for {
			msg, err := remote.ReadMsg()
			if err != nil {
				return
			}
			answer(remote, msg)
		}
	}()
	t.Cleanup(func() {
		local.Close()
		<-done
		<-done
	})
}

// emptyAccountRanges answers every account range request with no accounts
// and no proof: what a peer that does not hold the root (pruned, or not
// yet there) answers.
func emptyAccountRanges(remote p2p.MsgReadWriter, msg p2p.Msg) {
	var req snap.GetAccountRangePacket
	if msg.Code != snap.GetAccountRangeMsg || msg.Decode(&req) != nil {
		_ = msg.Discard()
		return
	}
	_ = p2p.Send(remote, snap.AccountRangeMsg, &snap.AccountRangePacket{ID: req.ID})
}

// silent reads every request and answers none.
func silent(_ p2p.MsgReadWriter, msg p2p.Msg) { _ = msg.Discard() }

// TestStateGivesUpWithoutProgress: with a snap/1 peer connected that never
// serves the pivot's state, the state download ends with an error naming
// the stall once nothing arrived for the driver's stall time, instead of
// waiting for ever (go-ethereum's syncer never asks again a peer that
// answered empty, and asks a silent one again and again; the peer stays
// connected). The follower then tries the join again toward a newer head
// (ADR 084, amendment 8).
func TestStateGivesUpWithoutProgress(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(p2p.MsgReadWriter, p2p.Msg)
	}{
		{"empty answers", emptyAccountRanges},
		{"no answers", silent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := rawdb.NewMemoryDatabase()
			cfg := core.DefaultConfig()
			cfg.StateScheme = rawdb.PathScheme
			chain, err := core.NewBlockChain(db, &core.Genesis{Config: params.AllEthashProtocolChanges, BaseFee: big.NewInt(params.InitialBaseFee)}, ethash.NewFaker(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(chain.Stop)
			tap := peertap.NewSnap()
			snapPeerOverPipe(t, tap, enode.ID{1}, tc.answer)
			d := New(Config{Chain: chain, DB: db, Snap: tap})
			d.stateStall = 500 * time.Millisecond
			pivot := &types.Header{Number: big.NewInt(5), Root: common.HexToHash("0x5a")}

			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			err = d.state(ctx, pivot)
			if err == nil || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no state arrived") {
				t.Fatalf("state download from a peer serving nothing: err %v after %v, want one saying no state arrived", err, time.Since(start))
			}
			if chain.HasState(pivot.Root) {
				t.Error("the pivot's state is held")
			}
		})
	}
}
