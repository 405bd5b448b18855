// Package ballots is the off-chain half of the Active Citizen polls
// (contracts/src/Polls.sol): the eligibility tree of a poll's voters and
// each voter's proof, the EIP-712 ballot a resident signs and its typed data
// as wallets take it, the ballot as a relayer submits it, the names of the
// reasons a ballot is rejected, and the recount of a poll's tallies from its
// BallotCast events.
//
// No cryptography is invented here, and the formats are other tools': ballots
// are secp256k1 signatures over EIP-712 typed data (go-ethereum's crypto),
// written as eth_signTypedData_v4 returns them; an eligibility list is an
// @openzeppelin/merkle-tree StandardMerkleTree of (index, address) values
// (package merkle) and its file is that tree's standard-v1 dump.
package ballots

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/polls"
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
	nameHash       = crypto.Keccak256Hash([]byte(DomainName))
	versionHash    = crypto.Keccak256Hash([]byte(DomainVersion))
)

// lastSeparator is the separator last computed, with its domain: a gateway
// checks every ballot in one domain, and the separator's keccaks were half
// of a digest's.
var lastSeparator atomic.Pointer[separatorOf]

type separatorOf struct {
	d   Domain
	sep common.Hash
}

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
	if last := lastSeparator.Load(); last != nil && last.d == d {
		return last.sep
	}
	sep := crypto.Keccak256Hash(
		domainTypeHash[:],
		nameHash[:],
		versionHash[:],
		common.BigToHash(new(big.Int).SetUint64(d.ChainID)).Bytes(),
		common.LeftPadBytes(d.Contract.Bytes(), 32),
	)
	lastSeparator.Store(&separatorOf{d: d, sep: sep})
	return sep
}

// Digest returns the EIP-712 digest of Ballot(poll, option): what a resident
// signs, and what Polls.ballotDigest returns.
func (d Domain) Digest(poll uint64, option uint32) common.Hash {
	var p, o [32]byte
	binary.BigEndian.PutUint64(p[24:], poll)
	binary.BigEndian.PutUint32(o[28:], option)
	structHash := crypto.Keccak256Hash(ballotTypeHash[:], p[:], o[:])
	sep := d.Separator()
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], structHash[:])
}

// Ballot is a signed ballot with the voter's eligibility proof: the JSON
// line a resident's `cityctl poll sign-ballot` writes (or a wallet's
// eth_signTypedData_v4 signature with the fields around it) and `cityctl poll
// relay` reads.
type Ballot struct {
	Poll       uint64         `json:"poll"`
	Option     uint32         `json:"option"`
	Voter      common.Address `json:"voter"`
	VoterIndex uint32         `json:"voterIndex"`
	Signature  hexutil.Bytes  `json:"signature"` // 65 bytes r || s || v; v 27 or 28 as wallets write it, 0 or 1 accepted
	Proof      []common.Hash  `json:"proof"`

	base64 bool // the signature was read from the deprecated base64 form
}

// Sign returns the ballot of key's owner for option in poll, its signature
// in the form eth_signTypedData_v4 returns (v 27 or 28); the caller adds the
// voter index and proof (Eligibility.Proof).
func Sign(key *ecdsa.PrivateKey, d Domain, poll uint64, option uint32) (Ballot, error) {
	digest := d.Digest(poll, option)
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		return Ballot{}, fmt.Errorf("signing ballot: %w", err)
	}
	sig[crypto.RecoveryIDOffset] += 27
	return Ballot{Poll: poll, Option: option, Voter: crypto.PubkeyToAddress(key.PublicKey), Signature: sig}, nil
}

// recoverable returns the signature with v 0 or 1, as go-ethereum's crypto
// recovers it.
func (b Ballot) recoverable() ([]byte, error) {
	if len(b.Signature) != crypto.SignatureLength {
		return nil, fmt.Errorf("%w: signature has %d bytes, want %d", ErrSignature, len(b.Signature), crypto.SignatureLength)
	}
	sig := bytes.Clone(b.Signature)
	switch v := sig[crypto.RecoveryIDOffset]; v {
	case 0, 1:
	case 27, 28:
		sig[crypto.RecoveryIDOffset] = v - 27
	default:
		return nil, fmt.Errorf("%w: v is %d, want 27 or 28 (or 0 or 1)", ErrSignature, v)
	}
	return sig, nil
}

