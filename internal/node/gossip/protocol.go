package gossip

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
)

// Protocol identification, as negotiated in the devp2p handshake.
const (
	ProtocolName    = "poa"
	ProtocolVersion = 1
	protocolLength  = 5 // message codes used by poa/1
)

// Message codes of poa/1.
const (
	statusMsg         = 0x00 // statusPacket, first message in both directions
	newBlockMsg       = 0x01 // newBlockPacket: one full block
	newBlockHashesMsg = 0x02 // announcementsPacket: hashes and numbers of new blocks
	getBlocksMsg      = 0x03 // getBlocksPacket: a block and its ancestors, by hash
	blocksMsg         = 0x04 // blocksPacket: the answer to getBlocksMsg
)

// Protocol limits every poa/1 node enforces on what it receives.
const (
	maxGetBlocks     = 128             // blocks one GetBlocks may ask for; more is a protocol violation
	maxAnnouncements = 64              // announcements in one NewBlockHashes message
	maxTDBits        = 256             // bits of the total difficulty in a status
	softResponseSize = 2 * 1024 * 1024 // bytes of blocks after which a Blocks answer stops (it holds at least one)
)

// errMalformed is returned (wrapped) by the decoders if a message does not
// decode or breaks a protocol limit.
var errMalformed = errors.New("malformed message")

// statusPacket is the handshake: both sides send one and check the other's.
type statusPacket struct {
	NetworkID uint64
	Genesis   common.Hash
	Head      common.Hash
	Number    uint64
	TD        *big.Int
}

// newBlockPacket carries one full block to a peer that does not have it.
type newBlockPacket struct {
	Block *types.Block
}

// announcement names a new block a peer can fetch with GetBlocks.
type announcement struct {
	Hash   common.Hash
	Number uint64
}

// announcementsPacket is the payload of NewBlockHashes.
type announcementsPacket []announcement

// getBlocksPacket asks for the block with Hash and up to Count-1 of its
// ancestors.
type getBlocksPacket struct {
	RequestID uint64
	Hash      common.Hash
	Count     uint64
}

// blocksPacket answers a getBlocksPacket with the same RequestID: the
// requested block first, then its parent, grandparent and so on (newest
// first), as many as the responder holds, up to Count and softResponseSize.
// An empty list means the responder does not have the requested block.
type blocksPacket struct {
	RequestID uint64
	Blocks    []*types.Block
}

// decode decodes the payload of a message with the given code and checks it
// against the protocol limits. It returns one of *statusPacket,
// *newBlockPacket, announcementsPacket, *getBlocksPacket or *blocksPacket.
func decode(code uint64, payload []byte) (any, error) {
	switch code {
	case statusMsg:
		var st statusPacket
		if err := rlp.DecodeBytes(payload, &st); err != nil {
			return nil, fmt.Errorf("%w: status: %v", errMalformed, err)
		}
		if st.TD.BitLen() > maxTDBits {
			return nil, fmt.Errorf("%w: status total difficulty: have %d bits, want <= %d", errMalformed, st.TD.BitLen(), maxTDBits)
		}
		return &st, nil

	case newBlockMsg:
		var nb newBlockPacket
		if err := rlp.DecodeBytes(payload, &nb); err != nil {
			return nil, fmt.Errorf("%w: new block: %v", errMalformed, err)
		}
		if err := nb.Block.SanityCheck(); err != nil {
			return nil, fmt.Errorf("%w: new block: %v", errMalformed, err)
		}
		return &nb, nil

	case newBlockHashesMsg:
		var anns announcementsPacket
		if err := rlp.DecodeBytes(payload, &anns); err != nil {
			return nil, fmt.Errorf("%w: block hashes: %v", errMalformed, err)
		}
		if len(anns) > maxAnnouncements {
			return nil, fmt.Errorf("%w: block hashes: have %d, want <= %d", errMalformed, len(anns), maxAnnouncements)
		}
		return anns, nil

	case getBlocksMsg:
		var req getBlocksPacket
		if err := rlp.DecodeBytes(payload, &req); err != nil {
			return nil, fmt.Errorf("%w: get blocks: %v", errMalformed, err)
		}
		if req.Count < 1 || req.Count > maxGetBlocks {
			return nil, fmt.Errorf("%w: get blocks count: have %d, want 1..%d", errMalformed, req.Count, maxGetBlocks)
		}
		return &req, nil

	case blocksMsg:
		var res blocksPacket
		if err := rlp.DecodeBytes(payload, &res); err != nil {
			return nil, fmt.Errorf("%w: blocks: %v", errMalformed, err)
		}
		if len(res.Blocks) > maxGetBlocks {
			return nil, fmt.Errorf("%w: blocks: have %d, want <= %d", errMalformed, len(res.Blocks), maxGetBlocks)
		}
		for i, b := range res.Blocks {
			if err := b.SanityCheck(); err != nil {
				return nil, fmt.Errorf("%w: blocks[%d]: %v", errMalformed, i, err)
			}
		}
		return &res, nil

	default:
		return nil, fmt.Errorf("%w: unknown message code: have %#x, want < %#x", errMalformed, code, protocolLength)
	}
}
