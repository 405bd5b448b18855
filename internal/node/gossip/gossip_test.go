package gossip

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/p2p"
)

// mainChain is the chain every test node starts from: genesis and 5 blocks.
var mainChain = extend(genesis, 5, "main")

// mainTD is the total difficulty of mainChain's head.
const mainTD = 1 + 2*5

func TestHandshake(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s := newService(t, testConfig(), chain)
	tp := connect(t, s, "A")

	ours := tp.handshake(status(mainChain[4], mainTD))
	want := status(mainChain[4], mainTD)
	if ours.NetworkID != want.NetworkID || ours.Genesis != want.Genesis || ours.Head != want.Head || ours.Number != want.Number || ours.TD.Cmp(want.TD) != 0 {
		t.Fatalf("have status %+v, want %+v", ours, want)
	}
	// A served request proves the read loop runs (after registration and the
	// catch-up check).
	tp.send(getBlocksMsg, &getBlocksPacket{RequestID: 1, Hash: mainChain[4].Hash(), Count: 1})
	tp.expect(blocksMsg)

	peers := s.Peers()
	wantPeers := []PeerInfo{{ID: tp.id, Head: mainChain[4].Hash(), Number: 5}}
	if !slices.Equal(peers, wantPeers) {
		t.Fatalf("have peers %+v, want %+v", peers, wantPeers)
	}
	if have := s.Metrics().Peers; have != 1 {
		t.Fatalf("have %d peers in metrics, want 1", have)
	}
	if have := len(chain.syncs); have != 0 {
		t.Fatalf("have %d SyncFrom calls for a peer level with us, want 0", have)
	}
	if info, ok := s.Protocols()[0].PeerInfo(tp.id).(*PeerInfo); !ok || info.Number != 5 {
		t.Fatalf("have protocol peer info %v, want number 5", s.Protocols()[0].PeerInfo(tp.id))
	}
	if info := s.Protocols()[0].NodeInfo().(*NodeInfo); info.Number != 5 || info.Genesis != genesis.Hash() {
		t.Fatalf("have node info %+v, want number 5 and the test genesis", info)
	}
}

func TestHandshakeFailures(t *testing.T) {
	tests := []struct {
		name    string
		cfg     func(*Config)
		remote  func(tp *testPeer)
		want    error
		dropped DropReason
	}{
		{
			name: "genesis mismatch",
			remote: func(tp *testPeer) {
				st := status(mainChain[4], mainTD)
				st.Genesis = common.HexToHash("0x01")
				tp.handshake(st)
			},
			want:    p2p.DiscUselessPeer,
			dropped: DropMismatch,
		},
		{
			name: "network mismatch",
			remote: func(tp *testPeer) {
				st := status(mainChain[4], mainTD)
				st.NetworkID++
				tp.handshake(st)
			},
			want:    p2p.DiscUselessPeer,
			dropped: DropMismatch,
		},
		{
			name: "no status in time",
			cfg:  func(c *Config) { c.HandshakeTimeout = 20 * time.Millisecond },
			remote: func(tp *testPeer) {
				tp.expect(statusMsg)
			},
			want:    p2p.DiscReadTimeout,
			dropped: DropTimeout,
		},
		{
			name: "another message before status",
			remote: func(tp *testPeer) {
				tp.expect(statusMsg)
				tp.send(newBlockHashesMsg, announcementsPacket{})
			},
			want:    p2p.DiscProtocolError,
			dropped: DropProtocol,
		},
		{
			name: "malformed status",
			remote: func(tp *testPeer) {
				tp.expect(statusMsg)
				tp.sendRaw(statusMsg, []byte{0xc1, 0x01})
			},
			want:    p2p.DiscProtocolError,
			dropped: DropMalformed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			s := newService(t, cfg, newFakeChain(mainChain...))
			tp := connect(t, s, "A")
			tt.remote(tp)
			if err := tp.result(); err != tt.want {
				t.Fatalf("have Run error %v, want %v", err, tt.want)
			}
			m := s.Metrics()
			if m.Dropped[tt.dropped] != 1 {
				t.Fatalf("have drops %v, want one for %s", m.Dropped, tt.dropped)
			}
			if m.Peers != 0 {
				t.Fatalf("have %d peers, want 0", m.Peers)
			}
		})
	}
}

// connected returns a test peer past the handshake, level with mainChain.
func connected(t *testing.T, s *Service, label string) *testPeer {
	t.Helper()
	tp := connect(t, s, label)
	tp.handshake(status(mainChain[4], mainTD))
	return tp
}

