package clique

import "errors"

// Errors returned by the engine. The two exported ones are shared with other
// packages: the sealer checks them with errors.Is to tell "not allowed to seal
// now" apart from real failures.
var (
	// ErrUnauthorizedSigner is returned if a header is signed, or is about to be
	// prepared, by an account that is not in the signer set of its parent's
	// snapshot. A sealer receiving it should wait until it is voted in.
	ErrUnauthorizedSigner = errors.New("unauthorized signer")

	// ErrRecentlySigned is returned if a header is signed, or is about to be
	// prepared, by a signer that already sealed one of the last
	// floor(SIGNER_COUNT/2) blocks. A sealer receiving it should wait for the
	// next block.
	ErrRecentlySigned = errors.New("recently signed")

	// The rule violations below stay unexported so that callers outside this
	// package depend on the two errors above and consensus.Err* only.

	// errUnknownBlock is returned if a header has no number, is the genesis
	// header (which is trusted, never verified) or is not in the local chain.
	errUnknownBlock = errors.New("unknown block")

	// errInvalidCheckpointBeneficiary is returned if a checkpoint (epoch
	// transition) header has a non-zero beneficiary.
	errInvalidCheckpointBeneficiary = errors.New("beneficiary in checkpoint block non-zero")

	// errInvalidVote is returned if a header's nonce is neither 0x00..00 (drop)
	// nor 0xff..ff (authorize).
	errInvalidVote = errors.New("vote nonce not 0x00..0 or 0xff..f")

	// errInvalidCheckpointVote is returned if a checkpoint header has a non-zero
	// nonce.
	errInvalidCheckpointVote = errors.New("vote nonce in checkpoint block non-zero")

	// errMissingVanity is returned if a header's extra-data is shorter than the
	// 32-byte vanity prefix.
	errMissingVanity = errors.New("extra-data 32 byte vanity prefix missing")

	// errMissingSignature is returned if a header's extra-data has no room for
	// the 65-byte seal after the vanity prefix.
	errMissingSignature = errors.New("extra-data 65 byte signature suffix missing")

	// errExtraSigners is returned if a non-checkpoint header carries a signer
	// list in its extra-data.
	errExtraSigners = errors.New("non-checkpoint block contains extra signer list")

	// errInvalidCheckpointSigners is returned if a checkpoint header's signer
	// list is not a whole number of 20-byte addresses.
	errInvalidCheckpointSigners = errors.New("invalid signer list on checkpoint block")

	// errMismatchingCheckpointSigners is returned if a checkpoint header's signer
	// list differs from the sorted signer set of its parent's snapshot.
	errMismatchingCheckpointSigners = errors.New("mismatching signer list on checkpoint block")

	// errInvalidMixDigest is returned if a header's mix digest is non-zero.
	errInvalidMixDigest = errors.New("non-zero mix digest")

	// errWrongRandom is returned if a post-transition header's mix digest is
	// not the PREVRANDAO its parent defines (ADR 044).
	errWrongRandom = errors.New("mix digest is not the parent's PREVRANDAO")

	// errInvalidUncleHash is returned if a header's uncle hash is not the hash of
	// an empty uncle list.
	errInvalidUncleHash = errors.New("non empty uncle hash")

	// errInvalidDifficulty is returned if a non-genesis header's difficulty is
	// neither 1 (out of turn) nor 2 (in turn).
	errInvalidDifficulty = errors.New("invalid difficulty")

	// errWrongDifficulty is returned if a header's difficulty does not match
	// whether its signer was in turn.
	errWrongDifficulty = errors.New("wrong difficulty")

	// errInvalidTimestamp is returned if a header's timestamp is earlier than
	// its parent's timestamp plus the block period.
	errInvalidTimestamp = errors.New("invalid timestamp")

	// errInvalidGasLimit is returned if a header's gas limit is above 2^63-1 or
	// moves too far from its parent's.
	errInvalidGasLimit = errors.New("invalid gas limit")

	// errInvalidGasUsed is returned if a header uses more gas than its limit.
	errInvalidGasUsed = errors.New("invalid gas used")

	// errInvalidBaseFee is returned if a header's base fee does not follow
	// EIP-1559, or is present before London.
	errInvalidBaseFee = errors.New("invalid base fee")

	// errUnsupportedFork is returned if a header falls under a fork that Clique
	// cannot run (the merge, Shanghai and everything after it).
	errUnsupportedFork = errors.New("fork not supported by clique")

	// errUnexpectedField is returned if a header carries a field introduced
	// after London (withdrawals, blobs, beacon root, requests, access list,
	// slot number). Such fields are not covered by the seal hash.
	errUnexpectedField = errors.New("unexpected post-london header field")

	// errModernField is returned if a post-transition header's withdrawals,
	// blob, beacon root or requests fields differ from what ADR 044 defines.
	errModernField = errors.New("invalid post-transition header field")

	// errInvalidSignature is returned if no public key can be recovered from a
	// header's seal, or a signer returns a malformed signature.
	errInvalidSignature = errors.New("invalid signature")

	// errInvalidVotingChain is returned if headers applied to a snapshot are
	// not contiguous or do not start on top of it.
	errInvalidVotingChain = errors.New("invalid voting chain")

	// errInvalidSnapshot is returned if a snapshot read from the database does
	// not decode or belongs to another block.
	errInvalidSnapshot = errors.New("invalid snapshot")
)
