package aura

import "errors"

// ErrRuleViolation is wrapped by every error that says a header breaks the
// Aura rules (as opposed to a header that could not be read or a set that
// could not be fetched): a follower refuses such a header and reports it.
var ErrRuleViolation = errors.New("aura rule violated")

var (
	// errBadSeal is returned if the seal's signature is malformed or does not
	// recover to a key.
	errBadSeal = errors.New("bad seal signature")
	// errWrongProposer is returned if the header is sealed by another
	// validator than the one whose turn the step is.
	errWrongProposer = errors.New("sealed by a validator whose turn it is not")
	// errAuthorMismatch is returned if the header's author (coinbase) is not
	// the validator that sealed it.
	errAuthorMismatch = errors.New("author is not the sealer")
	// errStepNotIncreasing is returned if the step does not grow from the
	// parent's (or, before validateStepTransition, repeats it).
	errStepNotIncreasing = errors.New("step not after the parent's")
	// errFutureStep is returned if the step lies more than maxDrift steps
	// after the present time.
	errFutureStep = errors.New("step in the future")
	// errTimestamp is returned if the timestamp is not after the parent's.
	errTimestamp = errors.New("timestamp not after the parent's")
	// errBadScore is returned if the difficulty is not the Aura score.
	errBadScore = errors.New("difficulty is not the Aura score")
	// errBadLink is returned if the header does not follow the one before.
	errBadLink = errors.New("header does not follow its parent")
	// errChangeWhilePending is returned if a validator-set contract signals
	// a second change before the first one is final.
	errChangeWhilePending = errors.New("second validator-set change signalled before the first is final")
)