func TestMessageViolationsDropPeer(t *testing.T) {
	fork := extend(mainChain[2], 4, "fork") // blocks 4'..7'
	tests := []struct {
		name    string
		cfg     func(*Config)
		remote  func(tp *testPeer)
		want    error
		dropped DropReason
	}{
		{
			name: "oversized message is not decoded",
			cfg:  func(c *Config) { c.MaxMessageSize = 1024 },
			remote: func(tp *testPeer) {
				tp.sendRaw(newBlockMsg, bytes.Repeat([]byte{0xff}, 1025)) // would not decode either
			},
			want:    p2p.DiscProtocolError,
			dropped: DropOversized,
		},
		{
			name: "oversized block",
			cfg:  func(c *Config) { c.MaxMessageSize = 1024 },
			remote: func(tp *testPeer) {
				big := extend(mainChain[4], 1, strings.Repeat("x", 1024))[0]
				tp.send(newBlockMsg, &newBlockPacket{Block: big})
			},
			want:    p2p.DiscProtocolError,
			dropped: DropOversized,
		},
		{
			name:    "undecodable block",
			remote:  func(tp *testPeer) { tp.sendRaw(newBlockMsg, []byte{0xc3, 0x01, 0x02, 0x03}) },
			want:    p2p.DiscProtocolError,
			dropped: DropMalformed,
		},
		{
			name:    "trailing bytes",
			remote:  func(tp *testPeer) { tp.sendRaw(newBlockHashesMsg, []byte{0xc0, 0x00}) },
			want:    p2p.DiscProtocolError,
			dropped: DropMalformed,
		},
		{
			name: "too many announcements",
			remote: func(tp *testPeer) {
				tp.send(newBlockHashesMsg, make(announcementsPacket, maxAnnouncements+1))
			},
			want:    p2p.DiscProtocolError,
			dropped: DropMalformed,
		},
		{
			name: "get blocks count above the cap",
			remote: func(tp *testPeer) {
				tp.send(getBlocksMsg, &getBlocksPacket{RequestID: 1, Hash: mainChain[4].Hash(), Count: maxGetBlocks + 1})
			},
			want:    p2p.DiscProtocolError,
			dropped: DropMalformed,
		},
		{
			name: "get blocks count zero",
			remote: func(tp *testPeer) {
				tp.send(getBlocksMsg, &getBlocksPacket{RequestID: 1, Hash: mainChain[4].Hash(), Count: 0})
			},
			want:    p2p.DiscProtocolError,
			dropped: DropMalformed,
		},
		{
			name:    "unknown message code",
			remote:  func(tp *testPeer) { tp.send(protocolLength, []uint{}) },
			want:    p2p.DiscProtocolError,
			dropped: DropMalformed,
		},
		{
			name:    "second status",
			remote:  func(tp *testPeer) { tp.send(statusMsg, status(mainChain[4], mainTD)) },
			want:    p2p.DiscProtocolError,
			dropped: DropProtocol,
		},
		{
			name: "message rate",
			cfg:  func(c *Config) { c.MsgRate, c.MsgBurst = 1e-3, 3 },
			remote: func(tp *testPeer) {
				// The status took one token: two more messages pass, the third is one too many.
				for range 3 {
					tp.send(newBlockHashesMsg, announcementsPacket{})
				}
			},
			want:    p2p.DiscSubprotocolError,
			dropped: DropRateLimit,
		},
		{
			name: "byte rate",
			cfg:  func(c *Config) { c.MaxMessageSize, c.ByteBurst, c.ByteRate = 1024, 1024, 1e-3 },
			remote: func(tp *testPeer) {
				anns := make(announcementsPacket, 15) // 15 * 35 bytes: two exceed the 1024-byte burst
				for i := range anns {
					anns[i] = announcement{Hash: genesis.Hash()}
				}
				tp.send(newBlockHashesMsg, anns)
				tp.send(newBlockHashesMsg, anns)
			},
			want:    p2p.DiscSubprotocolError,
			dropped: DropRateLimit,
		},
		{
			name: "answer starts with another block",
			remote: func(tp *testPeer) {
				tp.send(newBlockMsg, &newBlockPacket{Block: fork[3]})
				req := tp.expect(getBlocksMsg).(*getBlocksPacket)
				tp.send(blocksMsg, &blocksPacket{RequestID: req.RequestID, Blocks: []*types.Block{fork[1]}})
			},
			want:    p2p.DiscProtocolError,
			dropped: DropProtocol,
		},
		{
			name: "answer is not a chain",
			remote: func(tp *testPeer) {
				tp.send(newBlockMsg, &newBlockPacket{Block: fork[3]})
				req := tp.expect(getBlocksMsg).(*getBlocksPacket)
				tp.send(blocksMsg, &blocksPacket{RequestID: req.RequestID, Blocks: []*types.Block{fork[2], fork[0]}})
			},
			want:    p2p.DiscProtocolError,
			dropped: DropProtocol,
		},
		{
			name: "answer longer than asked",
			cfg:  func(c *Config) { c.MaxFetchDepth = 2 },
			remote: func(tp *testPeer) {
				tp.send(newBlockMsg, &newBlockPacket{Block: fork[3]})
				req := tp.expect(getBlocksMsg).(*getBlocksPacket)
				tp.send(blocksMsg, &blocksPacket{RequestID: req.RequestID, Blocks: []*types.Block{fork[2], fork[1], fork[0]}})
			},
			want:    p2p.DiscProtocolError,
			dropped: DropProtocol,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			chain := newFakeChain(mainChain...)
			s := newService(t, cfg, chain)
			tp := connected(t, s, "A")
			tt.remote(tp)
			if err := tp.result(); err != tt.want {
				t.Fatalf("have Run error %v, want %v", err, tt.want)
			}
			m := s.Metrics()
			for r := range numDropReasons {
				want := uint64(0)
				if r == tt.dropped {
					want = 1
				}
				if m.Dropped[r] != want {
					t.Fatalf("have %d drops for %s, want %d", m.Dropped[r], r, want)
				}
			}
			if imported := chain.importedHashes(); len(imported) != 0 {
				t.Fatalf("have %d blocks imported, want 0", len(imported))
			}
		})
	}
}