// Verify checks that the ballot's signature was made by its voter for d.
func (b Ballot) Verify(d Domain) error {
	sig, err := b.recoverable()
	if err != nil {
		return err
	}
	digest := d.Digest(b.Poll, b.Option)
	// The signer's address from the recovered key's 64 bytes, without
	// making an ecdsa.PublicKey of them and marshalling it back.
	pub, err := crypto.Ecrecover(digest[:], sig)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSignature, err)
	}
	if have := common.BytesToAddress(crypto.Keccak256(pub[1:])[12:]); have != b.Voter {
		return fmt.Errorf("%w: signed by %s, ballot names %s", ErrSignature, have.Hex(), b.Voter.Hex())
	}
	return nil
}

// Signed returns the ballot as Polls.relay takes it: the signature in
// EIP-2098 compact form (r, and s with the y parity in its top bit). A
// signature of the wrong length or with a v other than 0, 1, 27 or 28
// becomes zeros, which the contract rejects as BadSignature.
func (b Ballot) Signed() polls.PollsSignedBallot {
	s := polls.PollsSignedBallot{Poll: b.Poll, Option: b.Option, VoterIndex: b.VoterIndex, Voter: b.Voter}
	if sig, err := b.recoverable(); err == nil {
		copy(s.R[:], sig[:32])
		copy(s.Vs[:], sig[32:64])
		s.Vs[0] |= sig[crypto.RecoveryIDOffset] << 7
	}
	s.Proof = make([][32]byte, len(b.Proof))
	for i, p := range b.Proof {
		s.Proof[i] = p
	}
	return s
}

// Deprecated returns why the ballot's form is deprecated, or "" for the
// current form: signatures in base64 (what cityctl wrote before 0x-hex) are
// still relayed, with this warning.
func (b Ballot) Deprecated() string {
	if b.base64 {
		return "base64 ballot signatures are deprecated: they are relayed for now, but sign new ballots with this cityctl (0x-hex, v 27/28, as eth_signTypedData_v4 returns)"
	}
	return ""
}

