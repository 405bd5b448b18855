package genesis

import "errors"

// The errors below are the problems Validate, Spec.Validate, Decode and Load
// report. Those functions return every problem they find in one error, each
// problem wrapping one of these, so callers test with errors.Is; the message of
// each problem names the field, what it holds and what it should hold. (Load
// also returns the operating system's error for a file it cannot read.)
var (
	// ErrSyntax is returned if the genesis file is not well-formed JSON.
	ErrSyntax = errors.New("invalid JSON")

	// ErrMalformed is returned if the JSON is well-formed but a value does not
	// decode into its genesis field (wrong type, bad hex, missing required field).
	ErrMalformed = errors.New("malformed genesis")

	// ErrUnknownField is returned if an object of the genesis holds a key that
	// go-ethereum does not know (usually a misspelling that would be ignored).
	ErrUnknownField = errors.New("unknown field")

	// ErrDuplicateField is returned if an object of the genesis holds the same
	// key twice (JSON decoders silently keep the last one).
	ErrDuplicateField = errors.New("duplicate field")

	// ErrNoConfig is returned if the genesis has no chain configuration.
	ErrNoConfig = errors.New("missing chain configuration")

	// ErrNoClique is returned if the chain configuration has no clique section
	// or names another consensus engine.
	ErrNoClique = errors.New("not a clique chain")

	// ErrChainID is returned if the chain id is missing, zero, negative or
	// does not fit in 64 bits.
	ErrChainID = errors.New("invalid chain id")

	// ErrPeriod is returned if the clique block period is out of range.
	ErrPeriod = errors.New("invalid clique period")

	// ErrEpoch is returned if the clique epoch length is zero or out of range.
	ErrEpoch = errors.New("invalid clique epoch")

	// ErrExtraData is returned if the extra-data is not 32 bytes of vanity,
	// a whole number of 20-byte signer addresses and 65 bytes of seal.
	ErrExtraData = errors.New("invalid clique extra-data")

	// ErrNoSigners is returned if the extra-data lists no signer.
	ErrNoSigners = errors.New("no signers")

	// ErrDuplicateSigner is returned if a signer is listed more than once.
	ErrDuplicateSigner = errors.New("duplicate signer")

	// ErrZeroSigner is returned if the zero address is listed as a signer
	// (nobody holds its key, so its turns would never be sealed).
	ErrZeroSigner = errors.New("zero address as signer")

	// ErrUnsupportedFork is returned if the configuration schedules a fork that
	// clique cannot run: any timestamp-scheduled fork (Shanghai and later),
	// mergeNetsplitBlock, or a binary trie at genesis.
	ErrUnsupportedFork = errors.New("fork not supported by clique")

	// ErrForkOrder is returned if the block-number forks are not in
	// go-ethereum's required order.
	ErrForkOrder = errors.New("invalid fork order")

	// ErrTTD is returned if terminalTotalDifficulty is missing or could be
	// reached by the chain.
	ErrTTD = errors.New("invalid terminal total difficulty")

	// ErrBaseFee is returned if a genesis base fee is set while London is not
	// active at block 0, or is out of range.
	ErrBaseFee = errors.New("invalid base fee")

	// ErrGasLimit is returned if the genesis gas limit is out of go-ethereum's
	// bounds.
	ErrGasLimit = errors.New("invalid gas limit")

	// ErrDifficulty is returned if the genesis difficulty is missing, not
	// positive or absurdly large.
	ErrDifficulty = errors.New("invalid genesis difficulty")

	// ErrUnsupportedField is returned if the genesis sets a field that only
	// consensus tests or post-merge forks use and that would change the
	// genesis hash between go-ethereum versions.
	ErrUnsupportedField = errors.New("unsupported field")

	// ErrAlloc is returned if the allocation is missing, holds an account
	// without a valid balance, or an added account collides with one present.
	ErrAlloc = errors.New("invalid alloc")
)