func TestInvalidBlockDropsPeer(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s := newService(t, testConfig(), chain)
	bad := extend(mainChain[4], 1, string(invalidTag))[0]

	a := connected(t, s, "A")
	a.send(newBlockMsg, &newBlockPacket{Block: bad})
	if err := a.result(); err != p2p.DiscUselessPeer {
		t.Fatalf("have Run error %v, want %v", err, p2p.DiscUselessPeer)
	}
	head, _ := chain.Head()
	if head.Hash() != mainChain[4].Hash() || chain.Block(bad.Hash()) != nil || len(chain.importedHashes()) != 0 {
		t.Fatalf("have head %d (%s), bad block stored %v, want head 5 and no block stored",
			head.Number, head.Hash(), chain.Block(bad.Hash()) != nil)
	}

	// Another peer sending the same block is dropped without a second check.
	b := connected(t, s, "B")
	b.send(newBlockMsg, &newBlockPacket{Block: bad})
	if err := b.result(); err != p2p.DiscUselessPeer {
		t.Fatalf("have Run error %v, want %v", err, p2p.DiscUselessPeer)
	}
	if have := chain.importCalls(); have != 1 {
		t.Fatalf("have %d Import calls, want 1", have)
	}
	m := s.Metrics()
	if m.Rejected[RejectInvalid] != 2 || m.Dropped[DropInvalidBlock] != 2 || m.BlocksReceived != 2 {
		t.Fatalf("have rejected %v, dropped %v, received %d, want 2 invalid, 2 dropped, 2 received", m.Rejected, m.Dropped, m.BlocksReceived)
	}
}

// TestForgedBodyDropsPeerNotHash: a peer that sends a true header with a
// body changed on the way is dropped, but the hash is not remembered as bad:
// the true block, sent by another peer next, is imported and that peer kept.
// Before, the copy made the hash bad and the honest peer was dropped for it.
func TestForgedBodyDropsPeerNotHash(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s := newService(t, testConfig(), chain)
	good := extend(mainChain[4], 1, "main")[0]
	to := common.Address{0xc1}
	tx := types.NewTx(&types.LegacyTx{Nonce: 7, Gas: 21000, GasPrice: big.NewInt(1), To: &to})
	forged := good.WithBody(types.Body{Transactions: []*types.Transaction{tx}})

	a := connected(t, s, "A")
	a.send(newBlockMsg, &newBlockPacket{Block: forged})
	if err := a.result(); err != p2p.DiscProtocolError {
		t.Fatalf("peer sending the forged copy: have Run error %v, want %v", err, p2p.DiscProtocolError)
	}
	b := connected(t, s, "B")
	b.send(newBlockMsg, &newBlockPacket{Block: good})
	waitFor(t, "the true block imported", func() bool { return chain.Block(good.Hash()) != nil })
	// Still connected: a request is served.
	b.send(getBlocksMsg, &getBlocksPacket{RequestID: 1, Hash: genesis.Hash(), Count: 1})
	b.expect(blocksMsg)
	m := s.Metrics()
	if m.Dropped[DropMalformed] != 1 || m.Dropped[DropInvalidBlock] != 0 || m.Rejected[RejectInvalid] != 1 {
		t.Fatalf("have dropped %v, rejected %v, want 1 malformed, 0 invalid-block drops, 1 rejected", m.Dropped, m.Rejected)
	}
}

