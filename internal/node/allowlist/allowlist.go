// Package allowlist limits devp2p peering to a fixed set of nodes: the
// consortium members of a permissioned citychain network.
//
// The list is a text file with one node per line, in any of the forms geth
// prints:
//
//	# comments start with '#', here or after an entry; blank lines are skipped
//	enode://<128 hex public key>@10.0.0.1:30303   an enode URL (address ignored)
//	enr:-KO4QK...                                  a node record
//	<128 hex public key>                           a bare public key
//	<64 hex node id>                               a node ID (admin_nodeInfo "id"), 0x optional
//
// An unparsable line is an error naming the file and line number, and a file
// without a single entry is an error too (a truncated file must not cut a
// running node off from everyone).
//
// Wrap makes every protocol's Run refuse a peer that is not on the list, so a
// refused peer is disconnected right after the devp2p handshake, before any of
// its messages is read. Wrap the server's whole protocol slice (eth, snap, poa)
// before the server starts:
//
//	srv := stack.Server()
//	srv.Protocols = list.Wrap(srv.Protocols)
//	stack.Start()
//
// p2p.Server reads its Protocols slice at Start (capabilities, node record,
// discovery sources) and again for every new connection, so the slice must not
// be changed once the server runs. Reload swaps the list atomically; after a
// successful Reload, DisconnectRemoved drops the connected peers that the new
// list no longer holds. Signal handling (SIGHUP) belongs to cmd/, which calls
// Reload and DisconnectRemoved.
package allowlist

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
)

// RefuseReason is the disconnect reason a refused peer receives. devp2p has
// no "not permitted" reason; "unexpected identity" tells the remote operator
// that its node ID is what was refused.
const RefuseReason = p2p.DiscUnexpectedIdentity

// refusedLogged is how many refused node IDs are remembered so that each is
// logged once (per protocol handshake round, eth/snap/poa run concurrently).
const refusedLogged = 1024

var (
	// errMalformed is returned if a line of the list is not a node ID, a
	// public key, an enode URL or a node record.
	errMalformed = errors.New("malformed allowlist entry")

	// errEmpty is returned if the list holds no entry.
	errEmpty = errors.New("allowlist has no entries")
)

// Allowlist is the set of node IDs allowed to peer with this node. It is safe
// for concurrent use.
type Allowlist struct {
	path string
	ids  atomic.Pointer[map[enode.ID]struct{}]

	reloadMu sync.Mutex // serialises Reload

	refusedMu sync.Mutex
	refused   lru.BasicLRU[enode.ID, struct{}] // refused peers already logged
}

// Load reads the list at path.
func Load(path string) (*Allowlist, error) {
	ids, err := readFile(path)
	if err != nil {
		return nil, err
	}
	a := &Allowlist{path: path, refused: lru.NewBasicLRU[enode.ID, struct{}](refusedLogged)}
	a.ids.Store(&ids)
	return a, nil
}

// Allowed reports whether the node with the given ID may peer with us.
func (a *Allowlist) Allowed(id enode.ID) bool {
	_, ok := (*a.ids.Load())[id]
	return ok
}

// Len returns the number of node IDs on the list.
func (a *Allowlist) Len() int {
	return len(*a.ids.Load())
}

// Reload reads the file again and swaps the list in atomically. On an error
// the old list stays in force and the error is returned. Connected peers are
// not touched: call DisconnectRemoved for that.
func (a *Allowlist) Reload() error {
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()

	ids, err := readFile(a.path)
	if err != nil {
		log.Warn("Failed to reload allowlist, keeping the old one", "path", a.path, "nodes", a.Len(), "err", err)
		return err
	}
	old := a.Len()
	a.ids.Store(&ids)

	// A peer refused under the old list is logged again if refused under the new one.
	a.refusedMu.Lock()
	a.refused.Purge()
	a.refusedMu.Unlock()

	log.Info("Reloaded allowlist", "path", a.path, "nodes", len(ids), "previous", old)
	return nil
}

