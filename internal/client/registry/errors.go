package registry

import (
	"errors"
	"fmt"
)

// Errors returned by the registry client. Callers and tests check them with
// errors.Is; a revert also carries its decoded name as a *RevertError.
var (
	// ErrReverted is returned if a call or transaction was refused by a
	// contract; the error's text names the custom error and its values.
	ErrReverted = errors.New("reverted")

	// ErrNoKey is returned if a transaction is to be sent by a client opened
	// without a key.
	ErrNoKey = errors.New("no key: pass --keystore FILE --password FILE, or --key FILE on a dev chain")

	// ErrReceiptTimeout is returned if a sent transaction is not mined within
	// the client's wait.
	ErrReceiptTimeout = errors.New("transaction not mined in time")

	// ErrInput is returned for input the registry cannot take (a malformed
	// hash, an empty batch, a share of zero, ...).
	ErrInput = errors.New("invalid input")

	// ErrCodeMismatch is returned by VerifyCode if the code at a fixed
	// address differs from the committed artifact.
	ErrCodeMismatch = errors.New("code differs from the committed sources")
)

// RevertError is a revert decoded with the registry's ABIs.
type RevertError struct {
	Action string // what was attempted, "Documents.issue"
	Reason string // "NotIssuer(0x...)", or the raw data in hex if it matched no error
}

// Error implements error.
func (e *RevertError) Error() string {
	return fmt.Sprintf("%s reverted: %s", e.Action, e.Reason)
}

// Unwrap makes errors.Is(err, ErrReverted) hold.
func (e *RevertError) Unwrap() error { return ErrReverted }

// Name returns the custom error's name without its arguments ("NotIssuer").
func (e *RevertError) Name() string {
	for i, c := range e.Reason {
		if c == '(' {
			return e.Reason[:i]
		}
	}
	return e.Reason
}