func TestUnknownParentFetchesAncestors(t *testing.T) {
	fork := extend(mainChain[2], 4, "fork") // 4'..7' on top of block 3
	tests := []struct {
		name    string
		perCall int // blocks the remote puts in each answer
	}{
		{"whole answer", 3},
		{"one block per answer", 1},
		{"two blocks per answer", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chain := newFakeChain(mainChain...)
			s := newService(t, testConfig(), chain)
			tp := connected(t, s, "A")

			tp.send(newBlockMsg, &newBlockPacket{Block: fork[3]})
			// The remote holds 4'..7'; each request starts where the last answer ended.
			next := 2 // index in fork of the next block asked for
			for next >= 0 {
				req := tp.expect(getBlocksMsg).(*getBlocksPacket)
				if req.Hash != fork[next].Hash() {
					t.Fatalf("have request for %s, want block %d' (%s)", req.Hash, fork[next].NumberU64(), fork[next].Hash())
				}
				if want := Defaults.MaxFetchDepth - uint64(2-next); req.Count != want {
					t.Fatalf("have count %d, want %d", req.Count, want)
				}
				var answer []*types.Block
				for i := next; i >= 0 && len(answer) < tt.perCall; i-- {
					answer = append(answer, fork[i])
				}
				tp.send(blocksMsg, &blocksPacket{RequestID: req.RequestID, Blocks: answer})
				next -= len(answer)
			}
			waitFor(t, "fork imported", func() bool { return len(chain.importedHashes()) == 4 })
			if have, want := chain.importedHashes(), hashes(fork...); !slices.Equal(have, want) {
				t.Fatalf("have import order %v, want %v (oldest first)", have, want)
			}
			m := s.Metrics()
			if m.BlocksImported != 4 || m.BlocksFetched != 3 || m.BlocksReceived != 1 {
				t.Fatalf("have imported %d, fetched %d, received %d, want 4, 3, 1", m.BlocksImported, m.BlocksFetched, m.BlocksReceived)
			}
		})
	}
}

func TestUnknownParentTooDeepSyncs(t *testing.T) {
	cfg := testConfig()
	cfg.MaxFetchDepth = 2
	chain := newFakeChain(mainChain...)
	s := newService(t, cfg, chain)
	tp := connected(t, s, "A")
	fork := extend(mainChain[0], 5, "fork") // 2'..6': forks 4 blocks below our head

	tp.send(newBlockMsg, &newBlockPacket{Block: fork[4]})
	req := tp.expect(getBlocksMsg).(*getBlocksPacket)
	if req.Hash != fork[3].Hash() || req.Count != 2 {
		t.Fatalf("have request %+v, want block 5' and count 2", req)
	}
	tp.send(blocksMsg, &blocksPacket{RequestID: req.RequestID, Blocks: []*types.Block{fork[3], fork[2]}})

	call := waitSync(t, chain)
	if want := (syncCall{tp.id, fork[4].Hash(), 6}); call != want {
		t.Fatalf("have SyncFrom %+v, want %+v", call, want)
	}
	if imported := chain.importedHashes(); len(imported) != 0 {
		t.Fatalf("have %d blocks imported, want 0", len(imported))
	}
	if m := s.Metrics(); m.Rejected[RejectAncestry] != 1 || m.SyncRequests != 1 {
		t.Fatalf("have rejected %v and %d sync requests, want 1 ancestry and 1", m.Rejected, m.SyncRequests)
	}
}