// UnmarshalJSON implements json.Unmarshaler: the signature is 0x-hex (v 0,
// 1, 27 or 28), or base64 as cityctl wrote it before (Deprecated says so).
func (b *Ballot) UnmarshalJSON(data []byte) error {
	type plain Ballot
	var raw struct {
		plain
		Signature *string `json:"signature"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*b = Ballot(raw.plain)
	if raw.Signature == nil {
		return errors.New("ballot has no signature")
	}
	return b.SetSignature(*raw.Signature)
}

// SetSignature sets the signature from its JSON string form: 0x-hex, or the
// deprecated base64 (Deprecated then says so). For decoders that read the
// other fields themselves.
func (b *Ballot) SetSignature(s string) error {
	sig, old, err := decodeSignature(s)
	if err != nil {
		return err
	}
	b.Signature, b.base64 = sig, old
	return nil
}

// decodeSignature reads a 0x-hex signature, or the deprecated base64 form
// (65 bytes are 130 hex digits but 88 base64 characters: the two cannot be
// mistaken for each other).
func decodeSignature(s string) (sig []byte, isBase64 bool, err error) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		sig, err = hexutil.Decode(s)
		if err != nil {
			return nil, false, fmt.Errorf("signature %q: %v", s, err)
		}
		return sig, false, nil
	}
	sig, err = base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, false, fmt.Errorf("signature %q: want 0x and 130 hex digits (r, s, v) as eth_signTypedData_v4 returns", s)
	}
	return sig, true, nil
}

// DecodeBallot reads one ballot line, as `cityctl poll relay` does.
func DecodeBallot(line []byte) (Ballot, error) {
	var b Ballot
	err := json.Unmarshal(line, &b)
	return b, err
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

	poll uint64 // the poll counted
}

// NewTally returns the empty tally of poll, which has options options; Add
// counts events into it, range by range.
func NewTally(poll uint64, options int) *Tally {
	return &Tally{Counts: make([]uint64, options), Voters: map[uint32]bool{}, ByTx: map[common.Hash]uint64{}, poll: poll}
}

// Recount recomputes the tally of poll from the Polls contract's logs (all
// logs of the contract; other events and other polls are skipped). It
// reports, rather than hides, events that no correct contract would emit.
func Recount(poll uint64, options int, logs []types.Log) (*Tally, error) {
	t := NewTally(poll, options)
	if err := t.Add(logs); err != nil {
		return nil, err
	}
	return t, nil
}

// Add counts the BallotCast events of the tally's poll in logs, which follow
// the logs counted before (a voter counted in an earlier range and again
// here is an error of the events, as within one range). On an error that
// stops it (a log that does not decode) t is left partly updated.
func (t *Tally) Add(logs []types.Log) error { return t.AddSeen(logs, nil) }

// AddSeen is Add on top of a count kept elsewhere: a voter that seen
// reports (counted there) and appears in logs is an error of the events, as
// a voter counted twice within t. seen may be nil.
func (t *Tally) AddSeen(logs []types.Log, seen func(voter uint32) bool) error {
	options := len(t.Counts)
	for i := range logs {
		l := &logs[i]
		if len(l.Topics) == 0 || l.Topics[0] != ballotCastID || l.Removed {
			continue
		}
		ev, err := decodeBallotCast(l)
		if err != nil {
			return fmt.Errorf("log %d of block %d: %w", l.Index, l.BlockNumber, err)
		}
		if !ev.pollFits || ev.poll != t.poll {
			continue
		}
		t.Cast++
		if int(ev.Option) >= options {
			t.Errors = append(t.Errors, fmt.Errorf("block %d: ballot of %s for option %d, poll has %d options", l.BlockNumber, ev.Voter.Hex(), ev.Option, options))
			continue
		}
		if t.Voters[ev.VoterIndex] || (seen != nil && seen(ev.VoterIndex)) {
			t.Errors = append(t.Errors, fmt.Errorf("block %d: voter %d (%s) counted twice", l.BlockNumber, ev.VoterIndex, ev.Voter.Hex()))
			continue
		}
		t.Voters[ev.VoterIndex] = true
		t.Counts[ev.Option]++
		t.ByTx[l.TxHash]++
	}
	return nil
}

// ballotCast is what a tally reads of a BallotCast event.
type ballotCast struct {
	poll       uint64
	pollFits   bool // the poll id fits poll (else it is no poll a tally counts)
	Voter      common.Address
	VoterIndex uint32
	Option     uint32
}

// decodeBallotCast decodes a BallotCast log as the ABI binding does. The
// canonical encoding (three topics, 64 bytes of data, zero padding) is read
// directly: a recount decodes 1.5 million of them; anything else goes through
// the binding, which accepts or refuses it as it always did.
func decodeBallotCast(l *types.Log) (ballotCast, error) {
	var zero [28]byte
	if len(l.Topics) == 3 && len(l.Data) == 64 && [12]byte(l.Topics[2][:12]) == [12]byte{} &&
		[28]byte(l.Data[:28]) == zero && [28]byte(l.Data[32:60]) == zero {
		return ballotCast{
			poll:       binary.BigEndian.Uint64(l.Topics[1][24:]),
			pollFits:   [24]byte(l.Topics[1][:24]) == [24]byte{},
			Voter:      common.BytesToAddress(l.Topics[2][12:]),
			VoterIndex: binary.BigEndian.Uint32(l.Data[28:32]),
			Option:     binary.BigEndian.Uint32(l.Data[60:64]),
		}, nil
	}
	ev, err := pollsABI.UnpackBallotCastEvent(l)
	if err != nil {
		return ballotCast{}, err
	}
	return ballotCast{poll: ev.Poll.Uint64(), pollFits: ev.Poll.IsUint64(), Voter: ev.Voter, VoterIndex: ev.VoterIndex, Option: ev.Option}, nil
}

// The Polls ABI and the BallotCast event's topic, decoded once.
var (
	pollsABI     = polls.NewPolls()
	ballotCastID = pollsABI.GetABI().Events["BallotCast"].ID
)
