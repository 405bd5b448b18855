// Package ballots is the off-chain half of the Active Citizen polls
// (contracts/src/Polls.sol): the eligibility tree of a poll's voters and
// each voter's proof, the EIP-712 ballot a resident signs, the ballot as a
// relayer submits it, the names of the reasons a ballot is rejected, and the
// recount of a poll's tallies from its BallotCast events.
//
// No cryptography is invented here: ballots are secp256k1 signatures over
// EIP-712 typed data (go-ethereum's crypto), eligibility is an OpenZeppelin
// Merkle tree (package merkle, double-hashed leaves).
package ballots

import (
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/contracts/merkle"
)

// EIP-712 domain of the Polls contract (its constructor's EIP712 arguments).
const (
	DomainName    = "CityPolls"
	DomainVersion = "1"
)

var (
	// ErrNoVoters is returned by NewEligibility for an empty voter list.
	ErrNoVoters = errors.New("eligibility list has no voters")
	// ErrDuplicateVoter is returned by NewEligibility for a voter listed twice.
	ErrDuplicateVoter = errors.New("voter listed twice")
	// ErrNotListed is returned by Eligibility.Proof for an address not in the list.
	ErrNotListed = errors.New("address is not in the eligibility list")
	// ErrSignature is returned by Verify for a signature not made by the ballot's voter.
	ErrSignature = errors.New("ballot signature was not made by its voter")
)

var (
	ballotTypeHash = crypto.Keccak256Hash([]byte("Ballot(uint64 poll,uint32 option)"))
	domainTypeHash = crypto.Keccak256Hash([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
)

// Domain is the EIP-712 domain of one Polls contract on one chain.
type Domain struct {
	ChainID  uint64
	Contract common.Address
}

// DevDomain is the domain of the pre-deployed Polls contract on a chain.
func DevDomain(chainID uint64) Domain {
	return Domain{ChainID: chainID, Contract: contracts.PollsAddress}
}

// Separator returns the EIP-712 domain separator.
func (d Domain) Separator() common.Hash {
	return crypto.Keccak256Hash(
		domainTypeHash[:],
		crypto.Keccak256([]byte(DomainName)),
		crypto.Keccak256([]byte(DomainVersion)),
		common.BigToHash(new(big.Int).SetUint64(d.ChainID)).Bytes(),
		common.LeftPadBytes(d.Contract.Bytes(), 32),
	)
}

// Digest returns the EIP-712 digest of Ballot(poll, option): what a resident
// signs, and what Polls.ballotDigest returns.
func (d Domain) Digest(poll uint64, option uint32) common.Hash {
	var p, o [32]byte
	binary.BigEndian.PutUint64(p[24:], poll)
	binary.BigEndian.PutUint32(o[28:], option)
	structHash := crypto.Keccak256(ballotTypeHash[:], p[:], o[:])
	sep := d.Separator()
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], structHash)
}

// Ballot is a signed ballot with the voter's eligibility proof: the JSON a
// resident's `cityctl poll sign-ballot` writes and `cityctl poll relay` reads.
type Ballot struct {
	Poll       uint64         `json:"poll"`
	Option     uint32         `json:"option"`
	Voter      common.Address `json:"voter"`
	VoterIndex uint32         `json:"voterIndex"`
	Signature  []byte         `json:"signature"` // 65 bytes [R || S || V], V 0 or 1
	Proof      []common.Hash  `json:"proof"`
}

// Sign returns the ballot of key's owner for option in poll; the caller adds
// the voter index and proof (Eligibility.Proof).
func Sign(key *ecdsa.PrivateKey, d Domain, poll uint64, option uint32) (Ballot, error) {
	digest := d.Digest(poll, option)
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		return Ballot{}, fmt.Errorf("signing ballot: %w", err)
	}
	return Ballot{Poll: poll, Option: option, Voter: crypto.PubkeyToAddress(key.PublicKey), Signature: sig}, nil
}

// Verify checks that the ballot's signature was made by its voter for d.
func (b Ballot) Verify(d Domain) error {
	if len(b.Signature) != crypto.SignatureLength {
		return fmt.Errorf("%w: signature has %d bytes, want %d", ErrSignature, len(b.Signature), crypto.SignatureLength)
	}
	digest := d.Digest(b.Poll, b.Option)
	pub, err := crypto.SigToPub(digest[:], b.Signature)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSignature, err)
	}
	if have := crypto.PubkeyToAddress(*pub); have != b.Voter {
		return fmt.Errorf("%w: signed by %s, ballot names %s", ErrSignature, have.Hex(), b.Voter.Hex())
	}
	return nil
}

// Signed returns the ballot as Polls.relay takes it: the signature in
// EIP-2098 compact form (r, and s with the y parity in its top bit). A
// signature of the wrong length becomes zeros, which the contract rejects
// as BadSignature.
func (b Ballot) Signed() polls.PollsSignedBallot {
	s := polls.PollsSignedBallot{Poll: b.Poll, Option: b.Option, VoterIndex: b.VoterIndex, Voter: b.Voter}
	if len(b.Signature) == crypto.SignatureLength {
		copy(s.R[:], b.Signature[:32])
		copy(s.Vs[:], b.Signature[32:64])
		if b.Signature[64] == 1 {
			s.Vs[0] |= 0x80
		}
	}
	s.Proof = make([][32]byte, len(b.Proof))
	for i, p := range b.Proof {
		s.Proof[i] = p
	}
	return s
}