func TestBroadcast(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s := newService(t, testConfig(), chain)
	block := extend(mainChain[4], 1, "main")[0]

	// Ten peers; one already has the block (its status says so).
	var unaware []*testPeer
	for i := range 9 {
		unaware = append(unaware, connected(t, s, fmt.Sprint("P", i)))
	}
	aware := connect(t, s, "K")
	aware.handshake(status(block, mainTD+2))
	waitFor(t, "ten peers", func() bool { return len(s.Peers()) == 10 })

	s.Broadcast(block)
	var full, announced int
	for _, tp := range unaware {
		switch code, v := tp.read(); code {
		case newBlockMsg:
			if have := v.(*newBlockPacket).Block.Hash(); have != block.Hash() {
				t.Fatalf("have block %s, want %s", have, block.Hash())
			}
			full++
		case newBlockHashesMsg:
			anns := v.(announcementsPacket)
			if want := (announcementsPacket{{Hash: block.Hash(), Number: 6}}); !slices.Equal(anns, want) {
				t.Fatalf("have announcement %v, want %v", anns, want)
			}
			announced++
		default:
			t.Fatalf("have message %#x, want a block or its hash", code)
		}
	}
	if full != 3 || announced != 6 {
		t.Fatalf("have %d full blocks and %d announcements, want 3 (sqrt of 9) and 6", full, announced)
	}
	// The totals show the aware peer got nothing.
	if m := s.Metrics(); m.BlocksSent != 3 || m.HashesSent != 6 {
		t.Fatalf("have %d blocks and %d hashes sent, want 3 and 6", m.BlocksSent, m.HashesSent)
	}

	// A second broadcast of the same block sends nothing: every peer knows it.
	s.Broadcast(block)
	if m := s.Metrics(); m.BlocksSent != 3 || m.HashesSent != 6 {
		t.Fatalf("have %d blocks and %d hashes sent after a repeat, want 3 and 6", m.BlocksSent, m.HashesSent)
	}
}

func TestPeerAheadSyncsAtOnce(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s := newService(t, testConfig(), chain)
	far := extend(mainChain[4], 100, "far")

	// The status alone starts catch-up, with a single peer connected.
	a := connect(t, s, "A")
	a.handshake(status(far[99], mainTD+200))
	if call, want := waitSync(t, chain), (syncCall{a.id, far[99].Hash(), 105}); call != want {
		t.Fatalf("have SyncFrom %+v, want %+v", call, want)
	}

	// A peer further ahead by number but lighter does not; its announcement
	// of a higher block does.
	b := connect(t, s, "B")
	light := status(far[99], 1)
	light.Number = 150
	b.handshake(light)
	b.send(newBlockHashesMsg, announcementsPacket{{Hash: common.HexToHash("0xbb"), Number: 200}})
	if call, want := waitSync(t, chain), (syncCall{b.id, common.HexToHash("0xbb"), 200}); call != want {
		t.Fatalf("have SyncFrom %+v, want %+v", call, want)
	}

	// A new block far ahead does too, and is not imported block by block.
	c := connected(t, s, "C")
	c.send(newBlockMsg, &newBlockPacket{Block: extend(genesis, 300, "far")[299]})
	if call := waitSync(t, chain); call.peer != c.id || call.number != 300 {
		t.Fatalf("have SyncFrom %+v, want one from C at 300", call)
	}
	// A lower target than the last one is not passed on: the next call is
	// for the higher block A announces after it.
	a.send(newBlockHashesMsg, announcementsPacket{{Hash: far[50].Hash(), Number: 56}, {Hash: common.HexToHash("0xaa"), Number: 400}})
	if call, want := waitSync(t, chain), (syncCall{a.id, common.HexToHash("0xaa"), 400}); call != want {
		t.Fatalf("have SyncFrom %+v, want %+v", call, want)
	}
	if len(chain.importedHashes()) != 0 || s.Metrics().SyncRequests != 4 {
		t.Fatalf("have %d imported and %d sync requests, want 0 and 4", len(chain.importedHashes()), s.Metrics().SyncRequests)
	}
}

