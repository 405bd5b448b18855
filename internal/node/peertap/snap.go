package peertap

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rlp"
)

// SnapAnswers are the snap/1 answer codes a tap of the snap protocol takes.
var SnapAnswers = []uint64{snap.AccountRangeMsg, snap.StorageRangesMsg, snap.ByteCodesMsg, snap.TrieNodesMsg}

// NewSnap returns a tap of geth's snap protocol, which has no handshake: a
// connection is listed as soon as it runs.
func NewSnap() *Tap { return New(SnapAnswers...) }

// snapAnswerWait bounds how long an answer is awaited; go-ethereum's syncer
// times its requests out sooner and asks another peer.
const snapAnswerWait = time.Minute

// SnapPeer is a tapped snap connection as go-ethereum's state syncer sees
// a peer (snap.SyncPeerV2): requests go out over the connection, answers
// taken by the tap go to the syncer, whose checks decide (every range's
// Merkle proof against the requested root). A peer whose answer the syncer
// refuses is dropped, with a warning naming it.
type SnapPeer struct {
	conn   *Conn
	syncer snap.Syncer
	log    log.Logger
}

// NewSnapPeer returns conn, a snap/1 connection, as a peer of syncer (a
// snap/1 syncer, snap.NewV1Syncer); the caller registers it
// (syncer.Register) and unregisters it when the connection ends. Over snap/2
// the message codes differ (no trie nodes: healing is by block access lists),
// so a connection of another version is an error.
func NewSnapPeer(conn *Conn, syncer snap.Syncer) (*SnapPeer, error) {
	if conn.version != snap.SNAP1 {
		return nil, fmt.Errorf("peer %s runs snap/%d; the state syncer over the tap speaks snap/%d", conn.id.TerminalString(), conn.version, snap.SNAP1)
	}
	return &SnapPeer{conn: conn, syncer: syncer, log: log.New("peer", conn.id.TerminalString())}, nil
}

// ID implements snap.SyncPeer.
func (p *SnapPeer) ID() string { return p.conn.id.String() }

// Log implements snap.SyncPeer.
func (p *SnapPeer) Log() log.Logger { return p.log }

// RequestAccountRange implements snap.SyncPeer.
func (p *SnapPeer) RequestAccountRange(id uint64, root, origin, limit common.Hash, bytes int) error {
	req := &snap.GetAccountRangePacket{ID: id, Root: root, Origin: origin, Limit: limit, Bytes: uint64(bytes)}
	return p.send(id, snap.GetAccountRangeMsg, req, p.onAccounts)
}

// RequestStorageRanges implements snap.SyncPeer.
func (p *SnapPeer) RequestStorageRanges(id uint64, root common.Hash, accounts []common.Hash, origin, limit []byte, bytes int) error {
	req := &snap.GetStorageRangesPacket{ID: id, Root: root, Accounts: accounts, Origin: origin, Limit: limit, Bytes: uint64(bytes)}
	return p.send(id, snap.GetStorageRangesMsg, req, p.onStorage)
}

// RequestByteCodes implements snap.SyncPeer.
func (p *SnapPeer) RequestByteCodes(id uint64, hashes []common.Hash, bytes int) error {
	req := &snap.GetByteCodesPacket{ID: id, Hashes: hashes, Bytes: uint64(bytes)}
	return p.send(id, snap.GetByteCodesMsg, req, p.onByteCodes)
}

// RequestTrieNodes implements snap.SyncPeer.
func (p *SnapPeer) RequestTrieNodes(id uint64, root common.Hash, count int, paths []snap.TrieNodePathSet, bytes int) error {
	req := &snap.GetTrieNodesPacket{ID: id, Root: root, Bytes: uint64(bytes)}
	list, err := rlp.EncodeToRawList(paths)
	if err != nil {
		return err
	}
	req.Paths = list
	return p.send(id, snap.GetTrieNodesMsg, req, p.onTrieNodes)
}

// RequestAccessLists implements snap.SyncPeerV2: citychain's snap/1 syncer
// never asks for block access lists.
func (p *SnapPeer) RequestAccessLists(id uint64, hashes []common.Hash, bytes int) error {
	return fmt.Errorf("block access lists are not requested over snap/1 (request %d)", id)
}

// send writes the request and hands its answer to deliver when it comes.
func (p *SnapPeer) send(id, code uint64, req any, deliver func(id uint64, payload []byte) error) error {
	ch := p.conn.Expect(id)
	if err := p2p.Send(p.conn.rw, code, req); err != nil {
		p.conn.tap.forget(p.conn.id, id)
		return err
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), snapAnswerWait)
		defer cancel()
		payload, err := p.conn.Await(ctx, id, ch)
		if err != nil {
			return // the syncer timed the request out and asked elsewhere
		}
		if err := deliver(id, payload); err != nil {
			log.Warn("Dropped a peer that served state failing verification", "peer", p.conn.id.TerminalString(), "err", err)
			p.conn.Drop()
		}
	}()
	return nil
}

func (p *SnapPeer) onAccounts(id uint64, payload []byte) error {
	var res snap.AccountRangePacket
	if err := rlp.DecodeBytes(payload, &res); err != nil {
		return fmt.Errorf("account range: %w", err)
	}
	for i := 1; i < len(res.Accounts); i++ {
		if bytes.Compare(res.Accounts[i-1].Hash[:], res.Accounts[i].Hash[:]) >= 0 {
			return fmt.Errorf("account range: accounts not in increasing order at %d", i)
		}
	}
	hashes, accounts, err := res.Unpack()
	if err != nil {
		return fmt.Errorf("account range: %w", err)
	}
	return p.syncer.OnAccounts(p, id, hashes, accounts, res.Proof)
}

func (p *SnapPeer) onStorage(id uint64, payload []byte) error {
	var res snap.StorageRangesPacket
	if err := rlp.DecodeBytes(payload, &res); err != nil {
		return fmt.Errorf("storage ranges: %w", err)
	}
	for _, slots := range res.Slots {
		for i := 1; i < len(slots); i++ {
			if bytes.Compare(slots[i-1].Hash[:], slots[i].Hash[:]) >= 0 {
				return fmt.Errorf("storage ranges: slots not in increasing order at %d", i)
			}
		}
	}
	hashes, slots := res.Unpack()
	return p.syncer.OnStorage(p, id, hashes, slots, res.Proof)
}

func (p *SnapPeer) onByteCodes(id uint64, payload []byte) error {
	var res snap.ByteCodesPacket
	if err := rlp.DecodeBytes(payload, &res); err != nil {
		return fmt.Errorf("byte codes: %w", err)
	}
	return p.syncer.OnByteCodes(p, id, res.Codes)
}

func (p *SnapPeer) onTrieNodes(id uint64, payload []byte) error {
	var res snap.TrieNodesPacket
	if err := rlp.DecodeBytes(payload, &res); err != nil {
		return fmt.Errorf("trie nodes: %w", err)
	}
	return p.syncer.OnTrieNodes(p, id, res.Nodes)
}

var _ snap.SyncPeerV2 = (*SnapPeer)(nil)