// Wrap returns copies of protocols whose Run refuses a peer that is not on
// the list: it returns RefuseReason without calling the original Run, which
// makes p2p disconnect the peer with that reason. The argument is not
// modified; assign the result back to p2p.Server.Protocols before the server
// starts.
func (a *Allowlist) Wrap(protocols []p2p.Protocol) []p2p.Protocol {
	wrapped := make([]p2p.Protocol, len(protocols))
	for i, proto := range protocols {
		run := proto.Run
		proto.Run = func(peer *p2p.Peer, rw p2p.MsgReadWriter) error {
			if !a.Allowed(peer.ID()) {
				a.logRefused(peer)
				return RefuseReason
			}
			return run(peer, rw)
		}
		wrapped[i] = proto
	}
	return wrapped
}

// logRefused logs a refused peer the first time it is refused.
func (a *Allowlist) logRefused(peer *p2p.Peer) {
	a.refusedMu.Lock()
	seen := a.refused.Contains(peer.ID())
	if !seen {
		a.refused.Add(peer.ID(), struct{}{})
	}
	a.refusedMu.Unlock()
	if !seen {
		log.Warn("Refused peer not on the allowlist", "id", peer.ID(), "addr", peer.RemoteAddr(), "name", peer.Fullname())
	}
}

// PeerLister is the part of *p2p.Server that DisconnectRemoved uses.
type PeerLister interface {
	Peers() []*p2p.Peer
}

// DisconnectRemoved disconnects every connected peer that is not on the
// list (normally called right after a successful Reload) and returns how many
// it disconnected.
func (a *Allowlist) DisconnectRemoved(srv PeerLister) int {
	n := 0
	for _, peer := range srv.Peers() {
		if a.Allowed(peer.ID()) {
			continue
		}
		log.Info("Disconnecting peer removed from the allowlist", "id", peer.ID(), "addr", peer.RemoteAddr())
		peer.Disconnect(RefuseReason)
		n++
	}
	return n
}

// readFile parses the list at path.
func readFile(path string) (map[enode.ID]struct{}, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the allowlist %s (%w): check --p2p.allowlist ([p2p] allowlist) names the members file, one enode URL, node record, public key or node ID a line", path, err)
	}
	defer f.Close()

	list, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("allowlist %s: %w", path, err)
	}
	ids := make(map[enode.ID]struct{}, len(list))
	for _, id := range list {
		ids[id] = struct{}{}
	}
	return ids, nil
}

// Parse reads a list in the file format described in the package comment and
// returns its node IDs in file order. An error names the first bad line.
func Parse(r io.Reader) ([]enode.ID, error) {
	var (
		ids     []enode.ID
		scanner = bufio.NewScanner(r)
		line    = 0
	)
	for scanner.Scan() {
		line++
		text := scanner.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		id, err := ParseEntry(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		ids = append(ids, id)
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(ids) == 0 {
		return nil, errEmpty
	}
	return ids, nil
}

// ParseEntry parses one entry: an enode URL, a node record, a 128-hex public
// key or a 64-hex node ID.
func ParseEntry(s string) (enode.ID, error) {
	hex := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	switch {
	case strings.HasPrefix(s, "enode://"), strings.HasPrefix(s, "enr:"):
		n, err := enode.Parse(enode.ValidSchemes, s)
		if err != nil {
			return enode.ID{}, fmt.Errorf("%w %q: %v", errMalformed, s, err)
		}
		return n.ID(), nil
	case len(hex) == 128:
		n, err := enode.ParseV4(hex)
		if err != nil {
			return enode.ID{}, fmt.Errorf("%w %q: %v", errMalformed, s, err)
		}
		return n.ID(), nil
	case len(hex) == 64:
		id, err := enode.ParseID(hex)
		if err != nil {
			return enode.ID{}, fmt.Errorf("%w %q: %v", errMalformed, s, err)
		}
		return id, nil
	default:
		return enode.ID{}, fmt.Errorf("%w %q: have %d characters, want an enode:// URL, an enr: record, a 128-hex public key or a 64-hex node ID",
			errMalformed, s, len(s))
	}
}