func TestAnnouncementFetchedOnce(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s := newService(t, testConfig(), chain)
	h := extend(mainChain[4], 1, "main")[0]  // block 6
	k := extend(mainChain[4], 1, "other")[0] // block 6', a sibling
	a := connected(t, s, "A")
	b := connected(t, s, "B")

	a.send(newBlockHashesMsg, announcementsPacket{{Hash: h.Hash(), Number: 6}})
	reqA := a.expect(getBlocksMsg).(*getBlocksPacket)
	if reqA.Hash != h.Hash() || reqA.Count != 1 {
		t.Fatalf("have request %+v, want block 6 and count 1", reqA)
	}

	// B announces the same block and another: only the other is asked of B,
	// as A is already fetching the first.
	b.send(newBlockHashesMsg, announcementsPacket{{Hash: h.Hash(), Number: 6}, {Hash: k.Hash(), Number: 6}})
	reqB := b.expect(getBlocksMsg).(*getBlocksPacket)
	if reqB.Hash != k.Hash() {
		t.Fatalf("have B asked for %s, want %s (the block A is not fetching)", reqB.Hash, k.Hash())
	}
	b.send(blocksMsg, &blocksPacket{RequestID: reqB.RequestID, Blocks: []*types.Block{k}})

	// A does not have the block after all: B, which announced it too, is asked.
	a.send(blocksMsg, &blocksPacket{RequestID: reqA.RequestID})
	reqB = b.expect(getBlocksMsg).(*getBlocksPacket)
	if reqB.Hash != h.Hash() {
		t.Fatalf("have B asked for %s, want %s", reqB.Hash, h.Hash())
	}
	b.send(blocksMsg, &blocksPacket{RequestID: reqB.RequestID, Blocks: []*types.Block{h}})

	waitFor(t, "both blocks imported", func() bool { return len(chain.importedHashes()) == 2 })
	if have := chain.importedHashes(); !slices.Contains(have, h.Hash()) || !slices.Contains(have, k.Hash()) {
		t.Fatalf("have imported %v, want %s and %s", have, h.Hash(), k.Hash())
	}
	if m := s.Metrics(); m.HashesReceived != 3 || m.BlocksFetched != 2 {
		t.Fatalf("have %d hashes received and %d blocks fetched, want 3 and 2", m.HashesReceived, m.BlocksFetched)
	}
}

func TestAnnouncementTimeoutTriesNextPeer(t *testing.T) {
	cfg := testConfig()
	cfg.RequestTimeout = 20 * time.Millisecond
	chain := newFakeChain(mainChain...)
	s := newService(t, cfg, chain)
	h := extend(mainChain[4], 1, "main")[0]
	a := connected(t, s, "A")
	b := connected(t, s, "B")

	a.send(newBlockHashesMsg, announcementsPacket{{Hash: h.Hash(), Number: 6}})
	a.expect(getBlocksMsg) // never answered
	b.send(newBlockHashesMsg, announcementsPacket{{Hash: h.Hash(), Number: 6}})
	req := b.expect(getBlocksMsg).(*getBlocksPacket)
	b.send(blocksMsg, &blocksPacket{RequestID: req.RequestID, Blocks: []*types.Block{h}})
	waitFor(t, "block imported", func() bool { return len(chain.importedHashes()) == 1 })
}

func TestServeGetBlocks(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s := newService(t, testConfig(), chain)
	tp := connected(t, s, "A")

	tests := []struct {
		name  string
		hash  common.Hash
		count uint64
		want  []*types.Block
	}{
		{"block and ancestors, newest first", mainChain[4].Hash(), 3, []*types.Block{mainChain[4], mainChain[3], mainChain[2]}},
		{"stops at genesis", mainChain[1].Hash(), maxGetBlocks, []*types.Block{mainChain[1], mainChain[0], genesis}},
		{"unknown block", common.HexToHash("0x42"), 1, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := uint64(100 + i)
			tp.send(getBlocksMsg, &getBlocksPacket{RequestID: id, Hash: tt.hash, Count: tt.count})
			res := tp.expect(blocksMsg).(*blocksPacket)
			if res.RequestID != id {
				t.Fatalf("have request id %d, want %d", res.RequestID, id)
			}
			if have, want := hashes(res.Blocks...), hashes(tt.want...); !slices.Equal(have, want) {
				t.Fatalf("have blocks %v, want %v", have, want)
			}
		})
	}
	if have := s.Metrics().BlocksServed; have != 6 {
		t.Fatalf("have %d blocks served, want 6", have)
	}
}

// link runs two services' protocol against each other over a pipe.
func link(t *testing.T, a *Service, aLabel string, b *Service, bLabel string) {
	t.Helper()
	ab, ba := p2p.MsgPipe()
	t.Cleanup(func() { ab.Close() })
	caps := []p2p.Cap{{Name: ProtocolName, Version: ProtocolVersion}}
	go a.Protocols()[0].Run(p2p.NewPeerPipe(nodeID(bLabel), bLabel, caps, ab), ab)
	go b.Protocols()[0].Run(p2p.NewPeerPipe(nodeID(aLabel), aLabel, caps, ba), ba)
}