// Leaf returns the eligibility leaf of voter number index:
// keccak256(keccak256(abi.encode(uint256 index, address voter))).
func Leaf(index uint32, voter common.Address) common.Hash {
	var enc [64]byte
	binary.BigEndian.PutUint32(enc[28:32], index)
	copy(enc[44:], voter.Bytes())
	return merkle.Leaf(enc[:])
}

// Eligibility is the eligibility tree of a poll: voter i of the list is the
// leaf (i, address).
type Eligibility struct {
	voters []common.Address
	index  map[common.Address]uint32
	tree   *merkle.Tree
}

// NewEligibility builds the tree of the voters, in the order given.
func NewEligibility(voters []common.Address) (*Eligibility, error) {
	if len(voters) == 0 {
		return nil, ErrNoVoters
	}
	if len(voters) > 1<<32-1 {
		return nil, fmt.Errorf("eligibility list: have %d voters, want at most %d", len(voters), uint32(1<<32-1))
	}
	e := &Eligibility{voters: voters, index: make(map[common.Address]uint32, len(voters))}
	leaves := make([]common.Hash, len(voters))
	for i, v := range voters {
		if j, ok := e.index[v]; ok {
			return nil, fmt.Errorf("%w: %s at positions %d and %d", ErrDuplicateVoter, v.Hex(), j, i)
		}
		e.index[v] = uint32(i)
		leaves[i] = Leaf(uint32(i), v)
	}
	tree, err := merkle.New(leaves)
	if err != nil {
		return nil, err
	}
	e.tree = tree
	return e, nil
}

// Root returns the root to create the poll with.
func (e *Eligibility) Root() common.Hash { return e.tree.Root() }

// Len returns the number of voters (the poll's voterCount).
func (e *Eligibility) Len() int { return len(e.voters) }

// Voter returns voter number i.
func (e *Eligibility) Voter(i int) common.Address { return e.voters[i] }

// Proof returns the voter index and Merkle proof of voter.
func (e *Eligibility) Proof(voter common.Address) (uint32, []common.Hash, error) {
	i, ok := e.index[voter]
	if !ok {
		return 0, nil, fmt.Errorf("%w: %s", ErrNotListed, voter.Hex())
	}
	p, err := e.tree.Proof(int(i))
	return i, p, err
}

// Reason returns the name of the ballot error whose selector a
// BallotRejected event carries ("AlreadyVoted", "NotEligible", ...).
func Reason(selector [4]byte) string {
	for name, e := range polls.NewPolls().GetABI().Errors {
		if [4]byte(e.ID[:4]) == selector {
			return name
		}
	}
	return fmt.Sprintf("unknown reason %#x", selector[:])
}

// Tally is a poll's count of ballots per option, recomputed from events.
type Tally struct {
	Counts []uint64               // ballots per option
	Voters map[uint32]bool        // voter indexes counted
	Cast   int                    // BallotCast events seen
	Errors []error                // events that break a rule (a voter counted twice, an option out of range)
	ByTx   map[common.Hash]uint64 // ballots counted per transaction
}

// Recount recomputes the tally of poll from the Polls contract's logs (all
// logs of the contract; other events and other polls are skipped). It
// reports, rather than hides, events that no correct contract would emit.
func Recount(poll uint64, options int, logs []types.Log) (*Tally, error) {
	c := polls.NewPolls()
	castID := c.GetABI().Events["BallotCast"].ID
	t := &Tally{Counts: make([]uint64, options), Voters: map[uint32]bool{}, ByTx: map[common.Hash]uint64{}}
	for i := range logs {
		l := &logs[i]
		if len(l.Topics) == 0 || l.Topics[0] != castID || l.Removed {
			continue
		}
		ev, err := c.UnpackBallotCastEvent(l)
		if err != nil {
			return nil, fmt.Errorf("log %d of block %d: %w", l.Index, l.BlockNumber, err)
		}
		if !ev.Poll.IsUint64() || ev.Poll.Uint64() != poll {
			continue
		}
		t.Cast++
		if int(ev.Option) >= options {
			t.Errors = append(t.Errors, fmt.Errorf("block %d: ballot of %s for option %d, poll has %d options", l.BlockNumber, ev.Voter.Hex(), ev.Option, options))
			continue
		}
		if t.Voters[ev.VoterIndex] {
			t.Errors = append(t.Errors, fmt.Errorf("block %d: voter %d (%s) counted twice", l.BlockNumber, ev.VoterIndex, ev.Voter.Hex()))
			continue
		}
		t.Voters[ev.VoterIndex] = true
		t.Counts[ev.Option]++
		t.ByTx[l.TxHash]++
	}
	return t, nil
}
