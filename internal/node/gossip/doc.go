// Package gossip carries new Clique blocks between citychain nodes on poa/1,
// a devp2p sub-protocol of our own. go-ethereum v1.17's eth protocol (eth/69
// and later) carries transactions and serves headers and bodies but has no
// block announcements; its syncer fills large gaps. See
// docs/adr/006-block-gossip.md.
//
// Messages (RLP; code, name, payload):
//
//	0x00 Status          [networkID, genesis, headHash, headNumber, headTD]
//	0x01 NewBlock        [block]
//	0x02 NewBlockHashes  [[hash, number], ...]                at most 64
//	0x03 GetBlocks       [requestID, hash, count]             1 <= count <= 128
//	0x04 Blocks          [requestID, [block, ...]]            at most 128
//
// Status is the first message in both directions, within
// Config.HandshakeTimeout; another network id or genesis disconnects the peer
// with p2p.DiscUselessPeer. GetBlocks asks for the block with the given hash
// and up to count-1 of its ancestors; Blocks answers newest first (the
// requested block, its parent, ...), stops early at 2 MiB of blocks (always
// holding at least one) or at a block the responder lacks, and is empty if the
// responder lacks the requested block.
//
// Every received message is checked before it is decoded: its size against
// Config.MaxMessageSize and the peer's token buckets (Config.MsgRate/MsgBurst
// messages, Config.ByteRate/ByteBurst bytes). A peer that exceeds a limit,
// sends a message that does not decode or breaks a limit above, answers a
// request with other blocks than asked, or sends a block the Backend finds
// invalid is disconnected; DropReason lists the reasons and their devp2p
// disconnect codes.
//
// Propagation: Broadcast sends a block that is in the chain to the square root
// of the peers that do not know it (full block) and announces its hash to the
// rest; each peer's known hashes are tracked in a bounded set. A received
// block is passed to Backend.Import; if its parent is unknown, its ancestors
// are fetched from the same peer (up to Config.MaxFetchDepth) and imported
// oldest first; on success the block is propagated again by the same rule. An
// announced block we lack is fetched from the announcing peer, one fetch per
// hash across all peers, with other announcers as fallbacks, each request
// bounded by Config.RequestTimeout. A block, announcement or status more than
// Config.SyncThreshold blocks ahead of our head, or a fork deeper than
// MaxFetchDepth, is handed to Backend.SyncFrom at once: catch-up starts with
// the first peer that is ahead.
//
// Each peer has a read loop (the p2p Run goroutine), a writer draining a
// bounded send queue (Config.SendQueue) and an importer draining a bounded
// inbox (Config.InboxQueue); a full queue drops the message, not the peer.
package gossip