func TestTwoNodes(t *testing.T) {
	ahead := extend(mainChain[4], 2, "main") // 6, 7
	chainA := newFakeChain(append(slices.Clone(mainChain), ahead...)...)
	chainB := newFakeChain(mainChain...)
	a := newService(t, testConfig(), chainA)
	b := newService(t, testConfig(), chainB)
	link(t, a, "A", b, "B")
	waitFor(t, "peers", func() bool { return len(a.Peers()) == 1 && len(b.Peers()) == 1 })

	// B learns 7 with a missing parent, fetches 6 from A and imports both.
	a.Broadcast(ahead[1])
	waitFor(t, "B at 7", func() bool { head, _ := chainB.Head(); return head.Number.Uint64() == 7 })
	if have, want := chainB.importedHashes(), hashes(ahead...); !slices.Equal(have, want) {
		t.Fatalf("have B import %v, want %v", have, want)
	}
	if info := b.Peers(); len(info) != 1 || info[0].Number != 7 {
		t.Fatalf("have B's peers %+v, want A at 7", info)
	}

	// B seals 8: A gets it.
	next := extend(ahead[1], 1, "main")[0]
	if err := chainB.Import(next); err != nil {
		t.Fatal(err)
	}
	b.Broadcast(next)
	waitFor(t, "A at 8", func() bool { head, _ := chainA.Head(); return head.Hash() == next.Hash() })
}

func TestStop(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s, err := New(testConfig(), chain)
	if err != nil {
		t.Fatal(err)
	}
	// A peer connecting before Start waits for it.
	tp := connect(t, s, "A")
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	tp.handshake(status(mainChain[4], mainTD))
	waitFor(t, "peer", func() bool { return len(s.Peers()) == 1 })

	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := tp.result(); err == nil {
		t.Fatal("have Run returning nil after Stop, want an error")
	}
	if have := len(s.Peers()); have != 0 {
		t.Fatalf("have %d peers after Stop, want 0", have)
	}
	late := connect(t, s, "B")
	if err := late.result(); err != p2p.DiscQuitting {
		t.Fatalf("have Run error %v after Stop, want %v", err, p2p.DiscQuitting)
	}
}

func TestLocalImportErrorKeepsPeer(t *testing.T) {
	chain := &failingChain{fakeChain: newFakeChain(mainChain...), err: errors.New("disk full")}
	s := newService(t, testConfig(), chain)
	tp := connected(t, s, "A")
	tp.send(newBlockMsg, &newBlockPacket{Block: extend(mainChain[4], 1, "main")[0]})
	waitFor(t, "rejection", func() bool { return s.Metrics().Rejected[RejectError] == 1 })
	// Still connected: a request is served.
	tp.send(getBlocksMsg, &getBlocksPacket{RequestID: 1, Hash: genesis.Hash(), Count: 1})
	tp.expect(blocksMsg)
	if m := s.Metrics(); m.Peers != 1 || m.Dropped != [numDropReasons]uint64{} {
		t.Fatalf("have %d peers and drops %v, want 1 and none", m.Peers, m.Dropped)
	}
}

// failingChain fails every Import with a local error.
type failingChain struct {
	*fakeChain
	err error
}

func (c *failingChain) Import(*types.Block) error { return c.err }

func TestConfigValidate(t *testing.T) {
	good := testConfig()
	if err := good.Validate(); err != nil {
		t.Fatalf("have error %v for the defaults, want nil", err)
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"no genesis", func(c *Config) { c.Genesis = common.Hash{} }, "Genesis"},
		{"burst below message size", func(c *Config) { c.ByteBurst = int(c.MaxMessageSize) - 1 }, "ByteBurst"},
		{"zero fetch depth", func(c *Config) { c.MaxFetchDepth = 0 }, "MaxFetchDepth"},
		{"zero queue", func(c *Config) { c.SendQueue = 0 }, "SendQueue"},
		{"zero timeout", func(c *Config) { c.RequestTimeout = 0 }, "RequestTimeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.change(&cfg)
			err := cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("have error %v, want one naming %s", err, tt.want)
			}
			if _, err := New(cfg, newFakeChain()); err == nil {
				t.Fatal("have New accepting an invalid config, want an error")
			}
		})
	}
}

func TestReasonLabels(t *testing.T) {
	seen := make(map[string]bool)
	for r := range numDropReasons {
		if l := r.String(); l == "unknown" || seen[l] {
			t.Fatalf("have label %q for drop reason %d, want a distinct one", l, r)
		} else {
			seen[l] = true
		}
	}
	for r := range numRejectReasons {
		if l := r.String(); l == "unknown" || seen[l] {
			t.Fatalf("have label %q for reject reason %d, want a distinct one", l, r)
		} else {
			seen[l] = true
		}
	}
}

// TestStatusTD checks that a nil total difficulty from the backend is sent as 0.
func TestStatusTD(t *testing.T) {
	s := newService(t, testConfig(), &noTDChain{newFakeChain(mainChain...)})
	tp := connect(t, s, "A")
	ours := tp.handshake(status(mainChain[4], mainTD))
	if ours.TD == nil || ours.TD.Sign() != 0 {
		t.Fatalf("have TD %v, want 0", ours.TD)
	}
}

// noTDChain does not know total difficulties.
type noTDChain struct{ *fakeChain }

func (c *noTDChain) Head() (*types.Header, *big.Int) {
	head, _ := c.fakeChain.Head()
	return head, nil
}

// TestStatusHeadFetched: a peer whose head is near ours but unknown to us (a
// block it sealed before we were connected, or a competing branch) has that
// head fetched at once and handed to fork choice. Regression: three signers
// started together each sealed their own block 1 before peering, never learnt
// of the others' blocks, and all waited for ever as "signed recently".
func TestStatusHeadFetched(t *testing.T) {
	chain := newFakeChain(mainChain...)
	s := newService(t, testConfig(), chain)
	sibling := extend(mainChain[3], 1, "other")[0] // a competing block 5

	a := connect(t, s, "A")
	a.handshake(status(sibling, mainTD))
	req := a.expect(getBlocksMsg).(*getBlocksPacket)
	if req.Hash != sibling.Hash() || req.Count != 1 {
		t.Fatalf("have request %+v, want the peer's head %s, count 1", req, sibling.Hash())
	}
	a.send(blocksMsg, &blocksPacket{RequestID: req.RequestID, Blocks: []*types.Block{sibling}})
	waitFor(t, "the peer's head imported", func() bool { return slices.Contains(chain.importedHashes(), sibling.Hash()) })
}

// TestPeerAhead: a block a peer shows above our head (here its status head,
// one block past ours) holds the sealer off until it is ours, and for no
// longer than the given time after it was last shown.
func TestPeerAhead(t *testing.T) {
	chain := newFakeChain(mainChain[:4]...)
	s := newService(t, testConfig(), chain)
	head := mainChain[3].NumberU64()
	if s.PeerAhead(head, time.Minute) {
		t.Fatal("ahead before any peer showed a block")
	}
	a := connect(t, s, "A")
	a.handshake(status(mainChain[4], mainTD))
	waitFor(t, "the peer's head seen", func() bool { return s.PeerAhead(head, time.Minute) })
	if s.PeerAhead(head+1, time.Minute) {
		t.Error("ahead of a head at the peer's number")
	}
	if s.PeerAhead(head, 0) {
		t.Error("ahead although the sighting is older than the hold")
	}
	s.noteSeen(common.Hash{}, head-2) // a lower number later does not lower the mark
	if !s.PeerAhead(head, time.Minute) {
		t.Error("a lower sighting cleared the mark")
	}
}

// TestPeerAheadOnHeldSideBranch: a block above our head that we already hold
// (a side branch fork choice did not take) does not hold the sealer off; one
// we do not hold does.
func TestPeerAheadOnHeldSideBranch(t *testing.T) {
	chain := newFakeChain(mainChain[:4]...)
	side := extend(mainChain[2], 2, "side") // numbers head and head+1, on the block below our head
	for _, b := range side {
		if err := chain.add(b); err != nil {
			t.Fatal(err)
		}
	}
	chain.head = mainChain[3] // fork choice kept our branch
	s := newService(t, testConfig(), chain)
	head := mainChain[3].NumberU64()
	s.noteSeen(side[1].Hash(), side[1].NumberU64())
	if s.PeerAhead(head, time.Minute) {
		t.Error("ahead for a block above our head that the chain already holds")
	}
	other := extend(side[1], 1, "other")[0]
	s.noteSeen(other.Hash(), other.NumberU64())
	if !s.PeerAhead(head, time.Minute) {
		t.Error("not ahead for a block above our head that the chain does not hold")
	}
}
